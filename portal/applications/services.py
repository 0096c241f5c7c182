"""Applications: the only place that changes them. Each action is shaped permission → validate → lock → write →
record (docs/conventions.md): one transaction, the audit log (``applications.*``), a timeline line the applicant
may read, and notifications.

The timeline (``timeline(application)``) holds only applicant-safe lines: the application was started, its
applicant-facing status changed (a line whose verb is the kind's status, so its label is the kind's, in the
reader's language), a supplement was sent. Internal notes and officers' reads never become lines.
"""

import copy

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portal import authority, lifecycle
from portal.authority import Power
from portal.edits import digest, refuse_changed
from portal.files.uploads import DOCUMENTS, StoredFiles, inspect_upload
from portal.history.record import Line, Tell, record, write_line
from portal.history.record import timeline as history_timeline
from portal.notifications.services import notify
from portal.organizations.models import Organization
from portal.text import clean_text, fmt, max_length

from . import answers as stored_answers
from . import kinds, permissions
from .kinds import EngineStatus
from .models import (
    SHANGHAI,
    Application,
    ApplicationState,
    ApplicationVerb,
    Attachment,
    InternalNote,
    ReferenceCounter,
    Submission,
    SubmittedAttachment,
    SupplementRequest,
    SupplementState,
)

# Codes only the engine sets; a domain's set_status/close may not.
ENGINE_ONLY = (EngineStatus.DRAFT, EngineStatus.SUPPLEMENT_REQUESTED, EngineStatus.WITHDRAWN, EngineStatus.EXPIRED)


# --- Reading ---------------------------------------------------------------------------------------------------


def kind_of(application) -> kinds.Kind:
    kind = kinds.get(application.kind)
    if kind is None:
        raise ValidationError(_("This kind of application is no longer offered."), code="kind")
    return kind


def checklist_items(application) -> list:
    checklist = kind_of(application).checklist(application.owner)
    return list(checklist.items.all()) if checklist is not None else []


def missing(application) -> list:
    """What still stops the application from being sent, one message each: steps not filled in or no longer
    valid, required documents without a file."""
    kind = kind_of(application)
    problems = []
    for step in kind.steps:
        stored = application.answers.get(step.code)
        if stored is None:
            problems.append(fmt(_("“%(step)s” is not filled in."), step=step.title))
            continue
        bound = stored_answers.bind(step, stored)
        if not bound.is_valid():
            problems.extend(stored_answers.errors_of(step, bound))
    attached = set(application.attachments.exclude(item=None).values_list("item_id", flat=True))
    for item in checklist_items(application):
        if item.required and item.pk not in attached:
            problems.append(fmt(_("The document “%(name)s” is missing."), name=_item_name(item)))
    return problems


def _item_name(item):
    """The document's name in the reader's language (read when the message is)."""
    return lazy(lambda: item.display_name, str)()


def timeline(application) -> list:
    """The application's dated history as its applicant reads it (oldest first)."""
    return history_timeline(application)


def open_request(application):
    return permissions.open_request(application)


# --- Helpers ---------------------------------------------------------------------------------------------------


def _locked(application) -> Application:
    """Re-read the application FOR UPDATE: every change starts from the row as it is now."""
    return Application.objects.select_for_update().get(pk=application.pk)


def _locked_request(application):
    return (
        SupplementRequest.objects.select_for_update()
        .filter(application=application, state=SupplementState.OPEN)
        .first()
    )


def stored_link(application) -> str:
    with translation.override(None):  # the default language: no /en/ prefix in stored links
        return reverse("applications:detail", args=[application.pk])


def officers(application) -> list:
    return list(authority.holders(application.owner, Power.MANAGE))


def _scope(application):
    """A submitted application's lines go to its owner's stream; a draft is nobody's business but its own."""
    return application.owner if application.was_submitted else application


def _status_line(application, kind) -> Line:
    return Line(
        _scope(application), kind.status_verb(application.status), application.display_title, stored_link(application)
    )


def _next_reference(kind, now) -> str:
    """The next gap-free reference of the kind's prefix in this (Shanghai) year; the counter row stays locked."""
    year = timezone.localtime(now, SHANGHAI).year
    try:
        with transaction.atomic():  # a savepoint: two first submissions of a year may race to create the row
            ReferenceCounter.objects.get_or_create(prefix=kind.reference_prefix, year=year)
    except IntegrityError:
        pass
    counter = ReferenceCounter.objects.select_for_update().get(prefix=kind.reference_prefix, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{kind.reference_prefix}-{year}-{counter.last_number:04d}"


def _freeze(application, actor, now) -> Submission:
    """What is sent now: a copy of the answers and the list of attachments, never changed afterwards."""
    number = application.submissions.count() + 1
    submission = Submission.objects.create(
        application=application,
        number=number,
        submitted_at=now,
        submitted_by=actor,
        answers=copy.deepcopy(application.answers),
    )
    SubmittedAttachment.objects.bulk_create(
        SubmittedAttachment(submission=submission, attachment=attachment)
        for attachment in application.attachments.all()
    )
    return submission


def _send(application, actor, status, hook) -> Submission:
    """The common tail of a submission and of an answered supplement: the status the applicant reads now, what is
    sent frozen, the kind's hook told (inside the transaction)."""
    application.status = status
    application.save()
    submission = _freeze(application, actor, timezone.now())
    if hook is not None:
        hook(application, actor)
    return submission


def _checked_status(kind, status) -> str:
    if status not in kind.statuses.values or status in ENGINE_ONLY:
        raise ValidationError(fmt(_("“%(status)s” is not a status the domain may set."), status=status), code="status")
    return status


def _tell_applicant(application, title):
    return Tell([application.applicant], title=title, url=stored_link(application))


# --- Drafts ----------------------------------------------------------------------------------------------------


@transaction.atomic
def start(*, actor, kind, owner, organization=None) -> Application:
    """A new draft of ``kind`` for ``owner``, or the actor's draft already begun for the same owner and
    organization."""
    kind = kinds.get(kind) if isinstance(kind, str) else kind
    if kind is None or not permissions.can_start(actor, kind, owner):
        raise PermissionDenied
    if not kind.is_open(owner):
        raise ValidationError(_("This call is not accepting applications now."), code="closed")
    linked = Organization.objects.filter(user_links__user=actor).distinct()
    if organization is not None and not linked.filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("Choose an organization you act for.")}, code="organization")
    if kind.needs_organization and organization is None:
        message = _("Choose the organization you apply for.")
        if not linked.exists():
            message = _("Your account is not linked to an organization yet. Link it in your profile first.")
        raise ValidationError({"organization": message}, code="organization")
    existing = Application.objects.filter(
        kind=kind.code,
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=str(owner.pk),
        applicant=actor,
        organization=organization,
        state=ApplicationState.DRAFT,
    ).first()
    if existing is not None:
        return existing
    application = Application.objects.create(kind=kind.code, owner=owner, applicant=actor, organization=organization)
    record(
        "applications.start",
        actor=actor,
        instance=application,
        data={"kind": kind.code, "owner": str(owner.pk), "organization": getattr(organization, "pk", None)},
        line=Line(application, ApplicationVerb.STARTED, application.display_title, stored_link(application)),
    )
    return application


def step_fingerprint(application, code) -> str:
    """What a step form was loaded with (portal/edits.py): its stored answers."""
    return digest(application.answers.get(code))


@transaction.atomic
def save_step(*, actor, application, step, data) -> Application:
    """Keep one step's answers in the draft (or in a section reopened by a request for supplement). ``data`` is
    what the form posts; a formset step also takes a list of row dicts."""
    application = _locked(application)
    if not permissions.can_edit(actor, application):
        raise PermissionDenied
    kind = kind_of(application)
    entry = kind.step(step)
    if entry is None:
        raise ValidationError(_("This step does not exist."), code="step")
    if not permissions.can_edit_step(actor, application, entry.code):
        raise ValidationError(_("This section is not open for changes."), code="closed_section")
    # The same applicant in two tabs or on two devices: a save from a page loaded before the other's is refused.
    loaded = data.get("loaded", "") if hasattr(data, "get") else ""  # a list of rows comes from code, not a page
    refuse_changed(step_fingerprint(application, entry.code), loaded)
    bound = stored_answers.bind(entry, data)
    if not bound.is_valid():
        raise ValidationError(stored_answers.errors_of(entry, bound))
    private = kind.private_fields.get(entry.code, ())
    application.answers = {**application.answers, entry.code: stored_answers.cleaned(entry, bound, private)}
    if kind.title_from is not None:
        application.title = str(kind.title_from(application.answers) or "")[: max_length(Application, "title")]
    application.save()
    record("applications.save_step", actor=actor, instance=application, data={"step": entry.code})
    return application


@transaction.atomic
def add_attachment(*, actor, application, item, upload) -> Attachment:
    """A file for a checklist item (``item`` None: another document). While a supplement is asked for, the file
    belongs to that request."""
    application = _locked(application)
    if not permissions.can_edit(actor, application):
        raise PermissionDenied
    if item is not None and item.pk not in {entry.pk for entry in checklist_items(application)}:
        raise ValidationError({"item": _("This document is not on the application's checklist.")}, code="item")
    checked = inspect_upload(upload, DOCUMENTS)
    with StoredFiles() as stored:
        attachment = Attachment(
            application=application,
            item=item,
            **checked.fields(),
            uploaded_by=actor,
            supplement=_locked_request(application),
        )
        stored.save(attachment.file, upload)
        attachment.save()
        record("applications.add_attachment", actor=actor, instance=application, data=attachment.audit_data())
    return attachment


@transaction.atomic
def remove_attachment(*, actor, attachment) -> None:
    """Remove a file that was never sent."""
    application = _locked(attachment.application)
    attachment = Attachment.objects.get(pk=attachment.pk, application=application)
    if not permissions.can_edit(actor, application):
        raise PermissionDenied
    if attachment.submissions.exists():
        raise ValidationError(_("This file was sent with the application and cannot be removed."), code="sent")
    data = attachment.audit_data()
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
    record("applications.remove_attachment", actor=actor, instance=application, data=data)


# --- Submission ------------------------------------------------------------------------------------------------


@transaction.atomic
def submit(*, actor, application) -> Application:
    """Send the draft: every step re-validated from what is stored, every required document present; then the
    answers and attachments are frozen in Submission 1, the kind's ``on_submit`` runs, officers are told."""
    application = _locked(application)
    lifecycle.take(application, "submit", actor)
    kind = kind_of(application)
    if not kind.is_open(application.owner):
        raise ValidationError(_("This call is no longer accepting applications."), code="closed")
    problems = missing(application)
    if problems:
        raise ValidationError(problems)
    application.submitted_at = timezone.now()
    application.reference = application.reference or _next_reference(kind, application.submitted_at)
    submission = _send(application, actor, EngineStatus.SUBMITTED, kind.on_submit)
    url = stored_link(application)
    record(
        "applications.submit",
        actor=actor,
        instance=application,
        data={"reference": application.reference, "submission": submission.number},
        line=_status_line(application, kind),
        tell=Tell(
            officers(application),
            title=fmt(
                _("New application %(reference)s: %(title)s"),
                reference=application.reference,
                title=application.display_title,
            ),
            url=url,
        ),
    )
    notify(
        [application.applicant],
        title=fmt(_("Your application %(reference)s has been received"), reference=application.reference),
        url=url,
    )
    return application


@transaction.atomic
def request_supplement(*, actor, application, message, deadline, items=(), sections=()) -> SupplementRequest:
    """An officer asks for more (补正): a message, the documents wanted, the sections the applicant may revise,
    and a deadline (today or later; the end of that day in Shanghai)."""
    application = _locked(application)
    lifecycle.take(application, "request_supplement", actor)
    kind = kind_of(application)
    errors = {}
    try:
        message = clean_text(SupplementRequest, {"message": message}, required={"message": _("Say what is needed.")})[
            "message"
        ]
    except ValidationError as error:
        errors.update(error.error_dict)
    if deadline is None or deadline < timezone.localdate(timezone.now(), SHANGHAI):
        errors["deadline"] = [ValidationError(_("The deadline must be today or later."), code="deadline")]
    on_list = {item.pk for item in checklist_items(application)}
    items = list(items)
    if any(item.pk not in on_list for item in items):
        errors["items"] = [ValidationError(_("Ask only for documents on the application's checklist."), code="items")]
    sections = list(sections)
    if any(kind.step(code) is None for code in sections):
        errors["sections"] = [ValidationError(_("Choose sections of this application."), code="sections")]
    if errors:
        raise ValidationError(errors)
    request = SupplementRequest.objects.create(
        application=application,
        message=message,
        sections=sections,
        deadline=deadline,
        requested_by=actor,
        status_before=application.status,
    )
    request.items.set(items)
    application.status = EngineStatus.SUPPLEMENT_REQUESTED
    application.save()
    record(
        "applications.request_supplement",
        actor=actor,
        instance=application,
        data={
            "request": request.pk,
            "deadline": deadline.isoformat(),
            "items": [i.pk for i in items],
            "sections": sections,
        },
        line=_status_line(application, kind),
        tell=Tell(
            [application.applicant],
            title=fmt(_("More material is needed for %(reference)s"), reference=application.reference),
            body=fmt(_("%(text)s\n\nDeadline: %(deadline)s"), text=message, deadline=deadline.isoformat()),
            url=stored_link(application),
        ),
    )
    return request


@transaction.atomic
def answer_supplement(*, actor, application, answer) -> Submission:
    """The applicant answers the open request before its deadline: a new file for each document asked for, the
    whole application valid again; then a new Submission and the status it had before the request."""
    application = _locked(application)
    lifecycle.take(application, "answer_supplement", actor)
    kind = kind_of(application)
    request = _locked_request(application)
    if request.is_overdue():
        raise ValidationError(
            fmt(
                _("The deadline for this request was %(date)s; answers are no longer accepted."),
                date=request.deadline.isoformat(),
            ),
            code="overdue",
        )
    errors = []
    try:
        answer = clean_text(SupplementRequest, {"answer": answer}, required={"answer": _("Write a short answer.")})[
            "answer"
        ]
    except ValidationError as error:
        errors.extend(error.messages)
    renewed = set(request.attachments.exclude(item=None).values_list("item_id", flat=True))
    for item in request.items.all():
        if item.pk not in renewed:
            errors.append(fmt(_("Upload a new “%(name)s” as asked."), name=_item_name(item)))
    errors.extend(missing(application))
    if errors:
        raise ValidationError(errors)
    lifecycle.take(request, "mark_answered")
    request.answer, request.answered_at, request.answered_by = answer, timezone.now(), actor
    request.save()
    submission = _send(application, actor, request.status_before, kind.on_resubmit)
    url = stored_link(application)
    record(
        "applications.answer_supplement",
        actor=actor,
        instance=application,
        data={"request": request.pk, "submission": submission.number},
        line=Line(application.owner, ApplicationVerb.ANSWERED, application.display_title, url),
        tell=Tell(
            officers(application),
            title=fmt(_("%(reference)s: the requested supplement has been sent"), reference=application.reference),
            url=url,
        ),
    )
    write_line(actor=actor, line=_status_line(application, kind), subject=application)
    return submission


def expire_overdue_supplements(now=None) -> int:
    """For a scheduled job: open requests whose deadline day has ended expire, and their applications with them.
    Returns how many expired. Each application in its own transaction, so one failure stops no other."""
    now = now or timezone.now()
    today = timezone.localdate(now, SHANGHAI)
    overdue = SupplementRequest.objects.filter(state=SupplementState.OPEN, deadline__lt=today)
    count = 0
    for application_id in overdue.values_list("application_id", flat=True):
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=application_id)
            request = _locked_request(application)
            if request is None or not request.is_overdue(now) or not application.is_supplement_requested:
                continue
            lifecycle.take(request, "mark_expired")
            request.save()
            lifecycle.take(application, "expire")
            application.status = EngineStatus.EXPIRED
            application.save()
            kind = kind_of(application)
            if kind.on_expire is not None:
                kind.on_expire(application)
            title = fmt(_("%(reference)s: the deadline for the supplement has passed"), reference=application.reference)
            record(
                "applications.expire",
                actor=None,
                instance=application,
                data={"request": request.pk, "deadline": request.deadline.isoformat()},
                line=_status_line(application, kind),
                tell=Tell([application.applicant, *officers(application)], title=title, url=stored_link(application)),
            )
            count += 1
    return count


@transaction.atomic
def withdraw(*, actor, application, reason="") -> Application:
    """The applicant withdraws (a draft, a submitted application, one with a request open)."""
    application = _locked(application)
    lifecycle.take(application, "withdraw", actor)  # who, and from which state (else refused, nothing written)
    kind = kind_of(application)
    if kind.withdrawable is not None and not kind.withdrawable(application):
        raise ValidationError(_("This application can no longer be withdrawn at its present stage."), code="stage")
    reason = clean_text(Application, {"withdrawal_reason": reason})["withdrawal_reason"]
    request = _locked_request(application)
    if request is not None:
        lifecycle.take(request, "cancel")
        request.save()
    application.status = EngineStatus.WITHDRAWN
    application.withdrawal_reason = reason
    application.save()
    if kind.on_withdraw is not None:
        kind.on_withdraw(application, actor)
    told = officers(application) if application.was_submitted else []
    record(
        "applications.withdraw",
        actor=actor,
        instance=application,
        data={"reason": reason},
        line=_status_line(application, kind),
        tell=Tell(
            told,
            title=fmt(_("%(reference)s has been withdrawn"), reference=application.reference or ""),
            body=reason,
            url=stored_link(application),
        ),
    )
    return application


# --- What the domain decides -----------------------------------------------------------------------------------


@transaction.atomic
def set_status(*, application, status, actor=None) -> Application:
    """The domain's internal state changed: show the applicant the status that goes with it (e.g. "under
    review" for due diligence). A timeline line and a notification only when what the applicant reads changes;
    while a supplement is open, the status is kept for when it is answered. The domain checked who may."""
    application = _locked(application)
    kind = kind_of(application)
    status = _checked_status(kind, status)
    if application.state in (ApplicationState.DRAFT, ApplicationState.WITHDRAWN, ApplicationState.EXPIRED):
        raise lifecycle.refused(application)
    if application.is_supplement_requested:
        request = _locked_request(application)
        request.status_before = status
        request.save(update_fields=["status_before"])
        record("applications.set_status", actor=actor, instance=application, data={"status": status, "deferred": True})
        return application
    if status == application.status:
        return application
    application.status = status
    application.save()
    _record_status(application, kind, actor, "applications.set_status")
    return application


@transaction.atomic
def close(*, application, status, actor=None) -> Application:
    """The domain decided (approved, not approved …): the application is final; an open request is cancelled."""
    application = _locked(application)
    kind = kind_of(application)
    status = _checked_status(kind, status)
    lifecycle.take(application, "close")
    request = _locked_request(application)
    if request is not None:
        lifecycle.take(request, "cancel")
        request.save()
    changed = status != application.status
    application.status = status
    application.save()
    if changed:
        _record_status(application, kind, actor, "applications.close")
    else:
        record("applications.close", actor=actor, instance=application, data={"status": status})
    return application


def _record_status(application, kind, actor, action):
    record(
        action,
        actor=actor,
        instance=application,
        data={"status": application.status},
        line=_status_line(application, kind),
        tell=_tell_applicant(
            application,
            fmt(
                _("%(reference)s: %(status)s"),
                reference=application.reference,
                status=kind.status_label(application.status),
            ),
        ),
    )


def record_reveal(*, actor, application) -> None:
    """An officer read the application's personal identifiers in full: who and when, never the values."""
    if not permissions.can_reveal_private(actor, application):
        raise PermissionDenied
    record("applications.reveal_private", actor=actor, instance=application, data={"reference": application.reference})


@transaction.atomic
def add_note(*, actor, application, text) -> InternalNote:
    """An officer's internal note: audited, never shown to the applicant, never on the timeline."""
    if not permissions.can_see_notes(actor, application):
        raise PermissionDenied
    text = clean_text(InternalNote, {"text": text}, required={"text": _("Write the note.")})["text"]
    note = InternalNote.objects.create(application=application, author=actor, text=text)
    record("applications.add_note", actor=actor, instance=application, data={"note": note.pk})
    return note
