"""The board and the table cost the same number of queries with 10 deals as with 1,000 (no query per card or row).

Run with -s to see the counts.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from funds.models import Company, Deal, DealSource, DealStage, DevelopmentStage, Round, SavedFilter, Subsector
from portal.organizations.models import Organization, OrganizationKind
from tests.factories import UserFactory, make_uscc
from tests.funds_world import FundWorld

pytestmark = pytest.mark.django_db

_batches = itertools.count(1)
STAGES = list(DealStage.values)


def many_deals(fund, count, leads, *, companies=40):
    """``count`` deals of ``fund`` spread over every stage, subsector, development stage, lead and source, written
    in bulk (the rows the services would leave, without their history: fixtures for counting and timing)."""
    batch = next(_batches)
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"批量测试生物科技有限公司{batch}-{n}",
            name_en=f"Bulk Test Bio {batch}-{n}",
            uscc=make_uscc(),
            kind=OrganizationKind.ENTERPRISE,
        )
        for n in range(min(companies, count))
    )
    subsectors, phases = Subsector.values, DevelopmentStage.values
    company_rows = Company.objects.bulk_create(
        Company(
            organization=organization,
            subsector=subsectors[n % len(subsectors)],
            development_stage=phases[n % len(phases)],
            lead_asset=f"PS-{n:03d}",
        )
        for n, organization in enumerate(organizations)
    )
    now = timezone.now()
    rounds, sources = Round.values, DealSource.values
    Deal.objects.bulk_create(
        (
            Deal(
                fund=fund,
                company=company_rows[n % len(company_rows)],
                round=rounds[n % len(rounds)],
                amount_requested=Decimal(5_000_000 + (n * 1_234_567) % 300_000_000),
                source=sources[n % len(sources)],
                owner=leads[n % len(leads)] if n % 5 else None,
                stage=STAGES[n % len(STAGES)],
                stage_entered_at=now - datetime.timedelta(days=n % 120, hours=n % 24),
                created_at=now - datetime.timedelta(days=n % 400),
            )
            for n in range(count)
        ),
        batch_size=500,
    )


def count_queries(client, url):
    client.get(url)  # warm-up: what a process asks once (content types, site settings) is not the page's cost
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    "query",
    ["", "?stage=screening", "?subsector=innovative_drugs&amount_min=5000000&o=-amount", "?days_min=5&o=owner"],
)
def test_the_table_costs_the_same_with_10_and_1000_deals(client, query):
    world = FundWorld.build()
    lead = UserFactory(username="second-lead")
    world.fund.managers.add(lead)
    SavedFilter.objects.create(fund=world.fund, user=world.manager, name="初筛", query="stage=screening")
    client.force_login(world.manager)
    url = reverse("funds:deal_list", kwargs={"fund": world.fund.slug}) + query
    many_deals(world.fund, 10, [world.manager, lead])
    few, response = count_queries(client, url)
    assert response.context["deals"]  # something is listed, so rows are really rendered
    many_deals(world.fund, 990, [world.manager, lead])
    lots, response = count_queries(client, url)
    assert response.context["page_obj"].paginator.count > 10
    print(f"table{query or ' (all)'}: {few} queries with 10 deals, {lots} with 1,000")
    assert few == lots


def test_the_board_costs_the_same_with_10_and_1000_deals(client):
    world = FundWorld.build()
    lead = UserFactory(username="second-lead")
    world.fund.managers.add(lead)
    client.force_login(world.manager)
    url = reverse("funds:pipeline", kwargs={"fund": world.fund.slug})
    many_deals(world.fund, 10, [world.manager, lead])
    few, response = count_queries(client, url)
    assert sum(len(column["deals"]) for column in response.context["columns"]) > 0
    many_deals(world.fund, 990, [world.manager, lead])
    lots, response = count_queries(client, url)
    cards = [deal for column in response.context["columns"] for deal in column["deals"]]
    assert len(cards) > 100 and all(deal.moves for deal in cards)  # every card has its buttons
    print(f"board: {few} queries with 10 deals, {lots} with 1,000")
    assert few == lots
