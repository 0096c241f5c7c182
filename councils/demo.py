"""Demo councils: 生物医药, 新能源汽车 and 集成电路, each with a charter, members and five committees."""

import datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.accounts.roles import RoleCode, group_for
from portal.demo import DEMO_PASSWORD, demo_step
from portal.organizations.models import Organization, OrganizationContactRole, OrganizationUser
from portal.voting.models import Base, Majority

from . import services
from .composition import as_percent, industry_share
from .demo_engines import seed_engines
from .demo_reviews import seed_review_round
from .demo_work import seed_council_work
from .models import (
    CommitteeKind,
    CommitteeMembership,
    ConvenedBy,
    Council,
    Document,
    DocumentFolder,
    Membership,
    MembershipRole,
)

# The founding meetings reported in the demo news (portal/pages/demo_content.py).
FOUNDED_ON = {
    "biomed": datetime.date(2026, 3, 18),
    "nev": datetime.date(2026, 3, 26),
    "ic": datetime.date(2026, 4, 9),
}
MAX_INDUSTRY_MEMBERS = 14
GOVERNMENT_MEMBER = "深圳市坪山区投资推广服务署"
EXTERNAL_ORGANIZATION = "深圳鼎衡会计师事务所（特殊普通合伙）"

# (theme code, slug, name_zh, name_en, leading bureau, representative user, representative's organization)
COUNCILS = [
    (
        "biomed",
        "biomed",
        "坪山区生物医药产业共治委员会",
        "Pingshan Biomedicine Industry Co-Governance Council",
        "深圳市坪山区科技创新局",
        "member_biomed",
        "深圳市坪山瑞和基因科技有限公司",
    ),
    (
        "nev",
        "nev",
        "坪山区新能源汽车产业共治委员会",
        "Pingshan New-Energy Vehicle Industry Co-Governance Council",
        "深圳市坪山区发展和改革局",
        "member_nev",
        "深圳坪山驰远新能源汽车有限公司",
    ),
    (
        "ic",
        "ic",
        "坪山区集成电路产业共治委员会",
        "Pingshan Integrated Circuit Industry Co-Governance Council",
        "深圳市坪山区工业和信息化局",
        "member_ic",
        "深圳市坪芯封装测试技术有限公司",
    ),
]

INTRODUCTION_ZH = (
    "{name}是由{bureau}牵头组建、不具有法人资格的产业共治组织，秘书处设在牵头单位。"
    "委员会成员以业界代表为主，围绕产业规划、政策评议、营商环境和风险防控提出专业意见。"
)
INTRODUCTION_EN = (
    "The {name} is a co-governance body without legal personality, led by the {bureau}, which also hosts its "
    "secretariat. Most of its members represent industry; it gives professional advice on planning, policy, the "
    "business environment and risk prevention."
)

CHARTER_ZH = "\n".join(
    [
        "第一条　本委员会依据坪山区产业共治工作方案设立，是不具有法人资格的议事协调组织。",
        "第二条　委员会由理事长、副理事长、秘书长和理事组成，业界代表占有表决权成员的比例不低于百分之九十。",
        "第三条　成员任期三年，可以连任。成员单位可以更换其代表，但应书面告知秘书处。",
        "第四条　委员会会议由理事长或者秘书处召集，有表决权成员过半数出席方可举行。",
        (
            "第五条　议案经出席会议的有表决权成员所投赞成、反对、弃权票总数过半数赞成通过；"
            "成员可以书面委托其他成员代为表决，每名成员至多接受一项委托。"
        ),
        (
            "第六条　委员会下设国际推广、战略规划、产业促进、营商环境、产业风险防控专业委员会，"
            "非成员单位可以参加专业委员会。"
        ),
        "第七条　本章程经成立大会通过后施行，修改时亦同。",
    ]
)

CHARTER_EN = "\n".join(
    [
        ("Article 1. The council is set up under Pingshan's industry co-governance plan; it has no legal personality."),
        (
            "Article 2. The council consists of a chair, vice-chairs, a secretary-general and members; "
            "industry representatives hold at least ninety per cent of the votes."
        ),
        (
            "Article 3. Members serve three-year terms and may be re-appointed. A member organization may "
            "replace its representative after telling the secretariat in writing."
        ),
        (
            "Article 4. Meetings are convened by the chair or the secretariat; a meeting may proceed when "
            "more than half of the voting members attend."
        ),
        (
            "Article 5. A motion passes with more than half of all yes, no and abstain votes cast; a member "
            "may give another member a written proxy, and each member holds at most one proxy."
        ),
        (
            "Article 6. The council has committees for international promotion, strategic planning, industry "
            "promotion, the business environment and industry risk prevention; organizations that are not "
            "members may join them."
        ),
        ("Article 7. This charter takes effect when the founding meeting adopts it; the same applies to amendments."),
    ]
)

COMMITTEES = [
    (CommitteeKind.INTERNATIONAL_PROMOTION, 10),
    (CommitteeKind.STRATEGIC_PLANNING, 20),
    (CommitteeKind.INDUSTRY_PROMOTION, 30),
    (CommitteeKind.BUSINESS_ENVIRONMENT, 40),
    (CommitteeKind.RISK_PREVENTION, 50),
]


# Surnames and given names for the representatives of the member organizations that have no demo account of
# their own: every voting member needs a person who can be invited, take part and vote.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN_NAMES = [
    "建华",
    "志强",
    "海燕",
    "文博",
    "晓东",
    "丽娟",
    "国平",
    "雪梅",
    "振宇",
    "慧敏",
    "立军",
    "春燕",
    "永刚",
    "婷婷",
]


def _representative(slug, index, organization, password_hash):
    """A demo account representing a member organization: ``rep-<council>-NN``, the demo password."""
    User = get_user_model()
    username = f"rep-{slug}-{index:02d}"
    real_name = SURNAMES[(index * 7 + len(slug)) % len(SURNAMES)] + GIVEN_NAMES[index % len(GIVEN_NAMES)]
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "real_name": real_name,
            "email": f"{username}@demo.pingshan-portal.cn",
            "preferred_language": "zh-hans",
            "password": password_hash,
        },
    )
    if created:
        user.groups.add(group_for(RoleCode.COUNCIL_MEMBER))
        OrganizationUser.objects.get_or_create(
            organization=organization, user=user, role=OrganizationContactRole.CONTACT
        )
    return user


def _members_for(theme_code, representative_org):
    industry = list(
        Organization.objects.filter(themes__code=theme_code, is_industry=True)
        .exclude(name=EXTERNAL_ORGANIZATION)
        .order_by("kind", "name")
        .distinct()
    )
    chosen = [org for org in industry if org.name == representative_org]
    chosen += [org for org in industry if org.name != representative_org][: MAX_INDUSTRY_MEMBERS - len(chosen)]
    return chosen


def _seed_council(log, *, theme, slug, name_zh, name_en, bureau, rep_username, rep_org, secretariat, users):
    founded = FOUNDED_ON.get(slug, datetime.date(2026, 3, 18))
    council, _created = Council.objects.get_or_create(
        slug=slug,
        defaults={
            "theme": theme,
            "name_zh": name_zh,
            "name_en": name_en,
            "leading_bureau": bureau,
            "founded_on": founded,
            "introduction_zh": INTRODUCTION_ZH.format(name=name_zh, bureau=bureau.name),
            "introduction_en": INTRODUCTION_EN.format(name=name_en, bureau=bureau.name_en or bureau.name),
        },
    )
    council.secretariat_users.add(secretariat)
    if not council.charter_version_in_force(founded):
        services.add_charter_version(
            actor=secretariat,
            council=council,
            text=CHARTER_ZH,
            text_en=CHARTER_EN,
            effective_from=founded,
            adopted_note="成立大会审议通过",
            quorum_numerator=1,
            quorum_denominator=2,
            default_majority=Majority.SIMPLE,
            default_base=Base.YES_NO_ABSTAIN,
            min_industry_share=Decimal("0.90"),
            term_months=36,
            proxies_allowed=True,
            max_proxies_per_holder=1,
            convened_by=ConvenedBy.CHAIR_OR_SECRETARIAT,
        )

    organizations = _members_for(theme.code, rep_org)
    enterprises = [org for org in organizations if org.kind == "enterprise" and org.name != rep_org]
    associations = [org for org in organizations if org.kind == "industry_association"]
    chair = enterprises[0] if enterprises else None
    secretary_general = associations[0] if associations else None
    open_ids = set(Membership.objects.filter(council=council).open().values_list("organization_id", flat=True))
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: forty accounts share the demo password
    for index, organization in enumerate(organizations, start=1):
        if organization.pk in open_ids:
            continue
        role = MembershipRole.MEMBER
        if organization == chair:
            role = MembershipRole.CHAIR
        elif organization == secretary_general:
            role = MembershipRole.SECRETARY_GENERAL
        elif organization.name == rep_org and rep_username == "member_biomed":
            role = MembershipRole.VICE_CHAIR
        services.add_membership(
            actor=secretariat,
            council=council,
            organization=organization,
            role=role,
            representative=users.get(rep_username)
            if organization.name == rep_org
            else _representative(slug, index, organization, password_hash),
            term_start=founded,
        )
    government = Organization.objects.filter(name=GOVERNMENT_MEMBER).first()
    if government and government.pk not in open_ids:
        services.add_membership(
            actor=secretariat,
            council=council,
            organization=government,
            role=MembershipRole.MEMBER,
            representative=_representative(slug, len(organizations) + 1, government, password_hash),
            term_start=founded,
        )

    existing = set(council.committees.values_list("kind", flat=True))
    for kind, order in COMMITTEES:
        if kind not in existing:
            services.add_committee(actor=secretariat, council=council, kind=kind, order=order)
    share = industry_share(Membership.objects.filter(council=council).select_related("organization"))
    log(f"council {slug}: {council.memberships.open().count()} members, industry share {as_percent(share)}")
    return council


@demo_step(order=200)
def seed_councils(log):
    User = get_user_model()
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=["secretariat", "member_biomed", "member_nev", "member_ic", "external_member"]
        )
    }
    secretariat = users.get("secretariat")
    if secretariat is None:
        return
    Theme = apps.get_model("themes", "Theme")
    themes = {theme.code: theme for theme in Theme.objects.all()}
    councils = {}
    for code, slug, name_zh, name_en, bureau_name, rep_username, rep_org in COUNCILS:
        bureau = Organization.objects.filter(name=bureau_name).first()
        if code not in themes or bureau is None:
            continue
        councils[code] = _seed_council(
            log,
            theme=themes[code],
            slug=slug,
            name_zh=name_zh,
            name_en=name_en,
            bureau=bureau,
            rep_username=rep_username,
            rep_org=rep_org,
            secretariat=secretariat,
            users=users,
        )

    biomed = councils.get("biomed")
    external_user = users.get("external_member")
    external_org = Organization.objects.filter(name=EXTERNAL_ORGANIZATION).first()
    if biomed and external_user and external_org:
        committee = biomed.committees.get(kind=CommitteeKind.INDUSTRY_PROMOTION)
        if not CommitteeMembership.objects.filter(committee=committee, user=external_user).exists():
            services.add_committee_member(
                actor=secretariat, committee=committee, user=external_user, organization=external_org
            )
        member = users.get("member_biomed")
        member_org = Organization.objects.filter(name=COUNCILS[0][6]).first()
        if member and member_org and not CommitteeMembership.objects.filter(committee=committee, user=member).exists():
            services.add_committee_member(actor=secretariat, committee=committee, user=member, organization=member_org)

    if biomed:
        _seed_documents(log, biomed, secretariat, users)


FOLDER_NAME = "会议材料"
AGENDA_V1 = (
    "坪山区生物医药产业共治委员会第一次全体会议议程（征求意见稿）\n"
    "一、审议委员会年度工作计划\n"
    "二、听取生物医药科技产业创新基金运行情况报告\n"
    "三、讨论专业委员会组成方案\n"
)
AGENDA_V2 = AGENDA_V1.replace("（征求意见稿）", "（定稿）") + "四、其他事项\n"
COMMITTEE_NOTE = (
    "产业促进专业委员会工作要点\n"
    "1. 梳理坪山区生物医药重点企业的产业链配套需求；\n"
    "2. 组织企业与医疗机构、检测机构开展对接活动；\n"
    "3. 汇总企业对产业政策的意见建议，按季度报送秘书处。\n"
)


def _text_upload(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def _seed_documents(log, council, secretariat, users):
    """One folder with a two-version agenda in the plenary workspace, one document in 产业促进's workspace."""
    folder = DocumentFolder.objects.filter(council=council, committee__isnull=True, name=FOLDER_NAME).first()
    if folder is None:
        folder = services.create_folder(actor=secretariat, workspace=council, name=FOLDER_NAME)
    title = "第一次全体会议议程"
    if not Document.objects.filter(folder=folder, title=title).exists():
        document = services.upload_document(
            actor=secretariat, folder=folder, title=title, upload=_text_upload("会议议程.txt", AGENDA_V1)
        )
        services.upload_version(
            actor=secretariat, document=document, upload=_text_upload("会议议程.txt", AGENDA_V2), note="定稿"
        )
    committee = council.committees.filter(kind=CommitteeKind.INDUSTRY_PROMOTION).first()
    if committee is None:
        return
    folder = DocumentFolder.objects.filter(committee=committee, name=FOLDER_NAME).first()
    if folder is None:
        folder = services.create_folder(actor=secretariat, workspace=committee, name=FOLDER_NAME)
    title = "产业促进专业委员会工作要点"
    if not Document.objects.filter(folder=folder, title=title).exists():
        services.upload_document(
            actor=secretariat, folder=folder, title=title, upload=_text_upload("工作要点.txt", COMMITTEE_NOTE)
        )
    log(f"council {council.slug}: workspace documents ready")


# Every councils step is registered here, by name (the other demo modules register nothing themselves): the
# councils first (200, above); then what they own in the engines (205: issuers, opinions, a vote), their
# workspace work (210) and their expert review round (215).
demo_step(order=205)(seed_engines)
demo_step(order=210)(seed_council_work)
demo_step(order=215)(seed_review_round)
