import pytest

from portal.accounts.roles import RoleCode
from portal.organizations.models import Organization
from tests.factories import OrganizationFactory, UserFactory, make_uscc

pytestmark = pytest.mark.django_db

ADMIN_URL = "/admin/snippets/organizations/organization/"


@pytest.fixture
def staff(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_list_filters_by_kind_and_industry(client, staff):
    OrganizationFactory(name="深圳市坪山区测试局", kind="government")
    OrganizationFactory(name="深圳坪山过滤测试有限公司", kind="enterprise")
    html = client.get(ADMIN_URL, {"kind": "government"}).content.decode()
    assert "深圳市坪山区测试局" in html and "深圳坪山过滤测试有限公司" not in html
    html = client.get(ADMIN_URL, {"is_industry": "true"}).content.decode()
    assert "深圳坪山过滤测试有限公司" in html and "深圳市坪山区测试局" not in html


def test_export_as_csv(client, staff):
    OrganizationFactory(name="深圳坪山导出测试有限公司", uscc="91440300708461136T")
    response = client.get(ADMIN_URL, {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "深圳坪山导出测试有限公司" in content and "91440300708461136T" in content


def test_create_with_an_invalid_code_shows_the_error_and_saves_nothing(client, staff):
    response = client.post(
        f"{ADMIN_URL}add/",
        {
            "name": "深圳坪山新建测试有限公司",
            "uscc": "91440300708461136A",
            "kind": "enterprise",
            "user_links-TOTAL_FORMS": "0",
            "user_links-INITIAL_FORMS": "0",
            "user_links-MIN_NUM_FORMS": "0",
            "user_links-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert not Organization.objects.filter(name="深圳坪山新建测试有限公司").exists()


def test_create_with_a_valid_code_is_saved_uppercase_and_logged(client, staff):
    from wagtail.models import ModelLogEntry

    code = make_uscc()
    response = client.post(
        f"{ADMIN_URL}add/",
        {
            "name": "深圳坪山新建测试有限公司",
            "uscc": code.lower(),
            "kind": "enterprise",
            "user_links-TOTAL_FORMS": "0",
            "user_links-INITIAL_FORMS": "0",
            "user_links-MIN_NUM_FORMS": "0",
            "user_links-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organization = Organization.objects.get(name="深圳坪山新建测试有限公司")
    assert organization.uscc == code
    assert ModelLogEntry.objects.filter(object_id=str(organization.pk), action="wagtail.create").exists()


def test_non_staff_roles_cannot_open_the_organization_admin(client):
    client.force_login(UserFactory(roles=[RoleCode.APPLICANT]))
    assert client.get(ADMIN_URL).status_code == 302
