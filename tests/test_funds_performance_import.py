"""The performance-data import (funds/performance/datasheets.py, funds/services/performance_plan.py and
performance_data.py) on the fund worked out by hand (tests/funds_performance_world.py), given investment terms, a
benchmark index and a KPI report: the Excel round trip in either language, a CSV of one sheet, every refusal with a
message naming its column in both languages and nothing written, all or nothing, what applying writes and records,
and a preview whose queries do not grow with the rows."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook
from wagtail.models import ModelLogEntry

from funds.models import (
    BenchmarkIndex,
    DealStage,
    DealTerms,
    Disbursement,
    Exit,
    ExitKind,
    IndexLevel,
    Instrument,
    KpiReport,
    KpiState,
    LpDistribution,
    PaidIn,
    PerformanceImport,
    Valuation,
    ValuationMethod,
)
from funds.performance import datasheets
from funds.performance.datasheets import BY_KEY, SHEETS, FlowType
from funds.performance.report import live
from funds.services import performance_data as services
from funds.services import portfolio
from funds.services.performance_plan import Planner
from funds.verbs import FundVerb
from portal.accounts.roles import RoleCode
from portal.history.models import Event
from portal.notifications.models import Notification
from tests import funds_performance_world as perf
from tests.factories import UserFactory, make_uscc
from tests.funds_world import make_company, make_deal

pytestmark = pytest.mark.django_db

day = datetime.date
M = Decimal(1_000_000)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LANGUAGES = ("zh-hans", "en")
RECORDS = (Disbursement, Exit, PaidIn, LpDistribution, Valuation, KpiReport, BenchmarkIndex, IndexLevel)
INDEX = "沪深300"
LEVELS = {
    day(2022, 1, 10): "4711.2300",
    day(2022, 3, 1): "4530.5000",
    day(2022, 6, 1): "4097.6100",
    day(2024, 6, 30): "3461.7000",
    day(2024, 9, 1): "3345.6100",
    day(2024, 12, 31): "3934.9100",
}


@pytest.fixture
def world():
    """The hand-worked fund, its two deals given signed terms, a benchmark index's levels and a submitted KPI report
    (so every sheet of the workbook has rows)."""
    world = perf.build()
    for deal, amount, signed_on in ((world.deal_a, 100, day(2022, 2, 15)), (world.deal_b, 50, day(2022, 5, 15))):
        DealTerms.objects.create(
            deal=deal,
            amount=amount * M,
            instrument=Instrument.PREFERRED,
            pre_money=500 * M,
            ownership=Decimal("10"),
            signed_on=signed_on,
        )
    index = BenchmarkIndex.objects.create(name=INDEX, name_en="CSI 300", code="000300")
    IndexLevel.objects.bulk_create(IndexLevel(index=index, on=on, level=Decimal(v)) for on, v in LEVELS.items())
    KpiReport.objects.create(
        deal=world.deal_a,
        period_start=day(2024, 1, 1),
        period_end=day(2024, 12, 31),
        due_on=day(2025, 3, 31),
        requested_by=world.manager,
        state=KpiState.SUBMITTED,
        revenue=Decimal("12345678.90"),
        rd_spend=30 * M,
        headcount=85,
        patents=3,
        tax_paid=Decimal("500000"),
        submitted_by=world.manager,
        submitted_at=timezone.now(),
    )
    return world


# --- helpers ---------------------------------------------------------------------------------------------------


def uscc(deal):
    return deal.company.organization.uscc


def flow(kind, deal=None, **values):
    row = {"type": kind, "date": day(2024, 3, 1), "amount": 10 * M}
    if deal is not None:
        row["uscc"] = uscc(deal)
    return row | values


def valuation(deal, **values):
    return {
        "uscc": uscc(deal),
        "date": day(2024, 6, 30),
        "value": 80 * M,
        "method": ValuationMethod.COMPARABLES,
    } | values


def upload(data, name="业绩数据.xlsx", content_type=XLSX):
    return SimpleUploadedFile(name, data, content_type=content_type)


def preview(world, data, name="业绩数据.xlsx", actor=None):
    return services.preview_import(actor=actor or world.manager, fund=world.fund, upload=upload(data, name))


def workbook(**sheets) -> bytes:
    return datasheets.build_workbook(sheets)


def recorded():
    """Every row of every table an import writes, field by field: equal before and after means nothing changed."""
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in RECORDS}


def cells(data) -> dict:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def figures(fund):
    """The dashboard's key figures and quarterly series as of the world's date (the rows' ids left out)."""
    report = live(fund, perf.AS_OF)
    headline = [{k: v for k, v in figure.items() if k != "sources"} for figure in report["headline"]]
    return headline, report["quarterly"]


def header(sheet, key, language):
    with translation.override(language):
        return str(BY_KEY[sheet].by_key[key].header)


def said(error, language):
    """A ValidationError's messages read in ``language``."""
    with translation.override(language):
        return " ".join(error.messages)


def sheet_file(title, headers, rows) -> bytes:
    """A one-sheet workbook written by hand (headers as given), for the whole-file refusals."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def apply_refused(world, data_import, code, phrase):
    """Applying is refused with ``code`` and a message in both languages; nothing is written."""
    before = recorded()
    with pytest.raises(ValidationError) as caught:
        services.apply_import(actor=world.manager, data_import=data_import)
    assert caught.value.code == code
    assert phrase in said(caught.value, "en") and phrase not in said(caught.value, "zh-hans")
    assert recorded() == before


def clear(world):
    """Take the recorded history away: tranches back to planned, the rest deleted, the exited deal back in the
    portfolio (an exit is recorded while the fund holds the company)."""
    fund = world.fund
    Disbursement.objects.filter(deal__fund=fund).update(paid_on=None, paid_amount=None)
    for model in (Valuation, Exit, KpiReport):
        model.objects.filter(deal__fund=fund).delete()
    for model in (PaidIn, LpDistribution):
        model.objects.filter(commitment__fund=fund).delete()
    IndexLevel.objects.all().delete()
    type(world.deal_b).objects.filter(pk=world.deal_b.pk).update(stage=DealStage.PORTFOLIO)


def exited_again(world):
    type(world.deal_b).objects.filter(pk=world.deal_b.pk).update(stage=DealStage.EXITED)


# --- the Excel round trip --------------------------------------------------------------------------------------


def test_the_export_holds_every_record_in_the_imports_format(world):
    book = cells(services.export_data(actor=world.manager, fund=world.fund))
    with translation.override("zh-hans"):
        names = [str(sheet.name) for sheet in SHEETS]
        flows_header = tuple(str(column.header) for column in datasheets.FLOWS.columns)
        investment = str(FlowType.INVESTMENT.label)
    assert list(book) == names
    assert book[names[0]][0] == flows_header
    assert len(book[names[0]]) == 1 + 7  # two paid-in, two tranches, an exit, two distributions
    assert [row[1] for row in book[names[0]][1:]].count(investment) == 2
    assert len(book[names[1]]) == 2 and len(book[names[2]]) == 2 and len(book[names[3]]) == 1 + len(LEVELS)
    assert ModelLogEntry.objects.filter(action="funds.export_performance_data").count() == 1


def test_round_trip_export_clear_import_export(world):
    first = services.export_data(actor=world.manager, fund=world.fund)
    before = figures(world.fund)
    clear(world)
    assert figures(world.fund) != before

    data_import = preview(world, first)
    counts = data_import.preview["counts"]
    # The two tranches are planned ones paid by their numbers; the rest is new.
    assert counts == {"create": 5 + 1 + 1 + len(LEVELS), "update": 2, "unchanged": 0, "refuse": 0}
    services.apply_import(actor=world.manager, data_import=data_import)
    exited_again(world)

    assert cells(services.export_data(actor=world.manager, fund=world.fund)) == cells(first)
    assert figures(world.fund) == before
    assert Disbursement.objects.filter(deal__fund=world.fund).count() == 2  # paid, not added


def test_the_export_imported_unchanged_changes_nothing(world):
    before = recorded()
    data_import = preview(world, services.export_data(actor=world.manager, fund=world.fund))
    rows = data_import.preview["rows"]
    assert len(rows) == 7 + 1 + 1 + len(LEVELS)
    assert {row["outcome"] for row in rows} == {"unchanged"}
    Notification.objects.all().delete()
    services.apply_import(actor=world.manager, data_import=data_import)
    assert recorded() == before
    assert not Notification.objects.exists()
    data_import.refresh_from_db()
    assert data_import.applied_at is not None


def test_the_export_of_a_fund_without_terms_imports_unchanged():
    """Deals recorded before terms were kept (the hand-worked fund has none): their tranches match, nothing is asked."""
    bare = perf.build()
    data_import = preview(bare, services.export_data(actor=bare.manager, fund=bare.fund))
    assert data_import.preview["counts"] == {"create": 0, "update": 0, "unchanged": 8, "refuse": 0}


def test_a_new_index_spelt_two_ways_is_added_once(world):
    """The preview takes "HSHC Biotech" and "ＨＳＨＣ biotech" for one new index, so applying adds one."""
    rows = [
        {"index": "HSHC Biotech", "date": day(2024, 6, 30), "level": Decimal("5000")},
        {"index": "ＨＳＨＣ biotech", "date": perf.AS_OF, "level": Decimal("5200")},
    ]
    data_import = preview(world, workbook(index=rows))
    assert [len(row["notes"]) for row in data_import.preview["rows"]] == [1, 0]
    services.apply_import(actor=world.manager, data_import=data_import)
    index = BenchmarkIndex.objects.exclude(name=INDEX).get()
    assert index.name == "HSHC Biotech"
    assert list(index.levels.values_list("level", flat=True)) == [Decimal("5000"), Decimal("5200")]


def test_round_trip_through_an_english_workbook(world):
    first = services.export_data(actor=world.manager, fund=world.fund)
    before = figures(world.fund)
    with translation.override("en"):
        english = services.export_data(actor=world.manager, fund=world.fund)
        names = [str(sheet.name) for sheet in SHEETS]
        flows_header = tuple(str(column.header) for column in datasheets.FLOWS.columns)
    book = cells(english)
    assert list(book) == names == ["Cash flows", "Valuations", "KPI reports", "Index levels"]
    assert book["Cash flows"][0] == flows_header
    assert "Investment (tranche paid)" in [row[1] for row in book["Cash flows"]]
    assert ("Trade sale") in [row[-1] for row in book["Cash flows"]]
    clear(world)

    data_import = preview(world, english, name="performance-data.xlsx")  # read while Chinese is active
    assert data_import.preview["counts"]["refuse"] == 0
    assert data_import.preview["ignored"] == []
    services.apply_import(actor=world.manager, data_import=data_import)
    exited_again(world)
    assert cells(services.export_data(actor=world.manager, fund=world.fund)) == cells(first)
    assert figures(world.fund) == before


def test_the_template_reads_back_as_nothing_to_import(world):
    data = datasheets.build_template()
    with translation.override("zh-hans"):
        assert load_workbook(io.BytesIO(data)).sheetnames[:4] == [str(sheet.name) for sheet in SHEETS]
    with pytest.raises(ValidationError) as caught:
        preview(world, data)
    assert "no rows" in said(caught.value, "en")
    assert not PerformanceImport.objects.exists()


# --- a CSV of one sheet -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_csv_of_index_levels_is_recognised_by_its_headers(world, language):
    headers = ",".join(header("index", key, language) for key in ("index", "date", "level"))
    text = f"{headers}\n{INDEX},2025-01-02,3820.5\n恒生医疗保健指数,2025-01-02,2650.25\n,,\n"
    data_import = preview(world, text.encode(), name="指数.csv")
    assert data_import.preview["format"] == "csv"
    assert [(row["sheet"], row["outcome"]) for row in data_import.preview["rows"]] == [("index", "create")] * 2
    notes = data_import.preview["rows"][1]["notes"]
    assert "恒生医疗保健指数" in notes[0]["en"] and notes[0]["zh-hans"] != notes[0]["en"]
    services.apply_import(actor=world.manager, data_import=data_import)
    assert IndexLevel.objects.get(index__name=INDEX, on=day(2025, 1, 2)).level == Decimal("3820.5000")
    assert BenchmarkIndex.objects.get(name="恒生医疗保健指数").levels.get().level == Decimal("2650.2500")


def test_a_csv_whose_headers_fit_no_sheet_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        preview(world, "名称,数值\n甲,1\n".encode(), name="别的.csv")
    assert "headers" in said(caught.value, "en")
    assert said(caught.value, "zh-hans") != said(caught.value, "en")
    assert not PerformanceImport.objects.exists()


# --- bad rows: refused with a message naming the column, nothing written, nothing to apply ---------------------


def _unknown_lp(world):
    return {"flows": [flow(FlowType.PAID_IN, lp="不存在的有限合伙企业")]}, "flows", "lp", "not an LP of this fund"


def _screening_deal(world):
    deal = make_deal(world, company=make_company(name="丁生物科技有限公司"), stage=DealStage.SCREENING)
    return {"flows": [flow(FlowType.INVESTMENT, deal)]}, "flows", None, "Tranches are paid once disbursement"


def _future(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return {"flows": [flow(FlowType.INVESTMENT, world.deal_a, date=tomorrow)]}, "flows", "date", "in the future"


BAD_ROWS = {
    "non-numeric amount": lambda w: (
        {"flows": [flow(FlowType.INVESTMENT, w.deal_a, amount="三千万")]},
        "flows",
        "amount",
        "as a number",
    ),
    "negative amount": lambda w: (
        {"flows": [flow(FlowType.PAID_IN, lp="社会资本合伙企业", amount=-5 * M)]},
        "flows",
        "amount",
        "positive number",
    ),
    "zero investment": lambda w: (
        {"flows": [flow(FlowType.INVESTMENT, w.deal_a, amount=0)]},
        "flows",
        "amount",
        "investment of nothing",
    ),
    "date in the future": _future,
    "unreadable date": lambda w: (
        {"flows": [flow(FlowType.INVESTMENT, w.deal_a, date="2024-02-30")]},
        "flows",
        "date",
        "valid date",
    ),
    "date in words": lambda w: (
        {"valuations": [valuation(w.deal_a, date="去年年底")]},
        "valuations",
        "date",
        "valid date",
    ),
    "valuation before the first tranche": lambda w: (
        {"valuations": [valuation(w.deal_a, date=day(2022, 2, 1))]},
        "valuations",
        "date",
        "first tranche was paid on 2022-03-01",
    ),
    "exit before the first tranche": lambda w: (
        {"flows": [flow(FlowType.EXIT, w.deal_a, date=day(2022, 2, 1), exit_kind=ExitKind.LIQUIDATION)]},
        "flows",
        "date",
        "first tranche was paid on 2022-03-01",
    ),
    "missing index level": lambda w: (
        {"index": [{"index": INDEX, "date": day(2025, 1, 2)}]},
        "index",
        "level",
        "level is missing",
    ),
    "index level zero": lambda w: (
        {"index": [{"index": INDEX, "date": day(2025, 1, 2), "level": 0}]},
        "index",
        "level",
        "positive number",
    ),
    "index level negative": lambda w: (
        {"index": [{"index": INDEX, "date": day(2025, 1, 2), "level": Decimal("-12.5")}]},
        "index",
        "level",
        "positive number",
    ),
    "index level not a number": lambda w: (
        {"index": [{"index": "CSI 300", "date": day(2025, 1, 2), "level": "三千八"}]},
        "index",
        "level",
        "as a number",
    ),
    "an existing index level differs": lambda w: (
        {"index": [{"index": "000300", "date": day(2024, 12, 31), "level": Decimal("3900")}]},
        "index",
        "level",
        "shared by every fund",
    ),
    "unknown company code": lambda w: (
        {"valuations": [valuation(w.deal_a, uscc=make_uscc())]},
        "valuations",
        "uscc",
        "no deal in a company with this code",
    ),
    "unknown LP": _unknown_lp,
    "the same tranche twice": lambda w: (
        {"flows": [flow(FlowType.INVESTMENT, w.deal_a, tranche=2, amount=5 * M)] * 2},
        "flows",
        None,
        "Row 2 already records this tranche",
    ),
    "the same valuation date twice": lambda w: (
        {"valuations": [valuation(w.deal_a), valuation(w.deal_a, value=81 * M)]},
        "valuations",
        None,
        "Row 2 already values this holding on this day",
    ),
    "tranches beyond the terms": lambda w: (
        {"flows": [flow(FlowType.INVESTMENT, w.deal_a, amount=50 * M)]},
        "flows",
        "amount",
        "more than the investment in the terms",
    ),
    "a deal that is not held": lambda w: (
        {"valuations": [valuation(w.deal_b)]},
        "valuations",
        None,
        "Only a holding of the fund is valued",
    ),
    "a deal still being screened": _screening_deal,
    "KPI period ending before it starts": lambda w: (
        {
            "kpis": [
                {"uscc": uscc(w.deal_a), "period_start": day(2025, 6, 30), "period_end": day(2025, 1, 1), "revenue": M}
            ]
        },
        "kpis",
        "period_end",
        "end after it starts",
    ),
    "KPI row with no figure": lambda w: (
        {"kpis": [{"uscc": uscc(w.deal_a), "period_start": day(2025, 1, 1), "period_end": day(2025, 6, 30)}]},
        "kpis",
        None,
        "gives no figure",
    ),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_bad_row_is_refused_in_both_languages_and_nothing_is_written(world, case):
    sheets, sheet, column, phrase = BAD_ROWS[case](world)
    before = recorded()
    data_import = preview(world, workbook(**sheets))
    refused = [row for row in data_import.preview["rows"] if row["outcome"] == "refuse"]
    assert len(refused) == 1, data_import.preview["rows"]
    assert data_import.preview["counts"]["refuse"] == 1
    row = refused[0]
    assert row["sheet"] == sheet
    reasons = {language: " ".join(reason[language] for reason in row["reasons"]) for language in LANGUAGES}
    assert phrase in reasons["en"], reasons
    assert phrase not in reasons["zh-hans"], "the reason has no Chinese"
    if column is not None:
        for language in LANGUAGES:
            assert reasons[language].startswith(header(sheet, column, language)), reasons[language]
    apply_refused(world, data_import, "refused", "Rows of this workbook are refused")
    assert recorded() == before
    data_import.refresh_from_db()
    assert data_import.applied_at is None


def test_a_tranche_without_its_number_is_matched_by_date_and_amount(world):
    """Rows of a workbook that left the tranche column empty still find the tranche they record."""
    sheets = {"flows": [flow(FlowType.INVESTMENT, world.deal_a, date=day(2022, 3, 1), amount=60 * M)]}
    data_import = preview(world, workbook(**sheets))
    (row,) = data_import.preview["rows"]
    assert (row["outcome"], row["values"]["tranche"]) == ("unchanged", "1")


def test_a_deal_held_in_two_rounds_needs_the_round(world):
    """The planner on rows as read_workbook hands them over (every cell as text)."""
    second = make_deal(world, company=world.deal_a.company, stage=DealStage.PORTFOLIO, round="b")
    DealTerms.objects.create(deal=second, amount=20 * M, instrument=Instrument.COMMON, pre_money=M, ownership=1)
    row = {"line": 2, "uscc": uscc(world.deal_a), "date": "2024-06-30", "value": "80000000", "method": "可比公司法"}
    (refused,) = Planner(world.fund, {"valuations": [row]}).plan()
    assert refused.final == "refuse" and "enter the round" in refused.reasons[0]["en"]
    (named,) = Planner(world.fund, {"valuations": [row | {"round": "Series B"}]}).plan()
    assert named.deal == second
    assert "paid nothing into this company yet" in named.reasons[0]["en"]


# --- bad files: refused as a whole, nothing stored --------------------------------------------------------------


def _headers(sheet, language="zh-hans"):
    return [header(sheet, column.key, language) for column in BY_KEY[sheet].columns]


def _pdf(world):
    return upload(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", name="业绩数据.xlsx")


def _damaged(world):
    data = services.export_data(actor=world.manager, fund=world.fund)
    return upload(data[: len(data) // 2])


def _missing_column(world):
    headers = [h for h in _headers("valuations") if h != header("valuations", "date", "zh-hans")]
    with translation.override("zh-hans"):
        title = str(BY_KEY["valuations"].name)
    return upload(sheet_file(title, headers, [[uscc(world.deal_a), "", 80 * M, "可比公司法", ""]]))


def _column_twice(world):
    headers = _headers("index") + [header("index", "level", "en")]
    return upload(sheet_file("指数", headers, [[INDEX, "2025-01-02", 3800, 3801]]))


def _two_flow_sheets(world):
    zh = flow(FlowType.PAID_IN, lp="社会资本合伙企业")
    book = load_workbook(io.BytesIO(workbook(flows=[zh])))
    with translation.override("en"):
        english = load_workbook(io.BytesIO(datasheets.build_workbook({"flows": [zh]})))
    copy = book.create_sheet("Cash flows")
    for row in english["Cash flows"].iter_rows(values_only=True):
        copy.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return upload(buffer.getvalue())


BAD_FILES = {
    "not a spreadsheet": (_pdf, "Excel workbook"),
    "a text file named .xlsx": (lambda w: upload("日期,金额\n".encode()), "Excel workbook"),
    "a damaged workbook": (_damaged, "could not be read"),
    "an empty workbook": (lambda w: upload(workbook()), "no rows to import"),
    "an empty file": (lambda w: upload(b""), "empty"),
    "a sheet without a required column": (_missing_column, "lacks these columns"),
    "a column twice": (_column_twice, "appears twice"),
    "two sheets of cash flows": (_two_flow_sheets, "Two sheets hold"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_as_a_whole_and_nothing_is_stored(world, case):
    make, phrase = BAD_FILES[case]
    file = make(world)
    before = recorded()
    with pytest.raises(ValidationError) as caught:
        services.preview_import(actor=world.manager, fund=world.fund, upload=file)
    assert list(caught.value.message_dict) == ["upload"]
    assert phrase in said(caught.value, "en")
    assert phrase not in said(caught.value, "zh-hans"), "the message has no Chinese"
    assert recorded() == before
    assert not PerformanceImport.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whole_file_refusal_names_the_column_in_the_uploaders_language(world, language):
    file = _missing_column(world)
    with translation.override(language), pytest.raises(ValidationError) as caught:
        services.preview_import(actor=world.manager, fund=world.fund, upload=file)
    assert header("valuations", "date", language) in said(caught.value, language)


# --- all or nothing --------------------------------------------------------------------------------------------


def test_one_refused_row_among_good_ones_applies_nothing(world):
    sheets = {
        "flows": [flow(FlowType.PAID_IN, lp="坪山区政府引导基金"), flow(FlowType.PAID_IN, lp="不存在的有限合伙企业")],
        "valuations": [valuation(world.deal_a)],
        "index": [{"index": INDEX, "date": day(2025, 1, 2), "level": Decimal("3800")}],
    }
    data_import = preview(world, workbook(**sheets))
    assert data_import.preview["counts"] == {"create": 3, "update": 0, "unchanged": 0, "refuse": 1}
    apply_refused(world, data_import, "refused", "Rows of this workbook are refused")


def test_data_changed_since_the_preview_applies_nothing_and_replaces_the_preview(world):
    data_import = preview(world, workbook(valuations=[valuation(world.deal_a, value=80 * M)]))
    assert data_import.preview["counts"]["create"] == 1
    portfolio.record_valuation(
        actor=world.manager,
        deal=world.deal_a,
        valued_on=day(2024, 6, 30),
        value=70 * M,
        method=ValuationMethod.LAST_ROUND,
    )
    apply_refused(world, data_import, "changed", "changed since the preview")
    data_import.refresh_from_db()
    assert data_import.applied_at is None
    assert [row["outcome"] for row in data_import.preview["rows"]] == ["update"]
    assert data_import.preview["rows"][0]["before"]["value"] == "70000000.00"

    services.apply_import(actor=world.manager, data_import=data_import)  # the new preview is what is confirmed
    assert Valuation.objects.get(deal=world.deal_a, valued_on=day(2024, 6, 30)).value == 80 * M


def test_a_workbook_is_applied_once(world):
    data_import = preview(world, workbook(flows=[flow(FlowType.PAID_IN, lp="坪山区政府引导基金")]))
    services.apply_import(actor=world.manager, data_import=data_import)
    apply_refused(world, data_import, "applied", "already applied")
    assert PaidIn.objects.filter(commitment=world.government).count() == 2


def test_only_the_funds_managers_preview_and_apply(world):
    from django.core.exceptions import PermissionDenied

    data = workbook(flows=[flow(FlowType.PAID_IN, lp="坪山区政府引导基金")])
    for someone in (world.other_manager, world.ic_chair, world.role_only, world.firm):
        with pytest.raises(PermissionDenied):
            preview(world, data, actor=someone)
        with pytest.raises(PermissionDenied):
            services.export_data(actor=someone, fund=world.fund)
    data_import = preview(world, data)
    with pytest.raises(PermissionDenied):
        services.apply_import(actor=world.other_manager, data_import=data_import)
    assert not PerformanceImport.objects.exclude(pk=data_import.pk).exists()
    assert PaidIn.objects.filter(commitment=world.government).count() == 1


# --- what applying writes and records ---------------------------------------------------------------------------


@pytest.fixture
def second_manager(world):
    person = UserFactory(username="second-fund-manager", roles=[RoleCode.FUND_MANAGER])
    world.fund.managers.add(person)
    return person


def test_applying_writes_every_kind_of_record(world, second_manager):
    a = world.deal_a
    Disbursement.objects.create(deal=a, number=2, planned_on=day(2024, 3, 1), planned_amount=10 * M)
    deal_c = make_deal(world, company=make_company(name="丙生物科技有限公司"), stage=DealStage.PORTFOLIO)
    DealTerms.objects.create(deal=deal_c, amount=5 * M, instrument=Instrument.COMMON, pre_money=M, ownership=1)
    Disbursement.objects.create(
        deal=deal_c,
        number=1,
        planned_on=day(2023, 1, 1),
        planned_amount=5 * M,
        paid_on=day(2023, 1, 1),
        paid_amount=5 * M,
    )
    requested = KpiReport.objects.create(
        deal=a,
        period_start=day(2025, 1, 1),
        period_end=day(2025, 6, 30),
        due_on=day(2025, 8, 1),
        requested_by=world.manager,
    )
    sheets = {
        "flows": [
            flow(FlowType.INVESTMENT, a, tranche=2, date=day(2024, 3, 1), amount=10 * M),  # pays the planned tranche
            flow(FlowType.INVESTMENT, a, date=day(2024, 6, 1), amount=5 * M),  # a new tranche, numbered next
            flow(FlowType.EXIT, deal_c, date=day(2024, 10, 1), amount=0, exit_kind=ExitKind.LIQUIDATION),  # written off
            flow(FlowType.PAID_IN, lp="坪山区政府引导基金", date=day(2024, 1, 10), amount=10 * M),
            flow(FlowType.DISTRIBUTION, lp="社会资本合伙企业", date=day(2024, 12, 1), amount=5 * M),
        ],
        "valuations": [
            valuation(a, date=day(2024, 6, 30), value=80 * M, method=ValuationMethod.COMPARABLES, note="可比公司"),
            valuation(a, date=perf.AS_OF, value=95 * M, method=ValuationMethod.LAST_ROUND),  # was 90
        ],
        "kpis": [
            {"uscc": uscc(a), "period_start": day(2025, 1, 1), "period_end": day(2025, 6, 30),
             "revenue": 7 * M, "headcount": 90},
            {"uscc": uscc(a), "period_start": day(2023, 1, 1), "period_end": day(2023, 12, 31), "patents": 2},
        ],
        "index": [
            {"index": "恒生生物科技指数", "date": day(2024, 6, 30), "level": Decimal("5000")},
            {"index": "恒生生物科技指数", "date": perf.AS_OF, "level": Decimal("5200.5")},
            {"index": "CSI 300", "date": day(2025, 1, 2), "level": Decimal("3900")},
        ],
    }  # fmt: skip
    data_import = preview(world, workbook(**sheets))
    assert data_import.preview["counts"] == {"create": 9, "update": 3, "unchanged": 0, "refuse": 0}
    notes = [row["notes"] for row in data_import.preview["rows"] if row["notes"]]
    assert len(notes) == 1  # the new index is announced once
    Notification.objects.all().delete()

    services.apply_import(actor=world.manager, data_import=data_import)

    tranches = {t.number: t for t in Disbursement.objects.filter(deal=a)}
    assert (tranches[2].paid_on, tranches[2].paid_amount, tranches[2].recorded_by) == (
        day(2024, 3, 1),
        10 * M,
        world.manager,
    )
    assert (tranches[3].paid_on, tranches[3].paid_amount, tranches[3].planned_amount) == (day(2024, 6, 1), 5 * M, 5 * M)
    assert sorted(tranches) == [1, 2, 3]
    exit_record = Exit.objects.get(deal=deal_c)
    assert (exit_record.exited_on, exit_record.proceeds, exit_record.kind) == (
        day(2024, 10, 1),
        0,
        ExitKind.LIQUIDATION,
    )
    assert PaidIn.objects.get(commitment=world.government, paid_on=day(2024, 1, 10)).amount == 10 * M
    assert LpDistribution.objects.get(commitment=world.social, paid_on=day(2024, 12, 1)).amount == 5 * M
    new = Valuation.objects.get(deal=a, valued_on=day(2024, 6, 30))
    assert (new.value, new.method, new.note, new.recorded_by) == (
        80 * M,
        ValuationMethod.COMPARABLES,
        "可比公司",
        world.manager,
    )
    assert Valuation.objects.get(deal=a, valued_on=perf.AS_OF).value == 95 * M
    requested.refresh_from_db()
    assert (requested.state, requested.revenue, requested.headcount, requested.submitted_by) == (
        KpiState.SUBMITTED,
        7 * M,
        90,
        world.manager,
    )
    report = KpiReport.objects.get(deal=a, period_end=day(2023, 12, 31))
    assert (report.state, report.patents, report.revenue) == (KpiState.SUBMITTED, 2, None)
    index = BenchmarkIndex.objects.get(name="恒生生物科技指数")
    assert list(index.levels.values_list("on", "level")) == [
        (day(2024, 6, 30), Decimal("5000")),
        (perf.AS_OF, Decimal("5200.5")),
    ]
    assert IndexLevel.objects.get(index__name=INDEX, on=day(2025, 1, 2)).level == Decimal("3900")

    data_import.refresh_from_db()
    assert data_import.applied_at is not None
    # One audit entry for the import and one per deal it changed (whose history says so), in the fund's stream.
    entries = ModelLogEntry.objects.filter(action="funds.apply_performance_import")
    assert sorted(entry.object_id for entry in entries) == sorted(str(pk) for pk in (data_import.pk, a.pk, deal_c.pk))
    lines = Event.objects.in_scope(world.fund).filter(verb=FundVerb.IMPORTED_PERFORMANCE)
    assert lines.count() == 3
    assert Event.objects.about(a).filter(verb=FundVerb.IMPORTED_PERFORMANCE).count() == 1
    summary = Event.objects.about(data_import).get().summary
    assert summary.startswith("业绩数据.xlsx") and "9" in summary and "3" in summary
    told = Notification.objects.get()
    assert told.recipient == second_manager
    assert told.url == services.preview_url(data_import)


def test_previewing_is_audited_and_writes_nothing_else(world):
    before = recorded()
    preview(world, workbook(flows=[flow(FlowType.PAID_IN, lp="坪山区政府引导基金")]))
    assert recorded() == before
    entry = ModelLogEntry.objects.get(action="funds.preview_performance_import")
    assert (entry.data["create"], entry.data["file"]) == (1, "业绩数据.xlsx")
    assert not Event.objects.filter(verb=FundVerb.IMPORTED_PERFORMANCE).exists()


# --- queries -------------------------------------------------------------------------------------------------------


def big_workbook(world, rows):
    """``rows`` rows spread over three sheets: valuations, LP paid-in and index levels on consecutive days."""
    third = rows // 3
    days = [day(2022, 3, 2) + datetime.timedelta(days=n) for n in range(third)]
    return workbook(
        flows=[flow(FlowType.PAID_IN, lp="社会资本合伙企业", date=on, amount=M) for on in days],
        valuations=[valuation(world.deal_a, date=on) for on in days],
        index=[{"index": INDEX, "date": on, "level": Decimal("4000")} for on in days if on not in LEVELS],
    )


def test_a_preview_costs_the_same_queries_for_300_and_3000_rows(world):
    small, large = big_workbook(world, 300), big_workbook(world, 3000)
    preview(world, small)  # warm the caches (content types, roles) the first preview fills
    costs = []
    for data in (small, large):
        with CaptureQueriesContext(connection) as queries:
            data_import = preview(world, data)
        assert data_import.preview["counts"]["refuse"] == 0
        costs.append(len(queries))
    assert costs[0] == costs[1], costs
    assert costs[1] <= 30, costs
