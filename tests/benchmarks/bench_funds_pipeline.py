"""The pipeline table with 10,000 deals and a filter: median response time of the page (target: under 200 ms).

Run either way (both print the same figures; neither asserts a timing):

    make bench                                                       # all of them, one table (run.py)
    .venv/bin/python tests/benchmarks/bench_funds_pipeline.py       # SQLite (a test database)
    scripts/with-postgres.sh .venv/bin/python tests/benchmarks/bench_funds_pipeline.py   # PostgreSQL

Writes 10,000 deals over 40 companies (every stage, subsector, lead and source) into a test database, then asks the
table for: the filter of the issue (stage + subsector + minimum amount), the same sorted by amount, the whole
pipeline unfiltered, and a text search on the company name — 1 warm-up + 25 timed requests each, through Django's
test client as the fund's manager (the whole request: middleware, session, filter, count, page, template).
"""

from __future__ import annotations

import os
import statistics
import time

from benchtools import in_test_database, report

DEALS = 10_000
RUNS = 25
QUERIES = (
    ("stage + subsector + amount min", "?stage=screening&subsector=innovative_drugs&amount_min=20000000"),
    ("… sorted by amount", "?stage=screening&subsector=innovative_drugs&amount_min=20000000&o=-amount"),
    ("no filter (page 1 of all)", ""),
    ("company name search", "?q=测试生物科技有限公司1-3"),
    ("days in stage ≥ 60, sorted by company", "?days_min=60&o=company"),
)


def run() -> None:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from funds.models import Deal
    from tests.factories import UserFactory
    from tests.funds_world import FundWorld
    from tests.test_funds_pipeline_budget import many_deals

    world = FundWorld.build()
    lead = UserFactory(username="bench-lead")
    world.fund.managers.add(lead)
    started = time.perf_counter()
    many_deals(world.fund, DEALS, [world.manager, lead])
    print(
        f"\n{connection.vendor}: {Deal.objects.filter(fund=world.fund).count():,} deals written in "
        f"{time.perf_counter() - started:.1f} s"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(world.manager)
    base = reverse("funds:deal_list", kwargs={"fund": world.fund.slug})
    for label, query in QUERIES:
        response = client.get(base + query)  # warm-up
        assert response.status_code == 200
        total = response.context["page_obj"].paginator.count
        timings, cpu = [], []
        for _ in range(RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(base + query)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200
        # Wall time is what a person waits; this process's CPU time is the same request without the other programs
        # of a busy machine (on SQLite it includes the database's work, on PostgreSQL the server's is outside it).
        print(
            f"  {label:<40} {total:>6} rows  median {statistics.median(timings):7.1f} ms  "
            f"min {min(timings):7.1f} ms  max {max(timings):7.1f} ms  "
            f"(CPU of this process: median {statistics.median(cpu):6.1f} ms)  ({RUNS} requests)"
        )
        name = f"pipeline table, {DEALS:,} deals: {label}"
        report(name, statistics.median(timings), "ms", target=200, variant=connection.vendor)
    print(f"  load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def test_funds_pipeline_benchmark(db):
    """Prints the figures (run with -s to see them)."""
    run()


if __name__ == "__main__":
    in_test_database(run)
