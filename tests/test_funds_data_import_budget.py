"""The performance-data import's apply in queries that do not grow with the deals it touches: 3 deals and 30 deals
cost the same (each kind of record is one bulk statement at these sizes on either database). The preview's budget is
pinned in tests/test_funds_performance_import.py; tests/benchmarks/bench_funds_data_import.py times 20,000 rows."""

import datetime
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funds.models import DealStage, DealTerms, Disbursement, Instrument, Valuation, ValuationMethod
from funds.performance.datasheets import FlowType, build_workbook
from funds.services import performance_data
from tests.funds_world import FundWorld, make_company, make_deal

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def holdings(fund, count):
    deals = [make_deal(fund, stage=DealStage.PORTFOLIO, company=make_company()) for _ in range(count)]
    for deal in deals:
        DealTerms.objects.create(
            deal=deal,
            amount=Decimal(100_000_000),
            instrument=Instrument.PREFERRED,
            pre_money=Decimal(500_000_000),
            ownership=Decimal(10),
            signed_on=datetime.date(2020, 1, 1),
        )
    return deals


def workbook(deals, year):
    """A paid tranche and a later valuation for each deal."""
    flows, valuations = [], []
    for deal in deals:
        uscc = deal.company.organization.uscc
        flows.append(
            {"uscc": uscc, "date": datetime.date(year, 3, 1), "type": FlowType.INVESTMENT, "amount": Decimal(10**6)}
        )
        valuations.append(
            {
                "uscc": uscc,
                "date": datetime.date(year, 6, 30),
                "value": Decimal(2 * 10**6),
                "method": ValuationMethod.LAST_ROUND,
            }
        )
    return build_workbook({"flows": flows, "valuations": valuations})


def applied(actor, fund, data):
    """The queries of applying ``data`` to ``fund`` after its preview."""
    upload = SimpleUploadedFile("业绩数据.xlsx", data, content_type=XLSX)
    data_import = performance_data.preview_import(actor=actor, fund=fund, upload=upload)
    assert data_import.preview["counts"]["create"] > 0
    assert data_import.preview["counts"]["refuse"] == 0, data_import.preview["rows"]
    with CaptureQueriesContext(connection) as queries:
        performance_data.apply_import(actor=actor, data_import=data_import)
    return [query["sql"] for query in queries.captured_queries]


def test_applying_costs_the_same_queries_for_3_and_30_deals():
    world = FundWorld.build()
    small, large = holdings(world.fund, 3), holdings(world.other_fund, 30)
    applied(world.manager, world.fund, workbook(small, 2023))  # warm the caches (content types) the first apply fills

    few = applied(world.manager, world.fund, workbook(small, 2024))
    many = applied(world.other_manager, world.other_fund, workbook(large, 2024))

    assert Disbursement.objects.filter(deal__fund=world.other_fund, paid_on__isnull=False).count() == 30
    assert Valuation.objects.filter(deal__fund=world.other_fund).count() == 30
    # A query per deal (its history line's link reading the deal's fund, say) would show here first.
    assert len(many) == len(few), shape(many) - shape(few)


def shape(queries):
    """How many queries of each kind (their text up to WHERE, numbers blanked): what grew shows in the difference."""
    return Counter(re.sub(r"\d+", "#", sql.split(" WHERE ")[0])[:120] for sql in queries)
