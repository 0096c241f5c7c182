"""Meetings: minutes (revisions, circulation, approval at a later quorate meeting, locking) and action items."""

# ruff: noqa: F811 (the shared fixtures are imported by name and requested as arguments)

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from councils import permissions
from councils.models import (
    ActionItem,
    ActionItemStatus,
    ActivityVerb,
    Minutes,
    MinutesRevision,
    MinutesState,
)
from councils.services import meetings
from portal import edits
from portal.history.models import Event
from portal.notifications.models import Notification
from tests.councils_meetings_world import (  # noqa: F401
    INVITED,
    _english,
    held_meeting_with_minutes,
    open_with,
    schedule,
    snapshot,
    world,
)

pytestmark = pytest.mark.django_db


# Minutes ----------------------------------------------------------------------------------------------------


def test_minutes_revisions_and_circulation(world):
    secretary = world["users"]["secretary"]
    meeting = schedule(world, days=1)
    with pytest.raises(ValidationError):  # not opened yet
        meetings.save_minutes(actor=secretary, meeting=meeting, body="正文")
    meetings.open_meeting(actor=secretary, meeting=meeting)
    with pytest.raises(PermissionDenied):  # the secretariat writes minutes, not the chair
        meetings.save_minutes(actor=world["users"]["chair"], meeting=meeting, body="正文")
    with pytest.raises(ValidationError):
        meetings.save_minutes(actor=secretary, meeting=meeting, body="  ")
    assert not Minutes.objects.exists()
    minutes = meetings.save_minutes(actor=secretary, meeting=meeting, body="第一稿")
    assert (minutes.revision, minutes.state) == (1, MinutesState.DRAFT)
    assert permissions.can_read_minutes(world["users"]["council_member"], minutes) is False
    minutes = meetings.save_minutes(actor=secretary, meeting=meeting, body="第二稿")
    assert minutes.revision == 2
    assert list(minutes.revisions.values_list("number", "body")) == [(2, "第二稿"), (1, "第一稿")]
    Notification.objects.all().delete()
    minutes = meetings.circulate_minutes(actor=secretary, minutes=minutes)
    assert minutes.state == MinutesState.CIRCULATED and minutes.circulated_at is not None
    assert {n.recipient.username.removeprefix("ws_") for n in Notification.objects.all()} == INVITED["plenary"]
    assert permissions.can_read_minutes(world["users"]["council_member"], minutes) is True
    assert Event.objects.filter(verb=ActivityVerb.CIRCULATED_MINUTES).count() == 1
    with pytest.raises(ValidationError):
        meetings.circulate_minutes(actor=secretary, minutes=minutes)
    count = Notification.objects.count()
    minutes = meetings.save_minutes(actor=secretary, meeting=meeting, body="第三稿")  # stays circulated
    assert (minutes.revision, minutes.state) == (3, MinutesState.CIRCULATED)
    assert Notification.objects.count() == count


def test_minutes_are_approved_at_a_later_quorate_meeting_and_then_locked(world):
    secretary = world["users"]["secretary"]
    earlier, minutes = held_meeting_with_minutes(world, days=1)
    before = snapshot()
    # at the meeting they record
    with pytest.raises(ValidationError) as error:
        meetings.approve_minutes(actor=secretary, minutes=minutes, at_meeting=earlier)
    assert "later meeting" in error.value.messages[0]
    # at a meeting that opened without a quorum
    inquorate = open_with(world, schedule(world, days=2), present=("chair",))
    with pytest.raises(ValidationError) as error:
        meetings.approve_minutes(actor=secretary, minutes=minutes, at_meeting=inquorate)
    assert error.value.messages == ["This meeting opened without a quorum, so it cannot approve minutes."]
    # at a later meeting still scheduled, and at a committee's meeting
    scheduled = schedule(world, days=3)
    committee_meeting = open_with(world, schedule(world, "a", days=3), present=("external", "council_member"))
    for at_meeting in (scheduled, committee_meeting):
        with pytest.raises(ValidationError):
            meetings.approve_minutes(actor=secretary, minutes=minutes, at_meeting=at_meeting)
    # by someone who does not convene
    with pytest.raises(PermissionDenied):
        meetings.approve_minutes(actor=world["users"]["council_member"], minutes=minutes, at_meeting=inquorate)
    minutes.refresh_from_db()
    assert minutes.state == MinutesState.CIRCULATED
    assert Minutes.objects.count() == before[3]

    quorate = open_with(world, schedule(world, days=4), present=("chair", "council_member"))
    minutes = meetings.approve_minutes(actor=world["users"]["chair"], minutes=minutes, at_meeting=quorate)
    assert minutes.state == MinutesState.APPROVED and minutes.approved_at_meeting == quorate
    assert Event.objects.filter(verb=ActivityVerb.APPROVED_MINUTES).count() == 1
    revisions = MinutesRevision.objects.count()
    with pytest.raises(ValidationError) as error:
        meetings.save_minutes(actor=secretary, meeting=earlier, body="事后修改")
    assert error.value.messages == ["Approved minutes are locked and cannot be changed."]
    with pytest.raises(ValidationError):
        meetings.approve_minutes(actor=secretary, minutes=minutes, at_meeting=quorate)
    minutes.refresh_from_db()
    assert minutes.body == "会议讨论了产业促进。" and MinutesRevision.objects.count() == revisions


def test_minutes_cannot_be_approved_at_an_earlier_meeting(world):
    secretary = world["users"]["secretary"]
    earlier = open_with(world, schedule(world, days=1), present=("chair", "council_member"))
    _later_meeting, minutes = held_meeting_with_minutes(world, days=2)
    with pytest.raises(ValidationError):
        meetings.approve_minutes(actor=secretary, minutes=minutes, at_meeting=earlier)
    _draft_meeting, draft = held_meeting_with_minutes(world, days=0.5, circulate=False)
    with pytest.raises(ValidationError):  # a draft is circulated first
        meetings.approve_minutes(actor=secretary, minutes=draft, at_meeting=earlier)
    assert not Minutes.objects.filter(state=MinutesState.APPROVED).exists()


# Action items -----------------------------------------------------------------------------------------------


def test_action_items(world):
    secretary, member = world["users"]["secretary"], world["users"]["council_member"]
    meeting = schedule(world)
    Notification.objects.all().delete()
    item = meetings.add_action_item(
        actor=secretary,
        workspace=world["council"],
        title="起草年度工作报告",
        owner=member,
        due_on=timezone.localdate() + datetime.timedelta(days=14),
        meeting=meeting,
    )
    assert item.status == ActionItemStatus.OPEN and item.meeting == meeting and item.committee is None
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["ws_council_member"]
    assert Event.objects.filter(verb=ActivityVerb.ADDED_ACTION_ITEM).count() == 1

    with pytest.raises(ValidationError):  # the owner can only cancel through the assigner
        meetings.set_action_item_status(actor=member, item=item, status=ActionItemStatus.CANCELLED)
    with pytest.raises(PermissionDenied):  # someone else
        meetings.set_action_item_status(actor=world["users"]["plenary_only"], item=item, status=ActionItemStatus.DONE)
    with pytest.raises(ValidationError):
        meetings.set_action_item_status(actor=member, item=item, status="later")
    item = meetings.set_action_item_status(actor=member, item=item, status=ActionItemStatus.DONE)
    assert item.status == ActionItemStatus.DONE and item.completed_at is not None
    assert Event.objects.filter(verb=ActivityVerb.COMPLETED_ACTION_ITEM).count() == 1
    assert Notification.objects.filter(recipient=secretary).count() == 1
    with pytest.raises(ValidationError):  # the owner cannot reopen
        meetings.set_action_item_status(actor=member, item=item, status=ActionItemStatus.OPEN)
    item = meetings.set_action_item_status(actor=secretary, item=item, status=ActionItemStatus.OPEN)
    assert item.completed_at is None
    item = meetings.set_action_item_status(actor=secretary, item=item, status=ActionItemStatus.CANCELLED)
    assert item.status == ActionItemStatus.CANCELLED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"owner": "outsider"}, "owner"),
        ({"owner": "member_b"}, "owner"),  # cannot open the plenary
        ({"due_on": "yesterday"}, "due_on"),
        ({"meeting": "committee"}, "meeting"),
    ],
)
def test_refused_action_items_change_nothing(world, fields, field):
    values = {"title": "调研", "owner": world["users"]["council_member"], "due_on": None, "meeting": None}
    if "title" in fields:
        values["title"] = fields["title"]
    if "owner" in fields:
        values["owner"] = world["users"][fields["owner"]]
    if "due_on" in fields:
        values["due_on"] = timezone.localdate() - datetime.timedelta(days=1)
    if "meeting" in fields:
        values["meeting"] = schedule(world, "a")
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        meetings.add_action_item(actor=world["users"]["secretary"], workspace=world["council"], **values)
    assert field in error.value.error_dict
    assert snapshot() == before


def test_members_do_not_assign_action_items(world):
    with pytest.raises(PermissionDenied):
        meetings.add_action_item(
            actor=world["users"]["council_member"],
            workspace=world["council"],
            title="调研",
            owner=world["users"]["plenary_only"],
        )
    assert not ActionItem.objects.exists()


def test_a_save_from_a_stale_minutes_form_is_refused_and_the_colleagues_revision_stays(world):
    """Two tabs (or two secretaries) open the minutes form; the first saves; the second's save would overwrite it."""
    secretary = world["users"]["secretary"]
    meeting = schedule(world, days=1)
    meetings.open_meeting(actor=secretary, meeting=meeting)
    meetings.save_minutes(actor=secretary, meeting=meeting, body="第一稿", loaded=edits.NEW)
    with pytest.raises(ValidationError) as refused:  # both forms were opened before there were minutes
        meetings.save_minutes(actor=secretary, meeting=meeting, body="另一份第一稿", loaded=edits.NEW)
    assert refused.value.code == "stale"
    first = Minutes.objects.get(meeting=meeting)
    loaded = edits.fingerprint(first, ("revision",))
    assert meetings.save_minutes(actor=secretary, meeting=meeting, body="第二稿", loaded=loaded).revision == 2
    with pytest.raises(ValidationError) as refused:
        meetings.save_minutes(actor=secretary, meeting=meeting, body="基于第一稿的修改", loaded=loaded)
    assert "in another window" in " ".join(refused.value.messages)
    kept = Minutes.objects.get(meeting=meeting)
    assert (kept.revision, kept.body, kept.revisions.count()) == (2, "第二稿", 2)
