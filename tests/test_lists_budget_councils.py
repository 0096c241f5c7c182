"""A council workspace's lists cost the same number of queries with 10 rows as with 1,000 (issue 14): a folder's
documents and the activity stream, each paged, for a member and for the secretariat (who also reads the lines
about opinions in preparation).

Run with -s to see the counts.
"""

import pytest

from councils import services
from councils.models import ActivityVerb
from councils.views.common import workspace_url
from tests.bulk_lists import many_documents, many_lines
from tests.councils_world import build_world, login
from tests.test_funds_pipeline_budget import count_queries

pytestmark = pytest.mark.django_db

VERBS = (ActivityVerb.UPLOADED_DOCUMENT, ActivityVerb.REPLIED, ActivityVerb.SCHEDULED_MEETING)


@pytest.fixture
def world():
    return build_world()


def _people(world):
    users = world["users"]
    return [users["council_member"], users["chair"], users["secretary"], users["member_b"]]


@pytest.mark.parametrize("who", ["council_member", "secretary"])
def test_a_folder_costs_the_same_with_10_and_1000_documents(client, world, who):
    folder = services.create_folder(actor=world["users"]["secretary"], workspace=world["council"], name="会议材料")
    login(client, world, who)
    urls = [folder.get_absolute_url(), folder.get_absolute_url() + "?page=4"]
    many_documents(folder, _people(world), 10)
    few = [count_queries(client, url)[0] for url in urls]
    many_documents(folder, _people(world), 990)
    lots = []
    for url in urls:
        number, response = count_queries(client, url)
        lots.append(number)
        page = response.context["page_obj"]
        assert page.paginator.count == 1000 and len(page.object_list) == page.paginator.per_page
        assert all(document.version_count == 2 for document in page.object_list)
        assert 'rel="next"' in response.content.decode()
    print(f"folder as {who} (page 1, page 4): {few} queries with 10 documents, {lots} with 1,000")
    assert few == lots


@pytest.mark.parametrize(("who", "place"), [("council_member", "a"), ("secretary", "plenary")])
def test_the_activity_stream_costs_the_same_with_10_and_1000_lines(client, world, who, place):
    workspace = world["workspaces"][place]
    login(client, world, who)
    urls = [workspace_url(workspace, "activity"), workspace_url(workspace, "activity") + "?page=3"]
    lines = {"hidden_every": 4, "hidden_verb": ActivityVerb.DRAFTED_OPINION}
    many_lines(workspace, _people(world), 10, VERBS, **lines)
    few = [count_queries(client, url)[0] for url in urls]
    many_lines(workspace, _people(world), 990, VERBS, **lines)
    lots = []
    for url in urls:
        number, response = count_queries(client, url)
        lots.append(number)
        page = response.context["page_obj"]
        drafted = [line for line in page.object_list if line.verb == ActivityVerb.DRAFTED_OPINION]
        if who == "secretary":
            assert page.paginator.count >= 1000 and drafted
        else:  # a member never reads the lines about an opinion in preparation, on any page
            assert 700 < page.paginator.count < 1000 and not drafted
        assert len(page.object_list) == page.paginator.per_page
    print(f"activity of {place} as {who} (page 1, page 3): {few} queries with 10 lines, {lots} with 1,000")
    assert few == lots
