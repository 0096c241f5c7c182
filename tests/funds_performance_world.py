"""A small fund with three years of history whose evaluation can be worked out by hand.

LPs: the district guidance fund (government) commits 100 million and pays 50 on 2022-01-10; a social LP commits 300
and pays 150 the same day. Deal A (a Pingshan-registered company) gets 60 million on 2022-03-01 and is valued at 90
on 2024-12-31; deal B gets 40 on 2022-06-01 and exits for 80 on 2024-06-30, which is distributed to the LPs on
2024-09-01 (20 to the government LP, 60 to the social LP). Company A clears an IND on 2024-05-20.

The 2024 indicator set (figures as of 2024-12-31):

=============  ======  ===========================  =====================  ======
indicator      weight  rule                         value                  points
=============  ======  ===========================  =====================  ======
leverage       30      linear, floor 1, target 4    400 ÷ 100 = 4.0×       30
reinvestment   20      linear, floor 0, target 1    60 ÷ 100 = 0.6×        12
gross TVPI     30      linear, floor 1, target 2    (80 + 90) ÷ 100 = 1.7× 21
gross DPI      20      linear, floor 0, target 1    80 ÷ 100 = 0.8×        16
milestones     bonus 5 bands [[1, 1]]               1                      5
=============  ======  ===========================  =====================  ======

Total 79 + 5 = 84: 良.
"""

import datetime
from decimal import Decimal

from funds.models import (
    Commitment,
    DealStage,
    Disbursement,
    Exit,
    ExitKind,
    IndicatorGroup,
    IndicatorKind,
    LpDistribution,
    LpType,
    Milestone,
    MilestoneKind,
    PaidIn,
    ScoringRule,
    Valuation,
    ValuationMethod,
)
from funds.services import performance as services
from tests.factories import OrganizationFactory
from tests.funds_world import FundWorld, make_company, make_deal

day = datetime.date
M = Decimal(1_000_000)
YEAR = 2024
AS_OF = day(2024, 12, 31)

INDICATORS = [
    {"group": IndicatorGroup.POLICY, "kind": IndicatorKind.FORMULA, "key": "leverage", "label": "财政资金放大倍数",
     "label_en": "Leverage multiple", "weight": "30", "floor": "1", "target": "4"},
    {"group": IndicatorGroup.POLICY, "kind": IndicatorKind.FORMULA, "key": "reinvestment", "label": "返投比例",
     "label_en": "Local reinvestment", "weight": "20", "floor": "0", "target": "1"},
    {"group": IndicatorGroup.RETURNS, "kind": IndicatorKind.FORMULA, "key": "gross_tvpi", "label": "TVPI",
     "label_en": "TVPI", "weight": "30", "floor": "1", "target": "2"},
    {"group": IndicatorGroup.RETURNS, "kind": IndicatorKind.FORMULA, "key": "gross_dpi", "label": "DPI",
     "label_en": "DPI", "weight": "20", "floor": "0", "target": "1"},
    {"group": IndicatorGroup.POLICY, "kind": IndicatorKind.BONUS, "key": "milestones", "label": "研发里程碑",
     "label_en": "R&D milestones", "weight": "5", "rule": ScoringRule.BANDED, "bands": [[1, 1]]},
]  # fmt: skip


def _commitment(fund, name, lp_type, committed, paid):
    commitment = Commitment.objects.create(
        fund=fund,
        investor=OrganizationFactory(name=name),
        lp_type=lp_type,
        committed=committed * M,
        committed_on=day(2021, 12, 1),
    )
    PaidIn.objects.create(commitment=commitment, paid_on=day(2022, 1, 10), amount=paid * M)
    return commitment


def _paid(deal, amount, on):
    Disbursement.objects.create(
        deal=deal, number=1, planned_on=on, planned_amount=amount * M, paid_on=on, paid_amount=amount * M
    )


def build_history(world):
    """The LPs, deals, flows, valuation, exit, distributions and milestone of the module's table."""
    fund = world.fund
    government = _commitment(fund, "坪山区政府引导基金", LpType.GOVERNMENT, 100, 50)
    social = _commitment(fund, "社会资本合伙企业", LpType.SOCIAL, 300, 150)
    company_a = make_company(name="坪山甲生物科技有限公司")
    company_a.registered_in_pingshan_on = day(2022, 6, 1)
    company_a.save()
    deal_a = make_deal(world, company=company_a, stage=DealStage.PORTFOLIO)
    deal_b = make_deal(world, company=make_company(name="乙医疗器械有限公司"), stage=DealStage.EXITED)
    _paid(deal_a, 60, day(2022, 3, 1))
    _paid(deal_b, 40, day(2022, 6, 1))
    Valuation.objects.create(deal=deal_a, valued_on=AS_OF, value=90 * M, method=ValuationMethod.LAST_ROUND)
    Exit.objects.create(deal=deal_b, exited_on=day(2024, 6, 30), proceeds=80 * M, kind=ExitKind.TRADE_SALE)
    LpDistribution.objects.create(commitment=government, paid_on=day(2024, 9, 1), amount=20 * M)
    LpDistribution.objects.create(commitment=social, paid_on=day(2024, 9, 1), amount=60 * M)
    Milestone.objects.create(company=company_a, kind=MilestoneKind.IND_CLEARED, happened_on=day(2024, 5, 20))
    world.deal_a, world.deal_b, world.government, world.social = deal_a, deal_b, government, social
    return world


def build(indicators=INDICATORS):
    """FundWorld with the history and the 2024 indicator set (set by the fund's manager, through the service)."""
    world = build_history(FundWorld.build())
    world.indicator_set = services.set_indicators(
        actor=world.manager,
        fund=world.fund,
        year=YEAR,
        name="2024年度绩效评价指标",
        name_en="2024 performance indicators",
        indicators=indicators,
    )
    return world
