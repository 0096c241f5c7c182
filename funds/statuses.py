"""What a firm reads about its financing application, and which deal stage shows which (pure rules, no database).

The firm never reads the fund's internal stage names: screening, 立项, due diligence and the IC all read
"评审中 / Under review" (issue 10).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models.deals import DealStage


class FinancingStatus(models.TextChoices):
    # The applications engine's own codes (portal.applications.kinds.ENGINE_STATUSES) ...
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")
    EXPIRED = "expired", _("Expired")
    # ... and the fund's.
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Investment approved")
    INVESTED = "invested", _("Invested")
    NOT_APPROVED = "not_approved", _("Not approved")


STATUS_FOR_STAGE = {
    DealStage.SOURCED: FinancingStatus.SUBMITTED,
    DealStage.SCREENING: FinancingStatus.SUBMITTED,
    DealStage.APPROVED: FinancingStatus.UNDER_REVIEW,
    DealStage.DUE_DILIGENCE: FinancingStatus.UNDER_REVIEW,
    DealStage.COMMITTEE: FinancingStatus.UNDER_REVIEW,
    DealStage.ON_HOLD: FinancingStatus.UNDER_REVIEW,
    DealStage.SIGNING: FinancingStatus.APPROVED,
    DealStage.DISBURSEMENT: FinancingStatus.INVESTED,
    DealStage.PORTFOLIO: FinancingStatus.INVESTED,
    DealStage.EXITED: FinancingStatus.INVESTED,
    DealStage.WRITTEN_OFF: FinancingStatus.INVESTED,
    DealStage.REJECTED: FinancingStatus.NOT_APPROVED,
    DealStage.WITHDRAWN: FinancingStatus.WITHDRAWN,
}

# From these stages on the fund has decided: the application is closed (what follows only changes its label).
DECIDED = (
    DealStage.SIGNING,
    DealStage.DISBURSEMENT,
    DealStage.PORTFOLIO,
    DealStage.EXITED,
    DealStage.WRITTEN_OFF,
    DealStage.REJECTED,
    DealStage.WITHDRAWN,
)


def status_for(stage) -> str:
    return STATUS_FOR_STAGE[DealStage(stage)]
