"""The shared engines' lists cost the same number of queries with 10 rows as with 1,000 (issue 14): the applications
list (an officer's and an applicant's, filtered by status or not) and an expert's review assignments. Each is paged.

Run with -s to see the counts.
"""

import pytest
from django.urls import reverse

from portal.reviews.testing import make_rubric, make_subject
from tests.applications_kind import build_grant_world
from tests.bulk_lists import many_applications, many_assignments, many_experts, many_rounds
from tests.factories import UserFactory
from tests.test_funds_pipeline_budget import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(owner_grants):
    from portal.applications import kinds

    world = build_grant_world(owner_grants)
    yield world
    kinds.unregister(world.kind.code)


def _applications(world, count):
    many_applications(
        world.kind.code,
        world.owner,
        [world.applicant_a, world.applicant_b],
        count,
        officer=world.officer,
        organizations=[world.firm_a, world.firm_b],
        statuses=("submitted", "under_review", "supplement_requested"),
    )


@pytest.mark.parametrize("who", ["officer", "applicant_a"])
def test_the_applications_list_costs_the_same_with_10_and_1000_rows(client, grant, who):
    client.force_login(getattr(grant, who))
    urls = [reverse("applications:list") + query for query in ("", "?status=under_review", "?page=3")]
    _applications(grant, 10)
    few = [count_queries(client, url)[0] for url in urls]
    _applications(grant, 990)
    lots = []
    for url in urls:
        number, response = count_queries(client, url)
        lots.append(number)
        page = response.context["page_obj"]
        assert page.paginator.count > 100 and len(page.object_list) == page.paginator.per_page
        body = response.content.decode()
        assert 'rel="next"' in body
        if "status" in url:
            assert "?status=under_review&amp;page=2" in body  # the filter stays in the page links
            assert {row.status for row in page.object_list} == {"under_review"}
    print(f"applications list as {who} (all, status, page 3): {few} queries with 10, {lots} with 1,000")
    assert few == lots


def test_the_review_assignments_list_costs_the_same_with_10_and_1000_rows(client, owner_grants):
    owner = make_subject("评审主办单位")
    user = UserFactory(username="bulk-expert")
    colleagues = UserFactory.create_batch(3)
    experts = many_experts([user, *colleagues])
    rubric, subject = make_rubric(), make_subject()
    client.force_login(user)
    url = reverse("reviews:list")
    many_assignments(many_rounds(owner, subject, rubric, 10), experts)
    few, response = count_queries(client, url)
    assert len(response.context["assignments"]) == 10
    many_assignments(many_rounds(owner, subject, rubric, 990), experts)
    lots, response = count_queries(client, url)
    page = response.context["page_obj"]
    assert page.paginator.count == 1000 and len(page.object_list) == page.paginator.per_page
    assert all(assignment.expert.user_id == user.pk for assignment in page.object_list)  # only one's own
    second, response = count_queries(client, url + "?page=2")
    assert response.context["page_obj"].number == 2
    print(f"review assignments: {few} queries with 10, {lots} with 1,000 ({second} on page 2)")
    assert few == lots == second
