"""The fund's performance figures for 1,000 deals with 40 cash flows each: every deal-level and fund-level metric
plus the quarterly series (target: under 2 s), and separately the database read of those rows.

Run either way (both print the same figures; neither asserts a timing):

    make bench                                                      # all of them, one table (run.py)
    .venv/bin/python tests/benchmarks/bench_funds_metrics.py       # SQLite (a test database)
    DJANGO_SETTINGS_MODULE=portal.settings.test scripts/with-postgres.sh \\
        .venv/bin/python tests/benchmarks/bench_funds_metrics.py   # PostgreSQL

The portfolio (made with a fixed seed): 1,000 deals started over 2016–2018, each with 40 cash flows — 39 paid
tranches about six weeks apart and, for every third deal, an exit after them (the others end with a 40th
tranche) — and a valuation at every quarter's end from its first tranche to 2026-09-30 (about 36,000 valuations),
LP paid-in and distributions for the net figures, and a benchmark index with a level each month.

"computation" is funds.performance.series from the frames: the deal table (1,000 IRRs, MOICs, NAVs), the fund's
gross and net figures (DPI/RVPI/TVPI, IRR, KS-PME and direct alpha against the index, each with its source rows)
and the quarterly series (NAV per deal per quarter, 43 quarterly IRRs). "database read" is funds.performance.flows
.read on those rows (six queries). Each is the median of RUNS runs after a warm-up.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

from benchtools import in_test_database, report

ROOT = Path(__file__).resolve().parents[2]
DEALS = 1_000
FLOWS = 40
RUNS = 5
AS_OF = datetime.date(2026, 9, 30)


def _setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def portfolio(deal_ids):
    """(deal flows, valuations, LP flows, index levels) as plain rows, the same every run (seeded)."""
    import numpy as np
    import pandas as pd

    from funds.performance.flows import DISBURSEMENT, DISTRIBUTION, EXIT, PAID_IN

    rng = np.random.default_rng(11)
    start = np.datetime64("2016-01-01")
    deal_flows, valuations = [], []
    for n, deal in enumerate(deal_ids):
        first = start + int(rng.integers(0, 3 * 365))
        days = first + np.cumsum(np.r_[0, rng.integers(30, 60, FLOWS - 1)])
        tranches = rng.integers(50_000, 2_000_000, FLOWS) * 100  # fen
        exits = n % 3 == 0
        for number, (on, fen) in enumerate(zip(days[: FLOWS - 1 if exits else FLOWS], tranches, strict=False), 1):
            deal_flows.append((deal, on.item(), -int(fen), DISBURSEMENT, "", f"公司{deal}", f"d:{deal}-{number}"))
        if exits:
            proceeds = int(tranches[: FLOWS - 1].sum() * rng.uniform(0, 4)) if n % 9 else 0  # some written off
            deal_flows.append((deal, days[-1].item(), proceeds, EXIT, "ipo" if proceeds else "liquidation", "", "e"))
        quarters = pd.period_range(pd.Timestamp(first).to_period("Q"), pd.Timestamp(AS_OF).to_period("Q"), freq="Q")
        growth = np.cumprod(rng.uniform(0.9, 1.15, len(quarters)))
        paid = np.cumsum(tranches)
        for quarter, factor in zip(quarters, growth, strict=True):
            valued_on = quarter.end_time.date()
            held = paid[min(np.searchsorted(days, np.datetime64(valued_on), side="right"), FLOWS) - 1]
            valuations.append((deal, valued_on, int(held * factor), "dcf", f"公司{deal}", f"v:{deal}-{quarter}"))
    invested = -sum(row[2] for row in deal_flows if row[2] < 0)
    lp_flows = [
        (1, "government", datetime.date(2016 + year, 1, 1), -invested // 10, PAID_IN, "LP", f"p:{year}")
        for year in range(10)
    ] + [(1, "government", datetime.date(2020 + year, 6, 30), invested // 20, DISTRIBUTION, "LP", f"q:{year}")
         for year in range(6)]  # fmt: skip
    months = pd.date_range("2015-12-01", AS_OF, freq="MS")
    levels = dict(zip(months.date, 3000 * np.cumprod(rng.uniform(0.95, 1.06, len(months))), strict=True))
    return deal_flows, valuations, lp_flows, levels


def frames(deal_flows, valuations, lp_flows):
    from funds.performance.flows import DEAL_FLOW_COLUMNS, LP_FLOW_COLUMNS, VALUATION_COLUMNS, frame

    return (
        frame(deal_flows, DEAL_FLOW_COLUMNS).sort_values(["on", "deal"], ignore_index=True),
        frame(valuations, VALUATION_COLUMNS),
        frame(lp_flows, LP_FLOW_COLUMNS),
    )


def compute(deal_flows, valuations, lp_flows, index):
    from funds.performance import series

    table = series.deal_table(deal_flows, valuations, AS_OF)
    figures = series.fund_figures(deal_flows, valuations, AS_OF, lp_flows=lp_flows, index=index)
    quarters = series.quarterly(deal_flows, valuations, AS_OF)
    return table, figures, quarters


class Timing:
    """Medians of wall-clock and of this process's CPU seconds (the machine is shared: the two differ under load)."""

    def __init__(self, wall, cpu):
        self.wall, self.cpu = statistics.median(wall), statistics.median(cpu)

    def __str__(self):
        return f"{self.wall:.3f} s (CPU {self.cpu:.3f} s)"


def median_of(function, runs=RUNS) -> tuple[Timing, object]:
    result = function()  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = function()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return Timing(wall, cpu), result


def run_computation() -> None:
    from funds.performance import metrics, series

    deal_flows, valuations, lp_flows, levels = portfolio(range(1, DEALS + 1))
    flows_frame, valuation_frame, lp_frame = frames(deal_flows, valuations, lp_flows)
    index = metrics.IndexSeries(levels)
    seconds, (table, figures, quarters) = median_of(lambda: compute(flows_frame, valuation_frame, lp_frame, index))
    print(
        f"\ncomputation: {len(table):,} deals, {len(flows_frame):,} cash flows, {len(valuation_frame):,} valuations, "
        f"{len(quarters)} quarters"
    )
    print(
        f"  gross TVPI {figures.gross.tvpi.value:.3f}  IRR {figures.gross.irr.value:.4f}  "
        f"KS-PME {figures.gross.ks_pme.value:.3f}  net TVPI {figures.net.tvpi.value:.3f}  "
        f"deal IRRs known {table['irr'].notna().sum():,}"
    )
    print(f"  median of {RUNS}: {seconds} (target < 2 s); load average {_load()}")
    report("fund metrics, 1,000 deals × 40 flows: computation", seconds.wall, "s", target=2)
    for name, step in (
        ("deal table", lambda: series.deal_table(flows_frame, valuation_frame, AS_OF)),
        (
            "fund figures",
            lambda: series.fund_figures(flows_frame, valuation_frame, AS_OF, lp_flows=lp_frame, index=index),
        ),
        ("quarterly", lambda: series.quarterly(flows_frame, valuation_frame, AS_OF)),
    ):
        part, _result = median_of(step, runs=3)
        print(f"    {name:<13} {part}")


def run_database() -> None:
    from django.db import connection

    from funds.models import Commitment, Deal, Disbursement, Exit, LpDistribution, LpType, PaidIn, Valuation
    from funds.performance import flows
    from tests.factories import OrganizationFactory
    from tests.funds_world import FundWorld
    from tests.test_funds_pipeline_budget import many_deals

    world = FundWorld.build()
    started = time.perf_counter()
    many_deals(world.fund, DEALS, [world.manager], companies=DEALS)
    deal_ids = list(Deal.objects.filter(fund=world.fund).order_by("pk").values_list("pk", flat=True))
    deal_flows, valuations, lp_flows, _levels = portfolio(deal_ids)
    numbers: dict[int, int] = {}
    tranches, exits = [], []
    for deal, on, fen, kind, exit_kind, _label, _ref in deal_flows:
        amount = _yuan(abs(fen))
        if kind == "exit":
            exits.append(Exit(deal_id=deal, exited_on=on, proceeds=amount, kind=exit_kind))
            continue
        numbers[deal] = numbers.get(deal, 0) + 1
        tranches.append(
            Disbursement(
                deal_id=deal,
                number=numbers[deal],
                planned_on=on,
                planned_amount=amount,
                paid_on=on,
                paid_amount=amount,
            )  # fmt: skip
        )
    Disbursement.objects.bulk_create(tranches, batch_size=2000)
    Exit.objects.bulk_create(exits, batch_size=2000)
    Valuation.objects.bulk_create(
        (Valuation(deal_id=deal, valued_on=on, value=_yuan(fen), method=method) for deal, on, fen, method, *_ in
         valuations),
        batch_size=2000,
    )  # fmt: skip
    commitment = Commitment.objects.create(
        fund=world.fund,
        investor=OrganizationFactory(),
        lp_type=LpType.GOVERNMENT,
        committed=_yuan(-sum(row[3] for row in lp_flows if row[3] < 0)),
        committed_on=datetime.date(2015, 12, 1),
    )
    for _c, _t, on, fen, _kind, _label, _ref in lp_flows:
        model = PaidIn if fen < 0 else LpDistribution
        model.objects.create(commitment=commitment, paid_on=on, amount=_yuan(abs(fen)))
    print(f"\n{connection.vendor}: the rows written in {time.perf_counter() - started:.1f} s")

    seconds, read = median_of(lambda: flows.read(world.fund, AS_OF))
    print(
        f"  database read: {len(read.deals):,} deals, {len(read.deal_flows):,} cash flows, "
        f"{len(read.valuations):,} valuations, {len(read.lp_flows)} LP flows"
    )
    print(f"  median of {RUNS}: {seconds}; load average {_load()}")
    report("fund metrics, 1,000 deals × 40 flows: database read", seconds.wall, "s", variant=connection.vendor)
    index = dict(_levels)
    total, _result = median_of(
        lambda: compute(*_read_frames(flows.read(world.fund, AS_OF)), index), runs=3
    )  # fmt: skip
    print(f"  read + computation: {total}")
    report("fund metrics, 1,000 deals × 40 flows: read + computation", total.wall, "s", variant=connection.vendor)


def _read_frames(read):
    return read.deal_flows, read.valuations, read.lp_flows


def _yuan(fen):
    from funds.performance.series import yuan

    return yuan(fen)


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def test_funds_metrics_benchmark(db):
    """Prints the figures (run with -s to see them)."""
    run_computation()
    run_database()


def _main() -> None:
    _setup_django()
    run_computation()
    in_test_database(run_database)


if __name__ == "__main__":
    _main()
