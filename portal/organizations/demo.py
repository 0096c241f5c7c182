import hashlib

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Permission

from portal.demo import demo_step
from portal.pages.demo_content import ORGANIZATIONS

from .models import Organization, OrganizationClaim, OrganizationContactRole, OrganizationKind, OrganizationUser
from .validators import USCC_ALPHABET, uscc_check_character

PINGSHAN_REGION = "440310"
OTHER_SHENZHEN_REGION = "440300"
# Registration authority + organization type (GB 32100-2015 table 1).
AUTHORITY_AND_TYPE = {
    OrganizationKind.GOVERNMENT: "11",  # 机构编制 / 机关
    OrganizationKind.INDUSTRY_ASSOCIATION: "51",  # 民政 / 社会团体
    OrganizationKind.RESEARCH_INSTITUTE: "12",  # 机构编制 / 事业单位
    OrganizationKind.PUBLIC_PLATFORM: "91",  # 工商 / 企业
}

# demo user -> (organization name, capacity)
DEMO_LINKS = {
    "firm1": ("深圳坪山康源生物医药有限公司", OrganizationContactRole.LEGAL_REPRESENTATIVE),
    "firm2": ("深圳坪山芯源微电子有限公司", OrganizationContactRole.CONTACT),
    "member_biomed": ("深圳市坪山瑞和基因科技有限公司", OrganizationContactRole.CONTACT),
    "member_nev": ("深圳坪山驰远新能源汽车有限公司", OrganizationContactRole.CONTACT),
    "member_ic": ("深圳市坪芯封装测试技术有限公司", OrganizationContactRole.CONTACT),
    "external_member": ("深圳鼎衡会计师事务所（特殊普通合伙）", OrganizationContactRole.CONTACT),
    "secretariat": ("深圳市坪山区科技创新局", OrganizationContactRole.CONTACT),
    "fundmgr": ("深圳坪创生物医药股权投资基金管理有限公司", OrganizationContactRole.CONTACT),
    "authority1": ("深圳市坪山区工业和信息化局", OrganizationContactRole.CONTACT),
    "talent_officer": ("深圳市坪山区人力资源局", OrganizationContactRole.CONTACT),
    "employer1": ("深圳坪山智途汽车电子有限公司", OrganizationContactRole.CONTACT),
    "employer2": ("深圳市坑梓新元抗体药业有限公司", OrganizationContactRole.CONTACT),
    "employer3": ("深圳坪山华芯功率器件有限公司", OrganizationContactRole.CONTACT),
    "authority2": ("深圳市坪山区发展和改革局", OrganizationContactRole.CONTACT),
    "evaluator1": ("深圳坪山生命科学创新研究院", OrganizationContactRole.CONTACT),
    "evaluator2": ("深圳坪山第三代半导体研究院", OrganizationContactRole.CONTACT),
    "evaluator3": ("广东东岸律师事务所", OrganizationContactRole.CONTACT),
}


def demo_uscc(name: str, kind: str, in_pingshan: bool) -> str:
    """A valid, stable code for a demo organization (derived from its name)."""
    prefix = AUTHORITY_AND_TYPE.get(kind, "91") + (PINGSHAN_REGION if in_pingshan else OTHER_SHENZHEN_REGION)
    digest = hashlib.sha256(name.encode()).digest()
    body = "".join(USCC_ALPHABET[byte % 31] for byte in digest[:9])
    first17 = prefix + body
    return first17 + uscc_check_character(first17)


def demo_organization(name, name_en, kind, in_pingshan, **details):
    """A demo organization by its name, made once with a valid demo USCC: (organization, created)."""
    defaults = {
        "name_en": name_en,
        "uscc": demo_uscc(name, kind, in_pingshan),
        "kind": kind,
        "registered_in_pingshan": in_pingshan,
        **details,
    }
    return Organization.objects.get_or_create(name=name, defaults=defaults)


@demo_step(order=20)
def seed_organizations(log):
    Theme = apps.get_model("themes", "Theme")
    themes = {theme.code: theme for theme in Theme.objects.all()}
    created = 0
    for name, name_en, kind, in_pingshan, theme_codes, address, contact, phone in ORGANIZATIONS:
        organization, was_created = demo_organization(
            name, name_en, kind, in_pingshan, address=address, contact_name=contact, contact_phone=phone
        )
        if was_created:
            organization.themes.set([themes[code] for code in theme_codes if code in themes])
            created += 1
    User = get_user_model()
    for username, (org_name, capacity) in DEMO_LINKS.items():
        user = User.objects.filter(username=username).first()
        organization = Organization.objects.filter(name=org_name).first()
        if user and organization:
            OrganizationUser.objects.get_or_create(organization=organization, user=user, role=capacity)
    log(f"organizations: {created} created, {Organization.objects.count()} in all")


# A request to act for an organization that its contact decides: firm3 asks to join firm1's company.
DEMO_CLAIM = ("firm3", "深圳坪山康源生物医药有限公司", "我是公司新任财务负责人，负责基金申请的材料准备。")
# Officers who decide requests for any organization (a named permission, not a role).
CLAIM_OFFICERS = ("fundmgr", "talent_officer")


def claim_permission() -> Permission:
    """The officers' permission. Django makes model permissions after ``migrate`` (post_migrate); a database whose
    rows were put back without them (a flush, a restored snapshot) lacks it until then, so make it here if missing."""
    lookup = {"content_type__app_label": "organizations", "codename": "review_organizationclaim"}
    permission = Permission.objects.filter(**lookup).first()
    if permission is None:
        create_permissions(apps.get_app_config("organizations"), verbosity=0)
        permission = Permission.objects.get(**lookup)
    return permission


@demo_step(order=21)
def seed_organization_claims(log):
    User = get_user_model()
    permission = claim_permission()
    for officer in User.objects.filter(username__in=CLAIM_OFFICERS):
        officer.user_permissions.add(permission)
    username, org_name, message = DEMO_CLAIM
    user = User.objects.filter(username=username).first()
    organization = Organization.objects.filter(name=org_name).first()
    if user and organization and not OrganizationClaim.objects.filter(user=user, organization=organization).exists():
        OrganizationClaim.objects.create(user=user, organization=organization, message=message)
        log(f"organization claims: {username} asks to act for {org_name}")
