"""Results: the counted scorecards, the aggregate, and closing a round."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import lifecycle
from portal.history.record import Tell, record
from portal.notifications.services import notify

from .. import permissions
from ..models import (
    Assignment,
    AssignmentState,
    ReviewRound,
    Scorecard,
)
from ..scoring import Aggregate, aggregate, median, quantize
from .common import assignee_users, round_managers

# --- Results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorecardRow:
    assignment: Assignment
    scorecard: Scorecard
    total: Decimal
    deviation: Decimal | None  # from the median of the other counted totals
    outlier: bool


@dataclass(frozen=True)
class RoundResult:
    aggregate: Aggregate
    rows: list[ScorecardRow]
    min_scores: int

    @property
    def sufficient(self) -> bool:
        return self.aggregate.count >= self.min_scores


def counted_scorecards(review_round) -> list[Scorecard]:
    return list(
        Scorecard.objects.filter(
            assignment__round=review_round, assignment__state=AssignmentState.SUBMITTED, total__isnull=False
        )
        .select_related("assignment__expert")
        .prefetch_related("scores")
        .order_by("assignment__pk")
    )


def record_scores_viewed(*, actor, review_round, scorecards: int, assignment=None) -> None:
    """A sensitive read: someone who manages the round saw named scorecards. Audited, changes nothing else."""
    data = {"scorecards": scorecards}
    if assignment is not None:
        data["assignment"] = assignment.pk
    record("reviews.view_scores", actor=actor, instance=review_round, data=data)


def round_result(review_round, scorecards=None) -> RoundResult:
    """The aggregate over counted scorecards (submitted, not recused), with each total's distance from the
    median of the others. For staff: views check permissions.can_see_round first."""
    scorecards = counted_scorecards(review_round) if scorecards is None else scorecards
    totals = [card.total for card in scorecards]
    result = aggregate(
        totals,
        review_round.aggregation,
        spread_threshold=review_round.spread_threshold,
        std_threshold=review_round.std_threshold,
    )
    rows = []
    for index, card in enumerate(scorecards):
        others = totals[:index] + totals[index + 1 :]
        reference = median(others)
        deviation = None if reference is None else quantize(card.total - reference)
        outlier = bool(
            deviation is not None
            and review_round.outlier_threshold is not None
            and abs(deviation) > review_round.outlier_threshold
        )
        rows.append(ScorecardRow(card.assignment, card, card.total, deviation, outlier))
    return RoundResult(aggregate=result, rows=rows, min_scores=review_round.min_scores)


@transaction.atomic
def close_round(*, actor, review_round: ReviewRound, reason: str = "") -> RoundResult:
    """Close scoring and record the aggregate. With fewer scorecards than the minimum, a reason is required."""
    if not permissions.can_manage_round(actor, review_round):
        raise PermissionDenied
    if not review_round.is_open:
        raise lifecycle.refused(review_round)  # before the count: a draft or closed round has none to check
    result = round_result(review_round)
    reason = (reason or "").strip()
    if not result.sufficient and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Only %(count)s of the %(minimum)s required scorecards are in; give a reason to close anyway."
                )
                % {"count": result.aggregate.count, "minimum": review_round.min_scores}
            }
        )
    lifecycle.take(review_round, "close", actor, timezone.now(), result.aggregate)
    review_round.save()
    agg = result.aggregate
    closed = gettext_lazy("The review round {title} has closed")
    managers = round_managers(review_round)
    record(
        "reviews.close_round",
        actor=actor,
        instance=review_round,
        data={
            "method": agg.method,
            "value": None if agg.value is None else str(agg.value),
            "count": agg.count,
            "spread": None if agg.spread is None else str(agg.spread),
            "std": None if agg.std is None else str(agg.std),
            "dispersed": agg.dispersed,
            "reason": reason,
        },
        tell=Tell(managers, title=format_lazy(closed, title=review_round.title), email=False),
    )
    # The experts who scored hear it too, under the name the round shows them.
    submitted = [row.assignment for row in result.rows]
    manager_ids = {user.pk for user in managers}
    notify(
        [user for user in assignee_users(submitted) if user.pk not in manager_ids],
        title=format_lazy(closed, title=review_round.assignee_label),
        url="",
        email=False,
    )
    return result
