"""Review rounds for the scale data (``portal.scale``): a domain's step names the subjects, owners and rubric; this
writes the rounds with their experts' assignments, conflict declarations, scorecards and scores in bulk statements,
as the services would have left them (closed rounds with their result, open ones part scored)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery

from portal.accounts.roles import RoleCode
from portal.accounts.scale import make_people
from portal.experts.models import Expert, ExpertRegion
from portal.scale import BATCH, MARK, insert_values

from .models import (
    Assignment,
    AssignmentState,
    ConflictDeclaration,
    ConflictKind,
    ReviewRound,
    RoundState,
    Score,
    Scorecard,
    weighted_total,
)
from .scoring import aggregate

# The states in which the expert has answered the conflict-of-interest declaration.
DECLARED = (AssignmentState.CLEARED, AssignmentState.SUBMITTED, AssignmentState.RECUSED)

AFFILIATIONS = (
    "南方科技大学",
    "深圳大学",
    "中国科学院深圳先进技术研究院",
    "北京大学深圳研究生院",
    "Karolinska Institutet",
    "香港科技大学",
    "清华大学深圳国际研究生院",
    "Fraunhofer IZI",
)
TITLES = ("教授", "研究员", "主任医师", "高级工程师", "注册会计师", "律师", "Professor")
COMMENTS = (
    "团队与资产匹配度高，临床路径清晰，建议推进。",
    "市场空间可观，但竞争格局拥挤，需关注差异化。",
    "知识产权布局较完整，估值偏高，建议谈判。",
    "The data package is solid; the commercial plan needs more work.",
    "Strong team and a credible path to the clinic; check the manufacturing plan.",
    "核心专利剩余期限较短，需补充后续专利布局。",
)


def expert_pool(context, *, size: int = 200) -> list:
    """The active experts with an account: the demo's, and ``size`` more the first time a step asks (an expert
    pool of a district's size, so that no expert carries a fifth of 100,000 assignments)."""
    experts = Expert.objects.filter(is_active=True, user__isnull=False).order_by("pk")
    if not experts.filter(user__username__startswith=f"{MARK}-expert-").exists():
        people = make_people(context, kind="expert", count=size, role=RoleCode.EVALUATOR, english_share=0.2)
        # The theme model is the themes app's, read from the field: the portal imports no app above it.
        themes = list(Expert._meta.get_field("themes").related_model.objects.order_by("pk"))
        made = Expert.objects.bulk_create(
            (
                Expert(
                    user=person,
                    name=person.real_name,
                    affiliation_name=context.rng.choice(AFFILIATIONS),
                    title=context.rng.choice(TITLES),
                    region=ExpertRegion.OVERSEAS if person.preferred_language == "en" else ExpertRegion.DOMESTIC,
                    languages="English" if person.preferred_language == "en" else "中文",
                    email=person.email,
                )
                for person in people
            ),
            batch_size=BATCH,
        )
        Themes = Expert.themes.through
        Themes.objects.bulk_create(
            (Themes(expert_id=expert.pk, theme_id=context.rng.choice(themes).pk) for expert in made if themes),
            batch_size=BATCH,
        )
    return list(experts)


@dataclass
class PlannedRound:
    subject: object
    owner: object
    title: str
    title_en: str
    created_by: object
    opened_at: datetime.datetime
    closed: bool
    themes: list = field(default_factory=list)


def make_rounds(context, plan_round, *, count: int, rubric, experts: list, per_round: int) -> int:
    """Rounds on ``rubric`` planned by ``plan_round(n)`` for n = 0, 1 …, each with up to ``per_round`` of ``experts``,
    until they hold ``count`` scorecards (the last round gets only the experts it needs); returns ``count``."""
    criteria = list(rubric.criteria.all())
    planned, rounds, assignments, scorecards, scores = [], [], [], [], []
    while len(scorecards) < count:
        plan = plan_round(len(rounds))
        review_round, totals = _round(context, plan, rubric), []
        planned.append(plan)
        rounds.append(review_round)
        for expert in context.rng.sample(experts, min(per_round, len(experts))):
            if len(scorecards) == count:
                break
            assignment = _assignment(context, review_round, plan, expert)
            assignments.append(assignment)
            if assignment.state not in (AssignmentState.CLEARED, AssignmentState.SUBMITTED):
                continue
            card = Scorecard(assignment=assignment, submitted_at=assignment.submitted_at)
            scorecards.append(card)
            if assignment.submitted_at is not None:
                values = [(criterion, _score(context, criterion)) for criterion in criteria]
                card.comment = context.rng.choice(COMMENTS)
                card.total = weighted_total([(criterion.weight, value) for criterion, value in values])
                totals.append(card.total)
                scores.append((card, values))
        if plan.closed:
            _result(review_round, totals)
    ReviewRound.objects.bulk_create(rounds, batch_size=BATCH)
    Themes = ReviewRound.themes.through
    Themes.objects.bulk_create(
        (
            Themes(reviewround_id=review_round.pk, theme_id=theme.pk)
            for review_round, plan in zip(rounds, planned, strict=True)
            for theme in plan.themes
        ),
        batch_size=BATCH,
    )
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    insert_values(
        ConflictDeclaration,
        ("assignment", "has_conflict", "kind", "text", "declared_by", "declared_at"),
        (_declaration(assignment) for assignment in assignments if assignment.state in DECLARED),
    )
    Scorecard.objects.bulk_create(scorecards, batch_size=BATCH)
    insert_values(
        Score,
        ("scorecard", "criterion", "value", "reason"),
        ((card.pk, criterion.pk, value, "") for card, values in scores for criterion, value in values),
    )
    _backdate(rounds)
    return len(scorecards)


def _round(context, plan, rubric) -> ReviewRound:
    deadline = plan.opened_at + datetime.timedelta(days=14 + context.rng.randrange(21))
    review_round = ReviewRound(
        owner=plan.owner,
        subject=plan.subject,
        title=plan.title[:200],
        title_en=plan.title_en[:200],
        rubric=rubric,
        deadline=deadline if plan.closed else max(deadline, context.now + datetime.timedelta(days=3)),
        min_scores=3,
        created_by=plan.created_by,
        state=RoundState.CLOSED if plan.closed else RoundState.OPEN,
        opened_at=plan.opened_at,
        closed_at=min(context.now, deadline) if plan.closed else None,
    )
    return review_round


def _assignment(context, review_round, plan, expert) -> Assignment:
    roll = context.rng.random()
    if plan.closed:
        state = (
            AssignmentState.SUBMITTED
            if roll < 0.84
            else AssignmentState.DECLINED
            if roll < 0.92
            else AssignmentState.RECUSED
        )
    else:
        states = (AssignmentState.INVITED, AssignmentState.ACCEPTED, AssignmentState.CLEARED, AssignmentState.SUBMITTED)
        state = states[min(3, int(roll * 4))]
    responded = None if state == AssignmentState.INVITED else context.later(plan.opened_at, days=4)
    submitted = context.later(responded, days=10) if state == AssignmentState.SUBMITTED else None
    return Assignment(
        round=review_round,
        expert=expert,
        state=state,
        assigned_by=plan.created_by,
        responded_at=responded,
        submitted_at=submitted,
        recused_at=responded if state == AssignmentState.RECUSED else None,
    )


def _declaration(assignment) -> tuple:
    """(assignment, has_conflict, kind, text, declared_by, declared_at) of the expert's answer."""
    conflict = assignment.state == AssignmentState.RECUSED
    kind, text = (ConflictKind.RECENT_COLLABORATION, "近三年曾与申请方合作开展项目。") if conflict else ("", "")
    return (assignment.pk, conflict, kind, text, assignment.expert.user_id, assignment.responded_at)


def _score(context, criterion) -> Decimal:
    low, high = criterion.scale_min, criterion.scale_max
    value = low + (high - low) * Decimal(str(round(0.45 + 0.5 * context.rng.random(), 2)))
    return value.quantize(Decimal("0.5"))


def _result(review_round, totals) -> None:
    """A closed round's result, as closing it computes from its submitted totals."""
    result = aggregate(totals, review_round.aggregation)
    review_round.result_value, review_round.result_count = result.value, result.count
    review_round.result_spread, review_round.result_std = result.spread, result.std
    review_round.result_dispersed = result.dispersed


def _backdate(rounds) -> None:
    """``created_at`` and ``invited_at`` are stamped on insert: set them to when the round opened."""
    for start in range(0, len(rounds), BATCH):
        pks = [r.pk for r in rounds[start : start + BATCH]]
        opened = ReviewRound.objects.filter(pk=OuterRef("round_id")).values("opened_at")
        ReviewRound.objects.filter(pk__in=pks).update(created_at=F("opened_at"))
        Assignment.objects.filter(round_id__in=pks).update(invited_at=Subquery(opened))
