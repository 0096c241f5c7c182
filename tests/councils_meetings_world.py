"""What the meetings tests share: who convenes and who is invited in the test world, and helpers that schedule,
attend and open meetings through the services."""

import datetime

import pytest
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from councils.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
    Minutes,
    MinutesRevision,
)
from councils.services import meetings
from portal.history.models import Event
from portal.notifications.models import Notification
from tests.councils_world import build_world, row_counts

# Who convenes (charter: the chair or the secretariat). The council's chair chairs the plenary only.
CONVENERS = {"plenary": {"chair", "secretary", "superuser"}, "a": {"secretary", "superuser"}}
INVITED = {"plenary": {"council_member", "plenary_only", "chair", "observer"}, "a": {"council_member", "external"}}
VOTING = {"plenary": {"council_member", "plenary_only", "chair"}, "a": {"council_member", "external"}}
MINUTES_EDITORS = {"secretary", "superuser"}
ACTION_OWNER = {"plenary": "council_member", "a": "external"}


def later(days=7, hours=0):
    return timezone.now() + datetime.timedelta(days=days, hours=hours)


def schedule(world, key="plenary", who="secretary", days=7, **fields):
    values = {"title": "第一次全体会议", "starts_at": later(days), "location": "市政府三楼会议室", **fields}
    return meetings.schedule_meeting(actor=world["users"][who], workspace=world["workspaces"][key], **values)


def invitation_of(meeting, world, who):
    return Invitation.objects.get(meeting=meeting, user=world["users"][who])


def attend(world, meeting, present=(), proxies=None, absent=()):
    """Record attendance as the secretary: names present, {giver: holder} proxies, names absent."""
    records = {invitation_of(meeting, world, who): (Attendance.PRESENT, None) for who in present}
    for giver, holder in (proxies or {}).items():
        records[invitation_of(meeting, world, giver)] = (Attendance.PROXY, world["users"][holder])
    for who in absent:
        records[invitation_of(meeting, world, who)] = (Attendance.ABSENT, None)
    return meetings.record_attendance(actor=world["users"]["secretary"], meeting=meeting, records=records)


def open_with(world, meeting, present=(), proxies=None):
    attend(world, meeting, present=present, proxies=proxies)
    return meetings.open_meeting(actor=world["users"]["secretary"], meeting=meeting)


def held_meeting_with_minutes(world, key="plenary", days=1, circulate=True):
    meeting = schedule(world, key, days=days, title="上次会议")
    meetings.open_meeting(actor=world["users"]["secretary"], meeting=meeting)
    minutes = meetings.save_minutes(actor=world["users"]["secretary"], meeting=meeting, body="会议讨论了产业促进。")
    if circulate:
        minutes = meetings.circulate_minutes(actor=world["users"]["secretary"], minutes=minutes)
    return meeting, minutes


def snapshot():
    return row_counts(
        Meeting, Invitation, AgendaItem, Minutes, MinutesRevision, ActionItem, Notification, Event, ModelLogEntry
    )


def invitation_rows(meeting):
    return sorted(meeting.invitations.values_list("user_id", "rsvp", "attendance", "proxy_holder_id"))


@pytest.fixture(autouse=True)
def _english():
    # Service messages are compared in their English source (the catalogue may translate them later).
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    return build_world()
