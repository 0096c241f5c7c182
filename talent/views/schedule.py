"""What a programme opens, in the talent office: its calls (the list, with how many applications each has; a new
call; a changed one) and its roadshows (announce one; change one — the roadshows' own office pages are in
roadshows.py). Only the programme's officers; everyone else 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from portal.calls import REFUSED, call_with_form

from .. import permissions
from ..forms.schedule import CallForm, RoadshowForm
from ..models import Call, Roadshow
from ..services import schedule as services
from .common import programme_for

PER_PAGE = 25


@login_required
def office_calls(request, programme):
    programme = programme_for(request, programme, permissions.is_officer)
    calls = (
        Call.objects.filter(programme=programme).annotate(sent=Count("base_applications")).order_by("-opens_on", "-pk")
    )
    page = Paginator(calls, PER_PAGE).get_page(request.GET.get("page"))
    context = {"programme": programme, "calls": page.object_list, "page_obj": page, "page_title": _("Calls")}
    return render(request, "talent/office/calls.html", context)


def _edit(request, programme, instance, *, form_class, service, argument, back, new_title):
    """The form of ``instance`` (None: a new one); posted, the service validates and saves it (its refusals land
    on the form, nothing saved)."""
    form = form_class(request.POST or None, instance=instance)
    saved = call_with_form(
        request,
        form,
        service,
        values=lambda bound: {"values": request.POST},
        success=_("Saved."),
        programme=programme,
        **{argument: instance},
    )
    if saved is not REFUSED:
        return redirect(back)
    title = instance.display_title if instance else new_title
    context = {"programme": programme, "form": form, "back_url": back, "page_title": title}
    return render(request, "talent/office/schedule_form.html", context)


def _call(request, programme, call):
    return _edit(
        request,
        programme,
        call,
        form_class=CallForm,
        service=services.save_call,
        argument="call",
        back=reverse("talent:office_calls", kwargs={"programme": programme.slug}),
        new_title=_("New call"),
    )


def _roadshow(request, programme, roadshow):
    return _edit(
        request,
        programme,
        roadshow,
        form_class=RoadshowForm,
        service=services.save_roadshow,
        argument="roadshow",
        back=reverse("talent:office_roadshows", kwargs={"programme": programme.slug}),
        new_title=_("New roadshow"),
    )


@login_required
def call_new(request, programme):
    return _call(request, programme_for(request, programme, permissions.is_officer), None)


@login_required
def call_edit(request, pk):
    call = get_object_or_404(Call.objects.select_related("programme"), pk=pk)
    if not permissions.is_officer(request.user, call.programme):
        raise Http404
    return _call(request, call.programme, call)


@login_required
def roadshow_new(request, programme):
    return _roadshow(request, programme_for(request, programme, permissions.is_officer), None)


@login_required
def roadshow_edit(request, slug):
    roadshow = get_object_or_404(Roadshow.objects.select_related("programme"), slug=slug)
    if not permissions.runs_roadshow(request.user, roadshow):
        raise Http404
    return _roadshow(request, roadshow.programme, roadshow)


urlpatterns = [
    path("office/<slug:programme>/calls/", office_calls, name="office_calls"),
    path("office/<slug:programme>/calls/new/", call_new, name="call_new"),
    path("office/calls/<int:pk>/edit/", call_edit, name="call_edit"),
    path("office/<slug:programme>/roadshows/new/", roadshow_new, name="roadshow_new"),
    path("office/roadshows/<slug:slug>/edit/", roadshow_edit, name="roadshow_edit"),
]
