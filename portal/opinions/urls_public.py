from django.urls import path

from . import views

app_name = "verify"
urlpatterns = [
    path("", views.verify_start, name="start"),
    path("<str:code>/", views.verify_detail, name="detail"),
    path("<str:code>/pdf/", views.verify_pdf, name="pdf"),
]
