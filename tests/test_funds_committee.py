"""The investment committee's services: meetings, the agenda, recusals, the poll per deal, the decision and the deal's
move, the investment decision opinion (drafted by a manager, signed by the chair only)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from funds.models import AgendaItem, CommitteeMeeting, DealStage, Decision, MeetingState, StageChange
from funds.services import committee as services
from portal.opinions import services as opinion_services
from portal.opinions.models import Issuer, OpinionKind, OpinionState
from portal.reviews import testing as reviews
from portal.reviews.services.results import close_round
from portal.voting import services as voting
from portal.voting.models import Base, Choice, ElectorateEntry, Majority, PollState
from tests.factories import UserFactory
from tests.funds_world import FundWorld, make_company, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return FundWorld.build()


def codes(refused):
    """The codes of a refusal's messages (the messages themselves read in Chinese, the site's language)."""
    error = refused.value
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def convene(world, **overrides):
    values = {
        "title": "2026年第3次投决会",
        "starts_at": timezone.now() + datetime.timedelta(days=3),
        "location": "坪山",
    }
    return services.convene_meeting(actor=world.manager, fund=world.fund, **{**values, **overrides})


def committee_deal(world, name="深圳坪山测试药业有限公司", **fields):
    return make_deal(world, company=make_company(name=name), stage=DealStage.COMMITTEE, **fields)


def on_agenda(world, deal=None, *, opened=True):
    meeting = convene(world)
    item = services.add_to_agenda(actor=world.manager, meeting=meeting, deal=deal or committee_deal(world))
    if opened:
        services.open_meeting(actor=world.manager, meeting=meeting)
    return AgendaItem.objects.get(pk=item.pk)


def vote(world, item, *choices, absent=()):
    """Open the item's vote and cast ``choices`` for the chair, then the member (None: no ballot)."""
    item = services.open_vote(actor=world.manager, item=item, absent=absent)
    for user, choice in zip((world.ic_chair, world.ic_member), choices, strict=False):
        if choice is not None:
            voting.cast_ballot(actor=user, poll=item.poll, choice=choice)
    return item


def decided(world, *choices, deal=None):
    item = vote(world, on_agenda(world, deal), *choices)
    return services.decide(actor=world.manager, item=item)


# --- meetings ------------------------------------------------------------------------------------------------------


def test_a_manager_convenes_a_meeting_and_the_members_are_told(world):
    meeting = convene(world)
    assert meeting.committee == world.committee and meeting.state == MeetingState.SCHEDULED
    assert meeting.created_by == world.manager
    assert world.ic_member.notifications.filter(title__contains="2026年第3次投决会").exists()


@pytest.mark.parametrize("who", ["ic_member", "ic_chair", "other_manager", "role_only", "firm"])
def test_only_the_funds_managers_convene(world, who):
    with pytest.raises(PermissionDenied):
        services.convene_meeting(
            actor=getattr(world, who), fund=world.fund, title="x", starts_at=timezone.now(), location=""
        )
    assert not CommitteeMeeting.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [({"title": "   "}, "title"), ({"starts_at": None}, "starts_at"), ({"title": "长" * 201}, "title")],
)
def test_bad_meeting_input_is_refused_with_nothing_written(world, values, field):
    with pytest.raises(ValidationError) as refused:
        convene(world, **values)
    assert field in refused.value.error_dict
    assert not CommitteeMeeting.objects.exists()


def test_a_fund_without_a_committee_cannot_convene(world):
    world.other_fund.managers.add(world.manager)
    with pytest.raises(ValidationError):
        services.convene_meeting(actor=world.manager, fund=world.other_fund, title="x", starts_at=timezone.now())


def test_meeting_lifecycle_open_close_and_cancel(world):
    meeting = convene(world)
    with pytest.raises(PermissionDenied):
        services.open_meeting(actor=world.ic_chair, meeting=meeting)
    meeting = services.open_meeting(actor=world.manager, meeting=meeting)
    assert meeting.state == MeetingState.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.open_meeting(actor=world.manager, meeting=meeting)  # the same button twice
    with pytest.raises(ValidationError):
        services.cancel_meeting(actor=world.manager, meeting=meeting)  # only before it opens
    meeting = services.close_meeting(actor=world.manager, meeting=meeting)
    assert meeting.state == MeetingState.CLOSED and meeting.closed_at is not None

    other = convene(world)
    assert services.cancel_meeting(actor=world.manager, meeting=other).state == MeetingState.CANCELLED


def test_a_meeting_does_not_close_while_a_vote_is_open(world):
    item = vote(world, on_agenda(world))
    with pytest.raises(ValidationError) as refused:
        services.close_meeting(actor=world.manager, meeting=item.meeting)
    assert codes(refused) == {"open_vote"}
    assert CommitteeMeeting.objects.get(pk=item.meeting_id).state == MeetingState.IN_PROGRESS


def test_minutes_are_written_once_the_meeting_has_opened(world):
    meeting = convene(world)
    with pytest.raises(ValidationError):
        services.save_minutes(actor=world.manager, meeting=meeting, minutes="会议纪要")
    services.open_meeting(actor=world.manager, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.save_minutes(actor=world.ic_member, meeting=meeting, minutes="x")
    services.save_minutes(actor=world.manager, meeting=meeting, minutes="  会议审议了两个项目。 ")
    assert CommitteeMeeting.objects.get(pk=meeting.pk).minutes == "会议审议了两个项目。"


# --- the agenda ----------------------------------------------------------------------------------------------------


def test_deals_in_the_committee_stage_go_on_the_agenda_in_order(world):
    meeting = convene(world)
    first = services.add_to_agenda(actor=world.manager, meeting=meeting, deal=committee_deal(world, "甲公司"))
    second = services.add_to_agenda(actor=world.manager, meeting=meeting, deal=committee_deal(world, "乙公司"))
    assert (first.order, second.order) == (1, 2)
    assert list(meeting.items.values_list("pk", flat=True)) == [first.pk, second.pk]


@pytest.mark.parametrize("stage", [DealStage.DUE_DILIGENCE, DealStage.SIGNING, DealStage.REJECTED])
def test_only_a_deal_in_the_committee_stage_goes_on_the_agenda(world, stage):
    meeting = convene(world)
    deal = make_deal(world, stage=stage)
    with pytest.raises(ValidationError) as refused:
        services.add_to_agenda(actor=world.manager, meeting=meeting, deal=deal)
    assert "deal" in refused.value.error_dict
    assert not AgendaItem.objects.exists()


def test_the_agenda_refuses_another_funds_deal_a_deal_twice_and_a_closed_meeting(world):
    meeting = convene(world)
    foreign = make_deal(world.other_fund, stage=DealStage.COMMITTEE)
    with pytest.raises(ValidationError) as refused:
        services.add_to_agenda(actor=world.manager, meeting=meeting, deal=foreign)
    assert codes(refused) == {"fund"}
    deal = committee_deal(world)
    services.add_to_agenda(actor=world.manager, meeting=meeting, deal=deal)
    with pytest.raises(ValidationError) as refused:
        services.add_to_agenda(actor=world.manager, meeting=meeting, deal=deal)
    assert codes(refused) == {"twice"}
    services.open_meeting(actor=world.manager, meeting=meeting)
    services.close_meeting(actor=world.manager, meeting=meeting)
    with pytest.raises(ValidationError):
        services.add_to_agenda(actor=world.manager, meeting=meeting, deal=committee_deal(world, "丙公司"))
    assert AgendaItem.objects.count() == 1


def test_members_and_other_managers_do_not_set_the_agenda(world):
    meeting = convene(world)
    deal = committee_deal(world)
    for user in (world.ic_chair, world.ic_member, world.other_manager, world.role_only):
        with pytest.raises(PermissionDenied):
            services.add_to_agenda(actor=user, meeting=meeting, deal=deal)
    assert not AgendaItem.objects.exists()


def test_a_deal_leaves_the_agenda_only_before_its_vote(world):
    item = on_agenda(world)
    services.remove_from_agenda(actor=world.manager, item=item)
    assert not AgendaItem.objects.exists()
    item = vote(world, on_agenda(world, committee_deal(world, "丁公司")))
    with pytest.raises(ValidationError):
        services.remove_from_agenda(actor=world.manager, item=item)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_the_review_summary_is_the_closed_rounds_aggregate(world):
    deal = committee_deal(world)
    assert services.review_summary(deal) is None
    review_round = reviews.open_round(world.manager, world.fund, subject=deal, min_scores=3, spread_threshold=5)
    for scores in ((9, 9, 9), (2, 2, 2)):
        expert = reviews.make_expert(user=UserFactory())
        reviews.submit(reviews.cleared_assignment(world.manager, review_round, expert), *scores)
    close_round(actor=world.manager, review_round=review_round, reason="两位专家已足够")
    summary = services.review_summary(deal)
    assert summary["round"] == review_round
    assert summary["aggregate"].count == 2
    assert summary["aggregate"].spread == Decimal("7.00")
    assert summary["aggregate"].dispersed is True
    assert summary["sufficient"] is False


# --- recusals and the poll -----------------------------------------------------------------------------------------


def test_the_electorate_is_the_members_and_chair_minus_the_recused(world):
    third = UserFactory(username="ic-third")
    world.committee.members.add(third)
    world.committee.members.remove(world.ic_chair)  # the chair votes though not listed among the members
    item = on_agenda(world)
    services.recuse(actor=world.ic_member, item=item)  # declares their own conflict
    item = services.open_vote(actor=world.manager, item=item)
    poll = item.poll
    voters = set(ElectorateEntry.objects.filter(poll=poll).values_list("user__username", flat=True))
    assert voters == {"ic-chair", "ic-third"}
    assert poll.owner == world.committee and poll.subject == item.deal
    assert poll.state == PollState.OPEN


def test_the_poll_follows_the_committees_rules(world):
    world.committee.majority = Majority.SIMPLE
    world.committee.base = Base.YES_NO
    world.committee.quorum_numerator, world.committee.quorum_denominator = 1, 2
    world.committee.secret = True
    world.committee.save()
    poll = vote(world, on_agenda(world)).poll
    assert (poll.majority, poll.base, poll.quorum_numerator, poll.quorum_denominator, poll.secret) == (
        Majority.SIMPLE,
        Base.YES_NO,
        1,
        2,
        True,
    )


def test_a_manager_records_a_members_recusal_and_nobody_else_does(world):
    item = on_agenda(world)
    with pytest.raises(PermissionDenied):
        services.recuse(actor=world.ic_chair, item=item, member=world.ic_member)
    with pytest.raises(PermissionDenied):
        services.recuse(actor=world.other_manager, item=item, member=world.ic_member)
    with pytest.raises(PermissionDenied):
        services.recuse(actor=world.firm, item=item)
    assert not item.recused.exists()
    services.recuse(actor=world.manager, item=item, member=world.ic_member)
    assert list(item.recused.all()) == [world.ic_member]
    with pytest.raises(ValidationError) as refused:
        services.recuse(actor=world.ic_member, item=item)
    assert codes(refused) == {"twice"}
    with pytest.raises(ValidationError):
        services.recuse(actor=world.manager, item=item, member=world.firm)  # not a member
    assert item.recused.count() == 1


def test_no_recusal_once_the_vote_has_opened(world):
    item = vote(world, on_agenda(world))
    with pytest.raises(ValidationError) as refused:
        services.recuse(actor=world.ic_member, item=item)
    assert codes(refused) == {"voting"}
    assert not item.recused.exists()


def test_the_vote_opens_only_while_the_meeting_is_in_progress_and_once(world):
    item = on_agenda(world, opened=False)
    with pytest.raises(ValidationError):
        services.open_vote(actor=world.manager, item=item)
    services.open_meeting(actor=world.manager, meeting=item.meeting)
    with pytest.raises(PermissionDenied):
        services.open_vote(actor=world.ic_chair, item=item)
    services.open_vote(actor=world.manager, item=item)
    with pytest.raises(ValidationError):
        services.open_vote(actor=world.manager, item=item)
    assert AgendaItem.objects.get(pk=item.pk).poll is not None


# --- the decision and the deal's move ------------------------------------------------------------------------------


def test_a_passed_vote_approves_and_moves_the_deal_to_signing(world):
    item = decided(world, Choice.YES, Choice.YES)
    item.refresh_from_db()
    assert item.decision == Decision.APPROVED and item.decided_at is not None
    assert item.poll.state == PollState.CLOSED and item.poll.passed
    deal = item.deal
    deal.refresh_from_db()
    assert deal.stage == DealStage.SIGNING
    change = StageChange.objects.get(deal=deal, to_stage=DealStage.SIGNING)
    assert change.from_stage == DealStage.COMMITTEE and change.actor == world.manager
    assert "2" in change.note and "投资决策委员会" in change.note


def test_a_failed_vote_declines_and_rejects_the_deal(world):
    item = decided(world, Choice.YES, Choice.NO)  # two-thirds of the electorate of two needs both
    item.refresh_from_db()
    assert item.decision == Decision.DECLINED
    item.deal.refresh_from_db()
    assert item.deal.stage == DealStage.REJECTED


def test_without_the_quorum_the_deal_is_declined(world):
    # Two thirds of two members must take part; the member is absent, so the chair's yes cannot carry it.
    item = vote(world, on_agenda(world), Choice.YES, absent=[world.ic_member])
    entry = ElectorateEntry.objects.get(poll=item.poll, user=world.ic_member)
    assert entry.present is False
    with pytest.raises(PermissionDenied):
        voting.cast_ballot(actor=world.ic_member, poll=item.poll, choice=Choice.NO)  # no ballot when absent
    item = services.decide(actor=world.manager, item=item)
    item.refresh_from_db()
    assert item.decision == Decision.DECLINED and item.poll.quorum_met is False
    assert "法定人数" in StageChange.objects.get(deal=item.deal).note


def test_a_vote_closed_on_the_voting_page_is_recorded_afterwards(world):
    item = vote(world, on_agenda(world), Choice.YES, Choice.YES)
    voting.close_poll(actor=world.manager, poll=item.poll)
    item = services.decide(actor=world.manager, item=item)
    assert item.decision == Decision.APPROVED
    item.deal.refresh_from_db()
    assert item.deal.stage == DealStage.SIGNING


def test_the_decision_is_recorded_once_and_only_by_a_manager(world):
    item = vote(world, on_agenda(world), Choice.YES, Choice.YES)
    for user in (world.ic_chair, world.ic_member, world.other_manager):
        with pytest.raises(PermissionDenied):
            services.decide(actor=user, item=item)
    item.poll.refresh_from_db()
    assert item.poll.state == PollState.OPEN
    services.decide(actor=world.manager, item=item)
    with pytest.raises(ValidationError) as refused:
        services.decide(actor=world.manager, item=item)
    assert codes(refused) == {"decided"}
    assert StageChange.objects.filter(deal=item.deal).count() == 1


def test_no_decision_without_a_vote(world):
    item = on_agenda(world)
    with pytest.raises(ValidationError):
        services.decide(actor=world.manager, item=item)
    assert AgendaItem.objects.get(pk=item.pk).decision == Decision.PENDING


def test_a_deal_withdrawn_during_the_vote_keeps_its_stage_and_the_decision_stands(world):
    from funds.models import Deal

    item = vote(world, on_agenda(world), Choice.YES, Choice.YES)
    Deal.objects.filter(pk=item.deal_id).update(stage=DealStage.WITHDRAWN)
    item = services.decide(actor=world.manager, item=item)
    assert item.decision == Decision.APPROVED
    assert Deal.objects.get(pk=item.deal_id).stage == DealStage.WITHDRAWN


# --- the investment decision opinion -------------------------------------------------------------------------------


def test_a_manager_drafts_the_opinion_signed_by_the_chair(world):
    item = decided(world, Choice.YES, Choice.YES, deal=committee_deal(world, amount="35000000"))
    opinion = services.draft_decision_opinion(actor=world.manager, item=item, conditions="分两期出资\n\n落户坪山")
    assert opinion.kind == OpinionKind.INVESTMENT_DECISION and opinion.state == OpinionState.DRAFT
    assert opinion.issuer == world.committee.issuer and opinion.subject == item.deal
    assert [entry.user for entry in opinion.sign_offs.all()] == [world.ic_chair]
    assert AgendaItem.objects.get(pk=item.pk).opinion == opinion
    body = opinion.body
    for expected in ("深圳坪山测试药业有限公司", "3,500.00万元", "同意", "分两期出资", "落户坪山"):
        assert expected in body, expected
    assert "投资决策意见" in opinion.title


def test_only_the_chair_signs_the_opinion(world):
    item = decided(world, Choice.YES, Choice.YES)
    opinion = services.draft_decision_opinion(actor=world.manager, item=item)
    opinion_services.submit_for_review(actor=world.manager, opinion=opinion)
    for user in (world.manager, world.ic_member, world.other_manager):
        with pytest.raises(PermissionDenied):
            opinion_services.sign_off(actor=user, opinion=opinion, approve=True)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.IN_REVIEW
    opinion_services.sign_off(actor=world.ic_chair, opinion=opinion, approve=True)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.APPROVED


def test_a_manager_cannot_name_themselves_the_only_signatory(world):
    # The drafter is never the only approver: the engine refuses a sign-off list of the manager alone.
    item = decided(world, Choice.YES, Choice.YES)
    opinion = services.draft_decision_opinion(actor=world.manager, item=item)
    with pytest.raises(ValidationError):
        opinion_services.update_draft(
            actor=world.manager,
            opinion=opinion,
            title=opinion.title,
            body=opinion.body,
            kind=opinion.kind,
            addressee="",
            is_public=False,
            signatories=[world.manager],
        )


def test_a_declined_deal_gets_its_opinion_too(world):
    item = decided(world, Choice.NO, Choice.NO)
    opinion = services.draft_decision_opinion(actor=world.manager, item=item)
    assert "不同意" in opinion.body


def test_the_opinion_is_drafted_after_the_decision_once_and_by_a_manager(world):
    item = vote(world, on_agenda(world), Choice.YES, Choice.YES)
    with pytest.raises(ValidationError):
        services.draft_decision_opinion(actor=world.manager, item=item)
    services.decide(actor=world.manager, item=item)
    with pytest.raises(PermissionDenied):
        services.draft_decision_opinion(actor=world.ic_chair, item=item)
    services.draft_decision_opinion(actor=world.manager, item=item)
    with pytest.raises(ValidationError):
        services.draft_decision_opinion(actor=world.manager, item=item)
    assert world.committee.issuer.opinions.count() == 1


def test_the_committees_issuer_is_set_up_when_it_has_none(world):
    unused = world.committee.issuer
    world.committee.issuer = None
    world.committee.save()
    unused.delete()
    item = decided(world, Choice.YES, Choice.YES)
    opinion = services.draft_decision_opinion(actor=world.manager, item=item)
    world.committee.refresh_from_db()
    issuer = world.committee.issuer
    assert opinion.issuer == issuer and issuer.owner == world.committee
    assert issuer.number_prefix == "坪生医基投决"
    assert services.committee_issuer(world.committee) == issuer  # idempotent: the demo may call it again
    assert Issuer.objects.filter(number_prefix__startswith="坪生医基投决").count() == 1


def test_an_issuer_the_committee_already_owns_is_linked_not_duplicated(world):
    owned = world.committee.issuer
    world.committee.issuer = None
    world.committee.save()
    assert services.committee_issuer(world.committee, actor=world.manager) == owned
    world.committee.refresh_from_db()
    assert world.committee.issuer == owned and Issuer.objects.count() == 1
