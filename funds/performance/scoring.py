"""Scoring an indicator set: an indicator's points, the total, the grade 优/良/中/差. Pure rules, no database.

An indicator is anything with the attributes of ``funds.models.Indicator`` (``kind``, ``key``, ``weight``,
``target``, ``floor``, ``rule``, ``bands``, ``criterion``, ``label``): the model itself or a plain object in a test.
Every number is a ``Decimal``; points are rounded to 2 places with ROUND_HALF_UP, and the total is the sum of the
rounded points, so the table a reader sees adds up.

Rules
-----
LINEAR
    0 at or below the floor, full marks (the weight) at or above the target, on a straight line between. The floor
    defaults to 0. Higher is better: every formula in ``funds.performance.indicators`` is built so. A floor at or
    above the target is refused rather than read as "lower is better", because a typing slip would then silently
    reverse an indicator. A pass-or-fail item is one band: ``[[target, 1]]``.
BANDED
    ``bands`` is ``[[threshold, share], ...]`` with shares of full marks between 0 and 1, in any order: the points
    are the share of the highest threshold the value reaches (``value >= threshold``), 0 below every band.
SHOWN
    Shown, not scored (points ``None``). Local reinvestment (返投) with a target of 0 is shown too: national guidance
    now encourages dropping 返投 requirements, and a zero target is how an indicator set says it has.
Unknown values
    A figure that cannot be computed (``Figure.value is None``) scores 0, and the reason says why.
Panel items
    The mean of the panel's scores for the item's criterion (``portal.reviews.scoring.aggregate``), placed on the
    criterion's scale and scaled to the weight: ``(mean − lowest) ÷ (highest − lowest) × weight``.
Bonus items
    Scored like formula items up to their own weight; together they add at most the set's ``bonus_cap`` (10 by
    default). They are outside the 100 that the other weights must make, so a total may exceed 100.
Grade
    Of the total as shown (2 places): 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from funds.models.performance import Grade, IndicatorKind, ScoringRule
from funds.performance.figures import Figure
from funds.performance.formulas import KEYS
from funds.performance.indicators import REINVESTMENT
from portal.reviews.scoring import AggregationMethod, aggregate
from portal.text import fmt

TWO_PLACES = Decimal("0.01")
FULL_MARKS = Decimal(100)
DEFAULT_BONUS_CAP = Decimal(10)
# The lowest total of each grade, best first.
GRADE_FLOORS = (
    (Decimal(90), Grade.EXCELLENT),
    (Decimal(80), Grade.GOOD),
    (Decimal(60), Grade.FAIR),
)


def rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def as_number(value) -> Decimal | None:
    """``value`` as a finite Decimal (floats through their shortest repr), ``None`` when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class Points:
    """An indicator's points out of ``full``; ``None`` when it is shown, not scored. ``reason``: why 0 or None."""

    points: Decimal | None
    full: Decimal
    reason: str = ""  # lazy: read in the reader's language

    @property
    def scored(self) -> bool:
        return self.points is not None


@dataclass(frozen=True)
class Total:
    scored: Decimal  # the points of the weighted (non-bonus) indicators
    bonus: Decimal  # bonus points counted, after the cap
    bonus_uncapped: Decimal
    total: Decimal
    grade: str  # a funds.models.Grade value
    # Per IndicatorGroup (政策效果 / 管理效能 / 业绩) of the weighted items: points and full marks.
    groups: dict = field(default_factory=dict)


def _label(indicator) -> str:
    return getattr(indicator, "display_label", None) or indicator.label or indicator.key


def _weight(indicator) -> Decimal:
    return as_number(indicator.weight) or Decimal(0)


def is_bonus(indicator) -> bool:
    return indicator.kind == IndicatorKind.BONUS


def is_shown(indicator) -> bool:
    """Shown, not scored: the SHOWN rule, or local reinvestment whose target is zero."""
    if indicator.kind == IndicatorKind.PANEL:
        return False
    if indicator.rule == ScoringRule.SHOWN:
        return True
    target = as_number(indicator.target)
    return indicator.key == REINVESTMENT and target is not None and target == 0


def is_weighted(indicator) -> bool:
    """Counts towards the 100 points: scored, and not a bonus item."""
    return not is_bonus(indicator) and not is_shown(indicator)


# --- the rules ----------------------------------------------------------------------------------------------------


def linear(value: Decimal, weight: Decimal, floor: Decimal, target: Decimal) -> Decimal:
    if value <= floor:
        return Decimal(0)
    if value >= target:
        return rounded(weight)
    return rounded(weight * (value - floor) / (target - floor))


def banded(value: Decimal, weight: Decimal, bands: list[tuple[Decimal, Decimal]]) -> Decimal:
    for threshold, share in sorted(bands, reverse=True):
        if value >= threshold:
            return rounded(weight * share)
    return Decimal(0)


def parse_bands(bands) -> list[tuple[Decimal, Decimal]]:
    """``[[threshold, share], ...]`` as Decimals; a ValidationError names the first band that is not a number pair."""
    if not isinstance(bands, list | tuple) or not bands:
        raise ValidationError({"bands": _("Banded scoring needs at least one band.")}, code="no_bands")
    parsed, seen = [], set()
    for number, band in enumerate(bands, start=1):
        pair = [as_number(part) for part in band] if isinstance(band, list | tuple) else []
        if len(pair) != 2 or None in pair:
            raise ValidationError(
                {
                    "bands": fmt(
                        _("Band %(number)s is not a pair of numbers (threshold, share of full marks)."), number=number
                    )
                },
                code="band_not_numbers",
            )
        threshold, share = pair
        if not 0 <= share <= 1:
            raise ValidationError(
                {"bands": fmt(_("Band %(number)s: the share of full marks must be between 0 and 1."), number=number)},
                code="band_share",
            )
        if threshold in seen:
            raise ValidationError(
                {"bands": fmt(_("Two bands have the same threshold %(threshold)s."), threshold=threshold)},
                code="band_twice",
            )
        seen.add(threshold)
        parsed.append((threshold, share))
    return parsed


def score(indicator, value) -> Points:
    """The points of a formula or bonus item for its computed ``value`` (a Figure, a number, or None)."""
    if indicator.kind == IndicatorKind.PANEL:
        raise ValueError("a panel item is scored by panel_points()")
    weight = _weight(indicator)
    if is_shown(indicator):
        if indicator.rule == ScoringRule.SHOWN:
            return Points(None, Decimal(0), _("Shown, not scored."))
        return Points(None, Decimal(0), _("The local reinvestment target is zero: shown, not scored."))
    reason = ""
    if isinstance(value, Figure):
        reason, value = value.reason, value.value
    number = as_number(value)
    if number is None:
        return Points(Decimal(0), weight, fmt(_("Cannot be computed, scored 0: %(reason)s"), reason=reason or "—"))
    if indicator.rule == ScoringRule.BANDED:
        return Points(banded(number, weight, parse_bands(indicator.bands)), weight)
    floor, target = _floor_and_target(indicator)
    return Points(linear(number, weight, floor, target), weight)


def _floor_and_target(indicator) -> tuple[Decimal, Decimal]:
    target = as_number(indicator.target)
    if target is None:
        raise ValidationError({"target": _("Linear scoring needs a target.")}, code="no_target")
    floor = as_number(indicator.floor)
    floor = Decimal(0) if floor is None else floor
    if floor >= target:
        raise ValidationError(
            {
                "floor": fmt(
                    _("The floor (%(floor)s) must be below the target (%(target)s): higher values score better."),
                    floor=floor,
                    target=target,
                )
            },
            code="floor_not_below_target",
        )
    return floor, target


def panel_points(indicator, scores: Iterable, *, lowest=0, highest=10, method: str = AggregationMethod.MEAN) -> Points:
    """A panel item's points: the panel's aggregate score for its criterion on the scale ``lowest``–``highest``,
    scaled to the weight. Not scored yet → 0, saying so."""
    weight = _weight(indicator)
    lowest, highest = as_number(lowest), as_number(highest)
    if lowest is None or highest is None or highest <= lowest:
        raise ValidationError(_("The criterion's highest score must be above its lowest."), code="scale")
    panel = aggregate([as_number(one) for one in scores], method)
    if panel.value is None:
        return Points(Decimal(0), weight, _("The expert panel has not scored this yet: scored 0."))
    share = min(max((panel.value - lowest) / (highest - lowest), Decimal(0)), Decimal(1))
    return Points(rounded(weight * share), weight)


def total(lines: Iterable[tuple[object, Points]], bonus_cap=DEFAULT_BONUS_CAP) -> Total:
    """Sum ``(indicator, points)`` lines: the weighted points plus the bonus points up to ``bonus_cap``."""
    cap = as_number(bonus_cap)
    cap = DEFAULT_BONUS_CAP if cap is None else cap
    scored = bonus = Decimal(0)
    groups: dict[str, tuple[Decimal, Decimal]] = {}
    for indicator, points in lines:
        if not points.scored:
            continue
        if is_bonus(indicator):
            bonus += points.points
            continue
        scored += points.points
        got, full = groups.get(indicator.group, (Decimal(0), Decimal(0)))
        groups[indicator.group] = (got + points.points, full + points.full)
    counted = min(bonus, cap)
    sum_total = rounded(scored + counted)
    return Total(
        scored=rounded(scored),
        bonus=rounded(counted),
        bonus_uncapped=rounded(bonus),
        total=sum_total,
        grade=grade(sum_total),
        groups=groups,
    )


def grade(total_points) -> str:
    """优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below, of the total rounded to 2 places as it is shown."""
    shown = rounded(as_number(total_points) or Decimal(0))
    for lowest, name in GRADE_FLOORS:
        if shown >= lowest:
            return name
    return Grade.POOR


# --- validation -------------------------------------------------------------------------------------------------


def validate_indicator(indicator) -> None:
    """One indicator's own settings: a ValidationError on the field concerned, in the reader's language."""
    weight = as_number(indicator.weight)
    if weight is None:
        raise ValidationError({"weight": _("The weight must be a number.")}, code="weight")
    if weight < 0:
        raise ValidationError({"weight": _("A weight cannot be negative.")}, code="negative_weight")
    for name in ("target", "floor"):
        given = getattr(indicator, name)
        if given not in (None, "") and as_number(given) is None:
            raise ValidationError({name: fmt(_("“%(value)s” is not a number."), value=given)}, code="not_a_number")
    if indicator.kind == IndicatorKind.PANEL:
        if not (indicator.criterion or "").strip():
            raise ValidationError(
                {"criterion": _("A panel item needs the rubric criterion its panel scores.")}, code="no_criterion"
            )
        return
    if indicator.key not in KEYS:
        raise ValidationError({"key": fmt(_("Unknown formula “%(key)s”."), key=indicator.key)}, code="unknown_key")
    if is_shown(indicator):
        if weight:
            raise ValidationError(
                {"weight": _("This indicator is shown, not scored: set its weight to 0.")}, code="shown_weight"
            )
        return
    if indicator.rule == ScoringRule.BANDED:
        parse_bands(indicator.bands)
    else:
        _floor_and_target(indicator)


def validate_weights(indicators: Iterable) -> Decimal:
    """The weights of the scored, non-bonus indicators must add up to exactly 100; returns the sum."""
    weights = sum((_weight(indicator) for indicator in indicators if is_weighted(indicator)), Decimal(0))
    if weights != FULL_MARKS:
        raise ValidationError(
            fmt(
                _("The weights of the scored indicators add up to %(sum)s; they must add up to exactly 100."),
                sum=rounded(weights),
            ),
            code="weights",
        )
    return weights


def validate(indicators: Iterable) -> None:
    """A whole indicator set: every indicator's settings, then the weights. One ValidationError lists every problem,
    each message naming its indicator."""
    indicators = list(indicators)
    errors = []
    for indicator in indicators:
        try:
            validate_indicator(indicator)
        except ValidationError as error:
            errors.extend(
                ValidationError(fmt(_("%(indicator)s: %(problem)s"), indicator=_label(indicator), problem=message))
                for message in error.messages
            )
    try:
        validate_weights(indicators)
    except ValidationError as error:
        errors.append(error)
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class PanelScores:
    """The expert panel's scores for one rubric criterion, on the criterion's scale."""

    scores: tuple = ()
    lowest: Decimal = Decimal(0)
    highest: Decimal = Decimal(10)


def score_set(
    indicators: Iterable,
    figures: dict,
    panel: dict | None = None,
    *,
    bonus_cap=DEFAULT_BONUS_CAP,
    method: str = AggregationMethod.MEAN,
) -> tuple[list[tuple[object, Points]], Total]:
    """Validate an indicator set, then score it: ``figures`` maps formula keys to their Figures, ``panel`` maps
    criteria to ``PanelScores``. Returns each indicator with its points, and the total with its grade."""
    indicators = list(indicators)
    validate(indicators)
    panel = panel or {}
    lines = []
    for indicator in indicators:
        if indicator.kind == IndicatorKind.PANEL:
            given = panel.get(indicator.criterion, PanelScores())
            points = panel_points(indicator, given.scores, lowest=given.lowest, highest=given.highest, method=method)
        else:
            points = score(indicator, figures.get(indicator.key))
        lines.append((indicator, points))
    return lines, total(lines, bonus_cap)
