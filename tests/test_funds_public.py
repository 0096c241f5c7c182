"""The fund section of the 生物医药 theme page: public aggregates only, in both languages; a deal under review never
shows, not by name and not in a figure."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funds.models import DealStage, Disbursement, Tranche
from funds.public import fund_section, share_percent
from tests.funds_portfolio_world import invested_deal
from tests.funds_world import FundWorld, make_company, make_deal
from themes.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = FundWorld.build()
    Tranche.objects.create(
        fund=world.fund, number=1, amount=Decimal("2000000000"), target_close=datetime.date(2026, 3, 31)
    )
    Tranche.objects.create(
        fund=world.fund,
        number=2,
        amount=Decimal("1500000000"),
        target_close=datetime.date(2027, 3, 31),
        closed_on=datetime.date(2027, 2, 1),
    )
    return world


def pingshan_company(name):
    company = make_company(name=name)
    company.registered_in_pingshan_on = datetime.date(2025, 5, 1)
    company.save()
    return company


def build_portfolio(world):
    """Invested: 30m in a Pingshan company, 10m elsewhere; 5m paid to a written-off one elsewhere. Under review: a
    named company in each stage before the decision, one with a stray paid row that must not count."""
    invested_deal(world, company=pingshan_company("坪山已投资生物科技公司"), paid=("10000000", "20000000"))
    invested_deal(world, stage=DealStage.DISBURSEMENT, company=make_company(name="外区已投资公司"), paid=("10000000",))
    invested_deal(world, stage=DealStage.WRITTEN_OFF, company=make_company(name="已核销公司"), paid=("5000000",))
    secrets = []
    for n, stage in enumerate((DealStage.SCREENING, DealStage.DUE_DILIGENCE, DealStage.COMMITTEE, DealStage.SIGNING)):
        name = f"评审中保密公司{n}"
        deal = make_deal(world, stage=stage, company=pingshan_company(name), amount="999000000")
        secrets.append(name)
        if stage == DealStage.SIGNING:
            Disbursement.objects.create(
                deal=deal,
                number=1,
                planned_on=datetime.date(2026, 1, 1),
                planned_amount=Decimal("777000000"),
                paid_on=datetime.date(2026, 1, 2),
                paid_amount=Decimal("777000000"),
            )
    invested_deal(world, fund=world.other_fund, company=make_company(name="别的基金的公司"), paid=("1000000",))
    return secrets


def test_the_figures_count_investments_only(world):
    build_portfolio(world)
    section = fund_section(Theme.objects.get(code="biomed"), None, None)
    entry = next(e for e in section["funds"] if e["fund"] == world.fund)
    assert entry["investments"] == 3
    assert entry["invested"] == Decimal("45000000")
    assert entry["in_pingshan"] == Decimal("30000000")
    assert entry["share"] == Decimal("66.7")
    assert [t.number for t in entry["tranches"]] == [1, 2]


def test_the_theme_page_shows_the_fund_in_chinese_and_english_and_never_a_deal_under_review(client, world, site_pages):
    secrets = build_portfolio(world)
    zh = client.get(site_pages["theme_page"].url).content.decode()
    assert "data-fund-section" in zh and world.fund.name in zh
    assert "50.00亿元" in zh and "4,500.00万元" in zh and "66.7%" in zh and "20.00亿元" in zh
    for name in [*secrets, "坪山已投资生物科技公司", "外区已投资公司", "已核销公司"]:
        assert name not in zh
    assert "99,900.00万元" not in zh and "77,700.00万元" not in zh
    en = client.get(site_pages["theme_page_en"].url).content.decode()
    assert "RMB 5,000.00 million" in en and "RMB 45.00 million" in en
    assert "of the amount invested went to companies in Pingshan" in en
    for name in secrets:
        assert name not in en


def test_a_fund_without_investments_shows_its_size_and_no_share(client, world, site_pages):
    page = client.get(site_pages["theme_page"].url).content.decode()
    assert "data-fund-section" in page and "50.00亿元" in page
    section = fund_section(Theme.objects.get(code="biomed"), None, None)
    assert all(entry["investments"] == 0 and entry["share"] is None for entry in section["funds"])


def test_a_theme_without_a_fund_has_no_section(world):
    other = Theme.objects.exclude(code="biomed").first()
    assert fund_section(other, None, None) is None


def test_the_section_asks_the_same_queries_for_few_or_many_deals(world):
    theme = Theme.objects.get(code="biomed")
    invested_deal(world)
    with CaptureQueriesContext(connection) as few:
        fund_section(theme, None, None)
    for _n in range(6):
        invested_deal(world, company=make_company(), paid=("1", "2"))
        make_deal(world, stage=DealStage.SCREENING)
    with CaptureQueriesContext(connection) as many:
        fund_section(theme, None, None)
    assert len(few) == len(many)


def test_share_percent():
    assert share_percent(Decimal(1), Decimal(3)) == Decimal("33.3")
    assert share_percent(Decimal(0), Decimal(0)) is None
    assert share_percent(None, Decimal(5)) == Decimal("0.0")
