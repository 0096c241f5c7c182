"""What an applicant reads about a base application, and which stage shows which (pure rules, no database).

Officers work in stages (talent.models.BaseStage); the team reads these labels, in its own language, with the
date each was reached on its timeline.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models.admissions import BaseStage


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
