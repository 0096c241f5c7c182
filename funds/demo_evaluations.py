"""The demo fund's annual evaluations, through the services: 2024 and 2025 finished (panel scored and closed,
computed, recommendations written, approved by the IC chair, the report issued as the committee's opinion, dated back to
the spring after their year), and 2026
under way: computed as of today, its panel invited and waiting for ``evaluator1`` and ``evaluator5``, the managers'
recommendations and the chair's approval still to come.
"""

import datetime

from django.db.models import Max
from django.utils import timezone

from portal.experts.models import Expert
from portal.notifications.models import Notification
from portal.opinions import services as opinions
from portal.reviews import services as reviews
from portal.reviews.models import ReviewRound
from portal.reviews.testing import values_for

from .demo_companies import FUND_SLUG
from .demo_deals import people
from .demo_indicators import indicator_sets
from .models import EvaluationState, PerformanceEvaluation
from .services import performance

MANAGER, CHAIR = "fundmgr", "ic_chair"
PANEL = ("evaluator1", "evaluator3", "evaluator5")
# year -> the panel's scores for (management, compliance, team) per expert, and the recommendations
FINISHED = {
    2024: (
        ((6.5, 7.0, 6.0), (6.0, 6.5, 6.5), (7.0, 7.0, 6.0)),
        "一、基金2024年度整体运行规范，实缴与投资进度符合协议约定，但退出尚少、DPI偏低。\n"
        "二、建议2025年度维持财政出资安排不变，新增投资向临床早中期创新药和高端医疗器械倾斜。\n"
        "三、加强投后管理，按季度收集被投企业经营数据，推动已落地企业扩大在坪山的产能。",
    ),
    2025: (
        ((8.5, 8.0, 8.5), (8.0, 8.5, 8.0), (9.0, 8.5, 8.5)),
        "一、基金2025年度完成两笔退出，DPI明显改善，政策目标达成良好。\n"
        "二、建议2026年度适度扩大财政出资规模，继续支持坪山生物医药产业链关键环节。\n"
        "三、返投要求按最新政策不再作为考核指标，但继续跟踪被投企业在坪山的落地情况。",
    ),
}
RUNNING = 2026


def _panel(evaluation, manager, experts, deadline_days=21):
    experts = [expert for expert in experts if expert is not None]
    return performance.start_panel(
        actor=manager,
        evaluation=evaluation,
        deadline=timezone.localdate() + datetime.timedelta(days=deadline_days),
        experts=experts,
        min_scores=min(3, len(experts)),
    )


def _score(review_round, users, scores):
    for assignment, values in zip(review_round.assignments.select_related("expert__user"), scores, strict=False):
        user = users[assignment.expert.user.username]
        reviews.accept_assignment(actor=user, assignment=assignment)
        reviews.declare_conflict(actor=user, assignment=assignment, has_conflict=False)
        reviews.submit_scorecard(
            actor=user,
            assignment=assignment,
            values=values_for(review_round, *values),
            comment="基金管理团队专业稳定，投后管理有待加强。",
        )


def _issue_report(evaluation, manager, chair):
    """The approved report as the committee's opinion: drafted, signed off by the chair, issued (verifiable)."""
    opinion = performance.draft_report_opinion(actor=manager, evaluation=evaluation)
    opinions.submit_for_review(actor=manager, opinion=opinion)
    opinions.sign_off(actor=chair, opinion=opinion, approve=True)
    opinions.request_issue(actor=manager, opinion=opinion)


def _backdate(evaluation, year):
    """A finished year was computed in January and approved in March of the next year."""
    computed = timezone.make_aware(datetime.datetime(year + 1, 1, 20, 10, 0))
    approved = timezone.make_aware(datetime.datetime(year + 1, 3, 12, 15, 0))
    PerformanceEvaluation.objects.filter(pk=evaluation.pk).update(computed_at=computed, approved_at=approved)
    ReviewRound.objects.filter(pk=evaluation.review_round_id).update(
        deadline=timezone.make_aware(datetime.datetime(year + 1, 1, 15, 23, 59))
    )


def seed_evaluations(log):
    """Step 275: the evaluations of 2024 and 2025 (approved, with different grades) and 2026 (under way)."""
    users = people(MANAGER, CHAIR, *PANEL)
    if MANAGER not in users or CHAIR not in users:
        return
    sets = {indicator_set.year: indicator_set for indicator_set in indicator_sets()}
    experts = {expert.user.username: expert for expert in Expert.objects.filter(user__username__in=PANEL)}
    manager, chair = users[MANAGER], users[CHAIR]
    news_from = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    made = []
    for year, (scores, recommendations) in FINISHED.items():
        indicator_set = sets.get(year)
        if indicator_set is None or PerformanceEvaluation.objects.filter(indicator_set=indicator_set).exists():
            continue
        evaluation = performance.start_evaluation(
            actor=manager, indicator_set=indicator_set, as_of=datetime.date(year, 12, 31)
        )
        review_round = _panel(evaluation, manager, [experts.get(name) for name in PANEL])
        _score(review_round, users, scores)
        reviews.close_round(actor=manager, review_round=review_round)
        evaluation = performance.compute_evaluation(actor=manager, evaluation=evaluation)
        performance.write_recommendations(actor=manager, evaluation=evaluation, recommendations=recommendations)
        evaluation = performance.approve_evaluation(actor=chair, evaluation=evaluation)
        _issue_report(evaluation, manager, chair)
        _backdate(evaluation, year)
        made.append(f"{year} {evaluation.total} {evaluation.grade_label}")
    # What the finished years told the managers, the chair and the panel was read long ago.
    Notification.objects.filter(pk__gt=news_from, read_at__isnull=True).update(read_at=timezone.now())
    running = sets.get(RUNNING)
    if running is not None and not PerformanceEvaluation.objects.filter(indicator_set=running).exists():
        evaluation = performance.start_evaluation(actor=manager, indicator_set=running)
        _panel(evaluation, manager, [experts.get("evaluator1"), experts.get("evaluator5")])
        evaluation = performance.compute_evaluation(actor=manager, evaluation=evaluation)
        made.append(f"{RUNNING} {EvaluationState(evaluation.state).label} (as of {evaluation.as_of})")
    if made:
        log(f"fund {FUND_SLUG} evaluations: " + "; ".join(made))
