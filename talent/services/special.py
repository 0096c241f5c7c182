"""Services of special-talent applications (特殊人才): the engine's hooks, the stage changes, the pre-review and the
audited reading of the candidate's identifiers.

The applications engine runs the employer's side (drafts, checklist, submission, supplements, withdrawal, expiry);
the hooks here (registered with the kind in talent/special_kind.py) open and close the ``SpecialTalentApplication``
beside it. Every stage change is taken through its declaration (who, when), keeps the time spent in each stage
(``StageVisit``), sets the status the employer reads and is recorded. The meeting's vote, the public notice, the
filing and the documents have their own modules (deliberations.py, notices.py, filing.py, panel.py).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.applications import services as applications
from portal.applications.answers import opened
from portal.history.record import Line, Tell, record
from portal.text import clean_text, fmt
from themes.models import Theme

from .. import permissions
from ..models import MissedCriterion, SectorAuthority, SpecialStage, SpecialTalentApplication, StageVisit
from ..statuses import SPECIAL_DECIDED, special_status_for
from ..verbs import TalentVerb

ACTIONS = {
    "talent.receive_special": (_("Receive special-talent application"), _("Special-talent application received")),
    "talent.move_special": (_("Move special-talent application"), _("Special-talent application moved")),
    "talent.reveal_identity": (
        _("Read a candidate's identifiers"),
        _("Candidate's full ID number and birth date read"),
    ),
}

MOVE_VERBS = {
    "pass_pre_review": TalentVerb.PRE_REVIEWED,
    "decline": TalentVerb.PRE_REVIEWED,
    "send_to_deliberation": TalentVerb.MOVED_SPECIAL,
    "put_on_notice": TalentVerb.DELIBERATED,
    "send_to_filing": TalentVerb.MOVED_SPECIAL,
    "approve": TalentVerb.MOVED_SPECIAL,
    "reject": TalentVerb.MOVED_SPECIAL,
}


def locked(special) -> SpecialTalentApplication:
    """The application's row, locked until the transaction ends, with what its rules read."""
    return (
        SpecialTalentApplication.objects.select_for_update(of=("self",))
        .select_related("application", "call__programme", "authority")
        .get(pk=special.pk)
    )


def authority_for(programme, theme):
    """The bureau the programme names for the sector (the first by name when two claim it), or None."""
    return SectorAuthority.objects.filter(programme=programme, themes=theme).order_by("organization__name").first()


def _enter(special, now):
    StageVisit.objects.filter(application=special, left_at__isnull=True).update(left_at=now)
    StageVisit.objects.create(application=special, stage=special.stage, entered_at=now)


# --- the engine's hooks -------------------------------------------------------------------------------------------


def special_from_application(application, actor):
    """``on_submit``: the sent application goes to the pre-review of its sector's authority."""
    candidate = opened(application.answers.get("candidate") or {})
    case = application.answers.get("case") or {}
    theme = Theme.objects.get(pk=candidate["theme"])
    call = application.owner
    now = timezone.now()
    special = SpecialTalentApplication.objects.create(
        application=application,
        call=call,
        employer=application.organization,
        candidate_name=candidate["name"],
        candidate_name_en=candidate.get("name_en", ""),
        field=candidate.get("field", ""),
        theme=theme,
        missed_criteria=[code for code in case.get("missed_criteria", []) if code in MissedCriterion.values],
        id_kind=candidate["id_kind"],
        id_number=candidate["id_number"],
        birth_date=candidate["birth_date"],
        authority=authority_for(call.programme, theme),
        stage_changed_at=now,
    )
    _enter(special, now)
    record(
        "talent.receive_special",
        actor=actor,
        instance=special,
        data={"application": application.pk, "reference": application.reference},
        line=Line(
            call.programme,
            TalentVerb.RECEIVED_SPECIAL,
            f"{application.reference} · {special.candidate_name}",
            special.get_absolute_url(),
        ),
        # The sector's pre-reviewers learn that it waits for them (the officers are told by the engine).
        tell=Tell(
            list(special.authority.reviewers.all()) if special.authority_id else [],
            title=fmt(
                _("A special-talent application waits for your pre-review: %(reference)s"),
                reference=application.reference,
            ),
            url=special.get_absolute_url(),
        ),
    )
    return special


def _ended_by_engine(application, name, actor):
    special = getattr(application, "special_application", None)
    if special is None:
        return
    special = locked(special)
    lifecycle.take(special, name)
    now = timezone.now()
    special.stage_changed_at = now
    special.save()
    _enter(special, now)
    record("talent.move_special", actor=actor, instance=special, data={"stage": special.stage})


def withdrawable(application) -> bool:
    """``withdrawable``: before the district's procedure has gone past the panel (a draft always)."""
    special = getattr(application, "special_application", None)
    return special is None or special.stage in (SpecialStage.PRE_REVIEW, SpecialStage.PANEL)


def expire_special(application):
    """``on_expire``: the employer did not answer a request for supplement in time."""
    _ended_by_engine(application, "expire", None)


def withdraw_special(application, actor):
    """``on_withdraw``: the employer withdrew a sent application."""
    _ended_by_engine(application, "withdraw", actor)


# --- stage changes ----------------------------------------------------------------------------------------------


def move(special, name, actor, *, data=None):
    """Take transition ``name`` of a locked application (the declaration checks who and when), keep the time spent
    in each stage, show the employer the new status, record. Callers lock, check and validate first."""
    lifecycle.take(special, name, actor)
    now = timezone.now()
    special.stage_changed_at = now
    if special.stage in SPECIAL_DECIDED:
        special.decided_at = now
    special.save()
    _enter(special, now)
    status = special_status_for(special.stage)
    if special.stage in SPECIAL_DECIDED:
        applications.close(application=special.application, status=status, actor=actor)
    else:
        applications.set_status(application=special.application, status=status, actor=actor)
    record(
        "talent.move_special",
        actor=actor,
        instance=special,
        data={"stage": special.stage, "transition": name, **(data or {})},
        line=Line(special.call.programme, MOVE_VERBS[name], special.candidate_name, special.get_absolute_url()),
    )
    return special


PRE_REVIEW_OUTCOMES = ("pass_pre_review", "decline")


@transaction.atomic
def pre_review(*, actor, special, outcome, opinion):
    """The sector's authority passes the application to the expert panel or declines it, with its opinion (the
    reasons, when it declines). A supplement is asked for on the engine's page (the authority handles it there)."""
    special = locked(special)
    if not permissions.pre_reviews(actor, special):
        raise PermissionDenied
    if outcome not in PRE_REVIEW_OUTCOMES:
        raise ValidationError(_("Choose pass or decline."), code="outcome")
    opinion = clean_text(
        SpecialTalentApplication,
        {"pre_review_opinion": opinion},
        required={"pre_review_opinion": _("Give the authority's opinion.")},
    )["pre_review_opinion"]
    special.pre_review_opinion = opinion
    special.pre_reviewed_at = timezone.now()
    special.pre_reviewed_by = actor
    if outcome == "decline":
        special.decision_reason = opinion
    return move(special, outcome, actor)


@transaction.atomic
def send_to_deliberation(*, actor, special):
    """The panel has scored: the application waits for a talent work meeting's agenda."""
    special = locked(special)
    if not permissions.runs_special_application(actor, special):
        raise PermissionDenied
    return move(special, "send_to_deliberation", actor)


@transaction.atomic
def reveal_identity(*, actor, special) -> dict:
    """The candidate's full ID or passport number and date of birth, for an officer who needs them; the reading is
    recorded in the audit log (who, when; never the values)."""
    if not permissions.can_reveal_identity(actor, special):
        raise PermissionDenied
    record("talent.reveal_identity", actor=actor, instance=special, data={"application": special.application_id})
    return {"id_kind": special.get_id_kind_display(), "id_number": special.id_number, "birth_date": special.birth_date}


def stages_reached(special) -> list:
    """(stage label, entered) for each stage the application was in, oldest first: what the office page shows."""
    return [(visit.get_stage_display(), visit.entered_at) for visit in special.stage_visits.all()]
