"""Meetings of a workspace: scheduling and invitations, agenda, RSVP; the permission matrix of every URL of the
section and the query budgets of its pages. Attendance and the quorum are in test_councils_meetings_attendance,
minutes and action items in test_councils_meetings_minutes."""

# ruff: noqa: F811 (the shared fixtures are imported by name and requested as arguments)

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from councils.models import (
    RSVP,
    ActionItem,
    ActionItemStatus,
    ActivityVerb,
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
    MeetingState,
    Minutes,
    MinutesState,
    Motion,
    MotionState,
)
from councils.services import meetings
from portal.history.models import Event
from portal.i18n import url_in_language
from portal.notifications.models import Notification
from tests.councils_meetings_world import (  # noqa: F401
    ACTION_OWNER,
    CONVENERS,
    INVITED,
    MINUTES_EDITORS,
    VOTING,
    _english,
    attend,
    held_meeting_with_minutes,
    invitation_of,
    invitation_rows,
    later,
    open_with,
    schedule,
    snapshot,
    world,
)
from tests.councils_world import CAN_OPEN, USERS, login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# Scheduling and invitations ---------------------------------------------------------------------------------


def test_scheduling_invites_every_seat_with_its_vote_and_tells_them(world):
    Notification.objects.all().delete()
    meeting = schedule(world, online_link="https://meeting.example.cn/123")
    rows = {inv.user.username.removeprefix("ws_"): inv for inv in meeting.invitations.select_related("user")}
    assert set(rows) == INVITED["plenary"]  # not the secretariat
    assert {name for name, inv in rows.items() if inv.has_vote} == VOTING["plenary"]
    assert rows["council_member"].organization == world["organizations"]["council_member"]
    assert all(inv.rsvp == RSVP.PENDING and inv.attendance == Attendance.UNRECORDED for inv in rows.values())
    notified = Notification.objects.filter(url=url_in_language(meeting.get_absolute_url(), "zh-hans"))
    assert {n.recipient.username.removeprefix("ws_") for n in notified} == INVITED["plenary"]
    assert "第一次全体会议" in notified[0].title and "市政府三楼会议室" in notified[0].body
    assert "https://meeting.example.cn/123" in notified[0].body
    assert Event.objects.filter(verb=ActivityVerb.SCHEDULED_MEETING, summary="第一次全体会议").count() == 1
    entry = ModelLogEntry.objects.get(action="councils.schedule_meeting")
    assert entry.user == world["users"]["secretary"] and entry.data["title"] == "第一次全体会议"


def test_committee_meeting_invites_its_members_all_voting(world):
    meeting = schedule(world, "a")
    assert meeting.committee == world["committees"]["a"] and meeting.council == world["council"]
    rows = meeting.invitations.select_related("user")
    assert {inv.user.username.removeprefix("ws_") for inv in rows} == INVITED["a"]
    assert all(inv.has_vote for inv in rows)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"starts_at": timezone.now() - datetime.timedelta(hours=1)}, "starts_at"),
        ({"ends_at": "start"}, "ends_at"),
        ({"ends_at": "before"}, "ends_at"),
        ({"location": "", "online_link": ""}, "location"),
        ({"online_link": "javascript:alert(1)"}, "online_link"),
    ],
)
def test_refused_schedules_change_nothing(world, fields, field):
    starts = later(3)
    if fields.get("ends_at") == "start":
        fields = {"starts_at": starts, "ends_at": starts}
    elif fields.get("ends_at") == "before":
        fields = {"starts_at": starts, "ends_at": starts - datetime.timedelta(minutes=30)}
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        schedule(world, **fields)
    assert field in error.value.error_dict
    assert snapshot() == before


@pytest.mark.parametrize(("who", "key"), [("council_member", "plenary"), ("observer", "plenary"), ("chair", "a")])
def test_only_conveners_schedule(world, who, key):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        schedule(world, key, who=who)
    assert snapshot() == before


def test_the_chair_convenes_the_plenary(world):
    meeting = schedule(world, who="chair")
    assert meeting.created_by == world["users"]["chair"]
    assert Notification.objects.filter(recipient=world["users"]["chair"], url=meeting.get_absolute_url()).count() == 0


def test_update_tells_invitees_only_when_time_or_place_changes(world):
    meeting = schedule(world)
    secretary = world["users"]["secretary"]
    count = Notification.objects.count()
    fields = {"starts_at": meeting.starts_at, "location": meeting.location}
    meetings.update_meeting(actor=secretary, meeting=meeting, title="第一次全体会议（更正）", **fields)
    assert Notification.objects.count() == count
    meetings.update_meeting(
        actor=secretary, meeting=meeting, title="第一次全体会议", starts_at=later(8), location="二楼"
    )
    assert Notification.objects.count() == count + 4
    meeting.refresh_from_db()
    assert meeting.location == "二楼"
    with pytest.raises(ValidationError):
        meetings.update_meeting(actor=secretary, meeting=meeting, title="", starts_at=later(8), location="二楼")
    with pytest.raises(PermissionDenied):
        meetings.update_meeting(actor=world["users"]["council_member"], meeting=meeting, title="x", starts_at=later(8))
    meetings.open_meeting(actor=secretary, meeting=meeting)
    before = snapshot()
    with pytest.raises(ValidationError):
        meetings.update_meeting(
            actor=secretary, meeting=meeting, title="迟到的修改", starts_at=later(9), location="二楼"
        )
    assert snapshot() == before


# Agenda -----------------------------------------------------------------------------------------------------


def titles(meeting):
    return list(meeting.agenda.order_by("position").values_list("position", "title"))


def test_agenda_items_append_move_and_remove(world):
    meeting, secretary = schedule(world), world["users"]["secretary"]
    one, two, three = (
        meetings.add_agenda_item(actor=secretary, meeting=meeting, title=title) for title in ("甲", "乙", "丙")
    )
    assert titles(meeting) == [(1, "甲"), (2, "乙"), (3, "丙")]
    meetings.move_agenda_item(actor=secretary, item=three, up=True)
    assert titles(meeting) == [(1, "甲"), (2, "丙"), (3, "乙")]
    meetings.move_agenda_item(actor=secretary, item=one, up=False)
    assert titles(meeting) == [(1, "丙"), (2, "甲"), (3, "乙")]
    with pytest.raises(ValidationError):
        meetings.move_agenda_item(actor=secretary, item=three, up=True)  # already first
    meetings.remove_agenda_item(actor=secretary, item=one)
    assert titles(meeting) == [(1, "丙"), (2, "乙")]
    assert ModelLogEntry.objects.filter(action="councils.move_agenda_item").count() == 2
    with pytest.raises(ValidationError):
        meetings.add_agenda_item(actor=secretary, meeting=meeting, title=" ")
    with pytest.raises(PermissionDenied):
        meetings.add_agenda_item(actor=world["users"]["council_member"], meeting=meeting, title="丁")
    assert titles(meeting) == [(1, "丙"), (2, "乙")]
    assert two.pk in meeting.agenda.values_list("pk", flat=True)


def test_an_item_carrying_a_motion_is_not_removed_here(world):
    meeting, secretary = schedule(world), world["users"]["secretary"]
    motion = Motion.objects.create(
        council=world["council"],
        title="关于设立专项基金的议案",
        text="设立专项基金。",
        proposer=world["users"]["council_member"],
        state=MotionState.ON_AGENDA,
        meeting=meeting,
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title=motion.title, motion=motion)
    with pytest.raises(ValidationError) as error:
        meetings.remove_agenda_item(actor=secretary, item=item)
    assert "motion" in str(error.value)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_agenda_is_frozen_once_the_meeting_closes(world):
    meeting, secretary = schedule(world), world["users"]["secretary"]
    item = meetings.add_agenda_item(actor=secretary, meeting=meeting, title="甲")
    meetings.open_meeting(actor=secretary, meeting=meeting)
    meetings.add_agenda_item(actor=secretary, meeting=meeting, title="临时动议")  # allowed while in progress
    meetings.close_meeting(actor=secretary, meeting=meeting)
    before = snapshot()
    with pytest.raises(ValidationError):
        meetings.add_agenda_item(actor=secretary, meeting=meeting, title="乙")
    with pytest.raises(ValidationError):
        meetings.remove_agenda_item(actor=secretary, item=item)
    assert snapshot() == before


def test_minutes_of_an_earlier_meeting_go_on_the_agenda(world):
    secretary = world["users"]["secretary"]
    earlier, minutes = held_meeting_with_minutes(world, days=1)
    meeting = schedule(world, days=5, title="第二次全体会议")
    item = meetings.add_minutes_to_agenda(actor=secretary, meeting=meeting, minutes=minutes)
    assert item.minutes == minutes and item.position == 1 and "上次会议" in item.title
    with pytest.raises(ValidationError):  # already there
        meetings.add_minutes_to_agenda(actor=secretary, meeting=meeting, minutes=minutes)
    with pytest.raises(ValidationError):  # the meeting cannot approve its own minutes
        meetings.add_minutes_to_agenda(actor=secretary, meeting=earlier, minutes=minutes)
    committee_meeting = schedule(world, "a", days=5)
    with pytest.raises(ValidationError):  # another workspace
        meetings.add_minutes_to_agenda(actor=secretary, meeting=committee_meeting, minutes=minutes)
    _draft_meeting, draft = held_meeting_with_minutes(world, days=2, circulate=False)
    with pytest.raises(ValidationError):  # not circulated
        meetings.add_minutes_to_agenda(actor=secretary, meeting=meeting, minutes=draft)
    assert meeting.agenda.count() == 1


def test_guests_are_invited_without_a_vote(world):
    meeting, secretary = schedule(world), world["users"]["secretary"]
    guest = meetings.invite_guest(actor=secretary, meeting=meeting, user=secretary)
    assert guest.has_vote is False
    with pytest.raises(ValidationError) as error:
        meetings.invite_guest(actor=secretary, meeting=meeting, user=secretary)
    assert "This person is already invited." in error.value.messages
    for who in ("outsider", "member_b"):  # cannot open the plenary workspace
        with pytest.raises(ValidationError):
            meetings.invite_guest(actor=secretary, meeting=meeting, user=world["users"][who])
    with pytest.raises(PermissionDenied):
        meetings.invite_guest(actor=world["users"]["council_member"], meeting=meeting, user=secretary)
    assert meeting.invitations.count() == 5


# RSVP -------------------------------------------------------------------------------------------------------


def test_rsvp_only_own_and_only_while_scheduled(world):
    meeting = schedule(world)
    mine = invitation_of(meeting, world, "council_member")
    member = world["users"]["council_member"]
    meetings.rsvp(actor=member, invitation=mine, answer=RSVP.DECLINED, note="出差")
    mine.refresh_from_db()
    assert (mine.rsvp, mine.rsvp_note) == (RSVP.DECLINED, "出差") and mine.responded_at is not None
    rows = invitation_rows(meeting)
    with pytest.raises(PermissionDenied):
        meetings.rsvp(actor=world["users"]["plenary_only"], invitation=mine, answer=RSVP.ATTENDING)
    with pytest.raises(PermissionDenied):
        meetings.rsvp(actor=world["users"]["secretary"], invitation=mine, answer=RSVP.ATTENDING)
    with pytest.raises(ValidationError):
        meetings.rsvp(actor=member, invitation=mine, answer="maybe")
    meetings.open_meeting(actor=world["users"]["secretary"], meeting=meeting)
    with pytest.raises(ValidationError):
        meetings.rsvp(actor=member, invitation=mine, answer=RSVP.ATTENDING)
    assert invitation_rows(meeting) == rows


# Views ------------------------------------------------------------------------------------------------------


def setup_workspace(world, key):
    """A scheduled meeting with an agenda item, an earlier meeting with circulated minutes, a later quorate
    meeting in progress, and an action item."""
    secretary = world["users"]["secretary"]
    held, minutes = held_meeting_with_minutes(world, key, days=1)
    present = ("chair", "council_member") if key == "plenary" else ("council_member", "external")
    running = open_with(world, schedule(world, key, days=2, title="进行中的会议"), present=present)
    scheduled = schedule(world, key, days=3, title="计划中的会议")
    item = meetings.add_agenda_item(actor=secretary, meeting=scheduled, title="议题一")
    action = meetings.add_action_item(
        actor=secretary,
        workspace=world["workspaces"][key],
        title="起草报告",
        owner=world["users"][ACTION_OWNER[key]],
        meeting=running,
    )
    return {
        "held": held,
        "minutes": minutes,
        "running": running,
        "scheduled": scheduled,
        "item": item,
        "action": action,
    }


def endpoints(world, key, objects):
    """(label, method, url, data, allowed, htmx) for every URL of the section in one workspace."""
    slug = world["council"].slug
    workspace = world["workspaces"][key]
    can_open = CAN_OPEN[key]
    conveners = CONVENERS[key]
    invitees = INVITED[key]
    scheduled, running, held = objects["scheduled"], objects["running"], objects["held"]
    minutes, item, action = objects["minutes"], objects["item"], objects["action"]

    def url(name, pk):
        return reverse(f"councils:{name}", kwargs={"slug": slug, "pk": pk})

    def section(name):
        if key == "plenary":
            return reverse(f"councils:{name}", kwargs={"slug": slug})
        return reverse(f"councils:committee_{name}", kwargs={"slug": slug, "committee_pk": workspace.pk})

    start = timezone.localtime(later(10)).strftime("%Y-%m-%dT%H:%M")
    meeting_data = {"title": "新会议", "starts_at": start, "location": "会议室"}

    def attendance():
        data = {}
        for invitation in scheduled.invitations.all():
            data[f"attendance_{invitation.pk}"] = Attendance.PRESENT
            data[f"proxy_{invitation.pk}"] = ""
        return data

    owner = world["users"][ACTION_OWNER[key]]
    return [
        ("list", "get", section("meetings"), None, can_open, False),
        ("new form", "get", section("meeting_new"), None, conveners, False),
        ("new", "post", section("meeting_new"), meeting_data, conveners, False),
        ("detail", "get", url("meeting", scheduled.pk), None, can_open, False),
        ("detail running", "get", url("meeting", running.pk), None, can_open, False),
        ("detail held", "get", url("meeting", held.pk), None, can_open, False),
        ("edit form", "get", url("meeting_edit", scheduled.pk), None, conveners, False),
        ("edit", "post", url("meeting_edit", scheduled.pk), {**meeting_data, "title": "改名"}, conveners, False),
        ("rsvp", "post", url("meeting_rsvp", scheduled.pk), {"answer": RSVP.ATTENDING}, invitees, False),
        ("rsvp htmx", "post", url("meeting_rsvp", scheduled.pk), {"answer": RSVP.DECLINED}, invitees, True),
        (
            "invite",
            "post",
            url("meeting_invite", scheduled.pk),
            {"user": world["users"]["secretary"].pk},
            conveners,
            False,
        ),
        ("agenda add", "post", url("meeting_agenda_add", scheduled.pk), {"title": "议题二"}, conveners, False),
        ("agenda move", "post", url("meeting_agenda_move", item.pk), {"direction": "down"}, conveners, False),
        ("agenda remove", "post", url("meeting_agenda_remove", item.pk), {}, conveners, False),
        ("attendance form", "get", url("meeting_attendance", scheduled.pk), None, conveners, False),
        ("attendance", "post", url("meeting_attendance", scheduled.pk), attendance, conveners, False),
        ("minutes form", "get", url("minutes_edit", held.pk), None, MINUTES_EDITORS, False),
        ("minutes", "post", url("minutes_edit", held.pk), {"body": "修订后的纪要"}, MINUTES_EDITORS, False),
        ("circulate", "post", url("minutes_circulate", minutes.pk), {}, MINUTES_EDITORS, False),
        ("approve form", "get", url("minutes_approve", minutes.pk), None, conveners, False),
        ("approve", "post", url("minutes_approve", minutes.pk), {"at_meeting": running.pk}, conveners, False),
        ("action items", "get", section("action_items"), None, can_open, False),
        ("action item form", "get", section("action_item_new"), None, conveners, False),
        ("action item", "post", section("action_item_new"), {"title": "调研", "owner": owner.pk}, conveners, False),
        (
            "status",
            "post",
            url("action_item_status", action.pk),
            {"status": "done"},
            conveners | {owner_name(owner)},
            False,
        ),
        (
            "status htmx",
            "post",
            url("action_item_status", action.pk),
            {"status": "done"},
            conveners | {owner_name(owner)},
            True,
        ),
        ("open", "post", url("meeting_open", scheduled.pk), {}, conveners, False),
        ("close", "post", url("meeting_close", running.pk), {}, conveners, False),
        ("cancel", "post", url("meeting_cancel", scheduled.pk), {"reason": "改期"}, conveners, False),
    ]


def owner_name(user):
    return user.username.removeprefix("ws_")


@pytest.mark.parametrize("key", ["plenary", "a"])
@pytest.mark.parametrize("who", USERS)
def test_permission_matrix(client, world, who, key):
    objects = setup_workspace(world, key)
    login(client, world, who)
    for label, method, url, data, allowed, htmx in endpoints(world, key, objects):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        entries = ModelLogEntry.objects.count()
        data = data() if callable(data) else data  # built when sent: earlier requests add invitations
        response = client.get(url) if method == "get" else client.post(url, data, **headers)
        where = f"{who} {key} {label}"
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], where
        elif who not in allowed:
            assert response.status_code == 404, where
            assert ModelLogEntry.objects.count() == entries, where
        elif method == "get" or htmx:
            assert response.status_code == 200, where
        else:
            assert response.status_code == 302, where
            assert "/accounts/login/" not in response["Location"], where
    if who in CONVENERS[key]:
        scheduled = Meeting.objects.get(pk=objects["scheduled"].pk)
        assert scheduled.state == MeetingState.IN_PROGRESS  # opened; then the cancel was refused
        assert Meeting.objects.get(pk=objects["running"].pk).state == MeetingState.CLOSED
        assert Minutes.objects.get(pk=objects["minutes"].pk).state == MinutesState.APPROVED
        assert ActionItem.objects.filter(title="调研").exists()
    if who in INVITED[key]:
        assert invitation_of(objects["scheduled"], world, who).rsvp == RSVP.DECLINED
    if who == ACTION_OWNER[key] or who in CONVENERS[key]:
        assert ActionItem.objects.get(pk=objects["action"].pk).status == ActionItemStatus.DONE
    elif who not in CONVENERS[key]:
        assert ActionItem.objects.get(pk=objects["action"].pk).status == ActionItemStatus.OPEN


def test_committee_b_members_see_nothing_of_committee_a(client, world):
    objects = setup_workspace(world, "a")
    login(client, world, "member_b")
    assert (
        client.get(reverse("councils:meeting", kwargs={"slug": "biomed", "pk": objects["running"].pk})).status_code
        == 404
    )
    login(client, world, "superuser")
    wrong_slug = reverse("councils:meeting", kwargs={"slug": "no-such-council", "pk": objects["running"].pk})
    assert client.get(wrong_slug).status_code == 404
    item_url = reverse("councils:meeting_agenda_remove", kwargs={"slug": "no-such-council", "pk": objects["item"].pk})
    assert client.post(item_url).status_code == 404
    assert AgendaItem.objects.filter(pk=objects["item"].pk).exists()


def test_rsvp_htmx_returns_the_partial(client, world):
    meeting = schedule(world)
    login(client, world, "plenary_only")
    url = reverse("councils:meeting_rsvp", kwargs={"slug": "biomed", "pk": meeting.pk})
    response = client.post(url, {"answer": RSVP.ATTENDING, "note": "准时到"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "councils/workspace/meetings/_rsvp.html" in [t.name for t in response.templates]
    assert 'id="rsvp"' in response.content.decode() and "<html" not in response.content.decode()
    assert invitation_of(meeting, world, "plenary_only").rsvp == RSVP.ATTENDING
    response = client.post(url, {"answer": "maybe"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "form-errors" in response.content.decode()
    assert invitation_of(meeting, world, "plenary_only").rsvp == RSVP.ATTENDING


def test_action_item_status_htmx_returns_the_row(client, world):
    item = meetings.add_action_item(
        actor=world["users"]["secretary"], workspace=world["council"], title="调研", owner=world["users"]["chair"]
    )
    login(client, world, "chair")
    url = reverse("councils:action_item_status", kwargs={"slug": "biomed", "pk": item.pk})
    response = client.post(url, {"status": "done"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tr id="action-item-{item.pk}"')
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE


def test_meeting_page_warns_when_opened_without_quorum(client, world):
    meeting = open_with(world, schedule(world), present=("chair",))
    login(client, world, "council_member")
    response = client.get(reverse("councils:meeting", kwargs={"slug": "biomed", "pk": meeting.pk}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "This meeting opened without a quorum." in content or "未达到法定人数" in content
    assert response.context["meeting"].quorum_met is False


def test_open_view_warns_without_quorum(client, world):
    meeting = schedule(world)
    login(client, world, "secretary")
    response = client.post(reverse("councils:meeting_open", kwargs={"slug": "biomed", "pk": meeting.pk}), follow=True)
    levels = [message.level_tag for message in response.context["messages"]]
    assert levels == ["warning"]


def test_draft_minutes_are_the_secretariats(client, world):
    meeting, _minutes = held_meeting_with_minutes(world, circulate=False)
    url = reverse("councils:meeting", kwargs={"slug": "biomed", "pk": meeting.pk})
    login(client, world, "council_member")
    assert "会议讨论了产业促进。" not in client.get(url).content.decode()
    login(client, world, "secretary")
    assert "会议讨论了产业促进。" in client.get(url).content.decode()


def test_attendance_view_shows_proxy_errors_and_changes_nothing(client, world):
    meeting = schedule(world)
    login(client, world, "secretary")
    data = {}
    for invitation in meeting.invitations.all():
        data[f"attendance_{invitation.pk}"] = Attendance.ABSENT
        data[f"proxy_{invitation.pk}"] = ""
    giver = invitation_of(meeting, world, "council_member")
    data[f"attendance_{giver.pk}"] = Attendance.PROXY
    data[f"proxy_{giver.pk}"] = str(world["users"]["chair"].pk)  # the chair is absent
    response = client.post(reverse("councils:meeting_attendance", kwargs={"slug": "biomed", "pk": meeting.pk}), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not meeting.invitations.exclude(attendance=Attendance.UNRECORDED).exists()


def test_schedule_view_shows_service_errors(client, world):
    login(client, world, "chair")
    past = timezone.localtime(timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("councils:meeting_new", kwargs={"slug": "biomed"}), {"title": "会议", "starts_at": past}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"starts_at", "location"}
    assert not Meeting.objects.exists()


# Query budgets ----------------------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # warm caches (session, locale)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("key", ["plenary", "a"])
def test_meeting_list_has_constant_queries(client, world, key):
    login(client, world, "council_member")
    url = (
        reverse("councils:meetings", kwargs={"slug": "biomed"})
        if key == "plenary"
        else reverse(
            "councils:committee_meetings", kwargs={"slug": "biomed", "committee_pk": world["committees"]["a"].pk}
        )
    )
    open_with(world, schedule(world, key, days=1), present=("council_member",))
    few = count_queries(client, url)
    for days in range(2, 7):
        meeting = schedule(world, key, days=days, title=f"会议{days}")
        if days % 2:
            open_with(world, meeting, present=("council_member",))
    many = count_queries(client, url)
    assert Meeting.objects.count() == 6
    assert many == few, (few, many)


def test_action_item_list_has_constant_queries(client, world):
    login(client, world, "council_member")
    url = reverse("councils:action_items", kwargs={"slug": "biomed"})
    secretary = world["users"]["secretary"]
    meeting = schedule(world)

    def add(index, owner):
        meetings.add_action_item(
            actor=secretary,
            workspace=world["council"],
            title=f"任务{index}",
            owner=world["users"][owner],
            meeting=meeting,
        )

    add(0, "council_member")
    few = count_queries(client, url)
    for index, owner in enumerate(("chair", "council_member", "plenary_only", "secretary", "observer"), start=1):
        add(index, owner)
    response = client.get(url)
    assert [item.owner == world["users"]["council_member"] for item in response.context["items"]][:2] == [True, True]
    many = count_queries(client, url)
    assert many == few, (few, many)


@pytest.mark.parametrize("who", ["council_member", "secretary"])
def test_meeting_page_has_constant_queries(client, world, who):
    secretary = world["users"]["secretary"]
    meeting = schedule(world)
    login(client, world, who)
    url = reverse("councils:meeting", kwargs={"slug": "biomed", "pk": meeting.pk})

    def grow(index):
        meetings.add_agenda_item(actor=secretary, meeting=meeting, title=f"议题{index}")
        meetings.add_action_item(
            actor=secretary,
            workspace=world["council"],
            title=f"任务{index}",
            owner=world["users"]["chair"],
            meeting=meeting,
        )
        Invitation.objects.create(meeting=meeting, user=UserFactory(), has_vote=False)

    grow(0)
    attend(world, meeting, present=("chair",), proxies={"council_member": "chair"})
    few = count_queries(client, url)
    for index in range(1, 6):
        grow(index)
    many = count_queries(client, url)
    assert many == few, (few, many)
