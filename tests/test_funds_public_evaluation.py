"""The fund's performance on its public theme page: the latest approved evaluation's grade and headline policy
figures (leverage, local reinvestment, portfolio companies in Pingshan) from its snapshot, in both languages; a draft
never shows, nor anything about a deal; the section's queries do not grow with the evaluations."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funds.models import EvaluationState, Grade, PerformanceEvaluation
from funds.public import fund_section
from funds.services import performance as services
from tests import funds_performance_world as perf
from tests.funds_world import make_fund
from themes.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = perf.build()
    evaluation = services.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    world.evaluation = services.compute_evaluation(actor=world.manager, evaluation=evaluation)
    return world


def approve(world):
    services.write_recommendations(actor=world.manager, evaluation=world.evaluation, recommendations="保持规模。")
    world.evaluation = services.approve_evaluation(actor=world.ic_chair, evaluation=world.evaluation)


def entry_of(world):
    section = fund_section(Theme.objects.get(code="biomed"), None, None)
    return next(entry for entry in section["funds"] if entry["fund"] == world.fund)


def other_year(world, year, state, grade, leverage):
    """An evaluation of another year written straight from a snapshot (only what the section reads)."""
    indicator_set = services.set_indicators(
        actor=world.manager, fund=world.fund, year=year, name=f"{year}年度指标", indicators=perf.INDICATORS
    )
    figure = {"label": {"zh-hans": "财政资金放大倍数", "en": "Leverage multiple"}, "unit": "multiple"}
    return PerformanceEvaluation.objects.create(
        indicator_set=indicator_set,
        as_of=datetime.date(year, 12, 31),
        state=state,
        grade=grade,
        computed_at=world.evaluation.computed_at,
        snapshot={"figures": {"leverage": {**figure, "value": leverage, "sources": []}}},
    )


def test_a_draft_evaluation_shows_nothing(client, world, site_pages):
    assert world.evaluation.state == EvaluationState.DRAFT
    assert entry_of(world)["evaluation"] is None
    page = client.get(site_pages["theme_page"].url).content.decode()
    assert "data-fund-section" in page and "data-fund-evaluation" not in page and "年度绩效评价" not in page


def test_the_approved_years_grade_and_policy_figures_show_to_anyone_in_both_languages(client, world, site_pages):
    approve(world)
    shown = entry_of(world)["evaluation"]
    assert shown["year"] == perf.YEAR and shown["grade"] == Grade.GOOD
    assert [(figure["key"], Decimal(figure["value"])) for figure in shown["figures"]] == [
        ("leverage", 4),
        ("reinvestment", Decimal("0.6")),
        ("landing", 1),
    ]
    zh = client.get(site_pages["theme_page"].url).content.decode()  # anonymous
    assert 'data-fund-evaluation="2024"' in zh and "2024年度绩效评价" in zh
    assert 'data-evaluation-grade="good">良<' in zh and "绩效评价等级" in zh
    assert 'data-evaluation-figure="leverage">4.00×<' in zh and "财政资金放大倍数" in zh
    assert 'data-evaluation-figure="reinvestment">0.60×<' in zh and "返投比例" in zh
    assert 'data-evaluation-figure="landing">1<' in zh and "落地坪山的被投企业数（累计）" in zh
    # Nothing about a deal: no company, no valuation, no exit proceeds, no total of the scores.
    for secret in ("坪山甲生物科技有限公司", "乙医疗器械有限公司", "9,000.00万元", "8,000.00万元", "84.00"):
        assert secret not in zh
    en = client.get(site_pages["theme_page_en"].url).content.decode()
    assert "Performance evaluation 2024" in en and "performance grade" in en
    assert "Leverage multiple" in en and "Local reinvestment ratio" in en
    assert "Portfolio companies in Pingshan (cumulative)" in en and "良 (good)" in en


def test_only_the_latest_approved_year_shows_in_the_same_queries(world):
    theme = Theme.objects.get(code="biomed")
    with CaptureQueriesContext(connection) as none_approved:
        fund_section(theme, None, None)
    approve(world)
    other_year(world, 2023, EvaluationState.APPROVED, Grade.POOR, "2")
    other_year(world, 2025, EvaluationState.DRAFT, Grade.EXCELLENT, "9")
    another = make_fund(managers=[world.manager])
    with CaptureQueriesContext(connection) as approved:
        section = fund_section(theme, None, None)
    assert len(approved) == len(none_approved)
    entries = {entry["fund"].pk: entry["evaluation"] for entry in section["funds"]}
    assert entries[another.pk] is None
    shown = entries[world.fund.pk]
    assert (shown["year"], shown["grade"], Decimal(shown["figures"][0]["value"])) == (2024, Grade.GOOD, 4)
