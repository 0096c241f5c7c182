"""Aggregating the totals of a review panel: a pure function, no database.

Definitions (also shown to staff on the round page):

- **mean** — the arithmetic mean of all totals.
- **median** — the middle total; with an even count, the mean of the two middle totals.
- **trimmed_mean** — with five or more totals, the mean after dropping one highest and one lowest total
  (when several totals tie at an extreme, only one instance is dropped); with fewer than five, the plain mean.
- **spread** — highest total minus lowest total.
- **std** — the *population* standard deviation (divide by n, not n − 1): the panel is the whole population
  whose agreement we describe, not a sample; one score has a deviation of 0.
- **dispersed** — True when the spread is greater than ``spread_threshold`` or the standard deviation is greater
  than ``std_threshold`` (strictly greater; compared before rounding). A threshold of None is not checked.

All arithmetic is Decimal; results are rounded to 2 decimal places with ROUND_HALF_UP. Floats are refused,
so that 0.1 + 0.2 never becomes 0.30000000000000004 on the way in.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from django.db import models
from django.utils.translation import gettext_lazy as _

TWO_PLACES = Decimal("0.01")
TRIM_MINIMUM = 5  # trimming starts at this many totals


class AggregationMethod(models.TextChoices):
    MEAN = "mean", _("Mean")
    MEDIAN = "median", _("Median")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (drop highest and lowest from 5 scores)")


@dataclass(frozen=True)
class Aggregate:
    method: str
    value: Decimal | None
    count: int
    min: Decimal | None
    max: Decimal | None
    spread: Decimal | None
    std: Decimal | None
    dispersed: bool
    trimmed: bool  # True when the trimmed mean really dropped two totals


def quantize(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _as_decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite score: {value!r}")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise TypeError(f"scores must be Decimal or int, not {type(value).__name__}")


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / Decimal(len(values))


def _median(ordered: list[Decimal]) -> Decimal:
    n = len(ordered)
    middle = n // 2
    if n % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / Decimal(2)


def median(values: Iterable) -> Decimal | None:
    """The exact (unrounded) median of some totals, or None when there are none."""
    ordered = sorted(_as_decimal(v) for v in values)
    return _median(ordered) if ordered else None


def aggregate(scores: Iterable, method: str, *, spread_threshold=None, std_threshold=None) -> Aggregate:
    """Aggregate a panel's totals. ``scores`` is any iterable of Decimal (or int) totals."""
    if method not in AggregationMethod.values:
        raise ValueError(f"unknown aggregation method: {method!r}")
    ordered = sorted(_as_decimal(score) for score in scores)
    n = len(ordered)
    if n == 0:
        return Aggregate(method, None, 0, None, None, None, None, False, False)

    with localcontext(Context(prec=34)):
        trimmed = False
        if method == AggregationMethod.MEDIAN:
            value = _median(ordered)
        elif method == AggregationMethod.TRIMMED_MEAN and n >= TRIM_MINIMUM:
            value = _mean(ordered[1:-1])  # one instance of the lowest and of the highest
            trimmed = True
        else:
            value = _mean(ordered)
        low, high = ordered[0], ordered[-1]
        spread = high - low
        mean = _mean(ordered)
        variance = sum(((x - mean) ** 2 for x in ordered), Decimal(0)) / Decimal(n)
        std = variance.sqrt()

    dispersed = bool(
        (spread_threshold is not None and spread > _as_decimal(spread_threshold))
        or (std_threshold is not None and std > _as_decimal(std_threshold))
    )
    return Aggregate(
        method=method,
        value=quantize(value),
        count=n,
        min=quantize(low),
        max=quantize(high),
        spread=quantize(spread),
        std=quantize(std),
        dispersed=dispersed,
        trimmed=trimmed,
    )
