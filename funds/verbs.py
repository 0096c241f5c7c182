"""What the fund's history lines say happened (portal.history): one verb per kind of event, in both languages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundVerb(models.TextChoices):
    CREATED_DEAL = "funds.created_deal", _("added a deal")
    MOVED_DEAL = "funds.moved_deal", _("moved a deal")
    UPDATED_DEAL = "funds.updated_deal", _("updated a deal")
    UPLOADED_DOCUMENT = "funds.uploaded_document", _("uploaded a document")
    # The investment committee
    CONVENED_MEETING = "funds.convened_meeting", _("convened an investment committee meeting")
    OPENED_MEETING = "funds.opened_meeting", _("opened an investment committee meeting")
    CLOSED_MEETING = "funds.closed_meeting", _("closed an investment committee meeting")
    CANCELLED_MEETING = "funds.cancelled_meeting", _("cancelled an investment committee meeting")
    PUT_ON_AGENDA = "funds.put_on_agenda", _("put a deal on the investment committee's agenda")
    OPENED_VOTE = "funds.opened_vote", _("opened the investment committee's vote on a deal")
    APPROVED_INVESTMENT = "funds.approved_investment", _("recorded the investment committee's approval")
    DECLINED_INVESTMENT = "funds.declined_investment", _("recorded the investment committee's refusal")
    DRAFTED_DECISION = "funds.drafted_decision", _("drafted an investment decision opinion")
    # After the decision (funds/services/portfolio.py)
    RECORDED_TERMS = "funds.recorded_terms", _("recorded the investment terms")
    PLANNED_DISBURSEMENT = "funds.planned_disbursement", _("planned a disbursement tranche")
    PAID_DISBURSEMENT = "funds.paid_disbursement", _("recorded a paid disbursement tranche")
    RECORDED_VALUATION = "funds.recorded_valuation", _("recorded a valuation")
    RECORDED_MILESTONE = "funds.recorded_milestone", _("recorded a company milestone")
    RECORDED_EXIT = "funds.recorded_exit", _("recorded the exit")
    REQUESTED_KPI_REPORT = "funds.requested_kpi_report", _("requested a KPI report")
    SUBMITTED_KPI_REPORT = "funds.submitted_kpi_report", _("submitted a KPI report")
    # Deal lists imported (funds/services/transfer.py)
    IMPORTED_DEALS = "funds.imported_deals", _("imported a deal list")
    IMPORTED_PERFORMANCE = "funds.imported_performance", _("imported performance data")
    # Deal room and scoring (funds/services/room.py, funds/services/scoring.py)
    STARTED_REVIEW = "funds.started_review", _("started a review round")
    # Performance evaluation (funds/services/performance.py)
    SET_INDICATORS = "funds.set_indicators", _("set the indicators of a year")
    STARTED_EVALUATION = "funds.started_evaluation", _("started a performance evaluation")
    COMPUTED_EVALUATION = "funds.computed_evaluation", _("computed a performance evaluation")
    WROTE_RECOMMENDATIONS = "funds.wrote_recommendations", _("wrote the recommendations for next year")
    APPROVED_EVALUATION = "funds.approved_evaluation", _("approved a performance evaluation")
    DRAFTED_REPORT = "funds.drafted_report", _("drafted the evaluation report as an opinion")
