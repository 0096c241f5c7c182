"""The review material in the engine: managers choose what a round exposes; only accepted, non-recused reviewers
read exactly that, through the engine's URL, audited; everyone else gets 404.

The subject is a stand-in (a Group) whose "app" registers a provider for the length of each test.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.html import format_html
from wagtail.models import ModelLogEntry

from portal.accounts.roles import RoleCode
from portal.notifications.models import Notification
from portal.reviews import material, services
from portal.reviews.material import Item
from portal.reviews.models import MaterialKind, RoundMaterial
from portal.reviews.testing import cleared_assignment, make_expert, make_round, make_subject, open_round, submit
from tests import reviews_fixtures
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

owner = reviews_fixtures.owner
manager = reviews_fixtures.manager

PLAN = "商业计划书（保密）"
MEMO = "内部投资备忘录"
SECRET_BYTES = b"%PDF-1.4 business plan"


@pytest.fixture
def provider():
    """Three candidates: a plan and a memo (files) and a summary (a section); ``gone`` hides one again."""
    state = {"gone": set()}

    def candidates(subject):
        items = [
            Item("section:summary", "项目概要", "Summary", kind=MaterialKind.SECTION, group="项目"),
            Item("file:plan", PLAN, "Business plan", group="申请材料", detail="PDF"),
            Item("file:memo", MEMO, "Internal memo", group="投决"),
        ]
        return [item for item in items if item.key not in state["gone"]]

    def serve(request, subject, item):
        response = HttpResponse(SECRET_BYTES + item.key.encode(), content_type="application/pdf")
        response["Content-Disposition"] = "attachment"
        return response

    def render(request, subject, item):
        return format_html("<p class='summary'>{}</p>", f"概要：{subject.name}")

    material.register(Group, candidates=candidates, serve=serve, render=render)
    yield state
    material.unregister(Group)


@pytest.fixture
def review_round(manager, owner, provider):
    return open_round(manager, owner, subject=make_subject("康源 PD-1 项目"), min_scores=1)


def codes(error) -> set:
    """The codes of a ValidationError's messages (tests read codes, not one language's words)."""
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def evaluator():
    return UserFactory(roles=[RoleCode.EVALUATOR])


def expose(manager, review_round, *keys):
    return services.expose_material(actor=manager, review_round=review_round, keys=keys)


def rows(review_round):
    return {row.key: row for row in RoundMaterial.objects.filter(round=review_round)}


def material_url(row):
    return f"/en/workspace/reviews/material/{row.pk}/"


def read_entries(review_round):
    return ModelLogEntry.objects.filter(action="reviews.read_material", object_id=str(review_round.pk))


# --- choosing ----------------------------------------------------------------------------------------------


def test_a_draft_round_may_change_its_material_freely(manager, owner, provider):
    draft = make_round(manager, owner, subject=make_subject())
    expose(manager, draft, "file:plan", "file:memo")
    expose(manager, draft, "section:summary", "file:plan")
    chosen = rows(draft)
    assert set(chosen) == {"section:summary", "file:plan"}
    assert chosen["file:plan"].label == PLAN and chosen["file:plan"].label_en == "Business plan"
    assert chosen["section:summary"].kind == MaterialKind.SECTION
    assert [row.key for row in draft.material.all()] == ["section:summary", "file:plan"]  # the provider's order
    entry = (
        ModelLogEntry.objects.filter(action="reviews.expose_material", object_id=str(draft.pk)).order_by("pk").last()
    )
    assert entry.data == {"added": ["section:summary"], "removed": ["file:memo"]}


def test_an_open_round_adds_material_but_never_withdraws_it(manager, review_round):
    expose(manager, review_round, "file:plan")
    with pytest.raises(ValidationError) as refused:
        expose(manager, review_round, "file:memo")
    assert codes(refused.value) == {"withdrawn"}
    assert set(rows(review_round)) == {"file:plan"}
    expose(manager, review_round, "file:plan", "file:memo")
    assert set(rows(review_round)) == {"file:plan", "file:memo"}


def test_cleared_reviewers_are_told_when_material_is_added(manager, review_round):
    reader = cleared_assignment(manager, review_round, make_expert(user=evaluator()))
    invited = services.assign_expert(actor=manager, review_round=review_round, expert=make_expert(user=evaluator()))
    expose(manager, review_round, "file:plan")
    assert Notification.objects.filter(recipient=reader.expert.user, url__endswith=f"/{reader.pk}/").exists()
    assert not Notification.objects.filter(recipient=invited.expert.user, title__icontains="material").exists()


@pytest.mark.parametrize("keys, code", [(("file:plan", "file:guessed"), "unknown"), ((), "unchanged")])
def test_unknown_or_unchanged_choices_are_refused(manager, review_round, keys, code):
    with pytest.raises(ValidationError) as refused:
        expose(manager, review_round, *keys)
    assert codes(refused.value) == {code}
    assert not rows(review_round)


def test_a_closed_rounds_material_is_fixed(manager, review_round):
    services.close_round(actor=manager, review_round=review_round, reason="测试")
    with pytest.raises(ValidationError):
        expose(manager, review_round, "file:plan")
    assert not rows(review_round)


def test_only_the_owners_managers_choose(review_round):
    for user in (evaluator(), UserFactory(roles=[RoleCode.SECRETARIAT], is_staff=True)):
        with pytest.raises(PermissionDenied):
            expose(user, review_round, "file:plan")
    assert not rows(review_round)


def test_the_choice_page_for_managers_only(client, manager, review_round):
    address = f"/en/workspace/reviews/rounds/{review_round.pk}/material/"
    for user in (evaluator(), UserFactory(roles=[RoleCode.SECRETARIAT], is_staff=True)):
        client.force_login(user)
        assert client.get(address).status_code == 404
        assert client.post(address, {"keys": ["file:plan"]}).status_code == 404
    assert not rows(review_round)
    client.logout()
    assert client.get(address)["Location"].startswith(("/accounts/login/", "/en/accounts/login/"))
    client.force_login(manager)
    html = client.get(address).content.decode()
    assert "Business plan" in html and "Internal memo" in html and "Summary" in html  # English labels on /en/
    response = client.post(address, {"keys": ["file:plan", "section:summary"]})
    assert response.status_code == 302 and response["Location"] == review_round.get_absolute_url()
    assert set(rows(review_round)) == {"file:plan", "section:summary"}
    # Open round: what is exposed is listed as kept, and posting less still keeps it.
    html = client.get(address).content.decode()
    assert "Already exposed" in html and 'value="file:plan"' not in html
    client.post(address, {"keys": ["file:memo"]})
    assert set(rows(review_round)) == {"file:plan", "section:summary", "file:memo"}
    response = client.post(address, {"keys": ["file:guessed"]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


# --- reading -----------------------------------------------------------------------------------------------


def test_a_cleared_reviewer_sees_exactly_the_exposed_items_and_opens_them(client, manager, review_round):
    expose(manager, review_round, "file:plan", "section:summary")
    assignment = cleared_assignment(manager, review_round, make_expert(user=evaluator()))
    client.force_login(assignment.expert.user)
    html = client.get(f"/workspace/reviews/assignments/{assignment.pk}/").content.decode()
    chosen = rows(review_round)
    assert PLAN in html and "项目概要" in html and MEMO not in html
    assert html.count('class="exposed-item"') == 2
    for row in chosen.values():
        assert row.get_absolute_url() in html

    download = client.get(material_url(chosen["file:plan"]))
    assert download.status_code == 200
    assert b"".join(download) == SECRET_BYTES + b"file:plan"
    section = client.get(material_url(chosen["section:summary"]))
    assert section.status_code == 200 and "概要：康源 PD-1 项目" in section.content.decode()
    entries = list(read_entries(review_round).order_by("pk"))
    assert [entry.data["key"] for entry in entries] == ["file:plan", "section:summary"]
    assert all(entry.user_id == assignment.expert.user.pk for entry in entries)
    assert entries[0].data["assignment"] == assignment.pk


def test_a_submitted_reviewer_may_still_read(client, manager, review_round):
    expose(manager, review_round, "file:plan")
    assignment = cleared_assignment(manager, review_round, make_expert(user=evaluator()))
    submit(assignment, 7, 7, 7)
    client.force_login(assignment.expert.user)
    assert client.get(material_url(rows(review_round)["file:plan"])).status_code == 200


def _in_state(manager, review_round, state):
    user = evaluator()
    if state == "unassigned":
        return user
    assignment = services.assign_expert(actor=manager, review_round=review_round, expert=make_expert(user=user))
    if state == "declined":
        services.decline_assignment(actor=user, assignment=assignment)
    if state in ("accepted", "recused", "recused_by_manager"):
        services.accept_assignment(actor=user, assignment=assignment)
    if state == "recused":
        services.declare_conflict(actor=user, assignment=assignment, has_conflict=True, kind="equity")
    if state == "recused_by_manager":
        services.declare_conflict(actor=user, assignment=assignment, has_conflict=False)
        services.recuse_assignment(actor=manager, assignment=assignment, reason="后来发现持股")
    return user


@pytest.mark.parametrize("state", ["unassigned", "invited", "declined", "accepted", "recused", "recused_by_manager"])
def test_everyone_else_gets_404_on_every_material_url(client, manager, review_round, state):
    expose(manager, review_round, "file:plan", "section:summary")
    user = _in_state(manager, review_round, state)
    client.force_login(user)
    for row in rows(review_round).values():
        assert client.get(material_url(row)).status_code == 404
    assert not read_entries(review_round).exists()


def test_staff_and_role_holders_get_404(client, manager, review_round):
    expose(manager, review_round, "file:plan")
    row = rows(review_round)["file:plan"]
    for user in (UserFactory(roles=[RoleCode.SECRETARIAT], is_staff=True), evaluator()):
        client.force_login(user)
        assert client.get(material_url(row)).status_code == 404
    client.force_login(manager)
    assert client.post(material_url(row)).status_code == 405  # a read only
    client.logout()
    assert client.get(material_url(row))["Location"].startswith(("/accounts/login/", "/en/accounts/login/"))


def test_material_of_another_round_is_not_readable_with_a_guessed_url(client, manager, owner, review_round):
    other = open_round(manager, owner, subject=make_subject("另一个项目"))
    expose(manager, other, "file:memo")
    expose(manager, review_round, "file:plan")
    assignment = cleared_assignment(manager, review_round, make_expert(user=evaluator()))
    client.force_login(assignment.expert.user)
    assert client.get(material_url(rows(other)["file:memo"])).status_code == 404
    assert client.get(material_url(rows(review_round)["file:plan"])).status_code == 200


def test_nothing_is_read_while_the_round_is_prepared(client, manager, owner, provider):
    draft = make_round(manager, owner, subject=make_subject())
    expose(manager, draft, "file:plan")
    assignment = cleared_assignment(manager, draft, make_expert(user=evaluator()))
    client.force_login(assignment.expert.user)
    assert client.get(material_url(rows(draft)["file:plan"])).status_code == 404
    client.force_login(manager)  # the managers may look at what they chose
    assert client.get(material_url(rows(draft)["file:plan"])).status_code == 200


def test_an_item_that_left_the_subject_is_no_longer_served(client, manager, review_round, provider):
    expose(manager, review_round, "file:plan")
    assignment = cleared_assignment(manager, review_round, make_expert(user=evaluator()))
    provider["gone"].add("file:plan")
    client.force_login(assignment.expert.user)
    assert client.get(material_url(rows(review_round)["file:plan"])).status_code == 404


def test_a_subject_nobody_registered_exposes_nothing(client, manager, owner):
    review_round = open_round(manager, owner, subject=make_subject())
    assert material.candidates(review_round.subject) == []
    with pytest.raises(ValidationError):
        expose(manager, review_round, "file:plan")


def test_the_round_page_lists_the_material_and_links_the_choice(client, manager, review_round):
    expose(manager, review_round, "file:plan")
    client.force_login(manager)
    html = client.get(f"/en/workspace/reviews/rounds/{review_round.pk}/").content.decode()
    assert 'id="exposed-material"' in html and "Business plan" in html  # the English label on /en/
    assert f"/en/workspace/reviews/rounds/{review_round.pk}/material/" in html
