"""The councils' lifecycles as declared on the models (portal.lifecycle): who is offered which transition, what a
refused transition says (in the reader's language), the action item's state machine, and that pages draw their
badges and buttons from the declaration."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from councils.models import ActionItemStatus, CampaignState, MeetingState, MotionState
from councils.services import feedback, meetings, motions
from portal import lifecycle
from tests.councils_world import build_world, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def user(world, who):
    return world["users"][who]


def scheduled_meeting(world, key="plenary"):
    starts = timezone.now() + datetime.timedelta(days=7)
    return meetings.schedule_meeting(
        actor=user(world, "secretary"),
        workspace=world["workspaces"][key],
        title="第一次全体会议",
        starts_at=starts,
        location="区政府三楼会议室",
    )


def names(actions):
    return [action.name for action in actions]


def test_the_meeting_offers_its_transitions_to_its_convener_only(world):
    scheduled = scheduled_meeting(world)
    offered = lifecycle.offered(scheduled, user(world, "secretary"))
    assert names(offered) == ["open"]  # cancelling takes a reason: its form is not a button
    assert offered[0].url == reverse("councils:meeting_open", kwargs={"slug": "biomed", "pk": scheduled.pk})
    assert offered[0].style == "primary"
    for who in ("council_member", "observer", "outsider"):
        assert lifecycle.offered(scheduled, user(world, who)) == []
    meetings.open_meeting(actor=user(world, "secretary"), meeting=scheduled)
    scheduled.refresh_from_db()
    assert names(lifecycle.offered(scheduled, user(world, "secretary"))) == ["close"]


def test_a_refused_transition_names_the_state_in_the_readers_language(world):
    scheduled = scheduled_meeting(world)
    meetings.cancel_meeting(actor=user(world, "secretary"), meeting=scheduled, reason="场地冲突")
    with pytest.raises(ValidationError) as refused:
        meetings.open_meeting(actor=user(world, "secretary"), meeting=scheduled)
    assert refused.value.code == "state"
    with translation.override("zh-hans"):
        assert "已取消" in refused.value.messages[0]
    with translation.override("en"):
        assert refused.value.messages[0] == "This cannot be done now: it is Cancelled."
    scheduled.refresh_from_db()
    assert scheduled.state == MeetingState.CANCELLED and scheduled.cancel_reason == "场地冲突"


def test_a_member_who_may_not_run_the_meeting_gets_no_transition(world):
    scheduled = scheduled_meeting(world)
    with pytest.raises(PermissionDenied):
        lifecycle.take(scheduled, "open", user(world, "council_member"))
    assert scheduled.state == MeetingState.SCHEDULED


def test_the_state_field_is_protected(world):
    scheduled = scheduled_meeting(world)
    with pytest.raises(AttributeError):
        scheduled.state = MeetingState.CLOSED


@pytest.mark.parametrize(
    ("who", "to", "allowed"),
    [
        ("council_member", ActionItemStatus.DONE, True),  # its owner marks it done
        ("council_member", ActionItemStatus.CANCELLED, False),  # but only the assigner cancels
        ("secretary", ActionItemStatus.CANCELLED, True),
        ("plenary_only", ActionItemStatus.DONE, False),  # another member may not touch it
    ],
)
def test_action_item_transitions_name_who_may_take_them(world, who, to, allowed):
    item = meetings.add_action_item(
        actor=user(world, "secretary"),
        workspace=world["council"],
        title="提交意见",
        owner=user(world, "council_member"),
    )
    transition = {ActionItemStatus.DONE: "complete", ActionItemStatus.CANCELLED: "cancel"}[to]
    assert lifecycle.allowed(item, transition, user(world, who)) is allowed


def test_action_item_lifecycle_done_reopened_cancelled(world):
    secretary, owner = user(world, "secretary"), user(world, "council_member")
    item = meetings.add_action_item(actor=secretary, workspace=world["council"], title="提交意见", owner=owner)
    item = meetings.set_action_item_status(actor=owner, item=item, status=ActionItemStatus.DONE)
    assert item.status == ActionItemStatus.DONE and item.completed_at is not None
    with pytest.raises(ValidationError) as refused:  # the owner cannot reopen it
        meetings.set_action_item_status(actor=owner, item=item, status=ActionItemStatus.OPEN)
    assert refused.value.code == "assigner"
    item = meetings.set_action_item_status(actor=secretary, item=item, status=ActionItemStatus.OPEN)
    assert item.status == ActionItemStatus.OPEN and item.completed_at is None
    item = meetings.set_action_item_status(actor=secretary, item=item, status=ActionItemStatus.CANCELLED)
    assert item.status == ActionItemStatus.CANCELLED
    assert names(lifecycle.offered(item, owner)) == []  # nothing to mark done on a cancelled item


def test_the_campaign_page_draws_its_buttons_and_badge_from_the_lifecycle(client, world):
    campaign = feedback.create_campaign(
        actor=user(world, "secretary"),
        workspace=world["council"],
        title="关于人才政策的评议",
        policy_name="坪山区人才政策",
        issuing_department="区人才工作局",
        policy_summary="请评价。",
    )
    url = campaign.get_absolute_url()
    open_url = reverse("councils:campaign_open", kwargs={"slug": "biomed", "pk": campaign.pk})
    close_url = reverse("councils:campaign_close", kwargs={"slug": "biomed", "pk": campaign.pk})
    page = login(client, world, "secretary").get(url).content.decode()
    assert f'action="{open_url}"' in page and close_url not in page
    assert 'class="tag tag--warn">草稿<' in page or 'class="tag tag--warn">Draft<' in page
    feedback.open_campaign(actor=user(world, "secretary"), campaign=campaign)
    page = client.get(url).content.decode()
    assert f'action="{close_url}"' in page and f'action="{open_url}"' not in page
    member_page = login(client, world, "council_member").get(url).content.decode()
    assert close_url not in member_page  # members answer; they are not offered the secretariat's transitions
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.OPEN


def test_state_badge_takes_the_declared_tone_and_label(world):
    scheduled = scheduled_meeting(world)
    template = Template("{% load lifecycle %}{% state_badge meeting %}")
    with translation.override("en"):
        assert template.render(Context({"meeting": scheduled})).strip() == '<span class="tag">Scheduled</span>'
    meetings.open_meeting(actor=user(world, "secretary"), meeting=scheduled)
    scheduled.refresh_from_db()
    with translation.override("zh-hans"):
        rendered = template.render(Context({"meeting": scheduled})).strip()
    assert rendered == '<span class="tag tag--good">进行中</span>'


def test_a_motion_vote_links_back_to_the_motion_for_those_who_may_see_it(client, world):
    motion = motions.draft_motion(
        actor=user(world, "council_member"), workspace=world["council"], title="设立工作组", text="决议"
    )
    motions.submit_motion(actor=user(world, "council_member"), motion=motion)
    closes = timezone.now() + datetime.timedelta(days=3)
    motion = motions.open_written_vote(actor=user(world, "secretary"), motion=motion, closes_at=closes)
    motion.refresh_from_db()
    assert motion.state == MotionState.VOTING
    page = login(client, world, "council_member").get(motion.poll.get_absolute_url()).content.decode()
    assert f'href="{motion.get_absolute_url()}"' in page
