"""Public notice (公示) of a special-talent candidate and the objections to it (公示异议), then the step to filing.

The talent work meeting's vote puts a candidate on notice (deliberations.close_item) for the programme's
``notice_days``, both days inclusive (Asia/Shanghai). While the period runs anyone may lodge an objection from the
public notice page: a name, a way to reach them (phone or email), the grounds and, if they have it, evidence. The
programme's officers record how each objection was investigated and then resolve it (upheld or dismissed). When the
period is over and no objection is left unresolved, an officer sends the application for filing; the filing form is
drafted in the same transaction (filing.draft_filing_form), so an application in filing always has its form.

An upheld objection is the ground the ``reject`` transition's guard reads (talent/models/special.py).
Nothing here writes the candidate's identifiers anywhere, nor what the objector typed into an audit entry or a
notification: they name the candidate and link to the office's page.
"""

import datetime
import mimetypes
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.files.uploads import MEGABYTE, Accepted, StoredFiles, inspect_upload
from portal.history.record import Line, Tell, record
from portal.text import clean_text, fmt

from .. import permissions
from ..models import Objection, ObjectionOutcome, ObjectionState, SpecialStage, SpecialTalentApplication
from ..verbs import TalentVerb
from .special import locked, move

ACTIONS = {
    "talent.lodge_objection": (_("Lodge an objection during public notice"), _("Objection lodged")),
    "talent.investigate_objection": (_("Record how an objection is investigated"), _("Objection under investigation")),
    "talent.resolve_objection": (_("Resolve an objection"), _("Objection resolved")),
    "talent.download_objection_evidence": (_("Download an objection's evidence"), _("Objection evidence downloaded")),
    "talent.notice_ended": (_("Public notice period ends"), _("Public notice period ended")),
}

# What anyone may attach to an objection: a document or a picture, smaller than the site's documents (it comes from
# an anonymous form).
EVIDENCE = Accepted(
    types={"pdf": {"pdf"}, "docx": {"docx"}, "png": {"png"}, "jpg": {"jpg", "jpeg"}},
    max_size=10 * MEGABYTE,
    described=_("This type of file is not accepted as evidence. Upload a PDF, Word (.docx), PNG or JPEG file."),
)

# Digits with the separators people write in phone numbers (+86 755-1234 5678, (0755) 12345678).
PHONE = re.compile(r"^\+?[\d\s\-()]*\d[\d\s\-()]*$")


def period_problem(special):
    """Why no objection can be lodged now, as a message; None while the period runs."""
    today = timezone.localdate()
    if permissions.can_lodge_objection(special):
        return None
    if special.notice_ends_on is not None and today > special.notice_ends_on:
        return fmt(
            _("The public notice period ended on %(day)s: objections are no longer accepted."),
            day=special.notice_ends_on.isoformat(),
        )
    if special.notice_starts_on is not None and today < special.notice_starts_on:
        return fmt(
            _("The public notice period starts on %(day)s: objections are accepted from that day."),
            day=special.notice_starts_on.isoformat(),
        )
    return _("This candidate is not on public notice: objections are not accepted.")


def evidence_type(name) -> str:
    """The content type of stored evidence: its extension agrees with its sniffed content (checked at upload)."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _contact(phone, email) -> dict:
    errors = {}
    if not phone and not email:
        errors["phone"] = _("Give a phone number or an email address, so the officers can reach you.")
    if phone and not PHONE.match(phone):
        errors["phone"] = _("Enter a phone number with digits only (spaces, dashes, brackets and + are fine).")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address.")
    return errors


@transaction.atomic
def lodge_objection(*, special, name, phone, email, grounds, evidence=None, actor=None):
    """Anyone's objection to a candidate on public notice, only while the period runs. ``actor`` is the logged-in
    person when there is one (views pass it); the objection is anyone's all the same."""
    actor = actor if actor is not None and actor.is_authenticated else None
    special = locked(special)
    problem = period_problem(special)
    if problem is not None:
        raise ValidationError(problem, code="period")
    values = clean_text(
        Objection,
        {"name": name, "phone": phone, "email": email, "grounds": grounds},
        required={
            "name": _("Give your name."),
            "grounds": _("Give the grounds of your objection."),
        },
    )
    errors = _contact(values["phone"], values["email"])
    if errors:
        raise ValidationError(errors)
    checked = inspect_upload(evidence, EVIDENCE, field_name="evidence") if evidence else None
    if special.objections.filter(name=values["name"], grounds=values["grounds"]).exists():
        raise ValidationError(_("This objection has already been received: it will be investigated."), code="twice")
    with StoredFiles() as stored:
        objection = Objection(application=special, lodged_at=timezone.now(), **values)
        if checked is not None:
            stored.save(objection.evidence, evidence, name=checked.name)
        objection.save()
        programme = special.call.programme
        record(
            "talent.lodge_objection",
            actor=actor,
            instance=special,
            data={"objection": objection.pk, "evidence": checked is not None},
            line=Line(programme, TalentVerb.LODGED_OBJECTION, special.candidate_name, special.get_absolute_url()),
            tell=Tell(
                programme.officers.all(),
                title=fmt(_("An objection to the public notice of %(name)s"), name=special.candidate_name),
                body=_("Record how it is investigated and resolved: filing waits until it is."),
                url=special.get_absolute_url(),
            ),
        )
    return objection


def locked_objection(objection) -> Objection:
    """The objection's row and its application's, locked until the transaction ends."""
    special = locked(objection.application)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    objection.application = special
    return objection


def _handled(actor, objection) -> Objection:
    """The objection, locked, for one of the programme's officers while its candidate is still on notice."""
    objection = locked_objection(objection)
    if not permissions.handles_objection(actor, objection):
        raise PermissionDenied
    special = objection.application
    if special.stage != SpecialStage.NOTICE:
        raise ValidationError(
            fmt(
                _("The application is no longer on public notice: it is %(stage)s."), stage=special.get_stage_display()
            ),
            code="stage",
        )
    return objection


def _recorded(action, verb, *, actor, objection, **data):
    """On the application's record: the objection's number and what was decided, never what anyone wrote."""
    special = objection.application
    url = special.get_absolute_url()
    line = Line(special.call.programme, verb, special.candidate_name, url)
    record(action, actor=actor, instance=special, data={"objection": objection.pk, **data}, line=line)
    return objection


@transaction.atomic
def investigate(*, actor, objection, investigation):
    """An officer records how the objection is being investigated (whom they asked, what they checked)."""
    objection = _handled(actor, objection)
    if objection.state != ObjectionState.RECEIVED:
        raise ValidationError(
            fmt(
                _("The investigation of this objection is already recorded; it is now: %(state)s."),
                state=objection.get_state_display(),
            ),
            code="state",
        )
    objection.investigation = clean_text(
        Objection,
        {"investigation": investigation},
        required={"investigation": _("Say how the objection is being investigated.")},
    )["investigation"]
    objection.state = ObjectionState.INVESTIGATING
    objection.save(update_fields=["investigation", "state"])
    return _recorded(
        "talent.investigate_objection", TalentVerb.INVESTIGATED_OBJECTION, actor=actor, objection=objection
    )


@transaction.atomic
def resolve(*, actor, objection, outcome, resolution):
    """An officer resolves an investigated objection, once: upheld (the application may then be rejected) or
    dismissed, with the resolution in writing."""
    objection = _handled(actor, objection)
    if objection.state == ObjectionState.RESOLVED:
        raise ValidationError(
            fmt(
                _("This objection was already resolved on %(day)s: %(outcome)s."),
                day=timezone.localdate(objection.resolved_at).isoformat(),
                outcome=objection.get_outcome_display(),
            ),
            code="resolved",
        )
    if objection.state != ObjectionState.INVESTIGATING:
        raise ValidationError(_("Record how the objection was investigated first."), code="state")
    if outcome not in ObjectionOutcome.values:
        raise ValidationError({"outcome": _("Choose whether the objection is upheld or dismissed.")})
    objection.resolution = clean_text(
        Objection,
        {"resolution": resolution},
        required={"resolution": _("Give the resolution and its reasons.")},
    )["resolution"]
    objection.outcome = outcome
    objection.state = ObjectionState.RESOLVED
    objection.resolved_at = timezone.now()
    objection.resolved_by = actor
    objection.save(update_fields=["resolution", "outcome", "state", "resolved_at", "resolved_by"])
    return _recorded(
        "talent.resolve_objection", TalentVerb.RESOLVED_OBJECTION, actor=actor, objection=objection, outcome=outcome
    )


@transaction.atomic
def send_to_filing(*, actor, special):
    """The period is over and every objection is resolved (the transition's guards say which is missing): the
    application goes to filing with the city, and its filing form is drafted for the director to sign."""
    from .filing import draft_filing_form

    special = locked(special)
    if not permissions.runs_special_application(actor, special):
        raise PermissionDenied
    special = move(special, "send_to_filing", actor)
    draft_filing_form(actor=actor, special=special)
    return special


def announce_ended_notices(today) -> list:
    """The morning after a candidate's public notice period ends, tell the programme's officers that the next step is
    theirs: resolve the objections still open, then send the application for filing. Run daily by the worker
    (talent/jobs.py)."""
    ended = (
        SpecialTalentApplication.objects.filter(
            stage=SpecialStage.NOTICE, notice_ends_on=today - datetime.timedelta(days=1)
        )
        .select_related("call__programme")
        .order_by("pk")
    )
    announced = []
    for special in ended:
        unresolved = special.objections.exclude(state=ObjectionState.RESOLVED).count()
        record(
            "talent.notice_ended",
            actor=None,
            instance=special,
            data={"notice_ends_on": special.notice_ends_on.isoformat(), "unresolved_objections": unresolved},
            tell=Tell(
                list(special.call.programme.officers.all()),
                title=fmt(_("Public notice ended: %(candidate)s"), candidate=special.candidate_name),
                body=(
                    fmt(_("%(count)s objection(s) are still to be resolved before filing."), count=unresolved)
                    if unresolved
                    else _("No objection is open: the application can be sent for filing.")
                ),
                url=special.get_absolute_url(),
            ),
        )
        announced.append(special)
    return announced
