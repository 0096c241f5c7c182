"""The financial metrics of funds/performance/metrics.py: the issue's reference values, and the edges (order, same
day, no sign change, no root, two roots, the valuation date, the index, bad input). Pure: no database."""

import datetime
from decimal import Decimal

import numpy as np
import pytest
from django.utils import translation

from funds.performance import metrics
from funds.performance.metrics import MetricError, MultipleIrr

D = datetime.date

REFERENCE = [
    (D(2008, 1, 1), -10000),
    (D(2008, 3, 1), 2750),
    (D(2008, 10, 30), 4250),
    (D(2009, 2, 15), 3250),
    (D(2009, 4, 1), 2750),
]


def npv(rate, flows):
    """ACT/365F net present value, written out independently of pyxirr."""
    first = min(on for on, _amount in flows)
    return sum(float(amount) / (1 + rate) ** ((on - first).days / 365) for on, amount in flows)


# --- the reference values ---------------------------------------------------------------------------------


def test_xirr_reference_values():
    assert metrics.xirr(REFERENCE) == pytest.approx(0.3733625, abs=1e-6)
    flows = [(D(2020, 1, 1), -10000), (D(2021, 1, 1), 5500), (D(2022, 1, 1), 6000)]
    assert metrics.xirr(flows) == pytest.approx(0.0967789, abs=1e-6)


def test_multiples_reference_values():
    result = metrics.multiples([10, 20], [15, 30], 15)
    assert (result.paid_in, result.distributed, result.nav) == (30, 45, 15)
    assert (result.dpi, result.rvpi, result.tvpi) == (Decimal("1.5"), Decimal("0.5"), Decimal("2.0"))
    assert all(isinstance(value, Decimal) for value in (result.dpi, result.rvpi, result.tvpi))


def test_ks_pme_reference_value():
    flows = [(D(2020, 1, 1), -25), (D(2021, 1, 1), 15)]
    index = {D(2020, 1, 1): 100, D(2021, 1, 1): 115, D(2022, 1, 1): 130}
    # (15 · 130/115 + 20) / (25 · 130/100)
    assert metrics.ks_pme(flows, index, (D(2022, 1, 1), 20)) == pytest.approx(1.1371237, abs=1e-6)


# --- XIRR ---------------------------------------------------------------------------------------------------------


def test_xirr_takes_flows_in_any_order():
    shuffled = [REFERENCE[3], REFERENCE[0], REFERENCE[4], REFERENCE[2], REFERENCE[1]]
    assert metrics.xirr(shuffled) == pytest.approx(metrics.xirr(REFERENCE), abs=1e-12)


def test_xirr_sums_same_day_flows():
    split = [(D(2020, 1, 1), -4000), (D(2020, 1, 1), -6000), (D(2021, 1, 1), 5500), (D(2022, 1, 1), 6000)]
    assert metrics.xirr(split) == pytest.approx(0.0967789, abs=1e-6)
    assert metrics.consolidate([(D(2020, 1, 1), -5), (D(2020, 1, 1), 5), (D(2021, 1, 1), 3)]) == [(D(2021, 1, 1), 3.0)]


def test_xirr_uses_act_365f():
    # 366 days (2020 is a leap year): 10 % over 366/365 of a year, not over one year.
    flows = [(D(2020, 1, 1), -100), (D(2021, 1, 1), 110)]
    assert metrics.xirr(flows) == pytest.approx(1.1 ** (365 / 366) - 1, abs=1e-9)


@pytest.mark.parametrize(
    "flows",
    [
        [(D(2020, 1, 1), -100), (D(2021, 1, 1), -50)],  # nothing back
        [(D(2020, 1, 1), 100), (D(2021, 1, 1), 50)],  # nothing paid
        [(D(2020, 1, 1), -100), (D(2020, 1, 1), 100)],  # one day, netted to nothing
        [],
    ],
)
def test_xirr_without_a_sign_change_is_none(flows):
    assert metrics.xirr(flows) is None


def test_xirr_without_a_root_is_none():
    # −100 + 100x − 100x² < 0 for every discount factor x: no rate makes the NPV zero.
    flows = [(D(2021, 1, 1), -100), (D(2022, 1, 1), 100), (D(2023, 1, 1), -100)]
    assert metrics.sign_changes([-100, 100, -100]) == 2
    assert metrics.xirr(flows) is None


def test_two_irrs_are_both_reported():
    # −100, +230, −132 a year apart (365 days each): NPV ∝ −(1+r)² + 2.3(1+r) − 1.32, zero at 10 % and 20 %.
    flows = [(D(2021, 1, 1), -100), (D(2022, 1, 1), 230), (D(2023, 1, 1), -132)]
    result = metrics.xirr(flows)
    assert isinstance(result, MultipleIrr)
    assert result.roots == pytest.approx((0.1, 0.2), abs=1e-7)
    with translation.override("en"):
        assert "multiple IRRs" in str(MultipleIrr.reason)


def test_two_irrs_follow_the_day_count():
    # The same amounts a calendar year apart across 2020 (366 days): the roots move; each zeroes the ACT/365F NPV.
    flows = [(D(2020, 1, 1), -100), (D(2021, 1, 1), 230), (D(2022, 1, 1), -132)]
    result = metrics.xirr(flows)
    assert isinstance(result, MultipleIrr) and len(result.roots) == 2
    assert result.roots != pytest.approx((0.1, 0.2), abs=1e-3)
    for root in result.roots:
        assert npv(root, flows) == pytest.approx(0, abs=1e-6)


def test_far_apart_roots_are_both_found():
    # Roots at 50 % and 3,000 %: 1+r = 1.5 and 31, so a = 32.5 and b = 46.5.
    flows = [(D(2021, 1, 1), -1), (D(2022, 1, 1), 32.5), (D(2023, 1, 1), -46.5)]
    result = metrics.xirr(flows)
    assert result.roots == pytest.approx((0.5, 30.0), abs=1e-6)


def test_two_sign_changes_with_one_root_give_that_root():
    flows = [(D(2020, 1, 1), -100), (D(2021, 1, 1), 50), (D(2022, 1, 1), -10), (D(2023, 1, 1), 100)]
    rate = metrics.xirr(flows)
    assert isinstance(rate, float)
    assert npv(rate, flows) == pytest.approx(0, abs=1e-6)


def test_decimal_and_numpy_amounts_are_accepted():
    decimals = [(on, Decimal(amount) + Decimal("0.00")) for on, amount in REFERENCE]
    assert metrics.xirr(decimals) == pytest.approx(0.3733625, abs=1e-6)
    numpy_ints = [(on, np.int64(amount)) for on, amount in REFERENCE]
    assert metrics.xirr(numpy_ints) == pytest.approx(0.3733625, abs=1e-6)
    numpy_floats = [(on, np.float64(amount)) for on, amount in REFERENCE]
    assert metrics.xirr(numpy_floats) == pytest.approx(0.3733625, abs=1e-6)


def test_a_loss_is_a_negative_irr():
    assert metrics.xirr([(D(2021, 1, 1), -100), (D(2022, 1, 1), 60)]) == pytest.approx(-0.4, abs=1e-9)


# --- the residual value -------------------------------------------------------------------------------------------


def test_a_flow_on_the_valuation_date_counts_with_the_nav():
    flows = [(D(2021, 1, 1), -100), (D(2022, 1, 1), 40)]
    with_nav = metrics.with_nav(flows, (D(2022, 1, 1), 70))
    assert with_nav[-1] == (D(2022, 1, 1), 70)
    assert metrics.xirr(with_nav) == pytest.approx(0.1, abs=1e-9)  # 40 + 70 back on the same day


def test_a_valuation_before_the_first_flow_is_an_error():
    with pytest.raises(MetricError, match="2020-12-31.*2021-01-01"):
        metrics.with_nav([(D(2021, 1, 1), -100)], (D(2020, 12, 31), 100))


def test_a_flow_after_the_valuation_date_is_an_error():
    flows = [(D(2021, 1, 1), -100), (D(2022, 6, 1), 10)]
    with pytest.raises(MetricError, match="2022-06-01"):
        metrics.with_nav(flows, (D(2022, 1, 1), 100))
    with pytest.raises(MetricError):
        metrics.ks_pme(flows, {D(2021, 1, 1): 100}, (D(2022, 1, 1), 100))
    with pytest.raises(MetricError):
        metrics.direct_alpha(flows, {D(2021, 1, 1): 100}, (D(2022, 1, 1), 100))


def test_a_negative_nav_is_an_error():
    with pytest.raises(MetricError):
        metrics.with_nav([(D(2021, 1, 1), -100)], (D(2022, 1, 1), -1))
    with pytest.raises(MetricError):
        metrics.multiples([100], [0], -1)
    with pytest.raises(MetricError):
        metrics.ks_pme([(D(2021, 1, 1), -100)], {D(2021, 1, 1): 100}, (D(2022, 1, 1), Decimal("-0.01")))


def test_no_nav_leaves_the_flows_as_they_are():
    flows = [(D(2021, 1, 1), -100)]
    assert metrics.with_nav(flows, None) == flows


# --- multiples ----------------------------------------------------------------------------------------------------


def test_zero_paid_in_has_no_multiples():
    result = metrics.multiples([], [0], 0)
    assert result.paid_in == 0 and (result.dpi, result.rvpi, result.tvpi) == (None, None, None)
    assert metrics.multiples([0, Decimal(0)], [], 10).tvpi is None


def test_multiples_take_contributions_of_either_sign_and_decimals():
    result = metrics.multiples([Decimal("-10.50"), Decimal("-9.50")], [Decimal("5")], Decimal("25"))
    assert (result.paid_in, result.dpi, result.rvpi, result.tvpi) == (20, Decimal("0.25"), Decimal("1.25"), 1.5)


def test_moic():
    assert metrics.moic(100, 150, 50) == 2
    assert metrics.moic(Decimal("-100"), Decimal("30"), Decimal("0")) == Decimal("0.3")
    assert metrics.moic(0, 10, 10) is None
    assert metrics.moic(None, None, None) is None


# --- the index: KS-PME and direct alpha ---------------------------------------------------------------------------


def test_a_fund_that_tracks_the_index_has_pme_1_and_alpha_0():
    # 100 in at level 100; at 120 half the holding (worth 120) comes back as 60; at 150 the other half is worth 75.
    index = {D(2020, 1, 1): 100, D(2021, 7, 1): 120, D(2023, 1, 1): 150}
    flows = [(D(2020, 1, 1), -100), (D(2021, 7, 1), 60)]
    nav = (D(2023, 1, 1), 75)
    assert metrics.ks_pme(flows, index, nav) == pytest.approx(1.0, abs=1e-12)
    assert metrics.direct_alpha(flows, index, nav) == pytest.approx(0.0, abs=1e-9)


def test_direct_alpha_by_hand():
    # The index is flat, so the compounded flows are the flows: direct alpha is the IRR (10 % over 365 days).
    index = {D(2021, 1, 1): 100}
    flows = [(D(2021, 1, 1), -100)]
    assert metrics.direct_alpha(flows, index, (D(2022, 1, 1), 110)) == pytest.approx(0.1, abs=1e-9)
    # The index doubles over the year while the fund makes 10 %: alpha = 110/200 − 1 = −45 %.
    index = {D(2021, 1, 1): 100, D(2022, 1, 1): 200}
    assert metrics.direct_alpha(flows, index, (D(2022, 1, 1), 110)) == pytest.approx(-0.45, abs=1e-9)
    assert metrics.ks_pme(flows, index, (D(2022, 1, 1), 110)) == pytest.approx(0.55, abs=1e-12)


def test_ks_pme_uses_the_last_level_on_or_before_each_flow():
    index = {D(2020, 1, 1): 100, D(2020, 6, 30): 200, D(2022, 1, 1): 400}
    # The flow of 2020-06-29 uses 100 (grows ×4), the one of 2021-03-01 uses 200 (×2).
    flows = [(D(2020, 6, 29), -10), (D(2021, 3, 1), 5)]
    assert metrics.ks_pme(flows, index, (D(2022, 1, 1), 30)) == pytest.approx((5 * 2 + 30) / (10 * 4), abs=1e-12)


def test_ks_pme_does_not_net_same_day_contributions_and_distributions():
    # Grown contributions 100·1.5 + 50 = 200; grown distributions 50 + NAV 100 = 150. Netting the second day would
    # give 100 / 150 instead.
    index = {D(2021, 1, 1): 100, D(2022, 1, 1): 150}
    flows = [(D(2021, 1, 1), -100), (D(2022, 1, 1), -50), (D(2022, 1, 1), 50)]
    assert metrics.ks_pme(flows, index, (D(2022, 1, 1), 100)) == pytest.approx(0.75, abs=1e-12)


def test_a_flow_before_the_first_index_level_is_an_error():
    index = {D(2021, 1, 1): 100, D(2022, 1, 1): 110}
    flows = [(D(2020, 12, 31), -100)]
    with pytest.raises(MetricError, match="2020-12-31.*2021-01-01"):
        metrics.ks_pme(flows, index, (D(2022, 1, 1), 100))
    with pytest.raises(MetricError):
        metrics.direct_alpha(flows, index, (D(2022, 1, 1), 100))


def test_ks_pme_without_contributions_is_none():
    assert metrics.ks_pme([(D(2021, 1, 1), 10)], {D(2021, 1, 1): 100}, (D(2022, 1, 1), 5)) is None


def test_index_series_checks_its_levels():
    with pytest.raises(MetricError):
        metrics.IndexSeries({})
    with pytest.raises(MetricError):
        metrics.IndexSeries({D(2021, 1, 1): 100, D(2021, 2, 1): 0})
    series = metrics.IndexSeries([(D(2021, 2, 1), Decimal("101.5")), (D(2021, 1, 1), Decimal("100"))])
    assert series.at(D(2021, 1, 31)) == 100 and series.at(D(2030, 1, 1)) == 101.5


def test_large_amounts_over_many_days_still_find_their_root():
    # 2,000 flows of ~10 billion fen every other day (a fund's daily flows in fen): pyxirr alone fails to converge
    # (its tolerance is absolute); the metric scales the amounts first, which leaves the rate as it is.
    start = D(2015, 1, 1)
    flows = [
        (start + datetime.timedelta(days=2 * n), 5 * 10**11 if n % 10 == 9 else -(10**12 + (n % 7) * 10**10))
        for n in range(2000)
    ]
    flows.append((D(2026, 1, 1), -sum(amount for _on, amount in flows) * 16 // 10))
    rate = metrics.xirr(flows)
    assert isinstance(rate, float)
    scale = max(abs(amount) for _on, amount in flows)
    assert npv(rate, [(on, amount / scale) for on, amount in flows]) == pytest.approx(0, abs=1e-9)
    assert metrics.xirr([(on, amount / 10**12) for on, amount in flows]) == pytest.approx(rate, abs=1e-9)
