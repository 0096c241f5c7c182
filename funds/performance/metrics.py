"""Financial metrics of private-equity cash flows: XIRR, DPI/RVPI/TVPI, MOIC, KS-PME and direct alpha. Pure functions.

Flows are ``(date, amount)`` pairs seen from the investor: contributions and investments negative, distributions and
proceeds positive. The residual value (NAV) is a positive ``(date, amount)`` on its valuation date; it enters the
IRR as a final distribution. The same functions serve a deal (fund ↔ company), the fund "gross" (fund ↔ all its
companies) and the fund "net" (LPs ↔ fund).

IRR roots come from pyxirr (ACT/365F, annual rate). A cash flow whose sign changes more than once can have several
IRRs; rather than report one arbitrarily, :func:`xirr` then returns :class:`MultipleIrr` with every root it found.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from numbers import Integral

import numpy as np
import pyxirr
from django.utils.translation import gettext_lazy as _

from portal.text import fmt

Flow = tuple[date, Decimal | float | int]

# Rates scanned for sign changes of the NPV when the flows change sign more than once: from −99 % to +10,000 % a year,
# finer near zero where real funds' IRRs lie.
_SCAN = (
    [-0.99, -0.95, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2]
    + [round(-0.15 + 0.01 * i, 2) for i in range(66)]  # −15 % … +50 % by 1 %
    + [0.6, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0]
)


class MetricError(ValueError):
    """Input a metric cannot be computed from; the message says why, in the reader's language."""


@dataclass(frozen=True)
class MultipleIrr:
    """More than one rate makes the NPV zero: no single IRR means anything, so none is shown."""

    roots: tuple[float, ...]

    reason = _(
        "N/A — multiple IRRs: the cash flows change sign more than once and several rates make their net present "
        "value zero."
    )


def consolidate(flows: Iterable[Flow]) -> list[tuple[date, float]]:
    """Flows sorted by date with same-day amounts summed (zero days dropped)."""
    by_day: dict[date, Decimal | int] = defaultdict(int)
    for on, amount in flows:
        # ints and Decimals add exactly as they are (int + Decimal is a Decimal); anything else goes through _exact.
        by_day[on] += amount if type(amount) is int or type(amount) is Decimal else _exact(amount)
    return [(on, float(total)) for on, total in sorted(by_day.items()) if total]


def _exact(amount) -> Decimal:
    """A Decimal of an amount: a float by its shortest repr, any integer (numpy's too, which Decimal refuses) as is."""
    if isinstance(amount, Decimal):
        return amount
    if isinstance(amount, Integral):
        return Decimal(int(amount))
    return Decimal(str(amount))


def with_nav(flows: Iterable[Flow], nav: Flow | None) -> list[Flow]:
    """The flows plus the residual value as a final inflow; no flow may come after the valuation date."""
    flows = list(flows)
    if nav is None:
        return flows
    valued_on, value = nav
    if value < 0:
        raise MetricError(_("A residual value (NAV) cannot be negative."))
    if flows:
        first = min(on for on, _amount in flows)
        last = max(on for on, _amount in flows)
        if valued_on < first:
            raise MetricError(
                fmt(
                    _("The valuation date %(valued)s is before the first cash flow (%(first)s)."),
                    valued=valued_on.isoformat(),
                    first=first.isoformat(),
                )
            )
        if last > valued_on:
            raise MetricError(
                fmt(
                    _("A cash flow (%(last)s) comes after the valuation date %(valued)s."),
                    last=last.isoformat(),
                    valued=valued_on.isoformat(),
                )
            )
    return [*flows, (valued_on, value)]


def sign_changes(amounts: Iterable[float]) -> int:
    signs = [amount > 0 for amount in amounts if amount]
    return sum(1 for before, after in zip(signs, signs[1:], strict=False) if before != after)


def xirr(flows: Iterable[Flow]) -> float | MultipleIrr | None:
    """The annual IRR (ACT/365F) of dated flows in any order; ``None`` without a sign change or a root."""
    consolidated = consolidate(flows)
    dates = [on for on, _amount in consolidated]
    amounts = [amount for _on, amount in consolidated]
    changes = sign_changes(amounts)
    if changes == 0:
        return None
    if changes == 1:
        # Descartes' rule of signs: one sign change, at most one root.
        return _root(dates, amounts)
    roots = irr_roots(dates, amounts)
    if not roots:
        return None
    if len(roots) == 1:
        return roots[0]
    return MultipleIrr(roots)


def irr_roots(dates: list[date], amounts: list[float]) -> tuple[float, ...]:
    """Every IRR in the scanned range: pyxirr refines a root inside each bracket where the NPV changes sign."""
    dates, amounts = np.array(dates, dtype="datetime64[D]"), np.array(amounts, dtype="float64")
    npvs = _scan_npvs(dates, amounts)
    roots: list[float] = []
    for (low, npv_low), (high, npv_high) in zip(
        zip(_SCAN, npvs, strict=True), zip(_SCAN[1:], npvs[1:], strict=True), strict=False
    ):
        if npv_low is None or npv_high is None:
            continue
        if npv_low == 0:
            roots.append(low)
            continue
        if (npv_low > 0) == (npv_high > 0):
            continue
        root = _root(dates, amounts, guess=(low + high) / 2)
        if root is not None and low - 1e-9 <= root <= high + 1e-9:
            roots.append(root)
    unique: list[float] = []
    for root in sorted(roots):
        if not unique or abs(root - unique[-1]) > 1e-7:
            unique.append(root)
    return tuple(unique)


def _scan_npvs(dates: np.ndarray, amounts: np.ndarray) -> list[float | None]:
    """The ACT/365F NPV (as of the first date) at every scanned rate in one numpy product, ``None`` where it
    overflows: only its sign is used, to bracket the roots pyxirr then finds (~90 xnpv calls on a fund's thousands
    of daily flows, at every quarter of its series, were most of the series' time)."""
    years = (dates - dates[0]).astype("float64") / 365
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.exp(-np.outer(np.log1p(_SCAN), years)) @ amounts
    return [float(value) if np.isfinite(value) else None for value in values]


def _root(dates, amounts, guess=None) -> float | None:
    # The rate does not depend on the unit; pyxirr's convergence test does (an absolute tolerance on the NPV), and
    # failed on a fund's thousands of daily flows in fen (~1e12 each) although the root was bracketed: scaled, the
    # largest amount is 1.
    amounts = np.asarray(amounts, dtype="float64")
    scale = np.abs(amounts).max(initial=0.0)
    if not scale:
        return None
    amounts = amounts / scale
    rate = pyxirr.xirr(dates, amounts, guess=guess, silent=True, day_count=pyxirr.DayCount.ACT_365F)
    if rate is None or rate != rate:  # NaN: no root found
        return None
    return float(rate)


@dataclass(frozen=True)
class Multiples:
    paid_in: Decimal
    distributed: Decimal
    nav: Decimal
    dpi: Decimal | None
    rvpi: Decimal | None
    tvpi: Decimal | None


def multiples(contributions: Iterable, distributions: Iterable, nav) -> Multiples:
    """Paid-in, DPI = distributions ÷ paid-in, RVPI = NAV ÷ paid-in, TVPI = DPI + RVPI (``None`` before any paid-in).

    Contributions may be given with either sign; what counts is how much was paid in.
    """
    paid_in = sum((abs(Decimal(amount)) for amount in contributions), Decimal(0))
    distributed = sum((Decimal(amount) for amount in distributions), Decimal(0))
    nav = Decimal(nav or 0)
    if distributed < 0 or nav < 0:
        raise MetricError(_("Distributions and the residual value cannot be negative."))
    if not paid_in:
        return Multiples(paid_in, distributed, nav, None, None, None)
    dpi = distributed / paid_in
    rvpi = nav / paid_in
    return Multiples(paid_in, distributed, nav, dpi, rvpi, dpi + rvpi)


def moic(invested, realized, unrealized) -> Decimal | None:
    """A deal's multiple on invested capital: (realized + unrealized) ÷ invested; ``None`` before any investment."""
    invested = abs(Decimal(invested or 0))
    if not invested:
        return None
    return (Decimal(realized or 0) + Decimal(unrealized or 0)) / invested


class IndexSeries:
    """Levels of a benchmark index by date; a flow uses the last level on or before its date."""

    def __init__(self, levels: Mapping[date, object] | Iterable[tuple[date, object]]):
        pairs = levels.items() if isinstance(levels, Mapping) else levels
        self.levels = sorted((on, float(level)) for on, level in pairs)
        if not self.levels:
            raise MetricError(_("The index series has no levels."))
        if any(level <= 0 for _on, level in self.levels):
            raise MetricError(_("Index levels must be positive."))
        self._dates = [on for on, _level in self.levels]

    def at(self, on: date) -> float:
        position = bisect_right(self._dates, on)
        if position == 0:
            raise MetricError(
                fmt(
                    _("The index has no level on or before %(date)s (its first level is on %(first)s)."),
                    date=on.isoformat(),
                    first=self._dates[0].isoformat(),
                )
            )
        return self.levels[position - 1][1]


def _as_index(index) -> IndexSeries:
    return index if isinstance(index, IndexSeries) else IndexSeries(index)


def ks_pme(flows: Iterable[Flow], index, nav: Flow) -> float | None:
    """Kaplan–Schoar PME: index-compounded distributions plus NAV over index-compounded contributions.

    Every flow is carried to the valuation date by index(valuation date) ÷ index(flow date). Above 1 the fund beat
    the index.
    """
    series = _as_index(index)
    flows = list(flows)
    with_nav(flows, nav)  # checks the valuation date and the sign of the NAV
    valued_on, value = nav
    end_level = series.at(valued_on)
    grown_in = grown_out = 0.0
    # Contributions and distributions are carried separately, not netted by day: a tranche and an exit on the same
    # day would otherwise shrink both sums and move the ratio.
    for on, amount in flows:
        grown = float(amount) * end_level / series.at(on)
        if amount < 0:
            grown_in -= grown
        else:
            grown_out += grown
    if not grown_in:
        return None
    return (grown_out + float(value)) / grown_in


def direct_alpha(flows: Iterable[Flow], index, nav: Flow) -> float | MultipleIrr | None:
    """Direct alpha (Gredil, Griffiths and Stucke): the IRR of the flows compounded to the valuation date by the index.

    Given as an annual rate like the IRR (``ln(1 + alpha)`` is its continuously compounded form).
    """
    series = _as_index(index)
    flows = with_nav(flows, nav)
    end_level = series.at(nav[0])
    return xirr((on, float(amount) * end_level / series.at(on)) for on, amount in flows)
