"""The offshore base's libraries at scale (``talent/scale.py``): 10,000 entries, four in ten projects, three in ten
enterprise demands and three in ten patents, Chinese and English, most published, some waiting for the office,
returned or archived, submitted since 2021 by 500 members of the portal."""

import datetime
from decimal import Decimal

from portal import scale
from portal.accounts.roles import RoleCode
from portal.accounts.scale import make_people
from themes.models import Theme

from .demo import PROGRAMME_SLUG
from .models import (
    DemandKind,
    EnterpriseDemand,
    Licensing,
    ListingState,
    PatentKind,
    PatentListing,
    Programme,
    ProjectListing,
    ProjectStage,
    Seeking,
)

STATES = (
    (ListingState.PUBLISHED, 70),
    (ListingState.PENDING, 10),
    (ListingState.RETURNED, 5),
    (ListingState.ARCHIVED, 10),
    (ListingState.WITHDRAWN, 5),
)
TOPICS = (
    ("动力电池热管理", "Battery thermal management", "电池,热管理,新能源汽车"),
    ("单克隆抗体纯化工艺", "Monoclonal antibody purification", "抗体,纯化,生物医药"),
    ("芯片先进封装", "Advanced chip packaging", "封装,集成电路,半导体"),
    ("工业机器人视觉引导", "Vision-guided industrial robots", "机器人,视觉,智能制造"),
    ("医用高分子材料", "Medical-grade polymers", "高分子,材料,医疗器械"),
    ("车载激光雷达", "Automotive lidar", "激光雷达,自动驾驶,传感器"),
    ("基因编辑递送系统", "Gene-editing delivery", "基因编辑,递送,细胞治疗"),
    ("储能变流器", "Energy-storage inverters", "储能,电力电子,新能源"),
)
COUNTRIES = ("德国", "美国", "新加坡", "以色列", "英国", "日本", "加拿大", "中国香港")
KINDS = ((ProjectListing, 4), (EnterpriseDemand, 3), (PatentListing, 3))


def seed_listings(count, context) -> int:
    programme = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    if programme is None:
        raise scale.MissingDemo(f"The demo programme {PROGRAMME_SLUG} is missing.")
    officers = list(programme.officers.order_by("pk"))
    themes = list(Theme.objects.order_by("pk"))
    members = make_people(context, kind="member", count=max(1, count // 20), role=RoleCode.APPLICANT, english_share=0.4)
    written = 0
    for model, share in KINDS:
        rows = [_listing(context, model, n, programme, members, officers) for n in range(count * share // 10)]
        model.objects.bulk_create(rows, batch_size=scale.BATCH)
        Themes = model.themes.through
        column = f"{model._meta.model_name}_id"
        Themes.objects.bulk_create(
            (Themes(**{column: row.pk, "theme_id": context.rng.choice(themes).pk}) for row in rows),
            batch_size=scale.BATCH,
        )
        written += len(rows)
    return written


def _listing(context, model, n, programme, members, officers):
    member = members[n % len(members)]
    zh, en, keywords = context.rng.choice(TOPICS)
    english = member.preferred_language == "en"
    state = context.rng.choices([s for s, _w in STATES], weights=[w for _s, w in STATES])[0]
    created = context.moment(years=5)
    reviewed = state != ListingState.PENDING and state != ListingState.WITHDRAWN
    common = {
        "programme": programme,
        "title": f"{zh}（{n + 1}）",
        "title_en": f"{en} ({n + 1})" if english or n % 2 else "",
        "summary": f"{zh}方向的{model._meta.verbose_name}，寻求在坪山落地与产业合作。",
        "summary_en": f"{en}: looking for partners and a place to land in Pingshan." if english or n % 2 else "",
        "keywords": keywords,
        "holder_name": f"{member.real_name} Team" if english else f"{member.real_name}团队",
        "contact_name": member.real_name,
        "contact_email": member.email,
        "submitted_by": member,
        "state": state,
        "return_reason": "请补充技术指标与应用场景。" if state == ListingState.RETURNED else "",
        "reviewed_by": context.rng.choice(officers) if reviewed and officers else None,
        "published_at": context.later(created, days=10)
        if state in (ListingState.PUBLISHED, ListingState.ARCHIVED)
        else None,
        "created_at": created,
    }
    if model is ProjectListing:
        return ProjectListing(
            **common,
            stage=context.rng.choice(ProjectStage.values),
            seeking=context.rng.choice(Seeking.values),
            country=context.rng.choice(COUNTRIES),
            funding_need=Decimal(context.rng.randrange(1, 50)) * 1_000_000,
        )
    if model is EnterpriseDemand:
        return EnterpriseDemand(
            **common,
            demand_kind=context.rng.choice(DemandKind.values),
            budget=Decimal(context.rng.randrange(10, 500)) * 10_000,
            wanted_by=created.date() + datetime.timedelta(days=180),
        )
    return PatentListing(
        **common,
        patent_number=f"ZL{created.year - context.rng.randrange(1, 8)}1{n:07d}.{n % 10}",
        patent_kind=context.rng.choice(PatentKind.values),
        licensing=context.rng.choice(Licensing.values),
        granted_on=created.date() - datetime.timedelta(days=context.rng.randrange(100, 2000)),
    )


def done() -> bool:
    return ProjectListing.objects.filter(submitted_by__username__startswith=f"{scale.MARK}-member-").exists()
