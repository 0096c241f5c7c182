"""The demo fund's five years, for its performance evaluation: a legacy portfolio invested 2021–2024 (terms, tranches,
valuations, annual KPI reports, milestones, an IPO, a trade sale, a buyback and a liquidation), the LPs' distributions
after the exits, a benchmark index, the indicator sets of 2024, 2025 and 2026 and the expert panel's rubric.

The fund's pipeline on the portal began in 2026 (funds/demo_deals.py); the deals it made before were decided by
committee meetings held before the portal, and their records are carried over here, dated when they happened. The
deal room's documents and each deal's review round go through the services (the guards into the committee read
them); the rest is written in bulk, with each deal's stage history and history lines dated in the past, as
``funds.services.transfer`` writes an imported list. With the fund's capital calls (funds/demo.py) and the 2026
portfolio this gives gross flows with a J-curve: negative to 2024, turning up with the exits of 2025 and 2026.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from portal.history.models import Event
from portal.history.record import Entry, Line, record_many
from portal.notifications.models import Notification
from portal.reviews.models import Rubric

from .demo_companies import FUND_SLUG, MANAGERS, Profile, day
from .demo_deals import NOTES, WAN, _use_of, add_document, moment, people
from .demo_reviews import closed_round
from .models import (
    BenchmarkIndex,
    Deal,
    DealFolder,
    DealStage,
    DealTerms,
    Disbursement,
    DocumentKind,
    Exit,
    ExitKind,
    Fund,
    IndexLevel,
    Indicator,
    IndicatorSet,
    KpiReport,
    KpiState,
    LpDistribution,
    Milestone,
    PaidIn,
    StageChange,
    Valuation,
)
from .rubrics import rubric_named
from .services.deals import STANDARD_FOLDERS
from .verbs import FundVerb

P = Profile
NONE = ("", "", "")


class Legacy(NamedTuple):
    """A deal the fund made before its pipeline was on the portal. Amounts in 万元."""

    profile: Profile
    deal: tuple  # (round, amount, pre-money, source, the manager who led it)
    tranches: tuple  # (paid on, amount)
    marks: tuple  # (date, multiple of what was paid by then, method, note): valued at each half-year end from then
    kpis: tuple  # (year, revenue, R&D, headcount, patents granted, tax): the annual report, sent in the next March
    exit: tuple = ()  # (date, proceeds, kind, note); proceeds 0 and kind liquidation: a write-off

    @property
    def round(self):
        return self.deal[0]

    @property
    def amount(self):
        return self.deal[1]

    @property
    def pre_money(self):
        return self.deal[2]

    @property
    def source(self):
        return self.deal[3]

    @property
    def lead(self):
        return self.deal[4]


LEGACY = (
    Legacy(
        P(
            "深圳坪山安泰生物制药有限公司",
            "Shenzhen Pingshan Antai Biopharmaceutical Co., Ltd.",
            "biologics",
            "AT-201 人源化抗 IL-17A 单抗",
            "AT-201 (humanised anti-IL-17A antibody)",
            "强直性脊柱炎与银屑病关节炎",
            "marketed",
            "",
            "2014-05-12",
            ("2014-05-12", "2014-05-12", "2019-09-01"),
            "自身免疫抗体药企业，坑梓商业化生产基地已投产，首个产品 2024 年获批上市，2025 年在科创板上市。",
            (
                ("nda_accepted", "2023-04-20", "CXSS2300041", "上市申请受理"),
                ("approval", "2024-08-09", "国药准字S20240031", ""),
            ),
        ),
        ("c", 20000, 180000, "partner", "fundmgr"),
        (("2021-09-15", 12000), ("2022-03-21", 8000)),
        (
            ("2021-12-31", "1.0", "cost", "按投资成本入账"),
            ("2022-12-31", "1.1", "rnpv", "III 期达到主要终点"),
            ("2023-06-30", "1.2", "rnpv", "上市申请获受理"),
            ("2024-06-30", "1.3", "last_round", "Pre-IPO 轮定价"),
            ("2024-12-31", "1.5", "comparables", "获批上市，科创板申报获受理"),
            ("2025-06-30", "2.4", "comparables", "科创板上市，按期末收盘价扣除流动性折扣"),
        ),
        ((2022, 0, 9800, 260, 8, 0), (2023, 0, 11200, 310, 11, 0), (2024, 6500, 12500, 420, 13, 380)),
        ("2025-12-16", 52000, "ipo", "科创板上市（2025-03-28），限售期满后分批减持完毕"),
    ),
    Legacy(
        P(
            "深圳德瑞心血管医疗器械有限公司",
            "Shenzhen Derui Cardiovascular Devices Co., Ltd.",
            "medical_devices",
            "DR-Occluder 可降解左心耳封堵器",
            "DR-Occluder (biodegradable left atrial appendage occluder)",
            "非瓣膜性房颤卒中预防",
            "approved",
            "III",
            "2015-08-18",
            ("2022-06-20", "2022-06-20", "2023-10-15"),
            "心血管介入器械企业，2022 年总部由南山迁入坪山，坪山生产基地 2023 年投产。",
            (("device_registration", "2023-07-26", "国械注准20233130518", "第三类医疗器械注册证"),),
        ),
        ("b", 15000, 90000, "roadshow", "fundmgr2"),
        (("2021-11-22", 9000), ("2022-05-16", 6000)),
        (
            ("2021-12-31", "1.0", "cost", "按投资成本入账"),
            ("2022-12-31", "1.0", "comparables", "注册临床完成入组"),
            ("2023-12-31", "1.2", "comparables", "第三类注册证获批"),
            ("2024-12-31", "1.4", "dcf", "商业化首年收入超出预期"),
        ),
        ((2022, 800, 3200, 120, 6, 40), (2023, 2600, 3500, 160, 8, 150), (2024, 9800, 3800, 240, 9, 620)),
        ("2025-06-26", 38000, "trade_sale", "整体出售予上市心血管器械集团"),
    ),
    Legacy(
        P(
            "深圳宜康生物检测技术有限公司",
            "Shenzhen Yikang Bio-testing Technology Co., Ltd.",
            "ivd",
            "YK-HPV 人乳头瘤病毒核酸分型检测试剂盒",
            "YK-HPV (HPV genotyping PCR kit)",
            "宫颈癌筛查",
            "marketed",
            "II",
            "2017-03-06",
            NONE,
            "体外诊断试剂企业，总部与工厂位于福田，产品进入省内妇幼保健机构。",
            (("device_registration", "2022-11-08", "粤械注准20222400873", ""),),
        ),
        ("a", 10000, 40000, "council", "fundmgr"),
        (("2022-04-18", 6000), ("2022-10-24", 4000)),
        (
            ("2022-06-30", "1.0", "cost", "按投资成本入账"),
            ("2023-06-30", "1.0", "comparables", "集采降价，收入低于预期"),
            ("2023-12-31", "1.1", "dcf", "收入对赌预计无法达成，按回购条款估值"),
        ),
        ((2022, 3200, 900, 95, 3, 210), (2023, 3500, 1000, 100, 2, 230)),
        ("2024-09-27", 11900, "buyback", "收入对赌未达成，创始人按协议以本金加年化 8% 单利回购"),
    ),
    Legacy(
        P(
            "深圳坪山华曦细胞生物科技有限公司",
            "Shenzhen Pingshan Huaxi Cell Biotechnology Co., Ltd.",
            "cell_gene",
            "HX-TIL 肿瘤浸润淋巴细胞疗法",
            "HX-TIL (tumour-infiltrating lymphocyte therapy)",
            "晚期黑色素瘤",
            "phase_1",
            "",
            "2019-11-11",
            ("2022-02-28", "", ""),
            "肿瘤浸润淋巴细胞疗法企业，2024 年因 I 期安全性问题终止研发并清算。",
            (("ind_accepted", "2022-05-10", "CXSL2200215", ""), ("ind_cleared", "2022-07-25", "", "默示许可")),
        ),
        ("a", 8000, 30000, "own", "fundmgr2"),
        (("2022-01-20", 5000), ("2022-08-15", 3000)),
        (
            ("2022-06-30", "1.0", "cost", "按投资成本入账"),
            ("2023-06-30", "0.4", "write_down", "I 期剂量爬坡出现安全性信号，暂停入组"),
            ("2023-12-31", "0.1", "write_down", "研发终止，进入清算程序"),
        ),
        ((2022, 0, 2800, 45, 2, 0), (2023, 0, 2100, 38, 1, 0)),
        ("2024-03-28", 0, "liquidation", "I 期出现严重不良事件，研发终止，企业清算，全额核销"),
    ),
    Legacy(
        P(
            "深圳思源神经药物科技有限公司",
            "Shenzhen Siyuan Neuro Pharmaceutical Technology Co., Ltd.",
            "innovative_drugs",
            "SY-102 选择性 Nav1.8 钠通道阻滞剂",
            "SY-102 (selective Nav1.8 blocker)",
            "糖尿病周围神经痛",
            "phase_2",
            "",
            "2018-07-07",
            ("2023-04-10", "2023-04-10", ""),
            "非阿片类镇痛新药企业，2023 年迁入坪山生物医药创新产业园。",
            (
                ("ind_cleared", "2022-03-15", "CXHL2200090", "默示许可"),
                ("first_patient_in", "2022-09-01", "", ""),
                ("phase_advance", "2024-05-20", "", "进入 II 期"),
            ),
        ),
        ("a", 6000, 25000, "partner", "fundmgr"),
        (("2021-12-20", 3500), ("2022-07-11", 2500)),
        (
            ("2022-06-30", "1.0", "cost", "按投资成本入账"),
            ("2023-06-30", "1.1", "last_round", "B 轮融资"),
            ("2024-06-30", "1.3", "rnpv", "进入 II 期"),
            ("2025-12-31", "1.6", "rnpv", "II 期中期分析积极"),
        ),
        (
            (2022, 0, 2400, 40, 3, 0),
            (2023, 0, 3300, 55, 4, 0),
            (2024, 0, 4600, 72, 5, 30),
            (2025, 300, 5800, 88, 6, 60),
        ),
    ),
    Legacy(
        P(
            "深圳坪山朗润医药科技有限公司",
            "Shenzhen Pingshan Langrun Pharmaceutical Technology Co., Ltd.",
            "innovative_drugs",
            "LR-55 口服 FXIa 抑制剂",
            "LR-55 (oral factor XIa inhibitor)",
            "房颤患者卒中预防",
            "phase_2",
            "",
            "2016-09-09",
            ("2016-09-09", "2016-09-09", ""),
            "抗凝新药企业，研发中心设在坪山，低出血风险的口服抗凝药处于 II 期。",
            (
                ("ind_accepted", "2021-10-12", "CXHL2101130", ""),
                ("ind_cleared", "2021-12-27", "", ""),
                ("phase_advance", "2023-11-06", "", "进入 II 期"),
                ("readout", "2025-09-22", "", "II 期出血风险显著低于对照"),
            ),
        ),
        ("b", 12000, 70000, "own", "fundmgr2"),
        (("2022-06-20", 7000), ("2022-12-19", 5000)),
        (
            ("2022-12-31", "1.0", "cost", "按投资成本入账"),
            ("2023-12-31", "1.1", "rnpv", "进入 II 期"),
            ("2024-12-31", "1.15", "rnpv", ""),
            ("2025-12-31", "1.5", "rnpv", "II 期数据积极，对外授权谈判中"),
            ("2026-06-30", "1.7", "last_round", "C 轮融资定价"),
        ),
        (
            (2022, 0, 5200, 85, 4, 0),
            (2023, 0, 6800, 102, 6, 0),
            (2024, 0, 8100, 118, 7, 0),
            (2025, 0, 9300, 130, 9, 0),
        ),
    ),
    Legacy(
        P(
            "深圳致和生物医药有限公司",
            "Shenzhen Zhihe Biomedicine Co., Ltd.",
            "biologics",
            "ZHB-11 PD-L1/4-1BB 双特异性抗体",
            "ZHB-11 (PD-L1/4-1BB bispecific antibody)",
            "晚期非小细胞肺癌",
            "phase_2",
            "",
            "2019-05-20",
            ("", "2023-08-01", ""),
            "双特异性抗体企业，2023 年总部迁入深圳国际生物谷坪山核心区。",
            (
                ("ind_accepted", "2023-02-14", "CXSL2300066", ""),
                ("ind_cleared", "2023-04-28", "", ""),
                ("first_patient_in", "2023-10-09", "", ""),
                ("phase_advance", "2025-09-08", "", "进入 II 期"),
            ),
        ),
        ("b", 12000, 80000, "partner", "fundmgr"),
        (("2023-01-16", 6000), ("2023-07-17", 6000)),
        (
            ("2023-06-30", "1.0", "cost", "按投资成本入账"),
            ("2024-06-30", "1.1", "last_round", "B+ 轮融资"),
            ("2025-06-30", "1.25", "rnpv", "I 期剂量扩展"),
            ("2026-06-30", "1.4", "rnpv", "进入 II 期"),
        ),
        ((2023, 0, 4500, 68, 3, 0), (2024, 0, 6200, 85, 5, 0), (2025, 0, 7000, 96, 6, 0)),
    ),
    Legacy(
        P(
            "深圳拓新医药科技有限公司",
            "Shenzhen Tuoxin Pharmaceutical Technology Co., Ltd.",
            "innovative_drugs",
            "TX-07 外用 JAK1 抑制剂乳膏",
            "TX-07 (topical JAK1 inhibitor cream)",
            "白癜风",
            "phase_2",
            "",
            "2018-12-12",
            NONE,
            "皮肤病外用新药企业，研发中心在南山，生产委托区外 CDMO。",
            (("ind_cleared", "2022-08-30", "CXHL2200611", ""), ("phase_advance", "2025-03-10", "", "进入 II 期")),
        ),
        ("a", 7000, 35000, "roadshow", "fundmgr2"),
        (("2023-03-20", 4000), ("2023-09-25", 3000)),
        (
            ("2023-06-30", "1.0", "cost", "按投资成本入账"),
            ("2025-06-30", "1.15", "rnpv", "进入 II 期"),
            ("2025-12-31", "1.05", "rnpv", "竞品获批，下调市场份额假设"),
        ),
        ((2023, 0, 2600, 42, 2, 0), (2024, 0, 3100, 50, 3, 0), (2025, 0, 3400, 53, 3, 0)),
    ),
    Legacy(
        P(
            "深圳明澈医疗科技有限公司",
            "Shenzhen Mingche Medical Technology Co., Ltd.",
            "medical_devices",
            "MC-Endo 一次性电子输尿管镜",
            "MC-Endo (single-use digital ureteroscope)",
            "泌尿系结石诊疗",
            "marketed",
            "II",
            "2017-06-16",
            ("", "", "2024-05-20"),
            "内窥镜器械企业，2024 年在坪山投产一次性内镜产线。",
            (("device_registration", "2023-12-12", "粤械注准20232221077", ""),),
        ),
        ("b", 9000, 60000, "own", "fundmgr"),
        (("2023-04-24", 5000), ("2023-11-20", 4000)),
        (
            ("2023-06-30", "1.0", "cost", "按投资成本入账"),
            ("2024-06-30", "1.1", "comparables", "注册证获批，医院放量"),
            ("2025-06-30", "1.35", "comparables", ""),
            ("2026-06-30", "1.5", "comparables", ""),
        ),
        ((2023, 1500, 1800, 90, 7, 60), (2024, 5200, 2100, 150, 9, 310), (2025, 9800, 2500, 210, 11, 640)),
    ),
    Legacy(
        P(
            "深圳优准精准医学检验有限公司",
            "Shenzhen Youzhun Precision Medicine Laboratory Co., Ltd.",
            "ivd",
            "YZ-MRD 实体瘤微小残留病灶检测",
            "YZ-MRD (minimal residual disease assay for solid tumours)",
            "结直肠癌术后复发监测",
            "approved",
            "III",
            "2018-04-02",
            ("2023-11-06", "", ""),
            "肿瘤分子检测企业，2023 年在坪山设立子公司和医学检验实验室，检测试剂 2025 年获第三类注册证。",
            (
                ("readout", "2025-04-18", "", "注册临床达到预设灵敏度终点"),
                ("device_registration", "2025-11-20", "国械注准20253401215", "第三类医疗器械注册证"),
            ),
        ),
        ("b", 10000, 70000, "partner", "fundmgr2"),
        (("2023-06-19", 6000), ("2023-12-18", 4000)),
        (
            ("2023-12-31", "1.0", "cost", "按投资成本入账"),
            ("2025-06-30", "1.3", "comparables", "注册临床达到终点"),
            ("2025-12-31", "1.5", "comparables", "第三类注册证获批"),
            ("2026-06-30", "1.6", "comparables", ""),
        ),
        ((2023, 2100, 3000, 110, 5, 90), (2024, 3600, 3800, 140, 8, 180), (2025, 5900, 4200, 168, 10, 330)),
    ),
    Legacy(
        P(
            "深圳坪山智药科技有限公司",
            "Shenzhen Pingshan Zhiyao Technology Co., Ltd.",
            "digital_health",
            "AI 药物警戒与不良反应监测平台",
            "AI pharmacovigilance platform",
            "上市后药品安全监测",
            "marketed",
            "",
            "2020-03-18",
            ("2020-03-18", "", ""),
            "医药数字化企业，为区内药企提供药物警戒与注册数据服务。",
            (),
        ),
        ("a", 5000, 30000, "council", "fundmgr"),
        (("2023-09-11", 3000), ("2024-03-11", 2000)),
        (
            ("2023-12-31", "1.0", "cost", "按投资成本入账"),
            ("2025-12-31", "1.2", "comparables", "续约率与客户数上升"),
        ),
        ((2023, 1400, 900, 60, 2, 50), (2024, 2600, 1100, 75, 4, 120), (2025, 3900, 1300, 88, 6, 210)),
    ),
    Legacy(
        P(
            "深圳市普安偶联药物技术有限公司",
            "Shenzhen Pu'an Conjugate Technology Co., Ltd.",
            "cxo",
            "ADC 偶联药物合同研发生产（CDMO）",
            "ADC conjugation CDMO",
            "抗体偶联药物工艺开发与生产",
            "marketed",
            "",
            "2016-10-10",
            ("", "", "2025-01-10"),
            "ADC 合同研发生产企业，坪山偶联车间 2025 年初投产。",
            (),
        ),
        ("c", 15000, 150000, "partner", "fundmgr2"),
        (("2024-01-15", 8000), ("2024-07-15", 7000)),
        (
            ("2024-06-30", "1.0", "cost", "按投资成本入账"),
            ("2025-06-30", "1.2", "comparables", "坪山车间投产，订单饱满"),
            ("2026-06-30", "1.35", "comparables", ""),
        ),
        ((2024, 18500, 2600, 320, 6, 1400), (2025, 26800, 3100, 410, 9, 2150)),
    ),
    Legacy(
        P(
            "深圳恒因细胞治疗有限公司",
            "Shenzhen Hengyin Cell Therapy Co., Ltd.",
            "cell_gene",
            "HG-T1 靶向 NY-ESO-1 的 TCR-T",
            "HG-T1 (NY-ESO-1 TCR-T)",
            "滑膜肉瘤",
            "phase_1",
            "",
            "2020-02-20",
            NONE,
            "TCR-T 细胞治疗企业，细胞制备委托区外 CDMO。",
            (
                ("ind_accepted", "2024-10-28", "CXSL2400512", ""),
                ("ind_cleared", "2025-01-15", "", "默示许可"),
                ("first_patient_in", "2025-06-16", "", ""),
            ),
        ),
        ("a", 8000, 40000, "roadshow", "fundmgr"),
        (("2024-03-18", 4000), ("2024-09-23", 4000)),
        (
            ("2024-06-30", "1.0", "cost", "按投资成本入账"),
            ("2025-06-30", "1.1", "last_round", "A+ 轮融资"),
            ("2026-06-30", "0.85", "rnpv", "入组慢于计划，下调成功概率"),
        ),
        ((2024, 0, 2200, 36, 2, 0), (2025, 0, 3000, 44, 3, 0)),
    ),
    Legacy(
        P(
            "深圳坪山奕恒生物科技有限公司",
            "Shenzhen Pingshan Yiheng Biotechnology Co., Ltd.",
            "biologics",
            "YH-mRNA 带状疱疹 mRNA 疫苗",
            "YH-mRNA (shingles mRNA vaccine)",
            "五十岁以上人群带状疱疹预防",
            "phase_1",
            "",
            "2021-08-08",
            ("2024-06-17", "2024-06-17", ""),
            "mRNA 疫苗企业，2024 年在坪山注册并建设 LNP 中试车间。",
            (
                ("ind_accepted", "2025-01-20", "CXSL2500032", ""),
                ("ind_cleared", "2025-04-07", "", "默示许可"),
                ("first_patient_in", "2025-10-13", "", ""),
            ),
        ),
        ("b", 10000, 65000, "own", "fundmgr2"),
        (("2024-06-17", 6000), ("2024-12-16", 4000)),
        (
            ("2024-12-31", "1.0", "cost", "按投资成本入账"),
            ("2025-06-30", "1.15", "rnpv", "IND 获批"),
            ("2026-06-30", "1.3", "rnpv", ""),
        ),
        ((2024, 0, 1800, 30, 3, 0), (2025, 0, 3600, 52, 5, 0)),
    ),
    Legacy(
        P(
            "深圳正元合成生物科技有限公司",
            "Shenzhen Zhengyuan Synthetic Biotech Co., Ltd.",
            "synthetic_biology",
            "ZYS-HA 发酵法医用透明质酸",
            "ZYS-HA (fermented medical-grade hyaluronic acid)",
            "注射用医用原料",
            "preclinical",
            "",
            "2022-03-03",
            ("2025-05-12", "", ""),
            "合成生物企业，2025 年在坪山注册并建设发酵中试线。",
            (),
        ),
        ("a", 6000, 30000, "council", "fundmgr"),
        (("2024-09-23", 3000), ("2025-03-24", 3000)),
        (("2024-12-31", "1.0", "cost", "按投资成本入账"), ("2025-12-31", "1.15", "last_round", "A+ 轮融资")),
        ((2024, 0, 900, 28, 2, 0), (2025, 600, 1500, 40, 4, 20)),
    ),
)

# Distributions to the LPs after the exits (万元), split by what each had paid in by then.
DISTRIBUTIONS = (("2024-10-25", 10000), ("2025-07-25", 34000), ("2026-01-20", 46000), ("2026-11-10", 45000))

# Month-end closes of the CSI 300 index: ILLUSTRATIVE DEMO DATA, invented (the portal has no market data feed).
# The months between two anchors are interpolated, with a small fixed ripple so the line is not straight.
INDEX = ("沪深300指数", "CSI 300 Index", "000300")
INDEX_ANCHORS = (
    ("2021-06-30", 5220), ("2021-12-31", 4940), ("2022-06-30", 4480), ("2022-12-31", 3870), ("2023-06-30", 3840),
    ("2023-12-31", 3430), ("2024-06-30", 3460), ("2024-09-30", 3950), ("2024-12-31", 3940), ("2025-06-30", 3940),
    ("2025-12-31", 4620), ("2026-06-30", 4790), ("2026-11-30", 4850),
)  # fmt: skip

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


# --- the legacy portfolio --------------------------------------------------------------------------------------

# The days of a deal's moves before its first tranche was paid, and the step each is.
BEFORE_PAYMENT = (
    ("screen", DealStage.SCREENING, 140),
    ("approve", DealStage.APPROVED, 115),
    ("start_due_diligence", DealStage.DUE_DILIGENCE, 95),
    ("submit_to_committee", DealStage.COMMITTEE, 45),
    ("proceed_to_signing", DealStage.SIGNING, 30),
    ("start_disbursement", DealStage.DISBURSEMENT, 16),
    ("enter_portfolio", DealStage.PORTFOLIO, 0),
)
CREATED, DD_REPORT, REVIEW_CLOSED = 160, 58, 50  # days before the first payment
NUMERALS = "一二三四"
CONDITIONS = "按年度报送经营数据；第二期拨付以完成投资协议约定的里程碑为前提。"


def _wan(amount) -> Decimal:
    return Decimal(amount) * WAN


def _first_paid(plan) -> datetime.date:
    return day(plan.tranches[0][0])


def _moves(plan, index):
    """[(transition, from, to, day, note)] of the deal's history, oldest first."""
    paid = _first_paid(plan)
    moves, stage = [], DealStage.SOURCED
    for step, (name, target, days) in enumerate(BEFORE_PAYMENT):
        on = paid - datetime.timedelta(days=days)
        if name == "proceed_to_signing":
            quarter = NUMERALS[(on.month - 1) // 3]
            note = f"{on.year}年第{quarter}次投资决策委员会会议审议通过（门户上线前召开，决议书由基金管理人存档）。"
        elif name == "start_disbursement":
            note = "投资协议已签署，进入拨付。"
        elif name == "enter_portfolio":
            note = "首期投资款已拨付，转入投后管理。"
        else:
            note = NOTES[name][(index + step) % len(NOTES[name])]
        moves.append((name, stage, target, on, note))
        stage = target
    if plan.exit:
        on, _proceeds, kind, note = plan.exit
        if kind == ExitKind.LIQUIDATION:
            moves.append(("write_off", stage, DealStage.WRITTEN_OFF, day(on), note))
        else:
            moves.append(("close_exited", stage, DealStage.EXITED, day(on), f"退出完成：{note}。"))
    return moves


def _half_years(first, last):
    """The half-year ends (30 June, 31 December) after ``first``, up to ``last``."""
    years = range(first.year, last.year + 1)
    ends = (datetime.date(year, month, 30 if month == 6 else 31) for year in years for month in (6, 12))
    return [on for on in ends if first < on <= last]


def _valuations(plan, deal, actor, until):
    """Each half-year end from the first mark while the fund holds the company: the latest mark's multiple of what
    had been paid in by then (the note only on the mark's own day)."""
    marks = [(day(on), Decimal(multiple), method, note) for on, multiple, method, note in plan.marks]
    end = day(plan.exit[0]) - datetime.timedelta(days=1) if plan.exit else until
    rows = []
    for on in [marks[0][0], *_half_years(marks[0][0], end)]:
        mark = [m for m in marks if m[0] <= on][-1]
        paid = sum((_wan(amount) for paid_on, amount in plan.tranches if day(paid_on) <= on), Decimal(0))
        value = (paid * mark[1]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        note = mark[3] if mark[0] == on else ""
        rows.append(Valuation(deal=deal, valued_on=on, value=value, method=mark[2], note=note, recorded_by=actor))
    return rows


def _kpi_reports(plan, deal, actor, index):
    """The annual reports the company sent each March for the year before (by mail, entered by the fund)."""
    rows = []
    for year, revenue, rd_spend, headcount, patents, tax in plan.kpis:
        rows.append(
            KpiReport(
                deal=deal,
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                due_on=datetime.date(year + 1, 3, 31),
                state=KpiState.SUBMITTED,
                requested_by=actor,
                requested_at=moment(datetime.date(year + 1, 1, 10), 9),
                revenue=_wan(revenue),
                rd_spend=_wan(rd_spend),
                headcount=headcount,
                patents=patents,
                tax_paid=_wan(tax),
                comment="年度经营数据，由企业财务部门报送。",
                submitted_at=moment(datetime.date(year + 1, 3, 10 + index % 12), 16),
            )
        )
    return rows


def _terms(plan, deal, agreement):
    amount, pre_money = _wan(plan.amount), _wan(plan.pre_money)
    ownership = (amount * 100 / (pre_money + amount)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    signed = _first_paid(plan) - datetime.timedelta(days=16)
    return DealTerms(
        deal=deal,
        amount=amount,
        instrument="preferred",
        pre_money=pre_money,
        ownership=ownership,
        conditions=CONDITIONS,
        signed_on=signed,
        signed_document=agreement,
    )


def _disbursements(plan, deal, actor):
    conditions = ("协议生效", "完成投资协议约定的里程碑")
    return [
        Disbursement(
            deal=deal,
            number=number,
            planned_on=day(on),
            planned_amount=_wan(amount),
            condition=conditions[min(number, 2) - 1],
            paid_on=day(on),
            paid_amount=_wan(amount),
            recorded_by=actor,
        )
        for number, (on, amount) in enumerate(plan.tranches, start=1)
    ]


def _milestones(plan, deal, company):
    """The company's milestones (none when it has some already), recorded when they happened, or when the fund first
    looked at the company if that came later."""
    if Milestone.objects.filter(company=company).exists():
        return []
    first_look = timezone.localtime(deal.created_at).date()
    return [
        Milestone(
            company=company,
            kind=kind,
            happened_on=day(on),
            reference=reference,
            note=note,
            recorded_at=moment(max(day(on), first_look), 11),
        )
        for kind, on, reference, note in plan.profile.milestones
    ]


def _exit(plan, deal, actor):
    if not plan.exit:
        return None
    on, proceeds, kind, note = plan.exit
    return Exit(deal=deal, exited_on=day(on), proceeds=_wan(proceeds), kind=kind, note=note, recorded_by=actor)


def _redate_lines(since, on, hour):
    """The history lines a service wrote just now (after line ``since``) happened on ``on``."""
    Event.objects.filter(pk__gt=since).update(created_at=moment(on, hour))
    return Event.objects.aggregate(last=Max("pk"))["last"] or 0


def _room_and_review(deal, plan, actor, index):
    """The DD report and the review round that the step to the committee reads, and the signed agreement the step to
    disbursement reads: through the services, then dated when they happened. Returns the agreement."""
    paid = _first_paid(plan)
    since = Event.objects.aggregate(last=Max("pk"))["last"] or 0
    reported = paid - datetime.timedelta(days=DD_REPORT)
    title = f"{deal.company}尽职调查报告"
    add_document(actor, deal, DocumentKind.DD_REPORT, "尽职调查", title, "dd-report.pdf", reported)
    since = _redate_lines(since, reported, 11)
    closed = paid - datetime.timedelta(days=REVIEW_CLOSED)
    closed_round(deal, actor, index, closed_on=closed)
    since = _redate_lines(since, closed - datetime.timedelta(days=16), 10)
    signed = paid - datetime.timedelta(days=16)
    title = f"{deal.company}投资协议（签署版）"
    agreement = add_document(actor, deal, DocumentKind.SIGNED_AGREEMENT, "协议", title, "agreement.pdf", signed)
    _redate_lines(since, signed, 15)
    return agreement


class History:
    """History lines and audit entries of records written in bulk, each dated when it happened."""

    def __init__(self, fund):
        self.fund = fund
        self.entries = defaultdict(list)  # (actor, when) -> [Entry]

    def add(self, when, actor, action, instance, deal, verb, data, summary=None):
        line = Line(self.fund, verb, summary or str(deal), deal.get_absolute_url(), subject=deal)
        self.entries[(actor, when)].append(Entry(action, instance, {"deal": deal.pk, **data}, line))

    def write(self):
        for (actor, when), entries in sorted(self.entries.items(), key=lambda item: item[0][1]):
            record_many(entries, actor=actor, at=when)
        return sum(len(entries) for entries in self.entries.values())


def _deal_history(history, plan, deal, actor, moves, records):
    """The lines the deal's services would have written: its creation, its moves, its terms and tranches, its
    valuations, KPI reports, milestones and exit."""
    company = str(deal.company)
    created = {"company": company, "round": deal.round, "amount_requested": str(deal.amount_requested)}
    history.add(deal.created_at, actor, "funds.create_deal", deal, deal, FundVerb.CREATED_DEAL, created, company)
    for step, (name, before, after, on, note) in enumerate(moves):
        data = {"transition": name, "from": before, "to": after, "note": note}
        history.add(_move_time(on, step), actor, "funds.move_deal", deal, deal, FundVerb.MOVED_DEAL, data, company)
    terms, tranches, valuations, reports, milestones, exit_record = records
    signed = moment(terms.signed_on, 15)
    data = {"amount": str(terms.amount)}
    history.add(signed, actor, "funds.record_terms", terms, deal, FundVerb.RECORDED_TERMS, data)
    for tranche in tranches:
        data = {"number": tranche.number, "amount": str(tranche.planned_amount)}
        history.add(signed, actor, "funds.plan_disbursement", tranche, deal, FundVerb.PLANNED_DISBURSEMENT, data)
        paid = moment(tranche.paid_on, 14)
        history.add(paid, actor, "funds.pay_disbursement", tranche, deal, FundVerb.PAID_DISBURSEMENT, data)
    for valuation in valuations:
        data = {"valued_on": valuation.valued_on.isoformat(), "value": str(valuation.value)}
        when = moment(valuation.valued_on, 17)
        history.add(when, actor, "funds.record_valuation", valuation, deal, FundVerb.RECORDED_VALUATION, data)
    for report in reports:
        data = {"period_end": report.period_end.isoformat()}
        verb = FundVerb.REQUESTED_KPI_REPORT
        history.add(report.requested_at, actor, "funds.request_kpi_report", report, deal, verb, data)
        verb = FundVerb.SUBMITTED_KPI_REPORT
        history.add(report.submitted_at, None, "funds.submit_kpi_report", report, deal, verb, data)
    for milestone in milestones:
        data = {"kind": milestone.kind, "happened_on": milestone.happened_on.isoformat()}
        verb = FundVerb.RECORDED_MILESTONE
        history.add(milestone.recorded_at, actor, "funds.record_milestone", milestone, deal, verb, data)
    if exit_record is not None:
        data = {"exited_on": exit_record.exited_on.isoformat(), "proceeds": str(exit_record.proceeds)}
        when = moment(exit_record.exited_on, 15)
        history.add(when, actor, "funds.record_exit", exit_record, deal, FundVerb.RECORDED_EXIT, data)


def _move_time(on, step):
    return moment(on, 10 + step % 6, 15)


def legacy_portfolio(fund, actors, today) -> int:
    """The deals of ``LEGACY`` that the fund does not have yet, with their whole history; returns how many."""
    from .demo import companies  # funds/demo.py registers this module's step

    made = companies(plan.profile for plan in LEGACY)
    plans = [
        (index, plan, made[plan.profile.name])
        for index, plan in enumerate(LEGACY)
        if not Deal.objects.filter(fund=fund, company=made[plan.profile.name], round=plan.round).exists()
    ]
    if not plans:
        return 0
    deals = []
    for _index, plan, company in plans:
        created = moment(_first_paid(plan) - datetime.timedelta(days=CREATED), 9, 30)
        summary = f"{company.lead_asset}（{company.indication}）本轮融资{plan.amount}万元，用于{_use_of(company)}。"
        deals.append(
            Deal(
                fund=fund,
                company=company,
                round=plan.round,
                amount_requested=_wan(plan.amount),
                pre_money=_wan(plan.pre_money),
                source=plan.source,
                owner=actors[plan.lead],
                summary=summary,
                # Where its room and review round were made, before the committee: the service scores no ended deal.
                stage=DealStage.DUE_DILIGENCE,
                created_at=created,
                stage_entered_at=created,
            )
        )
    Deal.objects.bulk_create(deals)
    DealFolder.objects.bulk_create(
        DealFolder(deal=deal, name=name, name_en=name_en, order=order)
        for deal in deals
        for order, (name, name_en) in enumerate(STANDARD_FOLDERS)
    )
    history = History(fund)
    changes, terms, tranches, valuations, reports, exits, milestones = [], [], [], [], [], [], []
    per_deal = []
    for deal, (index, plan, company) in zip(deals, plans, strict=True):
        actor = actors[plan.lead]
        agreement = _room_and_review(deal, plan, actor, index)
        moves = _moves(plan, index)
        changes += [
            StageChange(deal=deal, from_stage=before, to_stage=after, actor=actor, note=note, at=_move_time(on, step))
            for step, (_name, before, after, on, note) in enumerate(moves)
        ]
        # The stage its recorded history ends in (moved by UPDATE: the committee's approval predates the portal).
        entered = _move_time(moves[-1][3], len(moves) - 1)
        Deal.objects.filter(pk=deal.pk).update(stage=moves[-1][2], stage_entered_at=entered)
        records = (
            _terms(plan, deal, agreement),
            _disbursements(plan, deal, actor),
            _valuations(plan, deal, actor, today),
            _kpi_reports(plan, deal, actor, index),
            _milestones(plan, deal, company),
            _exit(plan, deal, actor),
        )
        terms.append(records[0])
        tranches += records[1]
        valuations += records[2]
        reports += records[3]
        milestones += records[4]
        exits += [records[5]] if records[5] is not None else []
        per_deal.append((plan, deal, actor, moves, records))
    StageChange.objects.bulk_create(changes)
    DealTerms.objects.bulk_create(terms)
    Disbursement.objects.bulk_create(tranches)
    Valuation.objects.bulk_create(valuations)
    KpiReport.objects.bulk_create(reports)
    Exit.objects.bulk_create(exits)
    recorded = [milestone.recorded_at for milestone in milestones]
    Milestone.objects.bulk_create(milestones)
    for milestone, when in zip(milestones, recorded, strict=True):  # auto_now_add stamped them today
        milestone.recorded_at = when
    Milestone.objects.bulk_update(milestones, ["recorded_at"])
    for plan, deal, actor, moves, records in per_deal:
        _deal_history(history, plan, deal, actor, moves, records)
    history.write()
    return len(deals)


# --- the LPs' distributions and the benchmark index ---------------------------------------------------------------


def lp_distributions(fund, today) -> int:
    """``DISTRIBUTIONS`` up to today, each split over the LPs by what they had paid in by then (the remainder of the
    rounding to the largest); none when the fund has distributed already."""
    if LpDistribution.objects.filter(commitment__fund=fund).exists():
        return 0
    payments = list(PaidIn.objects.filter(commitment__fund=fund).values_list("commitment_id", "paid_on", "amount"))
    rows = []
    for on, amount in DISTRIBUTIONS:
        on, amount = day(on), _wan(amount)
        paid = defaultdict(Decimal)
        for commitment, paid_on, paid_amount in payments:
            if paid_on <= on:
                paid[commitment] += paid_amount
        total = sum(paid.values(), Decimal(0))
        if on > today or not total:
            continue
        shares = {commitment: (amount * part / total).quantize(Decimal("0.01")) for commitment, part in paid.items()}
        largest = max(paid, key=paid.get)
        shares[largest] += amount - sum(shares.values(), Decimal(0))
        rows += [LpDistribution(commitment_id=c, paid_on=on, amount=share) for c, share in sorted(shares.items())]
    LpDistribution.objects.bulk_create(rows)
    return len(rows)


def index_levels(today) -> list[tuple[datetime.date, Decimal]]:
    """The month ends from the first anchor to ``today`` with their invented levels (see ``INDEX_ANCHORS``)."""
    anchors = [(day(on), level) for on, level in INDEX_ANCHORS]
    ends = [stamp.date() for stamp in pd.date_range(anchors[0][0], today, freq="ME")]
    levels = np.interp(
        [on.toordinal() for on in ends], [on.toordinal() for on, _ in anchors], [level for _, level in anchors]
    )
    ripple = 1 + 0.015 * np.sin(np.arange(len(ends)) * 2.1)
    return [(on, Decimal(f"{level:.2f}")) for on, level in zip(ends, levels * ripple, strict=True)]


def benchmark_index(today) -> tuple[BenchmarkIndex, int]:
    """The CSI 300 index with its month-end levels to today; returns it and how many levels were added."""
    name, name_en, code = INDEX
    index, _created = BenchmarkIndex.objects.get_or_create(name=name, defaults={"name_en": name_en, "code": code})
    have = set(index.levels.values_list("on", flat=True))
    levels = [IndexLevel(index=index, on=on, level=level) for on, level in index_levels(today) if on not in have]
    IndexLevel.objects.bulk_create(levels)
    return index, len(levels)


def seed_performance(log):
    """Step 270 (after the milestones): the fund's past, its distributions, the index and the indicator sets."""
    fund = Fund.objects.filter(slug=FUND_SLUG).first()
    actors = people(*MANAGERS)
    if fund is None or set(actors) != set(MANAGERS):
        return
    today = timezone.localdate()
    news_from = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    deals = legacy_portfolio(fund, actors, today)
    distributions = lp_distributions(fund, today)
    index, levels = benchmark_index(today)
    sets = indicator_sets(fund)
    # The review rounds of deals decided years ago told their experts and managers then: read long ago.
    Notification.objects.filter(pk__gt=news_from, read_at__isnull=True).update(read_at=timezone.now())
    paid_in = PaidIn.objects.filter(commitment__fund=fund).aggregate(total=Sum("amount"))["total"] or 0
    distributed = LpDistribution.objects.filter(commitment__fund=fund).aggregate(total=Sum("amount"))["total"] or 0
    log(
        f"fund performance: {deals} past deals added, {distributions} distributions to LPs "
        f"(paid in {paid_in / WAN:.0f}万, distributed {distributed / WAN:.0f}万), {levels} levels of {index.code}, "
        f"indicator sets {', '.join(str(s.year) for s in sets)}"
    )
