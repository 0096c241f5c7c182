"""The fund's demo data: 坪山生物医药科技产业创新基金 with its LPs, committee, companies and a pipeline in every stage.

Steps (``portal.demo.demo_step``, domains 200+): the fund and its people (250); the deals with their histories,
rounds, IC meetings and portfolio records (255, funds/demo_deals.py); firm1's and firm2's financing applications
(260, funds/demo_applications.py); the companies' milestones (265); the fund's past since 2021 for its performance
evaluation, with distributions to the LPs, a benchmark index and the indicator sets (270, funds/demo_performance.py);
the annual evaluations (275, funds/demo_evaluations.py); the quarter's valuations uploaded for import (278,
funds/demo_imports.py).
Everything goes through the fund's and the engines' services; only timestamps that must look older than today are
moved back afterwards, by UPDATE (the past deals of step 270 are written in bulk, dated). Every step is idempotent:
what exists (by its natural key) is left as it is.
"""

from decimal import Decimal

from django.apps import apps

from portal.applications.models import Checklist, ChecklistItem
from portal.demo import demo_step
from portal.organizations.demo import demo_organization
from portal.organizations.models import Organization, OrganizationContactRole, OrganizationKind, OrganizationUser
from portal.reviews.models import Criterion

from .demo_applications import seed_applications
from .demo_companies import CHAIR, COMPANIES, FIRM2_COMPANY, FUND_SLUG, MANAGERS, MEMBERS, day
from .demo_deals import people as people_named
from .demo_deals import seed_deals
from .demo_evaluations import seed_evaluations
from .demo_imports import seed_data_import
from .demo_performance import seed_performance
from .demo_portfolio import seed_milestones
from .models import Commitment, Company, Fund, InvestmentCommittee, LpType, PaidIn, Tranche
from .rubrics import biomedicine_rubric
from .services.committee import committee_issuer

NAME = "坪山生物医药科技产业创新基金"
NAME_EN = "Pingshan Biomedicine Innovation Fund"
MANAGER_ORG = "深圳坪创生物医药股权投资基金管理有限公司"
IC_PREFIX = "坪生医基投决"
CHECKLIST = "生物医药基金融资申请材料清单"
# code, name, English name, required
CHECKLIST_ITEMS = (
    ("business-plan", "商业计划书", "Business plan", True),
    ("financial-statements", "近两年财务报表", "Financial statements of the last two years", True),
    ("ip-certificates", "知识产权证书", "IP certificates", False),
)
# number, amount (yuan), planned closing, closed on
TRANCHES = (
    (1, Decimal("1500000000"), "2021-06-30", "2021-06-18"),
    (2, Decimal("1500000000"), "2023-06-30", "2023-06-26"),
    (3, Decimal("2000000000"), "2027-06-30", ""),
)
# Capital calls (date, share of each commitment): five years of paid-in capital behind the portfolio the fund built
# from 2021 (funds/demo_performance.py), each call ahead of the tranches it pays.
CALLS = (
    ("2021-07-15", "0.08"), ("2022-03-01", "0.08"), ("2023-01-05", "0.08"), ("2023-09-01", "0.05"),
    ("2024-03-01", "0.06"), ("2025-03-03", "0.03"), ("2026-01-12", "0.06"), ("2026-06-29", "0.05"),
)  # fmt: skip
# LP, English name, type, in Pingshan, committed (yuan), committed on, payments [(date, share of the commitment)]
LPS = (
    (
        "深圳市坪山区财政局",
        "Finance Bureau of Pingshan District, Shenzhen",
        LpType.GOVERNMENT,
        True,
        Decimal("1500000000"),
        "2021-05-20",
        CALLS,
    ),
    (
        "深圳市坪山区投资控股集团有限公司",
        "Shenzhen Pingshan Investment Holding Group Co., Ltd.",
        LpType.STATE_OWNED,
        True,
        Decimal("800000000"),
        "2021-05-20",
        CALLS,
    ),
    (
        "深圳市创新投资集团有限公司",
        "Shenzhen Capital Group Co., Ltd.",
        LpType.STATE_OWNED,
        False,
        Decimal("700000000"),
        "2021-05-28",
        CALLS,
    ),
    (
        "深圳坪山生物医药产业投资合伙企业（有限合伙）",
        "Pingshan Biomedicine Industry Investment LP",
        LpType.SOCIAL,
        True,
        Decimal("1000000000"),
        "2021-06-05",
        CALLS,
    ),
    (
        "深圳市鹏东创新投资有限公司",
        "Shenzhen Pengdong Innovation Investment Co., Ltd.",
        LpType.SOCIAL,
        False,
        Decimal("600000000"),
        "2021-06-05",
        CALLS,
    ),
    (
        "深圳康桥医疗产业集团有限公司",
        "Shenzhen Kangqiao Healthcare Group Co., Ltd.",
        LpType.SOCIAL,
        False,
        Decimal("400000000"),
        "2026-06-18",
        (("2026-07-15", "0.49"),),  # joined at the third closing: paid up to the others' level at once
    ),
)
DESCRIPTION = (
    "由区级财政出资引导、国有资本与社会资本共同认缴的生物医药专项基金，目标规模五十亿元，分三期募集，"
    "重点投资创新药、生物药、细胞与基因治疗、高端医疗器械和体外诊断企业，支持企业落户坪山、在坑梓国家生物医药"
    "产业基地和深圳国际生物谷坪山核心区扩大研发与生产。"
)
DESCRIPTION_EN = (
    "A biomedicine fund guided by Pingshan's fiscal capital with state-owned and private LPs: 5 billion yuan in three "
    "closings, investing in innovative drugs, biologics, cell and gene therapy, devices and diagnostics, and helping "
    "companies land in Pingshan."
)


def _organization(name, name_en, kind, in_pingshan):
    return demo_organization(name, name_en, kind, in_pingshan)[0]


def _link(user, organization, role=OrganizationContactRole.CONTACT):
    if user is not None and not OrganizationUser.objects.filter(organization=organization, user=user).exists():
        OrganizationUser.objects.create(organization=organization, user=user, role=role)


def _checklist():
    checklist = Checklist.objects.filter(name=CHECKLIST).first()
    if checklist is None:
        checklist = Checklist.objects.create(name=CHECKLIST, name_en="Documents for a financing application")
        for order, (code, name, name_en, required) in enumerate(CHECKLIST_ITEMS):
            ChecklistItem.objects.create(
                checklist=checklist, sort_order=order, code=code, name=name, name_en=name_en, required=required
            )
    return checklist


def companies(profiles=COMPANIES):
    """The demo companies (of ``profiles``) by organization name, made the first time (their profile is the fund's,
    not a service's: a company enters the pipeline when the fund first looks at it)."""
    result = {}
    for profile in profiles:
        in_pingshan = any(profile.landing)
        organization = _organization(profile.name, profile.name_en, OrganizationKind.ENTERPRISE, in_pingshan)
        registered, hq, production = (day(text) for text in profile.landing)
        company, _created = Company.objects.get_or_create(
            organization=organization,
            defaults={
                "subsector": profile.subsector,
                "lead_asset": profile.lead_asset,
                "lead_asset_en": profile.lead_asset_en,
                "indication": profile.indication,
                "development_stage": profile.stage,
                "device_class": profile.device_class,
                "founded_on": day(profile.founded),
                "description": profile.description,
                "registered_in_pingshan_on": registered,
                "hq_in_pingshan_on": hq,
                "production_in_pingshan_on": production,
            },
        )
        result[profile.name] = company
    return result


@demo_step(order=250)
def seed_fund(log):
    people = people_named(*MANAGERS, CHAIR, *MEMBERS, "firm2", "lp1")
    manager_org = Organization.objects.filter(name=MANAGER_ORG).first()
    Theme = apps.get_model("themes", "Theme")
    theme = Theme.objects.filter(code="biomed").first()
    if manager_org is None or theme is None or "fundmgr" not in people:
        return
    fund, created = Fund.objects.get_or_create(
        slug=FUND_SLUG,
        defaults={
            "name": NAME,
            "name_en": NAME_EN,
            "theme": theme,
            "target_size": Decimal("5000000000"),
            "vintage": 2021,
            "manager": manager_org,
            "description": DESCRIPTION,
            "description_en": DESCRIPTION_EN,
        },
    )
    fund.managers.add(*(people[name] for name in MANAGERS if name in people))
    _link(people.get("fundmgr2"), manager_org)
    if fund.rubric_id is None or fund.checklist_id is None:
        fund.rubric = fund.rubric or biomedicine_rubric()
        fund.checklist = fund.checklist or _checklist()
        fund.save(update_fields=["rubric", "checklist"])
    for number, amount, target, closed in TRANCHES:
        Tranche.objects.get_or_create(
            fund=fund, number=number, defaults={"amount": amount, "target_close": day(target), "closed_on": day(closed)}
        )
    for name, name_en, lp_type, in_pingshan, committed, on, payments in LPS:
        kind = OrganizationKind.GOVERNMENT if lp_type == LpType.GOVERNMENT else OrganizationKind.FINANCIAL_INSTITUTION
        investor = _organization(name, name_en, kind, in_pingshan)
        if lp_type == LpType.GOVERNMENT:  # lp1 reads the fund's approved evaluation reports as this LP
            _link(people.get("lp1"), investor)
        commitment, was_created = Commitment.objects.get_or_create(
            fund=fund, investor=investor, defaults={"lp_type": lp_type, "committed": committed, "committed_on": day(on)}
        )
        if was_created:
            PaidIn.objects.bulk_create(
                PaidIn(commitment=commitment, paid_on=day(paid_on), amount=committed * Decimal(share))
                for paid_on, share in payments
            )
    committee, _created = InvestmentCommittee.objects.get_or_create(fund=fund, defaults={"chair": people.get(CHAIR)})
    committee.members.add(*(people[name] for name in (CHAIR, *MEMBERS) if name in people))
    committee_issuer(committee, prefix=IC_PREFIX)
    made = companies()
    # firm2 (a chip veteran) also acts for the diagnostics company the fund holds (funds/demo_companies.py).
    _link(people.get("firm2"), made[FIRM2_COMPANY].organization)
    criteria = Criterion.objects.filter(rubric=fund.rubric).count()
    log(
        f"fund {fund.slug}: {fund.tranches.count()} tranches, {fund.commitments.count()} LPs, "
        f"IC of {committee.members.count()}, rubric of {criteria} criteria, {len(made)} companies"
        + (" (created)" if created else "")
    )


# The other steps live in their own modules; registered here, by name, like councils/demo.py does.

demo_step(order=255)(seed_deals)
demo_step(order=260)(seed_applications)
demo_step(order=265)(seed_milestones)
demo_step(order=270)(seed_performance)
demo_step(order=275)(seed_evaluations)
demo_step(order=278)(seed_data_import)
