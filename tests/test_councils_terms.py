"""Workspace access follows the calendar (issue 8, finding 3): a membership that ended yesterday, one that starts
tomorrow and a committee seat taken tomorrow open nothing today, with no command run; on the right day they do.
The clock is moved by freezing the councils' notion of today (``councils.permissions.today``)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from councils import panels, permissions, services
from councils.jobs import terms_ended
from councils.models import Committee, Council, MembershipRole
from councils.services import discussions, feedback, membership
from portal.notifications.models import Notification
from tests.councils_world import build_world
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "第一次全体会议议程。\n".encode()


@pytest.fixture
def dated():
    world = build_world()
    council, committee = world["council"], world["committees"]["a"]
    secretary = world["users"]["secretary"]
    today = permissions.today()
    yesterday, tomorrow = today - datetime.timedelta(days=1), today + datetime.timedelta(days=1)
    people = {name: UserFactory(username=f"term_{name}") for name in ("ended", "starting", "last_day", "seat_later")}
    ended = services.add_membership(
        actor=secretary,
        council=council,
        organization=OrganizationFactory(),
        representative=people["ended"],
        term_start=datetime.date(2025, 1, 1),
    )
    services.end_membership(actor=secretary, membership=ended, on=yesterday, reason="任期届满")
    services.add_membership(
        actor=secretary,
        council=council,
        organization=OrganizationFactory(),
        representative=people["starting"],
        term_start=tomorrow,
    )
    services.add_membership(
        actor=secretary,
        council=council,
        organization=OrganizationFactory(),
        representative=people["last_day"],
        role=MembershipRole.MEMBER,
        term_start=datetime.date(2025, 1, 1),
        term_end=tomorrow,
    )
    services.add_committee_member(
        actor=secretary,
        committee=committee,
        user=people["seat_later"],
        organization=OrganizationFactory(),
        joined_on=tomorrow,
    )
    urls = {}
    for key, workspace in (("plenary", council), ("a", committee)):
        folder = services.create_folder(actor=secretary, workspace=workspace, name="会议材料")
        document = services.upload_document(
            actor=secretary, folder=folder, title=f"议程{key}", upload=SimpleUploadedFile("议程.txt", TEXT)
        )
        thread = discussions.start_thread(actor=secretary, workspace=workspace, title=f"议题{key}", body="请发表意见。")
        campaign = feedback.create_campaign(
            actor=secretary,
            workspace=workspace,
            title=f"评议{key}",
            policy_name="坪山区生物医药产业扶持办法",
            issuing_department="坪山区科技创新局",
        )
        feedback.open_campaign(actor=secretary, campaign=campaign)
        slug = council.slug
        home = (
            reverse("councils:council", args=[slug])
            if key == "plenary"
            else reverse("councils:committee", args=[slug, committee.pk])
        )
        urls[key] = {
            "workspace": home,
            "download": reverse("councils:download", args=[slug, document.current_version.pk]),
            "thread": reverse("councils:thread", args=[slug, thread.pk]),
            "campaign": reverse("councils:campaign", args=[slug, campaign.pk]),
        }
    return {**world, "people": people, "urls": urls, "today": today, "yesterday": yesterday, "tomorrow": tomorrow}


def freeze_today(monkeypatch, day):
    monkeypatch.setattr(permissions, "today", lambda: day)


def statuses(client, user, urls):
    client.force_login(user)
    return {name: client.get(url).status_code for name, url in urls.items()}


ALL_404 = {"workspace": 404, "download": 404, "thread": 404, "campaign": 404}
ALL_200 = {"workspace": 200, "download": 200, "thread": 200, "campaign": 200}


def test_membership_that_ended_yesterday_opens_nothing_today(client, dated):
    assert statuses(client, dated["people"]["ended"], dated["urls"]["plenary"]) == ALL_404


def test_membership_ending_tomorrow_still_opens_today_and_not_tomorrow(client, dated, monkeypatch):
    user = dated["people"]["last_day"]
    assert statuses(client, user, dated["urls"]["plenary"]) == ALL_200
    freeze_today(monkeypatch, dated["tomorrow"])
    assert statuses(client, user, dated["urls"]["plenary"]) == ALL_404


def test_the_day_before_its_end_the_ended_membership_still_opened(client, dated, monkeypatch):
    freeze_today(monkeypatch, dated["yesterday"] - datetime.timedelta(days=1))
    assert statuses(client, dated["people"]["ended"], dated["urls"]["plenary"]) == ALL_200


def test_membership_starting_tomorrow_opens_on_that_day(client, dated, monkeypatch):
    user = dated["people"]["starting"]
    assert statuses(client, user, dated["urls"]["plenary"]) == ALL_404
    freeze_today(monkeypatch, dated["tomorrow"])
    assert statuses(client, user, dated["urls"]["plenary"]) == ALL_200


def test_committee_seat_taken_tomorrow_opens_on_that_day(client, dated, monkeypatch):
    user = dated["people"]["seat_later"]
    assert statuses(client, user, dated["urls"]["a"]) == ALL_404
    freeze_today(monkeypatch, dated["tomorrow"])
    assert statuses(client, user, dated["urls"]["a"]) == ALL_200
    # The seat is on committee A only; the plenary stays closed.
    assert statuses(client, user, dated["urls"]["plenary"]) == ALL_404


def test_secretariat_and_superusers_open_whatever_the_day(client, dated, monkeypatch):
    freeze_today(monkeypatch, datetime.date(2000, 1, 1))
    for who in ("secretary", "superuser"):
        for key in ("plenary", "a"):
            assert statuses(client, dated["users"][who], dated["urls"][key]) == ALL_200


def _fresh(workspace):
    return type(workspace).objects.get(pk=workspace.pk)


def test_permission_functions_and_member_roles_follow_the_dates(dated, monkeypatch):
    council, committee = dated["council"], dated["committees"]["a"]
    people = dated["people"]
    assert permissions.is_workspace_member(people["ended"], _fresh(council)) is False
    assert permissions.is_workspace_member(people["starting"], _fresh(council)) is False
    assert permissions.is_workspace_member(people["seat_later"], _fresh(committee)) is False
    recipients = set(services.workspace_recipients(council).values_list("pk", flat=True))
    assert not {people["ended"].pk, people["starting"].pk} & recipients
    assert people["last_day"].pk in recipients
    seats = {user.pk for user, _org, _vote in services.workspace_seats(committee)}
    assert people["seat_later"].pk not in seats
    freeze_today(monkeypatch, dated["tomorrow"])
    assert permissions.is_workspace_member(people["starting"], _fresh(council)) is True
    assert permissions.is_workspace_member(people["seat_later"], _fresh(committee)) is True
    assert permissions.is_workspace_member(people["last_day"], _fresh(council)) is False


def test_openable_workspaces_follow_the_dates(dated, monkeypatch):
    people, council, committee = dated["people"], dated["council"], dated["committees"]["a"]

    def openable(user):
        councils, committees = permissions.openable_workspaces(user)
        return set(councils), set(committees)

    assert openable(people["ended"]) == (set(), set())
    assert openable(people["starting"]) == (set(), set())
    assert openable(people["seat_later"]) == (set(), set())
    assert openable(people["last_day"]) == ({council}, set())
    assert permissions.shows_workspaces_panel(people["ended"]) is False
    freeze_today(monkeypatch, dated["tomorrow"])
    assert openable(people["starting"]) == ({council}, set())
    assert openable(people["seat_later"]) == (set(), {committee})
    assert openable(people["last_day"]) == (set(), set())
    assert permissions.shows_workspaces_panel(people["starting"]) is True
    # The secretariat opens every workspace of its council and no other council's.
    other = build_world(slug="nev", theme_code="nev")
    councils, committees = permissions.openable_workspaces(dated["users"]["secretary"])
    assert set(councils) == {council}
    assert set(committees) == set(Committee.objects.filter(council=council))
    assert other["council"] not in set(Council.objects.filter(pk__in=councils))


def test_dashboard_panel_follows_the_dates(rf, dated, monkeypatch):
    campaign_title = "评议plenary"

    def panel(user):
        request = rf.get("/")
        request.user = user
        return panels.workspaces_context(request)

    for who in ("ended", "starting"):
        context = panel(dated["people"][who])
        assert context["councils"] == [] and context["campaigns"] == []
    context = panel(dated["people"]["last_day"])
    assert context["councils"] == [dated["council"]]
    assert [campaign.title for campaign in context["campaigns"]] == [campaign_title]
    freeze_today(monkeypatch, dated["tomorrow"])
    context = panel(dated["people"]["starting"])
    assert context["councils"] == [dated["council"]]
    assert [campaign.title for campaign in context["campaigns"]] == [campaign_title]
    assert panel(dated["people"]["last_day"])["councils"] == []


def test_dashboard_page_shows_the_workspace_only_in_term(client, dated):
    plenary = reverse("councils:council", args=[dated["council"].slug])
    client.force_login(dated["people"]["last_day"])
    assert f'href="{plenary}"' in client.get(reverse("workspace:dashboard")).content.decode()
    client.force_login(dated["people"]["ended"])
    assert f'href="{plenary}"' not in client.get(reverse("workspace:dashboard")).content.decode()


def test_the_day_a_term_ends_the_worker_tells_its_representative_and_the_secretariat(dated):
    assert membership.announce_ended_terms(dated["today"]) == []  # that term ended yesterday
    slot = timezone.make_aware(datetime.datetime.combine(dated["yesterday"], datetime.time(0, 15)))
    assert terms_ended(slot) == "1 ended term(s) announced"
    told = Notification.objects.filter(title__contains="任期已结束").values_list("recipient__username", flat=True)
    assert sorted(told) == sorted([dated["people"]["ended"].username, dated["users"]["secretary"].username])
