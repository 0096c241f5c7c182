"""The council section of the theme page, its query budget, and the demo councils."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils import services
from councils.composition import industry_share
from councils.models import CommitteeKind, Council, Membership, MembershipRole
from portal.organizations.models import OrganizationKind
from tests.factories import OrganizationFactory, UserFactory
from themes.models import Theme

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)
KINDS = [
    OrganizationKind.ENTERPRISE,
    OrganizationKind.RESEARCH_INSTITUTE,
    OrganizationKind.INDUSTRY_ASSOCIATION,
    OrganizationKind.PUBLIC_PLATFORM,
]
ROLES = [MembershipRole.MEMBER, MembershipRole.MEMBER, MembershipRole.VICE_CHAIR, MembershipRole.OBSERVER]


@pytest.fixture
def council():
    secretary = UserFactory(username="sec")
    bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT, name="深圳市坪山区科技创新局（测试）")
    council = Council.objects.create(
        theme=Theme.objects.get(code="biomed"),
        name_zh="坪山区生物医药产业共治委员会",
        name_en="Biomedicine council",
        slug="biomed",
        leading_bureau=bureau,
        introduction_zh="由科技创新局牵头组建的产业共治组织。",
    )
    council.secretariat_users.add(secretary)
    council.secretary = secretary
    services.add_charter_version(
        actor=secretary,
        council=council,
        text="第一条 本委员会不具有法人资格。\n第二条 业界代表占比不低于百分之九十。",
        effective_from=START,
        adopted_note="成立大会",
    )
    for kind in (CommitteeKind.INDUSTRY_PROMOTION, CommitteeKind.STRATEGIC_PLANNING):
        services.add_committee(actor=secretary, council=council, kind=kind)
    return council


def add_members(council, count, start=0):
    committees = list(council.committees.all())
    for number in range(start, start + count):
        role = ROLES[number % len(ROLES)]
        organization = OrganizationFactory(kind=KINDS[number % len(KINDS)], name=f"坪山成员单位{number:03d}")
        services.add_membership(
            actor=council.secretary,
            council=council,
            organization=organization,
            role=role,
            has_vote=role != MembershipRole.OBSERVER,
            representative=UserFactory(username=f"rep{number}", real_name=f"代表人{number:03d}"),
            term_start=START,
        )
        services.add_committee_member(
            actor=council.secretary,
            committee=committees[number % len(committees)],
            user=UserFactory(username=f"cm{number}"),
            organization=organization if number % 5 else OrganizationFactory(name=f"外部机构{number:03d}"),
        )


def test_section_shows_council_members_share_committees_and_charter(client, site_pages, council):
    add_members(council, 8)
    services.add_membership(
        actor=UserFactory(username="root", is_superuser=True),
        council=council,
        organization=OrganizationFactory(kind=OrganizationKind.GOVERNMENT, name="坪山区投资推广服务署（测试）"),
        term_start=START,
        override_reason="测试",
    )
    response = client.get(site_pages["theme_page"].url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "坪山区生物医药产业共治委员会" in html
    assert "由科技创新局牵头组建的产业共治组织。" in html
    assert "深圳市坪山区科技创新局（测试）" in html
    assert "坪山成员单位000" in html and "坪山成员单位007" in html
    # 6 voting industry members + 1 government: 85.7%
    assert industry_share(Membership.objects.filter(council=council).select_related("organization")) == Decimal(
        "0.8571"
    )
    assert "85.7%" in html
    assert str(CommitteeKind.INDUSTRY_PROMOTION.label) in html
    assert "外部机构000" in html and "外部机构005" in html
    assert "第二条 业界代表占比不低于百分之九十。" in html
    # Private data stays out: representatives' names.
    assert "代表人000" not in html


def test_ended_members_and_non_public_charters_are_not_shown(client, site_pages, council):
    add_members(council, 3)
    membership = Membership.objects.get(organization__name="坪山成员单位000")
    services.end_membership(actor=council.secretary, membership=membership, on=START)
    version = council.charter.versions.get()
    version.is_public = False
    version.save()
    html = client.get(site_pages["theme_page"].url).content.decode()
    assert "坪山成员单位000" not in html and "坪山成员单位001" in html
    assert "不具有法人资格" not in html


def test_no_council_no_section(client, site_pages):
    html = client.get(site_pages["theme_page"].url).content.decode()
    assert 'id="theme-council"' not in html


def test_section_query_count_is_constant_in_the_number_of_members(client, site_pages, council):
    url = site_pages["theme_page"].url
    add_members(council, 5)
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_members(council, 35, start=5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "坪山成员单位039" in response.content.decode()
    print(f"council section: {len(few)} queries with 5 members, {len(many)} with 40")
    assert len(many) == len(few)
