"""Deal- and fund-level figures and the quarterly series, computed with pandas from the frames of ``flows``.

Pure functions: no database. Inputs are the frames of :mod:`funds.performance.flows` (or frames of the same columns
built by hand): money in exact integer fen (``cents``), dates in ``on``.

Choices, stated once:

- **Residual value (NAV) of a holding** on a date: 0 once the deal has exited (an exit ends the holding, whatever
  was valued afterwards; a liquidation with no proceeds is a write-off); otherwise its latest valuation on or before
  the date, plus the tranches paid after that valuation at cost (a valuation is of the holding after the tranches
  paid up to and on its date: "roll-forward"); a deal never valued is held at cost (everything paid into it).
- **Gross** figures are the fund ↔ companies flows (paid tranches, exit proceeds) with the portfolio's NAV.
  **Net** figures are the LPs ↔ fund flows (paid-in capital, distributions) with the fund's net asset value =
  portfolio NAV + the cash the fund holds, where cash = LP paid-in − tranches paid + exit proceeds − distributions.
  Fees, expenses and interest are not recorded, so not modelled.
- **IRR** uses the NAV as a final inflow on the date of the figures (``as_of``, or the quarter's end). A deal that
  lost everything (something paid in, nothing back, nothing left) has an IRR of −100 %, the limit of its cash flows.
- **Exact where it is money**: sums and cumulative sums are int64 fen; they leave as ``Decimal`` yuan (``yuan``),
  and multiples (DPI, RVPI, TVPI, MOIC) are ``Decimal`` quotients of those. Rates (IRR, KS-PME, direct alpha) are
  floats: pyxirr finds roots in floating point.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from funds.performance import metrics
from funds.performance.figures import Figure, Source, missing
from funds.performance.flows import DISBURSEMENT, DISTRIBUTION, EXIT, PAID_IN

NO_SIGN_CHANGE = _("No IRR: the cash flows never change sign (nothing has come back yet, or nothing was paid in).")
NO_ROOT = _("No IRR: no rate makes the net present value of these cash flows zero.")
NOTHING_PAID_IN = _("Nothing has been paid in yet.")
NOTHING_INVESTED = _("Nothing has been invested in this deal yet.")
NO_INDEX = _("No benchmark index was chosen.")
CASH_UNKNOWN = _(
    "The fund has paid out more than its LPs paid in: the recorded LP cash flows are incomplete, so the cash the "
    "fund holds (and its net asset value) is unknown."
)

# The basis of a holding's NAV (``nav_basis``).
VALUATION = "valuation"
COST = "cost"
EXITED = "exited"

QUARTER_COLUMNS = [
    "quarter",
    "on",
    "paid_in",
    "distributed",
    "nav",
    "net_cash_flow",
    "dpi",
    "rvpi",
    "tvpi",
    "irr",
    "irr_reason",
]


FEN = Decimal("0.01")


def yuan(fen) -> Decimal:
    """Exact ``Decimal`` yuan of an amount in fen (a product of two exact decimals: 0.01 × fen)."""
    return Decimal(int(fen)) * FEN


def _ts(on) -> pd.Timestamp:
    return pd.Timestamp(on).as_unit("us")


def _upto(table: pd.DataFrame, as_of) -> pd.DataFrame:
    """The rows on or before ``as_of``, with ``on`` as datetime64[us] (merge_asof wants one resolution)."""
    table = table.assign(on=table["on"].astype("datetime64[us]"))
    return table[table["on"] <= _ts(as_of)]


def _days(column: pd.Series | pd.DatetimeIndex) -> list[date]:
    """Python dates (``None`` for NaT): numpy's day-unit ``tolist`` makes them in C, not one Timestamp at a time."""
    return np.asarray(column, dtype="datetime64[us]").astype("datetime64[D]").tolist()


# --- holdings: invested, realized and NAV per deal on given dates ------------------------------------------------


def holdings(deal_flows: pd.DataFrame, valuations: pd.DataFrame, dates) -> pd.DataFrame:
    """One row per deal per date: ``invested`` and ``realized`` to date, ``nav`` (all in fen), ``nav_basis``, and the
    valuation used (``valued_on``, ``valuation_ref``). Vectorised: ``merge_asof`` over the deal × date grid."""
    flows = deal_flows.assign(on=deal_flows["on"].astype("datetime64[us]"))
    values = valuations.assign(on=valuations["on"].astype("datetime64[us]"))
    at = pd.DatetimeIndex(sorted({_ts(on) for on in dates})).astype("datetime64[us]")
    deals = np.union1d(flows["deal"].unique(), values["deal"].unique()).astype("int64")
    grid = pd.DataFrame({"deal": np.repeat(deals, len(at)), "at": np.tile(at.values, len(deals))})
    grid = grid.sort_values("at", kind="stable", ignore_index=True)

    paid = _running(flows[flows["kind"] == DISBURSEMENT], "invested", sign=-1)
    back = _running(flows[flows["kind"] == EXIT], "realized", sign=1)
    grid = _asof(grid, paid, "at", ["invested"])
    grid = _asof(grid, back, "at", ["realized"])

    # What had been paid into the deal by each valuation's date, to roll the valuation forward by later tranches.
    valued = values.sort_values("on", kind="stable")[["deal", "on", "cents", "ref"]]
    valued = valued.rename(columns={"on": "valued_on", "cents": "value", "ref": "valuation_ref"})
    valued = _asof(valued, paid.rename(columns={"invested": "invested_then"}), "valued_on", ["invested_then"])
    grid = pd.merge_asof(grid, valued, left_on="at", right_on="valued_on", by="deal")

    exits = flows[flows["kind"] == EXIT].groupby("deal", as_index=False)["on"].min()
    exited_on = grid[["deal"]].merge(exits, on="deal", how="left")["on"]
    exited = exited_on.le(grid["at"]).to_numpy()
    has_value = grid["valued_on"].notna().to_numpy()
    invested = grid["invested"].to_numpy()
    value = grid["value"].fillna(0).astype("int64").to_numpy()
    rolled = value + invested - grid["invested_then"].fillna(0).astype("int64").to_numpy()
    grid["nav"] = np.where(exited, 0, np.where(has_value, rolled, invested)).astype("int64")
    grid["nav_basis"] = np.select([exited, has_value], [EXITED, VALUATION], COST)
    return grid


def _running(rows: pd.DataFrame, name: str, *, sign: int) -> pd.DataFrame:
    """Per deal and day, the cumulative amount to that day (same-day rows summed), sorted by day."""
    daily = rows.groupby(["deal", "on"], as_index=False)["cents"].sum()
    daily[name] = sign * daily.groupby("deal")["cents"].cumsum()
    return daily.sort_values("on", kind="stable")[["deal", "on", name]]


def _asof(left: pd.DataFrame, right: pd.DataFrame, on: str, columns: list[str]) -> pd.DataFrame:
    """``left`` with the last ``columns`` of ``right`` on or before its ``on`` date, per deal (0 before any)."""
    merged = pd.merge_asof(left, right.rename(columns={"on": "_on"}), left_on=on, right_on="_on", by="deal")
    merged = merged.drop(columns="_on")
    for column in columns:
        merged[column] = merged[column].fillna(0).astype("int64")
    return merged


# --- IRR ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Irr:
    value: float | None
    reason: str = ""
    roots: tuple[float, ...] = ()


def irr(flows: list[tuple[date, int]]) -> Irr:
    """:func:`metrics.xirr` with the reason when it has no single value."""
    result = metrics.xirr(flows)
    if isinstance(result, metrics.MultipleIrr):
        return Irr(None, metrics.MultipleIrr.reason, result.roots)
    if result is None:
        amounts = [amount for _on, amount in metrics.consolidate(flows)]
        return Irr(None, NO_ROOT if metrics.sign_changes(amounts) else NO_SIGN_CHANGE)
    return Irr(result)


def _daily(flows: pd.DataFrame) -> tuple[list[date], list[int]]:
    """Flows summed by day, as Python dates and ints (what metrics' pure functions take), in date order."""
    daily = flows.groupby("on")["cents"].sum()
    return _days(daily.index), daily.tolist()


# --- the deal table ----------------------------------------------------------------------------------------------


def deal_table(flows: pd.DataFrame, valuations: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """One row per deal (index ``deal``): ``invested``, ``realized``, ``nav`` (Decimal yuan), ``nav_basis``,
    ``valued_on``, ``moic`` (Decimal or None), ``moic_reason``, ``irr`` (float or None), ``irr_reason``,
    ``irr_roots``, ``first_flow``, ``last_flow``, ``exited_on`` (dates or None)."""
    flows, valuations = _upto(flows, as_of), _upto(valuations, as_of)
    held = holdings(flows, valuations, [as_of]).set_index("deal")
    if held.empty:
        return pd.DataFrame(
            columns=[
                "invested",
                "realized",
                "nav",
                "nav_basis",
                "valued_on",
                "moic",
                "moic_reason",
                "irr",
                "irr_reason",
                "irr_roots",
                "first_flow",
                "last_flow",
                "exited_on",
            ],
            index=pd.Index([], name="deal", dtype="int64"),
        )
    by_deal = flows.groupby("deal")["on"]
    first = _days(by_deal.min().reindex(held.index))
    last = _days(by_deal.max().reindex(held.index))
    exited_on = _days(flows[flows["kind"] == EXIT].groupby("deal")["on"].min().reindex(held.index))

    # Per deal, its flows summed by day: one sort, then contiguous slices (no per-deal pandas groups).
    daily = flows.groupby(["deal", "on"], as_index=False)["cents"].sum()
    deal_ids = daily["deal"].to_numpy()
    days = _days(daily["on"])
    amounts = daily["cents"].tolist()
    starts = np.searchsorted(deal_ids, held.index.to_numpy(), side="left")
    ends = np.searchsorted(deal_ids, held.index.to_numpy(), side="right")

    rows = []
    for deal, invested, realized, nav, basis, valued_on, start, end, first_on, last_on, exit_on in zip(
        held.index.tolist(),
        held["invested"].tolist(),
        held["realized"].tolist(),
        held["nav"].tolist(),
        held["nav_basis"].tolist(),
        _days(held["valued_on"]),
        starts,
        ends,
        first,
        last,
        exited_on,
        strict=True,
    ):
        if invested and not realized and not nav:
            rate = Irr(-1.0)  # everything lost: the limit of the IRR
        else:
            rate = irr([*zip(days[start:end], amounts[start:end], strict=True), (as_of, nav)])
        multiple = metrics.moic(yuan(invested), yuan(realized), yuan(nav))
        rows.append(
            {
                "deal": deal,
                "invested": yuan(invested),
                "realized": yuan(realized),
                "nav": yuan(nav),
                "nav_basis": basis,
                "valued_on": valued_on if basis == VALUATION else None,
                "moic": multiple,
                "moic_reason": "" if multiple is not None else NOTHING_INVESTED,
                "irr": rate.value,
                "irr_reason": rate.reason,
                "irr_roots": rate.roots,
                "first_flow": first_on,
                "last_flow": last_on,
                "exited_on": exit_on,
            }
        )
    return _with_none(pd.DataFrame.from_records(rows, index="deal"), rows, "irr")


# --- fund-level figures ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Returns:
    """One side's figures (gross: fund ↔ companies; net: LPs ↔ fund), each a ``Figure`` with its rows."""

    paid_in: Figure
    distributed: Figure
    nav: Figure
    dpi: Figure
    rvpi: Figure
    tvpi: Figure
    irr: Figure
    ks_pme: Figure
    direct_alpha: Figure


@dataclass(frozen=True)
class FundFigures:
    as_of: date
    gross: Returns
    net: Returns | None  # None when no LP cash flow is recorded
    cash: Figure  # what the fund holds: LP paid-in − tranches paid + exit proceeds − distributions


def _sources(rows: pd.DataFrame, kind: str | None = None) -> tuple[Source, ...]:
    """Each row as a ``Source``: its recorded amount (positive, as entered), date, kind and reference."""
    if kind is not None:
        rows = rows[rows["kind"] == kind]
    return tuple(
        Source(label=label, amount=yuan(abs(fen)), on=on, kind=row_kind, ref=ref)
        for label, fen, on, row_kind, ref in zip(
            rows["label"].tolist(),
            rows["cents"].tolist(),
            _days(rows["on"]),
            rows["kind"].tolist() if "kind" in rows else ["valuation"] * len(rows),
            rows["ref"].tolist(),
            strict=True,
        )
    )


def _nav_sources(held: pd.DataFrame, labels: dict) -> tuple[Source, ...]:
    """The holdings a NAV adds up: the valuation used, or the deal held at cost (exited deals add nothing)."""
    sources = []
    for deal, fen, basis, valued_on, ref in zip(
        held["deal"].tolist(),
        held["nav"].tolist(),
        held["nav_basis"].tolist(),
        _days(held["valued_on"]),
        held["valuation_ref"].tolist(),
        strict=True,
    ):
        if basis == EXITED:
            continue
        if basis == VALUATION:
            sources.append(Source(labels.get(deal, ""), yuan(fen), valued_on, VALUATION, ref))
        else:
            sources.append(Source(labels.get(deal, ""), yuan(fen), None, COST, f"funds.deal:{deal}"))
    return tuple(sources)


def _returns(flows, paid_sources, back_sources, nav_fen, nav_sources, as_of, index, nav_reason="") -> Returns:
    """The figures of one side from its signed flows (fen; contributions negative) and its NAV (None: unknown)."""
    paid_fen = -int(flows.loc[flows["cents"] < 0, "cents"].sum())
    back_fen = int(flows.loc[flows["cents"] > 0, "cents"].sum())
    paid_in = Figure(yuan(paid_fen), sources=paid_sources)
    distributed = Figure(yuan(back_fen), sources=back_sources)
    every = paid_sources + back_sources + nav_sources
    dpi = (
        Figure(yuan(back_fen) / yuan(paid_fen), sources=paid_sources + back_sources, numerator=yuan(back_fen),
               denominator=yuan(paid_fen))
        if paid_fen
        else missing(NOTHING_PAID_IN)
    )  # fmt: skip
    if nav_fen is None:
        unknown = missing(nav_reason, every)
        return Returns(paid_in, distributed, unknown, dpi, unknown, unknown, unknown, unknown, unknown)
    multiple = metrics.multiples([yuan(paid_fen)], [yuan(back_fen)], yuan(nav_fen))
    nav = Figure(yuan(nav_fen), sources=nav_sources)
    if multiple.paid_in:
        rvpi = Figure(
            multiple.rvpi, sources=paid_sources + nav_sources, numerator=multiple.nav, denominator=multiple.paid_in
        )
        tvpi = Figure(
            multiple.tvpi, sources=every, numerator=multiple.distributed + multiple.nav, denominator=multiple.paid_in
        )
    else:
        rvpi = tvpi = missing(NOTHING_PAID_IN)  # fmt: skip
    days, amounts = _daily(flows)
    dated = list(zip(days, amounts, strict=True))
    rate = irr([*dated, (as_of, nav_fen)])
    irr_figure = Figure(rate.value, reason=rate.reason, sources=every)
    # The benchmark takes the rows themselves: KS-PME carries contributions and distributions separately.
    rows = list(zip(_days(flows["on"]), flows["cents"].tolist(), strict=True))
    return Returns(
        paid_in, distributed, nav, dpi, rvpi, tvpi, irr_figure, *_benchmark(rows, index, (as_of, nav_fen), every)
    )


def _benchmark(rows, index, nav, sources) -> tuple[Figure, Figure]:
    if index is None:
        return missing(NO_INDEX), missing(NO_INDEX)
    try:
        index = index if isinstance(index, metrics.IndexSeries) else metrics.IndexSeries(index)
        pme = metrics.ks_pme(rows, index, nav)
        alpha = metrics.direct_alpha(rows, index, nav)
    except metrics.MetricError as error:
        return missing(error.args[0], sources), missing(error.args[0], sources)
    pme_figure = Figure(pme, sources=sources) if pme is not None else missing(NOTHING_PAID_IN, sources)
    if isinstance(alpha, metrics.MultipleIrr):
        alpha_figure = missing(metrics.MultipleIrr.reason, sources)
    elif alpha is None:
        alpha_figure = missing(NO_ROOT, sources)
    else:
        alpha_figure = Figure(alpha, sources=sources)
    return pme_figure, alpha_figure


def fund_figures(
    deal_flows: pd.DataFrame,
    valuations: pd.DataFrame,
    as_of: date,
    *,
    lp_flows: pd.DataFrame | None = None,
    deals: pd.DataFrame | None = None,
    index=None,
) -> FundFigures:
    """Gross and (when LP flows are recorded) net figures of the fund as of a date; KS-PME and direct alpha against
    ``index`` (an ``IndexSeries`` or date → level), when given. ``deals`` (the ``flows.read`` frame) names the
    holdings in the NAV's sources."""
    deal_flows, valuations = _upto(deal_flows, as_of), _upto(valuations, as_of)
    held = holdings(deal_flows, valuations, [as_of])
    labels = dict(zip(deals["deal"].tolist(), deals["company"].tolist(), strict=True)) if deals is not None else {}
    portfolio_fen = int(held["nav"].sum())
    nav_sources = _nav_sources(held, labels)
    tranches = _sources(deal_flows, DISBURSEMENT)
    proceeds = _sources(deal_flows, EXIT)
    gross = _returns(deal_flows, tranches, proceeds, portfolio_fen, nav_sources, as_of, index)

    net = None
    cash = missing(CASH_UNKNOWN)
    if lp_flows is not None and len(lp_flows):
        lp_flows = _upto(lp_flows, as_of)
        paid_in = _sources(lp_flows, PAID_IN)
        distributions = _sources(lp_flows, DISTRIBUTION)
        cash_fen = -int(lp_flows["cents"].sum()) + int(deal_flows["cents"].sum())
        cash_sources = paid_in + distributions + tranches + proceeds
        if cash_fen >= 0:
            cash = Figure(yuan(cash_fen), sources=cash_sources)
            net_fen = portfolio_fen + cash_fen
            net = _returns(lp_flows, paid_in, distributions, net_fen, nav_sources + cash_sources, as_of, index)
        else:
            cash = missing(CASH_UNKNOWN, cash_sources)
            net = _returns(lp_flows, paid_in, distributions, None, (), as_of, index, nav_reason=CASH_UNKNOWN)
    return FundFigures(as_of=as_of, gross=gross, net=net, cash=cash)


# --- the quarterly series ----------------------------------------------------------------------------------------


def quarter_ends(start, as_of) -> list[pd.Timestamp]:
    """The end of every quarter from ``start``'s to ``as_of``'s; the running quarter ends at ``as_of``."""
    last = _ts(as_of)
    quarters = pd.period_range(_ts(start).to_period("Q"), last.to_period("Q"), freq="Q")
    return [min(quarter.end_time.floor("D").as_unit("us"), last) for quarter in quarters]


def quarterly(deal_flows: pd.DataFrame, valuations: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Gross figures at every quarter's end since the first flow, up to ``as_of`` (the last row, ``on = as_of``
    when the quarter is still running): cumulative paid-in (tranches paid) and distributions (exit proceeds), the
    NAV then, the cumulative net cash flow (distributions − paid-in: the J-curve), DPI, RVPI, TVPI and the IRR
    since inception with that quarter's NAV as terminal value."""
    deal_flows, valuations = _upto(deal_flows, as_of), _upto(valuations, as_of)
    if deal_flows.empty:
        return pd.DataFrame(columns=QUARTER_COLUMNS)
    ends = quarter_ends(deal_flows["on"].min(), as_of)
    at = np.array(ends, dtype="datetime64[us]")
    nav = holdings(deal_flows, valuations, ends).groupby("at")["nav"].sum().reindex(at, fill_value=0).to_numpy()

    amounts = deal_flows["cents"]
    daily = pd.DataFrame({"paid": -amounts.clip(upper=0), "back": amounts.clip(lower=0), "net": amounts})
    daily = daily.groupby(deal_flows["on"]).sum()
    upto = np.searchsorted(daily.index.to_numpy(), at, side="right")  # flows on the quarter's end count
    paid = np.concatenate([[0], daily["paid"].cumsum().to_numpy()])[upto]
    back = np.concatenate([[0], daily["back"].cumsum().to_numpy()])[upto]
    days, amounts = _days(daily.index), daily["net"].tolist()

    rows = []
    for end, count, paid_fen, back_fen, nav_fen in zip(ends, upto, paid, back, nav, strict=True):
        on = end.date()
        rate = irr([*zip(days[:count], amounts[:count], strict=True), (on, int(nav_fen))])
        multiple = metrics.multiples([yuan(paid_fen)], [yuan(back_fen)], yuan(nav_fen))
        rows.append(
            {
                "quarter": str(end.to_period("Q")),
                "on": on,
                "paid_in": multiple.paid_in,
                "distributed": multiple.distributed,
                "nav": multiple.nav,
                "net_cash_flow": multiple.distributed - multiple.paid_in,
                "dpi": multiple.dpi,
                "rvpi": multiple.rvpi,
                "tvpi": multiple.tvpi,
                "irr": rate.value,
                "irr_reason": rate.reason,
            }
        )
    return _with_none(pd.DataFrame.from_records(rows, columns=QUARTER_COLUMNS), rows, "irr")


def _with_none(table: pd.DataFrame, rows: list[dict], column: str) -> pd.DataFrame:
    """The column as objects, ``None`` where there is no value (pandas would make floats and None a float NaN)."""
    table[column] = pd.Series([row[column] for row in rows], index=table.index, dtype=object)
    return table
