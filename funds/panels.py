"""The fund's dashboard panels: for its managers (deals by stage, stuck deals, upcoming IC meetings, overdue
evaluations; IC members see the meetings), for a portfolio company (its KPI reports due) and for an LP (the approved
evaluation reports of the funds it invested in).

Each panel asks a fixed number of queries, however many funds, deals, rounds or reports there are.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from portal.reviews.models import OPEN_ASSIGNMENT_STATES, ReviewRound, RoundState

from .models import (
    MOVING_STAGES,
    CommitteeMeeting,
    Deal,
    DealStage,
    EvaluationState,
    Fund,
    KpiReport,
    KpiState,
    MeetingState,
    PerformanceEvaluation,
)

PANEL_LENGTH = 5
# Stages a deal should move on from; a holding in the portfolio stays there for years, and a hold is deliberate.


def _stage_rows(fund, counts):
    """The fund's stages that hold deals, in pipeline order, then the ones where deals end or wait."""
    rows = []
    for stage in DealStage:
        total, mine = counts.get((fund.pk, stage.value), (0, 0))
        if total:
            rows.append({"stage": stage, "label": stage.label, "total": total, "mine": mine})
    return rows


def _stuck_filter(funds, now):
    """Deals past their own fund's ``stuck_after_days`` in a stage they should move on from: one OR per fund, so
    one query answers for every fund."""
    stuck = Q(pk__in=[])
    for fund in funds:
        stuck |= Q(fund=fund, stage_entered_at__lt=now - datetime.timedelta(days=fund.stuck_after_days))
    return stuck & Q(stage__in=MOVING_STAGES)


def _overdue_rounds(funds, now):
    """The funds' open review rounds past their deadline, each with the evaluations still not submitted."""
    if not funds:
        return []
    still_open = Q(assignments__state__in=OPEN_ASSIGNMENT_STATES)
    rounds = (
        ReviewRound.objects.filter(
            owner_type=ContentType.objects.get_for_model(Fund),
            owner_id__in=[str(fund.pk) for fund in funds],
            state=RoundState.OPEN,
            deadline__lt=now,
        )
        .annotate(overdue=Count("assignments", filter=still_open))
        .filter(overdue__gt=0)
        .order_by("deadline", "pk")
    )
    return list(rounds)


def fund_context(request):
    user = request.user
    now = timezone.now()
    funds = list(Fund.objects.filter(managers=user).order_by("name"))
    committee_funds = Fund.objects.filter(Q(managers=user) | Q(committee__members=user) | Q(committee__chair=user))
    meetings = list(
        CommitteeMeeting.objects.filter(
            committee__fund__in=committee_funds, state=MeetingState.SCHEDULED, starts_at__gte=now
        )
        .select_related("committee__fund")
        .order_by("starts_at", "pk")[:PANEL_LENGTH]
    )
    evaluations = _evaluations(user, funds)
    if not funds:  # an IC member who runs no fund: the meetings (and, for a chair, evaluations to approve) only
        return {"funds": [], "meetings": meetings, "evaluations": evaluations}
    counts = {
        (row["fund_id"], row["stage"]): (row["total"], row["mine"])
        for row in Deal.objects.filter(fund__in=funds)
        .values("fund_id", "stage")
        .annotate(total=Count("pk"), mine=Count("pk", filter=Q(owner=user)))
        .order_by()
    }
    stuck = Deal.objects.filter(_stuck_filter(funds, now))
    stuck_deals = list(
        stuck.select_related("fund", "company__organization").order_by("stage_entered_at", "pk")[:PANEL_LENGTH]
    )
    for deal in stuck_deals:
        deal.days = deal.days_in_stage(now)
    rounds = _overdue_rounds(funds, now)
    return {
        "funds": [{"fund": fund, "stages": _stage_rows(fund, counts)} for fund in funds],
        "stuck_deals": stuck_deals,
        "stuck_count": stuck.count(),
        "meetings": meetings,
        "overdue_rounds": rounds[:PANEL_LENGTH],
        "overdue_count": sum(r.overdue for r in rounds),
        "overdue_round_count": len(rounds),
        "evaluations": evaluations,
    }


def _evaluations(user, funds):
    """Evaluations in draft that wait for this person: the managers' to compute and complete, the chair's to approve
    (computed, with recommendations). One query."""
    drafts = (
        PerformanceEvaluation.objects.filter(state=EvaluationState.DRAFT)
        .filter(Q(indicator_set__fund__in=funds) | Q(indicator_set__fund__committee__chair=user))
        .select_related("indicator_set__fund__committee")
        .order_by("indicator_set__year", "pk")
        .distinct()[:PANEL_LENGTH]
    )
    rows = []
    for evaluation in drafts:
        committee = getattr(evaluation.indicator_set.fund, "committee", None)
        chairs = committee is not None and committee.chair_id == user.pk
        ready = evaluation.is_computed and bool(evaluation.recommendations.strip())
        if chairs and not ready and evaluation.indicator_set.fund not in funds:
            continue
        rows.append({"evaluation": evaluation, "to_approve": chairs and ready})
    return rows


def kpi_context(request):
    today = timezone.localdate()
    reports = list(
        KpiReport.objects.filter(state=KpiState.REQUESTED, deal__company__organization__user_links__user=request.user)
        .select_related("deal__fund", "deal__company__organization")
        .order_by("due_on", "pk")
        .distinct()[:PANEL_LENGTH]
    )
    for report in reports:
        report.is_overdue = report.due_on < today
    return {"reports": reports}


def lp_context(request):
    """The approved evaluations of the funds the person's organization invested in, latest year first. One query."""
    evaluations = (
        PerformanceEvaluation.objects.filter(
            state=EvaluationState.APPROVED,
            indicator_set__fund__commitments__investor__user_links__user=request.user,
        )
        .select_related("indicator_set__fund")
        .order_by("-indicator_set__year", "pk")
        .distinct()[:PANEL_LENGTH]
    )
    return {"evaluations": list(evaluations)}
