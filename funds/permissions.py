"""Who may do what with the fund. Plain booleans only.

Power comes from the fund itself (portal.authority): its managers (``Fund.managers``) run its deals, deal room,
review rounds and IC meetings; its investment committee's members see the deals put before them and vote; the
chair signs the IC's decisions. The ``fund_manager`` role is only a coarse gate for the menu; it grants nothing.
"""

from django.db.models import Q

from portal import authority
from portal.accounts.roles import is_active_user
from portal.applications import permissions as applications
from portal.authority import Power
from portal.memo import memo


def manages_fund(user, fund) -> bool:
    """The fund's own managers (and superusers, who may repair)."""
    if fund is None:
        return False
    return authority.holds(user, fund, Power.MANAGE)


def sits_on_committee(user, fund) -> bool:
    """A member (or the chair) of the fund's investment committee."""
    if not is_active_user(user) or fund is None:
        return False

    def ask():
        from .models import InvestmentCommittee

        return InvestmentCommittee.objects.filter(fund=fund).filter(Q(members=user) | Q(chair=user)).exists()

    return memo(fund, ("funds.ic_member", user.pk), ask)


def can_see_fund(user, fund) -> bool:
    return manages_fund(user, fund) or sits_on_committee(user, fund)


def funds_for(user):
    """The funds whose workspace ``user`` may open: managed ones, and those whose IC they sit on."""
    from .models import Fund

    if not is_active_user(user):
        return Fund.objects.none()
    if user.is_superuser:
        return Fund.objects.all()
    return Fund.objects.filter(Q(managers=user) | Q(committee__members=user) | Q(committee__chair=user)).distinct()


# --- deals ------------------------------------------------------------------------------------------------------


def can_view_pipeline(user, fund) -> bool:
    return manages_fund(user, fund)


def can_view_deal(user, deal) -> bool:
    """Managers see every deal of their fund; IC members the deals put on one of its meetings' agendas."""
    if deal is None:
        return False
    if manages_fund(user, deal.fund):
        return True
    return sits_on_committee(user, deal.fund) and deal.agenda_items.exists()


def can_move_deal(user, deal) -> bool:
    """Take a stage transition (the lifecycle declares which are possible from the present stage)."""
    return deal is not None and manages_fund(user, deal.fund)


def is_deal_applicant(user, deal) -> bool:
    application = getattr(deal, "application", None)
    return bool(is_active_user(user) and application is not None and application.applicant_id == user.pk)


def can_open_deal_application(user, deal) -> bool:
    """The financing application a deal came from, as the applications engine shows it to the fund's officers."""
    application = getattr(deal, "application", None)
    return bool(can_view_deal(user, deal) and application is not None and applications.can_view(user, application))


def can_withdraw_deal(user, deal) -> bool:
    """The managers, or the firm whose application the deal came from (through its application)."""
    return can_move_deal(user, deal) or is_deal_applicant(user, deal)


def can_edit_deal(user, deal) -> bool:
    return can_move_deal(user, deal)


def can_create_deal(user, fund) -> bool:
    return manages_fund(user, fund)


def can_import_deals(user, fund) -> bool:
    return manages_fund(user, fund)


def can_export_deals(user, fund) -> bool:
    return manages_fund(user, fund)


# --- deal room ----------------------------------------------------------------------------------------------------


def can_upload_document(user, deal) -> bool:
    return can_move_deal(user, deal)


def can_download_document(user, document) -> bool:
    """The deal room is the managers'; IC members read the rooms of deals before them. Evaluators read only what a
    review round exposes, through the reviews engine (which asks can_expose_to_review below)."""
    return document is not None and can_view_deal(user, document.deal)


# --- investment committee -------------------------------------------------------------------------------------


def can_run_committee_meeting(user, meeting) -> bool:
    return meeting is not None and manages_fund(user, meeting.committee.fund)


def can_convene_committee(user, fund) -> bool:
    return manages_fund(user, fund)


def can_view_committee_meeting(user, meeting) -> bool:
    return meeting is not None and can_see_fund(user, meeting.committee.fund)


# --- after the decision -------------------------------------------------------------------------------------------


def can_record_portfolio(user, deal) -> bool:
    """Terms, disbursements, valuations, milestones, exits, KPI requests: the fund's managers."""
    return can_move_deal(user, deal)


def acts_for_company(user, company) -> bool:
    """A person linked to the company's organization (its contact or legal representative)."""
    if not is_active_user(user) or company is None:
        return False
    return memo(
        company,
        ("funds.acts_for", user.pk),
        lambda: company.organization.user_links.filter(user=user).exists(),
    )


def can_submit_kpi_report(user, report) -> bool:
    """The portfolio company fills in its own figures while the report is requested."""
    from .models import KpiState

    return report is not None and report.state == KpiState.REQUESTED and acts_for_company(user, report.deal.company)


def can_view_kpi_report(user, report) -> bool:
    return report is not None and (acts_for_company(user, report.deal.company) or can_view_deal(user, report.deal))


# --- investment committee: recusals and decisions (the committee part) -------------------------------------------


def can_declare_own_conflict(user, item) -> bool:
    """An IC member declares their own conflict of interest in an agenda item's deal (the service accepts it only
    before the item's vote opens)."""
    return bool(item is not None and sits_on_committee(user, item.meeting.committee.fund))


def can_record_conflict(user, item) -> bool:
    """The fund's managers record a member's recusal (before the item's vote opens)."""
    return bool(item is not None and can_run_committee_meeting(user, item.meeting))


def can_draft_decision_opinion(user, item) -> bool:
    """The fund's managers draft the investment decision opinion once the committee has decided, and only once."""
    from .models import Decision

    return bool(
        item is not None
        and item.decision != Decision.PENDING
        and item.opinion_id is None
        and can_run_committee_meeting(user, item.meeting)
    )


# --- portfolio: dashboard panels ------------------------------------------------------------------------------


def shows_fund_panel(user) -> bool:
    """The fund panel of the dashboard: for the managers of a fund and the members of its investment committee
    (superusers repair through the admin; they get no panel of every fund)."""
    if not is_active_user(user):
        return False
    from .models import Fund

    return Fund.objects.filter(Q(managers=user) | Q(committee__members=user) | Q(committee__chair=user)).exists()


def shows_kpi_panel(user) -> bool:
    """The KPI panel: for people who act for a company the fund has asked for a report it has not sent yet."""
    if not is_active_user(user):
        return False
    from .models import KpiReport, KpiState

    return KpiReport.objects.filter(
        state=KpiState.REQUESTED, deal__company__organization__user_links__user=user
    ).exists()


def shows_lp_panel(user) -> bool:
    """The LP panel: for people who act for an LP of a fund whose evaluation has been approved."""
    if not is_active_user(user):
        return False
    from .models import EvaluationState, PerformanceEvaluation

    return PerformanceEvaluation.objects.filter(
        state=EvaluationState.APPROVED, indicator_set__fund__commitments__investor__user_links__user=user
    ).exists()


# --- deal room and scoring (review rounds on deals) ---------------------------------------------------------------


def can_start_review(user, deal) -> bool:
    """Start a review round on a deal: the fund's managers (who hold MANAGE over the rounds it owns)."""
    return deal is not None and manages_fund(user, deal.fund)


def can_see_deal_reviews(user, deal) -> bool:
    """The review rounds on a deal, with their aggregate, dispersion and comments: the fund's managers."""
    return deal is not None and manages_fund(user, deal.fund)


# --- performance evaluation -----------------------------------------------------------------------------------


def is_fund_lp(user, fund) -> bool:
    """A person linked to an organization that committed capital to the fund (an LP with an account)."""
    if not is_active_user(user) or fund is None:
        return False
    return memo(
        fund,
        ("funds.lp", user.pk),
        lambda: fund.commitments.filter(investor__user_links__user=user).exists(),
    )


def can_view_performance(user, fund) -> bool:
    """The fund's live performance figures and its evaluations' list: its managers and its investment committee."""
    return can_see_fund(user, fund)


def can_manage_evaluation(user, fund) -> bool:
    """Start, compute and recompute an evaluation, write its recommendations, export it: the fund's managers."""
    return manages_fund(user, fund)


def can_import_performance(user, fund) -> bool:
    """Export the fund's recorded cash flows, valuations, KPI reports and index levels, and import them: its
    managers (the records an import writes are the ones they record one by one on the deals)."""
    return manages_fund(user, fund)


def sits_on_evaluation_panel(user, evaluation) -> bool:
    """An expert assigned to the evaluation's panel round (the engine decides what they score)."""
    if not is_active_user(user) or evaluation is None or evaluation.review_round_id is None:
        return False
    return memo(
        evaluation,
        ("funds.panel", user.pk),
        lambda: evaluation.review_round.assignments.filter(expert__user=user).exists(),
    )


def can_view_evaluation(user, evaluation) -> bool:
    """Managers and IC members of the fund, and the evaluation's panel, see the evaluation at any state; the
    fund's LPs with an account see it once approved."""
    if evaluation is None:
        return False
    fund = evaluation.indicator_set.fund
    if can_view_performance(user, fund) or sits_on_evaluation_panel(user, evaluation):
        return True
    from .models import EvaluationState

    return evaluation.state == EvaluationState.APPROVED and is_fund_lp(user, fund)


def can_approve_evaluation(user, evaluation) -> bool:
    """The chair of the fund's investment committee approves what the managers computed (not the managers: the
    evaluation is of their own work)."""
    if not is_active_user(user) or evaluation is None:
        return False
    from .models import EvaluationState, InvestmentCommittee

    return (
        evaluation.state == EvaluationState.DRAFT
        and InvestmentCommittee.objects.filter(fund=evaluation.indicator_set.fund, chair=user).exists()
    )


def can_trace_evaluation(user, evaluation) -> bool:
    """The rows behind each figure of an evaluation: the fund's people and its panel (not the LPs, who read the
    approved report)."""
    if evaluation is None:
        return False
    return can_view_performance(user, evaluation.indicator_set.fund) or sits_on_evaluation_panel(user, evaluation)
