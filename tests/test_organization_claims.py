"""Attaching a person to an organization by its code: registering a new one, claiming an existing one, and the
contacts and officers who decide claims."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from portal.accounts.roles import RoleCode
from portal.notifications.models import Notification
from portal.organizations import permissions, services
from portal.organizations.models import ClaimState, Organization, OrganizationClaim, OrganizationUser
from portal.workspace.registry import visible_panels
from tests.factories import OrganizationFactory, UserFactory, make_uscc

pytestmark = pytest.mark.django_db


def spaced_lower(code):
    """The same code as someone might type it: lower case, in groups."""
    code = code.lower()
    return f" {code[:6]} {code[6:12]} {code[12:]} "


@pytest.fixture
def firm():
    """An organization with its contact person."""
    organization = OrganizationFactory(name="深圳坪山认领测试生物有限公司")
    contact = UserFactory(username="contact", roles=[RoleCode.APPLICANT])
    OrganizationUser.objects.create(organization=organization, user=contact, role="contact")
    return organization, contact


@pytest.fixture
def officer():
    user = UserFactory(username="officer", roles=[RoleCode.TALENT_OFFICER])
    user.user_permissions.add(Permission.objects.get(codename="review_organizationclaim"))
    return user


def attach(client, **values):
    data = {"uscc": "", "name": "", "name_en": "", "kind": "enterprise", "message": "", **values}
    return client.post("/accounts/organization/", data)


# Registering a new organization -----------------------------------------------------------------------------------


def test_a_new_code_registers_the_organization_with_the_person_as_its_contact(client):
    user = UserFactory()
    client.force_login(user)
    code = make_uscc()
    response = attach(client, uscc=spaced_lower(code), name="深圳坪山新注册科技有限公司", name_en="New Co.")
    assert response.status_code == 302
    organization = Organization.objects.get(uscc=code)
    assert (organization.name, organization.name_en, organization.kind) == (
        "深圳坪山新注册科技有限公司",
        "New Co.",
        "enterprise",
    )
    assert OrganizationUser.objects.filter(organization=organization, user=user, role="contact").exists()
    assert ModelLogEntry.objects.filter(object_id=str(organization.pk), action="organizations.register").exists()
    page = client.get("/accounts/organization/").content.decode()
    assert "深圳坪山新注册科技有限公司" in page
    assert "深圳坪山新注册科技有限公司" in client.get("/accounts/profile/").content.decode()


def test_a_person_may_act_for_several_organizations(client):
    user = UserFactory()
    client.force_login(user)
    attach(client, uscc=make_uscc(), name="深圳坪山甲公司")
    attach(client, uscc=make_uscc(), name="深圳坪山乙公司")
    assert user.organization_links.count() == 2


def test_after_attaching_the_person_goes_on_to_next(client):
    client.force_login(UserFactory())
    response = client.post(
        "/accounts/organization/?next=/workspace/",
        {"uscc": make_uscc(), "name": "深圳坪山丙公司", "kind": "enterprise"},
    )
    assert response["Location"] == "/workspace/"
    response = client.post(
        "/accounts/organization/?next=https://evil.example/",
        {"uscc": make_uscc(), "name": "深圳坪山丁公司", "kind": "enterprise"},
    )
    assert response["Location"] == "/accounts/organization/"


@pytest.mark.parametrize(
    "values, field, words",
    [
        ({"uscc": "91440310MA5FXXXX"}, "uscc", "18"),
        ({"uscc": "91440310MA5F0000I0"}, "uscc", "I"),
        ({"uscc": "914403100000000001"}, "uscc", "校验"),
        ({"uscc": "CODE", "name": ""}, "uscc", ""),
        ({"name": ""}, "name", "名称"),
        ({"name": "深圳坪山认领测试生物有限公司"}, "name", "另一"),  # the name of another code's organization
        ({"name": "深圳坪山新公司", "kind": "government"}, "kind", ""),
        ({"name": "名" * 201}, "name", "201"),
    ],
)
def test_bad_input_says_why_and_changes_nothing(client, firm, values, field, words):
    client.force_login(UserFactory())
    values = {"uscc": make_uscc(), **values}
    before = (Organization.objects.count(), OrganizationUser.objects.count(), OrganizationClaim.objects.count())
    response = attach(client, **values)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert (Organization.objects.count(), OrganizationUser.objects.count(), OrganizationClaim.objects.count()) == before


def test_a_wrong_code_reads_in_english_on_the_english_page(client):
    client.force_login(UserFactory())
    response = client.post("/en/accounts/organization/", {"uscc": "914403100000000001", "kind": "enterprise"})
    assert "check character" in response.context["form"].errors["uscc"][0]


# Claiming an existing organization --------------------------------------------------------------------------------


def test_an_existing_code_is_reused_never_duplicated_and_files_a_claim(
    client, firm, django_capture_on_commit_callbacks
):
    organization, contact = firm
    claimant = UserFactory(username="claimant")
    client.force_login(claimant)
    with django_capture_on_commit_callbacks(execute=True):
        response = attach(client, uscc=spaced_lower(organization.uscc), name="另一个名字", message="我是新来的财务。")
    assert response.status_code == 302
    assert Organization.objects.filter(uscc=organization.uscc).count() == 1
    assert Organization.objects.count() == 1
    claim = OrganizationClaim.objects.get()
    assert (claim.organization, claim.user, claim.state, claim.message) == (
        organization,
        claimant,
        ClaimState.PENDING,
        "我是新来的财务。",
    )
    assert not OrganizationUser.objects.filter(user=claimant).exists()  # nothing until someone approves
    told = Notification.objects.get(recipient=contact)
    assert "claimant" not in told.title and claimant.display_name in told.title
    assert told.url == "/accounts/organization/claims/"
    assert ModelLogEntry.objects.filter(object_id=str(claim.pk), action="organizations.claim").exists()
    page = client.get("/accounts/organization/").content.decode()
    assert "待审批" in page


def test_an_organization_nobody_acts_for_tells_the_officers(client, officer, django_capture_on_commit_callbacks):
    organization = OrganizationFactory()
    UserFactory(username="fund_role_only", roles=[RoleCode.FUND_MANAGER])
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        attach(client, uscc=organization.uscc)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["officer"]


def test_one_pending_claim_per_person_and_organization(client, firm):
    organization, _contact = firm
    claimant = UserFactory()
    client.force_login(claimant)
    attach(client, uscc=organization.uscc)
    response = attach(client, uscc=organization.uscc.lower())
    assert "等待审批" in " ".join(response.context["form"].errors["uscc"])
    assert OrganizationClaim.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationClaim.objects.create(organization=organization, user=claimant)


def test_someone_already_linked_cannot_claim(client, firm):
    organization, contact = firm
    client.force_login(contact)
    response = attach(client, uscc=organization.uscc)
    assert response.status_code == 200
    assert "已代表" in " ".join(response.context["form"].errors["uscc"])
    assert OrganizationClaim.objects.count() == 0


# Deciding claims ------------------------------------------------------------------------------------------------


@pytest.fixture
def claim(firm):
    organization, _contact = firm
    claimant = UserFactory(username="claimant", real_name="赵申请")
    return services.attach_organization(actor=claimant, uscc=organization.uscc).claim


def test_the_contact_approves_and_the_claimant_acts_for_the_organization(client, firm, claim):
    organization, contact = firm
    client.force_login(contact)
    page = client.get("/accounts/organization/claims/").content.decode()
    assert "赵申请" in page and f"/accounts/organization/claims/{claim.pk}/approve/" in page
    response = client.post(f"/accounts/organization/claims/{claim.pk}/approve/")
    assert response["Location"] == "/accounts/organization/claims/"
    claim.refresh_from_db()
    assert (claim.state, claim.decided_by, claim.decided_at is not None) == (ClaimState.APPROVED, contact, True)
    assert OrganizationUser.objects.filter(organization=organization, user=claim.user, role="contact").exists()
    assert Notification.objects.filter(recipient=claim.user, title__contains=organization.name).exists()
    assert ModelLogEntry.objects.filter(object_id=str(claim.pk), action="organizations.approve_claim").exists()
    # The new contact may now decide the next claim on the organization.
    assert permissions.can_decide_claim(
        claim.user, services.attach_organization(actor=UserFactory(), uscc=organization.uscc).claim
    )


def test_deciding_twice_says_why_and_changes_nothing(client, firm, claim):
    _organization, contact = firm
    client.force_login(contact)
    client.post(f"/accounts/organization/claims/{claim.pk}/approve/")
    logged = ModelLogEntry.objects.count()
    for url, data in ((f"{claim.pk}/approve/", {}), (f"{claim.pk}/refuse/", {"reason": "不认识此人"})):
        response = client.post(f"/accounts/organization/claims/{url}", data, follow=True)
        assert "已批准" in response.content.decode()  # "This cannot be done now: it is Approved."
    claim.refresh_from_db()
    assert claim.state == ClaimState.APPROVED and claim.reason == ""
    assert OrganizationUser.objects.filter(user=claim.user).count() == 1
    assert ModelLogEntry.objects.count() == logged


def test_refusing_needs_a_reason_that_the_claimant_is_told(client, firm, claim):
    _organization, contact = firm
    client.force_login(contact)
    response = client.post(f"/accounts/organization/claims/{claim.pk}/refuse/", {"reason": "  "}, follow=True)
    assert "请说明拒绝理由" in response.content.decode()
    claim.refresh_from_db()
    assert claim.state == ClaimState.PENDING
    client.post(f"/accounts/organization/claims/{claim.pk}/refuse/", {"reason": "本公司无此员工。"})
    claim.refresh_from_db()
    assert (claim.state, claim.reason, claim.decided_by) == (ClaimState.REFUSED, "本公司无此员工。", contact)
    assert not OrganizationUser.objects.filter(user=claim.user).exists()
    told = Notification.objects.get(recipient=claim.user)
    assert told.body == "本公司无此员工。"
    assert ModelLogEntry.objects.filter(object_id=str(claim.pk), action="organizations.refuse_claim").exists()
    client.force_login(claim.user)
    assert "本公司无此员工。" in client.get("/accounts/organization/").content.decode()


def test_an_officer_with_the_permission_decides_a_role_alone_does_not(client, claim, officer):
    fund_manager = UserFactory(roles=[RoleCode.FUND_MANAGER, RoleCode.TALENT_OFFICER])
    stranger = UserFactory()
    for user in (fund_manager, stranger, claim.user):  # the claimant does not decide their own claim
        client.force_login(user)
        assert client.post(f"/accounts/organization/claims/{claim.pk}/approve/").status_code == 404
        assert client.post(f"/accounts/organization/claims/{claim.pk}/refuse/", {"reason": "x"}).status_code == 404
        assert "赵申请" not in client.get("/accounts/organization/claims/").content.decode().split("<main")[1]
    claim.refresh_from_db()
    assert claim.state == ClaimState.PENDING
    client.force_login(officer)
    assert "赵申请" in client.get("/accounts/organization/claims/").content.decode().split("<main")[1]
    client.post(f"/accounts/organization/claims/{claim.pk}/approve/")
    claim.refresh_from_db()
    assert claim.state == ClaimState.APPROVED


def test_superusers_are_officers():
    assert permissions.is_claim_officer(UserFactory(is_superuser=True))
    assert not permissions.is_claim_officer(UserFactory(is_staff=True))


def test_the_claimant_withdraws_and_nobody_else_may(client, firm, claim):
    _organization, contact = firm
    client.force_login(contact)
    assert client.post(f"/accounts/organization/claims/{claim.pk}/withdraw/").status_code == 404
    client.force_login(claim.user)
    assert (
        f"/accounts/organization/claims/{claim.pk}/withdraw/" in client.get("/accounts/organization/").content.decode()
    )
    client.post(f"/accounts/organization/claims/{claim.pk}/withdraw/")
    claim.refresh_from_db()
    assert claim.state == ClaimState.WITHDRAWN
    # Withdrawn, a new request may be filed.
    assert services.attach_organization(actor=claim.user, uscc=claim.organization.uscc).claim.is_pending


def test_services_refuse_without_the_view_too(firm, claim):
    stranger = UserFactory()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.approve_claim(actor=stranger, claim=claim)
    with pytest.raises(PermissionDenied):
        services.refuse_claim(actor=stranger, claim=claim, reason="x")
    with pytest.raises(ValidationError):
        services.attach_organization(actor=stranger, uscc="bad")
    claim.refresh_from_db()
    assert claim.state == ClaimState.PENDING


# Where people see it --------------------------------------------------------------------------------------------


def test_the_dashboard_panel_shows_claims_to_decide_to_who_may_decide(client, firm, claim, officer):
    _organization, contact = firm
    keys = lambda user: [panel.key for panel in visible_panels(user)]  # noqa: E731
    assert "organizations.claims" in keys(contact)
    assert "organizations.claims" in keys(officer)
    assert "organizations.claims" not in keys(claim.user)
    assert "organizations.claims" not in keys(UserFactory(roles=[RoleCode.FUND_MANAGER]))
    client.force_login(contact)
    page = client.get("/workspace/").content.decode()
    assert "待审批的代表申请" in page and "赵申请" in page


def test_the_claims_page_costs_the_same_queries_for_2_and_10_claims(client, firm):
    organization, contact = firm
    client.force_login(contact)

    def queries():
        client.get("/accounts/organization/claims/")  # site settings and the like are cached after the first
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/accounts/organization/claims/").status_code == 200
        return len(captured)

    for _ in range(2):
        services.attach_organization(actor=UserFactory(), uscc=organization.uscc)
    two = queries()
    for _ in range(8):
        services.attach_organization(actor=UserFactory(), uscc=organization.uscc)
    assert queries() == two


def test_pages_need_login(client):
    for url in ("/accounts/organization/", "/accounts/organization/claims/"):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_the_demo_has_a_claim_for_firm1_to_decide_and_seeds_it_once():
    from portal.accounts.demo import seed_users
    from portal.organizations.demo import seed_organization_claims, seed_organizations

    for _ in range(2):
        for step in (seed_users, seed_organizations, seed_organization_claims):
            step(lambda line: None)
    claim = OrganizationClaim.objects.get()
    assert (claim.user.username, claim.state) == ("firm3", ClaimState.PENDING)
    assert "firm1" in claim.organization.user_links.values_list("user__username", flat=True)
    people = get_user_model().objects.in_bulk(["firm1", "fundmgr", "talent_officer", "firm2"], field_name="username")
    deciders = {name for name, user in people.items() if permissions.can_decide_claim(user, claim)}
    assert deciders == {"firm1", "fundmgr", "talent_officer"}  # in_bulk's order is the database's
