"""The fund at scale (``manage.py seed_scale``, issue 14): on top of the demo's biomedicine fund, 10,000 deals of
2,000 new companies with their stage histories (2021 on), 10,000 financing applications (half of them the deals'
own) and 60,000 scorecards of review rounds on the deals. Written in bulk statements: no service, signal,
notification or mail per row. Registered in ``FundsConfig.ready()``."""

import datetime
from decimal import Decimal
from itertools import pairwise

from django.contrib.contenttypes.models import ContentType

from portal import scale
from portal.accounts.roles import RoleCode
from portal.accounts.scale import make_people
from portal.applications.models import Application, ApplicationState
from portal.applications.scale import Planned, make_applications
from portal.organizations.scale import link_contacts, make_organizations, scaled
from portal.reviews.models import ReviewRound
from portal.reviews.scale import PlannedRound, expert_pool, make_rounds

from .demo_companies import FUND_SLUG
from .financing import FINANCING
from .models import (
    BEFORE_DECISION,
    Company,
    Deal,
    DealFolder,
    DealSource,
    DealStage,
    DevelopmentStage,
    DeviceClass,
    Fund,
    Round,
    StageChange,
    Subsector,
)
from .services.deals import STANDARD_FOLDERS
from .statuses import DECIDED, STATUS_FOR_STAGE

SERIES = "XF"  # the scaled companies' credit codes: 91440310XF…
DEALS_PER_COMPANY = 5
# Where a deal is now, and how often: the pipeline's funnel, then its ends.
WHERE = (
    (DealStage.SOURCED, 12),
    (DealStage.SCREENING, 14),
    (DealStage.APPROVED, 7),
    (DealStage.DUE_DILIGENCE, 8),
    (DealStage.COMMITTEE, 3),
    (DealStage.SIGNING, 2),
    (DealStage.DISBURSEMENT, 2),
    (DealStage.PORTFOLIO, 8),
    (DealStage.EXITED, 2),
    (DealStage.WRITTEN_OFF, 1),
    (DealStage.REJECTED, 30),
    (DealStage.ON_HOLD, 4),
    (DealStage.WITHDRAWN, 7),
)
PATH = (
    DealStage.SOURCED,
    DealStage.SCREENING,
    DealStage.APPROVED,
    DealStage.DUE_DILIGENCE,
    DealStage.COMMITTEE,
    DealStage.SIGNING,
    DealStage.DISBURSEMENT,
    DealStage.PORTFOLIO,
)
NOTES = {
    DealStage.SCREENING: "材料齐全，进入初筛。",
    DealStage.APPROVED: "初筛通过，同意立项。",
    DealStage.DUE_DILIGENCE: "启动尽职调查（财务、法律、技术）。",
    DealStage.COMMITTEE: "尽调报告与专家评审完成，提交投决会。",
    DealStage.SIGNING: "投决会审议通过，进入签约。",
    DealStage.DISBURSEMENT: "投资协议已签署，开始拨付。",
    DealStage.PORTFOLIO: "首期款已拨付，转入投后管理。",
    DealStage.EXITED: "完成退出，收回投资。",
    DealStage.WRITTEN_OFF: "核心管线终止，经评估予以核销。",
    DealStage.REJECTED: "与基金投资策略匹配度不足，不予立项。",
    DealStage.ON_HOLD: "等待企业补充临床数据，暂缓推进。",
    DealStage.WITHDRAWN: "企业已完成其他融资，撤回申请。",
}
# Where a deal was when it was rejected, put on hold or withdrawn (the lifecycle's sources of those steps).
LEFT_FROM = {
    DealStage.REJECTED: BEFORE_DECISION,
    DealStage.ON_HOLD: (DealStage.SCREENING, DealStage.APPROVED, DealStage.DUE_DILIGENCE),
    DealStage.WITHDRAWN: (*BEFORE_DECISION, DealStage.SIGNING),
}
# A deal has had an expert review once it reached due diligence.
REVIEWED = (
    DealStage.DUE_DILIGENCE,
    DealStage.COMMITTEE,
    DealStage.SIGNING,
    DealStage.DISBURSEMENT,
    DealStage.PORTFOLIO,
    DealStage.EXITED,
    DealStage.WRITTEN_OFF,
)
PREFIXES = "康源华瑞博泰信达迈诺维安和健润恒德禾启明睿智海晶科越"
SUFFIXES = (
    ("生物医药", "Biopharma"),
    ("生物科技", "Biotech"),
    ("医疗器械", "Medical Devices"),
    ("基因科技", "Genomics"),
    ("诊断技术", "Diagnostics"),
    ("制药", "Pharmaceutical"),
    ("细胞治疗", "Cell Therapeutics"),
    ("合成生物", "Synbio"),
)
PINYIN = dict(
    zip(
        PREFIXES,
        (
            "Kang",
            "Yuan",
            "Hua",
            "Rui",
            "Bo",
            "Tai",
            "Xin",
            "Da",
            "Mai",
            "Nuo",
            "Wei",
            "An",
            "He",
            "Jian",
            "Run",
            "Heng",
            "De",
            "He",
            "Qi",
            "Ming",
            "Rui",
            "Zhi",
            "Hai",
            "Jing",
            "Ke",
            "Yue",
        ),
        strict=True,
    )
)
ASSETS = (
    ("口服 KRAS 抑制剂", "oral KRAS inhibitor", "晚期实体瘤"),
    ("PD-1/VEGF 双抗", "PD-1/VEGF bispecific antibody", "非小细胞肺癌"),
    ("CAR-T 细胞疗法", "CAR-T cell therapy", "复发难治性淋巴瘤"),
    ("AAV 基因治疗", "AAV gene therapy", "遗传性视网膜病变"),
    ("GLP-1 受体激动剂", "GLP-1 receptor agonist", "2型糖尿病与肥胖"),
    ("ADC 抗体偶联药物", "antibody-drug conjugate", "HER2 低表达乳腺癌"),
    ("可降解冠脉支架", "bioresorbable coronary stent", "冠心病"),
    ("化学发光检测平台", "chemiluminescence assay platform", "心肌标志物检测"),
    ("手术机器人", "surgical robot", "微创骨科手术"),
    ("mRNA 疫苗", "mRNA vaccine", "带状疱疹"),
    ("AI 辅助影像诊断", "AI imaging diagnosis", "早期肺结节筛查"),
    ("小核酸药物", "siRNA therapy", "高胆固醇血症"),
)
ZH_SUMMARY = "{asset}（{indication}）本轮融资{amount:,.0f}万元，用于临床推进与坪山中试线建设。"
EN_SUMMARY = "{asset}: this round of {amount:,} yuan funds the next clinical step and a pilot line in Pingshan."


def _weighted(context, table):
    return context.rng.choices([value for value, _weight in table], weights=[weight for _value, weight in table])[0]


def _fund() -> Fund:
    fund = Fund.objects.filter(slug=FUND_SLUG).first()
    if fund is None:
        raise scale.MissingDemo(f"The demo fund {FUND_SLUG} is missing.")
    return fund


def _companies(context, count) -> list:
    names, seen = [], set()
    while len(names) < count:
        a, b = context.rng.sample(PREFIXES, 2)
        suffix, suffix_en = context.rng.choice(SUFFIXES)
        number = len(names) + 1
        name = f"深圳{a}{b}{suffix}有限公司（{number:04d}）"
        if name not in seen:
            seen.add(name)
            names.append((name, f"Shenzhen {PINYIN[a]}{PINYIN[b].lower()} {suffix_en} Co., Ltd. ({number:04d})"))
    organizations = make_organizations(context, series=SERIES, names=names)
    companies = []
    for organization in organizations:
        subsector = context.rng.choice(Subsector.values)
        asset, asset_en, indication = context.rng.choice(ASSETS)
        code = f"{organization.name[2:4]}-{context.rng.randrange(100, 9999)}"
        devices = subsector in (Subsector.MEDICAL_DEVICES, Subsector.IVD)
        landed = organization.registered_in_pingshan
        companies.append(
            Company(
                organization=organization,
                subsector=subsector,
                lead_asset=f"{code} {asset}",
                lead_asset_en=f"{code} {asset_en}",
                indication=indication,
                development_stage=context.rng.choice(DevelopmentStage.values),
                device_class=context.rng.choice(DeviceClass.values) if devices else "",
                founded_on=context.day(years=15),
                registered_in_pingshan_on=context.day(years=6) if landed else None,
                description=f"专注{indication}领域，核心产品为{asset}。",
                description_en=f"Works on {asset_en}.",
            )
        )
    Company.objects.bulk_create(companies, batch_size=scale.BATCH)
    return companies


def _history(context, deal, final, managers) -> list:
    """The stage changes (deal, from, to, actor, note, at) that brought ``deal`` to ``final``, dated from its
    creation, never after now."""
    if final in PATH:
        path = PATH[: PATH.index(final) + 1]
    elif final in (DealStage.EXITED, DealStage.WRITTEN_OFF):
        path = (*PATH, final)
    else:
        before = context.rng.choice(LEFT_FROM[final])
        path = (*PATH[: PATH.index(before) + 1], final)
    changes, at = [], deal.created_at
    for previous, stage in pairwise(path):
        at = context.later(at, days=400 if stage == DealStage.EXITED else 60)
        changes.append((deal, previous, stage, (deal.owner or context.rng.choice(managers)).pk, NOTES[stage], at))
    if final == DealStage.ON_HOLD:
        deal.stage_before_hold = path[-2]
    deal.stage_entered_at = at
    return changes


def seed_deals(count, context) -> int:
    fund = _fund()
    managers = list(fund.managers.order_by("pk"))
    companies = _companies(context, max(1, count // DEALS_PER_COMPANY))
    deals, changes = [], []
    for n in range(count):
        company = companies[n % len(companies)]
        final = _weighted(context, WHERE)
        amount = Decimal(context.rng.randrange(5, 300)) * 1_000_000
        deal = Deal(
            fund=fund,
            company=company,
            round=context.rng.choice(Round.values),
            amount_requested=amount,
            pre_money=amount * context.rng.randrange(3, 12) if context.rng.random() < 0.7 else None,
            source=context.rng.choice(DealSource.values),
            owner=context.rng.choice(managers) if context.rng.random() < 0.85 else None,
            summary=(
                ZH_SUMMARY.format(asset=company.lead_asset, indication=company.indication, amount=amount / 10_000)
                if n % 4
                else EN_SUMMARY.format(asset=company.lead_asset_en, amount=int(amount))
            ),
            stage=final,
            created_at=context.moment(years=5.5),
        )
        changes.extend(_history(context, deal, final, managers))
        deals.append(deal)
    Deal.objects.bulk_create(deals, batch_size=scale.BATCH)
    scale.insert_values(
        DealFolder,
        ("deal", "name", "name_en", "order"),
        ((deal.pk, name, name_en, order) for deal in deals for order, (name, name_en) in enumerate(STANDARD_FOLDERS)),
    )
    scale.insert_values(
        StageChange, ("deal", "from_stage", "to_stage", "actor", "note", "at"), ((c[0].pk, *c[1:]) for c in changes)
    )
    context.log(f"{len(companies):,} companies, {len(changes):,} stage changes")
    return len(deals)


def _scaled_deals(fund):
    return Deal.objects.filter(fund=fund, company__organization__in=scaled(SERIES))


def _answers(company, deal) -> dict:
    """A financing application's answers, as the steps' forms store them (funds/forms/application.py)."""
    amount = deal.amount_requested if deal else Decimal(20_000_000)
    return {
        "company": {"headcount": "35"},
        "product": {
            "lead_asset": company.lead_asset,
            "indication": company.indication,
            "development_stage": company.development_stage,
            "device_class": company.device_class,
            "mechanism": company.description,
            "milestones": "计划两年内完成关键临床试验。",
        },
        "round": {
            "round": deal.round if deal else Round.SERIES_A,
            "amount_requested": str(amount),
            "use_of_funds": "临床推进与坪山中试线建设。",
        },
    }


def seed_applications(count, context) -> int:
    """The deals that came from a firm's application get theirs (submitted, its status the deal's stage's); the
    rest of ``count`` are drafts, and applications that expired or were withdrawn before a deal was opened."""
    fund = _fund()
    deals = list(_scaled_deals(fund).filter(application__isnull=True).select_related("company__organization"))
    if not deals:
        raise scale.MissingDemo("No scaled deals: run the funds.deals step first.")
    from_deals = [deal for deal in deals if deal.source == DealSource.APPLICATION][: count // 2]
    companies = list({deal.company_id: deal.company for deal in deals}.values())
    firms = make_people(context, kind="firm", count=len(companies), role=RoleCode.APPLICANT, english_share=0.1)
    contact = {company.pk: firm for company, firm in zip(companies, firms, strict=True)}
    link_contacts((company.organization, contact[company.pk]) for company in companies)
    planned = []
    for deal in from_deals:
        sent = context.later(deal.created_at - datetime.timedelta(days=3), days=2)
        planned.append(
            Planned(
                applicant=contact[deal.company_id],
                organization=deal.company.organization,
                answers=_answers(deal.company, deal),
                state=ApplicationState.CLOSED if deal.stage in DECIDED else ApplicationState.SUBMITTED,
                status=STATUS_FOR_STAGE[deal.stage],
                created_at=sent - datetime.timedelta(days=context.rng.randrange(1, 30)),
                submitted_at=sent,
            )
        )
    for n in range(count - len(planned)):
        company = companies[n % len(companies)]
        roll = context.rng.random()
        state, status = (
            (ApplicationState.DRAFT, "draft")
            if roll < 0.7
            else (ApplicationState.EXPIRED, "expired")
            if roll < 0.85
            else (ApplicationState.WITHDRAWN, "withdrawn")
        )
        created = context.moment(years=5)
        planned.append(
            Planned(
                applicant=contact[company.pk],
                organization=company.organization,
                answers=_answers(company, None),
                state=state,
                status=status,
                created_at=created,
                submitted_at=None if state == ApplicationState.DRAFT else context.later(created, days=20),
            )
        )
    applications = make_applications(FINANCING.code, fund, planned)
    for deal, application in zip(from_deals, applications, strict=False):  # the deals' come first
        deal.application = application
    Deal.objects.bulk_update(from_deals, ["application"], batch_size=scale.BATCH)
    return len(applications)


def seed_reviews(count, context) -> int:
    """Review rounds on the deals that reached approval: closed once the deal moved past due diligence, open while
    it is in due diligence; a deal gets another round until the scorecards reach ``count``."""
    fund = _fund()
    if fund.rubric is None:
        raise scale.MissingDemo("The fund's scoring rubric is missing.")
    experts = expert_pool(context)
    deals = list(
        _scaled_deals(fund).filter(stage__in=REVIEWED).select_related("company__organization", "owner").order_by("pk")
    )
    managers = list(fund.managers.order_by("pk"))

    def plan_round(n):
        deal, again = deals[n % len(deals)], n // len(deals)
        name, name_en = deal.company.organization.name, deal.company.organization.name_en
        return PlannedRound(
            subject=deal,
            owner=fund,
            title=f"{name} {deal.get_round_display()} 专家评审" + (f"（第{again + 1}轮）" if again else ""),
            title_en=f"{name_en} expert review" + (f" (round {again + 1})" if again else ""),
            created_by=deal.owner or managers[n % len(managers)],
            opened_at=context.later(deal.stage_entered_at - datetime.timedelta(days=40), days=20),
            closed=deal.stage != DealStage.DUE_DILIGENCE or bool(again),
            themes=[fund.theme],
        )

    return make_rounds(
        context, plan_round, count=count, rubric=fund.rubric, experts=experts, per_round=min(7, len(experts))
    )


def _deals_there() -> bool:
    return scaled(SERIES).exists()


def _applications_there() -> bool:
    firms = f"{scale.MARK}-firm-"
    return Application.objects.filter(kind=FINANCING.code, applicant__username__startswith=firms).exists()


def _reviews_there() -> bool:
    rounds = ReviewRound.objects.filter(content_type=ContentType.objects.get_for_model(Deal))
    return rounds.filter(object_id__in=Deal.objects.filter(company__organization__in=scaled(SERIES))).exists()


def register() -> None:
    for step in (
        scale.ScaleStep("funds.deals", 200, 10_000, "deals", seed_deals, _deals_there),
        scale.ScaleStep(
            "funds.applications", 210, 10_000, "financing applications", seed_applications, _applications_there
        ),
        scale.ScaleStep("funds.reviews", 220, 60_000, "scorecards", seed_reviews, _reviews_there),
    ):
        scale.register(step)
