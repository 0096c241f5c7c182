"""The database read behind the policy indicators (funds/performance/facts.py), on FundWorld data.

What it reads (only this fund's rows, only up to as of, only paid tranches and submitted KPI reports), the refs that
let a figure's sources be listed, the indicators computed from it end to end, and a query count that does not grow
with the number of deals."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funds.models import (
    Commitment,
    DealStage,
    DevelopmentStage,
    Disbursement,
    IndicatorSet,
    KpiReport,
    KpiState,
    LeverageBasis,
    LpType,
    Milestone,
    MilestoneKind,
    PaidIn,
    ReinvestmentRule,
    Subsector,
)
from funds.performance import indicators as ind
from funds.performance.facts import facts_for, facts_for_set
from funds.performance.inputs import Basis
from tests.factories import OrganizationFactory
from tests.funds_world import FundWorld, make_company, make_deal, make_fund

pytestmark = pytest.mark.django_db
D = Decimal
day = datetime.date
AS_OF = day(2026, 12, 31)


def lp(fund, lp_type, committed, payments=(), committed_on=None):
    commitment = Commitment.objects.create(
        fund=fund,
        investor=OrganizationFactory(),
        lp_type=lp_type,
        committed=D(committed),
        committed_on=committed_on or day(2021, 1, 1),
    )
    for on, amount in payments:
        PaidIn.objects.create(commitment=commitment, paid_on=on, amount=D(amount))
    return commitment


def deal_paid(fund, company, tranches, planned=()):
    deal = make_deal(fund, company=company, stage=DealStage.PORTFOLIO)
    number = 0
    for number, (on, amount) in enumerate(tranches, start=1):
        Disbursement.objects.create(
            deal=deal, number=number, planned_on=on, planned_amount=D(amount), paid_on=on, paid_amount=D(amount)
        )
    for later, (on, amount) in enumerate(planned, start=number + 1):
        Disbursement.objects.create(deal=deal, number=later, planned_on=on, planned_amount=D(amount))
    return deal


def kpi(deal, user, start, end, *, state=KpiState.SUBMITTED, **figures):
    return KpiReport.objects.create(
        deal=deal, period_start=start, period_end=end, due_on=end, requested_by=user, state=state, **figures
    )


@pytest.fixture
def world():
    world = FundWorld.build()
    fund = world.fund
    world.government = lp(fund, LpType.GOVERNMENT, "300000000", [(day(2021, 3, 1), "100000000")])
    world.state = lp(fund, LpType.STATE_OWNED, "200000000", [(day(2021, 3, 1), "50000000")])
    world.social = lp(
        fund,
        LpType.SOCIAL,
        "500000000",
        [(day(2021, 6, 1), "150000000"), (day(2027, 2, 1), "99000000")],  # the second comes after as of
    )
    lp(fund, LpType.GOVERNMENT, "77000000", committed_on=day(2027, 1, 5))  # committed after as of
    lp(world.other_fund, LpType.GOVERNMENT, "900000000", [(day(2021, 3, 1), "900000000")])  # another fund's

    home = world.company  # 深圳坪山测试生物科技有限公司: registered in Pingshan in 2020
    home.registered_in_pingshan_on = day(2020, 5, 1)
    home.development_stage = DevelopmentStage.PHASE_1
    home.save()
    world.home = deal_paid(
        fund, home, [(day(2022, 1, 10), "40000000")], planned=[(day(2027, 3, 1), "20000000")]
    )  # the planned tranche is not money invested
    mover = make_company(name="深圳迁入医疗器械有限公司", subsector=Subsector.MEDICAL_DEVICES)
    mover.development_stage = DevelopmentStage.MARKETED
    mover.hq_in_pingshan_on = day(2023, 1, 10)  # exactly 12 months after its first tranche
    mover.save()
    world.mover = deal_paid(fund, mover, [(day(2022, 1, 10), "30000000"), (day(2026, 12, 31), "10000000")])
    app = make_company(name="深圳数字健康科技有限公司", subsector=Subsector.DIGITAL_HEALTH)
    world.app = deal_paid(fund, app, [(day(2025, 4, 1), "20000000")])
    world.screening = make_deal(fund, stage=DealStage.SCREENING)  # no money: not an investment
    deal_paid(world.other_fund, make_company(), [(day(2022, 1, 10), "500000000")])  # another fund's

    kpi(world.home, world.manager, day(2025, 1, 1), day(2025, 12, 31), revenue=D("10000000"), headcount=40)
    kpi(world.home, world.manager, day(2026, 1, 1), day(2026, 12, 31), revenue=D("15000000"), headcount=50)
    kpi(world.mover, world.manager, day(2026, 1, 1), day(2026, 12, 31), state=KpiState.REQUESTED)  # not submitted
    kpi(world.mover, world.manager, day(2024, 1, 1), day(2024, 12, 31), revenue=D("1"))  # two years back

    Milestone.objects.create(company=home, kind=MilestoneKind.PHASE_ADVANCE, happened_on=day(2026, 3, 1))
    Milestone.objects.create(company=home, kind=MilestoneKind.IND_CLEARED, happened_on=day(2021, 6, 1))
    Milestone.objects.create(company=app, kind=MilestoneKind.APPROVAL, happened_on=day(2027, 1, 2))  # after as of
    Milestone.objects.create(company=world.screening.company, kind=MilestoneKind.APPROVAL, happened_on=day(2026, 5, 1))
    return world


def test_commitments_and_paid_in(world):
    facts = facts_for(world.fund, 2026, AS_OF)
    assert (facts.year, facts.as_of) == (2026, AS_OF)
    by_ref = {commitment.ref: commitment for commitment in facts.commitments}
    assert set(by_ref) == {f"funds.commitment:{c.pk}" for c in (world.government, world.state, world.social)}
    government = by_ref[f"funds.commitment:{world.government.pk}"]
    assert (government.lp_type, government.committed, government.committed_on) == (
        LpType.GOVERNMENT,
        D("300000000"),
        day(2021, 1, 1),
    )
    assert government.investor == world.government.investor.name
    social = by_ref[f"funds.commitment:{world.social.pk}"]
    assert [(p.on, p.amount) for p in social.payments] == [(day(2021, 6, 1), D("150000000"))]
    assert social.payments[0].ref == f"funds.paidin:{world.social.payments.get(paid_on=day(2021, 6, 1)).pk}"


def test_investments_are_the_paid_tranches_with_their_company(world):
    facts = facts_for(world.fund, 2026, AS_OF)
    by_ref = {investment.ref: investment for investment in facts.investments}
    assert set(by_ref) == {f"funds.deal:{deal.pk}" for deal in (world.home, world.mover, world.app)}
    home = by_ref[f"funds.deal:{world.home.pk}"]
    assert home.company == "深圳坪山测试生物科技有限公司"
    assert home.company_ref == f"funds.company:{world.company.pk}"
    assert (home.subsector, home.development_stage) == (Subsector.INNOVATIVE_DRUGS, DevelopmentStage.PHASE_1)
    assert (home.registered_on, home.hq_on, home.production_on) == (day(2020, 5, 1), None, None)
    assert [(p.on, p.amount) for p in home.disbursements] == [(day(2022, 1, 10), D("40000000"))]
    paid = world.home.disbursements.get(number=1)
    assert home.disbursements[0].ref == f"funds.disbursement:{paid.pk}"
    mover = by_ref[f"funds.deal:{world.mover.pk}"]
    assert [p.on for p in mover.disbursements] == [day(2022, 1, 10), day(2026, 12, 31)]  # as of itself counts
    assert mover.hq_on == day(2023, 1, 10)
    assert len(facts_for(world.fund, 2026, day(2026, 12, 30)).investments[1].disbursements) == 1


def test_kpi_reports_submitted_this_year_and_last(world):
    facts = facts_for(world.fund, 2026, AS_OF)
    assert [(r.company, r.period_end, r.revenue, r.headcount) for r in facts.kpi_reports] == [
        ("深圳坪山测试生物科技有限公司", day(2025, 12, 31), D("10000000.00"), 40),
        ("深圳坪山测试生物科技有限公司", day(2026, 12, 31), D("15000000.00"), 50),
    ]
    assert facts.kpi_reports[0].company_id == world.company.pk
    assert facts.kpi_reports[0].ref.startswith("funds.kpireport:")


def test_milestones_of_the_funds_companies_up_to_as_of(world):
    facts = facts_for(world.fund, 2026, AS_OF)
    assert [(m.kind, m.on) for m in facts.milestones] == [
        (MilestoneKind.IND_CLEARED, day(2021, 6, 1)),
        (MilestoneKind.PHASE_ADVANCE, day(2026, 3, 1)),
        # the screening deal's company is the fund's company too: the indicators keep only those it paid
        (MilestoneKind.APPROVAL, day(2026, 5, 1)),
    ]
    assert all(m.ref.startswith("funds.milestone:") for m in facts.milestones)


def test_indicators_end_to_end(world):
    indicator_set = IndicatorSet.objects.create(
        fund=world.fund,
        year=2026,
        name="2026年度绩效评价指标体系",
        leverage_basis=LeverageBasis.PAID_IN,
        reinvestment_rule=ReinvestmentRule.LANDED_WITHIN,
        landing_months=12,
    )
    facts, basis = facts_for_set(indicator_set, AS_OF)
    figures = ind.compute_all(facts, basis)
    # Paid in 300 million, 100 of it government.
    assert figures[ind.LEVERAGE].value == D("3.0000")
    # Home (registered) 40 + the mover (headquarters exactly 12 months after) 30 + 10 = 80 of 100 government.
    assert figures[ind.REINVESTMENT].value == D("0.8000")
    assert {s.ref for s in figures[ind.REINVESTMENT].sources if s.kind == "disbursement"} == {
        f"funds.disbursement:{d.pk}"
        for d in Disbursement.objects.filter(deal__in=[world.home, world.mover], paid_on__isnull=False)
    }
    assert figures[ind.PACE_PAID_IN].value == D("30.00")  # 300 of 1,000 million
    assert figures[ind.PACE_INVESTED].value == D("33.33")  # 100 of 300
    assert figures[ind.THEME_FOCUS].value == D("80.00")  # digital health's 20 left out
    assert figures[ind.EARLY_STAGE].value == D("60.00")  # home (Phase I) 40 + the app (preclinical) 20
    assert figures[ind.LANDING].value == 2
    assert figures[ind.LANDING_IN_YEAR].value == 0
    assert figures[ind.REVENUE_GROWTH].value == D("50.00")
    assert figures[ind.HEADCOUNT_GROWTH].value == D("25.00")
    assert figures[ind.TAX_GROWTH].value is None
    assert figures[ind.MILESTONES].value == 1

    indicator_set.reinvestment_rule = ReinvestmentRule.REGISTERED
    indicator_set.leverage_basis = LeverageBasis.COMMITTED
    facts, basis = facts_for_set(indicator_set, AS_OF)
    assert ind.reinvestment(facts, basis).value == D("0.1333")  # home's 40 of 300 committed


def test_a_fund_with_nothing_recorded(world):
    facts = facts_for(make_fund(), 2026, AS_OF)
    assert facts.commitments == () and facts.investments == () and facts.kpi_reports == ()
    figures = ind.compute_all(facts, Basis())
    assert figures[ind.LEVERAGE].value is None


def _portfolio(world, deals):
    fund = world.fund
    lp(fund, LpType.GOVERNMENT, "1000000", [(day(2021, 3, 1), "500000")])
    for n in range(deals):
        company = make_company(subsector=Subsector.BIOLOGICS)
        company.registered_in_pingshan_on = day(2022, 1, 1)
        company.save()
        deal = deal_paid(fund, company, [(day(2022, 2, 1), "1000"), (day(2023, 2, 1), "1000")])
        kpi(deal, world.manager, day(2025, 1, 1), day(2025, 12, 31), revenue=D(100 + n), headcount=10)
        kpi(deal, world.manager, day(2026, 1, 1), day(2026, 12, 31), revenue=D(120 + n), headcount=12)
        Milestone.objects.create(company=company, kind=MilestoneKind.IND_CLEARED, happened_on=day(2026, 4, 1))


def _queries(fund):
    with CaptureQueriesContext(connection) as queries:
        facts = facts_for(fund, 2026, AS_OF)
        ind.compute_all(facts, Basis())
    return len(queries), facts


def test_the_query_count_does_not_grow_with_the_deals(django_assert_max_num_queries):
    small = FundWorld.build()
    _portfolio(small, 3)
    few, facts = _queries(small.fund)
    assert len(facts.investments) == 3

    large_fund = small.other_fund
    small.fund = large_fund
    _portfolio(small, 40)
    many, facts = _queries(large_fund)
    assert len(facts.investments) == 40
    assert len(facts.kpi_reports) == 80
    assert few == many
    with django_assert_max_num_queries(5):
        facts_for(large_fund, 2026, AS_OF)
