"""The deal's stage lifecycle, read from its declaration: every transition from every stage it starts from is taken
(with what its guards need), every transition from every other stage is refused in the reader's language, the guards
say what is missing, only the fund's managers move deals, every move needs a note and leaves a history row."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from funds.models import (
    AgendaItem,
    CommitteeMeeting,
    Deal,
    DealDocument,
    DealStage,
    DealTerms,
    Decision,
    Disbursement,
    DocumentKind,
    Exit,
    ExitKind,
    Instrument,
    StageChange,
)
from funds.services import deals as services
from portal import lifecycle
from portal.reviews.models import ReviewRound, RoundState, Rubric
from tests.funds_world import FundWorld, make_deal

pytestmark = pytest.mark.django_db

STAGE = Deal._meta.get_field("stage")
DECLARED = [(transition.source, transition.name) for transition in STAGE.get_all_transitions(Deal)]
NAMES = sorted({name for _, name in DECLARED})
REFUSED = [(stage, name) for stage in DealStage.values for name in NAMES if (stage, name) not in DECLARED]
OUTSIDERS = ("other_manager", "role_only", "ic_member", "ic_chair", "firm", "outsider")


@pytest.fixture
def world():
    return FundWorld.build()


def document(world, deal, kind):
    return DealDocument.objects.create(
        deal=deal,
        folder=deal.folders.first(),
        kind=kind,
        title=str(kind.label),
        file="funds/deals/test",
        original_name="test.pdf",
        size=1,
        content_type="application/pdf",
        sha256="0" * 64,
        uploaded_by=world.manager,
    )


def closed_review_round(world, deal):
    review = ReviewRound.objects.create(
        content_type=ContentType.objects.get_for_model(Deal),
        object_id=deal.pk,
        title="项目评审",
        rubric=Rubric.objects.create(name="生物医药评审表"),
        deadline=timezone.now(),
        owner_type=ContentType.objects.get_for_model(world.fund),
        owner_id=str(world.fund.pk),
    )
    ReviewRound.objects.filter(pk=review.pk).update(state=RoundState.CLOSED)  # protected field: as a fixture


def approved_by_committee(world, deal):
    meeting = CommitteeMeeting.objects.create(
        committee=world.committee, title="投决会", starts_at=timezone.now(), created_by=world.manager
    )
    AgendaItem.objects.create(meeting=meeting, deal=deal, decision=Decision.APPROVED, decided_at=timezone.now())


def signed_terms(world, deal):
    DealTerms.objects.create(
        deal=deal,
        amount=Decimal("20000000"),
        instrument=Instrument.PREFERRED,
        pre_money=Decimal("200000000"),
        ownership=Decimal("9.0909"),
        signed_on=datetime.date(2026, 6, 1),
        signed_document=document(world, deal, DocumentKind.SIGNED_AGREEMENT),
    )


def paid_tranche(world, deal):
    day = datetime.date(2026, 7, 1)
    Disbursement.objects.create(
        deal=deal, number=1, planned_on=day, planned_amount=Decimal("1e7"), paid_on=day, paid_amount=Decimal("1e7")
    )


def recorded_exit(world, deal):
    Exit.objects.create(deal=deal, exited_on=datetime.date(2030, 1, 1), proceeds=Decimal("6e7"), kind=ExitKind.IPO)


# What each guarded transition needs before it may be taken.
PREPARE = {
    "submit_to_committee": lambda world, deal: (
        closed_review_round(world, deal),
        document(world, deal, DocumentKind.DD_REPORT),
    ),
    "proceed_to_signing": approved_by_committee,
    "start_disbursement": signed_terms,
    "enter_portfolio": paid_tranche,
    "close_exited": recorded_exit,
}


def deal_at(world, stage, name=None):
    extra = {"stage_before_hold": DealStage.DUE_DILIGENCE} if stage == DealStage.ON_HOLD else {}
    deal = make_deal(world, stage=stage, **extra)
    if name in PREPARE:
        PREPARE[name](world, deal)
    return Deal.objects.get(pk=deal.pk)


def expected_target(stage, name):
    transition = getattr(Deal, name)._django_fsm.get_transition(stage)
    if name == "resume":
        return DealStage.DUE_DILIGENCE  # the stage before the hold (deal_at puts it on hold from there)
    return transition.target


def test_the_declaration_covers_the_pipeline():
    """Every stage but the ends has a way on, and every transition is offered as a button with a note form."""
    sources = {stage for stage, _ in DECLARED}
    assert sources == set(DealStage.values) - {DealStage.EXITED, DealStage.WRITTEN_OFF, DealStage.REJECTED} - {
        DealStage.WITHDRAWN
    }
    for transition in STAGE.get_all_transitions(Deal):
        assert transition.custom["label"] and transition.custom["view"] == "funds:deal_move"
        assert transition.custom["named"] is True


TAKEN = [pytest.param(stage, name, id=f"{stage}-{name}") for stage, name in DECLARED]


@pytest.mark.parametrize(("stage", "name"), TAKEN)
def test_every_declared_transition_is_taken_by_a_manager(world, stage, name):
    deal = deal_at(world, stage, name)
    moved = services.move_deal(
        actor=world.manager, deal=deal, transition=name, note=f"{name} 说明", expected_stage=stage
    )
    assert moved.stage == expected_target(stage, name)
    change = StageChange.objects.get(deal=deal)
    assert (change.from_stage, change.to_stage, change.actor, change.note) == (
        stage,
        moved.stage,
        world.manager,
        f"{name} 说明",
    )
    assert lifecycle.allowed(deal, name, world.manager) is True


@pytest.mark.parametrize(("stage", "name"), DECLARED, ids=[f"{s}-{n}" for s, n in DECLARED])
def test_nobody_else_takes_it(world, stage, name):
    deal = deal_at(world, stage, name)
    for who in OUTSIDERS:
        with pytest.raises(PermissionDenied):
            services.move_deal(actor=getattr(world, who), deal=deal, transition=name, note="x", expected_stage=stage)
    assert Deal.objects.get(pk=deal.pk).stage == stage
    assert not StageChange.objects.filter(deal=deal).exists()


@pytest.mark.parametrize(("stage", "name"), REFUSED, ids=[f"{s}-{n}" for s, n in REFUSED])
def test_every_other_transition_is_refused_with_the_stage_named(world, stage, name):
    deal = deal_at(world, stage)
    with translation.override("en"):  # the messages are lazy: read them in the language under test
        with pytest.raises(ValidationError) as error:
            services.move_deal(actor=world.manager, deal=deal, transition=name, note="x")
        assert error.value.code == "state"
        assert error.value.messages == [f"This cannot be done now: it is {DealStage(stage).label}."]
    assert Deal.objects.get(pk=deal.pk).stage == stage
    assert not StageChange.objects.filter(deal=deal).exists()
    assert lifecycle.allowed(deal, name, world.manager) is False


def test_a_refusal_reads_in_chinese(world):
    deal = deal_at(world, DealStage.SOURCED)
    with pytest.raises(ValidationError) as error:
        services.move_deal(actor=world.manager, deal=deal, transition="write_off", note="x")
    assert error.value.messages == ["当前无法进行此操作：状态为「线索」。"]


GUARDS = {
    ("due_diligence", "submit_to_committee"): [
        "The investment committee needs a closed review round on this deal.",
        "The investment committee needs a due diligence report in the deal room.",
    ],
    ("committee", "proceed_to_signing"): ["Only a deal the investment committee approved goes to signing."],
    ("signing", "start_disbursement"): [
        "Disbursement needs signed terms: record the signing date and upload the signed agreement."
    ],
    ("disbursement", "enter_portfolio"): ["A deal enters the portfolio once a tranche has been paid."],
    ("portfolio", "close_exited"): ["Record the exit (date, proceeds and type) first."],
}


@pytest.mark.parametrize(("stage", "name"), list(GUARDS), ids=[n for _, n in GUARDS])
def test_guards_say_what_is_missing(world, stage, name):
    deal = deal_at(world, stage)
    with translation.override("en"):
        assert [str(message) for message in lifecycle.blockers(deal, name)] == GUARDS[(stage, name)]
        with pytest.raises(ValidationError) as error:
            services.move_deal(actor=world.manager, deal=deal, transition=name, note="x")
        assert error.value.messages == GUARDS[(stage, name)]
    assert Deal.objects.get(pk=deal.pk).stage == stage
    assert lifecycle.allowed(deal, name, world.manager) is False


def test_half_of_what_the_committee_needs_is_not_enough(world):
    deal = deal_at(world, DealStage.DUE_DILIGENCE)
    document(world, deal, DocumentKind.DD_REPORT)
    with translation.override("en"):
        assert [str(m) for m in lifecycle.blockers(deal, "submit_to_committee")] == [
            "The investment committee needs a closed review round on this deal."
        ]


def test_a_declined_committee_item_does_not_open_signing(world):
    deal = deal_at(world, DealStage.COMMITTEE)
    meeting = CommitteeMeeting.objects.create(
        committee=world.committee, title="投决会", starts_at=timezone.now(), created_by=world.manager
    )
    AgendaItem.objects.create(meeting=meeting, deal=deal, decision=Decision.DECLINED)
    assert lifecycle.blockers(deal, "proceed_to_signing")


@pytest.mark.parametrize(("stage", "name"), DECLARED[:6], ids=[f"{s}-{n}" for s, n in DECLARED[:6]])
def test_every_move_needs_a_note(world, stage, name):
    deal = deal_at(world, stage, name)
    with pytest.raises(ValidationError) as error:
        services.move_deal(actor=world.manager, deal=deal, transition=name, note="  ")
    assert "note" in error.value.message_dict
    assert Deal.objects.get(pk=deal.pk).stage == stage


def test_the_firm_cannot_withdraw_a_deal_it_did_not_apply_for(world):
    deal = make_deal(world, stage=DealStage.SCREENING, company=world.company)  # the firm acts for the company
    with pytest.raises(PermissionDenied):
        services.move_deal(actor=world.firm, deal=deal, transition="withdraw", note="撤回")
    assert Deal.objects.get(pk=deal.pk).stage == DealStage.SCREENING


def test_the_stage_is_written_only_by_transitions(world):
    deal = deal_at(world, DealStage.SCREENING)
    with pytest.raises(AttributeError):
        deal.stage = DealStage.PORTFOLIO
