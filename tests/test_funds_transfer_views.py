"""The export and import pages: who may (the fund's managers: 200) and who may not (404; anonymous: the login page),
GET and POST, a refused POST changes nothing; the export follows the table's filter and reads in the reader's
language; the template reads back; the preview page shows each row's outcome and reasons; confirming applies once."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from funds import deal_lists
from funds.models import Company, Deal, DealImport, DealStage, Round, Subsector
from funds.services import transfer
from portal.organizations.models import Organization
from tests.factories import make_uscc
from tests.funds_transfer_files import row, upload, xlsx
from tests.funds_world import FundWorld, make_company, make_deal

pytestmark = pytest.mark.django_db

NOBODY = ("other_manager", "role_only", "ic_member", "ic_chair", "firm", "outsider")


@pytest.fixture
def world():
    return FundWorld.build()


def good_list(**values):
    defaults = {
        "company": "深圳坪山页面导入有限公司",
        "uscc": make_uscc(),
        "subsector": "创新药",
        "development_stage": "临床前",
        "round": "A轮",
        "amount_requested": 30000000,
        "source": "路演",
    }
    return xlsx([row(**(defaults | values))])


@pytest.fixture
def deal_import(world):
    return transfer.preview_import(actor=world.manager, fund=world.fund, upload=upload(good_list()))


def urls(world, deal_import):
    fund = world.fund.slug
    return {
        "deal_export": reverse("funds:deal_export", kwargs={"fund": fund}),
        "deal_import": reverse("funds:deal_import", kwargs={"fund": fund}),
        "deal_import_template": reverse("funds:deal_import_template", kwargs={"fund": fund}),
        "deal_import_preview": reverse("funds:deal_import_preview", kwargs={"fund": fund, "pk": deal_import.pk}),
        "deal_import_apply": reverse("funds:deal_import_apply", kwargs={"fund": fund, "pk": deal_import.pk}),
    }


def counts():
    return [model.objects.count() for model in (Deal, Company, Organization, DealImport)]


# --- who may ----------------------------------------------------------------------------------------------------


def test_the_manager_opens_every_page(client, world, deal_import):
    client.force_login(world.manager)
    for name, url in urls(world, deal_import).items():
        if name != "deal_import_apply":
            assert client.get(url).status_code == 200, name
    assert client.get(urls(world, deal_import)["deal_import_apply"]).status_code == 405  # POST only


@pytest.mark.parametrize("who", NOBODY)
def test_everyone_else_gets_404_and_changes_nothing(client, world, deal_import, who):
    client.force_login(getattr(world, who))
    before = counts()
    for name, url in urls(world, deal_import).items():
        if name != "deal_import_apply":
            assert client.get(url).status_code == 404, name
        response = client.post(url, {"upload": upload(good_list())})
        assert response.status_code in (404, 405), name
    assert counts() == before
    deal_import.refresh_from_db()
    assert deal_import.applied_at is None
    assert not ModelLogEntry.objects.filter(action="funds.export_deals").exists()


def test_anonymous_people_are_sent_to_log_in(client, world, deal_import):
    before = counts()
    for name, url in urls(world, deal_import).items():
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302 and "login" in response["Location"], name
    assert counts() == before


def test_another_funds_import_is_not_found_through_this_fund(client, world, deal_import):
    client.force_login(world.other_manager)
    theirs = reverse("funds:deal_import_preview", kwargs={"fund": world.other_fund.slug, "pk": deal_import.pk})
    assert client.get(theirs).status_code == 404
    assert client.post(theirs + "apply/").status_code == 404


# --- export -------------------------------------------------------------------------------------------------------


def sheet_of(response):
    assert response["Content-Type"] == deal_lists.XLSX
    return load_workbook(io.BytesIO(response.content)).active


def test_the_export_has_the_tables_filter_and_reads_in_chinese(client, world):
    screening = make_deal(world, stage=DealStage.SCREENING, amount="12345678.90", owner=world.manager)
    make_deal(world, stage=DealStage.DUE_DILIGENCE)
    make_deal(world.other_fund, stage=DealStage.SCREENING)
    client.force_login(world.manager)
    response = client.get(reverse("funds:deal_export", kwargs={"fund": world.fund.slug}) + "?stage=screening")
    sheet = sheet_of(response)
    assert sheet.title == "项目清单"
    assert [cell.value for cell in sheet[1]][:6] == [
        "企业名称",
        "统一社会信用代码",
        "细分领域",
        "研发阶段",
        "融资轮次",
        "申请金额（元）",
    ]
    assert sheet.max_row == 2  # the header and the one deal in screening of this fund
    values = [cell.value for cell in sheet[2]]
    assert values[0] == screening.company.organization.name
    assert values[2:5] == ["创新药", "临床前", "A轮"]
    assert values[5] == 12345678.9 and sheet.cell(row=2, column=6).number_format == deal_lists.MONEY_FORMAT
    assert values[8] == "fund-manager" and values[9] == "初筛"
    assert isinstance(values[11], datetime.datetime) and sheet.cell(row=2, column=12).number_format == "yyyy-mm-dd"
    entry = ModelLogEntry.objects.get(action="funds.export_deals")
    assert entry.data == {"deals": 1, "filter": "stage=screening"} and entry.user_id == world.manager.pk
    assert "attachment" in response["Content-Disposition"]


def test_the_export_reads_in_english_under_en(client, world):
    make_deal(world, stage=DealStage.SOURCED, company=make_company(subsector=Subsector.BIOLOGICS))
    client.force_login(world.manager)
    response = client.get("/en" + reverse("funds:deal_export", kwargs={"fund": world.fund.slug}))
    sheet = sheet_of(response)
    assert sheet.title == "Deals"
    assert sheet.cell(row=1, column=6).value == "Amount requested (yuan)"
    assert [cell.value for cell in sheet[2]][2:5] == ["Biologics", "Preclinical", "Series A"]
    assert sheet.cell(row=2, column=10).value == "Sourced"


def test_an_exported_list_edited_and_imported_again_changes_the_deals(
    client, world, django_capture_on_commit_callbacks
):
    deal = make_deal(world, stage=DealStage.DUE_DILIGENCE, amount="10000000")
    client.force_login(world.manager)
    sheet = sheet_of(client.get(reverse("funds:deal_export", kwargs={"fund": world.fund.slug})))
    sheet.cell(row=2, column=6).value = 20000000
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    response = client.post(
        reverse("funds:deal_import", kwargs={"fund": world.fund.slug}),
        {"upload": upload(buffer.getvalue(), "export.xlsx")},
    )
    deal_import = DealImport.objects.get()
    assert response.status_code == 302 and response["Location"] == transfer.preview_url(deal_import)
    assert deal_import.preview["counts"] == {"create": 0, "update": 1, "refuse": 0}
    with django_capture_on_commit_callbacks(execute=True):  # the confirm's background task runs at commit
        client.post(transfer.preview_url(deal_import) + "apply/")
    deal.refresh_from_db()
    assert deal.amount_requested == Decimal("20000000") and deal.stage == DealStage.DUE_DILIGENCE


# --- template --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "header", "guide"), [("", "企业名称", "填写说明"), ("/en", "Company name", "How to fill in")]
)
def test_the_template_reads_in_the_readers_language_and_imports_back(client, world, prefix, header, guide):
    client.force_login(world.manager)
    response = client.get(prefix + reverse("funds:deal_import_template", kwargs={"fund": world.fund.slug}))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[1] == guide
    sheet = workbook.active
    assert sheet.cell(row=1, column=1).value == header and sheet.max_row == 1
    sheet.append(["模板公司", make_uscc(), "Biologics", "IND已申报", "Series B", 1000, "", "Roadshow", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    deal_import = transfer.preview_import(
        actor=world.manager, fund=world.fund, upload=upload(buffer.getvalue(), "template.xlsx")
    )
    assert deal_import.preview["counts"] == {"create": 1, "update": 0, "refuse": 0}


# --- import pages -----------------------------------------------------------------------------------------------


def test_a_bad_file_shows_the_form_again_with_the_reason_and_writes_nothing(client, world):
    client.force_login(world.manager)
    before = counts()
    url = "/en" + reverse("funds:deal_import", kwargs={"fund": world.fund.slug})
    response = client.post(url, {"upload": upload(b"%PDF-1.7\n%%EOF\n", "deals.xlsx")})
    assert response.status_code == 200
    assert "Upload the deal list as an Excel workbook" in response.content.decode()
    response = client.post(url, {})
    assert "This field is required." in response.content.decode()
    assert counts() == before


def test_the_preview_page_lists_outcomes_and_reasons_in_the_readers_language(client, world):
    bad = row(company="坪山坏行公司", uscc="123", round="A轮", amount_requested="很多", source="路演")
    deal_import = transfer.preview_import(actor=world.manager, fund=world.fund, upload=upload(xlsx([bad])))
    client.force_login(world.manager)
    url = transfer.preview_url(deal_import)
    chinese = client.get(url).content.decode()
    assert "拒绝" in chinese and "Enter the amount" not in chinese and "统一社会信用代码：" in chinese
    assert "确认导入" not in chinese and "有行被拒绝，因此无法导入" in chinese
    english = client.get("/en" + url).content.decode()
    assert "Refused" in english and "Amount requested (yuan): Enter the amount as a number in yuan." in english
    assert "Confirm and apply" not in english
    before = counts()
    response = client.post("/en" + url + "apply/", follow=True)
    assert "Rows of this deal list are refused" in response.content.decode()
    assert counts() == before


def test_confirming_on_the_page_applies_once(client, world, deal_import, django_capture_on_commit_callbacks):
    client.force_login(world.manager)
    url = transfer.preview_url(deal_import)
    page = client.get(url).content.decode()
    assert "将新增" in page and "确认导入" in page and "新企业" in page and "3,000.00万元" in page
    with django_capture_on_commit_callbacks(execute=True):  # the confirm's background task runs at commit
        client.post(url + "apply/")
    page = client.get(url).content.decode()
    assert "项目清单正在导入" in page and "该项目清单已于" in page and "确认导入" not in page
    assert Deal.objects.filter(fund=world.fund, round=Round.SERIES_A).count() == 1
    before = counts()
    response = client.post("/en" + url + "apply/", follow=True)
    assert "This deal list was already applied at" in response.content.decode()
    assert "Confirm and apply" not in response.content.decode()
    assert counts() == before


def test_the_refused_rows_tab_and_pages_of_a_long_preview(client, world, monkeypatch):
    rows = [
        row(
            company=f"坪山分页{n}公司",
            uscc=make_uscc(),
            subsector="创新药",
            development_stage="临床前",
            round="A轮",
            amount_requested=n if n % 3 else "x",
            source="路演",
        )
        for n in range(1, 8)
    ]
    deal_import = transfer.preview_import(actor=world.manager, fund=world.fund, upload=upload(xlsx(rows)))
    monkeypatch.setattr("funds.views.transfer.ROWS_PER_PAGE", 2)
    client.force_login(world.manager)
    url = transfer.preview_url(deal_import)
    refused = client.get(url + "?show=refused")
    assert [r["line"] for r in refused.context["rows"]] == [4, 7]
    second = client.get(url + "?page=2")
    assert [r["line"] for r in second.context["rows"]] == [4, 5]


def test_while_the_task_is_at_work_the_page_says_so_and_a_second_confirm_is_refused(client, world, deal_import):
    client.force_login(world.manager)
    url = transfer.preview_url(deal_import)
    client.post(url + "apply/")  # the task is queued at commit, which this test's transaction never reaches
    page = client.get("/en" + url).content.decode()
    assert "This deal list is being applied since" in page and "Confirm and apply" not in page
    response = client.post("/en" + url + "apply/", follow=True)
    assert "This deal list is being applied since" in response.content.decode()
    assert ModelLogEntry.objects.filter(action="funds.request_import").count() == 1


def test_a_failed_apply_is_told_on_the_page_and_may_be_confirmed_again(
    client, world, deal_import, django_capture_on_commit_callbacks
):
    make_deal(world, company=world.company)  # the fund changes after the preview: every outcome is checked again
    code = deal_import.preview["rows"][0]["values"]["uscc"]
    Organization.objects.filter(pk=world.company.organization_id).update(uscc=code)
    client.force_login(world.manager)
    url = transfer.preview_url(deal_import)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en" + url + "apply/")
    page = client.get("/en" + url).content.decode()
    assert "changed since the preview, so nothing was applied" in page and "Confirm and apply" in page
    assert "Will be changed" in page and Deal.objects.filter(fund=world.fund).count() == 1
    chinese = client.get(url).content.decode()
    assert "预览之后基金数据有变化" in chinese


# --- the pipeline's toolbar -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix, import_label, export_label", [("", "导入项目", "导出 Excel"), ("/en", "Import deals", "Export to Excel")]
)
def test_the_board_and_the_table_offer_import_and_export_side_by_side(
    client, world, prefix, import_label, export_label
):
    client.force_login(world.manager)
    fund = world.fund.slug
    import_url = reverse("funds:deal_import", kwargs={"fund": fund})
    export_url = reverse("funds:deal_export", kwargs={"fund": fund})
    for page in (reverse("funds:pipeline", kwargs={"fund": fund}), reverse("funds:deal_list", kwargs={"fund": fund})):
        html = client.get(f"{prefix}{page}").content.decode()
        importing = html.index(f'<a class="button" href="{prefix}{import_url}">{import_label}</a>')
        exporting = html.index(f'<a class="button" href="{prefix}{export_url}">{export_label}</a>')
        assert 0 < exporting - importing < 200  # next to each other, import first
