"""Issue 9, rough edges a council member and the secretariat meet: the invitee table follows an answer given
over htmx; the dashboard groups workspaces by council, lists each motion once, shows one date format and
tells a superuser what the account is for; workspace member lists are ordered by role like the public page."""

import datetime
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from councils import services
from councils.models import ROLE_ORDER, RSVP, CommitteeKind, CommitteeRole, Council, Invitation, MembershipRole
from councils.public import council_section
from councils.services import meetings, motions
from portal.accounts.roles import RoleCode
from portal.notifications.models import Notification
from portal.workspace import registry
from tests.councils_world import build_world, login
from tests.factories import OrganizationFactory, UserFactory
from themes.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _row(html, invitation):
    """The invitee table's row of one invitation, as HTML."""
    match = re.search(rf'<tr id="invitee-{invitation.pk}">(.*?)</tr>', html, re.S)
    assert match, f"no row for invitation {invitation.pk}"
    return match.group(1)


# The invitee table follows an answer given over htmx ----------------------------------------------------------


def test_answering_over_htmx_swaps_in_the_updated_invitee_row(client, world):
    meeting = meetings.schedule_meeting(
        actor=world["users"]["secretary"],
        workspace=world["council"],
        title="第一次全体会议",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        location="会议室",
    )
    invitation = Invitation.objects.get(meeting=meeting, user=world["users"]["plenary_only"])
    login(client, world, "plenary_only")
    with translation.override("en"):
        page_url = reverse("councils:meeting", kwargs={"slug": "biomed", "pk": meeting.pk})
        url = reverse("councils:meeting_rsvp", kwargs={"slug": "biomed", "pk": meeting.pk})
    assert page_url.startswith("/en/")
    page = client.get(page_url)
    assert str(RSVP.PENDING.label) in _row(page.content.decode(), invitation)

    response = client.post(url, {"answer": RSVP.ATTENDING, "note": "准时到"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="rsvp"' in html  # the answer box, swapped in place
    assert re.search(r'<div id="invitees" hx-swap-oob="true">', html)  # and the table, out of band
    row = _row(html, invitation)
    assert str(RSVP.ATTENDING.label) in row and "准时到" in row and str(RSVP.PENDING.label) not in row
    # the other invitees are still listed, unchanged
    other = Invitation.objects.get(meeting=meeting, user=world["users"]["chair"])
    assert str(RSVP.PENDING.label) in _row(html, other)

    # A refused answer changes nothing and the table swapped in says so.
    response = client.post(url, {"answer": "maybe"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "form-errors" in html
    assert str(RSVP.ATTENDING.label) in _row(html, invitation)
    invitation.refresh_from_db()
    assert invitation.rsvp == RSVP.ATTENDING

    # Without htmx the page is reached by a redirect, without any out-of-band fragment.
    response = client.post(url, {"answer": RSVP.DECLINED})
    assert response.status_code == 302
    assert str(RSVP.DECLINED.label) in _row(client.get(response["Location"]).content.decode(), invitation)


# Member lists ordered by role ------------------------------------------------------------------------------


def _seat(world, role, name):
    representative = UserFactory()
    services.add_membership(
        actor=world["users"]["secretary"],
        council=world["council"],
        organization=OrganizationFactory(name=name),
        representative=representative,
        role=role,
        has_vote=True,
        term_start=datetime.date(2025, 1, 1),
    )


def test_workspace_member_list_orders_by_role_then_name_like_the_public_page(client, world, rf):
    # Names chosen so that ordering by organization, or by the role's code, would put them otherwise.
    _seat(world, MembershipRole.VICE_CHAIR, "甲副理事长单位")
    _seat(world, MembershipRole.SECRETARY_GENERAL, "乙秘书长单位")
    _seat(world, MembershipRole.MEMBER, "丁理事单位")
    _seat(world, MembershipRole.MEMBER, "丙理事单位")
    login(client, world, "secretary")
    response = client.get(reverse("councils:council", kwargs={"slug": "biomed"}))
    members = list(response.context["members"])
    roles = [member.role for member in members]
    assert roles == sorted(roles, key=ROLE_ORDER.index)
    assert roles[:3] == [MembershipRole.CHAIR, MembershipRole.VICE_CHAIR, MembershipRole.SECRETARY_GENERAL]
    assert roles[-1] == MembershipRole.OBSERVER
    names = [member.organization.name for member in members if member.role == MembershipRole.MEMBER]
    assert names == sorted(names) and "丙理事单位" in names and "丁理事单位" in names

    # The public council page shows the roles in the same order.
    world["council"].refresh_from_db()
    section = council_section(world["council"].theme, None, rf.get("/"))
    public_roles = [group["label"] for group in section["roles"]]
    workspace_roles = list(dict.fromkeys(member.get_role_display() for member in members))
    assert public_roles == workspace_roles


def test_committee_member_list_orders_by_role(client, world):
    committee = world["committees"]["a"]
    secretary = world["users"]["secretary"]
    for role, name in ((CommitteeRole.VICE_CHAIR, "Aaron"), (CommitteeRole.CHAIR, "Zed")):
        services.add_committee_member(
            actor=secretary,
            committee=committee,
            user=UserFactory(real_name=name),
            organization=OrganizationFactory(),
            role=role,
        )
    login(client, world, "secretary")
    response = client.get(reverse("councils:committee", kwargs={"slug": "biomed", "pk": committee.pk}))
    roles = [member.role for member, _external in response.context["members"]]
    assert roles == [CommitteeRole.CHAIR, CommitteeRole.VICE_CHAIR, CommitteeRole.MEMBER, CommitteeRole.MEMBER]


# The dashboard ---------------------------------------------------------------------------------------------


def _open_motion(world, title="关于跨境研发物品通关便利的议案"):
    users = world["users"]
    motion = motions.draft_motion(actor=users["chair"], workspace=world["council"], title=title, text="同意。")
    motions.submit_motion(actor=users["chair"], motion=motion)
    closes_at = (timezone.now() + datetime.timedelta(days=5)).replace(hour=15, minute=30, second=0, microsecond=0)
    motions.open_written_vote(actor=users["secretary"], motion=motion, closes_at=closes_at)
    motion.refresh_from_db()
    return motion


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_motion_to_vote_on_is_listed_once_with_the_portal_date_format(client, world, prefix):
    motion = _open_motion(world)
    member = world["users"]["council_member"]
    Notification.objects.filter(recipient=member).update(read_at=timezone.now())  # the feed of events aside
    login(client, world, "council_member")
    response = client.get(f"{prefix}/workspace/")
    html = response.content.decode()
    assert html.count(motion.title) == 1
    panels = {panel.key: context for panel, context in response.context["panels"]}
    assert [poll.pk for poll in panels["voting.open_votes"]["polls"]] == [motion.poll.pk]
    assert "motions" not in panels["councils.workspaces"]
    deadline = timezone.localtime(motion.poll.closes_at).strftime("%Y-%m-%d %H:%M")
    assert deadline in html
    assert "p.m." not in html and "a.m." not in html
    # dates on the dashboard all read YYYY-MM-DD
    for shown in re.findall(r"<time datetime=\"[^\"]+\">([^<]*)</time>", html):
        assert re.search(r"\d{4}-\d{2}-\d{2}", shown), shown


STANDARD_KINDS = [kind for kind in CommitteeKind.values if kind != CommitteeKind.CUSTOM]


def _council_with_committees(secretary, index, kinds):
    council = Council.objects.create(
        theme=Theme.objects.first(),
        name_zh=f"测试理事会{index}",
        slug=f"test-{index}",
        leading_bureau=OrganizationFactory(),
    )
    council.secretariat_users.add(secretary)
    for kind in kinds:
        services.add_committee(actor=secretary, council=council, kind=kind)
    return council


def test_workspaces_panel_groups_by_council_in_a_constant_number_of_queries(rf):
    panel = next(panel for panel in registry._panels.values() if panel.key == "councils.workspaces")
    secretary = UserFactory(roles=[RoleCode.SECRETARIAT])
    first = _council_with_committees(secretary, 1, STANDARD_KINDS[:2])
    request = rf.get("/workspace/")
    request.user = secretary

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert panel.is_visible(secretary) is True
            context = panel.get_context(request)
            html = render_to_string(panel.template, {"panel": context}, request=request)
        return len(queries), context, html

    few, context, _html = measure()
    assert [len(group["committees"]) for group in context["workspace_groups"]] == [2]
    # Three councils of six workspaces each: eighteen, as in the demo.
    for kind in STANDARD_KINDS[2:]:
        services.add_committee(actor=secretary, council=first, kind=kind)
    for index in (2, 3):
        _council_with_committees(secretary, index, STANDARD_KINDS)
    many, context, html = measure()
    assert few == many, (few, many)
    groups = context["workspace_groups"]
    assert [group["council"].name_zh for group in groups] == ["测试理事会1", "测试理事会2", "测试理事会3"]
    assert all(group["plenary"] and len(group["committees"]) == 5 for group in groups)
    assert html.count('class="workspace-group"') == 3
    assert len(re.findall(r'class="chip[ "]', html)) == 18


def test_a_committee_only_member_sees_the_council_as_a_heading_without_a_plenary_link(client, world):
    login(client, world, "external")
    html = client.get("/en/workspace/").content.decode()
    assert world["council"].name in html
    assert reverse("councils:committee", kwargs={"slug": "biomed", "pk": world["committees"]["a"].pk}) in html
    assert f'href="{reverse("councils:council", kwargs={"slug": "biomed"})}"' not in html


def test_superuser_is_told_what_the_account_is_for_not_to_ask_for_a_role(client, world):
    login(client, world, "superuser")
    html = client.get("/en/workspace/").content.decode()
    assert "Portal administrator" in html
    assert "You administer the portal: you need no role." in html
    assert "You never sign an opinion" in html
    assert 'href="/admin/"' in html
    assert "Your account has no role yet" not in html and "No role has been given to you yet." not in html
    # A user with no role at all still hears whom to ask.
    client.force_login(UserFactory())
    html = client.get("/en/workspace/").content.decode()
    assert "Your account has no role yet" in html and "You administer the portal" not in html
