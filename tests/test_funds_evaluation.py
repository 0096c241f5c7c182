"""The evaluation of a year from recorded data: the snapshot, its scores, total and grade worked out by hand
(tests/funds_performance_world.py), the steps' permissions and refusals, and that a computed year keeps its figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from funds.models import EvaluationState, Grade, IndicatorSet, PerformanceEvaluation, Valuation
from funds.services import performance as services
from tests import funds_performance_world as perf

pytestmark = pytest.mark.django_db
M = Decimal(1_000_000)


@pytest.fixture
def world():
    return perf.build()


def computed(world):
    evaluation = services.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    return services.compute_evaluation(actor=world.manager, evaluation=evaluation)


def scores(evaluation):
    return {row["key"]: row["score"] for row in evaluation.snapshot["indicators"]}


def test_the_evaluation_scores_the_recorded_year_as_worked_out_by_hand(world):
    evaluation = computed(world)
    assert scores(evaluation) == {
        "leverage": "30.00",
        "reinvestment": "12.00",
        "gross_tvpi": "21.00",
        "gross_dpi": "16.00",
        "milestones": "5.00",
    }
    assert evaluation.total == Decimal("84.00")
    assert evaluation.grade == Grade.GOOD
    groups = {group["group"]: (group["score"], group["weight"]) for group in evaluation.snapshot["groups"]}
    assert groups == {"policy": ("42.00", "50.00"), "returns": ("37.00", "50.00")}
    assert evaluation.snapshot["bonus"] == "5.00"


def test_each_figure_lists_the_rows_it_came_from(world):
    evaluation = computed(world)
    snapshot = evaluation.snapshot
    tvpi = snapshot["figures"]["gross_tvpi"]
    assert Decimal(tvpi["value"]) == Decimal("1.7")
    assert Decimal(tvpi["numerator"]) == 170 * M and Decimal(tvpi["denominator"]) == 100 * M
    refs = set(tvpi["sources"])
    assert f"funds.exit:{world.deal_b.exit.pk}" in refs
    valuation = Valuation.objects.get(deal=world.deal_a)
    assert f"funds.valuation:{valuation.pk}" in refs
    for ref in refs:
        assert ref in snapshot["rows"]
    leverage = snapshot["figures"]["leverage"]
    assert Decimal(leverage["value"]) == 4


def test_the_quarterly_series_and_deal_table_are_kept(world):
    snapshot = computed(world).snapshot
    quarters = snapshot["quarterly"]
    assert quarters[0]["end"] == "2022-03-31" and quarters[-1]["end"] == "2024-12-31"
    assert Decimal(quarters[0]["net"]) == -60 * M  # the J-curve starts below zero
    assert Decimal(quarters[-1]["tvpi"]) == Decimal("1.7")
    deals = {row["company"]: row for row in snapshot["deals"]}
    assert Decimal(deals["乙医疗器械有限公司"]["moic"]) == 2
    assert len(snapshot["flows"]) == 2 + 1 + 2 + 2  # two tranches, one exit, two paid-in, two distributions


def test_a_computed_year_keeps_its_figures_until_recomputed(world):
    evaluation = computed(world)
    Valuation.objects.filter(deal=world.deal_a).update(value=150 * M)
    evaluation.refresh_from_db()
    assert scores(evaluation)["gross_tvpi"] == "21.00"
    evaluation = services.compute_evaluation(actor=world.manager, evaluation=evaluation)
    assert scores(evaluation)["gross_tvpi"] == "30.00"  # (80 + 150) ÷ 100 = 2.3×, capped at full marks


def test_approval_needs_recommendations_and_the_chair(world):
    evaluation = computed(world)
    with pytest.raises(PermissionDenied):
        services.approve_evaluation(actor=world.manager, evaluation=evaluation)
    with pytest.raises(ValidationError) as refused:
        services.approve_evaluation(actor=world.ic_chair, evaluation=evaluation)
    with translation.override("en"):
        assert "recommendations" in str(refused.value)
    evaluation.refresh_from_db()
    assert evaluation.state == EvaluationState.DRAFT
    services.write_recommendations(
        actor=world.manager, evaluation=evaluation, recommendations="维持下一年度预算规模，向早期项目倾斜。"
    )
    evaluation = services.approve_evaluation(actor=world.ic_chair, evaluation=evaluation)
    assert evaluation.state == EvaluationState.APPROVED and evaluation.approved_by == world.ic_chair
    with pytest.raises(ValidationError):
        services.compute_evaluation(actor=world.manager, evaluation=evaluation)
    with pytest.raises(ValidationError):
        services.set_indicators(
            actor=world.manager, fund=world.fund, year=perf.YEAR, name="改", indicators=perf.INDICATORS
        )


def test_only_the_funds_managers_start_and_compute(world):
    for person in (world.ic_chair, world.other_manager, world.role_only, world.outsider):
        with pytest.raises(PermissionDenied):
            services.start_evaluation(actor=person, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    assert not PerformanceEvaluation.objects.exists()
    evaluation = services.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    with pytest.raises(PermissionDenied):
        services.compute_evaluation(actor=world.other_manager, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.computed_at is None


def test_bad_dates_and_a_second_start_are_refused(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    future_set = IndicatorSet.objects.create(fund=world.fund, year=tomorrow.year, name="下一年")
    with pytest.raises(ValidationError):
        services.start_evaluation(actor=world.manager, indicator_set=future_set, as_of=tomorrow)
    with pytest.raises(ValidationError):
        services.start_evaluation(
            actor=world.manager, indicator_set=world.indicator_set, as_of=datetime.date(2023, 6, 30)
        )
    services.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    with pytest.raises(ValidationError):
        services.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    assert PerformanceEvaluation.objects.count() == 1


def test_weights_that_do_not_make_100_are_refused_and_nothing_changes(world):
    lines = [dict(line) for line in perf.INDICATORS]
    lines[0]["weight"] = "29.99"
    with pytest.raises(ValidationError) as refused:
        services.set_indicators(actor=world.manager, fund=world.fund, year=perf.YEAR, name="改", indicators=lines)
    assert "99.99" in str(refused.value)
    world.indicator_set.refresh_from_db()
    assert world.indicator_set.name == "2024年度绩效评价指标"
    assert world.indicator_set.indicators.count() == len(perf.INDICATORS)
    lines[0]["weight"] = "三十"
    with pytest.raises(ValidationError):
        services.set_indicators(actor=world.manager, fund=world.fund, year=perf.YEAR, name="改", indicators=lines)


def test_no_government_contribution_shows_a_reason_not_a_crash(world):
    world.government.delete()
    evaluation = computed(world)
    row = next(row for row in evaluation.snapshot["indicators"] if row["key"] == "leverage")
    assert row["value"] is None and row["score"] == "0.00"
    assert row["reason"]["en"] and row["reason"]["zh-hans"]


def test_returns_indicators_are_valid_formulas_but_unknown_keys_are_not(world):
    lines = [dict(line) for line in perf.INDICATORS]
    lines[2]["key"] = "gross_irr_typo"
    with pytest.raises(ValidationError) as refused:
        services.set_indicators(actor=world.manager, fund=world.fund, year=2023, name="x", indicators=lines)
    assert "gross_irr_typo" in str(refused.value)
    assert not IndicatorSet.objects.filter(year=2023).exists()
