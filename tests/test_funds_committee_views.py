"""The investment committee's pages: who may open each URL (others 404, anonymous to the login), refused POSTs change
nothing, and what the meeting page and the deal page's committee block show."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import AgendaItem, CommitteeMeeting, DealStage, Decision, MeetingState
from funds.services import committee as services
from portal.voting import services as voting
from portal.voting.models import Choice
from tests.funds_world import FundWorld, make_company, make_deal

pytestmark = pytest.mark.django_db

READERS = ("manager", "ic_chair", "ic_member")
STRANGERS = ("other_manager", "role_only", "firm", "outsider")


@pytest.fixture
def world():
    return FundWorld.build()


@pytest.fixture
def item(world):
    """A deal on the agenda of a meeting in progress."""
    meeting = services.convene_meeting(
        actor=world.manager,
        fund=world.fund,
        title="2026年第3次投决会",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        location="坪山区金融服务中心",
    )
    deal = make_deal(world, company=make_company(name="深圳坪山议程药业有限公司"), stage=DealStage.COMMITTEE)
    item = services.add_to_agenda(actor=world.manager, meeting=meeting, deal=deal)
    services.open_meeting(actor=world.manager, meeting=meeting)
    return AgendaItem.objects.select_related("meeting", "deal").get(pk=item.pk)


def url(name, world, pk=None):
    kwargs = {"fund": world.fund.slug}
    if pk is not None:
        kwargs["pk"] = pk
    return reverse(f"funds:{name}", kwargs=kwargs)


def state(item):
    """Everything a refused POST must leave as it was."""
    meeting = CommitteeMeeting.objects.get(pk=item.meeting_id)
    row = AgendaItem.objects.get(pk=item.pk)
    return (
        CommitteeMeeting.objects.count(),
        meeting.state,
        meeting.minutes,
        AgendaItem.objects.count(),
        row.poll_id,
        row.decision,
        row.opinion_id,
        sorted(row.recused.values_list("pk", flat=True)),
    )


# --- reading -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["committee", "committee_meeting"])
def test_managers_and_members_read_the_committee_pages_and_nobody_else(client, world, item, page):
    address = url(page, world, item.meeting_id if page == "committee_meeting" else None)
    assert client.get(address).status_code == 302  # anonymous: to the login page
    assert "/login/" in client.get(address)["Location"]
    for who in READERS:
        client.force_login(getattr(world, who))
        assert client.get(address).status_code == 200, who
    for who in STRANGERS:
        client.force_login(getattr(world, who))
        assert client.get(address).status_code == 404, who


def test_a_meeting_of_another_fund_is_404_under_this_funds_address(client, world, item):
    world.other_fund.managers.add(world.manager)
    client.force_login(world.manager)
    address = reverse("funds:committee_meeting", kwargs={"fund": world.other_fund.slug, "pk": item.meeting_id})
    assert client.get(address).status_code == 404


def test_the_convene_page_is_the_managers(client, world):
    address = url("committee_meeting_new", world)
    for who in ("ic_chair", "ic_member", *STRANGERS):
        client.force_login(getattr(world, who))
        assert client.get(address).status_code == 404, who
        assert client.post(address, {"title": "x", "starts_at": "2026-12-01T09:00"}).status_code == 404, who
    assert not CommitteeMeeting.objects.exists()
    client.force_login(world.manager)
    assert client.get(address).status_code == 200
    response = client.post(address, {"title": "  ", "starts_at": "not a date"})
    assert response.status_code == 200 and not CommitteeMeeting.objects.exists()
    response = client.post(address, {"title": "第4次投决会", "starts_at": "2026-12-01T09:00", "location": "坪山"})
    meeting = CommitteeMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()


# --- POSTs: who may, and a refused one changes nothing --------------------------------------------------------------

MANAGER_POSTS = [
    ("committee_minutes", "meeting", {"minutes": "纪要"}),
    ("committee_agenda_add", "meeting", {"deal": "0"}),
    ("committee_meeting_close", "meeting", {}),
    ("committee_meeting_cancel", "meeting", {}),
    ("committee_agenda_remove", "item", {}),
    ("committee_record_recusal", "item", {"member": "0"}),
    ("committee_open_vote", "item", {}),
    ("committee_decide", "item", {}),
    ("committee_opinion", "item", {"conditions": "x"}),
]


@pytest.mark.parametrize(("name", "target", "data"), MANAGER_POSTS)
def test_posts_of_the_managers_are_404_for_everyone_else(client, world, item, name, target, data):
    pk = item.meeting_id if target == "meeting" else item.pk
    address = url(name, world, pk)
    before = state(item)
    response = client.post(address, data)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for who in ("ic_chair", "ic_member", *STRANGERS):
        client.force_login(getattr(world, who))
        assert client.post(address, data).status_code == 404, who
    assert state(item) == before


def test_the_members_own_recusal_is_theirs_to_declare(client, world, item):
    address = url("committee_declare_conflict", world, item.pk)
    before = state(item)
    for who in STRANGERS:
        client.force_login(getattr(world, who))
        assert client.post(address).status_code == 404, who
    client.force_login(world.manager)  # manages the fund but has no vote: told so, nothing recorded
    response = client.post(address, follow=True)
    assert "Only a member" in response.content.decode() or "只有" in response.content.decode()
    assert state(item) == before
    client.force_login(world.ic_member)
    assert client.get(address).status_code == 405
    response = client.post(address)
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    assert list(AgendaItem.objects.get(pk=item.pk).recused.all()) == [world.ic_member]


def test_transitions_are_posts(client, world, item):
    client.force_login(world.manager)
    for name in ("committee_meeting_open", "committee_meeting_close", "committee_meeting_cancel"):
        assert client.get(url(name, world, item.meeting_id)).status_code == 405


# --- the whole flow through the pages ---------------------------------------------------------------------------------


def test_a_manager_runs_the_vote_and_drafts_the_opinion_through_the_pages(client, world, item):
    client.force_login(world.manager)
    meeting_url = item.meeting.get_absolute_url()
    client.post(url("committee_record_recusal", world, item.pk), {"member": world.ic_member.pk})
    assert list(AgendaItem.objects.get(pk=item.pk).recused.all()) == [world.ic_member]
    client.post(url("committee_open_vote", world, item.pk))
    item.refresh_from_db()
    assert item.poll is not None

    client.force_login(world.ic_chair)
    page = client.get(meeting_url).content.decode()
    assert item.poll.get_absolute_url() in page  # the chair votes on the voting engine's page
    voting.cast_ballot(actor=world.ic_chair, poll=item.poll, choice=Choice.YES)

    client.force_login(world.manager)
    response = client.post(url("committee_decide", world, item.pk), follow=True)
    item.refresh_from_db()
    item.deal.refresh_from_db()
    assert item.decision == Decision.APPROVED and item.deal.stage == DealStage.SIGNING
    assert response.redirect_chain[-1][0].endswith(f"{meeting_url}#item-{item.pk}")

    assert client.get(url("committee_opinion", world, item.pk)).status_code == 200
    response = client.post(url("committee_opinion", world, item.pk), {"conditions": "首期出资后六个月内落户坪山"})
    item.refresh_from_db()
    assert item.opinion is not None and response["Location"] == item.opinion.get_absolute_url()
    assert "首期出资后六个月内落户坪山" in item.opinion.body
    # Drafted once: the page sends the manager back to the meeting with a message.
    again = client.get(url("committee_opinion", world, item.pk))
    assert again.status_code == 302

    client.post(url("committee_minutes", world, item.meeting_id), {"minutes": "会议同意投资。"})
    client.post(url("committee_meeting_close", world, item.meeting_id))
    meeting = CommitteeMeeting.objects.get(pk=item.meeting_id)
    assert meeting.state == MeetingState.CLOSED and meeting.minutes == "会议同意投资。"


def test_bad_agenda_input_gets_a_message_and_changes_nothing(client, world, item):
    client.force_login(world.manager)
    dd = make_deal(world, stage=DealStage.DUE_DILIGENCE)
    before = state(item)
    response = client.post(url("committee_agenda_add", world, item.meeting_id), {"deal": dd.pk}, follow=True)
    assert response.status_code == 200
    assert "投资决策委员会阶段" in response.content.decode()
    response = client.post(url("committee_agenda_add", world, item.meeting_id), {"deal": "abc"}, follow=True)
    assert response.status_code == 200
    assert state(item) == before


def test_the_meeting_page_shows_the_agenda_with_amount_and_review_in_chinese_and_english(client, world, item):
    client.force_login(world.ic_member)
    page = client.get(item.meeting.get_absolute_url()).content.decode()
    assert "深圳坪山议程药业有限公司" in page and "3,000.00万元" in page
    assert "我有利益冲突" in page  # the member may declare a conflict before the vote
    assert reverse("funds:committee_open_vote", kwargs={"fund": world.fund.slug, "pk": item.pk}) not in page
    english = client.get("/en" + item.meeting.get_absolute_url()).content.decode()
    assert "RMB 30.00 million" in english and "I have a conflict of interest" in english


def test_the_manager_sees_the_agenda_form_with_committee_stage_deals_only(client, world, item):
    waiting = make_deal(world, company=make_company(name="待议公司"), stage=DealStage.COMMITTEE)
    make_deal(world, company=make_company(name="尽调中公司"), stage=DealStage.DUE_DILIGENCE)
    client.force_login(world.manager)
    response = client.get(item.meeting.get_absolute_url())
    choices = [deal.pk for deal in response.context["agenda_form"].fields["deal"].queryset]
    assert choices == [waiting.pk]


def test_the_deal_page_shows_the_decision_the_vote_and_the_opinion(client, world, item):
    services.open_vote(actor=world.manager, item=item)
    item.refresh_from_db()
    for user in (world.ic_chair, world.ic_member):
        voting.cast_ballot(actor=user, poll=item.poll, choice=Choice.YES)
    services.decide(actor=world.manager, item=item)
    opinion = services.draft_decision_opinion(actor=world.manager, item=item)
    client.force_login(world.manager)
    page = client.get(item.deal.get_absolute_url()).content.decode()
    assert 'id="committee"' in page
    assert item.meeting.get_absolute_url() in page and item.poll.get_absolute_url() in page
    assert opinion.get_absolute_url() in page
    # A member who cannot open the draft opinion sees no link to it.
    client.force_login(world.ic_member)
    page = client.get(item.deal.get_absolute_url()).content.decode()
    assert item.meeting.get_absolute_url() in page and opinion.get_absolute_url() not in page


def test_messages_read_in_the_users_language(client, world, item):
    client.force_login(world.manager)
    chinese = client.post(url("committee_minutes", world, item.meeting_id), {"minutes": "纪要"}, follow=True)
    assert "会议纪要已保存。" in chinese.content.decode()
    english = client.post("/en" + url("committee_open_vote", world, item.pk), follow=True).content.decode()
    assert "The vote is open." in english
