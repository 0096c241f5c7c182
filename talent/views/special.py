"""The office's side of a special-talent application: its page for the programme's officers and the sector's
authority (the pre-review, the panel, the stages after)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from .. import permissions
from .common import special_for


@login_required
def special_application(request, pk):
    special = special_for(request, pk, permissions.can_view_special_application)
    context = {"special": special, "application": special.application, "page_title": str(special)}
    return render(request, "talent/office/special_application.html", context)


urlpatterns = [path("office/special/<int:pk>/", special_application, name="special_application")]
