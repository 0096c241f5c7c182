import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from portal.accounts.roles import RoleCode, role_codes
from portal.demo import DEMO_PASSWORD
from portal.organizations.models import Organization
from portal.organizations.validators import validate_uscc
from portal.pages.models import NewsPage
from tests import seeded_demo
from themes.models import Theme, ThemePage

pytestmark = pytest.mark.django_db
seeded = seeded_demo.seeded  # seed_demo once for this module (a copy of the suite's, on SQLite)

REQUIRED_USERS = {
    "admin",
    "editor",
    "secretariat",
    "member_biomed",
    "member_nev",
    "member_ic",
    "external_member",
    "fundmgr",
    "evaluator1",
    "evaluator2",
    "evaluator3",
    "evaluator4",
    "evaluator5",
    "firm1",
    "firm2",
    "talent_officer",
    "authority1",
    "overseas1",
    "employer1",
}


def counts():
    return {
        "pages": Page.objects.count(),
        "users": get_user_model().objects.count(),
        "organizations": Organization.objects.count(),
        "themes": Theme.objects.count(),
    }


def test_seed_demo_builds_the_portal_and_is_idempotent(client, seeded):
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first

    assert NewsPage.objects.filter(locale__language_code="zh-hans").live().count() >= 8
    assert NewsPage.objects.filter(locale__language_code="en").live().count() >= 3
    assert {"nev", "biomed", "ic", "ngit", "materials", "smart_mfg", "clean_energy"} <= set(
        Theme.objects.values_list("code", flat=True)
    )
    assert ThemePage.objects.filter(locale__language_code="zh-hans").live().count() == Theme.objects.count()

    organizations = list(Organization.objects.all())
    assert len(organizations) >= 30
    for organization in organizations:
        validate_uscc(organization.uscc)
    names = {organization.name for organization in organizations}
    assert {"深圳市坪山区发展和改革局", "深圳市坪山区科技创新局", "深圳市坪山区工业和信息化局"} <= names
    assert Organization.objects.filter(is_industry=True).count() > Organization.objects.government().count()

    users = {user.username: user for user in get_user_model().objects.all()}
    assert set(users) >= REQUIRED_USERS
    assert users["admin"].is_superuser
    for username, code in [
        ("editor", RoleCode.EDITOR),
        ("fundmgr", RoleCode.FUND_MANAGER),
        ("evaluator3", RoleCode.EVALUATOR),
        ("authority1", RoleCode.AUTHORITY),
        ("talent_officer", RoleCode.TALENT_OFFICER),
        ("member_ic", RoleCode.COUNCIL_MEMBER),
        ("firm1", RoleCode.APPLICANT),
        ("secretariat", RoleCode.SECRETARIAT),
    ]:
        assert code in role_codes(users[username]), username
    assert all(user.check_password(DEMO_PASSWORD) for user in users.values())

    home = client.get("/")
    assert home.status_code == 200
    assert "生物医药" in home.content.decode()
    assert client.get("/en/").status_code == 200
    assert (
        client.post("/accounts/login/", {"username": "member_biomed", "password": DEMO_PASSWORD})["Location"]
        == "/workspace/"
    )


def test_a_domain_can_be_left_out_of_the_demo():
    from django.utils.module_loading import autodiscover_modules

    from portal.demo import steps

    autodiscover_modules("demo")
    every = {step.__module__ for step in steps()}
    assert any(module.startswith("funds.") for module in every)
    left = {step.__module__ for step in steps(without=("funds",))}
    assert left == {module for module in every if not module.startswith("funds.")} and left
