"""The performance-data import pages through the test client, in Chinese and in English (/en/): the upload form
with a bad file answered on the page and nothing stored, the preview's counts, sheets, reasons and filter tabs,
confirming with a message, the template and the export as Chinese workbooks, 404 for anyone but the fund's
managers, and a preview page whose queries do not grow with the rows."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from funds.models import DealTerms, Instrument, PaidIn, PerformanceImport, Valuation
from funds.performance import datasheets
from funds.performance.datasheets import SHEETS, FlowType
from funds.services import performance_data as services
from tests import funds_performance_world as perf

pytestmark = pytest.mark.django_db

day = datetime.date
M = Decimal(1_000_000)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOBODY = ("other_manager", "ic_chair", "role_only", "firm")


@pytest.fixture
def world():
    world = perf.build()
    DealTerms.objects.create(
        deal=world.deal_a,
        amount=100 * M,
        instrument=Instrument.PREFERRED,
        pre_money=500 * M,
        ownership=Decimal(10),
        signed_on=day(2022, 2, 15),
    )
    return world


def uscc(deal):
    return deal.company.organization.uscc


def good_and_bad(world) -> bytes:
    """A new valuation and a new paid-in row (added), an unchanged paid-in row, and an unknown LP (refused)."""
    return datasheets.build_workbook(
        {
            "flows": [
                {"type": FlowType.PAID_IN, "lp": "坪山区政府引导基金", "date": day(2022, 1, 10), "amount": 50 * M},
                {"type": FlowType.PAID_IN, "lp": "坪山区政府引导基金", "date": day(2024, 1, 10), "amount": 10 * M},
                {"type": FlowType.PAID_IN, "lp": "不存在的有限合伙企业", "date": day(2024, 1, 10), "amount": M},
            ],
            "valuations": [
                {"uscc": uscc(world.deal_a), "date": day(2024, 6, 30), "value": 80 * M, "method": "comparables"}
            ],
        }
    )


def good(world) -> bytes:
    return datasheets.build_workbook(
        {
            "flows": [
                {"type": FlowType.PAID_IN, "lp": "坪山区政府引导基金", "date": day(2024, 1, 10), "amount": 10 * M}
            ],
            "valuations": [
                {"uscc": uscc(world.deal_a), "date": day(2024, 6, 30), "value": 80 * M, "method": "comparables"}
            ],
        }
    )


def upload(data, name="绩效数据.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def previewed(world, data):
    return services.preview_import(actor=world.manager, fund=world.fund, upload=upload(data))


def urls(world, data_import=None, language="zh-hans"):
    """The import's URLs, reversed in ``language`` (English ones carry the /en/ prefix)."""
    fund = world.fund.slug
    with translation.override(language):
        found = {
            name: reverse(f"funds:{name}", kwargs={"fund": fund})
            for name in ("performance_import", "performance_data_export", "performance_import_template")
        }
        if data_import is not None:
            for name in ("performance_import_preview", "performance_import_apply"):
                found[name] = reverse(f"funds:{name}", kwargs={"fund": fund, "pk": data_import.pk})
    return found


def recorded():
    return (
        list(PaidIn.objects.order_by("pk").values_list()),
        list(Valuation.objects.order_by("pk").values_list()),
    )


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# --- the upload page -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "download"),
    [
        ("zh-hans", "导入绩效数据", "下载已记录的数据（Excel）"),
        ("en", "Import performance data", "Download the recorded data"),
    ],
)
def test_the_upload_page_offers_the_template_and_the_recorded_data(client, world, language, title, download):
    client.force_login(world.manager)
    page = urls(world, language=language)
    html = text(client.get(page["performance_import"]))
    assert title in html and download in html
    assert f'href="{page["performance_import_template"]}"' in html
    assert f'href="{page["performance_data_export"]}"' in html


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "请以 Excel 工作簿（.xlsx）上传数据"),
        ("en", "Upload the data as an Excel workbook (.xlsx)"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_on_the_page(client, world, language, message):
    client.force_login(world.manager)
    before = recorded()
    file = SimpleUploadedFile("绩效数据.xlsx", "日期,金额\n2024-01-01,1\n".encode(), content_type=XLSX)
    response = client.post(urls(world, language=language)["performance_import"], {"upload": file})
    assert message in text(response)
    assert not PerformanceImport.objects.exists()
    assert recorded() == before


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "缺少以下列：估值日期"), ("en", "lacks these columns: Valuation date")],
)
def test_a_sheet_without_a_required_column_is_refused_in_the_readers_language(client, world, language, message):
    with translation.override(language):
        headers = [str(c.header) for c in datasheets.VALUATIONS.columns if c.key != "date"]
        name = str(datasheets.VALUATIONS.name)
    book = Workbook()
    book.active.title = name
    book.active.append(headers)
    book.active.append([uscc(world.deal_a), "", 80 * M, "comparables", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(world.manager)
    response = client.post(urls(world, language=language)["performance_import"], {"upload": upload(buffer.getvalue())})
    assert message in text(response)
    assert not PerformanceImport.objects.exists()


def test_a_good_upload_goes_to_its_preview_and_changes_nothing(client, world):
    client.force_login(world.manager)
    before = recorded()
    response = client.post(urls(world)["performance_import"], {"upload": upload(good(world))})
    data_import = PerformanceImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == urls(world, data_import)["performance_import_preview"]
    assert recorded() == before
    assert data_import.applied_at is None and data_import.uploaded_by == world.manager
    # The upload page lists it among the recent imports.
    assert "绩效数据.xlsx" in text(client.get(urls(world)["performance_import"]))


# --- the preview -------------------------------------------------------------------------------------------------


def test_the_preview_shows_counts_sheets_and_reasons_in_chinese(client, world):
    data_import = previewed(world, good_and_bad(world))
    client.force_login(world.manager)
    html = text(client.get(urls(world, data_import)["performance_import_preview"]))
    assert "将新增" in html and "无变化" in html and "拒绝" in html
    assert "现金流" in html and "估值" in html
    assert "出资人：“不存在的有限合伙企业”不是本基金的出资人。" in html
    assert "坪山甲生物科技有限公司" in html
    assert "有被拒绝的行" not in html  # the service's refusal is not shown before anyone confirms
    assert "确认导入" not in html and "Confirm and apply" not in html  # nothing to confirm with a refused row
    assert [row["outcome"] for row in data_import.preview["rows"]] == ["unchanged", "create", "refuse", "create"]


def test_the_preview_reads_in_english_under_en(client, world):
    data_import = previewed(world, good_and_bad(world))
    client.force_login(world.manager)
    html = text(client.get(urls(world, data_import, "en")["performance_import_preview"]))
    assert "Will be added" in html and "Unchanged" in html and "Refused" in html
    assert "Cash flows" in html and "Valuations" in html
    assert "LP: “不存在的有限合伙企业” is not an LP of this fund." in html
    assert "不是本基金的出资人" not in html


@pytest.mark.parametrize(
    ("show", "outcomes"),
    [("", {"Unchanged", "Will be added", "Refused"}), ("changes", {"Will be added"}), ("refused", {"Refused"})],
)
def test_the_filter_tabs_show_their_rows(client, world, show, outcomes):
    data_import = previewed(world, good_and_bad(world))
    client.force_login(world.manager)
    url = urls(world, data_import, "en")["performance_import_preview"] + (f"?show={show}" if show else "")
    response = client.get(url)
    assert response.status_code == 200
    assert {str(row["outcome"]) for row in response.context["rows"]} == outcomes
    assert len(response.context["rows"]) == {"": 4, "changes": 2, "refused": 1}[show]
    assert 'aria-current="page"' in response.content.decode()


def test_an_unknown_filter_shows_every_row(client, world):
    data_import = previewed(world, good_and_bad(world))
    client.force_login(world.manager)
    response = client.get(urls(world, data_import)["performance_import_preview"] + "?show=<b>everything</b>")
    assert len(response.context["rows"]) == 4
    assert "<b>everything</b>" not in response.content.decode()


# --- applying -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "message"), [("zh-hans", "绩效数据已导入。"), ("en", "The performance data was imported.")]
)
def test_confirming_applies_and_says_so(client, world, language, message):
    data_import = previewed(world, good(world))
    client.force_login(world.manager)
    page = urls(world, data_import, language)
    assert ("确认导入" if language == "zh-hans" else "Confirm and apply") in text(
        client.get(page["performance_import_preview"])
    )
    response = client.post(page["performance_import_apply"])
    assert response.status_code == 302 and response["Location"] == page["performance_import_preview"]
    followed = client.get(response["Location"])
    assert message in messages_of(followed)
    assert PaidIn.objects.filter(commitment=world.government, paid_on=day(2024, 1, 10)).get().amount == 10 * M
    assert Valuation.objects.get(deal=world.deal_a, valued_on=day(2024, 6, 30)).value == 80 * M
    data_import.refresh_from_db()
    assert data_import.applied_at is not None
    assert ("该工作簿已于" if language == "zh-hans" else "This workbook was applied at") in text(followed)


REFUSALS = {
    ("refused", "zh-hans"): "该工作簿中有被拒绝的行",
    ("refused", "en"): "Rows of this workbook are refused",
    ("twice", "zh-hans"): "该工作簿已于",
    ("twice", "en"): "This workbook was already applied at",
}


@pytest.mark.parametrize(("case", "language"), REFUSALS)
def test_a_refused_confirmation_says_why_and_changes_nothing(client, world, case, language):
    """A workbook with a refused row, and one already applied, confirmed (again) by a hand-made POST."""
    data_import = previewed(world, good_and_bad(world) if case == "refused" else good(world))
    client.force_login(world.manager)
    page = urls(world, data_import, language)
    if case == "twice":
        client.post(page["performance_import_apply"])
    applied_at = PerformanceImport.objects.get().applied_at
    before = recorded()
    response = client.post(page["performance_import_apply"], follow=True)
    assert any(REFUSALS[case, language] in said for said in messages_of(response))
    assert recorded() == before
    assert PerformanceImport.objects.get().applied_at == applied_at


# --- downloads ------------------------------------------------------------------------------------------------------


def chinese_sheet_names():
    with translation.override("zh-hans"):
        names = [str(sheet.name) for sheet in SHEETS]
    assert names == ["现金流", "估值", "经营数据报送", "指数点位"]
    return names


def test_the_template_is_a_chinese_workbook(client, world):
    client.force_login(world.manager)
    response = client.get(urls(world)["performance_import_template"])
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [*chinese_sheet_names(), "填写说明"]
    assert [cell.value for cell in book["估值"][1]] == [
        "企业统一社会信用代码",
        "融资轮次",
        "估值日期",
        "持股价值（元）",
        "估值方法",
        "备注",
    ]


def test_the_export_is_a_chinese_workbook_of_the_records(client, world):
    client.force_login(world.manager)
    response = client.get(urls(world)["performance_data_export"])
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == chinese_sheet_names()
    rows = list(book["现金流"].iter_rows(values_only=True))
    assert len(rows) == 1 + 7
    assert "投资拨付" in [row[1] for row in rows]
    (valuation,) = list(book["估值"].iter_rows(min_row=2, values_only=True))
    assert valuation[0] == uscc(world.deal_a) and valuation[3] == 90 * M


def test_the_english_export_reads_in_english(client, world):
    client.force_login(world.manager)
    response = client.get(urls(world, language="en")["performance_data_export"])
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Cash flows", "Valuations", "KPI reports", "Index levels"]


# --- who may --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", NOBODY)
def test_anyone_but_the_managers_gets_404_and_changes_nothing(client, world, who):
    data_import = previewed(world, good(world))
    client.force_login(getattr(world, who))
    before = recorded()
    for name, url in urls(world, data_import).items():
        assert client.get(url).status_code in (404, 405), name
        assert client.post(url, {"upload": upload(good(world))}).status_code in (404, 405), name
    assert recorded() == before
    assert PerformanceImport.objects.count() == 1
    data_import.refresh_from_db()
    assert data_import.applied_at is None


def test_another_funds_import_is_not_found_under_this_fund(client, world):
    data_import = previewed(world, good(world))
    client.force_login(world.other_manager)
    other = reverse("funds:performance_import_preview", kwargs={"fund": world.other_fund.slug, "pk": data_import.pk})
    assert client.get(other).status_code == 404


# --- queries ---------------------------------------------------------------------------------------------------------


def many_rows(world, count) -> bytes:
    days = [day(2022, 3, 2) + datetime.timedelta(days=n) for n in range(count)]
    return datasheets.build_workbook(
        {"flows": [{"type": FlowType.PAID_IN, "lp": "社会资本合伙企业", "date": on, "amount": M} for on in days]}
    )


def test_the_preview_page_costs_the_same_queries_for_300_and_3000_rows(client, world):
    small, large = previewed(world, many_rows(world, 300)), previewed(world, many_rows(world, 3000))
    client.force_login(world.manager)
    client.get(urls(world, small)["performance_import_preview"])  # warm the session and caches
    costs = []
    for data_import in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(urls(world, data_import)["performance_import_preview"] + "?show=changes")
        assert response.status_code == 200 and len(response.context["rows"]) == 200  # a page of rows
        costs.append(len(queries))
    assert costs[0] == costs[1], costs
