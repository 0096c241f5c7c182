"""Service requests (服务申请) of admitted teams: asked for, assigned, worked on, closed, reminded when late.

The due date comes from the kind's SLA in working days (talent/sla.py); an officer may move it, with a reason,
around public holidays. The team follows its request's state, officer, due date and outcome; the reasons officers
give each other (due-date moves, assignments) stay in the programme's history, which the team never reads. A
completed financing introduction is handed to the fund's pipeline through ``portal.handoffs`` (talent never
imports the fund).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import handoffs, lifecycle
from portal.files.uploads import DOCUMENTS, StoredFiles, inspect_upload
from portal.history.record import Line, Tell, record
from portal.text import clean_text, fmt

from .. import permissions, sla
from ..models import BaseApplication, ServiceAttachment, ServiceKind, ServiceRequest
from ..verbs import TalentVerb

# Audit-log actions of this module: {action: (label, message)}; registered in talent/wagtail_hooks.py.
ACTIONS = {
    "talent.request_service": (_("Request service"), _("Service requested")),
    "talent.assign_service": (_("Assign service request"), _("Service request assigned")),
    "talent.move_service": (_("Move service request"), _("Service request moved to another state")),
    "talent.set_service_due": (_("Move service due date"), _("Service request's due date moved")),
    "talent.remind_service": (_("Remind of overdue service"), _("Overdue service request reminded")),
    "talent.hand_off_service": (_("Hand financing to the fund"), _("Financing introduction handed to the fund")),
    "talent.download_service_file": (_("Download service file"), _("Service request file downloaded")),
}

# The names a URL may give a move: the transitions declared on ServiceRequest, nothing else.
TRANSITIONS = frozenset(t.name for t in ServiceRequest._meta.get_field("state").get_all_transitions(ServiceRequest))
MAX_ATTACHMENTS = 5
REASON_MAX = 500
FINANCING_CHANNEL = "financing"


def _locked(service_request) -> ServiceRequest:
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("base_application__call__programme", "base_application__application", "assigned_to")
        .get(pk=service_request.pk)
    )


def _officers(programme, actor=None):
    return [officer for officer in programme.officers.all() if actor is None or officer.pk != actor.pk]


def _kind_label(service_request):
    return ServiceKind(service_request.kind).label  # lazy: each reader gets their own language


# --- asking -------------------------------------------------------------------------------------------------------


@transaction.atomic
def request_service(*, actor, base, kind, details, files=()):
    """An admitted team asks for a service, with details and up to five attachments; the officers are told."""
    base = (
        BaseApplication.objects.select_for_update(of=("self",))
        .select_related("application", "call__programme")
        .get(pk=base.pk)
    )
    if not permissions.can_request_service(actor, base):
        raise PermissionDenied
    errors = {}
    if kind not in ServiceKind.values:
        errors["kind"] = [_("Choose a service from the list.")]
    try:
        details = clean_text(ServiceRequest, {"details": details}, required={"details": _("Say what you need.")})[
            "details"
        ]
    except ValidationError as error:
        errors.update(error.message_dict)
    files = [upload for upload in files or () if upload is not None]
    if len(files) > MAX_ATTACHMENTS:
        errors["files"] = [fmt(_("Attach at most %(count)s files."), count=MAX_ATTACHMENTS)]
    if errors:
        raise ValidationError(errors)
    checked = [inspect_upload(upload, DOCUMENTS, field_name="files") for upload in files]
    # A second open request for the same service (a double-clicked submit, most often) is refused.
    if base.service_requests.open().filter(kind=kind).exists():
        raise ValidationError(
            {"kind": _("You already have an open request for this service: follow it, or withdraw it first.")}
        )
    now = timezone.now()
    service_request = ServiceRequest.objects.create(
        base_application=base,
        kind=kind,
        details=details,
        requested_by=actor,
        requested_at=now,
        due_on=sla.due_on(kind, timezone.localdate(now)),
    )
    with StoredFiles() as stored:
        for upload, found in zip(files, checked, strict=True):
            attachment = ServiceAttachment(service_request=service_request, uploaded_by=actor, **found.fields())
            stored.save(attachment.file, upload)
            attachment.save()
    programme = base.call.programme
    url = service_request.get_absolute_url()
    record(
        "talent.request_service",
        actor=actor,
        instance=service_request,
        data={"kind": kind, "due_on": service_request.due_on.isoformat(), "files": len(files)},
        line=Line(programme, TalentVerb.REQUESTED_SERVICE, str(service_request), url),
        tell=Tell(
            _officers(programme),
            title=fmt(
                _("%(team)s requests a service: %(kind)s"), team=base.team_name, kind=_kind_label(service_request)
            ),
            body=details,
            url=url,
        ),
    )
    return service_request


# --- the office's work ----------------------------------------------------------------------------------------------


@transaction.atomic
def assign(*, actor, service_request, assignee):
    """An officer of the programme gives the request to an officer of the same programme, who is told."""
    service_request = _locked(service_request)
    if not permissions.handles_service_request(actor, service_request):
        raise PermissionDenied
    if not service_request.is_open:
        raise lifecycle.refused(service_request)
    programme = service_request.base_application.call.programme
    if assignee is None or not programme.officers.filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": _("Choose an officer of this programme.")})
    if service_request.assigned_to_id == assignee.pk:
        raise ValidationError({"assignee": _("The request is already assigned to this officer.")})
    service_request.assigned_to = assignee
    service_request.save(update_fields=["assigned_to"])
    url = service_request.get_absolute_url()
    record(
        "talent.assign_service",
        actor=actor,
        instance=service_request,
        data={"assignee": assignee.pk},
        line=Line(programme, TalentVerb.ASSIGNED_SERVICE, f"{service_request} → {assignee.display_name}", url),
        tell=Tell(
            [assignee] if assignee.pk != actor.pk else [],
            title=fmt(
                _("A service request is yours: %(kind)s for %(team)s"),
                kind=_kind_label(service_request),
                team=service_request.base_application.team_name,
            ),
            url=url,
        ),
    )
    return service_request


MOVE_TITLES = {
    "start": _("The base has started on your request: %(kind)s"),
    "complete": _("Your service request is done: %(kind)s"),
    "decline": _("Your service request was declined: %(kind)s"),
    "withdraw": _("%(team)s withdrew a service request: %(kind)s"),
}


@transaction.atomic
def move(*, actor, service_request, transition, outcome="", reason=""):
    """Take a declared transition: start, complete (the outcome is required), decline (the reason is required),
    withdraw (the team, before work starts). A completed financing introduction goes to the fund."""
    if transition not in TRANSITIONS:
        raise ValidationError(_("This cannot be done to a service request."), code="transition")
    service_request = _locked(service_request)
    lifecycle.take(service_request, transition, actor)
    if transition == "complete":
        service_request.outcome = clean_text(
            ServiceRequest, {"outcome": outcome}, required={"outcome": _("Say what was done for the team.")}
        )["outcome"]
    elif transition == "decline":
        service_request.outcome = clean_text(
            ServiceRequest, {"outcome": reason}, required={"outcome": _("Give the team the reason.")}
        )["outcome"]
    if transition == "start" and service_request.assigned_to_id is None:
        service_request.assigned_to = actor  # whoever starts the work answers for it
    service_request.save()
    base = service_request.base_application
    programme = base.call.programme
    url = service_request.get_absolute_url()
    if transition == "withdraw":
        told = [service_request.assigned_to] if service_request.assigned_to_id else _officers(programme)
    else:
        told = [base.application.applicant]
    record(
        "talent.move_service",
        actor=actor,
        instance=service_request,
        data={"transition": transition, "state": service_request.state},
        line=Line(
            programme, TalentVerb.MOVED_SERVICE, f"{service_request} → {lifecycle.state_label(service_request)}", url
        ),
        tell=Tell(
            told,
            title=fmt(MOVE_TITLES[transition], kind=_kind_label(service_request), team=base.team_name),
            body=service_request.outcome if transition in ("complete", "decline") else "",
            url=url,
        ),
    )
    if transition == "complete" and service_request.kind == ServiceKind.FINANCING:
        _hand_off(actor, service_request)
    return service_request


@transaction.atomic
def hand_to_fund(*, actor, service_request):
    """The officer hands a financing introduction to the fund before (or without) completing it."""
    service_request = _locked(service_request)
    if not permissions.can_hand_to_fund(actor, service_request):
        raise PermissionDenied
    if service_request.handoff_reference:
        raise ValidationError(_("This request has already been handed to the fund."), code="twice")
    if not _hand_off(actor, service_request):
        raise ValidationError(
            _(
                "The fund did not take the request: no fund accepts applications now, or the team has no "
                "registered company (with a valid USCC) yet."
            ),
            code="not_received",
        )
    return service_request


def _hand_off(actor, service_request) -> str:
    """Send the team's project to the fund's pipeline; keep and record the reference (empty when not received)."""
    base = service_request.base_application
    project = base.application.answers.get("project", {}) or {}
    payload = {
        "team_name": base.team_name,
        "company_name": base.company_name,
        "uscc": base.uscc,
        "project_stage": base.project_stage,
        "amount": project.get("funding_need"),
        "summary": "\n".join(
            part for part in (project.get("title", ""), service_request.details, service_request.outcome) if part
        ),
        "actor": actor,
    }
    reference = handoffs.send(FINANCING_CHANNEL, payload) or ""
    if reference:
        service_request.handoff_reference = reference
        service_request.save(update_fields=["handoff_reference"])
        record(
            "talent.hand_off_service",
            actor=actor,
            instance=service_request,
            data={"reference": reference},
            line=Line(
                base.call.programme,
                TalentVerb.HANDED_OFF_SERVICE,
                f"{base.team_name} → {reference}",
                service_request.get_absolute_url(),
            ),
        )
    return reference


@transaction.atomic
def set_due_on(*, actor, service_request, due_on, reason):
    """An officer moves the due date (public holidays, a third party's delay), saying why; the team reads the new
    date, the reason stays in the programme's history."""
    service_request = _locked(service_request)
    if not permissions.handles_service_request(actor, service_request):
        raise PermissionDenied
    if not service_request.is_open:
        raise lifecycle.refused(service_request)
    reason = clean_text(
        ServiceRequest,
        {"reason": reason},
        required={"reason": _("Say why the due date moves.")},
        limits={"reason": REASON_MAX},
    )["reason"]
    if due_on is None:
        raise ValidationError({"due_on": _("Give the new due date.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    if due_on == service_request.due_on:
        raise ValidationError({"due_on": _("This is already the due date.")})
    before = service_request.due_on
    service_request.due_on = due_on
    service_request.reminded_on = None  # a new date earns a new reminder when it too passes
    service_request.save(update_fields=["due_on", "reminded_on"])
    record(
        "talent.set_service_due",
        actor=actor,
        instance=service_request,
        data={"from": before.isoformat(), "to": due_on.isoformat(), "reason": reason},
        line=Line(
            service_request.base_application.call.programme,
            TalentVerb.MOVED_SERVICE_DUE,
            f"{service_request} · {before.isoformat()} → {due_on.isoformat()}: {reason}",
            service_request.get_absolute_url(),
        ),
    )
    return service_request


# --- reminders ------------------------------------------------------------------------------------------------------


@transaction.atomic
def remind_overdue(now=None) -> list[ServiceRequest]:
    """Tell the assignee (or, unassigned, every officer of the programme) about each open request past its due
    date: once a day per request (Asia/Shanghai), recorded in ``reminded_on``. The team is told nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = (
        ServiceRequest.objects.overdue(today)
        .exclude(reminded_on=today)
        .select_for_update(of=("self",))
        .select_related("base_application__call__programme", "assigned_to")
        .order_by("pk")
    )
    reminded = []
    for service_request in overdue:
        service_request.reminded_on = today
        service_request.save(update_fields=["reminded_on"])
        programme = service_request.base_application.call.programme
        record(
            "talent.remind_service",
            actor=None,
            instance=service_request,
            data={
                "due_on": service_request.due_on.isoformat(),
                "late": sla.working_days_late(service_request.due_on, today),
            },
            tell=Tell(
                [service_request.assigned_to] if service_request.assigned_to_id else _officers(programme),
                title=fmt(
                    _("Overdue since %(due)s: %(kind)s for %(team)s"),
                    due=service_request.due_on.isoformat(),
                    kind=_kind_label(service_request),
                    team=service_request.base_application.team_name,
                ),
                url=service_request.get_absolute_url(),
            ),
        )
        reminded.append(service_request)
    return reminded


def officers_of(service_request):
    """Whom the request may be assigned to: the programme's officers."""
    return get_user_model().objects.filter(talent_programmes=service_request.base_application.call.programme)
