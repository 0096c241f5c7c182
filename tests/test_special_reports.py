"""The officers' special-talent reports (talent/special_reports.py, talent/views/special_reports.py): the figures
against ones worked out by hand, the year of submission, the charts (Chinese glyphs), the page in both languages,
who may read it, the workbook (its sheets, no ID number or date of birth, audited) and a query count that does not
grow with the applications."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from portal.applications import services as applications
from portal.applications.models import Application
from talent import special_reports
from talent.models import MissedCriterion, SpecialStage, SpecialTalentApplication, StageVisit
from talent.services import special as special_services
from talent.special_reports import Row, Visit, by_reason, by_sector, by_stage, gather, time_in_stage
from talent.views.special_reports import charts_of
from tests.special_world import BIRTH_DATE, RESIDENT_ID, build_special_world, draft, reload, scored_panel
from tests.test_charts import has_glyphs

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1
MASKED = RESIDENT_ID[:4]  # what a masked number would still show: never the whole


def moment(days_ago, hours=0):
    return timezone.now() - datetime.timedelta(days=days_ago, hours=hours)


# --- the figures, by hand ---------------------------------------------------------------------------------------


def row(pk, stage, sector="biomed", missed=("age",), order=1):
    return Row(
        pk=pk,
        reference=f"TS-{pk}",
        candidate_name=f"候选人{pk}",
        candidate_name_en="",
        employer="深圳某公司",
        employer_en="",
        sector_code=sector,
        sector_zh={"biomed": "生物医药", "nev": "新能源汽车"}[sector],
        sector_en={"biomed": "Biomedicine", "nev": "New energy vehicles"}[sector],
        sector_order=order,
        stage=stage,
        missed_criteria=tuple(missed),
        submitted_at=None,
        stage_changed_at=timezone.now(),
    )


def visit(stage, entered_days_ago, spent_days=None):
    entered = moment(entered_days_ago)
    left = None if spent_days is None else entered + datetime.timedelta(days=spent_days)
    return Visit(application=1, stage=stage, entered_at=entered, left_at=left)


def test_by_stage_lists_every_stage_in_order_zeros_too():
    rows = [row(1, "pre_review"), row(2, "pre_review"), row(3, "approved")]
    counts = {line.code: line.count for line in by_stage(rows)}
    assert [line.code for line in by_stage(rows)] == list(SpecialStage.values)
    assert counts == dict.fromkeys(SpecialStage.values, 0) | {"pre_review": 2, "approved": 1}


def test_by_sector_counts_the_sectors_present_in_the_themes_order():
    rows = [row(1, "panel", "nev", order=1), row(2, "panel", "biomed", order=2), row(3, "notice", "nev", order=1)]
    with translation.override("zh-hans"):
        assert [(line.code, line.label, line.count) for line in by_sector(rows)] == [
            ("nev", "新能源汽车", 2),
            ("biomed", "生物医药", 1),
        ]
    with translation.override("en"):
        assert [line.label for line in by_sector(rows)] == ["New energy vehicles", "Biomedicine"]


def test_a_candidate_missing_two_criteria_counts_under_both():
    rows = [row(1, "panel", missed=("age", "degree")), row(2, "panel", missed=("degree",)), row(3, "panel")]
    counts = {line.code: line.count for line in by_reason(rows)}
    assert counts == {"age": 2, "degree": 2, "title": 0, "other": 0}


def test_time_in_stage_takes_median_and_mean_of_the_stays_that_ended():
    visits = [
        visit("pre_review", 30, 2),
        visit("pre_review", 30, 4),
        visit("pre_review", 30, 9),
        visit("pre_review", 3),  # still there: not counted in the times
        visit("panel", 20, 1.5),
        visit("panel", 20, 2.5),
        visit("approved", 2),
    ]
    rows = [row(1, "pre_review"), row(2, "panel"), row(3, "panel"), row(4, "approved")]
    times = {time.stage: time for time in time_in_stage(visits, rows)}
    assert list(times) == ["pre_review", "panel", "deliberation", "notice", "filing"]
    assert (times["pre_review"].ended, times["pre_review"].median_days, times["pre_review"].mean_days) == (
        3,
        Decimal("4.0"),
        Decimal("5.0"),
    )
    assert (times["panel"].median_days, times["panel"].mean_days) == (Decimal("2.0"), Decimal("2.0"))
    assert (times["pre_review"].now, times["panel"].now, times["notice"].now) == (1, 2, 0)
    assert times["notice"].median_days is None and times["notice"].mean_days is None and times["notice"].ended == 0


def test_days_are_rounded_half_up_to_a_tenth_only_at_the_end():
    # 1 day 1 hour and 1 day 2 hours: the mean is 1.0625 days → 1.1; each alone would round to 1.0
    visits = [visit("panel", 10, 1 + 1 / 24), visit("panel", 10, 1 + 2 / 24)]
    (panel,) = [time for time in time_in_stage(visits, []) if time.stage == "panel"]
    assert panel.mean_days == Decimal("1.1") and panel.median_days == Decimal("1.1")


# --- from the database --------------------------------------------------------------------------------------------


def sent(world, *, name, theme=None, missed=("age", "degree"), employer=None, organization=None):
    """An application sent by the employer for candidate ``name`` in ``theme``, missing ``missed``."""
    application = draft(world, employer, organization, name=name, theme_pk=(theme or world.theme).pk)
    case = {"missed_criteria": list(missed), "missed_explanation": "见附件。", "need": "急需。"}
    applications.save_step(actor=employer or world.employer, application=application, step="case", data=case)
    return applications.submit(actor=employer or world.employer, application=application).special_application


def stays(special, *spans):
    """Give the application's stays (oldest first) the spans (days ago entered, days spent; None: still there)."""
    for stay, (entered_days_ago, spent_days) in zip(special.stage_visits.order_by("pk"), spans, strict=True):
        entered = moment(entered_days_ago)
        left = None if spent_days is None else entered + datetime.timedelta(days=spent_days)
        StageVisit.objects.filter(pk=stay.pk).update(entered_at=entered, left_at=left)


@pytest.fixture
def reported():
    """Four applications worked out by hand:
    - 王一 (biomed; age, degree): in pre-review;
    - 李二 (biomed; title): declined after 3 days of pre-review, sent last year;
    - 赵三 (nev; age): 5 days in pre-review (the other bureau's), now with the panel;
    - 孙四 (biomed; degree, title): 1.5 days in pre-review, 10 with the panel, now at the talent work meeting."""
    world = build_special_world()
    first = sent(world, name="王一")
    second = sent(world, name="李二", missed=("title",))
    special_services.pre_review(actor=world.reviewer, special=second, outcome="decline", opinion="不属急需方向。")
    third = sent(world, name="赵三", theme=world.other_theme, missed=("age",))
    special_services.pre_review(
        actor=world.other_reviewer, special=third, outcome="pass_pre_review", opinion="同意推荐。"
    )
    fourth = sent(world, name="孙四", missed=("degree", "title"))
    special_services.pre_review(actor=world.reviewer, special=fourth, outcome="pass_pre_review", opinion="同意。")
    scored_panel(world, reload(fourth))
    special_services.send_to_deliberation(actor=world.officer, special=reload(fourth))
    stays(first, (2, None))
    stays(second, (40, 3), (37, None))
    stays(third, (20, 5), (15, None))
    stays(fourth, (30, 1.5), (28.5, 10), (18.5, None))
    last_year = timezone.make_aware(datetime.datetime(LAST_YEAR, 6, 1, 10))
    Application.objects.filter(pk=second.application_id).update(submitted_at=last_year)
    world.specials = [first, second, third, fourth]
    return world


def test_the_report_of_every_year_matches_the_hand_worked_figures(reported):
    with translation.override("zh-hans"):
        report = gather(reported.programme)
    assert report.total == 4 and report.years == (THIS_YEAR, LAST_YEAR)
    stages = {line.code: line.count for line in report.stages}
    assert {code: count for code, count in stages.items() if count} == {
        "pre_review": 1,
        "declined": 1,
        "panel": 1,
        "deliberation": 1,
    }
    assert {line.label: line.count for line in report.sectors} == {"生物医药": 3, "新能源汽车": 1}
    themes = sorted([reported.theme, reported.other_theme], key=lambda theme: (theme.order, theme.code))
    assert [line.code for line in report.sectors] == [theme.code for theme in themes]  # the themes' order
    assert {line.code: line.count for line in report.reasons} == {"age": 2, "degree": 2, "title": 2, "other": 0}
    times = {time.stage: time for time in report.times}
    # pre-review stays ended: 3, 5 and 1.5 days → median 3.0, mean 3.17 → 3.2
    assert (times["pre_review"].ended, times["pre_review"].median_days, times["pre_review"].mean_days) == (
        3,
        Decimal("3.0"),
        Decimal("3.2"),
    )
    assert (times["panel"].ended, times["panel"].median_days, times["panel"].mean_days) == (
        1,
        Decimal("10.0"),
        Decimal("10.0"),
    )
    assert [times[stage].now for stage in ("pre_review", "panel", "deliberation", "notice", "filing")] == [
        1,
        1,
        1,
        0,
        0,
    ]


def test_the_year_of_submission_filters_every_table(reported):
    last = gather(reported.programme, LAST_YEAR)
    assert [row.candidate_name for row in last.rows] == ["李二"]
    assert {line.code: line.count for line in last.stages if line.count} == {"declined": 1}
    assert {line.code: line.count for line in last.reasons if line.count} == {"title": 1}
    times = {time.stage: time for time in last.times}
    assert (times["pre_review"].ended, times["pre_review"].median_days) == (1, Decimal("3.0"))
    this = gather(reported.programme, THIS_YEAR)
    assert sorted(row.candidate_name for row in this.rows) == ["孙四", "王一", "赵三"]
    assert gather(reported.programme, LAST_YEAR - 5).total == 0


def test_another_programmes_applications_are_not_counted(reported):
    assert gather(reported.other_programme).total == 0
    assert special_reports.years_of(reported.other_programme) == ()


def test_the_rows_hold_no_identifier(reported):
    report = gather(reported.programme)
    text = repr(report)
    assert RESIDENT_ID not in text and BIRTH_DATE not in text and "enc:" not in text


# --- the charts ---------------------------------------------------------------------------------------------------


def test_each_table_has_a_chart_with_chinese_labels_drawn_as_glyphs(reported):
    with translation.override("zh-hans"):
        charts = charts_of(gather(reported.programme))
    assert set(charts) == {"stages", "sectors", "reasons", "times"}
    assert has_glyphs(charts["sectors"], "生物医药新能源汽车")
    with translation.override("zh-hans"):
        assert has_glyphs(charts["reasons"], str(MissedCriterion.AGE.label))
    assert not charts["times"].is_empty  # pre-review and panel have ended stays
    assert set(charts["sectors"].rows) == {("生物医药", "3"), ("新能源汽车", "1")}
    for chart in charts.values():
        assert chart.svg.startswith("<svg") and "<script" not in chart.svg


def test_a_programme_without_applications_draws_empty_charts(reported):
    reported.other_programme.officers.add(reported.officer)
    with translation.override("en"):
        charts = charts_of(gather(reported.other_programme))
    assert charts["sectors"].is_empty and charts["times"].is_empty


# --- the page -----------------------------------------------------------------------------------------------------


def url(world, name="talent:special_reports", **query):
    address = reverse(name, args=[world.programme.slug])
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def test_the_officer_reads_the_report_in_chinese_with_tables_and_charts(reported, client):
    client.force_login(reported.officer)
    page = client.get(url(reported)).content.decode()
    assert "按阶段统计申请" in page and "各阶段用时（中位天数）" in page and "中位天数" in page
    assert page.count("<svg") == 4
    assert 'data-total="4"' in page
    assert 'data-reason="title"' in page and "生物医药" in page
    assert reverse("talent:special_reports_export", args=[reported.programme.slug]) in page
    for secret in (RESIDENT_ID, BIRTH_DATE):
        assert secret not in page


def test_the_page_reads_in_english_under_en(reported, client):
    client.force_login(reported.officer)
    with translation.override("en"):
        address = url(reported)
    page = client.get(address).content.decode()
    assert address.startswith("/en/")
    assert "Median days" in page and "Applications by sector" in page
    assert reported.theme.name_en in page and reported.other_theme.name_en in page


def test_a_year_filters_the_page_and_a_bad_year_says_so_and_shows_every_year(reported, client):
    client.force_login(reported.officer)
    page = client.get(url(reported, year=LAST_YEAR)).content.decode()
    assert 'data-total="1"' in page
    response = client.get(url(reported, year="abc"), follow=True)
    page = response.content.decode()
    assert 'data-total="4"' in page
    assert "该年度没有提交的申请：报表按全部年度统计。" in page


@pytest.mark.parametrize("who", ["other_officer", "reviewer", "employer", "director", "outsider"])
def test_only_the_programmes_officers_may_read_it(reported, client, who):
    client.force_login(getattr(reported, who))
    assert client.get(url(reported)).status_code == 404
    assert client.get(url(reported, "talent:special_reports_export")).status_code == 404


def test_a_base_programme_has_no_special_talent_report(client):
    from tests.talent_world import build_world

    world = build_world()
    client.force_login(world.officer)
    address = reverse("talent:special_reports", args=[world.programme.slug])
    assert client.get(address).status_code == 404


def test_the_special_talent_office_tabs_link_the_reports_for_officers_only(reported, client):
    client.force_login(reported.officer)
    page = client.get(url(reported)).content.decode()
    assert f'href="{url(reported)}" aria-current="page"' in page
    assert url(reported) in client.get(reverse("talent:special_applications")).content.decode()
    client.force_login(reported.reviewer)
    assert url(reported) not in client.get(reverse("talent:special_applications")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(reported, client):
    response = client.get(url(reported))
    assert response.status_code == 302 and "login" in response["Location"]


# --- the workbook -------------------------------------------------------------------------------------------------


def workbook_of(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))


def cells(book):
    return [str(cell) for sheet in book.worksheets for line in sheet.iter_rows(values_only=True) for cell in line]


def test_the_workbook_has_a_sheet_per_table_in_chinese_and_no_identifier(reported, client):
    client.force_login(reported.officer)
    response = client.get(url(reported, "talent:special_reports_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = workbook_of(response)
    assert book.sheetnames == ["按阶段", "按行业", "按未达标准", "各阶段用时", "申请"]
    everything = " ".join(cells(book))
    assert "王一" in everything and "孙四" in everything
    for secret in (RESIDENT_ID, BIRTH_DATE, "enc:", RESIDENT_ID[-6:]):
        assert secret not in everything
    with translation.override("zh-hans"):
        declined = str(SpecialStage.DECLINED.label)
    stages = {line[0]: line[1] for line in book["按阶段"].iter_rows(min_row=2, values_only=True)}
    assert stages[declined] == 1 and sum(stages.values()) == 4
    times = list(book["各阶段用时"].iter_rows(min_row=2, values_only=True))
    assert times[0][1:4] == (3, 3.0, 3.2)


def test_the_workbook_of_a_year_in_english(reported, client):
    client.force_login(reported.officer)
    with translation.override("en"):
        address = url(reported, "talent:special_reports_export", year=LAST_YEAR)
    book = workbook_of(client.get(address))
    assert book.sheetnames == ["By stage", "By sector", "By criterion missed", "Time in each stage", "Applications"]
    rows = list(book["Applications"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Reference", "Candidate", "Candidate (English)")
    assert [line[1] for line in rows[1:]] == ["李二"]


def test_taking_the_workbook_is_audited_without_names(reported, client):
    client.force_login(reported.officer)
    client.get(url(reported, "talent:special_reports_export", year=THIS_YEAR))
    entry = ModelLogEntry.objects.get(action="talent.export_special_reports")
    assert entry.user_id == reported.officer.pk
    assert entry.data == {"year": THIS_YEAR, "applications": 3}
    assert str(entry.object_id) == str(reported.programme.pk)


# --- queries ------------------------------------------------------------------------------------------------------


def queries_for(client, world):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(world)).status_code == 200
    return len(captured)


def test_the_page_asks_as_many_queries_for_60_applications_as_for_5(client):
    world = build_special_world()
    for number in range(5):
        sent(world, name=f"候选人{number}", missed=("age",) if number % 2 else ("degree", "title"))
    client.force_login(world.officer)
    queries_for(client, world)  # warm the per-process caches (content types, the site)
    few = queries_for(client, world)
    for number in range(5, 60):
        sent(world, name=f"候选人{number}", theme=world.other_theme if number % 3 else None)
    assert SpecialTalentApplication.objects.filter(call__programme=world.programme).count() == 60
    many = queries_for(client, world)
    print(f"special-talent reports page: {few} queries for 5 applications, {many} for 60")
    assert many == few, f"{few} queries for 5 applications, {many} for 60"
    with CaptureQueriesContext(connection) as captured:
        client.get(url(world, "talent:special_reports_export"))
    exporting = len(captured)
    assert exporting <= few + 5
