"""The demo fund's indicator sets of 2024, 2025 and 2026 as data (政策效果 40 / 管理效能 30 / 业绩 30, bonus
items capped at 10) and the expert panel's rubric; ``indicator_sets()`` writes them for the evaluation step."""

from decimal import Decimal

from django.db import transaction

from portal.reviews.models import Rubric

from .demo_companies import FUND_SLUG
from .demo_legacy import INDEX
from .models import (
    BenchmarkIndex,
    Fund,
    Indicator,
    IndicatorSet,
)
from .rubrics import rubric_named

# --- the indicator sets (政策效果 40 / 管理效能 30 / 业绩 30, bonus items capped at 10) -------------------------------
# Units as funds.performance.indicators has them: multiples (×) as ratios, percents in percent (12 means 12 %).

PANEL_RUBRIC = ("基金绩效评价专家评分表", "Fund performance evaluation: expert panel")
# code (an Indicator's ``criterion``) → (Chinese name, English name, weight, guidance, English guidance)
PANEL_CRITERIA = {
    "management": (
        "基金管理规范性",
        "Management",
        40,
        "投资决策程序、投后管理与信息报送是否规范、及时，是否按章程和协议执行。",
        "Whether investment decisions, portfolio monitoring and reporting follow the charter and agreements, on time.",
    ),
    "compliance": (
        "合规与风险控制",
        "Compliance",
        30,
        "资金使用、关联交易、利益冲突回避与风险处置是否合规，有无审计或检查发现的问题。",
        "Use of funds, related-party dealings, conflicts of interest and risk handling; findings of audits or checks.",
    ),
    "team": (
        "团队稳定性与专业能力",
        "Team",
        30,
        "核心投资团队的稳定性、生物医药专业背景与投后赋能能力。",
        "Stability of the core team, its biomedicine expertise and the support it gives portfolio companies.",
    ),
}


def _line(group, key, label, label_en, weight, target=None, floor=None, rule="linear", bands=(), kind="formula"):
    """One indicator line: the fields of an ``Indicator`` (as ``funds.services.performance.set_indicators`` takes
    them too)."""
    return {
        "group": group,
        "kind": kind,
        "key": key,
        "label": label,
        "label_en": label_en,
        "weight": weight,
        "target": target,
        "floor": floor,
        "rule": rule,
        "bands": [list(band) for band in bands],
        "criterion": "",
    }


def _panel(code, weight):
    name, name_en = PANEL_CRITERIA[code][:2]
    return _line("management", "", name, name_en, weight, kind="panel") | {"criterion": code}


TVPI_BANDS = ((1.8, 1), (1.5, 0.8), (1.2, 0.6), (1.0, 0.3))
RETURNS = [
    _line("returns", "gross_irr", "基金内部收益率（IRR）", "Gross IRR", 12, target=12, floor=0),
    _line("returns", "gross_tvpi", "总价值倍数（TVPI）", "Gross TVPI", 10, rule="banded", bands=TVPI_BANDS),
    _line("returns", "gross_dpi", "已分配倍数（DPI）", "Gross DPI", 8, target=1, floor=0),
]
PANEL = [_panel("management", 12), _panel("compliance", 9), _panel("team", 9)]
BONUS = [
    _line("policy", "milestones", "年度研发里程碑（加分）", "R&D milestones (bonus)", 5, 5, 0, kind="bonus"),
    _line("policy", "landing_in_year", "年度新落地坪山企业（加分）", "New in Pingshan (bonus)", 5, 3, 0, kind="bonus"),
]


def _policy(reinvestment_target, weights):
    """The policy lines; ``weights`` of leverage, reinvestment, pace paid-in and invested, theme, early stage, landing,
    revenue, tax and headcount growth (patents growth is shown, not scored)."""
    lines = (
        ("leverage", "财政资金放大倍数", "Leverage multiple", 3, 1),
        ("reinvestment", "返投比例", "Local reinvestment ratio", reinvestment_target, Decimal("0.5")),
        ("pace_paid_in", "实缴进度", "Paid-in pace", 40, 10),
        ("pace_invested", "投资进度", "Investment pace", 80, 40),
        ("theme_focus", "投向生物医药占比", "Biomedicine share", 90, 60),
        ("early_stage", "早中期项目投资占比", "Early-stage share", 50, 20),
        ("landing", "落地坪山企业数", "Portfolio companies in Pingshan", 8, 2),
        ("revenue_growth", "被投企业营业收入增长率", "Portfolio revenue growth", 20, 0),
        ("tax_growth", "被投企业纳税增长率", "Portfolio tax growth", 20, 0),
        ("headcount_growth", "被投企业就业人数增长率", "Portfolio headcount growth", 10, 0),
    )
    policy = []
    for (key, label, label_en, target, floor), weight in zip(lines, weights, strict=True):
        if key == "reinvestment" and not target:
            policy.append(_line("policy", key, label, label_en, 0, target=0, rule="shown"))
        else:
            policy.append(_line("policy", key, label, label_en, weight, target=target, floor=floor))
    patents = ("patents_growth", "被投企业专利授权增长率", "Portfolio patents growth")
    policy.append(_line("policy", *patents, 0, rule="shown"))
    return policy


# 2024 scores 返投 against a target of 1×; from 2025 the target is 0 (shown, not scored), as national guidance now
# encourages dropping the requirement, and its weight goes to investment pace, theme, early stage and landing.
INDICATOR_SETS = {
    2024: {
        "name": "2024年度坪山生物医药科技产业创新基金绩效评价指标体系",
        "name_en": "2024 performance indicators of the Pingshan Biomedicine Innovation Fund",
        "leverage_basis": "committed",
        "state_capital_is_government": False,
        "reinvestment_rule": "landed_within",
        "landing_months": 12,
        "bonus_cap": Decimal(10),
        "indicators": [*_policy(1, (6, 8, 4, 6, 4, 4, 4, 2, 1, 1)), *PANEL, *RETURNS, *BONUS],
    },
    2025: {
        "name": "2025年度坪山生物医药科技产业创新基金绩效评价指标体系",
        "name_en": "2025 performance indicators of the Pingshan Biomedicine Innovation Fund",
        "leverage_basis": "paid_in",
        "state_capital_is_government": False,
        "reinvestment_rule": "registered",
        "landing_months": 12,
        "bonus_cap": Decimal(10),
        "indicators": [*_policy(0, (6, 0, 4, 8, 5, 5, 6, 3, 2, 1)), *PANEL, *RETURNS, *BONUS],
    },
}
INDICATOR_SETS[2026] = INDICATOR_SETS[2025] | {
    "name": "2026年度坪山生物医药科技产业创新基金绩效评价指标体系",
    "name_en": "2026 performance indicators of the Pingshan Biomedicine Innovation Fund",
}


def evaluation_rubric() -> Rubric:
    """The expert panel's rubric for the fund's performance evaluation (its latest version), made the first time."""
    return rubric_named(
        PANEL_RUBRIC[0],
        name_en=PANEL_RUBRIC[1],
        description="基金年度绩效评价中由专家评分的管理效能指标：管理规范性、合规与风险控制、团队（0–10 分）。",
        criteria=list(PANEL_CRITERIA.values()),
    )


@transaction.atomic
def indicator_sets(fund=None) -> list:
    """The demo fund's indicator sets of ``INDICATOR_SETS`` for the years that have none yet, compared with the CSI 300
    index (configuration, like a rubric: written directly, each row checked against its model); returns every set of
    those years."""
    fund = fund or Fund.objects.filter(slug=FUND_SLUG).first()
    if fund is None:
        return []
    rubric = evaluation_rubric()
    benchmark = BenchmarkIndex.objects.filter(name=INDEX[0]).first()
    have = set(IndicatorSet.objects.filter(fund=fund, year__in=INDICATOR_SETS).values_list("year", flat=True))
    for year, spec in INDICATOR_SETS.items():
        if year in have:
            continue
        values = {key: value for key, value in spec.items() if key != "indicators"}
        indicator_set = IndicatorSet(fund=fund, year=year, qualitative_rubric=rubric, benchmark=benchmark, **values)
        indicator_set.full_clean()
        indicator_set.save()
        lines = [
            Indicator(indicator_set=indicator_set, position=position, **line)
            for position, line in enumerate(spec["indicators"])
        ]
        for line in lines:
            line.full_clean()
        Indicator.objects.bulk_create(lines)
    return list(IndicatorSet.objects.filter(fund=fund, year__in=INDICATOR_SETS).order_by("year"))
