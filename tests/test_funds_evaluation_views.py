"""The performance pages through the test client on the fund worked out by hand (tests/funds_performance_world.py):
the dashboard, a year's evaluation from start to the chair's approval, the rows behind a figure, the workbook; bad
input answered with a message in the reader's language and nothing changed; queries that do not grow with deals."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from funds.models import (
    DealStage,
    Disbursement,
    EvaluationState,
    PerformanceEvaluation,
    Valuation,
    ValuationMethod,
)
from funds.services import performance as services
from tests import funds_performance_world as perf
from tests.funds_world import make_company, make_deal

pytestmark = pytest.mark.django_db
YEAR = perf.YEAR


@pytest.fixture
def world():
    return perf.build()


def urls(world):
    """Every URL of the year, reversed before any /en/ request switches the thread's language."""
    fund, year = world.fund.slug, YEAR
    names = ("evaluation", "evaluation_start", "evaluation_compute", "evaluation_recommendations")
    found = {name: reverse(f"funds:{name}", kwargs={"fund": fund, "year": year}) for name in names}
    found["approve"] = reverse("funds:evaluation_approve", kwargs={"fund": fund, "year": year})
    found["workbook"] = reverse("funds:evaluation_workbook", kwargs={"fund": fund, "year": year})
    found["performance"] = reverse("funds:performance", kwargs={"fund": fund})
    found["figure"] = reverse("funds:evaluation_figure", kwargs={"fund": fund, "year": year, "key": "gross_tvpi"})
    return found


def computed(world, recommendations=""):
    evaluation = services.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    evaluation = services.compute_evaluation(actor=world.manager, evaluation=evaluation)
    if recommendations:
        evaluation = services.write_recommendations(
            actor=world.manager, evaluation=evaluation, recommendations=recommendations
        )
    return evaluation


def page(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def state(evaluation):
    evaluation.refresh_from_db()
    return (evaluation.state, evaluation.computed_at, evaluation.total, evaluation.recommendations)


# The dashboard


def test_the_dashboard_shows_key_figures_charts_and_the_evaluations(client, world):
    computed(world)
    client.force_login(world.manager)
    html = page(client, urls(world)["performance"])
    assert 'data-figure="leverage"' in html and "4.00×" in html  # 400 ÷ 100
    assert 'data-figure="gross_tvpi"' in html and "1.70×" in html  # (80 + 90) ÷ 100
    assert html.count("<svg") >= 2
    assert 'id="evaluations"' in html and f'href="{urls(world)["evaluation"]}"' in html
    assert "84.00" in html and 'data-grade="good"' in html and "良" in html


def test_the_dashboard_of_a_fund_without_a_set_says_so(client, world):
    world.indicator_set.indicators.all().delete()
    world.indicator_set.delete()
    client.force_login(world.manager)
    html = page(client, urls(world)["performance"])
    assert "data-figure" in html and "<svg" in html
    assert 'class="empty-state"' in html


# The year's evaluation, step by step through the page


def test_before_the_start_only_a_manager_gets_the_start_form(client, world):
    start = urls(world)["evaluation_start"]
    client.force_login(world.manager)
    assert f'action="{start}"' in page(client, urls(world)["evaluation"])
    client.force_login(world.ic_chair)
    html = page(client, urls(world)["evaluation"])
    assert 'class="empty-state"' in html and f'action="{start}"' not in html


def test_started_and_computed_through_the_page_the_table_shows_the_scores(client, world):
    client.force_login(world.manager)
    response = client.post(urls(world)["evaluation_start"], {"as_of": "2024-12-31"}, follow=True)
    assert response.status_code == 200
    evaluation = PerformanceEvaluation.objects.get(indicator_set=world.indicator_set)
    assert evaluation.as_of == perf.AS_OF
    client.post(urls(world)["evaluation_compute"])
    html = page(client, urls(world)["evaluation"])
    for key, score in (("leverage", "30.00"), ("reinvestment", "12.00"), ("gross_tvpi", "21.00")):
        row = html.split(f'data-indicator="{key}"')[1].split("</tr>")[0]
        assert f"<td>{score}</td>" in row
    assert "data-total>84.00<" in html
    assert 'data-grade="good">良' in html


def test_the_rows_behind_a_figure_as_a_partial_and_as_a_page(client, world):
    evaluation = computed(world)
    client.force_login(world.manager)
    partial = page(client, urls(world)["figure"], HTTP_HX_REQUEST="true")
    assert "<html" not in partial and 'data-sources="gross_tvpi"' in partial
    assert "8,000.00万元" in partial  # the exit's proceeds
    assert "9,000.00万元" in partial  # the valuation
    full = page(client, urls(world)["figure"])
    assert "<html" in full and "8,000.00万元" in full and evaluation.get_absolute_url() in full


def test_recommendations_are_saved_and_shown(client, world):
    evaluation = computed(world)
    client.force_login(world.manager)
    response = client.post(urls(world)["evaluation_recommendations"], {"recommendations": "  明年规模保持十亿元。 "})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.recommendations == "明年规模保持十亿元。"
    assert "明年规模保持十亿元。" in page(client, urls(world)["evaluation"])
    client.force_login(world.ic_chair)  # no form for the chair: the text
    html = page(client, urls(world)["evaluation"])
    assert '<div class="prose"><p>明年规模保持十亿元。</p></div>' in html


def test_the_chair_approves_through_the_page_and_compute_is_then_refused(client, world):
    evaluation = computed(world, recommendations="保持规模。")
    client.force_login(world.ic_chair)
    assert f'action="{urls(world)["approve"]}"' in page(client, urls(world)["evaluation"])
    client.post(urls(world)["approve"])
    before = state(evaluation)
    assert before[0] == EvaluationState.APPROVED
    assert f'action="{urls(world)["approve"]}"' not in page(client, urls(world)["evaluation"])
    client.force_login(world.manager)
    html = page(client, urls(world)["evaluation"])
    assert f'action="{urls(world)["evaluation_compute"]}"' not in html  # no button for an approved year
    response = client.post(urls(world)["evaluation_compute"], follow=True)
    assert "不再重新计算" in response.content.decode()
    assert state(evaluation) == before


def test_a_manager_cannot_approve_and_the_chair_cannot_compute(client, world):
    evaluation = computed(world, recommendations="保持规模。")
    before = state(evaluation)
    client.force_login(world.manager)
    assert client.post(urls(world)["approve"]).status_code == 404
    client.force_login(world.ic_chair)
    assert client.post(urls(world)["evaluation_compute"]).status_code == 404
    assert state(evaluation) == before


# Bad input: a message in the reader's language, nothing changed


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("", "必需字段"), ("/en", "This field is required.")],
)
def test_empty_recommendations_are_refused(client, world, prefix, expected):
    evaluation = computed(world, recommendations="保持规模。")
    url = urls(world)["evaluation_recommendations"]
    before = state(evaluation)
    client.force_login(world.manager)
    response = client.post(f"{prefix}{url}", {"recommendations": "   "}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert state(evaluation) == before


@pytest.mark.parametrize(
    ("prefix", "as_of", "expected"),
    [
        ("", "future", "尚未到来"),
        ("/en", "future", "The figures cannot be as of a day that has not come yet."),
        ("", "2023-12-31", "评价年度内"),
        ("/en", "2023-12-31", "The figures must be as of a day in the evaluated year."),
        ("/en", "not a date", "Enter a valid date."),
    ],
)
def test_a_start_date_in_the_future_or_outside_the_year_is_refused(client, world, prefix, as_of, expected):
    if as_of == "future":
        as_of = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    url = urls(world)["evaluation_start"]
    client.force_login(world.manager)
    response = client.post(f"{prefix}{url}", {"as_of": as_of}, follow=True)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not PerformanceEvaluation.objects.exists()


# The workbook


@pytest.mark.parametrize(
    ("prefix", "sheets"),
    [
        ("", ["汇总", "指标", "指标数据来源", "项目清单", "现金流", "季度"]),
        ("/en", ["Summary", "Indicators", "Indicator inputs", "Deals", "Cash flows", "Quarterly"]),
    ],
)
def test_the_workbook_downloads_in_the_readers_language(client, world, prefix, sheets):
    evaluation = computed(world)
    url = urls(world)["workbook"]
    client.force_login(world.manager)
    response = client.get(f"{prefix}{url}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == sheets
    indicators = book[sheets[1]]
    scores = {row[2]: row[7] for row in indicators.iter_rows(min_row=2, values_only=True)}
    assert {key: float(score) for key, score in scores.items()} == {
        "leverage": 30,
        "reinvestment": 12,
        "gross_tvpi": 21,
        "gross_dpi": 20 * 0.8,
        "milestones": 5,
    }
    flows = list(book[sheets[4]].iter_rows(min_row=2, values_only=True))
    assert len(flows) == 7  # two tranches, one exit, two paid-in, two distributions
    assert {row[0] for row in flows} >= {datetime.datetime(2022, 3, 1), datetime.datetime(2024, 6, 30)}
    quarters = list(book[sheets[5]].iter_rows(min_row=2, values_only=True))
    assert len(quarters) == len(evaluation.snapshot["quarterly"]) == 12  # 2022 Q1 to 2024 Q4
    assert quarters[-1][0] == datetime.datetime(2024, 12, 31)


# Queries: the same for the world's two deals and for ten times as many


def more_deals(world, count):
    """``count`` more invested deals, paid and valued within the evaluated year."""
    for n in range(count):
        deal = make_deal(world, company=make_company(), stage=DealStage.PORTFOLIO)
        paid_on = datetime.date(2024, 3, 1) + datetime.timedelta(days=n)
        amount = Decimal(1_000_000 + n)
        Disbursement.objects.create(
            deal=deal, number=1, planned_on=paid_on, planned_amount=amount, paid_on=paid_on, paid_amount=amount
        )
        Valuation.objects.create(deal=deal, valued_on=perf.AS_OF, value=2 * amount, method=ValuationMethod.LAST_ROUND)


def test_the_pages_ask_no_more_queries_for_ten_times_the_deals(client, world, django_assert_max_num_queries):
    evaluation = computed(world)
    client.force_login(world.manager)
    with CaptureQueriesContext(connection) as dashboard:
        page(client, urls(world)["performance"])
    with CaptureQueriesContext(connection) as year:
        page(client, urls(world)["evaluation"])
    more_deals(world, 18)  # two deals become twenty
    services.compute_evaluation(actor=world.manager, evaluation=evaluation)
    assert len(PerformanceEvaluation.objects.get().snapshot["deals"]) == 20
    with django_assert_max_num_queries(len(dashboard)):
        page(client, urls(world)["performance"])
    with django_assert_max_num_queries(len(year)):
        page(client, urls(world)["evaluation"])
    assert len(dashboard) <= 40 and len(year) <= 30  # and stay small
