"""The deal-list import's bulk path (funds.services.transfer): the preview and the apply ask the same number of
queries for 10 rows and for 200, and the bulk writes leave what the deal services leave one deal at a time: per deal
its deal room, its stage row, its audit entry and its history line; new organizations searchable; the fund's other
managers told once for the whole list."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.backends import get_search_backend
from wagtail.models import ModelLogEntry

from funds.models import Company, Deal, DealFolder, DealStage, Round, StageChange
from funds.services import transfer
from funds.verbs import FundVerb
from portal.history.models import Event
from portal.history.record import stream, timeline
from portal.notifications.models import Notification
from portal.organizations.models import Organization
from tests.funds_transfer_files import new_row, row, upload, xlsx
from tests.funds_world import FundWorld, make_company, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return FundWorld.build()


def changed_row(deal, **values):
    return row(**({"uscc": deal.company.organization.uscc, "round": "A轮", "source": "路演"} | values))


def rows_of(world, count, existing):
    """``count`` rows: one in five changes an existing deal, one in three of the others is screened."""
    updates = existing[: count // 5]
    new = count - len(updates)
    made = [new_row(owner="fund-manager", stage="初筛" if n % 3 == 0 else "") for n in range(new)]
    return made + [changed_row(deal, amount_requested=60000000 + n) for n, deal in enumerate(updates)]


def preview(world, data):
    return transfer.preview_import(actor=world.manager, fund=world.fund, upload=upload(data))


def test_preview_and_apply_ask_as_many_queries_for_10_as_for_200_rows(world, django_capture_on_commit_callbacks):
    existing = [make_deal(world, company=make_company(), round=Round.SERIES_A) for _ in range(42)]
    warm = preview(world, xlsx(rows_of(world, 10, existing[40:])))  # content types and the like cached after this
    transfer.apply_import(actor=world.manager, deal_import=warm)

    def queries(count, deals):
        data = xlsx(rows_of(world, count, deals))
        with CaptureQueriesContext(connection) as previewing:
            deal_import = preview(world, data)
        assert deal_import.preview["counts"]["refuse"] == 0
        with CaptureQueriesContext(connection) as applying, django_capture_on_commit_callbacks(execute=False):
            transfer.apply_import(actor=world.manager, deal_import=deal_import)
        deal_import.refresh_from_db()
        assert deal_import.applied_at is not None
        return len(previewing), len(applying)

    small = queries(10, existing[:2])
    large = queries(200, existing[:40])
    said = f"10 rows: {small} queries (preview, apply); 200 rows: {large}"
    assert large[0] == small[0], said
    # The apply writes each kind of row in bulk statements of at most transfer.BATCH rows (200 rows' deal rooms are
    # 800 folders: one statement more). SQLite takes at most 999 parameters a statement, so there Django splits a
    # bulk insert every 50 to 100 rows: a few more statements for 190 more rows, never one a row.
    bound = 1 if connection.vendor == "postgresql" else 15
    assert small[1] <= large[1] <= small[1] + bound, said
    assert small[1] < 40, said


def test_every_new_deal_gets_what_the_deal_service_gives_it(world):
    data = xlsx(
        [
            new_row(owner="fund-manager", summary="导入项目甲"),
            new_row(owner="fund-manager", stage="初筛", pre_money=900000000),
        ]
    )
    deal_import = preview(world, data)
    transfer.apply_import(actor=world.manager, deal_import=deal_import)

    sourced, screened = Deal.objects.filter(fund=world.fund).order_by("pk")
    assert (sourced.stage, sourced.owner, sourced.summary) == (DealStage.SOURCED, world.manager, "导入项目甲")
    assert (screened.stage, screened.pre_money) == (DealStage.SCREENING, Decimal("900000000"))
    for deal in (sourced, screened):
        assert list(deal.folders.values_list("name", flat=True)) == ["申请材料", "尽职调查", "投决", "协议", "投后"]
        assert deal.company.organization.kind == "enterprise"
    assert not sourced.stage_changes.exists()
    change = screened.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.actor) == (DealStage.SOURCED, DealStage.SCREENING, world.manager)
    assert [line.verb for line in timeline(sourced)] == [FundVerb.CREATED_DEAL]
    assert [line.verb for line in timeline(screened)] == [FundVerb.CREATED_DEAL, FundVerb.MOVED_DEAL]
    line = timeline(screened)[0]
    assert (line.actor, line.url, line.summary) == (world.manager, screened.get_absolute_url(), str(screened.company))
    assert FundVerb.IMPORTED_DEALS in [line.verb for line in stream(world.fund)]
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Deal), object_id__in=[str(sourced.pk), str(screened.pk)]
    )
    assert sorted(entries.values_list("action", flat=True)) == [
        "funds.create_deal",
        "funds.create_deal",
        "funds.move_deal",
    ]
    assert len({entry.uuid for entry in entries}) == 1 and {entry.user for entry in entries} == {world.manager}
    assert entries.filter(action="funds.create_deal", object_id=str(screened.pk)).get().data == {
        "company": str(screened.company),
        "round": Round.SERIES_A,
        "amount_requested": "30000000",
    }


def test_a_changed_deal_is_audited_and_an_unchanged_one_is_not(world):
    changing = make_deal(world, company=make_company(), round=Round.SERIES_A, amount="10000000")
    same = make_deal(world, company=make_company(), round=Round.SERIES_A, amount="20000000")
    Deal.objects.filter(pk=same.pk).update(owner=world.manager)
    data = xlsx(
        [
            changed_row(changing, amount_requested=50000000, owner="fund-manager", summary="新的摘要"),
            changed_row(same, amount_requested=20000000),
        ]
    )
    deal_import = preview(world, data)
    assert deal_import.preview["counts"] == {"create": 0, "update": 2, "refuse": 0}
    transfer.apply_import(actor=world.manager, deal_import=deal_import)

    changing.refresh_from_db()
    assert (changing.amount_requested, changing.owner, changing.summary) == (
        Decimal("50000000"),
        world.manager,
        "新的摘要",
    )
    assert changing.stage == DealStage.SCREENING  # an existing deal keeps its stage
    entry = ModelLogEntry.objects.get(action="funds.update_deal", object_id=str(changing.pk))
    assert sorted(entry.data["changed"]) == ["amount_requested", "owner", "summary"]
    assert [line.verb for line in timeline(changing)][-1] == FundVerb.UPDATED_DEAL
    assert not ModelLogEntry.objects.filter(action="funds.update_deal", object_id=str(same.pk)).exists()
    assert ModelLogEntry.objects.get(action="funds.apply_import").data == {"created": 0, "updated": 2, "companies": 0}


def test_the_other_managers_are_told_once_for_the_whole_list(world, django_capture_on_commit_callbacks):
    world.fund.managers.add(world.other_manager)
    deal_import = preview(world, xlsx([new_row() for _ in range(6)]))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transfer.apply_import(actor=world.manager, deal_import=deal_import)
    told = Notification.objects.filter(recipient=world.other_manager)
    assert told.count() == 1
    assert "6" in told.get().body and told.get().url.endswith(transfer.preview_url(deal_import))
    assert not Notification.objects.filter(recipient=world.manager).exists()  # who imported is not told
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.other_manager.email]


def test_new_organizations_are_searchable_and_existing_ones_get_a_profile_only(world):
    bare = make_company().organization
    Company.objects.filter(organization=bare).delete()
    data = xlsx([new_row(company="坪山检索测试生物有限公司"), new_row(company="", uscc=bare.uscc)])
    before = Organization.objects.count()
    transfer.apply_import(actor=world.manager, deal_import=preview(world, data))

    assert Organization.objects.count() == before + 1
    made = Organization.objects.get(name="坪山检索测试生物有限公司")
    assert list(get_search_backend().search("检索", Organization)) == [made]  # as a saved one would be
    assert Company.objects.filter(organization__in=[made, bare]).count() == 2
    assert DealFolder.objects.filter(deal__fund=world.fund).count() == 10
    assert not StageChange.objects.filter(deal__fund=world.fund).exists()
    assert Event.objects.filter(verb=FundVerb.CREATED_DEAL).count() == 2
