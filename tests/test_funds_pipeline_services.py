"""The deal services: create_deal (folders, validation, who may), move_deal (note, stale pages, double clicks,
concurrent managers), update_deal (amounts, lead, who may)."""

import threading
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import translation
from wagtail.models import ModelLogEntry

from funds.models import Deal, DealFolder, DealSource, DealStage, Round, StageChange
from funds.services import deals as services
from funds.verbs import FundVerb
from portal.history.models import Event
from portal.notifications.models import Notification
from tests.factories import UserFactory
from tests.funds_world import FundWorld, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return FundWorld.build()


def new_deal(world, actor=None, **overrides):
    arguments = {
        "actor": actor or world.manager,
        "fund": world.fund,
        "company": world.company,
        "round": Round.SERIES_A,
        "amount_requested": Decimal("30000000"),
        "source": DealSource.PARTNER,
    } | overrides
    return services.create_deal(**arguments)


def snapshot(deal):
    deal = Deal.objects.get(pk=deal.pk)
    return (deal.stage, deal.stage_entered_at, deal.stage_changes.count(), deal.amount_requested, deal.owner_id)


# create_deal ---------------------------------------------------------------------------------------------------------


def test_create_deal_makes_the_standard_folders_and_records(world):
    colleague = UserFactory(username="colleague")
    world.fund.managers.add(colleague)
    deal = new_deal(world, owner=world.manager, pre_money="120,000,000", summary="  首个管线进入临床  ")
    assert deal.stage == DealStage.SOURCED
    assert deal.pre_money == Decimal("120000000")
    assert deal.summary == "首个管线进入临床"
    folders = list(DealFolder.objects.filter(deal=deal).values_list("name", "name_en"))
    assert folders == list(services.STANDARD_FOLDERS)
    assert [name for name, _ in folders] == ["申请材料", "尽职调查", "投决", "协议", "投后"]
    assert ModelLogEntry.objects.filter(action="funds.create_deal", object_id=str(deal.pk)).exists()
    assert Event.objects.in_scope(world.fund).filter(verb=FundVerb.CREATED_DEAL).count() == 1
    assert Notification.objects.filter(recipient=colleague).count() == 1
    assert not Notification.objects.filter(recipient=world.manager).exists()  # not told what they did


@pytest.mark.parametrize("who", ["other_manager", "role_only", "ic_member", "ic_chair", "firm", "outsider"])
def test_only_the_funds_managers_create_deals(world, who):
    with pytest.raises(PermissionDenied):
        new_deal(world, actor=getattr(world, who))
    assert Deal.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount_requested": Decimal("-1")}, "amount_requested", "不能为负"),
        ({"amount_requested": "三千万"}, "amount_requested", "数字"),
        ({"amount_requested": "NaN"}, "amount_requested", "数字"),
        ({"amount_requested": ""}, "amount_requested", "金额"),
        ({"amount_requested": "1.234"}, "amount_requested", "2"),
        ({"pre_money": "-5"}, "pre_money", "不能为负"),
        ({"round": "series_z"}, "round", "轮次"),
        ({"source": "rumour"}, "source", "来源"),
        ({"company": None}, "company", "企业"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_created(world, overrides, field, message):
    with pytest.raises(ValidationError) as error:
        new_deal(world, **overrides)
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])
    assert Deal.objects.count() == 0
    assert DealFolder.objects.count() == 0


def test_bad_amount_reads_in_english_for_an_english_reader(world):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            new_deal(world, amount_requested="-3")
        assert error.value.message_dict["amount_requested"] == ["An amount cannot be negative."]


def test_the_lead_must_be_one_of_the_funds_managers(world):
    with pytest.raises(ValidationError) as error:
        new_deal(world, owner=world.other_manager)
    assert "owner" in error.value.message_dict
    assert Deal.objects.count() == 0


def test_a_second_open_deal_for_the_same_round_is_refused(world):
    new_deal(world)
    with pytest.raises(ValidationError) as error:
        new_deal(world)
    assert "company" in error.value.message_dict
    assert Deal.objects.count() == 1
    new_deal(world, round=Round.SERIES_B)  # another round is another deal
    assert Deal.objects.count() == 2


# move_deal -----------------------------------------------------------------------------------------------------------


def test_move_writes_the_history_row_and_tells_the_lead(world):
    lead = UserFactory(username="deal-lead")
    world.fund.managers.add(lead)
    deal = make_deal(world, stage=DealStage.SOURCED, owner=lead, days_in_stage=10)
    moved = services.move_deal(
        actor=world.manager, deal=deal, transition="screen", note=" 材料齐全 ", expected_stage=DealStage.SOURCED
    )
    assert moved.stage == DealStage.SCREENING
    assert moved.days_in_stage() == 0
    change = StageChange.objects.get(deal=deal)
    assert (change.from_stage, change.to_stage, change.actor, change.note) == (
        DealStage.SOURCED,
        DealStage.SCREENING,
        world.manager,
        "材料齐全",
    )
    assert change.at == Deal.objects.get(pk=deal.pk).stage_entered_at
    entry = ModelLogEntry.objects.get(action="funds.move_deal", object_id=str(deal.pk))
    assert entry.data["from"] == DealStage.SOURCED and entry.data["to"] == DealStage.SCREENING
    assert Event.objects.in_scope(world.fund).filter(verb=FundVerb.MOVED_DEAL).count() == 1
    told = Notification.objects.get(recipient=lead)
    assert "线索" in told.title and "初筛" in told.title and "材料齐全" in told.body


@pytest.mark.parametrize("note", ["", "   ", None])
def test_a_note_is_required(world, note):
    deal = make_deal(world, stage=DealStage.SOURCED)
    before = snapshot(deal)
    with pytest.raises(ValidationError) as error:
        services.move_deal(actor=world.manager, deal=deal, transition="screen", note=note)
    assert "note" in error.value.message_dict
    assert snapshot(deal) == before


def test_a_stale_page_is_told_who_moved_the_deal(world):
    deal = make_deal(world, stage=DealStage.SCREENING)
    colleague = UserFactory(username="li")
    world.fund.managers.add(colleague)
    services.move_deal(actor=colleague, deal=deal, transition="approve", note="立项", expected_stage="screening")
    before = snapshot(deal)
    with pytest.raises(ValidationError) as error:
        services.move_deal(actor=world.manager, deal=deal, transition="reject", note="不投", expected_stage="screening")
    assert error.value.code == "stale"
    text = " ".join(error.value.messages)
    assert "立项" in text and colleague.display_name in text and "未作任何更改" in text
    assert snapshot(deal) == before


def test_the_same_button_pressed_twice_moves_once(world):
    deal = make_deal(world, stage=DealStage.SOURCED)
    services.move_deal(actor=world.manager, deal=deal, transition="screen", note="一", expected_stage="sourced")
    with pytest.raises(ValidationError) as error:
        services.move_deal(actor=world.manager, deal=deal, transition="screen", note="一", expected_stage="sourced")
    assert error.value.code == "stale"
    # Without the page's stage the declaration itself refuses: the deal is no longer where "screen" starts.
    with pytest.raises(ValidationError) as again:
        services.move_deal(actor=world.manager, deal=deal, transition="screen", note="一")
    assert again.value.code == "state"
    assert StageChange.objects.filter(deal=deal).count() == 1


@pytest.mark.parametrize("name", ["delete", "save", "refresh_from_db", "__init__", "days_in_stage"])
def test_only_declared_transitions_can_be_named(world, name):
    deal = make_deal(world, stage=DealStage.SOURCED)
    with pytest.raises(ValidationError):
        services.move_deal(actor=world.manager, deal=deal, transition=name, note="x")
    assert Deal.objects.filter(pk=deal.pk, stage=DealStage.SOURCED).exists()


@pytest.mark.parametrize("who", ["other_manager", "role_only", "outsider", "firm"])
def test_people_without_the_deal_cannot_move_it(world, who):
    deal = make_deal(world, stage=DealStage.SOURCED)
    before = snapshot(deal)
    with pytest.raises(PermissionDenied):
        services.move_deal(actor=getattr(world, who), deal=deal, transition="screen", note="x")
    assert snapshot(deal) == before


def test_an_ic_member_who_sees_the_deal_still_cannot_move_it(world):
    from funds.models import AgendaItem, CommitteeMeeting

    deal = make_deal(world, stage=DealStage.COMMITTEE)
    meeting = CommitteeMeeting.objects.create(
        committee=world.committee, title="第一次投决会", starts_at=deal.created_at, created_by=world.manager
    )
    AgendaItem.objects.create(meeting=meeting, deal=deal)
    before = snapshot(deal)
    with pytest.raises(PermissionDenied):
        services.move_deal(actor=world.ic_member, deal=deal, transition="reject", note="x")
    assert snapshot(deal) == before


def test_guards_say_what_is_missing(world):
    deal = make_deal(world, stage=DealStage.DUE_DILIGENCE)
    with translation.override("en"):  # the messages are lazy: read them in the language under test
        with pytest.raises(ValidationError) as error:
            services.move_deal(actor=world.manager, deal=deal, transition="submit_to_committee", note="上会")
        messages = error.value.messages
    assert messages == [
        "The investment committee needs a closed review round on this deal.",
        "The investment committee needs a due diligence report in the deal room.",
    ]
    assert Deal.objects.get(pk=deal.pk).stage == DealStage.DUE_DILIGENCE


def test_hold_and_resume_return_to_the_stage_before(world):
    deal = make_deal(world, stage=DealStage.APPROVED)
    services.move_deal(actor=world.manager, deal=deal, transition="hold", note="企业补材料")
    assert Deal.objects.get(pk=deal.pk).stage_before_hold == DealStage.APPROVED
    resumed = services.move_deal(actor=world.manager, deal=deal, transition="resume", note="材料已到")
    assert resumed.stage == DealStage.APPROVED
    assert Deal.objects.get(pk=deal.pk).stage_before_hold == ""
    stages = list(StageChange.objects.filter(deal=deal).order_by("at", "pk").values_list("from_stage", "to_stage"))
    assert stages == [("approved", "on_hold"), ("on_hold", "approved")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL matter; SQLite serializes")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_moving_one_deal_at_once_one_wins():
    ContentType.objects.clear_cache()
    world = FundWorld.build()
    colleague = UserFactory(username="colleague")
    world.fund.managers.add(colleague)
    deal = make_deal(world, stage=DealStage.SCREENING)
    barrier = threading.Barrier(2)
    outcomes = {}

    def worker(actor, transition):
        try:
            barrier.wait()
            services.move_deal(
                actor=actor, deal=deal, transition=transition, note=transition, expected_stage=DealStage.SCREENING
            )
            outcomes[transition] = "moved"
        except ValidationError as error:
            outcomes[transition] = error.code
        except Exception as error:  # pragma: no cover - reported below
            outcomes[transition] = repr(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(world.manager, "approve")),
        threading.Thread(target=worker, args=(colleague, "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["moved", "stale"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "moved")
    deal.refresh_from_db()
    assert deal.stage == {"approve": DealStage.APPROVED, "reject": DealStage.REJECTED}[winner]
    assert StageChange.objects.filter(deal=deal).count() == 1


# update_deal ---------------------------------------------------------------------------------------------------------


def edit(world, deal, actor=None, **overrides):
    arguments = {
        "actor": actor or world.manager,
        "deal": deal,
        "owner": deal.owner,
        "amount_requested": deal.amount_requested,
        "pre_money": deal.pre_money,
        "round": deal.round,
        "summary": deal.summary,
    } | overrides
    return services.update_deal(**arguments)


def test_update_changes_the_fields_and_tells_the_new_lead(world):
    lead = UserFactory(username="new-lead")
    world.fund.managers.add(lead)
    deal = make_deal(world, stage=DealStage.SCREENING)
    changed = edit(world, deal, owner=lead, amount_requested="45000000", pre_money="200000000", round=Round.SERIES_B)
    assert (changed.owner, changed.amount_requested, changed.pre_money, changed.round) == (
        lead,
        Decimal("45000000"),
        Decimal("200000000"),
        Round.SERIES_B,
    )
    entry = ModelLogEntry.objects.get(action="funds.update_deal", object_id=str(deal.pk))
    assert set(entry.data["changed"]) == {"owner", "amount_requested", "pre_money", "round"}
    assert Notification.objects.filter(recipient=lead).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_requested": "-100"}, "amount_requested"),
        ({"amount_requested": "abc"}, "amount_requested"),
        ({"pre_money": "１２abc"}, "pre_money"),
        ({"round": "nope"}, "round"),
        ({"owner": "other_manager"}, "owner"),
    ],
)
def test_update_refuses_bad_values_and_changes_nothing(world, overrides, field):
    deal = make_deal(world, stage=DealStage.SCREENING)
    before = snapshot(deal)
    if overrides.get("owner"):
        overrides["owner"] = getattr(world, overrides["owner"])
    with pytest.raises(ValidationError) as error:
        edit(world, deal, **overrides)
    assert field in error.value.message_dict
    assert snapshot(deal) == before
    assert not ModelLogEntry.objects.filter(action="funds.update_deal").exists()


@pytest.mark.parametrize("who", ["other_manager", "role_only", "ic_member", "firm"])
def test_update_is_for_the_managers(world, who):
    deal = make_deal(world, stage=DealStage.SCREENING)
    before = snapshot(deal)
    with pytest.raises(PermissionDenied):
        edit(world, deal, actor=getattr(world, who), amount_requested="1")
    assert snapshot(deal) == before


def test_an_ended_deal_is_not_changed(world):
    deal = make_deal(world, stage=DealStage.REJECTED)
    with pytest.raises(ValidationError) as error:
        edit(world, deal, amount_requested="1")
    assert error.value.code == "ended"
    assert Deal.objects.get(pk=deal.pk).amount_requested == Decimal("30000000")
