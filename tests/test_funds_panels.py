"""The fund's dashboard panels: what a manager, an IC member and a portfolio company see, that the role's empty
state gives way to the panel, and that each panel asks the same number of queries with few or many rows."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from funds import panels, permissions
from funds.models import CommitteeMeeting, DealStage, Fund, KpiReport
from portal.reviews.models import Assignment, AssignmentState, ReviewRound, RoundState
from portal.reviews.testing import make_expert, make_rubric
from tests.factories import UserFactory
from tests.funds_portfolio_world import invested_deal
from tests.funds_world import FundWorld, make_company, make_deal

pytestmark = pytest.mark.django_db
NOW = timezone.now
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world():
    return FundWorld.build()


def context(function, user):
    request = RequestFactory().get("/workspace/")
    request.user = user
    return function(request)


def meeting(world, *, days=3, **fields):
    return CommitteeMeeting.objects.create(
        committee=world.committee,
        title=fields.pop("title", "第一次投决会"),
        starts_at=NOW() + days * DAY,
        created_by=world.manager,
        **fields,
    )


def overdue_round(world, *, fund=None, experts=2, submitted=0, title="评审：测试项目"):
    """An open review round of the fund past its deadline with ``experts`` assignments, ``submitted`` of them done."""
    fund = fund or world.fund
    deal = make_deal(fund, stage=DealStage.DUE_DILIGENCE)
    rubric = make_rubric()
    review = ReviewRound.objects.create(
        content_type=ContentType.objects.get_for_model(deal),
        object_id=deal.pk,
        title=title,
        rubric=rubric,
        deadline=NOW() - DAY,
        owner_type=ContentType.objects.get_for_model(Fund),
        owner_id=str(fund.pk),
    )
    ReviewRound.objects.filter(pk=review.pk).update(state=RoundState.OPEN)
    for n in range(experts):
        expert = make_expert(user=UserFactory())
        assignment = Assignment.objects.create(round=review, expert=expert)
        state = AssignmentState.SUBMITTED if n < submitted else AssignmentState.CLEARED
        Assignment.objects.filter(pk=assignment.pk).update(state=state)
    return review


def test_the_manager_sees_deals_by_stage_stuck_deals_meetings_and_overdue_evaluations(world):
    make_deal(world, stage=DealStage.SCREENING, owner=world.manager)
    make_deal(world, stage=DealStage.SCREENING)
    stuck = make_deal(world, stage=DealStage.DUE_DILIGENCE, days_in_stage=world.fund.stuck_after_days + 5)
    make_deal(world, stage=DealStage.PORTFOLIO, days_in_stage=900)  # a holding is not stuck
    make_deal(world, stage=DealStage.ON_HOLD, days_in_stage=900)  # a hold is deliberate
    make_deal(world.other_fund, stage=DealStage.SCREENING, days_in_stage=900)
    meeting(world, title="第三次投决会")
    meeting(world, days=-2, title="上一次投决会")
    overdue_round(world, experts=3, submitted=1)
    overdue_round(world, fund=world.other_fund)

    panel = context(panels.fund_context, world.manager)
    (entry,) = panel["funds"]
    stages = {row["stage"]: (row["total"], row["mine"]) for row in entry["stages"]}
    assert stages[DealStage.SCREENING] == (2, 1)
    assert [deal.pk for deal in panel["stuck_deals"]] == [stuck.pk] and panel["stuck_count"] == 1
    assert panel["stuck_deals"][0].days == world.fund.stuck_after_days + 5
    assert [m.title for m in panel["meetings"]] == ["第三次投决会"]
    assert panel["overdue_count"] == 2 and panel["overdue_round_count"] == 1


def test_an_ic_member_sees_the_upcoming_meetings_only(world):
    make_deal(world, stage=DealStage.SCREENING)
    meeting(world)
    assert permissions.shows_fund_panel(world.ic_member)
    panel = context(panels.fund_context, world.ic_member)
    assert panel["funds"] == [] and len(panel["meetings"]) == 1


@pytest.mark.parametrize("who", ["role_only", "firm", "outsider", "superuser"])
def test_people_without_a_fund_see_no_fund_panel(world, who):
    assert not permissions.shows_fund_panel(getattr(world, who))


HINT = "deal pipeline, investment committee meetings and reports will appear here."


def test_the_dashboard_shows_the_fund_panel_instead_of_the_roles_hint(client, world):
    make_deal(world, stage=DealStage.SCREENING)
    client.force_login(world.manager)
    page = client.get("/en/workspace/").content.decode()
    assert "My funds" in page and "data-stage-counts" in page
    assert HINT not in page
    client.force_login(world.role_only)
    page = client.get("/en/workspace/").content.decode()
    assert "My funds" not in page
    assert HINT in page


def test_the_company_sees_its_reports_due_and_overdue(client, world):
    deal = invested_deal(world)
    due = KpiReport.objects.create(
        deal=deal,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        due_on=TODAY() - DAY,
        requested_by=world.manager,
    )
    assert permissions.shows_kpi_panel(world.firm)
    assert not permissions.shows_kpi_panel(world.outsider)
    assert not permissions.shows_kpi_panel(world.manager)
    (report,) = context(panels.kpi_context, world.firm)["reports"]
    assert report == due and report.is_overdue
    client.force_login(world.firm)
    page = client.get("/en/workspace/").content.decode()
    assert "KPI reports due" in page and f"/workspace/funds/kpi/{due.pk}/" in page and "overdue since" in page
    client.force_login(world.outsider)
    assert "KPI reports due" not in client.get("/en/workspace/").content.decode()


def test_a_submitted_report_leaves_the_panel(world):
    deal = invested_deal(world)
    KpiReport.objects.create(
        deal=deal,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        due_on=TODAY(),
        requested_by=world.manager,
        state="submitted",
    )
    assert not permissions.shows_kpi_panel(world.firm)


def queries(function, user):
    request = RequestFactory().get("/workspace/")
    request.user = user
    with CaptureQueriesContext(connection) as captured:
        function(request)
    return len(captured)


def test_the_fund_panel_asks_the_same_queries_for_one_fund_or_several_and_many_rows(world):
    make_deal(world, stage=DealStage.DUE_DILIGENCE, days_in_stage=100)
    meeting(world)
    overdue_round(world)
    few = queries(panels.fund_context, world.manager)
    for fund in (world.other_fund,):
        fund.managers.add(world.manager)
    for n in range(12):
        make_deal(world, stage=DealStage.DUE_DILIGENCE, days_in_stage=100 + n, owner=world.manager)
        make_deal(world.other_fund, stage=[*DealStage][n % 9], days_in_stage=100)
        meeting(world, days=n + 1, title=f"会议{n}")
    overdue_round(world, experts=4)
    overdue_round(world, fund=world.other_fund, experts=3)
    assert queries(panels.fund_context, world.manager) == few


def test_the_kpi_panel_asks_the_same_queries_for_one_or_many_reports(world):
    def add(deal, n):
        KpiReport.objects.create(
            deal=deal,
            period_start=datetime.date(2020 + n, 1, 1),
            period_end=datetime.date(2020 + n, 12, 31),
            due_on=TODAY() + n * DAY,
            requested_by=world.manager,
        )

    deal = invested_deal(world)
    add(deal, 0)
    few = queries(panels.kpi_context, world.firm)
    other = invested_deal(world, company=make_company(contact=world.firm))
    for n in range(1, 9):
        add(deal if n % 2 else other, n)
    assert queries(panels.kpi_context, world.firm) == few
    assert len(context(panels.kpi_context, world.firm)["reports"]) == panels.PANEL_LENGTH
