"""The biomedicine rubric the fund's evaluators score deals with (portal.reviews).

Made by a function rather than a data migration (the fund's migrations are frozen this session): the demo and a
fund's set-up call ``biomedicine_rubric()``. Its weights are edited in the admin like any rubric's; a rubric used by
a round is frozen and revised as a new version, so this returns the latest version of the rubric once it exists.
The weights add up to 100; the engine's total is the weighted mean on the criteria's 0–10 scale.
"""

from decimal import Decimal

from portal.reviews.models import Rubric
from portal.reviews.rubrics import build_rubric, latest_version

NAME = "生物医药项目投资评审表"
NAME_EN = "Biomedicine investment scoring rubric"

# name_zh, name_en, weight (the weights add up to 100), guidance_zh, guidance_en
CRITERIA = (
    (
        "科学基础与作用机制",
        "Science and mechanism",
        15,
        "靶点与机制的科学依据、临床前数据的质量与可重复性、平台技术的延展性。",
        "Scientific basis of the target and mechanism, quality and reproducibility of the preclinical data, reach "
        "of the platform.",
    ),
    (
        "临床与注册路径",
        "Clinical and regulatory path",
        12,
        "临床开发计划与终点设计、与 NMPA/FDA 沟通情况、IND 与关键里程碑的时间表及可行性。",
        "Clinical plan and endpoints, interactions with NMPA/FDA, timetable and feasibility of the IND and the key "
        "milestones.",
    ),
    (
        "未满足需求与市场",
        "Unmet need and market",
        12,
        "适应症的未满足临床需求、患者人数、支付与医保前景、市场规模测算的依据。",
        "Unmet clinical need in the indication, patient numbers, payer and reimbursement outlook, basis of the "
        "market sizing.",
    ),
    (
        "差异化与竞争格局",
        "Differentiation",
        10,
        "与同靶点、同适应症在研及上市产品相比的优势，竞争格局与先发窗口。",
        "Advantages over products in development or on the market for the same target or indication; competition "
        "and the window to be first.",
    ),
    (
        "知识产权与自由实施",
        "IP and freedom to operate",
        10,
        "核心专利的权属、保护范围与剩余期限，自由实施（FTO）分析，许可与转让安排。",
        "Ownership, scope and remaining term of the core patents, freedom-to-operate analysis, licences and "
        "assignments.",
    ),
    (
        "团队",
        "Team",
        12,
        "创始人与核心团队的研发、临床、注册与产业化经验，治理结构与激励安排。",
        "Research, clinical, regulatory and commercial experience of the founders and core team; governance and "
        "incentives.",
    ),
    (
        "CMC 与生产",
        "CMC",
        7,
        "工艺开发与放大、质量体系、产能规划与供应链，生产是否可在坪山落地。",
        "Process development and scale-up, quality system, capacity plan and supply chain, and whether production "
        "can land in Pingshan.",
    ),
    (
        "估值与融资风险",
        "Valuation and financing risk",
        8,
        "投前估值的合理性、本轮资金可支持的里程碑、后续融资需求与稀释风险。",
        "Whether the pre-money valuation is reasonable, the milestones this round funds, later financing needs and "
        "dilution.",
    ),
    (
        "退出路径",
        "Exit route",
        6,
        "上市（科创板、港股 18A 等）、并购或授权退出的可行性与时间。",
        "Feasibility and timing of an exit by listing (STAR Market, HKEX 18A …), acquisition or licensing.",
    ),
    (
        "政策契合与坪山落地",
        "Policy fit and Pingshan landing",
        8,
        "与坪山生物医药产业政策的契合度，注册、总部、研发或生产在坪山落地的计划与进度。",
        "Fit with Pingshan's biomedicine industry policy; plan and progress of registering, headquartering, "
        "researching or producing in Pingshan.",
    ),
)

# Extreme scores need a written reason, so the panel can weigh them.
REASON_BELOW, REASON_ABOVE = Decimal(3), Decimal(9)


def rubric_named(name, **details) -> Rubric:
    """The rubric called ``name`` (its latest version), built the first time from ``details`` (the arguments of
    ``portal.reviews.rubrics.build_rubric``)."""
    first = Rubric.objects.filter(name=name, previous__isnull=True).order_by("pk").first()
    if first is not None:
        return latest_version(first)
    return build_rubric(name=name, **details)


def biomedicine_rubric() -> Rubric:
    """The biomedicine rubric (its latest version), made with its ten criteria the first time."""
    return rubric_named(
        NAME,
        name_en=NAME_EN,
        description="坪山生物医药科技产业创新基金项目评审：十项指标，按权重加权平均（0–10 分）。",
        criteria=CRITERIA,
        reason_required_below=REASON_BELOW,
        reason_required_above=REASON_ABOVE,
    )
