"""Meetings: the quorum at opening, attendance and proxies."""

# ruff: noqa: F811 (the shared fixtures are imported by name and requested as arguments)

import datetime
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from councils import services
from councils.models import (
    ActivityVerb,
    Attendance,
    MeetingState,
    Motion,
    MotionState,
)
from councils.services import meetings
from portal.history.models import Event
from portal.notifications.models import Notification
from tests.councils_meetings_world import (  # noqa: F401
    INVITED,
    _english,
    attend,
    invitation_of,
    invitation_rows,
    open_with,
    schedule,
    snapshot,
    world,
)
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


# Quorum at opening ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "proxies", "met", "counted"),
    [
        (("council_member", "plenary_only", "chair"), {}, True, 3),  # met
        (("council_member", "plenary_only"), {}, True, 2),  # exactly met: ceil(1/2 × 3) = 2
        (("council_member", "observer"), {}, False, 1),  # not met: the observer has no vote
        (("council_member",), {"plenary_only": "council_member"}, True, 2),  # a proxy counts toward presence
        ((), {}, False, 0),
    ],
)
def test_quorum_at_opening(world, present, proxies, met, counted):
    meeting = open_with(world, schedule(world), present=present, proxies=proxies)
    assert meeting.state == MeetingState.IN_PROGRESS and meeting.opened_at is not None
    assert (meeting.voting_member_count, meeting.required_count) == (3, 2)
    assert meeting.present_voting_count == counted
    assert meeting.quorum_met is met
    entry = ModelLogEntry.objects.get(action="councils.open_meeting")
    assert entry.data["quorum"] == "1/2" and entry.data["quorum_met"] is met
    assert Event.objects.filter(verb=ActivityVerb.OPENED_MEETING).count() == 1


def test_quorum_uses_the_charter_in_force_exactly(world):
    secretary = world["users"]["secretary"]
    services.add_charter_version(
        actor=secretary,
        council=world["council"],
        text="第二条 三分之二理事出席方可开会。",
        effective_from=timezone.localdate(),
        quorum_numerator=2,
        quorum_denominator=3,
        proxies_allowed=True,
        max_proxies_per_holder=1,
    )
    meeting = open_with(world, schedule(world), present=("council_member",), proxies={"chair": "council_member"})
    assert (meeting.required_count, meeting.present_voting_count, meeting.quorum_met) == (2, 2, True)
    assert meetings.required_presence(Fraction(2, 3), 4) == 3
    assert meetings.required_presence(Fraction(1, 2), 4) == 2
    assert meetings.required_presence(Fraction(1, 2), 5) == 3
    assert meetings.required_presence(Fraction(1, 1), 7) == 7


def test_a_voting_member_without_a_representative_still_counts_in_the_quorum_base(world):
    """It cannot be invited or be present, but the charter's quorum is a fraction of all voting members."""
    services.add_membership(
        actor=world["users"]["secretary"],
        council=world["council"],
        organization=OrganizationFactory(),
        representative=None,
        term_start=datetime.date(2025, 1, 1),
    )
    meeting = open_with(world, schedule(world), present=("council_member", "plenary_only"))
    assert meeting.invitations.filter(has_vote=True).count() == 3  # nobody to invite for the fourth seat
    assert (meeting.voting_member_count, meeting.required_count, meeting.present_voting_count) == (4, 2, 2)
    assert meeting.quorum_met is True


def test_committee_quorum(world):
    meeting = open_with(world, schedule(world, "a"), present=("external",))
    assert (meeting.voting_member_count, meeting.required_count, meeting.quorum_met) == (2, 1, True)


def test_open_close_and_cancel_follow_the_states(world):
    secretary = world["users"]["secretary"]
    meeting = schedule(world)
    with pytest.raises(ValidationError):
        meetings.close_meeting(actor=secretary, meeting=meeting)
    with pytest.raises(PermissionDenied):
        meetings.open_meeting(actor=world["users"]["council_member"], meeting=meeting)
    meetings.open_meeting(actor=secretary, meeting=meeting)
    with pytest.raises(ValidationError):
        meetings.open_meeting(actor=secretary, meeting=meeting)
    with pytest.raises(ValidationError):
        meetings.cancel_meeting(actor=secretary, meeting=meeting, reason="改期")
    meeting = meetings.close_meeting(actor=secretary, meeting=meeting)
    assert meeting.state == MeetingState.CLOSED and meeting.closed_at is not None
    assert Event.objects.filter(verb=ActivityVerb.CLOSED_MEETING).count() == 1


def test_cancel_needs_a_reason_tells_invitees_and_frees_motions(world):
    secretary = world["users"]["secretary"]
    meeting = schedule(world)
    motion = Motion.objects.create(
        council=world["council"],
        title="议案",
        text="内容",
        proposer=world["users"]["council_member"],
        state=MotionState.ON_AGENDA,
        meeting=meeting,
    )
    before = snapshot()
    with pytest.raises(ValidationError):
        meetings.cancel_meeting(actor=secretary, meeting=meeting, reason="  ")
    with pytest.raises(PermissionDenied):
        meetings.cancel_meeting(actor=world["users"]["plenary_only"], meeting=meeting, reason="改期")
    assert snapshot() == before
    Notification.objects.all().delete()
    meeting = meetings.cancel_meeting(actor=secretary, meeting=meeting, reason="主要议题推迟")
    assert meeting.state == MeetingState.CANCELLED and meeting.cancel_reason == "主要议题推迟"
    notified = {n.recipient.username.removeprefix("ws_") for n in Notification.objects.all()}
    assert notified == INVITED["plenary"]
    assert "主要议题推迟" in Notification.objects.first().body
    motion.refresh_from_db()
    assert motion.state == MotionState.SUBMITTED and motion.meeting is None
    assert Event.objects.filter(verb=ActivityVerb.CANCELLED_MEETING).count() == 1
    with pytest.raises(ValidationError):
        meetings.open_meeting(actor=secretary, meeting=meeting)


# Attendance and proxies -------------------------------------------------------------------------------------


def test_a_valid_proxy_is_recorded(world):
    meeting = schedule(world)
    attend(world, meeting, present=("chair",), proxies={"council_member": "chair"}, absent=("plenary_only",))
    giver = invitation_of(meeting, world, "council_member")
    assert (giver.attendance, giver.proxy_holder) == (Attendance.PROXY, world["users"]["chair"])
    assert invitation_of(meeting, world, "plenary_only").attendance == Attendance.ABSENT
    # the holder leaves: the proxy she holds must go first
    with pytest.raises(ValidationError):
        attend(world, meeting, absent=("chair",))
    assert invitation_of(meeting, world, "chair").attendance == Attendance.PRESENT


def test_no_proxies_when_the_charter_does_not_allow_them(world):
    services.add_charter_version(
        actor=world["users"]["secretary"],
        council=world["council"],
        text="第三条 理事不得委托他人出席。",
        effective_from=timezone.localdate(),
        proxies_allowed=False,
        max_proxies_per_holder=0,
    )
    meeting = schedule(world)
    rows = invitation_rows(meeting)
    with pytest.raises(ValidationError) as error:
        attend(world, meeting, present=("chair",), proxies={"council_member": "chair"})
    assert any("does not allow proxies" in message for message in error.value.messages)
    assert invitation_rows(meeting) == rows


@pytest.mark.parametrize(
    ("present", "proxies", "absent", "message"),
    [
        ((), {"council_member": "chair"}, ("chair",), "is not present"),  # holder absent
        ((), {"council_member": "chair"}, (), "is not present"),  # holder's attendance not recorded
        (("chair",), {"council_member": "council_member"}, (), "their own proxy"),
        (("chair",), {"council_member": "chair", "plenary_only": "chair"}, (), "at most 1"),  # too many
        (("chair", "observer"), {"council_member": "observer"}, (), "voting member"),  # holder has no vote
        (("chair",), {"observer": "chair"}, (), "has no vote"),  # giver has no vote
    ],
)
def test_proxy_rules(world, present, proxies, absent, message):
    meeting = schedule(world)
    rows, before = invitation_rows(meeting), snapshot()
    with pytest.raises(ValidationError) as error:
        attend(world, meeting, present=present, proxies=proxies, absent=absent)
    assert any(message in text for text in error.value.messages), error.value.messages
    assert invitation_rows(meeting) == rows and snapshot() == before


def test_a_present_giver_names_no_holder_and_every_error_is_listed(world):
    meeting = schedule(world)
    records = {
        invitation_of(meeting, world, "council_member"): (Attendance.PRESENT, world["users"]["chair"]),
        invitation_of(meeting, world, "plenary_only"): (Attendance.PROXY, world["users"]["plenary_only"]),
        invitation_of(meeting, world, "chair"): ("nonsense", None),
    }
    with pytest.raises(ValidationError) as error:
        meetings.record_attendance(actor=world["users"]["secretary"], meeting=meeting, records=records)
    assert len(error.value.messages) == 3
    assert not meeting.invitations.exclude(attendance=Attendance.UNRECORDED).exists()


def test_attendance_is_the_conveners_and_ends_with_the_meeting(world):
    meeting = schedule(world)
    with pytest.raises(PermissionDenied):
        meetings.record_attendance(
            actor=world["users"]["council_member"],
            meeting=meeting,
            records={invitation_of(meeting, world, "council_member"): (Attendance.PRESENT, None)},
        )
    meetings.open_meeting(actor=world["users"]["secretary"], meeting=meeting)
    attend(world, meeting, present=("chair",))  # taken at the meeting
    meetings.close_meeting(actor=world["users"]["secretary"], meeting=meeting)
    with pytest.raises(ValidationError):
        attend(world, meeting, present=("council_member",))
    assert invitation_of(meeting, world, "council_member").attendance == Attendance.UNRECORDED
