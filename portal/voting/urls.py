from django.urls import path

from . import views

app_name = "voting"
urlpatterns = [
    path("<uuid:poll_uuid>/", views.poll_detail, name="detail"),
    path("<uuid:poll_uuid>/ballot/", views.cast, name="cast"),
    path("<uuid:poll_uuid>/close/", views.close, name="close"),
]
