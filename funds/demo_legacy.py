"""The demo fund's past as data: the deals it made before its pipeline was on the portal (2021–2024), its
distributions to LPs and the anchors of the illustrative benchmark index. Read by funds/demo_performance.py."""

from typing import NamedTuple

from .demo_companies import Profile

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
