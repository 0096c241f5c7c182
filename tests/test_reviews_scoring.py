"""portal.reviews.scoring.aggregate: a pure function over Decimal totals (no database)."""

from decimal import Decimal

import pytest

from portal.reviews.models import weighted_total
from portal.reviews.scoring import Aggregate, AggregationMethod, aggregate, median


def D(*values):
    return [Decimal(str(v)) for v in values]


def test_mean():
    result = aggregate(D(70, 80, 90, 85), "mean")
    assert result.value == Decimal("81.25")
    assert result.count == 4
    assert (result.min, result.max, result.spread) == (Decimal("70.00"), Decimal("90.00"), Decimal("20.00"))


def test_median_odd_and_even():
    assert aggregate(D(90, 70, 80), "median").value == Decimal("80.00")
    assert aggregate(D(70, 80, 90, 85), "median").value == Decimal("82.50")
    assert median(D(1, 2, 3, 4)) == Decimal("2.5")


def test_trimmed_mean_with_four_scores_is_the_plain_mean():
    scores = D(10, 70, 80, 100)
    trimmed = aggregate(scores, AggregationMethod.TRIMMED_MEAN)
    assert trimmed.value == aggregate(scores, "mean").value == Decimal("65.00")
    assert trimmed.trimmed is False
    assert trimmed.count == 4


def test_trimmed_mean_with_five_scores_drops_highest_and_lowest():
    result = aggregate(D(10, 70, 80, 90, 100), AggregationMethod.TRIMMED_MEAN)
    assert result.value == Decimal("80.00")  # (70 + 80 + 90) / 3
    assert result.trimmed is True
    assert result.count == 5  # all five submitted totals are counted
    assert (result.min, result.max) == (Decimal("10.00"), Decimal("100.00"))


def test_ties_at_the_extremes_drop_one_instance_each():
    # Two lowest 60s and two highest 90s: only one of each goes.
    result = aggregate(D(60, 60, 75, 90, 90), "trimmed_mean")
    assert result.value == Decimal("75.00")  # (60 + 75 + 90) / 3
    all_equal = aggregate(D(80, 80, 80, 80, 80, 80), "trimmed_mean")
    assert all_equal.value == Decimal("80.00")
    assert all_equal.spread == Decimal("0.00")
    assert all_equal.std == Decimal("0.00")


def test_spread_and_population_standard_deviation():
    # The classic example: population standard deviation exactly 2.
    result = aggregate(D(2, 4, 4, 4, 5, 5, 7, 9), "mean")
    assert result.std == Decimal("2.00")
    assert result.spread == Decimal("7.00")
    # Population (n), not sample (n - 1): sample would be 2.14.
    assert aggregate(D(1, 2, 3, 4), "mean").std == Decimal("1.12")  # sqrt(1.25) = 1.118…


def test_dispersion_flag_by_spread_or_std():
    scores = D(60, 80, 85)
    assert aggregate(scores, "mean").dispersed is False  # no thresholds: never flagged
    assert aggregate(scores, "mean", spread_threshold=Decimal(25)).dispersed is False  # 25 is not above 25
    assert aggregate(scores, "mean", spread_threshold=Decimal("24.99")).dispersed is True
    std = aggregate(scores, "mean").std
    assert std == Decimal("10.80")
    assert aggregate(scores, "mean", std_threshold=Decimal(11)).dispersed is False
    assert aggregate(scores, "mean", std_threshold=Decimal(10)).dispersed is True
    assert aggregate(scores, "mean", spread_threshold=Decimal(100), std_threshold=Decimal(10)).dispersed is True


def test_empty_list_gives_none_without_error():
    for method in AggregationMethod.values:
        result = aggregate([], method, spread_threshold=Decimal(1), std_threshold=Decimal(1))
        assert result == Aggregate(method, None, 0, None, None, None, None, False, False)


def test_single_score():
    for method in AggregationMethod.values:
        result = aggregate(D("77.5"), method, spread_threshold=Decimal(0), std_threshold=Decimal(0))
        assert result.value == Decimal("77.50")
        assert result.count == 1
        assert result.spread == Decimal("0.00")
        assert result.std == Decimal("0.00")
        assert result.dispersed is False


def test_decimal_exactness_and_rounding():
    # 0.1 + 0.2 is exactly 0.3 in Decimal; a float would not be.
    result = aggregate(D("0.1", "0.2"), "mean")
    assert result.value == Decimal("0.15")
    assert str(result.value) == "0.15"
    # ROUND_HALF_UP on the second decimal: 2.675 -> 2.68 (a float would give 2.67).
    assert aggregate(D("2.675"), "mean").value == Decimal("2.68")
    assert aggregate(D(1, 2, 2), "mean").value == Decimal("1.67")
    # Every output has two decimal places.
    for field in ("value", "min", "max", "spread", "std"):
        assert getattr(aggregate(D(1, 2, 3), "median"), field).as_tuple().exponent == -2


def test_floats_are_refused():
    with pytest.raises(TypeError):
        aggregate([0.1, 0.2], "mean")


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        aggregate(D(1), "max")


def test_result_is_frozen():
    result = aggregate(D(1), "mean")
    with pytest.raises(AttributeError):
        result.value = Decimal(2)


def test_weighted_total_is_the_weighted_mean():
    # (3·8 + 2·6 + 1·10) / 6 = 46 / 6 = 7.666… -> 7.67
    assert weighted_total([(Decimal(3), Decimal(8)), (Decimal(2), Decimal(6)), (Decimal(1), Decimal(10))]) == Decimal(
        "7.67"
    )
    # A weight of 0 is allowed: the criterion does not count.
    assert weighted_total([(Decimal(0), Decimal(1)), (Decimal(1), Decimal(9))]) == Decimal("9.00")
    with pytest.raises(ValueError):
        weighted_total([(Decimal(0), Decimal(5))])
