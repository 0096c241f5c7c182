"""Importing a deal list of 5,000 rows: the time of the dry-run preview and of the confirm that applies it.

Run either way (both print the same figures; neither asserts a timing):

    make bench                                                      # all of them, one table (run.py)
    .venv/bin/python tests/benchmarks/bench_funds_import.py        # SQLite (a test database)
    scripts/with-postgres.sh .venv/bin/python tests/benchmarks/bench_funds_import.py   # PostgreSQL

The list (an .xlsx built with openpyxl) has 4,000 rows for companies new to the portal (each registered from its
row) and 1,000 rows for existing companies whose open deal the import changes; the preview reads and checks every
row and stores the outcome; the confirm re-checks every row, then in one transaction writes the 4,000 organizations,
companies and deals (with their deal-room folders, stage rows, audit entries and history lines) and changes the
1,000 deals, each kind of row in bulk statements (funds/services/transfer.py). Target: preview + apply < 30 s on
SQLite on the 2-core machine.
"""

from __future__ import annotations

import time

from benchtools import in_test_database, load, report

NEW_ROWS = 4_000
UPDATED_ROWS = 1_000


def run() -> None:
    from django.db import connection

    from funds.models import Deal
    from funds.services import transfer
    from tests.factories import make_uscc
    from tests.funds_transfer_files import row, upload, xlsx
    from tests.funds_world import FundWorld, make_company, make_deal

    world = FundWorld.build()
    started = time.perf_counter()
    existing = [make_deal(world, company=make_company()) for _ in range(UPDATED_ROWS)]
    print(f"\n{connection.vendor}: {len(existing):,} existing deals written in {time.perf_counter() - started:.1f} s")
    rows = [
        row(
            company=f"坪山基准导入{n}号生物科技有限公司",
            uscc=make_uscc(),
            subsector="创新药",
            development_stage="临床前",
            round="A轮",
            amount_requested=10_000_000 + n,
            source="路演",
            owner="fund-manager",
            stage="初筛" if n % 2 else "",
        )
        for n in range(NEW_ROWS)
    ]
    rows += [
        row(uscc=deal.company.organization.uscc, round="A轮", amount_requested=50_000_000, source="路演")
        for deal in existing
    ]
    started = time.perf_counter()
    data = xlsx(rows)
    built = time.perf_counter() - started
    print(f"  the .xlsx of {len(rows):,} rows: {len(data) / 1024:.0f} KB, built in {built:.1f} s")

    started = time.perf_counter()
    deal_import = transfer.preview_import(actor=world.manager, fund=world.fund, upload=upload(data))
    preview_seconds = time.perf_counter() - started
    print(f"  preview: {preview_seconds:6.1f} s   {deal_import.preview['counts']}")

    started = time.perf_counter()
    transfer.apply_import(actor=world.manager, deal_import=deal_import)
    apply_seconds = time.perf_counter() - started
    created = Deal.objects.filter(fund=world.fund).count() - len(existing)
    print(f"  apply:   {apply_seconds:6.1f} s   {created:,} deals created, {len(existing):,} changed")
    print(f"  preview + apply: {preview_seconds + apply_seconds:.1f} s (target < 30 s); load average {load()}")
    name = f"deal-list import, {len(rows):,} rows: preview + apply"
    report(name, preview_seconds + apply_seconds, "s", target=30, variant=connection.vendor)


def test_funds_import_benchmark(db):
    """Prints the figures (run with -s to see them)."""
    run()


if __name__ == "__main__":
    in_test_database(run)
