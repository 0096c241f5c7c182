"""Importing a fund's performance data: a workbook of 20,000 rows (datasheets.MAX_ROWS) read, previewed, applied, and
the result exported.

Run either way (both print the same figures; neither asserts a timing):

    make bench                                                      # all of them, one table (run.py)
    .venv/bin/python tests/benchmarks/bench_funds_data_import.py   # SQLite (a test database)
    DJANGO_SETTINGS_MODULE=portal.settings.test scripts/with-postgres.sh \\
        .venv/bin/python tests/benchmarks/bench_funds_data_import.py   # PostgreSQL

The fund: 1,000 deals in the portfolio, each in its own company, with signed terms (2018-06-01, 100 million yuan)
and three planned tranches not yet paid; ten LPs; a benchmark index without levels; one valuation per deal
recorded as the file has it and one recorded with another value. The workbook (funds.performance.datasheets
.build_workbook): 12,000 paid tranches (12 per deal: the three planned ones paid by their number, nine new ones,
numbered in the file for half the deals and matched by date and amount for the others), 1,000 LP flows (paid-in
and distributions), 4,000 valuations (1,000 unchanged, 1,000 changed, 2,000 new), 2,000 yearly KPI reports and
1,000 daily index levels. Outcomes: 15,000 added, 4,000 changed, 1,000 unchanged, none refused.

Each run previews, applies and exports inside a transaction rolled back at its end, so every run starts from the
same fund (nothing the import does waits for the commit: the fund's only manager imports, so nobody is mailed).
The first run is the warm-up and counts the queries (Django's query capture slows SQLite's bulk statements, so the
timed runs do not capture); the figures are the medians of RUNS runs after it, wall clock and this process's CPU
(the machine is shared). Target: preview + apply < 60 s on SQLite on the 2-core machine.
"""

from __future__ import annotations

import datetime
import io
import statistics
import time
from decimal import Decimal

from benchtools import Clock, in_test_database, load, report

DEALS = 1_000
PLANNED = 3  # tranches planned per deal, paid by the file
TRANCHES = 12  # paid tranches per deal in the file
VALUATIONS = 4  # per deal: one recorded as is, one recorded otherwise, two new
KPI_YEARS = (2022, 2023)
LPS = 10
LP_FLOWS = 100  # per LP: 60 paid-in, 40 distributions
INDEX_DAYS = 1_000
RUNS = 3
SIGNED_ON = datetime.date(2018, 6, 1)
TERMS = Decimal(100_000_000)
INDEX = "沪深300"
EXPECTED = {  # 15,000 added, 4,000 changed, 1,000 unchanged
    "create": DEALS * (TRANCHES - PLANNED + VALUATIONS - 2 + len(KPI_YEARS)) + LPS * LP_FLOWS + INDEX_DAYS,
    "update": DEALS * (PLANNED + 1),
    "unchanged": DEALS,
    "refuse": 0,
}


# --- the fund --------------------------------------------------------------------------------------------------------


def build_fund(world):
    """The deals (in bulk: the rows the services would leave, without their history), their terms and planned
    tranches, the LPs' commitments, the index and the valuations already recorded. → (deals, commitments)."""
    from funds.models import (
        BenchmarkIndex,
        Commitment,
        Company,
        Deal,
        DealSource,
        DealStage,
        DealTerms,
        DevelopmentStage,
        Disbursement,
        Instrument,
        LpType,
        Round,
        Subsector,
        Valuation,
        ValuationMethod,
    )
    from portal.organizations.models import Organization, OrganizationKind
    from tests.factories import make_uscc

    organizations = Organization.objects.bulk_create(
        (
            Organization(
                name=f"坪山业绩导入基准生物科技有限公司{n}",
                name_en=f"Performance Import Bench Bio {n}",
                uscc=make_uscc(),
                kind=OrganizationKind.ENTERPRISE,
            )
            for n in range(DEALS + LPS)
        ),
        batch_size=500,
    )
    companies = Company.objects.bulk_create(
        (
            Company(
                organization=organization,
                subsector=Subsector.INNOVATIVE_DRUGS,
                development_stage=DevelopmentStage.PRECLINICAL,
                lead_asset=f"PS-{n:04d}",
            )
            for n, organization in enumerate(organizations[:DEALS])
        ),
        batch_size=500,
    )
    rounds = Round.values
    Deal.objects.bulk_create(
        (
            Deal(
                fund=world.fund,
                company=company,
                round=rounds[n % len(rounds)],
                amount_requested=TERMS,
                source=DealSource.OWN,
                stage=DealStage.PORTFOLIO,
            )
            for n, company in enumerate(companies)
        ),
        batch_size=500,
    )
    deals = list(Deal.objects.filter(fund=world.fund).select_related("company__organization").order_by("pk"))
    DealTerms.objects.bulk_create(
        (
            DealTerms(
                deal=deal,
                amount=TERMS,
                instrument=Instrument.PREFERRED,
                pre_money=TERMS * 5,
                ownership=Decimal("16.6667"),
                signed_on=SIGNED_ON,
            )
            for deal in deals
        ),
        batch_size=500,
    )
    Disbursement.objects.bulk_create(
        (
            Disbursement(deal=deal, number=number, planned_on=on, planned_amount=amount)
            for n, deal in enumerate(deals)
            for number, (on, amount) in enumerate(_tranches(n)[:PLANNED], start=1)
        ),
        batch_size=500,
    )
    recorded = []
    for n, deal in enumerate(deals):
        (same_on, same_value), (changed_on, changed_value), *_new = _valuations(n)
        recorded.append(Valuation(deal=deal, valued_on=same_on, value=same_value, method=ValuationMethod.LAST_ROUND))
        recorded.append(
            Valuation(deal=deal, valued_on=changed_on, value=changed_value / 2, method=ValuationMethod.LAST_ROUND)
        )
    Valuation.objects.bulk_create(recorded, batch_size=500)
    lp_types = LpType.values
    commitments = [
        Commitment.objects.create(
            fund=world.fund,
            investor=organization,
            lp_type=lp_types[n % len(lp_types)],
            committed=Decimal(1_000_000_000),
            committed_on=datetime.date(2017, 12, 1),
        )
        for n, organization in enumerate(organizations[DEALS:])
    ]
    BenchmarkIndex.objects.create(name=INDEX, name_en="CSI 300", code="000300")
    return deals, commitments


def _tranches(n):
    """Deal n's twelve paid tranches: (date, amount), two months apart from a first one in 2019."""
    first = datetime.date(2019, 1, 1) + datetime.timedelta(days=n % 365)
    return [
        (first + datetime.timedelta(days=61 * k), Decimal(2_000_000 + 1_000 * (n % 97) + 10_000 * k) + Decimal("0.25"))
        for k in range(TRANCHES)
    ]


def _valuations(n):
    """Deal n's valuations at the ends of 2020–2023 (all after its first tranche): (date, value)."""
    return [
        (datetime.date(year, 12, 31), Decimal(30_000_000 + 12_345 * n + 1_000_000 * k) + Decimal("0.50"))
        for k, year in enumerate(range(2020, 2020 + VALUATIONS))
    ]


# --- the workbook ----------------------------------------------------------------------------------------------------


def workbook_rows(deals, commitments) -> dict:
    """The rows of the four sheets, as build_workbook takes them."""
    from funds.models import ValuationMethod
    from funds.performance.datasheets import FlowType

    flows, valuations, kpis = [], [], []
    for n, deal in enumerate(deals):
        company = {"uscc": deal.company.organization.uscc, "round": deal.round}
        for number, (on, amount) in enumerate(_tranches(n), start=1):
            row = {**company, "date": on, "type": FlowType.INVESTMENT, "amount": amount}
            if number <= PLANNED or n % 2:
                row["tranche"] = number
            flows.append(row)
        for on, value in _valuations(n):
            valuations.append({**company, "date": on, "value": value, "method": ValuationMethod.LAST_ROUND})
        for year in KPI_YEARS:
            kpis.append(
                {
                    **company,
                    "period_start": datetime.date(year, 1, 1),
                    "period_end": datetime.date(year, 12, 31),
                    "revenue": Decimal(5_000_000 + 1_000 * n),
                    "rd_spend": Decimal(3_000_000 + 500 * n),
                    "headcount": 40 + n % 60,
                    "patents": n % 4,
                    "tax_paid": Decimal("250000.00"),
                }
            )
    for commitment in commitments:
        name = commitment.investor.name
        for month in range(LP_FLOWS * 3 // 5):
            on = datetime.date(2018 + month // 12, month % 12 + 1, 15)
            flows.append({"date": on, "type": FlowType.PAID_IN, "lp": name, "amount": Decimal(10_000_000)})
        for month in range(LP_FLOWS * 2 // 5):
            on = datetime.date(2021 + month // 12, month % 12 + 1, 28)
            flows.append({"date": on, "type": FlowType.DISTRIBUTION, "lp": name, "amount": Decimal("4000000.50")})
    days = [datetime.date(2021, 1, 4) + datetime.timedelta(days=k) for k in range(INDEX_DAYS * 7 // 5 + 7)]
    weekdays = [on for on in days if on.weekday() < 5][:INDEX_DAYS]
    index = [
        {"index": INDEX, "date": on, "level": Decimal(3500) + Decimal(k % 400) + Decimal("0.1234")}
        for k, on in enumerate(weekdays)
    ]
    return {"flows": flows, "valuations": valuations, "kpis": kpis, "index": index}


# --- the runs --------------------------------------------------------------------------------------------------------


def _upload(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return SimpleUploadedFile("业绩数据.xlsx", data, content_type=xlsx)


def import_once(world, data, clocks=None, queries=None):
    """Preview, apply and export once in a transaction rolled back at its end (the fund as it was before)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from funds.models import Disbursement
    from funds.services import performance_data

    def step(name, function):
        clock = clocks[name] if clocks else Clock()
        if queries is None:
            with clock:
                return function()
        with CaptureQueriesContext(connection) as captured:
            result = function()
        queries[name] = len(captured.captured_queries)
        return result

    with transaction.atomic():
        data_import = step(
            "preview",
            lambda: performance_data.preview_import(actor=world.manager, fund=world.fund, upload=_upload(data)),
        )
        counts = data_import.preview["counts"]
        if counts != EXPECTED:
            raise AssertionError(f"the preview's outcomes {counts}, not {EXPECTED}")
        step("apply", lambda: performance_data.apply_import(actor=world.manager, data_import=data_import))
        paid = Disbursement.objects.filter(deal__fund=world.fund, paid_on__isnull=False).count()
        if paid != DEALS * TRANCHES:
            raise AssertionError(f"{paid} paid tranches after the apply, not {DEALS * TRANCHES}")
        exported = step("export", lambda: performance_data.export_data(actor=world.manager, fund=world.fund))
        transaction.set_rollback(True)
    data_import.file.storage.delete(data_import.file.name)  # the row is rolled back; its stored file is not
    return counts, exported


def run() -> None:
    from django.db import connection

    from funds.performance import datasheets
    from tests.funds_world import FundWorld

    world = FundWorld.build()
    started = time.perf_counter()
    deals, commitments = build_fund(world)
    built = time.perf_counter() - started
    print(f"\n{connection.vendor}: {len(deals):,} deals with terms and planned tranches written in {built:.1f} s")
    rows = workbook_rows(deals, commitments)
    total = sum(len(sheet) for sheet in rows.values())
    assert total <= datasheets.MAX_ROWS, total
    started = time.perf_counter()
    data = datasheets.build_workbook(rows)
    sizes = ", ".join(f"{key} {len(sheet):,}" for key, sheet in rows.items())
    built = time.perf_counter() - started
    print(f"  workbook: {total:,} rows ({sizes}), {len(data) / 1024:.0f} KB, built in {built:.1f} s")

    reading = Clock()
    datasheets.read_workbook(io.BytesIO(data), "xlsx")  # warm-up
    for _ in range(RUNS):
        with reading:
            datasheets.read_workbook(io.BytesIO(data), "xlsx")
    print(f"  read_workbook: {reading}   median of {RUNS}; load average {load()}")

    queries = {}
    load_before = load()
    started = time.perf_counter()
    counts, exported = import_once(world, data, queries=queries)
    print(
        f"  warm-up (queries captured): {time.perf_counter() - started:.1f} s; outcomes {counts}; "
        f"export {len(exported) / 1024:.0f} KB"
    )
    print("  queries: " + ", ".join(f"{name} {count:,}" for name, count in queries.items()))
    clocks = {name: Clock() for name in ("preview", "apply", "export")}
    for _ in range(RUNS):
        import_once(world, data, clocks=clocks)
    for name, clock in clocks.items():
        print(f"  {name + ':':<9}{clock}   median of {RUNS}")
    both = [p + a for p, a in zip(clocks["preview"].wall, clocks["apply"].wall, strict=True)]
    print(
        f"  preview + apply: {statistics.median(both):.2f} s (target < 60 s on SQLite); "
        f"load average {load_before} at the start, {load()} at the end"
    )
    name = f"performance-data import, {total:,} rows: preview + apply"
    report(name, statistics.median(both), "s", target=60, variant=connection.vendor)


def test_funds_data_import_benchmark(db):
    """Prints the figures (run with -s to see them)."""
    run()


if __name__ == "__main__":
    in_test_database(run)
