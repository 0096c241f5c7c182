from django.urls import path

from . import views

app_name = "opinions"
urlpatterns = [
    path("", views.opinion_list, name="list"),
    path("new/<int:issuer_id>/", views.opinion_create, name="create"),
    path("<int:pk>/", views.opinion_detail, name="detail"),
    path("<int:pk>/edit/", views.opinion_edit, name="edit"),
    path("<int:pk>/status/", views.opinion_status, name="status"),
    path("<int:pk>/submit/", views.opinion_submit, name="submit"),
    path("<int:pk>/sign/", views.opinion_sign, name="sign"),
    path("<int:pk>/issue/", views.opinion_issue, name="issue"),
    path("<int:pk>/revoke/", views.opinion_revoke, name="revoke"),
    path("<int:pk>/pdf/", views.opinion_pdf, name="pdf"),
]
