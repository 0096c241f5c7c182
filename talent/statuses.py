"""What an applicant reads about a base application, and which stage shows which (pure rules, no database).

Officers work in stages (talent.models.BaseStage); the team reads these labels, in its own language, with the
date each was reached on its timeline.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models.admissions import BaseStage
from .models.special import SpecialStage


class BaseStatus(models.TextChoices):
    # The applications engine's own codes (portal.applications.kinds.ENGINE_STATUSES) ...
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Received — completeness check")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")
    EXPIRED = "expired", _("Expired — the supplement was not sent in time")
    # ... and the base's.
    UNDER_REVIEW = "under_review", _("Under expert review")
    ADMITTED = "admitted", _("Admitted — onboarding")
    NOT_ADMITTED = "not_admitted", _("Not admitted")
    ACTIVE = "active", _("In incubation")
    GRADUATED = "graduated", _("Graduated from the base")
    EXITED = "exited", _("Left the base")


STATUS_FOR_STAGE = {
    BaseStage.CHECK: BaseStatus.SUBMITTED,
    BaseStage.REVIEW: BaseStatus.UNDER_REVIEW,
    BaseStage.ONBOARDING: BaseStatus.ADMITTED,
    BaseStage.ACTIVE: BaseStatus.ACTIVE,
    BaseStage.GRADUATED: BaseStatus.GRADUATED,
    BaseStage.EXITED: BaseStatus.EXITED,
    BaseStage.REJECTED: BaseStatus.NOT_ADMITTED,
    BaseStage.EXPIRED: BaseStatus.EXPIRED,
    BaseStage.WITHDRAWN: BaseStatus.WITHDRAWN,
}

# Reached by a decision of the office: the engine's application is closed with the status.
DECIDED = (BaseStage.ONBOARDING, BaseStage.REJECTED)


def status_for(stage) -> str:
    return STATUS_FOR_STAGE[BaseStage(stage)]


class SpecialStatus(models.TextChoices):
    """What the employer reads about a special-talent application: a label and the day it was reached, never a
    score, a vote or an objection's author."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Received — pre-review by the sector's authority")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")
    EXPIRED = "expired", _("Expired — the supplement was not sent in time")
    PANEL = "panel", _("Under expert panel review")
    DELIBERATION = "deliberation", _("Before the district talent work meeting")
    NOTICE = "notice", _("On public notice")
    FILING = "filing", _("Filing with the city HR bureau")
    APPROVED = "approved", _("Approved as special talent")
    DECLINED = "declined", _("Not recommended at pre-review")
    REJECTED = "rejected", _("Not approved")


STATUS_FOR_SPECIAL_STAGE = {
    SpecialStage.PRE_REVIEW: SpecialStatus.SUBMITTED,
    SpecialStage.PANEL: SpecialStatus.PANEL,
    SpecialStage.DELIBERATION: SpecialStatus.DELIBERATION,
    SpecialStage.NOTICE: SpecialStatus.NOTICE,
    SpecialStage.FILING: SpecialStatus.FILING,
    SpecialStage.APPROVED: SpecialStatus.APPROVED,
    SpecialStage.DECLINED: SpecialStatus.DECLINED,
    SpecialStage.REJECTED: SpecialStatus.REJECTED,
    SpecialStage.EXPIRED: SpecialStatus.EXPIRED,
    SpecialStage.WITHDRAWN: SpecialStatus.WITHDRAWN,
}

# Reached by a decision: the engine's application is closed with the status.
SPECIAL_DECIDED = (SpecialStage.APPROVED, SpecialStage.DECLINED, SpecialStage.REJECTED)


def special_status_for(stage) -> str:
    return STATUS_FOR_SPECIAL_STAGE[SpecialStage(stage)]
