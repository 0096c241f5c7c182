"""Filing with the city HR bureau (备案) and the decision on a special-talent application.

Where the filing form (备案表) is drafted: in ``notices.send_to_filing``, inside its transaction, right after the
application enters the filing stage (``draft_filing_form`` below): the form states a procedure that is complete —
the notice period over, every objection resolved — and an application in filing always has one. It is a bilingual
opinion of the programme's issuer (the decision letters' issuer, letters.draft_bilingual), signed by the
programme's director and issued by an officer on portal.opinions' own pages, as a numbered, verifiable PDF. It
shows the candidate's ID number masked, never in full, and never the date of birth.

Then an officer records the city's filing number and date (once), and decides: approval needs the filing recorded
(the ``approve`` transition's guard) and the quota or transfer reference; a rejection needs its reasons. Both go
through special.move(), which closes the employer's application with its status.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.history.record import Line, record
from portal.opinions import services as opinions
from portal.opinions.models import OpinionKind
from portal.text import clean_text, fmt

from .. import permissions
from ..models import MissedCriterion, ObjectionOutcome, SpecialStage, SpecialTalentApplication
from ..review import rounds_of
from ..verbs import TalentVerb
from .letters import draft_bilingual
from .special import locked, move

ACTIONS = {
    "talent.draft_filing_form": (_("Draft a special-talent filing form"), _("Filing form drafted")),
    "talent.record_filing": (_("Record a filing with the city"), _("Filing recorded")),
}

DECISIONS = ("approve", "reject")
# To whom the filing form is addressed.
CITY_BUREAU = "深圳市人力资源和社会保障局"


# --- the filing form --------------------------------------------------------------------------------------------


def procedure(special) -> dict:
    """What the filing form states about the procedure: the dates of each step and how the objections ended.
    Names no expert, no score, no vote and no objector."""
    from portal.reviews.models import RoundState

    panel = rounds_of(special).filter(state=RoundState.CLOSED).first()
    item = special.last_item
    objections = list(special.objections.all())
    return {
        "submitted_at": special.application.submitted_at,
        "pre_reviewed_at": special.pre_reviewed_at,
        "authority": special.authority.organization if special.authority_id else None,
        "panel_closed_at": panel.closed_at if panel else None,
        "meeting": item.deliberation if item else None,
        "objections": len(objections),
        "upheld": sum(1 for objection in objections if objection.outcome == ObjectionOutcome.UPHELD),
        "dismissed": sum(1 for objection in objections if objection.outcome == ObjectionOutcome.DISMISSED),
    }


def _in(language, special, steps):
    with translation.override(language):
        title = gettext("Special-talent filing form: %(name)s") % {"name": special.candidate_name}
        context = {
            "special": special,
            "steps": steps,
            "missed": [str(MissedCriterion(code).label) for code in special.missed_criteria],
            "language": language,
        }
        body = render_to_string("talent/filing/form_body.html", context)
    return title, body


def draft_filing_form(*, actor, special):
    """Drafted inside send_to_filing's transaction: the form, in Chinese then English, sent to the director."""
    programme = special.call.programme
    if programme.director_id is None:
        raise ValidationError(_("The programme has no director to sign its filing forms: name one in the admin."))
    if special.filing_form_id is not None:
        raise ValidationError(_("This application already has a filing form."), code="twice")
    steps = procedure(special)
    # The district's decision (the talent work meeting's, after the notice) as sent to the city for filing.
    opinion = draft_bilingual(
        actor=actor,
        programme=programme,
        render=lambda language: _in(language, special, steps),
        kind=OpinionKind.FILING_FORM,
        addressee=CITY_BUREAU,
        subject=special,
    )
    special.filing_form = opinion
    special.save(update_fields=["filing_form"])
    record(
        "talent.draft_filing_form",
        actor=actor,
        instance=special,
        data={"opinion": opinion.pk},
        line=Line(programme, TalentVerb.DRAFTED_FILING_FORM, opinion.title, opinions.detail_url(opinion)),
    )
    return opinion


# --- the filing and the decision --------------------------------------------------------------------------------


def _in_filing(special):
    if special.stage != SpecialStage.FILING:
        raise lifecycle.refused(special)


@transaction.atomic
def record_filing(*, actor, special, filing_number, filed_on):
    """The city's filing number and date, recorded once: a filing is a fact, not a draft."""
    special = locked(special)
    if not permissions.runs_special_application(actor, special):
        raise PermissionDenied
    if special.filing_number:
        raise ValidationError(
            fmt(
                _("The filing is already recorded as %(number)s on %(day)s; it cannot be changed."),
                number=special.filing_number,
                day=special.filed_on.isoformat(),
            ),
            code="twice",
        )
    _in_filing(special)
    number = clean_text(
        SpecialTalentApplication,
        {"filing_number": filing_number},
        required={"filing_number": _("Give the filing number the city HR bureau gave.")},
    )["filing_number"]
    today = timezone.localdate()
    if filed_on is None:
        raise ValidationError({"filed_on": _("Give the day the city filed it.")})
    if filed_on > today:
        raise ValidationError({"filed_on": _("The filing day cannot be in the future.")})
    if special.notice_ends_on is not None and filed_on <= special.notice_ends_on:
        raise ValidationError(
            {
                "filed_on": fmt(
                    _("The public notice ran until %(day)s: the filing comes after it."),
                    day=special.notice_ends_on.isoformat(),
                )
            }
        )
    special.filing_number, special.filed_on = number, filed_on
    special.save(update_fields=["filing_number", "filed_on"])
    record(
        "talent.record_filing",
        actor=actor,
        instance=special,
        data={"filing_number": number, "filed_on": filed_on.isoformat()},
        line=Line(
            special.call.programme,
            TalentVerb.RECORDED_FILING,
            f"{special.candidate_name} · {number}",
            special.get_absolute_url(),
        ),
    )
    return special


@transaction.atomic
def decide(*, actor, special, decision, reason, quota_reference=""):
    """Approve (the filing recorded; the quota or transfer reference given) or reject (with reasons: an upheld
    objection at notice, or the city's refusal at filing). The declaration checks the state and the ground."""
    special = locked(special)
    if not permissions.runs_special_application(actor, special):
        raise PermissionDenied
    if decision not in DECISIONS:
        raise ValidationError(_("Choose approve or reject."), code="decision")
    required = {"decision_reason": _("Give the reasons for rejecting the application.")}
    if decision == "approve":
        required = {"quota_reference": _("Give the quota or transfer reference of the approval.")}
    values = clean_text(
        SpecialTalentApplication,
        {"decision_reason": reason, "quota_reference": quota_reference if decision == "approve" else ""},
        required=required,
    )
    special.decision_reason = values["decision_reason"]
    special.quota_reference = values["quota_reference"]
    return move(special, decision, actor, data={"quota_reference": special.quota_reference})
