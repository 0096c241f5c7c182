"""Services of the offshore base's applications (入驻申请): the stages after the applicant sent it.

The applications engine runs the application itself (drafts, checklist, submission, supplements, withdrawal,
expiry); the hooks here (registered with the kind in talent/base_kind.py) open and close the ``BaseApplication``
beside it. Every stage change sets the status the team reads (talent/statuses.py); the decision closes the
engine's application and drafts the bilingual decision letter, which the director signs (portal.opinions).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.applications import services as applications
from portal.history.record import Line, record
from portal.organizations.validators import normalize_uscc, validate_uscc
from portal.text import clean_text
from themes.models import Theme

from .. import permissions
from ..models import BaseApplication, BaseStage
from ..statuses import DECIDED, status_for
from ..verbs import TalentVerb

ACTIONS = {
    "talent.receive_application": (_("Receive base application"), _("Base application received")),
    "talent.move_base_application": (_("Move base application"), _("Base application moved to another stage")),
    "talent.record_onboarding": (_("Record onboarding"), _("Registered company and incubation seat recorded")),
}

MOVE_VERBS = {
    "send_to_review": TalentVerb.SENT_TO_REVIEW,
    "admit": TalentVerb.ADMITTED,
    "reject": TalentVerb.REJECTED,
    "activate": TalentVerb.ACTIVATED,
    "graduate": TalentVerb.GRADUATED,
    "leave": TalentVerb.EXITED,
}


def _locked(base) -> BaseApplication:
    return (
        BaseApplication.objects.select_for_update(of=("self",))
        .select_related("application", "call__programme")
        .get(pk=base.pk)
    )


def _project(answers) -> dict:
    return answers.get("project", {}) or {}


# --- the engine's hooks -------------------------------------------------------------------------------------------


def base_from_application(application, actor):
    """``on_submit``: the sent application starts its completeness check."""
    project = _project(application.answers)
    theme = Theme.objects.filter(pk=project.get("theme")).first() if project.get("theme") else None
    base = BaseApplication.objects.create(
        application=application,
        call=application.owner,
        team_name=(project.get("team_name") or application.applicant.get_full_name() or application.applicant.username)[
            :200
        ],
        theme=theme,
        project_stage=project.get("stage") or "",
    )
    programme = base.call.programme
    record(
        "talent.receive_application",
        actor=actor,
        instance=base,
        data={"application": application.pk, "reference": application.reference},
        line=Line(
            programme,
            TalentVerb.RECEIVED_APPLICATION,
            f"{application.reference} · {base.team_name}",
            base.get_absolute_url(),
        ),
    )
    return base


def expire_base(application):
    """``on_expire``: the team did not answer a request for supplement in time."""
    base = getattr(application, "base_application", None)
    if base is None:
        return
    base = _locked(base)
    lifecycle.take(base, "expire")
    base.stage_changed_at = timezone.now()
    base.save()
    record("talent.move_base_application", actor=None, instance=base, data={"stage": base.stage})


def withdrawable(application) -> bool:
    """``withdrawable``: until the office has decided (a draft always)."""
    base = getattr(application, "base_application", None)
    return base is None or base.stage in (BaseStage.CHECK, BaseStage.REVIEW)


def withdraw_base(application, actor):
    """``on_withdraw``: the team withdrew a sent application."""
    base = getattr(application, "base_application", None)
    if base is None:
        return
    base = _locked(base)
    lifecycle.take(base, "withdraw")
    base.stage_changed_at = timezone.now()
    base.save()
    record("talent.move_base_application", actor=actor, instance=base, data={"stage": base.stage})


# --- the office's stages ----------------------------------------------------------------------------------------


def _move(base, name, actor, *, data=None):
    """Take transition ``name`` (the declaration checks who and when), show the team its new status, record."""
    lifecycle.take(base, name, actor)
    base.stage_changed_at = timezone.now()
    base.save()
    status = status_for(base.stage)
    if base.stage in DECIDED:
        applications.close(application=base.application, status=status, actor=actor)
    else:
        applications.set_status(application=base.application, status=status, actor=actor)
    record(
        "talent.move_base_application",
        actor=actor,
        instance=base,
        data={"stage": base.stage, "transition": name, **(data or {})},
        line=Line(base.call.programme, MOVE_VERBS[name], base.team_name, base.get_absolute_url()),
    )
    return base


@transaction.atomic
def send_to_review(*, actor, base):
    """The application is complete: it goes to expert review (the officer then starts a review round)."""
    base = _locked(base)
    if not permissions.runs_base_application(actor, base):
        raise PermissionDenied
    return _move(base, "send_to_review", actor)


DECISIONS = ("admit", "reject")


@transaction.atomic
def decide(*, actor, base, decision, reason, reason_en=""):
    """Admit or reject, with the reasons in Chinese (and English for an English-speaking team); the decision
    letter is drafted for the director's signature (talent/services/letters.py)."""
    from .letters import draft_letter

    base = _locked(base)
    if not permissions.runs_base_application(actor, base):
        raise PermissionDenied
    if decision not in DECISIONS:
        raise ValidationError(_("Choose admit or reject."), code="decision")
    texts = clean_text(
        BaseApplication,
        {"decision_reason": reason, "decision_reason_en": reason_en},
        required={"decision_reason": _("Give the reasons for the decision.")},
    )
    base.decision_reason = texts["decision_reason"]
    base.decision_reason_en = texts["decision_reason_en"]
    base.decided_at = timezone.now()
    base.decided_by = actor
    _move(base, decision, actor)
    draft_letter(actor=actor, base=base)
    return base


@transaction.atomic
def record_onboarding(*, actor, base, company_name, uscc, registered_on, incubation_seat):
    """The company the team registered in Pingshan (checked USCC) and its incubation seat."""
    base = _locked(base)
    if not permissions.can_record_onboarding(actor, base):
        raise PermissionDenied
    texts = clean_text(
        BaseApplication,
        {"company_name": company_name, "incubation_seat": incubation_seat},
        required={"company_name": _("Give the registered company's name.")},
    )
    errors = {}
    uscc = normalize_uscc(uscc)
    try:
        validate_uscc(uscc)
    except ValidationError as error:
        errors["uscc"] = error.messages
    if registered_on is None:
        errors["registered_on"] = [_("Give the date on the business licence.")]
    elif registered_on > timezone.localdate():
        errors["registered_on"] = [_("The registration date cannot be in the future.")]
    elif registered_on < base.call.opens_on - datetime.timedelta(days=3650):
        errors["registered_on"] = [_("Check the registration date: it is more than ten years before the call.")]
    if errors:
        raise ValidationError(errors)
    base.company_name = texts["company_name"]
    base.incubation_seat = texts["incubation_seat"]
    base.uscc = uscc
    base.registered_on = registered_on
    base.save()
    record(
        "talent.record_onboarding",
        actor=actor,
        instance=base,
        data={"company_name": base.company_name, "uscc": uscc, "seat": base.incubation_seat},
        line=Line(base.call.programme, TalentVerb.RECORDED_ONBOARDING, base.company_name, base.get_absolute_url()),
    )
    return base


@transaction.atomic
def activate(*, actor, base):
    """Onboarding is complete: the team is in incubation."""
    base = _locked(base)
    if not permissions.runs_base_application(actor, base):
        raise PermissionDenied
    return _move(base, "activate", actor)


ENDINGS = ("graduate", "leave")


@transaction.atomic
def end(*, actor, base, ending, reason, on=None):
    """The team graduates or leaves the base, on a day (today by default), with the reason."""
    base = _locked(base)
    if not permissions.runs_base_application(actor, base):
        raise PermissionDenied
    if ending not in ENDINGS:
        raise ValidationError(_("Choose graduate or exit."), code="ending")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("The day cannot be in the future.")})
    base.end_reason = clean_text(
        BaseApplication, {"end_reason": reason}, required={"end_reason": _("Give the reason.")}
    )["end_reason"]
    base.ended_on = on
    return _move(base, ending, actor, data={"on": on.isoformat()})


def funding_need(base) -> Decimal | None:
    value = _project(base.application.answers).get("funding_need")
    return None if value in (None, "") else Decimal(str(value))
