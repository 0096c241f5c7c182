"""The fund's lists cost the same number of queries with 10 rows as with 1,000 (issue 14): the investment
committee's meetings (the past ones paged) and the financing applications in the managers' applications list. The
pipeline's board and table are pinned by tests/test_funds_pipeline_budget.py.

Run with -s to see the counts.
"""

import pytest
from django.urls import reverse

from funds.financing import FINANCING
from funds.models import MeetingState
from tests.bulk_lists import many_applications, many_meetings
from tests.funds_world import FundWorld
from tests.test_funds_pipeline_budget import count_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["manager", "ic_member"])
def test_the_committee_meetings_cost_the_same_with_10_and_1000_meetings(client, who):
    world = FundWorld.build()
    client.force_login(getattr(world, who))
    base = reverse("funds:committee", kwargs={"fund": world.fund.slug})
    urls = [base, base + "?page=5"]
    many_meetings(world.committee, world.manager, 10)
    few = [count_queries(client, url)[0] for url in urls]
    many_meetings(world.committee, world.manager, 990)
    lots = []
    for url in urls:
        number, response = count_queries(client, url)
        lots.append(number)
        page = response.context["page_obj"]
        assert page.paginator.count == 1000 and len(page.object_list) == page.paginator.per_page
        assert all(meeting.state in (MeetingState.CLOSED, MeetingState.CANCELLED) for meeting in page.object_list)
        assert [meeting.title for meeting in response.context["upcoming"]] == ["即将召开的投资决策委员会会议"] * 2
        assert 'rel="next"' in response.content.decode()
    print(f"IC meetings as {who} (page 1, page 5): {few} queries with 10 past meetings, {lots} with 1,000")
    assert few == lots


def test_the_financing_applications_cost_the_same_with_10_and_1000(client):
    world = FundWorld.build()
    client.force_login(world.manager)
    base = reverse("applications:list")
    urls = [base, base + "?status=under_review", base + "?page=7"]
    statuses = ("submitted", "under_review", "supplement_requested", "approved")

    def applications(count):
        many_applications(
            FINANCING.code,
            world.fund,
            [world.firm],
            count,
            officer=world.manager,
            organizations=[world.company.organization],
            statuses=statuses,
        )

    applications(10)
    few = [count_queries(client, url)[0] for url in urls]
    applications(990)
    lots = []
    for url in urls:
        number, response = count_queries(client, url)
        lots.append(number)
        page = response.context["page_obj"]
        assert page.paginator.count > 200 and len(page.object_list) == page.paginator.per_page
        assert all(application.submitted_at for application in page.object_list)  # never another's draft
    print(
        f"financing applications as the fund's manager (all, status, page 7): {few} queries with 10, {lots} with 1,000"
    )
    assert few == lots
