"""The scoring rules of an indicator set (funds/performance/scoring.py): pure, on unsaved Indicator rows.

Linear, banded and shown items, unknown values, the panel's items, the bonus cap, the grade boundaries, the weights
that must make exactly 100, the settings refused with a message, and a whole set with a known total and grade."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from funds.models import Grade, Indicator, IndicatorGroup, IndicatorKind, ScoringRule
from funds.performance import scoring
from funds.performance.figures import Figure
from funds.performance.indicators import (
    EARLY_STAGE,
    LANDING,
    LANDING_IN_YEAR,
    LEVERAGE,
    MILESTONES,
    PACE_INVESTED,
    PACE_PAID_IN,
    REINVESTMENT,
    REVENUE_GROWTH,
    THEME_FOCUS,
)

D = Decimal


def line(key=LEVERAGE, *, weight="10", target=None, floor=None, rule=ScoringRule.LINEAR, bands=(), **fields):
    return Indicator(
        group=fields.pop("group", IndicatorGroup.POLICY),
        kind=fields.pop("kind", IndicatorKind.FORMULA),
        key=key,
        label=fields.pop("label", key),
        weight=D(weight),
        target=None if target is None else D(target),
        floor=None if floor is None else D(floor),
        rule=rule,
        bands=list(bands),
        criterion=fields.pop("criterion", ""),
        **fields,
    )


def panel(criterion, weight):
    return line("", weight=weight, kind=IndicatorKind.PANEL, group=IndicatorGroup.MANAGEMENT, criterion=criterion)


def bonus(key, weight, **fields):
    return line(key, weight=weight, kind=IndicatorKind.BONUS, **fields)


# --- linear ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, points",
    [
        ("0.5", "0.00"),  # below the floor
        ("1", "0.00"),  # at the floor
        ("2", "5.00"),  # half-way
        ("3", "10.00"),  # at the target
        ("7.5", "10.00"),  # above the target: capped at full marks
        ("2.2", "6.00"),
    ],
)
def test_linear_from_floor_to_target(value, points):
    result = scoring.score(line(weight="10", floor="1", target="3"), D(value))
    assert result.points == D(points)
    assert result.full == D(10)
    assert result.scored


def test_linear_floor_defaults_to_zero_and_rounds_half_up():
    # 1 × 1/8 = 0.125: half-up gives 0.13 (banker's rounding would give 0.12).
    assert scoring.score(line(weight="1", target="8"), 1).points == D("0.13")
    # 10 × 1/3 = 3.333…
    assert scoring.score(line(weight="10", target="3"), D(1)).points == D("3.33")


def test_a_float_value_is_taken_by_its_shown_digits():
    assert scoring.score(line(weight="10", floor="0", target="1"), 0.35).points == D("3.50")


def test_a_figure_is_scored_by_its_value():
    assert scoring.score(line(weight="20", target="4"), Figure(D("3"))).points == D("15.00")


def test_an_unknown_value_scores_zero_and_says_why():
    result = scoring.score(line(weight="15", target="3"), Figure(None, reason="No government contribution"))
    assert result.points == D(0)
    assert result.full == D(15)
    assert "No government contribution" in str(result.reason)
    assert scoring.score(line(weight="15", target="3"), None).points == D(0)


# --- banded ---------------------------------------------------------------------------------------------------------

BANDS = [[1, 0.6], [1.5, 1], [1.2, 0.8]]  # in any order: scored from the highest threshold down


@pytest.mark.parametrize(
    "value, points",
    [("2", "10.00"), ("1.5", "10.00"), ("1.49", "8.00"), ("1.2", "8.00"), ("1.0", "6.00"), ("0.99", "0.00")],
)
def test_banded_takes_the_share_of_the_highest_threshold_reached(value, points):
    assert scoring.score(line(weight="10", rule=ScoringRule.BANDED, bands=BANDS), D(value)).points == D(points)


def test_bands_given_as_strings_are_numbers_too():
    indicator = line(weight="8", rule=ScoringRule.BANDED, bands=[["50", "0.5"]])
    assert scoring.score(indicator, D(50)).points == D("4.00")


# --- shown ----------------------------------------------------------------------------------------------------------


def test_shown_is_not_scored():
    result = scoring.score(line(PACE_PAID_IN, weight="0", rule=ScoringRule.SHOWN), D(80))
    assert result.points is None
    assert not result.scored
    assert result.reason


@pytest.mark.parametrize("rule", [ScoringRule.LINEAR, ScoringRule.BANDED])
def test_local_reinvestment_with_a_zero_target_is_shown_not_scored(rule):
    indicator = line(REINVESTMENT, weight="0", target="0", rule=rule, bands=[[1, 1]])
    assert scoring.is_shown(indicator)
    result = scoring.score(indicator, Figure(D("1.2")))
    assert result.points is None
    with translation.override("en"):
        assert "target is zero" in str(scoring.score(indicator, D(1)).reason)


def test_a_zero_target_of_another_indicator_is_still_scored():
    indicator = line(REVENUE_GROWTH, weight="10", floor="-20", target="0")
    assert not scoring.is_shown(indicator)
    assert scoring.score(indicator, D(-10)).points == D("5.00")


def test_reinvestment_with_a_target_is_scored():
    indicator = line(REINVESTMENT, weight="10", floor="0", target="1.5")
    assert scoring.score(indicator, D("0.75")).points == D("5.00")


# --- panel items ----------------------------------------------------------------------------------------------------


def test_panel_item_is_the_mean_scaled_to_the_weight():
    assert scoring.panel_points(panel("management", "15"), [8, 9, 7]).points == D("12.00")
    # On a 1–5 scale: mean 4 is three quarters of the way from 1 to 5.
    assert scoring.panel_points(panel("team", "10"), [D(3), D(5)], lowest=1, highest=5).points == D("7.50")


def test_panel_item_not_yet_scored_is_zero_with_a_reason():
    result = scoring.panel_points(panel("management", "15"), [])
    assert result.points == D(0)
    with translation.override("en"):
        assert "not scored" in str(result.reason)
    with translation.override("zh-hans"):
        assert "尚未评分" in str(result.reason)


def test_panel_scale_must_be_a_range():
    with pytest.raises(ValidationError):
        scoring.panel_points(panel("management", "15"), [5], lowest=10, highest=10)


# --- totals, bonus cap, grades --------------------------------------------------------------------------------------


def test_bonus_items_are_capped_in_total():
    items = [(line(weight="100", target="1"), scoring.Points(D("70"), D(100)))] + [
        (bonus(MILESTONES, "6"), scoring.Points(D("6"), D(6))) for _ in range(3)
    ]
    result = scoring.total(items)
    assert (result.scored, result.bonus_uncapped, result.bonus, result.total) == (D(70), D(18), D(10), D(80))
    assert result.grade == Grade.GOOD
    assert scoring.total(items, bonus_cap=D(4)).total == D(74)
    assert scoring.total(items, bonus_cap=D(0)).total == D(70)


def test_shown_items_add_nothing():
    items = [
        (line(weight="100", target="1"), scoring.Points(D("61.5"), D(100))),
        (line(REINVESTMENT, weight="0", target="0"), scoring.Points(None, D(0))),
    ]
    assert scoring.total(items).total == D("61.50")


@pytest.mark.parametrize(
    "total, grade",
    [
        ("0", Grade.POOR),
        ("59.99", Grade.POOR),
        ("60", Grade.FAIR),
        ("79.99", Grade.FAIR),
        ("80", Grade.GOOD),
        ("89.99", Grade.GOOD),
        ("89.995", Grade.EXCELLENT),  # shown as 90.00
        ("90", Grade.EXCELLENT),
        ("108", Grade.EXCELLENT),
    ],
)
def test_grade_boundaries(total, grade):
    assert scoring.grade(D(total)) == grade


# --- validation -----------------------------------------------------------------------------------------------------


def _weighted(*weights):
    return [line(PACE_PAID_IN, weight=weight, target="100") for weight in weights]


def test_weights_must_make_exactly_100():
    assert scoring.validate_weights(_weighted("50", "50")) == D(100)
    with pytest.raises(ValidationError) as refused:
        scoring.validate_weights(_weighted("50", "49.99"))
    assert "99.99" in refused.value.messages[0]


def test_weights_message_in_chinese():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as refused:
            scoring.validate_weights(_weighted("60", "30"))
        assert "90.00" in refused.value.messages[0]
        assert "权重" in refused.value.messages[0]


def test_bonus_and_shown_weights_are_outside_the_100():
    indicators = [
        *_weighted("60", "40"),
        bonus(MILESTONES, "10", target="3"),
        line(REINVESTMENT, weight="0", target="0"),
        line(LANDING, weight="0", rule=ScoringRule.SHOWN),
    ]
    assert scoring.validate_weights(indicators) == D(100)
    scoring.validate(indicators)


@pytest.mark.parametrize(
    "indicator, field, words",
    [
        (line(weight="-5", target="1"), "weight", "negative"),
        (line(weight="10", floor="3", target="3"), "floor", "below the target"),
        (line(weight="10", floor="5", target="3"), "floor", "below the target"),
        (line(weight="10"), "target", "needs a target"),
        (line(weight="10", rule=ScoringRule.BANDED, bands=[]), "bands", "at least one band"),
        (line(weight="10", rule=ScoringRule.BANDED, bands=[["high", 1]]), "bands", "Band 1 is not a pair"),
        (line(weight="10", rule=ScoringRule.BANDED, bands=[[2, 1], [1]]), "bands", "Band 2 is not a pair"),
        (line(weight="10", rule=ScoringRule.BANDED, bands=[[2, True]]), "bands", "Band 1 is not a pair"),
        (line(weight="10", rule=ScoringRule.BANDED, bands=[[2, 1.5]]), "bands", "between 0 and 1"),
        (line(weight="10", rule=ScoringRule.BANDED, bands=[[2, 1], [2.0, 0.5]]), "bands", "same threshold"),
        (line("no_such_formula", weight="10", target="1"), "key", "Unknown formula"),
        (panel("", "10"), "criterion", "criterion"),
        (line(REINVESTMENT, weight="5", target="0"), "weight", "set its weight to 0"),
    ],
)
def test_bad_settings_are_refused_on_their_field(indicator, field, words):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            scoring.validate_indicator(indicator)
        assert field in refused.value.message_dict
        assert words in " ".join(refused.value.message_dict[field])


def test_bad_settings_in_chinese():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as refused:
            scoring.validate_indicator(line(weight="10", floor="5", target="3"))
        assert "下限" in refused.value.message_dict["floor"][0]


def test_validate_names_each_indicator_and_the_weights():
    indicators = [line(weight="-5", target="1", label="放大倍数"), line(PACE_PAID_IN, weight="50", target="100")]
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            scoring.validate(indicators)
        messages = refused.value.messages
        assert any(message.startswith("放大倍数: ") and "negative" in message for message in messages)
        assert any("add up to 45.00" in message for message in messages)


# --- a whole set ----------------------------------------------------------------------------------------------------


def demo_set():
    """A set in the common 政策效果 / 管理效能 / 业绩 split (weights 15+0+10+10+15+10+10+5 + 15+10 = 100)."""
    return [
        line(LEVERAGE, weight="15", floor="1", target="3"),
        line(REINVESTMENT, weight="0", target="0"),
        line(PACE_PAID_IN, weight="10", floor="50", target="100"),
        line(PACE_INVESTED, weight="10", rule=ScoringRule.BANDED, bands=[[90, 1], [70, 0.8], [50, 0.5]]),
        line(THEME_FOCUS, weight="15", floor="60", target="90"),
        line(EARLY_STAGE, weight="10", rule=ScoringRule.BANDED, bands=[[50, 1], [30, 0.6]]),
        line(LANDING, weight="10", target="8"),
        line(REVENUE_GROWTH, weight="5", floor="-10", target="20", group=IndicatorGroup.RETURNS),
        panel("management", "15"),
        panel("compliance", "10"),
        bonus(MILESTONES, "6", target="4"),
        bonus(LANDING_IN_YEAR, "6", rule=ScoringRule.BANDED, bands=[[2, 1]]),
    ]


FIGURES = {
    LEVERAGE: Figure(D("2.5")),  # 15 × 1.5/2 = 11.25
    REINVESTMENT: Figure(D("0.4")),  # shown
    PACE_PAID_IN: Figure(D("80")),  # 10 × 30/50 = 6
    PACE_INVESTED: Figure(D("72.5")),  # band 70 → 8
    THEME_FOCUS: Figure(D("95")),  # capped: 15
    EARLY_STAGE: Figure(D("25")),  # below every band: 0
    LANDING: Figure(5),  # 10 × 5/8 = 6.25
    REVENUE_GROWTH: Figure(None, reason="no reports"),  # 0
    MILESTONES: Figure(5),  # bonus 6
    LANDING_IN_YEAR: Figure(3),  # bonus 6 → bonus 12, capped at 10
}
PANEL = {
    "management": scoring.PanelScores((D(8), D(9), D(7))),  # mean 8 → 12
    "compliance": scoring.PanelScores((D(10), D(9))),  # mean 9.5 → 9.5
}


def test_a_known_set_gives_its_known_total_and_grade():
    lines, result = scoring.score_set(demo_set(), FIGURES, PANEL)
    points = {(indicator.key or indicator.criterion): points.points for indicator, points in lines}
    assert points == {
        LEVERAGE: D("11.25"),
        REINVESTMENT: None,
        PACE_PAID_IN: D("6.00"),
        PACE_INVESTED: D("8.00"),
        THEME_FOCUS: D("15.00"),
        EARLY_STAGE: D("0"),
        LANDING: D("6.25"),
        REVENUE_GROWTH: D("0"),
        "management": D("12.00"),
        "compliance": D("9.50"),
        MILESTONES: D("6.00"),
        LANDING_IN_YEAR: D("6.00"),
    }
    assert result.scored == D("68.00")
    assert result.bonus_uncapped == D("12.00")
    assert result.bonus == D("10.00")
    assert result.total == D("78.00")
    assert result.grade == Grade.FAIR
    assert result.groups == {
        IndicatorGroup.POLICY: (D("46.50"), D(70)),
        IndicatorGroup.RETURNS: (D(0), D(5)),
        IndicatorGroup.MANAGEMENT: (D("21.50"), D(25)),
    }


def test_the_same_set_with_a_full_panel_is_good():
    panel_scores = {**PANEL, "compliance": scoring.PanelScores((D(10), D(10)))}
    figures = {**FIGURES, REVENUE_GROWTH: Figure(D("20"))}
    _lines, result = scoring.score_set(demo_set(), figures, panel_scores, bonus_cap=D(5))
    # 68 − 9.5 + 10 (compliance) + 5 (growth) = 73.5, bonus capped at 5.
    assert (result.total, result.grade) == (D("78.50"), Grade.FAIR)
    _lines, result = scoring.score_set(demo_set(), figures, panel_scores, bonus_cap=D(10))
    assert (result.total, result.grade) == (D("83.50"), Grade.GOOD)


def test_a_set_whose_weights_are_wrong_is_not_scored():
    indicators = demo_set()
    indicators[0].weight = D("14.99")
    with pytest.raises(ValidationError):
        scoring.score_set(indicators, FIGURES, PANEL)


def test_a_formula_missing_from_the_figures_scores_zero():
    lines, _result = scoring.score_set(demo_set(), {}, {})
    assert all(points.points in (None, D(0)) for _indicator, points in lines)


def test_a_target_typed_as_text_must_be_a_number():
    typed = SimpleNamespace(
        kind=IndicatorKind.FORMULA,
        key=LEVERAGE,
        label="x",
        weight="10",
        target="3 倍",
        floor="",
        rule="linear",
        bands=[],
    )
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            scoring.validate_indicator(typed)
        assert refused.value.message_dict["target"] == ["“3 倍” is not a number."]
    typed.target = "3"
    scoring.validate_indicator(typed)
    assert scoring.score(typed, "1.5").points == D("5.00")


def test_a_panel_item_is_not_scored_as_a_formula():
    with pytest.raises(ValueError):
        scoring.score(panel("management", "15"), D(8))
