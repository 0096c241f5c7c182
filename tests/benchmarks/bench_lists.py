"""The logged-in lists of funds, councils and the shared engines at seed_scale sizes: median response time of 25
requests per list (target: under 200 ms each, issue 14).

Run either way (both print the same figures; neither asserts a timing):

    make bench                                                     # all of them, one table (run.py)
    .venv/bin/python tests/benchmarks/bench_lists.py               # SQLite (a test database)
    DJANGO_SETTINGS_MODULE=portal.settings.test scripts/with-postgres.sh \
        .venv/bin/python tests/benchmarks/bench_lists.py                                      # PostgreSQL

Writes in bulk (tests/bulk_lists.py): 10,000 deals, 50,000 financing applications from 500 applicants (every fifth
with an open request for supplement), 2,000 review rounds × 50 experts = 100,000 assignments, a folder of 5,000
documents with 10,000 versions, a workspace stream of 20,000 lines and 1,000 past IC meetings. Then asks each list
through Django's test client as the person who reads it (the whole request: middleware, session, permissions,
count, page, template): 1 warm-up + 25 timed requests. On SQLite it prints the plan of each list's slowest query.
"""

from __future__ import annotations

import os
import statistics
import time

from benchtools import in_test_database, load, report, timed_gets

RUNS = 25
TARGET_MS = 200
DEALS = 10_000
APPLICATIONS = 50_000
APPLICANTS = 500
ROUNDS, EXPERTS = 2_000, 50
DOCUMENTS = 5_000
LINES = 20_000
MEETINGS = 1_000


def _timed(label, seconds):
    print(f"  {label:<58} {seconds:6.1f} s")


def build():
    """The rows, and the lists to ask: (label, user, url, page object's context name)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from councils import services as council_services
    from councils.models import ActivityVerb
    from councils.views.common import workspace_url
    from funds.financing import FINANCING
    from portal.reviews.testing import make_rubric, make_subject
    from tests import bulk_lists
    from tests.councils_world import build_world
    from tests.factories import UserFactory
    from tests.funds_world import FundWorld
    from tests.test_funds_pipeline_budget import many_deals

    world = FundWorld.build()
    lead = UserFactory(username="bench-lead")
    world.fund.managers.add(lead)
    started = time.perf_counter()
    many_deals(world.fund, DEALS, [world.manager, lead])
    _timed(f"{DEALS:,} deals", time.perf_counter() - started)

    started = time.perf_counter()
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench-applicant-{n}", email=f"bench-applicant-{n}@example.cn")
        for n in range(APPLICANTS)
    )
    statuses = ("submitted", "under_review", "supplement_requested", "approved", "not_approved")
    for _chunk in range(APPLICATIONS // 10_000):
        bulk_lists.many_applications(
            FINANCING.code,
            world.fund,
            users,
            10_000,
            officer=world.manager,
            organizations=[world.company.organization],
            statuses=statuses,
        )
    _timed(f"{APPLICATIONS:,} applications", time.perf_counter() - started)

    started = time.perf_counter()
    expert_users = [
        UserFactory(username="bench-expert"),
        *get_user_model().objects.bulk_create(
            get_user_model()(username=f"bench-expert-{n}") for n in range(EXPERTS - 1)
        ),
    ]
    experts = bulk_lists.many_experts(expert_users)
    rounds = bulk_lists.many_rounds(world.fund, make_subject(), make_rubric(), ROUNDS)
    bulk_lists.many_assignments(rounds, experts)
    _timed(f"{ROUNDS * EXPERTS:,} assignments", time.perf_counter() - started)

    started = time.perf_counter()
    council = build_world()
    people = [council["users"][name] for name in ("council_member", "chair", "secretary", "member_b")]
    folder = council_services.create_folder(
        actor=council["users"]["secretary"], workspace=council["council"], name="材料"
    )
    bulk_lists.many_documents(folder, people, DOCUMENTS)
    verbs = (ActivityVerb.UPLOADED_DOCUMENT, ActivityVerb.REPLIED, ActivityVerb.SCHEDULED_MEETING)
    bulk_lists.many_lines(
        council["council"], people, LINES, verbs, hidden_every=10, hidden_verb=ActivityVerb.DRAFTED_OPINION
    )
    bulk_lists.many_meetings(world.committee, world.manager, MEETINGS)
    _timed(f"{DOCUMENTS:,} documents, {LINES:,} lines, {MEETINGS:,} meetings", time.perf_counter() - started)

    fund = {"fund": world.fund.slug}
    applications = reverse("applications:list")
    activity = workspace_url(council["council"], "activity")
    member = council["users"]["council_member"]
    return [
        ("pipeline board", world.manager, reverse("funds:pipeline", kwargs=fund)),
        ("pipeline table (page 1 of all)", world.manager, reverse("funds:deal_list", kwargs=fund)),
        (
            "pipeline table, stage filter, page 20",
            world.manager,
            reverse("funds:deal_list", kwargs=fund) + "?stage=screening&page=20",
        ),
        ("applications: the fund's manager, all", world.manager, applications),
        ("applications: the fund's manager, a status", world.manager, applications + "?status=under_review"),
        ("applications: the fund's manager, page 500", world.manager, applications + "?page=500"),
        ("applications: an applicant (100 of their own)", users[7], applications),
        ("review assignments: an expert (2,000), page 1", expert_users[0], reverse("reviews:list")),
        ("review assignments: page 30", expert_users[0], reverse("reviews:list") + "?page=30"),
        ("council folder (5,000 documents), page 1", member, folder.get_absolute_url()),
        ("council folder, page 80", member, folder.get_absolute_url() + "?page=80"),
        ("activity stream (20,000 lines), a member", member, activity),
        ("activity stream, the secretariat, page 150", council["users"]["secretary"], activity + "?page=150"),
        ("IC meetings (1,000 past), page 1", world.manager, reverse("funds:committee", kwargs=fund)),
        ("IC meetings, page 30", world.ic_member, reverse("funds:committee", kwargs=fund) + "?page=30"),
    ]


def _slowest_plan(client, url):
    """The slowest query of one request, its time and (SQLite) its plan."""
    from django.db import connection, reset_queries
    from django.test.utils import override_settings

    with override_settings(DEBUG=True):
        reset_queries()
        client.get(url)
        queries = list(connection.queries)
    slowest = max(queries, key=lambda query: float(query["time"]))
    plan = ""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + slowest["sql"])
            plan = "; ".join(row[-1] for row in cursor.fetchall())
    return len(queries), float(slowest["time"]) * 1000, slowest["sql"][:160], plan


def run() -> None:
    from django.db import connection
    from django.test import Client

    print(f"\n{connection.vendor}: writing the rows (load {load()})")
    lists = build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    plans = []
    print(f"\n  {'list':<50} {'rows':>7} {'median':>9} {'target':>8} {'min':>8} {'max':>8} {'CPU':>8} queries")
    for label, user, url in lists:
        client = Client()
        client.force_login(user)
        response = client.get(url)  # warm-up
        assert response.status_code == 200, (label, response.status_code)
        page = response.context.get("page_obj")
        rows = page.paginator.count if page else sum(column["count"] for column in response.context["columns"])
        timings, cpu = timed_gets(client, url, RUNS)
        median = statistics.median(timings)
        count, slowest_ms, sql, plan = _slowest_plan(client, url)
        plans.append((label, slowest_ms, sql, plan))
        over = "" if median < TARGET_MS else "  OVER"
        print(
            f"  {label:<50} {rows:>7,} {median:7.1f} ms {'< ' + str(TARGET_MS):>6} ms {min(timings):6.1f} ms "
            f"{max(timings):6.1f} ms {statistics.median(cpu):6.1f} ms {count:>4}{over}"
        )
        report(f"list: {label}", median, "ms", target=TARGET_MS, variant=connection.vendor)
    print(f"  load average while measuring: {load()} on {os.cpu_count()} CPUs")
    print("\n  slowest query of each list:")
    for label, slowest_ms, sql, plan in plans:
        print(f"  {label:<50} {slowest_ms:7.1f} ms  {sql}")
        if plan:
            print(f"  {'':<50} plan: {plan}")


def test_lists_benchmark(db):
    """Prints the figures (run with -s to see them)."""
    run()


if __name__ == "__main__":
    in_test_database(run)
