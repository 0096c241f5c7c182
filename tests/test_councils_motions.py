"""Motions of a council workspace: drafting, submission, the agenda, votes at a meeting and in writing (through
the voting engine), the recorded result, withdrawal; the permission matrix of every URL; query budgets."""

import datetime
from fractions import Fraction

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from councils import permissions
from councils import services as council_services
from councils.models import (
    ActivityVerb,
    AgendaItem,
    Attendance,
    Invitation,
    Meeting,
    MeetingState,
    Motion,
    MotionState,
)
from councils.services import motions as services
from portal.history.models import Event
from portal.notifications.models import Notification
from portal.voting import services as voting
from portal.voting.models import Base, ElectorateEntry, Majority, Poll, PollState
from tests.councils_world import CAN_OPEN, USERS, build_world, login

pytestmark = pytest.mark.django_db

TEXT = "理事会同意设立生物医药产业基金专项工作组。"


@pytest.fixture
def world():
    return build_world()


def user(world, who):
    return world["users"][who]


def draft(world, key="plenary", who="council_member", title="设立专项工作组"):
    return services.draft_motion(
        actor=user(world, who), workspace=world["workspaces"][key], title=title, text=TEXT, rationale="理由"
    )


def submitted(world, key="plenary", who="council_member", title="设立专项工作组"):
    motion = draft(world, key, who, title)
    return services.submit_motion(actor=user(world, who), motion=motion)


def meeting(world, key="plenary", *, state=MeetingState.IN_PROGRESS, quorum_met=True, attendance=None, proxies=None):
    """A meeting of the workspace with every seat invited (voting right as the seat has it). ``attendance``:
    {who: Attendance}; the rest present. ``proxies``: {giver: holder}."""
    workspace = world["workspaces"][key]
    item = Meeting(
        title="第一次会议", starts_at=timezone.now() - datetime.timedelta(hours=1), created_by=user(world, "secretary")
    )
    item.set_workspace(workspace)
    item.save()
    names = {value: name for name, value in world["users"].items()}
    attendance, proxies = attendance or {}, proxies or {}
    for seat_user, organization, has_vote in council_services.workspace_seats(workspace):
        name = names[seat_user]
        holder = user(world, proxies[name]) if name in proxies else None
        Invitation.objects.create(
            meeting=item,
            user=seat_user,
            organization=organization,
            has_vote=has_vote,
            attendance=Attendance.PROXY if holder else attendance.get(name, Attendance.PRESENT),
            proxy_holder=holder,
        )
    if state in (MeetingState.IN_PROGRESS, MeetingState.CLOSED):
        item.open()
        item.quorum_met = quorum_met
    if state == MeetingState.CLOSED:
        item.close()
    item.save()
    return item


def on_agenda(world, key="plenary", the_meeting=None, title="设立专项工作组"):
    motion = submitted(world, key, title=title)
    the_meeting = the_meeting or meeting(world, key)
    return services.put_on_agenda(actor=user(world, "secretary"), motion=motion, meeting=the_meeting)


def voting_at_meeting(world, key="plenary", recused=(), **meeting_options):
    motion = on_agenda(world, key, meeting(world, key, **meeting_options))
    return services.open_meeting_vote(
        actor=user(world, "secretary"), motion=motion, recused=[user(world, who) for who in recused]
    )


def in_three_days():
    return timezone.now() + datetime.timedelta(days=3)


def voting_in_writing(world, key="plenary", title="设立专项工作组"):
    motion = submitted(world, key, title=title)
    return services.open_written_vote(actor=user(world, "secretary"), motion=motion, closes_at=in_three_days())


def cast(world, motion, who, choice):
    return voting.cast_ballot(actor=user(world, who), poll=motion.poll, choice=choice)


def last_notification():
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def notified_since(mark):
    return set(Notification.objects.filter(pk__gt=mark).values_list("recipient__username", flat=True))


def state(motion):
    return Motion.objects.get(pk=motion.pk).state


# Drafting and submitting -------------------------------------------------------------------------------------


def test_draft_is_private_until_submitted(world):
    motion = draft(world)
    assert motion.state == MotionState.DRAFT and motion.council == world["council"] and motion.committee is None
    assert permissions.can_see_motion(user(world, "council_member"), motion) is True
    assert permissions.can_see_motion(user(world, "secretary"), motion) is False
    assert not Event.objects.exists()
    mark = last_notification()
    services.submit_motion(actor=user(world, "council_member"), motion=motion)
    motion.refresh_from_db()
    assert motion.state == MotionState.SUBMITTED and motion.submitted_at is not None
    assert permissions.can_see_motion(user(world, "plenary_only"), motion) is True
    assert notified_since(mark) == {"ws_secretary", "ws_chair"}
    line = Event.objects.get()
    assert line.verb == ActivityVerb.SUBMITTED_MOTION and line.url == motion.get_absolute_url()
    assert ModelLogEntry.objects.filter(action="councils.submit_motion").count() == 1


@pytest.mark.parametrize(
    ("title", "text", "field"),
    [("", TEXT, "title"), ("  ", TEXT, "title"), ("x" * 201, TEXT, "title"), ("标题", "  ", "text")],
)
def test_draft_refuses_bad_input(world, title, text, field):
    with pytest.raises(ValidationError) as error:
        services.draft_motion(actor=user(world, "council_member"), workspace=world["council"], title=title, text=text)
    assert field in error.value.error_dict
    assert Motion.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "member_b"])
def test_draft_refused_outside_the_workspace(world, who):
    with pytest.raises(PermissionDenied):
        services.draft_motion(actor=user(world, who), workspace=world["council"], title="标题", text=TEXT)
    assert Motion.objects.count() == 0


def test_update_only_the_proposer_and_only_a_draft(world):
    motion = draft(world)
    services.update_motion(actor=user(world, "council_member"), motion=motion, title="新标题", text="新文本")
    motion.refresh_from_db()
    assert (motion.title, motion.text, motion.rationale) == ("新标题", "新文本", "")
    with pytest.raises(PermissionDenied):
        services.update_motion(actor=user(world, "secretary"), motion=motion, title="改", text="改")
    with pytest.raises(ValidationError):
        services.update_motion(actor=user(world, "council_member"), motion=motion, title="", text="改")
    motion.refresh_from_db()
    assert motion.title == "新标题"
    services.submit_motion(actor=user(world, "council_member"), motion=motion)
    with pytest.raises(PermissionDenied):
        services.update_motion(actor=user(world, "council_member"), motion=motion, title="改", text="改")
    with pytest.raises(ValidationError) as refused:  # the lifecycle refuses it, with a message
        services.submit_motion(actor=user(world, "council_member"), motion=motion)
    assert refused.value.code == "state"
    assert Motion.objects.get(pk=motion.pk).title == "新标题"


def test_submit_refused_to_others(world):
    motion = draft(world)
    for who in ("secretary", "chair", "superuser"):
        with pytest.raises(PermissionDenied):
            services.submit_motion(actor=user(world, who), motion=motion)
    assert state(motion) == MotionState.DRAFT


# Agenda -----------------------------------------------------------------------------------------------------


def test_put_on_agenda_appends_an_item_and_remove_takes_it_off(world):
    the_meeting = meeting(world, state=MeetingState.SCHEDULED)
    AgendaItem.objects.create(meeting=the_meeting, position=1, title="开幕")
    motion = submitted(world)
    services.put_on_agenda(actor=user(world, "chair"), motion=motion, meeting=the_meeting)
    motion.refresh_from_db()
    assert motion.state == MotionState.ON_AGENDA and motion.meeting == the_meeting
    item = AgendaItem.objects.get(motion=motion)
    assert (item.meeting, item.position, item.title) == (the_meeting, 2, motion.title)
    assert Event.objects.filter(verb=ActivityVerb.SCHEDULED_MOTION).count() == 1
    services.remove_from_agenda(actor=user(world, "chair"), motion=motion)
    motion.refresh_from_db()
    assert motion.state == MotionState.SUBMITTED and motion.meeting is None
    assert not AgendaItem.objects.filter(motion=motion).exists()
    assert AgendaItem.objects.filter(meeting=the_meeting).count() == 1


def test_put_on_agenda_refusals_change_nothing(world):
    motion = submitted(world)
    other_workspace = meeting(world, "a", state=MeetingState.SCHEDULED)
    closed = meeting(world, state=MeetingState.CLOSED)
    cancelled = meeting(world, state=MeetingState.SCHEDULED)
    cancelled.cancel("测试")
    cancelled.save()
    for bad in (other_workspace, closed, cancelled):
        with pytest.raises(ValidationError) as error:
            services.put_on_agenda(actor=user(world, "secretary"), motion=motion, meeting=bad)
        assert "meeting" in error.value.error_dict
    for who in ("council_member", "plenary_only", "observer"):
        with pytest.raises(PermissionDenied):
            services.put_on_agenda(actor=user(world, who), motion=motion, meeting=meeting(world))
    draft_motion = draft(world, title="草稿")
    with pytest.raises(PermissionDenied):  # the secretariat does not see a draft
        services.put_on_agenda(actor=user(world, "secretary"), motion=draft_motion, meeting=meeting(world))
    assert state(motion) == MotionState.SUBMITTED and state(draft_motion) == MotionState.DRAFT
    assert not AgendaItem.objects.exists()
    with pytest.raises(ValidationError):
        services.remove_from_agenda(actor=user(world, "secretary"), motion=motion)


# Lifecycle --------------------------------------------------------------------------------------------------


def test_lifecycle_meeting_vote_adopted(world):
    motion = on_agenda(world)
    secretary = user(world, "secretary")
    services.open_meeting_vote(actor=secretary, motion=motion)
    motion.refresh_from_db()
    poll = motion.poll
    assert motion.state == MotionState.VOTING and motion.is_written_vote is False
    assert poll.subject == motion and poll.state == PollState.OPEN and poll.secret is False
    assert (poll.majority, poll.base, poll.quorum) == (Majority.SIMPLE, Base.YES_NO_ABSTAIN, Fraction(1, 2))
    assert poll.max_proxies_per_holder == 1
    assert poll.owner == world["council"]  # the council's own secretariat runs it (councils.authority)
    voters = set(ElectorateEntry.objects.filter(poll=poll).values_list("user__username", flat=True))
    assert voters == {"ws_council_member", "ws_plenary_only", "ws_chair"}  # the observer has no vote
    assert Event.objects.filter(verb=ActivityVerb.OPENED_MOTION_VOTE).count() == 1
    with pytest.raises(PermissionDenied):  # the vote has opened: too late to withdraw
        services.withdraw_motion(actor=user(world, "council_member"), motion=motion, reason="改变主意")

    cast(world, motion, "council_member", "yes")
    cast(world, motion, "plenary_only", "yes")
    cast(world, motion, "chair", "no")
    mark = last_notification()
    services.close_vote(actor=secretary, motion=motion)
    motion.refresh_from_db()
    poll.refresh_from_db()
    assert motion.state == MotionState.ADOPTED and motion.decided_at is not None
    assert poll.state == PollState.CLOSED and poll.passed is True
    today = timezone.localdate().isoformat()
    with translation.override("en"):
        english = services.resolution_text(motion, poll, timezone.localdate())()
    assert english == (
        f"Adopted on {today} with 2 yes, 1 no and 0 abstentions.\n3 of 3 voting members took part; the quorum of 2 "
        "was met.\nMajority required: Simple majority (more than half); base: all ballots cast, abstentions "
        "included (3)."
    )
    with translation.override(settings.LANGUAGE_CODE):
        assert motion.resolution == services.resolution_text(motion, poll, timezone.localdate())()
    assert Event.objects.filter(verb=ActivityVerb.ADOPTED_MOTION).count() == 1
    told = notified_since(mark)
    assert "ws_council_member" in told  # the proposer
    assert {"ws_plenary_only", "ws_observer"} <= told  # the workspace
    assert ModelLogEntry.objects.filter(action="councils.adopt_motion").count() == 1
    with pytest.raises(ValidationError):
        services.close_vote(actor=secretary, motion=motion)


def test_lifecycle_written_vote_rejected(world):
    motion = on_agenda(world, "a")  # a written vote takes it off the agenda
    closes_at = in_three_days()
    services.open_written_vote(actor=user(world, "secretary"), motion=motion, closes_at=closes_at)
    motion.refresh_from_db()
    poll = motion.poll
    assert motion.state == MotionState.VOTING and motion.is_written_vote is True and motion.meeting is None
    assert not AgendaItem.objects.filter(motion=motion).exists()
    assert poll.base == Base.ELECTORATE and poll.majority == Majority.SIMPLE and poll.closes_at == closes_at
    entries = ElectorateEntry.objects.filter(poll=poll)
    assert {entry.user.username for entry in entries} == {"ws_council_member", "ws_external"}
    assert all(entry.present for entry in entries)

    cast(world, motion, "external", "yes")  # 1 of 2 is not a majority of all voting members
    services.close_vote(actor=user(world, "secretary"), motion=motion)
    motion.refresh_from_db()
    assert motion.state == MotionState.REJECTED
    with translation.override("en"):
        english = services.resolution_text(motion, motion.poll, timezone.localdate())()
    assert english.startswith(f"Rejected on {timezone.localdate().isoformat()} with 1 yes, 0 no and 0 abstentions.")
    assert "1 of 2 voting members voted in writing" in english
    assert "base: the whole electorate (2)" in english
    assert Event.objects.in_scope(world["committees"]["a"]).filter(verb=ActivityVerb.REJECTED_MOTION).count() == 1


def test_record_result_of_a_poll_closed_on_the_voting_page(world):
    motion = voting_in_writing(world)
    chair = user(world, "chair")
    with pytest.raises(ValidationError):  # still open
        services.record_result(actor=chair, motion=motion)
    cast(world, motion, "council_member", "yes")
    cast(world, motion, "plenary_only", "yes")
    voting.close_poll(actor=user(world, "secretary"), poll=motion.poll)
    with pytest.raises(PermissionDenied):
        services.record_result(actor=user(world, "council_member"), motion=motion)
    assert state(motion) == MotionState.VOTING
    services.record_result(actor=chair, motion=motion)
    motion.refresh_from_db()
    assert motion.state == MotionState.ADOPTED  # 2 of 3 voting members
    with pytest.raises(ValidationError):
        services.record_result(actor=chair, motion=motion)


def test_chair_may_not_open_or_close_votes(world):
    motion = on_agenda(world)
    chair = user(world, "chair")
    assert permissions.can_manage_motion(chair, motion) is True
    assert permissions.can_open_motion_vote(chair, motion) is False
    with pytest.raises(PermissionDenied):
        services.open_meeting_vote(actor=chair, motion=motion)
    with pytest.raises(PermissionDenied):
        services.open_written_vote(actor=chair, motion=motion, closes_at=in_three_days())
    assert state(motion) == MotionState.ON_AGENDA and Poll.objects.count() == 0


# Withdrawal -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["draft", "submitted", "on_agenda"])
def test_withdraw_at_each_allowed_stage(world, stage):
    motion = {"draft": draft, "submitted": submitted, "on_agenda": on_agenda}[stage](world)
    proposer = user(world, "council_member")
    with pytest.raises(ValidationError) as error:
        services.withdraw_motion(actor=proposer, motion=motion, reason="  ")
    assert "reason" in error.value.error_dict
    with pytest.raises(PermissionDenied):
        services.withdraw_motion(actor=user(world, "secretary"), motion=motion, reason="无")
    assert state(motion) == stage
    services.withdraw_motion(actor=proposer, motion=motion, reason="已由其他议案覆盖")
    motion.refresh_from_db()
    assert motion.state == MotionState.WITHDRAWN and motion.withdrawn_reason == "已由其他议案覆盖"
    assert motion.meeting is None and not AgendaItem.objects.filter(motion=motion).exists()
    withdrawn = Event.objects.filter(verb=ActivityVerb.WITHDREW_MOTION).count()
    assert withdrawn == (0 if stage == "draft" else 1)


@pytest.mark.parametrize("stage", ["voting", "adopted"])
def test_withdraw_refused_once_the_vote_opened(world, stage):
    motion = voting_at_meeting(world)
    if stage == "adopted":
        for who in ("council_member", "plenary_only"):
            cast(world, motion, who, "yes")
        services.close_vote(actor=user(world, "secretary"), motion=motion)
    with pytest.raises(PermissionDenied):
        services.withdraw_motion(actor=user(world, "council_member"), motion=motion, reason="撤回")
    assert state(motion) == stage


# Meeting rules ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("quorum_met", [False, None])
def test_meeting_without_quorum_refuses_the_vote(world, quorum_met):
    motion = on_agenda(world, the_meeting=meeting(world, quorum_met=quorum_met))
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.open_meeting_vote(actor=user(world, "secretary"), motion=motion)
    with translation.override("en"):
        assert error.value.messages == [
            "The meeting opened without a quorum: it may discuss the motion, but no motion can pass. "
            "Put it to a written vote or to the next meeting."
        ]
    motion.refresh_from_db()
    assert motion.state == MotionState.ON_AGENDA and motion.poll is None
    assert Poll.objects.count() == 0 and ElectorateEntry.objects.count() == 0


def test_meeting_vote_needs_a_meeting_in_progress(world):
    motion = on_agenda(world, the_meeting=meeting(world, state=MeetingState.SCHEDULED))
    with pytest.raises(ValidationError):
        services.open_meeting_vote(actor=user(world, "secretary"), motion=motion)
    submitted_motion = submitted(world, title="未排期")
    with pytest.raises(ValidationError):
        services.open_meeting_vote(actor=user(world, "secretary"), motion=submitted_motion)
    assert Poll.objects.count() == 0
    assert state(motion) == MotionState.ON_AGENDA and state(submitted_motion) == MotionState.SUBMITTED


def test_written_vote_refusals(world):
    motion = submitted(world)
    secretary = user(world, "secretary")
    for closes_at in (None, timezone.now() - datetime.timedelta(minutes=1)):
        with pytest.raises(ValidationError) as error:
            services.open_written_vote(actor=secretary, motion=motion, closes_at=closes_at)
        assert "closes_at" in error.value.error_dict
    draft_motion = draft(world, who="secretary", title="秘书处草稿")
    with pytest.raises(ValidationError):
        services.open_written_vote(actor=secretary, motion=draft_motion, closes_at=in_three_days())
    assert Poll.objects.count() == 0 and state(motion) == MotionState.SUBMITTED


def _charter(world, **rules):
    options = {
        "quorum_numerator": 2,
        "quorum_denominator": 3,
        "default_majority": "two_thirds",
        "default_base": "yes_no",
        "min_industry_share": "0.50",
        "proxies_allowed": False,
        "max_proxies_per_holder": 0,
        "convened_by": "chair_or_secretariat",
    }
    options.update(rules)
    council_services.add_charter_version(
        actor=user(world, "secretary"),
        council=world["council"],
        text="第三条 议案须经三分之二多数通过。",
        effective_from=datetime.date(2025, 6, 1),
        **options,
    )


def test_charter_rules_apply_to_the_poll(world):
    _charter(world)
    motion = voting_at_meeting(world)
    poll = motion.poll
    assert (poll.majority, poll.base, poll.quorum) == (Majority.TWO_THIRDS, Base.YES_NO, Fraction(2, 3))
    assert poll.max_proxies_per_holder == 0
    written = voting_in_writing(world, title="书面表决")
    assert (written.poll.majority, written.poll.base) == (Majority.TWO_THIRDS, Base.ELECTORATE)


def test_proxies_refused_when_the_charter_allows_none(world):
    _charter(world, proxies_allowed=False)
    the_meeting = meeting(world, proxies={"plenary_only": "chair"})
    motion = on_agenda(world, the_meeting=the_meeting)
    with pytest.raises(ValidationError):  # the voting engine's refusal propagates
        services.open_meeting_vote(actor=user(world, "secretary"), motion=motion)
    assert state(motion) == MotionState.ON_AGENDA and Poll.objects.count() == 0


def test_attendance_sets_presence_and_proxies(world):
    motion = voting_at_meeting(world, proxies={"plenary_only": "chair"}, attendance={"council_member": "absent"})
    entries = {entry.user.username: entry for entry in ElectorateEntry.objects.filter(poll=motion.poll)}
    assert entries["ws_chair"].present is True
    assert entries["ws_council_member"].present is False and entries["ws_council_member"].proxy_holder is None
    assert (
        entries["ws_plenary_only"].present is False and entries["ws_plenary_only"].proxy_holder.username == "ws_chair"
    )
    with pytest.raises(PermissionDenied):  # absent without proxy
        cast(world, motion, "council_member", "yes")
    voting.cast_ballot(actor=user(world, "chair"), poll=motion.poll, choice="yes", entry=entries["ws_plenary_only"])


# Who may vote -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "observer", "member_b", "secretary", "plenary_only"])
def test_non_members_and_recused_members_cannot_cast(world, who):
    motion = voting_at_meeting(world, recused=["plenary_only"])
    assert not ElectorateEntry.objects.filter(poll=motion.poll, user=user(world, "plenary_only")).exists()
    with pytest.raises(PermissionDenied):
        cast(world, motion, who, "yes")
    cast(world, motion, "council_member", "yes")  # a member with a vote can
    assert ModelLogEntry.objects.filter(action="voting.cast").count() == 1


def test_motion_page_tells_a_recused_member(client, world):
    motion = voting_at_meeting(world, recused=["plenary_only"])
    with translation.override("en"):
        url = reverse("councils:motion", kwargs={"slug": "biomed", "pk": motion.pk})
    login(client, world, "plenary_only")
    page = client.get(url).content.decode()
    assert "You are recused from this vote." in page
    assert motion.poll.get_absolute_url() not in page  # not in the electorate: no link to a page that is a 404
    login(client, world, "council_member")
    page = client.get(url).content.decode()
    assert "You are recused from this vote." not in page
    assert str(motion.poll.uuid) in page


def test_closed_vote_shows_counts_and_resolution(client, world):
    motion = voting_at_meeting(world)
    cast(world, motion, "council_member", "yes")
    cast(world, motion, "chair", "abstain")
    services.close_vote(actor=user(world, "secretary"), motion=motion)
    motion.refresh_from_db()
    login(client, world, "observer")
    page = client.get(reverse("councils:motion", kwargs={"slug": "biomed", "pk": motion.pk})).content.decode()
    lines = motion.resolution.splitlines()
    assert len(lines) == 3 and all(escape(line) in page for line in lines)
    assert motion.state == MotionState.REJECTED  # 1 yes of 2 ballots is not more than half


# Views: forms and refusals ------------------------------------------------------------------------------------


def test_new_motion_form_errors_and_success(client, world):
    login(client, world, "plenary_only")
    url = reverse("councils:motion_new", kwargs={"slug": "biomed"})
    response = client.post(url, {"title": "", "text": TEXT})
    assert response.status_code == 200 and response.context["form"].errors
    assert Motion.objects.count() == 0
    response = client.post(url, {"title": "新议案", "text": TEXT, "rationale": ""})
    motion = Motion.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/motions/{motion.pk}/")
    assert motion.proposer == user(world, "plenary_only") and motion.state == MotionState.DRAFT


def test_view_refusal_is_a_message_not_an_error(client, world):
    motion = on_agenda(world, the_meeting=meeting(world, quorum_met=False))
    login(client, world, "secretary")
    url = reverse("councils:motion_vote_meeting", kwargs={"slug": "biomed", "pk": motion.pk})
    response = client.post(url, {})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Poll.objects.count() == 0
    url = reverse("councils:motion_vote_written", kwargs={"slug": "biomed", "pk": motion.pk})
    response = client.post(url, {"closes_at": "2020-01-01T10:00"})
    assert response.status_code == 200 and response.context["form"].errors["closes_at"]
    response = client.post(url, {"closes_at": "not a date"})
    assert response.status_code == 200 and response.context["form"].errors["closes_at"]
    url = reverse("councils:motion_vote_close", kwargs={"slug": "biomed", "pk": motion.pk})
    response = client.post(url)
    assert response.status_code == 302 and state(motion) == MotionState.ON_AGENDA


def test_list_filters_by_state_and_hides_others_drafts(client, world):
    submitted(world, title="关于甲事项的议案")  # (not a state's label: those are on the page as filters)
    draft(world, title="我的草稿")
    draft(world, who="plenary_only", title="别人的草稿")
    login(client, world, "council_member")
    url = reverse("councils:motions", kwargs={"slug": "biomed"})
    page = client.get(url).content.decode()
    assert "关于甲事项的议案" in page and "我的草稿" in page and "别人的草稿" not in page
    page = client.get(url, {"state": "draft"}).content.decode()
    assert "关于甲事项的议案" not in page and "我的草稿" in page
    assert client.get(url, {"state": "nonsense"}).status_code == 200


def test_other_councils_slug_is_404(client, world):
    motion = submitted(world)
    login(client, world, "superuser")
    assert client.get(reverse("councils:motion", kwargs={"slug": "other", "pk": motion.pk})).status_code == 404
    assert client.get(reverse("councils:motion", kwargs={"slug": "biomed", "pk": 99999})).status_code == 404


# Permission matrix ------------------------------------------------------------------------------------------

CONVENERS = {"plenary": {"chair", "secretary", "superuser"}, "a": {"secretary", "superuser"}}
POLL_CREATORS = {"secretary", "superuser"}


def _fixtures(world, key):
    """One motion per action, each in the state the action needs."""
    secretary = user(world, "secretary")
    the_meeting = meeting(world, key)
    closed_elsewhere = voting_in_writing(world, key, title="已在投票页关闭")
    voting.close_poll(actor=secretary, poll=closed_elsewhere.poll)
    return {
        "draft_edit": draft(world, key, title="草稿一"),
        "draft_withdraw": draft(world, key, title="草稿二"),
        "agenda": submitted(world, key, title="待排期"),
        "written": submitted(world, key, title="书面表决"),
        "agenda_remove": on_agenda(world, key, the_meeting, title="撤出议程"),
        "vote_meeting": on_agenda(world, key, the_meeting, title="会议表决"),
        "vote_close": voting_in_writing(world, key, title="结束表决"),
        "record": closed_elsewhere,
    }


def _endpoints(world, key, motions):
    """(label, method, url, data, expected allowed users, motion that changes, state after) for every URL."""
    slug = "biomed"
    workspace = world["workspaces"][key]
    members = CAN_OPEN[key]
    drafters = members  # every member; the secretariat and superusers through the secretariat rule
    conveners, creators = CONVENERS[key], POLL_CREATORS
    proposer = {"council_member"}

    def url(name, motion):
        return reverse(f"councils:{name}", kwargs={"slug": slug, "pk": motions[motion].pk})

    if key == "plenary":
        list_url = reverse("councils:motions", kwargs={"slug": slug})
        new_url = reverse("councils:motion_new", kwargs={"slug": slug})
    else:
        list_url = reverse("councils:committee_motions", kwargs={"slug": slug, "committee_pk": workspace.pk})
        new_url = reverse("councils:committee_motion_new", kwargs={"slug": slug, "committee_pk": workspace.pk})
    deadline = timezone.localtime(in_three_days()).strftime("%Y-%m-%dT%H:%M")
    return [
        ("list", "get", list_url, None, members),
        ("list filtered", "get", list_url + "?state=submitted", None, members),
        ("new form", "get", new_url, None, drafters),
        ("new", "post", new_url, {"title": "新议案", "text": TEXT}, drafters),
        ("detail", "get", url("motion", "agenda"), None, members),
        ("detail voting", "get", url("motion", "vote_close"), None, members),
        ("detail draft", "get", url("motion", "draft_edit"), None, proposer),
        ("edit form", "get", url("motion_edit", "draft_edit"), None, proposer),
        ("edit", "post", url("motion_edit", "draft_edit"), {"title": "草稿一改", "text": TEXT}, proposer),
        ("submit get", "get", url("motion_submit", "draft_edit"), None, proposer),
        ("submit", "post", url("motion_submit", "draft_edit"), {}, proposer),
        ("withdraw form", "get", url("motion_withdraw", "draft_withdraw"), None, proposer),
        ("withdraw", "post", url("motion_withdraw", "draft_withdraw"), {"reason": "不再需要"}, proposer),
        ("agenda form", "get", url("motion_agenda", "agenda"), None, conveners),
        ("agenda", "post", url("motion_agenda", "agenda"), {"meeting": motions["agenda_remove"].meeting_id}, conveners),
        ("agenda remove get", "get", url("motion_agenda_remove", "agenda_remove"), None, conveners),
        ("agenda remove", "post", url("motion_agenda_remove", "agenda_remove"), {}, conveners),
        ("meeting vote form", "get", url("motion_vote_meeting", "vote_meeting"), None, creators),
        ("meeting vote", "post", url("motion_vote_meeting", "vote_meeting"), {}, creators),
        ("written vote form", "get", url("motion_vote_written", "written"), None, creators),
        ("written vote", "post", url("motion_vote_written", "written"), {"closes_at": deadline}, creators),
        ("close get", "get", url("motion_vote_close", "vote_close"), None, creators),
        ("close", "post", url("motion_vote_close", "vote_close"), {}, creators),
        ("record get", "get", url("motion_record_result", "record"), None, conveners),
        ("record", "post", url("motion_record_result", "record"), {}, conveners),
    ]


EXPECTED_STATES = {  # motion: (state before, state after a permitted user's POST)
    "draft_edit": (MotionState.DRAFT, MotionState.SUBMITTED),
    "draft_withdraw": (MotionState.DRAFT, MotionState.WITHDRAWN),
    "agenda": (MotionState.SUBMITTED, MotionState.ON_AGENDA),
    "written": (MotionState.SUBMITTED, MotionState.VOTING),
    "agenda_remove": (MotionState.ON_AGENDA, MotionState.SUBMITTED),
    "vote_meeting": (MotionState.ON_AGENDA, MotionState.VOTING),
    "vote_close": (MotionState.VOTING, MotionState.REJECTED),  # nobody voted
    "record": (MotionState.VOTING, MotionState.REJECTED),
}
ALLOWED_FOR = {
    "draft_edit": lambda key: {"council_member"},
    "draft_withdraw": lambda key: {"council_member"},
    "agenda": lambda key: CONVENERS[key],
    "agenda_remove": lambda key: CONVENERS[key],
    "record": lambda key: CONVENERS[key],
    "written": lambda key: POLL_CREATORS,
    "vote_meeting": lambda key: POLL_CREATORS,
    "vote_close": lambda key: POLL_CREATORS,
}


@pytest.mark.parametrize("key", ["plenary", "a"])
@pytest.mark.parametrize("who", USERS)
def test_permission_matrix(client, world, who, key):
    motions = _fixtures(world, key)
    with translation.override("en"):
        endpoints = _endpoints(world, key, motions)
    login(client, world, who)
    motions_before = Motion.objects.count()
    for label, method, url, data, allowed in endpoints:
        response = client.get(url) if method == "get" else client.post(url, data)
        where = f"{who} {key} {label}"
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], where
        elif who not in allowed:
            assert response.status_code == 404, where
        elif method == "get" and (label.endswith(" get")):
            assert response.status_code == 405, where  # POST only
        elif method == "get":
            assert response.status_code == 200, where
        else:
            assert response.status_code == 302, where
            assert "/accounts/login/" not in response["Location"], where
    for name, (before, after) in EXPECTED_STATES.items():
        expected = after if who in ALLOWED_FOR[name](key) else before
        assert state(motions[name]) == expected, f"{who} {key} {name}"
    created = 1 if who in CAN_OPEN[key] else 0
    assert Motion.objects.count() == motions_before + created


# Query budget -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["plenary", "a"])
def test_list_has_constant_query_count(client, world, key):
    login(client, world, "council_member")
    workspace = world["workspaces"][key]
    if key == "plenary":
        url = reverse("councils:motions", kwargs={"slug": "biomed"})
    else:
        url = reverse("councils:committee_motions", kwargs={"slug": "biomed", "committee_pk": workspace.pk})
    submitted(world, key, title="议案0")
    client.get(url)  # warm caches (session, locale)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200 and len(response.context["motions"]) == 1
    the_meeting = meeting(world, key)
    on_agenda(world, key, the_meeting, title="议案1")
    voting_in_writing(world, key, title="议案2")
    draft(world, key, title="议案3")
    submitted(world, key, who="secretary", title="议案4")
    withdrawn = submitted(world, key, title="议案5")
    services.withdraw_motion(actor=user(world, "council_member"), motion=withdrawn, reason="撤回")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["motions"]) == 6
    assert "议案4" in response.content.decode()
    assert len(many) == len(few)


def test_permission_functions_are_plain_bools(world):
    motion = submitted(world)
    for who in USERS[:-1]:
        answer = permissions.can_open_motion_vote(user(world, who), motion)
        assert type(answer) is bool
        assert answer is (who in POLL_CREATORS)


def test_motion_page_offers_only_permitted_actions(client, world):
    motion = on_agenda(world)
    with translation.override("en"):
        url = reverse("councils:motion", kwargs={"slug": "biomed", "pk": motion.pk})
        links = {
            name: reverse(f"councils:{name}", kwargs={"slug": "biomed", "pk": motion.pk})
            for name in ("motion_withdraw", "motion_agenda_remove", "motion_vote_meeting", "motion_vote_written")
        }
    expected = {
        "council_member": {"motion_withdraw"},
        "plenary_only": set(),
        "chair": {"motion_agenda_remove"},
        "secretary": {"motion_agenda_remove", "motion_vote_meeting", "motion_vote_written"},
    }
    for who, names in expected.items():
        login(client, world, who)
        page = client.get(url).content.decode()
        assert {name for name, link in links.items() if f'"{link}"' in page} == names, who
