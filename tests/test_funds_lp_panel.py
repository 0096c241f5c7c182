"""The LP panel of the dashboard (funds/panels.py ``lp_context``): a person acting for an LP of a fund sees the
fund's approved evaluations, with the grade and the report; drafts and other funds' evaluations stay out."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from funds import panels, permissions
from funds.models import PerformanceEvaluation
from funds.services import performance
from portal.organizations.models import OrganizationContactRole, OrganizationUser
from tests import funds_performance_world as perf
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def approved(world, year):
    indicator_set = performance.set_indicators(
        actor=world.manager, fund=world.fund, year=year, name=f"{year}年度指标", indicators=perf.INDICATORS
    )
    as_of = perf.AS_OF.replace(year=year)
    evaluation = performance.start_evaluation(actor=world.manager, indicator_set=indicator_set, as_of=as_of)
    evaluation = performance.compute_evaluation(actor=world.manager, evaluation=evaluation)
    performance.write_recommendations(actor=world.manager, evaluation=evaluation, recommendations="保持规模。")
    return performance.approve_evaluation(actor=world.ic_chair, evaluation=evaluation)


@pytest.fixture
def world():
    world = perf.build()
    world.lp = UserFactory(username="lp_contact")
    OrganizationUser.objects.create(
        organization=world.government.investor, user=world.lp, role=OrganizationContactRole.CONTACT
    )
    return world


def context(user):
    request = RequestFactory().get("/")
    request.user = user
    return panels.lp_context(request)


def test_the_lp_sees_the_approved_evaluations_of_its_fund_only(client, world):
    assert not permissions.shows_lp_panel(world.lp)  # nothing approved yet
    draft = performance.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    assert not permissions.shows_lp_panel(world.lp)
    first = approved(world, perf.YEAR + 1)
    assert permissions.shows_lp_panel(world.lp)
    assert [evaluation.pk for evaluation in context(world.lp)["evaluations"]] == [first.pk]
    for who in (world.manager, world.outsider, world.firm):
        assert not permissions.shows_lp_panel(who)

    client.force_login(world.lp)
    page = client.get(reverse("workspace:dashboard")).content.decode()
    assert "data-lp-reports" in page and first.get_absolute_url() in page
    assert reverse("funds:evaluation_report", args=[world.fund.slug, first.year]) in page
    assert draft.get_absolute_url() not in page
    assert client.get(first.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_panel_asks_the_same_queries_for_one_or_several_evaluations(world):
    approved(world, perf.YEAR + 1)
    with CaptureQueriesContext(connection) as one:
        context(world.lp)
    approved(world, perf.YEAR - 1)
    approved(world, perf.YEAR - 2)
    with CaptureQueriesContext(connection) as three:
        evaluations = context(world.lp)["evaluations"]
    assert len(one) == len(three) == 1
    assert [evaluation.year for evaluation in evaluations] == [perf.YEAR + 1, perf.YEAR - 1, perf.YEAR - 2]
    assert PerformanceEvaluation.objects.count() == 3
