from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.assignment_list, name="list"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/material/", views.round_material, name="round_material"),
    path("material/<int:pk>/", views.material_detail, name="material"),
]
