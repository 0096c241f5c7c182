"""Importing a deal list (funds.services.transfer): the dry-run preview row by row, bad files and bad rows refused
with reasons in both languages and nothing written, and the confirm that applies all or nothing, once."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import translation
from wagtail.models import ModelLogEntry

from funds import deal_lists
from funds.models import Company, Deal, DealImport, DealSource, DealStage, DevelopmentStage, Round, StageChange
from funds.services import transfer
from funds.verbs import FundVerb
from portal.history.models import Event
from portal.organizations.models import Organization
from tests.factories import OrganizationFactory, make_uscc
from tests.funds_transfer_files import KEYS, csv, headers, new_row, upload, xlsx
from tests.funds_world import FundWorld, make_company, make_deal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return FundWorld.build()


def snapshot():
    """What an import may write: every count must stay put when it is refused."""
    return {
        model.__name__: model.objects.count() for model in (Deal, Company, Organization, StageChange, DealImport, Event)
    }


def preview(world, data, name="项目清单.xlsx", actor=None):
    return transfer.preview_import(actor=actor or world.manager, fund=world.fund, upload=upload(data, name))


def reasons(deal_import, line, language="zh-hans"):
    found = next(item for item in deal_import.preview["rows"] if item["line"] == line)
    return [reason[language] for reason in found["reasons"]]


def outcomes(deal_import):
    return [item["outcome"] for item in deal_import.preview["rows"]]


# --- the preview ----------------------------------------------------------------------------------------------


def test_the_preview_says_create_or_update_per_row_and_writes_nothing_but_itself(world):
    existing = make_deal(world, company=world.company, round=Round.SERIES_A, amount="10000000")
    known = make_company(name="坪山已登记器械有限公司")
    before = snapshot()
    data = xlsx(
        [
            new_row(),
            new_row(company="", uscc=world.company.organization.uscc, amount_requested="45,000,000.50"),
            new_row(company="", uscc=known.organization.uscc, round="B轮", owner="fund-manager", stage="初筛"),
        ]
    )
    deal_import = preview(world, data)
    assert outcomes(deal_import) == ["create", "update", "create"]
    assert deal_import.preview["counts"] == {"create": 2, "update": 1, "refuse": 0}
    rows = deal_import.preview["rows"]
    assert rows[0]["new_company"] and rows[0]["values"]["subsector"] == "innovative_drugs"
    assert rows[1]["deal"] == existing.pk and rows[1]["values"]["amount_requested"] == "45000000.50"
    assert rows[1]["before"]["amount_requested"] == "10000000.00"
    assert rows[2]["company_name"] == "坪山已登记器械有限公司" and rows[2]["values"]["stage"] == DealStage.SCREENING
    assert snapshot() == before | {"DealImport": before["DealImport"] + 1}
    assert ModelLogEntry.objects.filter(action="funds.preview_import").count() == 1
    assert deal_import.applied_at is None and deal_import.file.read().startswith(b"PK")


def test_english_headers_labels_and_codes_are_read_as_well(world):
    data = xlsx(
        [
            new_row(subsector="Biologics", development_stage="Phase II", round="series b", source="Partner"),
            new_row(subsector="cell_gene", development_stage="ind_cleared", round="pre_a", source="roadshow"),
        ],
        language="en",
    )
    deal_import = preview(world, data)
    assert outcomes(deal_import) == ["create", "create"]
    values = [item["values"] for item in deal_import.preview["rows"]]
    assert [v["subsector"] for v in values] == ["biologics", "cell_gene"]
    assert [v["round"] for v in values] == [Round.SERIES_B, Round.PRE_A]
    assert [v["development_stage"] for v in values] == [DevelopmentStage.PHASE_2, DevelopmentStage.IND_CLEARED]


def test_a_utf8_csv_with_a_byte_order_mark_is_read(world):
    data = "\ufeff".encode() + csv([new_row(), new_row(round="B轮")])
    deal_import = preview(world, data, name="deals.csv")
    assert outcomes(deal_import) == ["create", "create"]
    assert deal_import.preview["format"] == "csv"


def test_every_bad_row_is_refused_with_each_of_its_reasons_in_both_languages(world):
    taken = OrganizationFactory(name="坪山同名公司")
    before = snapshot()
    data = xlsx(
        [
            new_row(uscc="91440310MA5XXXXXX0", amount_requested="三千万"),  # line 2
            new_row(amount_requested=-5, pre_money="abc"),  # 3
            new_row(subsector="量子计算", round="Z轮", source=""),  # 4
            new_row(owner="other-fund-manager", stage="尽职调查"),  # 5
            new_row(company="", subsector="", development_stage=""),  # 6
            new_row(company="坪山同名公司"),  # 7: the name is another code's
            new_row(uscc="", amount_requested=""),  # 8
        ]
    )
    deal_import = preview(world, data)
    assert outcomes(deal_import) == ["refuse"] * 7
    zh = {line: " | ".join(reasons(deal_import, line)) for line in range(2, 9)}
    en = {line: " | ".join(reasons(deal_import, line, "en")) for line in range(2, 9)}
    assert "统一社会信用代码" in zh[2] and "Unified social credit code" in en[2]
    assert "Enter the amount as a number in yuan." in en[2]
    assert "cannot be negative" in en[3] and "Pre-money valuation (yuan): Enter the amount as a number" in en[3]
    assert "“量子计算” is not one of the values" in en[4] and "“Z轮”" in en[4] and "Source: Enter the source." in en[4]
    assert "“other-fund-manager” is not one of the fund's managers." in en[5]
    assert "Stage: A new deal is imported as Sourced or Screening only." in en[5]
    assert "enter the company's name" in en[6] and "Subsector: Needed" in en[6] and "Development stage: Needed" in en[6]
    assert taken.uscc in en[7] and "another code" in en[7]
    assert "Enter the unified social credit code." in en[8] and "Enter an amount in yuan." in en[8]
    with translation.override("zh-hans"):
        assert all(not any("Enter" in text for text in zh[line].split(" | ")) for line in zh), zh
    assert snapshot() == before | {"DealImport": before["DealImport"] + 1}


def test_rows_repeating_a_company_and_round_within_the_file_are_refused(world):
    code = make_uscc()
    same = {"uscc": code, "company": "坪山重复公司"}
    data = xlsx([new_row(**same), new_row(**same, round="B轮"), new_row(**same, amount_requested=1)])
    deal_import = preview(world, data)
    assert outcomes(deal_import) == ["create", "create", "refuse"]
    assert reasons(deal_import, 4, "en") == ["Row 2 already names this company and round."]


def test_one_new_code_with_two_names_or_one_name_with_two_codes_is_refused(world):
    code = make_uscc()
    data = xlsx(
        [
            new_row(uscc=code, company="坪山甲公司"),
            new_row(uscc=code, company="坪山乙公司", round="B轮"),
            new_row(company="坪山甲公司", round="C轮"),
        ]
    )
    deal_import = preview(world, data)
    assert outcomes(deal_import) == ["create", "refuse", "refuse"]
    assert "“坪山甲公司”" in reasons(deal_import, 3, "en")[0]
    assert code in reasons(deal_import, 4, "en")[0]


def test_an_existing_deal_keeps_its_stage_and_an_ended_deal_is_not_matched(world):
    make_deal(world, company=world.company, round=Round.SERIES_A, stage=DealStage.DUE_DILIGENCE)
    rejected = make_company()
    make_deal(world, company=rejected, round=Round.SERIES_A, stage=DealStage.REJECTED)
    data = xlsx(
        [
            new_row(uscc=world.company.organization.uscc, stage="初筛"),
            new_row(uscc=rejected.organization.uscc),
        ]
    )
    deal_import = preview(world, data)
    assert outcomes(deal_import) == ["update", "create"]
    notes = [note["en"] for note in deal_import.preview["rows"][0]["notes"]]
    assert notes == ["The code belongs to 深圳坪山测试生物科技有限公司.", "An existing deal keeps its stage."]


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("deals.xlsx", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "Upload the deal list as an Excel"),
        ("deals.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "Upload the deal list as an Excel"),
        ("deals.xlsx", "公司,代码\n".encode(), "Upload the deal list as an Excel"),
        ("deals.csv", "公司,代码\n".encode("gb18030"), "must be encoded in UTF-8"),
        ("deals.csv", b"", "The file is empty."),
        ("deals.csv", b"\n\n", "no header row and no rows"),
        ("deals.xlsx", b"PK\x03\x04" + b"\x00" * 200, "Upload the deal list as an Excel"),  # a zip, not a workbook
        ("deals.xlsx", "truncated", "could not be read as a deal list"),  # sniffed as a workbook, then unreadable
    ],
)
def test_files_that_are_not_deal_lists_are_refused_and_nothing_is_written(world, name, data, said):
    if data == "truncated":
        data = xlsx([new_row()])[:-300]
    before = snapshot()
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            preview(world, data, name=name)
        assert said in " ".join(refused.value.message_dict["upload"])
    assert snapshot() == before


def test_missing_columns_are_named_in_the_readers_language(world):
    keep = [key for key in KEYS if key not in ("uscc", "amount_requested")]
    data = xlsx([["x"] * len(keep)], header=headers("zh-hans", keep))
    before = snapshot()
    for language, said in (("zh-hans", "统一社会信用代码、申请金额（元）"), ("en", "Unified social credit code")):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                preview(world, data)
            assert said in refused.value.message_dict["upload"][0]
    assert snapshot() == before


def test_a_header_only_file_a_doubled_column_and_too_many_rows_are_refused(world, monkeypatch):
    with translation.override("en"):
        with pytest.raises(ValidationError, match="headers but no rows"):
            preview(world, xlsx([]))
        doubled = [*headers("zh-hans"), headers("en")[1]]
        with pytest.raises(ValidationError, match="appears twice"):
            preview(world, xlsx([new_row() + [""]], header=doubled))
        monkeypatch.setattr(deal_lists, "MAX_ROWS", 2)
        with pytest.raises(ValidationError, match="has 3 rows; at most 2"):
            preview(world, xlsx([new_row(), new_row(), new_row()]))
    assert not DealImport.objects.exists()


def test_blank_rows_are_skipped_and_lines_are_the_sheets_own(world):
    deal_import = preview(world, xlsx([new_row(), [""] * len(KEYS), new_row(uscc="bad")]))
    assert [item["line"] for item in deal_import.preview["rows"]] == [2, 4]


def test_only_the_funds_managers_preview(world):
    for person in (world.other_manager, world.role_only, world.ic_member, world.firm):
        with pytest.raises(PermissionDenied):
            preview(world, xlsx([new_row()]), actor=person)
    assert not DealImport.objects.exists()


# --- applying -------------------------------------------------------------------------------------------------


def test_confirming_applies_every_row_through_the_deal_services(world):
    existing = make_deal(world, company=world.company, round=Round.SERIES_A, amount="10000000")
    code = make_uscc()
    data = xlsx(
        [
            new_row(uscc=code, company="坪山新公司", owner="fund-manager", summary="首个导入项目"),
            new_row(uscc=code, company="坪山新公司", round="B轮", stage="初筛", pre_money=800000000),
            new_row(company="", uscc=world.company.organization.uscc, amount_requested=50000000, owner="fund-manager"),
        ]
    )
    deal_import = preview(world, data)
    transfer.apply_import(actor=world.manager, deal_import=deal_import)

    company = Company.objects.get(organization__uscc=code)
    assert company.organization.name == "坪山新公司" and company.subsector == "innovative_drugs"
    first, second = Deal.objects.filter(company=company).order_by("round")
    assert (first.round, first.stage, first.owner, first.summary) == ("a", "sourced", world.manager, "首个导入项目")
    assert (second.round, second.stage, second.pre_money) == ("b", DealStage.SCREENING, Decimal("800000000"))
    assert second.stage_changes.get().note == "从项目清单 项目清单.xlsx 导入。"
    assert first.folders.count() == 5  # the deal service made its deal room
    existing.refresh_from_db()
    assert (existing.amount_requested, existing.owner) == (Decimal("50000000"), world.manager)
    deal_import.refresh_from_db()
    assert deal_import.applied_at is not None
    assert Event.objects.filter(verb=FundVerb.IMPORTED_DEALS).count() == 1
    assert Event.objects.filter(verb=FundVerb.CREATED_DEAL).count() == 2
    entry = ModelLogEntry.objects.get(action="funds.apply_import")
    assert entry.data == {"created": 2, "updated": 1, "companies": 1}


def test_a_second_confirm_says_it_was_applied_and_changes_nothing(world):
    deal_import = preview(world, xlsx([new_row()]))
    transfer.apply_import(actor=world.manager, deal_import=deal_import)
    before = snapshot()
    with translation.override("en"), pytest.raises(ValidationError, match="already applied at"):
        transfer.apply_import(actor=world.manager, deal_import=deal_import)
    assert snapshot() == before


def test_a_list_with_a_refused_row_cannot_be_applied(world):
    deal_import = preview(world, xlsx([new_row(), new_row(amount_requested="lots")]))
    before = snapshot()
    with translation.override("en"), pytest.raises(ValidationError, match="Rows of this deal list are refused"):
        transfer.apply_import(actor=world.manager, deal_import=deal_import)
    assert snapshot() == before


def test_only_the_funds_managers_apply(world):
    deal_import = preview(world, xlsx([new_row()]))
    before = snapshot()
    for person in (world.other_manager, world.role_only, world.ic_chair, world.firm):
        with pytest.raises(PermissionDenied):
            transfer.apply_import(actor=person, deal_import=deal_import)
    assert snapshot() == before


def test_data_changed_since_the_preview_applies_nothing_and_shows_a_new_preview(world):
    code = make_uscc()
    deal_import = preview(world, xlsx([new_row(), new_row(uscc=code, company="坪山后来公司")]))
    # Meanwhile another manager registers the same company and opens its Series A deal.
    company = make_company(name="坪山后来公司")
    Organization.objects.filter(pk=company.organization_id).update(uscc=code)
    make_deal(world, company=company, round=Round.SERIES_A)
    before = snapshot()
    with translation.override("en"), pytest.raises(ValidationError, match="changed since the preview"):
        transfer.apply_import(actor=world.manager, deal_import=deal_import)
    assert snapshot() == before
    deal_import.refresh_from_db()
    assert outcomes(deal_import) == ["create", "update"] and deal_import.applied_at is None
    transfer.apply_import(actor=world.manager, deal_import=deal_import)  # confirmed again: now it applies
    assert Deal.objects.filter(company=company).count() == 1


def test_a_deal_ended_after_the_check_refuses_its_row_and_applies_nothing(world, monkeypatch):
    existing = make_deal(world, company=world.company, round=Round.SERIES_A)
    data = xlsx([new_row(), new_row(), new_row(company="", uscc=world.company.organization.uscc)])
    deal_import = preview(world, data)
    before = snapshot()
    real = transfer.Planner.plan

    def then_rejected(planner):
        plan = real(planner)
        Deal.objects.filter(pk=existing.pk).update(stage=DealStage.REJECTED)  # another manager, meanwhile
        return plan

    monkeypatch.setattr(transfer.Planner, "plan", then_rejected)
    with pytest.raises(ValidationError, match="第 4 行") as refused:
        transfer.apply_import(actor=world.manager, deal_import=deal_import)
    with translation.override("en"):
        assert "Row 4: This deal has ended (Rejected)" in " ".join(refused.value.messages)
    assert snapshot() == before
    deal_import.refresh_from_db()
    assert deal_import.applied_at is None


def test_a_failure_after_rows_were_written_rolls_every_row_back(world, monkeypatch):
    make_deal(world, company=world.company, round=Round.SERIES_A)
    data = xlsx([new_row(), new_row(stage="初筛"), new_row(company="", uscc=world.company.organization.uscc)])
    deal_import = preview(world, data)
    before = snapshot() | {"entries": ModelLogEntry.objects.count()}
    real = transfer._audit_and_lines

    def written_then_conflict(*arguments):
        real(*arguments)  # every deal, company, folder, stage row, audit entry and line is written by now
        assert Deal.objects.count() == before["Deal"] + 2
        raise IntegrityError("a concurrent writer")

    monkeypatch.setattr(transfer, "_audit_and_lines", written_then_conflict)
    with translation.override("en"), pytest.raises(ValidationError, match="at the same time; nothing was applied"):
        transfer.apply_import(actor=world.manager, deal_import=deal_import)
    assert snapshot() | {"entries": ModelLogEntry.objects.count()} == before
    deal_import.refresh_from_db()
    assert deal_import.applied_at is None


def test_an_existing_organization_without_a_profile_gets_one(world):
    organization = OrganizationFactory(name="坪山老牌企业")
    data = xlsx([new_row(company="", uscc=organization.uscc, subsector="体外诊断", development_stage="已上市")])
    deal_import = preview(world, data)
    assert outcomes(deal_import) == ["create"]
    transfer.apply_import(actor=world.manager, deal_import=deal_import)
    profile = Company.objects.get(organization=organization)
    assert (profile.subsector, profile.development_stage) == ("ivd", "marketed")
    assert Deal.objects.get(company=profile).source == DealSource.OWN


# --- the confirm and its background task ----------------------------------------------------------------------


def test_confirming_hands_the_list_to_the_background_task_once(world, django_capture_on_commit_callbacks):
    deal_import = preview(world, xlsx([new_row()]))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        transfer.request_apply(actor=world.manager, deal_import=deal_import)
    deal_import.refresh_from_db()
    assert transfer.queued_since(deal_import) is not None and len(queued) == 1
    before = snapshot()
    with translation.override("en"), pytest.raises(ValidationError, match="is being applied since"):
        transfer.request_apply(actor=world.manager, deal_import=deal_import)
    assert snapshot() == before
    queued[0]()  # the commit runs the task (immediate backend)
    deal_import.refresh_from_db()
    assert deal_import.applied_at is not None and transfer.queued_since(deal_import) is None
    assert Deal.objects.count() == before["Deal"] + 1


def test_a_confirm_lost_for_an_hour_may_be_given_again(world, django_capture_on_commit_callbacks):
    deal_import = preview(world, xlsx([new_row()]))
    deal_import.preview["queued"] = "2020-01-01T00:00:00+08:00"
    deal_import.save()
    with django_capture_on_commit_callbacks(execute=True):
        transfer.request_apply(actor=world.manager, deal_import=deal_import)
    deal_import.refresh_from_db()
    assert deal_import.applied_at is not None


def test_the_task_keeps_why_nothing_was_applied_in_both_languages(world):
    deal_import = preview(world, xlsx([new_row(amount_requested=5)]))
    code = deal_import.preview["rows"][0]["values"]["uscc"]
    company = make_company()
    Organization.objects.filter(pk=company.organization_id).update(uscc=code)
    make_deal(world, company=company, round=Round.SERIES_A)
    before = snapshot()
    assert transfer.apply_deal_import.call(deal_import.pk, world.manager.pk) is False
    assert snapshot() == before
    deal_import.refresh_from_db()
    assert "changed since the preview" in deal_import.preview["failure"]["en"]
    assert "预览之后基金数据有变化" in deal_import.preview["failure"]["zh-hans"]
    assert outcomes(deal_import) == ["update"] and deal_import.applied_at is None


def test_only_the_funds_managers_confirm(world):
    deal_import = preview(world, xlsx([new_row()]))
    for person in (world.other_manager, world.role_only, world.ic_member, world.firm):
        with pytest.raises(PermissionDenied):
            transfer.request_apply(actor=person, deal_import=deal_import)
    deal_import.refresh_from_db()
    assert "queued" not in deal_import.preview


def test_the_preview_costs_the_same_queries_for_5_and_300_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count):
        data = xlsx([new_row(uscc=world.company.organization.uscc if n == 0 else make_uscc()) for n in range(count)])
        with CaptureQueriesContext(connection) as captured:
            preview(world, data)
        return len(captured)

    queries(1)  # warm-up: content types and the like are cached after the first upload
    assert queries(5) == queries(300)


def test_a_lost_database_is_left_to_the_worker_to_try_again(world, monkeypatch):
    """A database that goes away mid-apply is not the fund's fault: the task raises (and the worker retries it)
    instead of telling the manager that the list failed; nothing was applied."""
    from django.db import OperationalError

    deal_import = preview(world, xlsx([new_row()]))

    def gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(transfer, "apply_import", gone)
    before = snapshot()
    with pytest.raises(OperationalError):
        transfer.apply_deal_import.call(deal_import.pk, world.manager.pk)
    assert snapshot() == before
    deal_import.refresh_from_db()
    assert "failure" not in deal_import.preview and deal_import.applied_at is None
