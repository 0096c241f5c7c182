"""The fund's five years of demo data behind its performance evaluation (funds/demo_performance.py).

The demo is seeded once for the module (seeding is the slow part) inside a transaction rolled back at the end; every
figure here is computed with plain queries, not with the evaluation's own modules, so these tests say whether the data
is believable whatever those modules do with it.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from funds import demo_indicators, demo_legacy, demo_performance
from funds.demo_companies import FUND_SLUG
from funds.models import (
    BenchmarkIndex,
    Deal,
    DealStage,
    Disbursement,
    DocumentKind,
    Exit,
    ExitKind,
    Fund,
    IndexLevel,
    IndicatorSet,
    KpiReport,
    KpiState,
    LpDistribution,
    LpType,
    Milestone,
    PaidIn,
    StageChange,
    Valuation,
)
from portal.history.models import Event
from portal.reviews.models import Criterion
from tests import seeded_demo

pytestmark = [pytest.mark.django_db, pytest.mark.demo_reader]

seeded = seeded_demo.seeded  # seed_demo once for this module

LEGACY_NAMES = [plan.profile.name for plan in demo_legacy.LEGACY]


@pytest.fixture
def fund(seeded):
    return Fund.objects.get(slug=FUND_SLUG)


def gross_flows(fund):
    """The fund ↔ companies flows by date: tranches paid (negative) and exit proceeds (positive)."""
    flows = defaultdict(Decimal)
    for on, amount in Disbursement.objects.filter(deal__fund=fund, paid_on__isnull=False).values_list(
        "paid_on", "paid_amount"
    ):
        flows[on] -= amount
    for on, proceeds in Exit.objects.filter(deal__fund=fund).values_list("exited_on", "proceeds"):
        flows[on] += proceeds
    return dict(sorted(flows.items()))


def flow_dates(fund):
    dates = set(gross_flows(fund))
    dates |= set(PaidIn.objects.filter(commitment__fund=fund).values_list("paid_on", flat=True))
    dates |= set(LpDistribution.objects.filter(commitment__fund=fund).values_list("paid_on", flat=True))
    dates |= set(Valuation.objects.filter(deal__fund=fund).values_list("valued_on", flat=True))
    return sorted(dates)


def test_the_step_logs_its_counts(seeded):
    line = next(line for line in seeded.splitlines() if "fund performance:" in line)
    assert "15 past deals added" in line and "indicator sets 2024, 2025, 2026" in line


def test_five_years_of_tranches_paid_in_and_kpi_reports(fund):
    paid = Disbursement.objects.filter(deal__fund=fund, paid_on__isnull=False)
    assert len({on.year for on in paid.values_list("paid_on", flat=True)}) >= 5
    assert fund.vintage == min(on.year for on in paid.values_list("paid_on", flat=True))
    paid_in = PaidIn.objects.filter(commitment__fund=fund).values_list("paid_on", flat=True)
    assert len({on.year for on in paid_in}) >= 5
    annual = KpiReport.objects.filter(
        deal__fund=fund, state=KpiState.SUBMITTED, period_start__month=1, period_end__month=12
    )
    assert {2022, 2023, 2024, 2025} <= set(annual.values_list("period_end__year", flat=True))
    assert not annual.filter(submitted_at__gt=timezone.now()).exists()
    # Semi-annual valuations of the holdings over the years, with their method.
    valued = Valuation.objects.filter(deal__fund=fund)
    assert len({on.year for on in valued.values_list("valued_on", flat=True)}) >= 5
    assert valued.filter(note__gt="").values("method").distinct().count() >= 4


def test_exits_at_a_gain_and_write_offs(fund):
    gains = [
        exit_record
        for exit_record in Exit.objects.filter(deal__fund=fund).select_related("deal")
        if exit_record.proceeds > exit_record.deal.disbursements.aggregate(paid=Sum("paid_amount"))["paid"]
    ]
    assert len(gains) >= 3
    assert {ExitKind.IPO, ExitKind.TRADE_SALE, ExitKind.BUYBACK} <= {exit_record.kind for exit_record in gains}
    for exit_record in gains:
        assert exit_record.deal.stage == DealStage.EXITED
    written_off = Deal.objects.filter(fund=fund, stage=DealStage.WRITTEN_OFF)
    assert written_off.count() >= 2
    for deal in written_off:  # the liquidation is the exit: nothing came back
        assert deal.exit.kind == ExitKind.LIQUIDATION and deal.exit.proceeds == 0


def test_the_gross_cash_flows_make_a_j_curve(fund):
    flows = gross_flows(fund)
    first_year, last_year = min(flows).year, max(flows).year
    cumulative, running = {}, Decimal(0)
    for on, amount in flows.items():
        running += amount
        cumulative[on] = running
    at_end_of_second_year = [total for on, total in cumulative.items() if on.year <= first_year + 1][-1]
    assert at_end_of_second_year < 0
    lowest = min(cumulative, key=cumulative.get)
    assert lowest.year < last_year
    assert cumulative[max(cumulative)] > cumulative[lowest]  # the exits turn it up


def test_lp_flows_leverage_and_the_fund_never_pays_out_cash_it_has_not_got(fund):
    paid_in = PaidIn.objects.filter(commitment__fund=fund)
    government = paid_in.filter(commitment__lp_type=LpType.GOVERNMENT).aggregate(total=Sum("amount"))["total"]
    assert Decimal(3) <= paid_in.aggregate(total=Sum("amount"))["total"] / government <= Decimal(5)
    distributions = LpDistribution.objects.filter(commitment__fund=fund)
    assert distributions.exists()
    first_exit = Exit.objects.filter(deal__fund=fund, proceeds__gt=0).order_by("exited_on").first().exited_on
    assert distributions.order_by("paid_on").first().paid_on > first_exit
    cash, moves = Decimal(0), defaultdict(Decimal)
    for on, amount in paid_in.values_list("paid_on", "amount"):
        moves[on] += amount
    for on, amount in distributions.values_list("paid_on", "amount"):
        moves[on] -= amount
    for on, amount in gross_flows(fund).items():
        moves[on] += amount
    for on in sorted(moves):
        cash += moves[on]
        assert cash >= 0, on


def test_index_levels_cover_every_flow(fund):
    index = BenchmarkIndex.objects.get(code="000300")
    assert index.name == "沪深300指数" and index.name_en == "CSI 300 Index"
    levels = sorted(IndexLevel.objects.filter(index=index).values_list("on", flat=True))
    for on in flow_dates(fund):
        before = [level for level in levels if level <= on]
        assert before and (on - before[-1]).days <= 31, on
    assert (timezone.localdate() - levels[-1]).days <= 31


def scored(indicator):
    """Counts towards the 100: not a bonus, not shown (local reinvestment with a zero target is shown)."""
    shown = indicator.rule == "shown" or (indicator.key == "reinvestment" and indicator.target == 0)
    return indicator.kind != "bonus" and (indicator.kind == "panel" or not shown)


def test_indicator_sets_weigh_100_and_show_a_zero_reinvestment_target(fund):
    sets = {s.year: s for s in IndicatorSet.objects.filter(fund=fund).prefetch_related("indicators")}
    assert {2024, 2025, 2026} <= set(sets)
    for indicator_set in sets.values():
        lines = list(indicator_set.indicators.all())
        assert sum(line.weight for line in lines if scored(line)) == 100, indicator_set.year
        by_group = defaultdict(Decimal)
        for line in lines:
            if scored(line):
                by_group[line.group] += line.weight
        assert by_group == {"policy": 40, "management": 30, "returns": 30}
        assert sum(line.weight for line in lines if line.kind == "bonus") <= indicator_set.bonus_cap == 10
        assert indicator_set.benchmark.code == "000300"
        criteria = set(
            Criterion.objects.filter(rubric=indicator_set.qualitative_rubric).values_list("name_en", flat=True)
        )
        panel = [line.criterion for line in lines if line.kind == "panel"]
        assert sorted(panel) == ["compliance", "management", "team"]
        assert {code.capitalize() for code in panel} == criteria
    reinvestment = {year: s.indicators.get(key="reinvestment") for year, s in sets.items()}
    assert reinvestment[2024].target == 1 and scored(reinvestment[2024]) and reinvestment[2024].weight > 0
    assert reinvestment[2025].target == 0 and not scored(reinvestment[2025]) and reinvestment[2025].weight == 0


def test_the_past_deals_have_a_dated_history(fund):
    today = timezone.localdate()
    deals = Deal.objects.filter(fund=fund, company__organization__name__in=LEGACY_NAMES)
    assert deals.count() == len(LEGACY_NAMES)
    for deal in deals:
        changes = list(StageChange.objects.filter(deal=deal).order_by("at", "pk"))
        assert [c.to_stage for c in changes][:5] == [
            DealStage.SCREENING, DealStage.APPROVED, DealStage.DUE_DILIGENCE, DealStage.COMMITTEE, DealStage.SIGNING,
        ]  # fmt: skip
        assert changes[-1].to_stage == deal.stage and deal.created_at < changes[0].at
        assert all(a.to_stage == b.from_stage for a, b in zip(changes, changes[1:], strict=False))
        assert timezone.localtime(changes[-1].at).date() < today
        assert deal.documents.filter(kind=DocumentKind.DD_REPORT).exists() and deal.closed_review_rounds().exists()
        assert deal.terms.signed_document.kind == DocumentKind.SIGNED_AGREEMENT
        lines = Event.objects.filter(subject_type__model="deal", subject_id=str(deal.pk))
        assert lines.count() >= 10 and not lines.filter(created_at__date=today).exists(), deal
    landed = {"within a year": 0, "later": 0, "never": 0}
    for deal in deals.select_related("company"):
        company = deal.company
        first = deal.disbursements.order_by("paid_on").first().paid_on
        days = [
            on
            for on in (company.registered_in_pingshan_on, company.hq_in_pingshan_on, company.production_in_pingshan_on)
            if on
        ]
        if not days:
            landed["never"] += 1
        elif min(days) <= first + datetime.timedelta(days=365):
            landed["within a year"] += 1
        else:
            landed["later"] += 1
    assert all(count >= 2 for count in landed.values()), landed
    assert Milestone.objects.filter(
        company__deals__in=deals, kind__in=["ind_cleared", "phase_advance", "approval"]
    ).exists()


def test_a_second_run_of_the_step_adds_nothing(fund):
    models = (
        Deal,
        Disbursement,
        Valuation,
        KpiReport,
        Exit,
        Milestone,
        LpDistribution,
        IndexLevel,
        IndicatorSet,
        Event,
    )
    before = {model.__name__: model.objects.count() for model in models}
    demo_performance.seed_performance(lambda message: None)
    assert {model.__name__: model.objects.count() for model in models} == before
    assert demo_indicators.indicator_sets() == list(IndicatorSet.objects.filter(fund=fund).order_by("year"))
