"""Service requests: the team's list and its "request a service" form, a request's page (for the team and the
programme's officers), the officers' queue, and the forms that assign, move, re-date and hand a request to the fund.
The team reads state, officer, due date and outcome; the programme's history of the request is the officers'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.calls import REFUSED, call_service, call_with_form
from portal.files.downloads import serve_private
from portal.history.record import timeline
from portal.lifecycle import offered

from .. import permissions, sla
from ..forms import service_requests as forms
from ..models import BaseApplication, BaseStage, ServiceAttachment, ServiceKind, ServiceRequest
from ..models.service_requests import OPEN_STATES
from ..services import service_requests as services
from .common import programme_for

PER_PAGE = 25
# A team with more applications in the base than this chooses one from a list instead of a button each.
BUTTONS_AT_MOST = 3
# Transitions that need a form (the outcome, the reason): their buttons lead to it instead of posting at once.
FORMS = {"complete": forms.CompleteForm, "decline": forms.DeclineForm}
TITLES = {"complete": gettext_lazy("Mark as done"), "decline": gettext_lazy("Decline")}


def request_for(request, pk, may) -> ServiceRequest:
    service_request = get_object_or_404(
        ServiceRequest.objects.select_related(
            "base_application__application__applicant", "base_application__call__programme", "assigned_to"
        ),
        pk=pk,
    )
    if not may(request.user, service_request):
        raise Http404
    return service_request


# --- the team ---------------------------------------------------------------------------------------------------


@login_required
def my_services(request):
    """The team's requests, and the applications in the base it may ask a service for.

    ``?base=<pk>`` (the chooser a team with many applications gets) leads to the request form of that one."""
    bases = BaseApplication.objects.filter(
        application__applicant=request.user, stage__in=(BaseStage.ONBOARDING, BaseStage.ACTIVE)
    ).order_by("team_name", "pk")
    chosen = request.GET.get("base")
    if chosen is not None:
        base = bases.filter(pk=chosen).first() if chosen.isdigit() else None
        if base is not None:
            return redirect("talent:service_new", base.pk)
        messages.error(request, _("Choose one of your teams admitted to the base."))
    # A button per team while they are few; past that a chooser, which costs no URL per team to draw.
    teams = list(bases.values_list("pk", "team_name"))
    rows = (
        ServiceRequest.objects.filter(base_application__application__applicant=request.user)
        .select_related("base_application", "assigned_to")
        .order_by("-requested_at", "-pk")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "teams": teams,
        "team_chooser": len(teams) > BUTTONS_AT_MOST,
        "page_obj": page,
        "today": timezone.localdate(),
        "page_title": _("My services"),
    }
    return render(request, "talent/services/mine.html", context)


@login_required
def service_new(request, pk):
    base = get_object_or_404(BaseApplication.objects.select_related("application", "call__programme"), pk=pk)
    if not permissions.can_request_service(request.user, base):
        raise Http404
    form = forms.RequestForm(request.POST or None, request.FILES or None)
    made = call_with_form(
        request,
        form,
        services.request_service,
        success=_("Your request is sent; the base will answer by its due date."),
        base=base,
    )
    if made is not REFUSED:
        return redirect(made.get_absolute_url())
    context = {
        "base": base,
        "form": form,
        "sla": [(kind, days) for kind, days in sla.SLA_DAYS.items()],
        "page_title": _("Request a service"),
    }
    return render(request, "talent/services/new.html", context)


# --- a request ----------------------------------------------------------------------------------------------------


@login_required
def service_request(request, pk):
    service_request = request_for(request, pk, permissions.can_view_service_request)
    is_officer = permissions.handles_service_request(request.user, service_request)
    actions = offered(service_request, request.user)
    context = {
        "service_request": service_request,
        "base": service_request.base_application,
        "is_officer": is_officer,
        "attachments": service_request.attachments.all(),
        "post_actions": [action for action in actions if action.name not in FORMS],
        "form_actions": [action for action in actions if action.name in FORMS],
        "is_overdue": service_request.is_overdue(),
        "late": sla.working_days_late(service_request.due_on, timezone.localdate()),
        "page_title": str(service_request.get_kind_display()),
    }
    if is_officer:  # what only the office reads: its history of the request, and its own forms
        context.update(
            history=timeline(service_request),
            can_hand_to_fund=permissions.can_hand_to_fund(request.user, service_request),
            assign_form=forms.AssignForm(
                officers=services.officers_of(service_request), initial={"assignee": service_request.assigned_to_id}
            )
            if permissions.can_assign_service_request(request.user, service_request)
            else None,
            due_form=forms.DueDateForm(initial={"due_on": service_request.due_on}) if service_request.is_open else None,
        )
    return render(request, "talent/services/detail.html", context)


@login_required
def service_download(request, pk, file):
    """An attachment, for the team and the officers; a sensitive read, kept in the audit log."""
    service_request = request_for(request, pk, permissions.can_view_service_request)
    attachment = get_object_or_404(ServiceAttachment, pk=file, service_request=service_request)
    return serve_private(
        request,
        attachment.file,
        name=attachment.original_name,
        content_type=attachment.content_type,
        instance=service_request,
        action="talent.download_service_file",
        data={"file": attachment.pk, "name": attachment.original_name},
    )


@login_required
def service_move(request, pk, transition):
    if transition not in services.TRANSITIONS:
        raise Http404
    service_request = request_for(request, pk, permissions.can_view_service_request)
    form_class = FORMS.get(transition)
    if form_class is None:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        call_service(
            request, services.move, service_request=service_request, transition=transition, success=_("Recorded.")
        )
        return redirect(service_request.get_absolute_url())
    if not permissions.handles_service_request(request.user, service_request):
        raise Http404
    form = form_class(request.POST or None)
    moved = call_with_form(
        request, form, services.move, service_request=service_request, transition=transition, success=_("Recorded.")
    )
    if moved is not REFUSED:
        if transition == "complete" and moved.kind == ServiceKind.FINANCING and not moved.handoff_reference:
            messages.warning(request, _("The request is done, but it was not handed to the fund's pipeline."))
        return redirect(service_request.get_absolute_url())
    context = {"service_request": service_request, "form": form, "page_title": TITLES[transition]}
    return render(request, "talent/services/form.html", context)


@login_required
def service_assign(request, pk):
    service_request = request_for(request, pk, permissions.can_assign_service_request)
    form = forms.AssignForm(request.POST or None, officers=services.officers_of(service_request))
    assigned = call_with_form(
        request, form, services.assign, service_request=service_request, success=_("The request is assigned.")
    )
    if assigned is not REFUSED:
        return redirect(service_request.get_absolute_url())
    context = {"service_request": service_request, "form": form, "page_title": _("Assign the request")}
    return render(request, "talent/services/form.html", context)


@login_required
def service_due(request, pk):
    service_request = request_for(request, pk, permissions.handles_service_request)
    form = forms.DueDateForm(request.POST or None, initial={"due_on": service_request.due_on})
    moved = call_with_form(
        request, form, services.set_due_on, service_request=service_request, success=_("The due date is moved.")
    )
    if moved is not REFUSED:
        return redirect(service_request.get_absolute_url())
    context = {"service_request": service_request, "form": form, "page_title": _("Move the due date")}
    return render(request, "talent/services/form.html", context)


@login_required
def service_hand_off(request, pk):
    service_request = request_for(request, pk, permissions.handles_service_request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    call_service(
        request,
        services.hand_to_fund,
        service_request=service_request,
        success=_("The team's project is in the fund's pipeline as a sourced deal."),
    )
    return redirect(service_request.get_absolute_url())


# --- the office's queue -------------------------------------------------------------------------------------------


@login_required
def service_queue(request, programme):
    """The programme's requests, overdue ones first; by kind, officer and state (open ones unless asked)."""
    programme = programme_for(request, programme, permissions.is_officer)
    officers = list(programme.officers.order_by("username"))
    filters = forms.QueueFilterForm(request.GET or None, officers=officers)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    rows = ServiceRequest.objects.filter(base_application__call__programme=programme)
    state = chosen.get("state") or filters.OPEN
    if state == filters.OPEN:
        rows = rows.filter(state__in=OPEN_STATES)
    elif state != "all":
        rows = rows.filter(state=state)
    if chosen.get("kind"):
        rows = rows.filter(kind=chosen["kind"])
    if chosen.get("assignee") == filters.UNASSIGNED:
        rows = rows.filter(assigned_to__isnull=True)
    elif chosen.get("assignee"):
        rows = rows.filter(assigned_to_id=chosen["assignee"])
    late = Q(state__in=OPEN_STATES, due_on__lt=today)
    rows = (
        rows.annotate(late=Case(When(late, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .select_related("base_application", "assigned_to")
        .order_by("late", "due_on", "pk")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "programme": programme,
        "page_obj": page,
        "filters": filters,
        "query": query.urlencode(),
        "today": today,
        "overdue_count": ServiceRequest.objects.filter(base_application__call__programme=programme)
        .overdue(today)
        .count(),
        "page_title": _("Service requests"),
    }
    return render(request, "talent/services/queue.html", context)


urlpatterns = [
    path("my/services/", my_services, name="my_services"),
    path("my/services/new/<int:pk>/", service_new, name="service_new"),
    path("services/<int:pk>/", service_request, name="service_request"),
    path("services/<int:pk>/files/<int:file>/", service_download, name="service_download"),
    path("services/<int:pk>/move/<str:transition>/", service_move, name="service_move"),
    path("office/<slug:programme>/services/", service_queue, name="service_queue"),
    path("office/services/<int:pk>/assign/", service_assign, name="service_assign"),
    path("office/services/<int:pk>/due/", service_due, name="service_due"),
    path("office/services/<int:pk>/hand-off/", service_hand_off, name="service_hand_off"),
]
