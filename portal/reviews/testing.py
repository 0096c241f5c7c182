"""Builders for tests and demo data: a rubric, experts, a round and assignees at a given stage.

Everything goes through the services, as real use would; callers pass the users they made.
"""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from portal.experts.models import Expert

from . import services
from .models import Criterion, Rubric

_numbers = itertools.count(1)

DEFAULT_CRITERIA = (
    # name_zh, name_en, weight, min, max
    ("技术先进性", "Technology", Decimal(3), Decimal(0), Decimal(10)),
    ("团队能力", "Team", Decimal(2), Decimal(0), Decimal(10)),
    ("市场前景", "Market", Decimal(1), Decimal(0), Decimal(10)),
)


def make_rubric(name="生物医药项目评审表", criteria=DEFAULT_CRITERIA, **criterion_options) -> Rubric:
    rubric = Rubric.objects.create(name=name)
    for order, (name_zh, name_en, weight, low, high) in enumerate(criteria):
        Criterion.objects.create(
            rubric=rubric,
            sort_order=order,
            name_zh=name_zh,
            name_en=name_en,
            guidance=f"{name_zh}的评分要点",
            weight=weight,
            scale_min=low,
            scale_max=high,
            **criterion_options.get(name_en, {}),
        )
    return rubric


def make_subject(name=None):
    """A stand-in subject: any model instance works through the generic relation."""
    return Group.objects.create(name=name or f"测试评审项目{next(_numbers)}")


def make_expert(user=None, name=None, **fields) -> Expert:
    return Expert.objects.create(user=user, name=name or f"测试专家{next(_numbers)}", **fields)


def make_round(manager, owner, rubric=None, subject=None, **options):
    """A draft round owned by ``owner``; ``manager`` must hold MANAGE over it (tests grant it with the
    ``owner_grants`` fixture, or use a council whose secretariat the manager is)."""
    options.setdefault("title", f"评审轮次{next(_numbers)}")
    options.setdefault("deadline", timezone.now() + datetime.timedelta(days=7))
    review_round = services.create_round(
        actor=manager, owner=owner, subject=subject or make_subject(), rubric=rubric or make_rubric(), **options
    )
    return review_round


def open_round(manager, owner, **options):
    review_round = make_round(manager, owner, **options)
    return services.open_round(actor=manager, review_round=review_round)


def cleared_assignment(manager, review_round, expert):
    """Assigned, accepted and declared no conflict: ready to score."""
    assignment = services.assign_expert(actor=manager, review_round=review_round, expert=expert)
    services.accept_assignment(actor=expert.user, assignment=assignment)
    services.declare_conflict(actor=expert.user, assignment=assignment, has_conflict=False)
    return assignment


def values_for(review_round, *scores):
    """{criterion pk: Decimal} in the rubric's order."""
    criteria = list(review_round.rubric.criteria.all())
    return {c.pk: Decimal(str(score)) for c, score in zip(criteria, scores, strict=True)}


def submit(assignment, *scores, **kwargs):
    return services.submit_scorecard(
        actor=assignment.expert.user,
        assignment=assignment,
        values=values_for(assignment.round, *scores),
        **kwargs,
    )
