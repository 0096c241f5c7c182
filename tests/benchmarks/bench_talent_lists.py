"""The talent lists at scale: median response time of each main list (target: under 200 ms).

Run either way (both print the same figures; neither asserts a timing):

    make bench
    .venv/bin/python tests/benchmarks/bench_talent_lists.py                      # SQLite (a test database)
    DJANGO_SETTINGS_MODULE=portal.settings.test scripts/with-postgres.sh .venv/bin/python \\
        tests/benchmarks/bench_talent_lists.py                                   # PostgreSQL

Writes into a test database (in bulk, tests/talent_rows.py) 50,000 applications — 25,000 to the offshore base over
three calls and 25,000 special-talent ones — 10,000 library entries over the three libraries, 5,000 service
requests and a few hundred roadshows and calls; then asks each list 1 warm-up + 25 timed requests through Django's
test client as the person who reads it (the whole request: middleware, session, filters, count, page, template).
"""

from __future__ import annotations

import os
import statistics
import time

from benchtools import in_test_database, report, timed_gets

BASES = 25_000
SPECIALS = 25_000
ENTRIES = 10_000
SERVICES = 5_000
RUNS = 25
TARGET_MS = 200


def _world():
    from talent.models import BaseStage, EnterpriseDemand, PatentListing, ProjectListing
    from tests import talent_rows as rows
    from tests.special_world import build_special_world
    from tests.talent_world import build_world, make_call, theme

    base, special = build_world(), build_special_world()
    themes = [base.theme, special.other_theme, theme("ic", "集成电路", "Integrated circuits")]
    calls = [base.call, base.closed_call, make_call(base.programme, "bench-call", themes=themes)]
    teams = [base.team, base.other_team]
    for call in calls:
        rows.base_applications(call, teams, BASES // len(calls), themes=themes)
    admitted = rows.base_applications(
        base.call, teams, 200, themes=themes, stages=(BaseStage.ONBOARDING, BaseStage.ACTIVE)
    )
    rows.service_requests(admitted, SERVICES, requested_by=base.team, officers=[base.officer, base.other_officer])
    rows.special_applications(
        special.call,
        [special.employer, special.other_employer],
        [special.organization, special.other_organization],
        SPECIALS,
        themes=[special.theme, special.other_theme],
        authority=special.authority,
    )
    per_library = ENTRIES // 3
    for model in (ProjectListing, EnterpriseDemand, PatentListing):
        rows.listings(model, base.programme, [base.outsider, base.team], per_library, themes=themes)
    rows.roadshows(base.programme, 300, themes=themes)
    rows.calls(base.programme, 300, themes=themes)
    return base, special


def _lists(base, special):
    from django.urls import reverse
    from django.utils import translation

    def url(name, query="", **kwargs):
        with translation.override("zh-hans"):
            return reverse(f"talent:{name}", kwargs=kwargs) + query

    programme = base.programme.slug
    return (
        # (label, who asks (None: anyone), address)
        ("base applications, all", base.officer, url("base_applications", programme=programme)),
        ("base applications in review", base.officer, url("base_applications", "?stage=review", programme=programme)),
        ("base applications, page 400", base.officer, url("base_applications", "?page=400", programme=programme)),
        ("special-talent applications (officer)", special.officer, url("special_applications")),
        ("special-talent applications (authority)", special.reviewer, url("special_applications")),
        (
            "special-talent, stage + sector",
            special.officer,
            url("special_applications", f"?stage=panel&sector={special.other_theme.pk}"),
        ),
        ("service queue (open ones)", base.officer, url("service_queue", programme=programme)),
        (
            "service queue, all states of a kind",
            base.officer,
            url("service_queue", "?state=all&kind=visa", programme=programme),
        ),
        ("the team's services", base.team, url("my_services")),
        ("project library (public)", None, url("library", library="projects")),
        ("demand library, searched", None, url("library", "?q=测序&theme=biomed", library="demands")),
        ("curators' queue (waiting)", base.officer, url("listing_queue")),
        ("curators' queue (published)", base.officer, url("listing_queue", "?state=published")),
        ("a submitter's own entries", base.outsider, url("my_listings")),
        ("roadshows (public)", None, url("roadshows")),
        ("the office's roadshows", base.officer, url("office_roadshows", programme=programme)),
        ("the office's calls", base.officer, url("office_calls", programme=programme)),
        ("public notice", None, url("notices")),
    )


def run() -> None:
    from django.db import connection
    from django.test import override_settings

    started = time.perf_counter()
    base, special = _world()
    print(f"\n{connection.vendor}: the rows written in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    # The public lists are kept by the page cache for anonymous visitors: measured here as a miss renders them.
    with override_settings(PAGE_CACHE_ENABLED=False):
        for label, user, address in _lists(base, special):
            measure(client_for(user), label, address)
    print(f"  load average after: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def client_for(user):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def measure(client, label, address) -> None:
    from django.db import connection

    response = client.get(address)  # warm-up
    assert response.status_code == 200, address
    page = response.context.get("page_obj")
    total = page.paginator.count if page is not None else 0
    timings, cpu = timed_gets(client, address, RUNS)
    median = statistics.median(timings)
    print(
        f"  {label:<42} {total:>6} rows  median {median:7.1f} ms (target {TARGET_MS} ms)  "
        f"min {min(timings):7.1f}  max {max(timings):7.1f}  (CPU of this process: {statistics.median(cpu):6.1f} ms)"
    )
    report(f"talent lists: {label}", median, "ms", target=TARGET_MS, variant=connection.vendor)


def test_talent_lists_benchmark(db):
    """Prints the figures (run with -s to see them)."""
    run()


if __name__ == "__main__":
    in_test_database(run)
