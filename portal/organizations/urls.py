"""Served under /accounts/ (portal/accounts/urls.py adds these to its own patterns, in its namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("organization/", views.organization, name="organization"),
    path("organization/claims/", views.claims, name="organization_claims"),
    path("organization/claims/<int:pk>/approve/", views.claim_approve, name="claim_approve"),
    path("organization/claims/<int:pk>/refuse/", views.claim_refuse, name="claim_refuse"),
    path("organization/claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
]
