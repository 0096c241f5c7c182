"""The demo's review rounds on deals, through funds.services.scoring and the reviews engine.

Every deal at the investment committee or beyond has a closed round with three or more scorecards. The round on
干细胞's Series C has scores far apart (the dispersion flag: the committee has not taken it yet); on 华屿's Series B
evaluator3 declared a conflict and is recused. Open rounds: on firm1's deal in due diligence (evaluator1 has
accepted, declared no conflict and may open the exposed material) and an overdue one on 瀚博's Series C.
"""

import datetime
from decimal import Decimal

from django.utils import timezone, translation

from portal.reviews import services as reviews
from portal.reviews.models import Assignment, ConflictKind, ReviewRound, Scorecard

from .demo_companies import EXPERTS
from .demo_deals import moment, people
from .material import SUMMARY, document_material
from .rubrics import biomedicine_rubric
from .services.scoring import start_review

SPREAD = Decimal("2.5")  # totals further apart than this are flagged
DISPERSED = "干细胞"  # Series C: scores far apart
RECUSED = ("华屿", "evaluator3")  # evaluator3 worked with the company lately
LOW = ("星禾", "早筛", "瀚博")  # the committee declined these: the experts were lukewarm too
COMMENTS = (
    "临床前数据扎实，建议关注 CMC 放大风险。",
    "团队经验丰富，注册路径清晰，估值略高。",
    "差异化优势明显，需补充竞品对比分析。",
    "知识产权布局较完整，建议核实核心专利的自由实施分析。",
)


def _values(rubric, base, expert_index):
    values = {}
    for index, criterion in enumerate(rubric.criteria.all().order_by("sort_order", "pk")):
        value = Decimal(base) + Decimal("0.5") * ((index + expert_index) % 3 - 1)
        values[criterion.pk] = min(max(value, Decimal(3)), Decimal(9))
    return values


def _base(deal, index, expert_index):
    name = deal.company.organization.name
    if DISPERSED in name and deal.round == "c":
        return ("8.5", "4", "6.5", "7.5")[expert_index]
    if any(part in name for part in LOW):
        return Decimal("5") + Decimal("0.5") * ((index + expert_index) % 2)
    return Decimal("6.5") + Decimal("0.5") * ((index + expert_index) % 3)


def _start(deal, actor, title_suffix, experts):
    keys = [SUMMARY, *(item.key for item in document_material(deal))]
    with translation.override("en"):
        round_en = str(deal.get_round_display())
    return start_review(
        actor=actor,
        deal=deal,
        title=f"{deal.company}{deal.get_round_display()}投资项目{title_suffix}",
        title_en=f"{deal.company.organization.name_en}, {round_en}: expert review",
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        spread_threshold=SPREAD,
        experts=[user.expert_profile for user in experts],
        keys=keys,
        open_now=True,
    )


def closed_round(deal, actor, index, *, closed_on):
    """A closed round of four experts on ``deal`` (one of them recused on 华屿), dated to close on ``closed_on``."""
    experts = people(*EXPERTS)
    panel = [experts[name] for name in EXPERTS if name in experts and hasattr(experts[name], "expert_profile")]
    review_round = _start(deal, actor, "专家评审", panel)
    rubric = review_round.rubric
    for expert_index, user in enumerate(panel):
        assignment = review_round.assignments.get(expert__user=user)
        reviews.accept_assignment(actor=user, assignment=assignment)
        if RECUSED[0] in deal.company.organization.name and user.username == RECUSED[1]:
            reviews.declare_conflict(
                actor=user,
                assignment=assignment,
                has_conflict=True,
                kind=ConflictKind.RECENT_COLLABORATION,
                text="近两年为该企业提供过专利许可谈判咨询。",
            )
            continue
        reviews.declare_conflict(actor=user, assignment=assignment, has_conflict=False)
        reviews.submit_scorecard(
            actor=user,
            assignment=assignment,
            values=_values(rubric, _base(deal, index, expert_index), expert_index),
            comment=COMMENTS[(index + expert_index) % len(COMMENTS)],
        )
    reviews.close_round(actor=actor, review_round=review_round)
    opened = closed_on - datetime.timedelta(days=16)
    ReviewRound.objects.filter(pk=review_round.pk).update(
        created_at=moment(opened, 9),
        opened_at=moment(opened, 10),
        closed_at=moment(closed_on, 17),
        deadline=moment(closed_on, 23),
    )
    Assignment.objects.filter(round=review_round).update(
        invited_at=moment(opened, 10), responded_at=moment(opened + datetime.timedelta(days=1), 10)
    )
    Scorecard.objects.filter(assignment__round=review_round).update(
        submitted_at=moment(closed_on - datetime.timedelta(1), 10)
    )
    return review_round


def open_round(deal, actor, *, accepted=(), scored=(), invited=(), deadline=None):
    """An open round on ``deal``: ``accepted`` experts have accepted and declared no conflict (they may open the
    material and score), ``scored`` have submitted, ``invited`` have not answered yet."""
    experts = people(*accepted, *scored, *invited)
    panel = [experts[name] for name in (*scored, *accepted, *invited) if name in experts]
    review_round = _start(deal, actor, "专家评审", panel)
    rubric = biomedicine_rubric()
    for expert_index, user in enumerate(panel):
        if user.username in invited:
            continue
        assignment = review_round.assignments.get(expert__user=user)
        reviews.accept_assignment(actor=user, assignment=assignment)
        reviews.declare_conflict(actor=user, assignment=assignment, has_conflict=False)
        if user.username in scored:
            reviews.submit_scorecard(
                actor=user,
                assignment=assignment,
                values=_values(rubric, Decimal("7"), expert_index),
                comment=COMMENTS[expert_index % len(COMMENTS)],
            )
    if deadline is not None:  # a round already past its deadline: the overdue evaluations the managers chase
        opened = deadline - datetime.timedelta(days=21)
        ReviewRound.objects.filter(pk=review_round.pk).update(
            created_at=moment(opened, 9), opened_at=moment(opened, 10), deadline=moment(deadline, 23)
        )
        Assignment.objects.filter(round=review_round).update(invited_at=moment(opened, 10))
    return review_round
