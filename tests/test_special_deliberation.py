"""The district talent work meeting's services (talent/services/deliberations.py): who may convene and run it, the
agenda's rules, attendance and quorum, one vote per application through portal.voting with recusals, closing an
item's vote decides the application (public notice with the right dates, or rejected), minutes and closing; bad input
and wrong states change nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.history.models import Event
from portal.notifications.models import Notification
from portal.voting import services as voting
from portal.voting.models import Base, ElectorateEntry, Majority, Poll, PollState
from talent.models import Deliberation, DeliberationItem, DeliberationState, SpecialStage
from talent.services import deliberations
from talent.statuses import SpecialStatus
from talent.verbs import TalentVerb
from tests.factories import UserFactory
from tests.special_deliberation_helpers import convened, in_session, starts_at, waiting, with_agenda
from tests.special_world import BIRTH_DATE, RESIDENT_ID, build_special_world, reload, special_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are matched in the source language (the catalogue's Chinese may not be compiled yet)."""
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    return build_special_world()


def messages_of(error):
    return " ".join(error.value.messages)


def counts():
    return (
        Deliberation.objects.count(),
        DeliberationItem.objects.count(),
        Poll.objects.count(),
        ModelLogEntry.objects.count(),
        Notification.objects.count(),
    )


def vote_all(world, item, choices):
    """The members present cast ``choices`` (a choice per member in order; None: does not vote)."""
    for member, choice in zip(world.members, choices, strict=False):
        if choice is not None:
            voting.cast_ballot(actor=member, poll=reload(item).poll, choice=choice)


# --- convening ----------------------------------------------------------------------------------------------


def test_an_officer_convenes_a_meeting_and_its_members_are_told(world):
    meeting = convened(world)
    assert meeting.state == DeliberationState.SCHEDULED
    assert set(meeting.members.all()) == set(world.members)
    assert meeting.created_by == world.officer
    assert ModelLogEntry.objects.filter(action="talent.convene_deliberation", object_id=str(meeting.pk)).exists()
    assert Event.objects.filter(verb=TalentVerb.CONVENED_DELIBERATION).count() == 1
    for member in world.members:
        assert Notification.objects.filter(recipient=member, url__contains=f"/meetings/{meeting.pk}/").exists()


@pytest.mark.parametrize("who", ["other_officer", "reviewer", "employer", "director"])
def test_only_the_programmes_officers_convene(world, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        deliberations.convene(
            actor=getattr(world, who),
            programme=world.programme,
            title="会议",
            starts_at=starts_at(),
            members=world.members,
        )
    assert counts() == before


def test_a_meeting_needs_three_members_a_title_and_a_start(world):
    before = counts()
    with pytest.raises(ValidationError) as error:
        deliberations.convene(
            actor=world.officer, programme=world.programme, title="  ", starts_at=None, members=world.members[:2]
        )
    assert set(error.value.error_dict) == {"title", "starts_at", "members"}
    assert counts() == before


def test_an_inactive_person_cannot_be_a_member(world):
    gone = UserFactory(username="talent_meeting_gone_t", is_active=False)
    with pytest.raises(ValidationError) as error:
        convened(world, members=[*world.members[:3], gone])
    assert "members" in error.value.error_dict
    assert not Deliberation.objects.exists()


def test_a_title_too_long_is_refused_with_its_length(world):
    with pytest.raises(ValidationError) as error:
        convened(world, title="会" * 201)
    assert "201" in messages_of(error)


def test_convening_twice_is_refused(world):
    meeting = convened(world)
    with pytest.raises(ValidationError, match="already been convened"):
        deliberations.convene(
            actor=world.officer,
            programme=world.programme,
            title=meeting.title,
            starts_at=meeting.starts_at,
            members=world.members,
        )
    assert Deliberation.objects.count() == 1


def test_changing_a_member_off_drops_their_attendance_and_recusals(world):
    [special] = waiting(world)
    leaving = world.members[0]
    meeting, [item] = with_agenda(world, [special], recused={special.pk: [leaving]})
    deliberations.change(
        actor=world.officer,
        deliberation=meeting,
        title="改期后的会议",
        title_en="",
        starts_at=starts_at(5),
        location="",
        members=world.members[1:],
    )
    meeting = reload(meeting)
    assert meeting.title == "改期后的会议"
    assert leaving not in meeting.members.all() and leaving not in meeting.present.all()
    assert not item.recused.exists()


# --- the agenda ---------------------------------------------------------------------------------------------


def test_an_application_waiting_for_the_meeting_goes_on_the_agenda_with_its_recusals(world):
    first, second = waiting(world, 2)
    meeting = convened(world)
    item = deliberations.add_item(actor=world.officer, deliberation=meeting, special=first, recused=[world.members[0]])
    other = deliberations.add_item(actor=world.officer, deliberation=meeting, special=second)
    assert (item.position, other.position) == (1, 2)
    assert list(item.recused.all()) == [world.members[0]]


def test_only_applications_in_the_meeting_stage_go_on_the_agenda(world):
    in_panel = special_application(world, stage=SpecialStage.PANEL)
    meeting = convened(world)
    with pytest.raises(ValidationError, match="not waiting for the talent work meeting"):
        deliberations.add_item(actor=world.officer, deliberation=meeting, special=in_panel)
    assert not DeliberationItem.objects.exists()


def test_an_application_of_another_programme_is_refused(world):
    [special] = waiting(world)
    world.other_programme.kind = world.programme.kind
    other_meeting = deliberations.convene(
        actor=world.other_officer,
        programme=world.other_programme,
        title="另一计划的会议",
        starts_at=starts_at(),
        members=world.members,
    )
    with pytest.raises(ValidationError, match="another programme"):
        deliberations.add_item(actor=world.other_officer, deliberation=other_meeting, special=special)
    assert not DeliberationItem.objects.exists()


def test_the_same_application_goes_on_an_agenda_once_and_on_one_open_meeting(world):
    [special] = waiting(world)
    meeting = convened(world)
    deliberations.add_item(actor=world.officer, deliberation=meeting, special=special)
    with pytest.raises(ValidationError, match="already on the agenda"):
        deliberations.add_item(actor=world.officer, deliberation=meeting, special=special)
    another = convened(world, title="另一次会议")
    with pytest.raises(ValidationError, match="already on the agenda of"):
        deliberations.add_item(actor=world.officer, deliberation=another, special=special)
    assert DeliberationItem.objects.count() == 1


def test_recusals_name_members_only(world):
    [special] = waiting(world)
    meeting = convened(world)
    with pytest.raises(ValidationError, match="Not a member"):
        deliberations.add_item(actor=world.officer, deliberation=meeting, special=special, recused=[world.officer])
    assert not DeliberationItem.objects.exists()
    item = deliberations.add_item(actor=world.officer, deliberation=meeting, special=special)
    with pytest.raises(ValidationError, match="Not a member"):
        deliberations.set_recusals(actor=world.officer, item=item, recused=[world.employer])
    deliberations.set_recusals(actor=world.officer, item=item, recused=world.members[:2])
    assert set(item.recused.all()) == set(world.members[:2])


def test_someone_who_does_not_run_the_meeting_changes_nothing_on_it(world):
    [special] = waiting(world)
    meeting = convened(world)
    item = deliberations.add_item(actor=world.officer, deliberation=meeting, special=special)
    member = world.members[0]
    before = counts()
    for call, arguments in (
        (deliberations.add_item, {"deliberation": meeting, "special": special}),
        (deliberations.remove_item, {"item": item}),
        (deliberations.set_recusals, {"item": item, "recused": [member]}),
        (deliberations.record_attendance, {"deliberation": meeting, "present": world.members}),
        (deliberations.open_session, {"deliberation": meeting}),
        (deliberations.close_item, {"item": item}),
        (deliberations.close_meeting, {"deliberation": meeting, "minutes": "纪要"}),
    ):
        for actor in (member, world.other_officer, world.employer):
            with pytest.raises(PermissionDenied):
                call(actor=actor, **arguments)
    assert counts() == before
    assert not reload(meeting).present.exists()


def test_an_item_comes_off_the_agenda_before_the_session(world):
    [special] = waiting(world)
    meeting = convened(world)
    item = deliberations.add_item(actor=world.officer, deliberation=meeting, special=special)
    deliberations.remove_item(actor=world.officer, item=item)
    assert not meeting.items.exists()
    # Off one agenda, it may go on another.
    deliberations.add_item(actor=world.officer, deliberation=convened(world, title="下一次会议"), special=special)


# --- attendance, quorum, the session ------------------------------------------------------------------------


def test_attendance_names_members_only(world):
    meeting = convened(world)
    with pytest.raises(ValidationError, match="Not a member"):
        deliberations.record_attendance(actor=world.officer, deliberation=meeting, present=[world.employer])
    assert not reload(meeting).present.exists()


def test_the_session_does_not_open_without_an_agenda(world):
    meeting = convened(world)
    deliberations.record_attendance(actor=world.officer, deliberation=meeting, present=world.members)
    with pytest.raises(ValidationError, match="at least one application"):
        deliberations.open_session(actor=world.officer, deliberation=meeting)
    assert reload(meeting).state == DeliberationState.SCHEDULED


def test_the_session_does_not_open_without_the_quorum(world):
    [special] = waiting(world)
    meeting, _items = with_agenda(world, [special], present=world.members[:3])  # 3 of 5 < 2/3
    before = counts()
    with pytest.raises(ValidationError, match="Not enough members are present"):
        deliberations.open_session(actor=world.officer, deliberation=meeting)
    assert counts() == before
    assert reload(meeting).state == DeliberationState.SCHEDULED


def test_opening_the_session_opens_one_named_vote_per_item_without_the_recused(world):
    first, second = waiting(world, 2)
    recused = world.members[0]
    absent = world.members[4]
    meeting, (one, two) = in_session(world, [first, second], recused={first.pk: [recused]}, present=world.members[:4])
    assert meeting.state == DeliberationState.IN_SESSION
    for item, special in ((one, first), (two, second)):
        poll = item.poll
        assert poll.state == PollState.OPEN
        assert poll.subject == special and poll.owner == world.programme
        assert (poll.majority, poll.base, poll.secret) == (Majority.SIMPLE, Base.PRESENT, False)
        assert poll.quorum == meeting.quorum
        assert RESIDENT_ID not in poll.title + poll.description and special.candidate_name in poll.title
    voters = set(ElectorateEntry.objects.filter(poll=one.poll).values_list("user", flat=True))
    assert voters == {member.pk for member in world.members[1:]}
    assert not ElectorateEntry.objects.get(poll=two.poll, user=absent).present
    # The members present are told their vote is needed.
    for member in world.members[:4]:
        assert Notification.objects.filter(recipient=member, title__contains=meeting.title).exists()


def test_a_recused_member_cannot_vote(world):
    [special] = waiting(world)
    recused = world.members[0]
    _meeting, [item] = in_session(world, [special], recused={special.pk: [recused]})
    with pytest.raises(PermissionDenied):
        voting.cast_ballot(actor=recused, poll=item.poll, choice="yes")
    assert not item.poll.entries.filter(user=recused).exists()


def test_after_the_session_opens_agenda_and_attendance_are_kept(world):
    first, second = waiting(world, 2)
    meeting, [item] = in_session(world, [first])
    before = counts()
    with pytest.raises(ValidationError, match="In session"):
        deliberations.add_item(actor=world.officer, deliberation=meeting, special=second)
    with pytest.raises(ValidationError, match="In session"):
        deliberations.record_attendance(actor=world.officer, deliberation=meeting, present=world.members[:3])
    with pytest.raises(ValidationError, match="In session"):
        deliberations.remove_item(actor=world.officer, item=item)
    with pytest.raises(ValidationError):
        deliberations.open_session(actor=world.officer, deliberation=meeting)
    assert counts() == before


# --- closing a vote decides the application -----------------------------------------------------------------


def test_a_vote_passed_puts_the_candidate_on_public_notice_for_the_programmes_days(world):
    [special] = waiting(world)
    _meeting, [item] = in_session(world, [special])
    vote_all(world, item, ["yes", "yes", "yes", "no", "abstain"])
    item = deliberations.close_item(actor=world.officer, item=item)
    assert item.passed is True
    assert reload(item).poll.state == PollState.CLOSED
    special = reload(special)
    today = timezone.localdate()
    assert special.stage == SpecialStage.NOTICE
    assert special.notice_starts_on == today
    assert special.notice_ends_on == today + datetime.timedelta(days=6)  # 7 days, both inclusive
    assert special.is_on_public_notice
    assert special.application.status == SpecialStatus.NOTICE
    entry = ModelLogEntry.objects.get(action="talent.close_deliberation_item")
    assert (entry.data["yes"], entry.data["no"], entry.data["abstain"], entry.data["passed"]) == (3, 1, 1, True)


def test_a_vote_failed_rejects_the_application(world):
    [special] = waiting(world)
    _meeting, [item] = in_session(world, [special])
    vote_all(world, item, ["yes", "yes", "no", "no", "abstain"])  # 2 of 5 present: not more than half
    item = deliberations.close_item(actor=world.officer, item=item)
    assert item.passed is False
    special = reload(special)
    assert special.stage == SpecialStage.REJECTED
    assert special.decision_reason
    assert special.notice_starts_on is None
    assert special.application.status == SpecialStatus.REJECTED


def test_a_vote_without_its_quorum_rejects_the_application(world):
    [special] = waiting(world)
    # 4 of 5 present opens the session; three of them recused leave one of two voters present: 1/2 < 2/3.
    _meeting, [item] = in_session(world, [special], present=world.members[:4], recused={special.pk: world.members[1:4]})
    vote_all(world, item, ["yes"])
    item = deliberations.close_item(actor=world.officer, item=item)
    assert item.passed is False and reload(item).poll.quorum_met is False
    assert reload(special).stage == SpecialStage.REJECTED


def test_a_vote_closed_on_the_voting_page_is_decided_by_close_item(world):
    [special] = waiting(world)
    _meeting, [item] = in_session(world, [special])
    vote_all(world, item, ["yes"] * 5)
    voting.close_poll(actor=world.officer, poll=item.poll)
    item = deliberations.close_item(actor=world.officer, item=reload(item))
    assert item.passed is True
    assert reload(special).stage == SpecialStage.NOTICE


def test_an_items_vote_is_closed_once(world):
    [special] = waiting(world)
    _meeting, [item] = in_session(world, [special])
    vote_all(world, item, ["yes"] * 5)
    deliberations.close_item(actor=world.officer, item=item)
    before = counts()
    with pytest.raises(ValidationError, match="already been closed"):
        deliberations.close_item(actor=world.officer, item=reload(item))
    assert counts() == before


def test_a_vote_is_closed_only_in_session(world):
    [special] = waiting(world)
    _meeting, [item] = with_agenda(world, [special])
    with pytest.raises(ValidationError, match="Scheduled"):
        deliberations.close_item(actor=world.officer, item=item)
    assert reload(special).stage == SpecialStage.DELIBERATION


# --- minutes and closing ------------------------------------------------------------------------------------


def test_the_meeting_closes_with_its_minutes_once_every_vote_is_closed(world):
    first, second = waiting(world, 2)
    meeting, (one, two) = in_session(world, [first, second])
    vote_all(world, one, ["yes"] * 5)
    deliberations.close_item(actor=world.officer, item=one)
    with pytest.raises(ValidationError, match="Close every vote"):
        deliberations.close_meeting(actor=world.officer, deliberation=meeting, minutes="会议纪要")
    assert reload(meeting).state == DeliberationState.IN_SESSION and not reload(meeting).minutes
    deliberations.close_item(actor=world.officer, item=two)  # nobody voted: not passed
    with pytest.raises(ValidationError) as error:
        deliberations.close_meeting(actor=world.officer, deliberation=meeting, minutes="   ")
    assert "minutes" in error.value.error_dict
    assert reload(meeting).state == DeliberationState.IN_SESSION
    meeting = deliberations.close_meeting(
        actor=world.officer, deliberation=meeting, minutes="  会议审议了两名候选人。  "
    )
    meeting = reload(meeting)
    assert meeting.state == DeliberationState.CLOSED
    assert meeting.minutes == "会议审议了两名候选人。"
    assert meeting.closed_at is not None
    assert (reload(first).stage, reload(second).stage) == (SpecialStage.NOTICE, SpecialStage.REJECTED)


def test_a_closed_meeting_cannot_be_closed_again(world):
    [special] = waiting(world)
    meeting, [item] = in_session(world, [special])
    deliberations.close_item(actor=world.officer, item=item)
    deliberations.close_meeting(actor=world.officer, deliberation=meeting, minutes="纪要")
    with pytest.raises(ValidationError, match="Closed"):
        deliberations.close_meeting(actor=world.officer, deliberation=meeting, minutes="又一份纪要")
    assert reload(meeting).minutes == "纪要"


# --- privacy ------------------------------------------------------------------------------------------------


def test_nothing_the_meeting_writes_holds_the_candidates_identifiers(world):
    [special] = waiting(world)
    meeting, [item] = in_session(world, [special])
    vote_all(world, item, ["yes"] * 5)
    deliberations.close_item(actor=world.officer, item=item)
    deliberations.close_meeting(actor=world.officer, deliberation=meeting, minutes="纪要")
    written = [
        *(str(entry.data) for entry in ModelLogEntry.objects.all()),
        *(f"{note.title} {note.body} {note.url}" for note in Notification.objects.all()),
        *(f"{event.summary} {event.url}" for event in Event.objects.all()),
        *(f"{poll.title} {poll.description}" for poll in Poll.objects.all()),
    ]
    for text in written:
        assert RESIDENT_ID not in text and BIRTH_DATE not in text
