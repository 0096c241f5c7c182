"""The programme's calls in the talent office: the list (with how many applications each has), a new call, a
changed one. Only the programme's officers; everyone else 404."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from portal.calls import REFUSED, call_with_form

from .. import permissions
from ..forms.calls import CallForm
from ..models import Call
from ..services import calls as services
from .common import programme_for


@login_required
def office_calls(request, programme):
    programme = programme_for(request, programme, permissions.is_officer)
    calls = (
        Call.objects.filter(programme=programme).annotate(sent=Count("base_applications")).order_by("-opens_on", "-pk")
    )
    context = {"programme": programme, "calls": calls, "page_title": _("Calls")}
    return render(request, "talent/office/calls.html", context)


def _edit(request, programme, call):
    form = CallForm(request.POST or None, instance=call)
    saved = call_with_form(
        request,
        form,
        services.save_call,
        values=lambda bound: {"values": request.POST},
        success=_("The call is saved."),
        programme=programme,
        call=call,
    )
    if saved is not REFUSED:
        return redirect("talent:office_calls", programme=programme.slug)
    title = call.display_title if call else _("New call")
    context = {"programme": programme, "call": call, "form": form, "page_title": title}
    return render(request, "talent/office/call_form.html", context)


@login_required
def call_new(request, programme):
    programme = programme_for(request, programme, permissions.is_officer)
    return _edit(request, programme, None)


@login_required
def call_edit(request, pk):
    call = get_object_or_404(Call.objects.select_related("programme"), pk=pk)
    if not permissions.is_officer(request.user, call.programme):
        raise Http404
    return _edit(request, call.programme, call)


urlpatterns = [
    path("office/<slug:programme>/calls/", office_calls, name="office_calls"),
    path("office/<slug:programme>/calls/new/", call_new, name="call_new"),
    path("office/calls/<int:pk>/edit/", call_edit, name="call_edit"),
]
