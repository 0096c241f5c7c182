"""Council services: validation, permissions, audit log, notifications; charter versions; admin form."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from wagtail.models import ModelLogEntry

from councils import permissions, services
from councils.models import (
    CharterVersion,
    CommitteeKind,
    CommitteeMembership,
    CompositionOverride,
    Membership,
    MembershipRole,
)
from portal.accounts.roles import RoleCode
from portal.notifications.models import Notification
from portal.organizations.models import OrganizationKind
from tests.councils_world import new_council
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)


@pytest.fixture
def setup():
    secretary = UserFactory(username="sec", roles=[RoleCode.SECRETARIAT])
    council = new_council(secretary)
    return {"council": council, "secretary": secretary, "bureau": council.leading_bureau}


def test_leading_bureau_must_be_government(setup):
    council = setup["council"]
    council.leading_bureau = OrganizationFactory()
    with pytest.raises(ValidationError) as error:
        council.full_clean()
    assert "leading_bureau" in error.value.message_dict


def test_add_membership_logs_and_notifies_the_representative(setup):
    rep = UserFactory(username="rep")
    organization = OrganizationFactory()
    membership = services.add_membership(
        actor=setup["secretary"],
        council=setup["council"],
        organization=organization,
        representative=rep,
        role=MembershipRole.VICE_CHAIR,
        term_start=START,
    )
    assert membership.is_open and membership.has_vote
    entry = ModelLogEntry.objects.get(action="councils.add_member")
    assert entry.user == setup["secretary"] and entry.object_id == str(membership.pk)
    assert Notification.objects.filter(recipient=rep).count() == 1

    ended = services.end_membership(actor=setup["secretary"], membership=membership, on=START, reason="换届")
    assert ended.term_end == START and ended.ended_reason == "换届"
    assert Membership.objects.filter(pk=membership.pk).exists()  # history kept
    assert ModelLogEntry.objects.filter(action="councils.end_member").count() == 1
    assert Notification.objects.filter(recipient=rep).count() == 2
    with pytest.raises(ValidationError):
        services.end_membership(actor=setup["secretary"], membership=ended)


def test_joining_twice_is_refused(setup):
    organization = OrganizationFactory()
    services.add_membership(actor=setup["secretary"], council=setup["council"], organization=organization)
    before = Membership.objects.count()
    with pytest.raises(ValidationError) as error:
        services.add_membership(actor=setup["secretary"], council=setup["council"], organization=organization)
    assert "organization" in error.value.message_dict
    assert Membership.objects.count() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(council=setup["council"], organization=organization, term_start=START)


def test_rejoining_after_the_term_ended_is_allowed(setup):
    organization = OrganizationFactory()
    other = OrganizationFactory()
    services.add_membership(actor=setup["secretary"], council=setup["council"], organization=other, term_start=START)
    first = services.add_membership(
        actor=setup["secretary"], council=setup["council"], organization=organization, term_start=START
    )
    services.end_membership(actor=setup["secretary"], membership=first, on=datetime.date(2026, 2, 1))
    services.add_membership(
        actor=setup["secretary"],
        council=setup["council"],
        organization=organization,
        term_start=datetime.date(2026, 3, 1),
    )
    assert Membership.objects.filter(organization=organization).count() == 2


def test_term_end_before_start_is_refused(setup):
    with pytest.raises(ValidationError) as error:
        services.add_membership(
            actor=setup["secretary"],
            council=setup["council"],
            organization=OrganizationFactory(),
            term_start=START,
            term_end=START - datetime.timedelta(days=1),
        )
    assert "term_end" in error.value.message_dict
    assert Membership.objects.count() == 0
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            council=setup["council"],
            organization=OrganizationFactory(),
            term_start=START,
            term_end=START - datetime.timedelta(days=1),
        )


def test_observer_with_a_vote_is_refused(setup):
    with pytest.raises(ValidationError) as error:
        services.add_membership(
            actor=setup["secretary"],
            council=setup["council"],
            organization=OrganizationFactory(),
            role=MembershipRole.OBSERVER,
            has_vote=True,
        )
    assert "has_vote" in error.value.message_dict
    membership = services.add_membership(
        actor=setup["secretary"], council=setup["council"], organization=OrganizationFactory()
    )
    with pytest.raises(ValidationError):
        services.change_membership(actor=setup["secretary"], membership=membership, role=MembershipRole.OBSERVER)
    changed = services.change_membership(
        actor=setup["secretary"], membership=membership, role=MembershipRole.CHAIR, has_vote=True
    )
    assert changed.role == MembershipRole.CHAIR
    assert ModelLogEntry.objects.filter(action="councils.change_member").count() == 1


def test_government_voting_member_counts_as_non_industry(setup):
    for _ in range(9):
        services.add_membership(actor=setup["secretary"], council=setup["council"], organization=OrganizationFactory())
    services.add_membership(actor=setup["secretary"], council=setup["council"], organization=setup["bureau"])
    from councils.composition import industry_share

    assert industry_share(setup["council"].memberships.select_related("organization")) == Decimal("0.9000")


@pytest.mark.parametrize(
    "call",
    [
        lambda actor, s: services.add_membership(actor=actor, council=s["council"], organization=OrganizationFactory()),
        lambda actor, s: services.end_membership(actor=actor, membership=s["membership"]),
        lambda actor, s: services.change_membership(actor=actor, membership=s["membership"], role="chair"),
        lambda actor, s: services.add_charter_version(
            actor=actor, council=s["council"], text="章程", effective_from=START
        ),
        lambda actor, s: services.add_committee(
            actor=actor, council=s["council"], kind=CommitteeKind.STRATEGIC_PLANNING
        ),
        lambda actor, s: services.add_committee_member(
            actor=actor, committee=s["committee"], user=UserFactory(), organization=OrganizationFactory()
        ),
    ],
    ids=["add_membership", "end_membership", "change_membership", "add_charter_version", "add_committee", "add_member"],
)
def test_outsiders_are_refused_every_service(setup, call):
    setup["membership"] = services.add_membership(
        actor=setup["secretary"], council=setup["council"], organization=OrganizationFactory()
    )
    setup["committee"] = services.add_committee(
        actor=setup["secretary"], council=setup["council"], kind=CommitteeKind.INDUSTRY_PROMOTION
    )
    outsider = UserFactory(username="outsider", roles=[RoleCode.SECRETARIAT])  # secretariat of another council
    for actor in (outsider, UserFactory(username="inactive", is_active=False, is_superuser=True)):
        before = ModelLogEntry.objects.count()
        with pytest.raises(PermissionDenied):
            call(actor, setup)
        assert ModelLogEntry.objects.count() == before
    call(setup["secretary"], setup)  # the manager may


def test_permissions_are_plain_bools(setup):
    council = setup["council"]
    assert permissions.can_manage_council(setup["secretary"], council) is True
    assert permissions.can_manage_council(UserFactory(), council) is False
    assert permissions.can_manage_council(UserFactory(is_superuser=True), council) is True
    assert permissions.can_override_composition(setup["secretary"]) is False
    assert permissions.can_override_composition(UserFactory(is_superuser=True)) is True


def test_charter_versions_in_force_by_date(setup):
    council, secretary = setup["council"], setup["secretary"]
    first = services.add_charter_version(
        actor=secretary, council=council, text="第一版", effective_from=datetime.date(2026, 1, 1)
    )
    second = services.add_charter_version(
        actor=secretary,
        council=council,
        text="第二版",
        effective_from=datetime.date(2026, 7, 1),
        min_industry_share=Decimal("0.95"),
        quorum_numerator=2,
        quorum_denominator=3,
    )
    assert (first.number, second.number) == (1, 2)
    assert council.charter_version_in_force(datetime.date(2025, 12, 31)) is None
    assert council.charter_version_in_force(datetime.date(2026, 6, 30)) == first
    assert council.charter_version_in_force(datetime.date(2026, 7, 1)) == second
    assert council.min_industry_share(datetime.date(2026, 6, 30)) == Decimal("0.90")
    assert council.min_industry_share(datetime.date(2026, 7, 1)) == Decimal("0.95")
    assert ModelLogEntry.objects.filter(action="councils.add_charter_version").count() == 2
    with pytest.raises(ValidationError) as error:
        services.add_charter_version(
            actor=secretary, council=council, text="倒签", effective_from=datetime.date(2026, 6, 1)
        )
    assert "effective_from" in error.value.message_dict
    assert CharterVersion.objects.count() == 2


@pytest.mark.parametrize(
    "rules",
    [
        {"quorum_numerator": 0},
        {"quorum_numerator": 3, "quorum_denominator": 2},
        {"min_industry_share": Decimal("1.5")},
        {"min_industry_share": Decimal("-0.1")},
        {"default_majority": "most"},
    ],
)
def test_charter_rules_are_validated(setup, rules):
    with pytest.raises(ValidationError):
        services.add_charter_version(
            actor=setup["secretary"], council=setup["council"], text="章程", effective_from=START, **rules
        )
    assert CharterVersion.objects.count() == 0


def test_diff_escapes_html(setup):
    council, secretary = setup["council"], setup["secretary"]
    old = services.add_charter_version(
        actor=secretary, council=council, text="第一条 <b>保留</b>\n第二条 旧文本", effective_from=START
    )
    new = services.add_charter_version(
        actor=secretary,
        council=council,
        text="第一条 <b>保留</b>\n第二条 新文本<script>alert(1)</script>",
        effective_from=START,
    )
    html = new.diff_html(old)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;保留&lt;/b&gt;" in html
    assert "<del>第二条 旧文本</del>" in html
    assert "<ins>第二条 新文本&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html


def test_committees_custom_name_duplicates_and_external_members(setup):
    council, secretary = setup["council"], setup["secretary"]
    committee = services.add_committee(actor=secretary, council=council, kind=CommitteeKind.INDUSTRY_PROMOTION)
    assert str(committee.name) == str(CommitteeKind.INDUSTRY_PROMOTION.label)
    with pytest.raises(ValidationError):
        services.add_committee(actor=secretary, council=council, kind=CommitteeKind.INDUSTRY_PROMOTION)
    with pytest.raises(ValidationError):
        services.add_committee(actor=secretary, council=council, kind=CommitteeKind.CUSTOM)
    custom = services.add_committee(actor=secretary, council=council, kind=CommitteeKind.CUSTOM, name_zh="数据专委会")
    assert custom.name == "数据专委会"
    assert ModelLogEntry.objects.filter(action="councils.add_committee").count() == 2

    member_org = OrganizationFactory()
    services.add_membership(actor=secretary, council=council, organization=member_org)
    insider = services.add_committee_member(
        actor=secretary, committee=committee, user=UserFactory(), organization=member_org
    )
    outsider_user = UserFactory(username="ext")
    external = services.add_committee_member(
        actor=secretary, committee=committee, user=outsider_user, organization=OrganizationFactory()
    )
    assert insider.is_external is False and external.is_external is True
    assert Notification.objects.filter(recipient=outsider_user).count() == 1
    assert ModelLogEntry.objects.filter(action="councils.add_committee_member").count() == 2
    with pytest.raises(ValidationError):
        services.add_committee_member(
            actor=secretary, committee=committee, user=outsider_user, organization=OrganizationFactory()
        )
    assert CommitteeMembership.objects.count() == 2


# --- the admin goes through the same composition rule -------------------------------------------------


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    return client, admin


def _membership_form(council, organization, **extra):
    return {
        "council": council.pk,
        "organization": organization.pk,
        "representative": "",
        "role": MembershipRole.MEMBER,
        "has_vote": "on",
        "term_start": START.isoformat(),
        "term_end": "",
        "ended_reason": "",
        "override_reason": "",
        **extra,
    }


def test_admin_membership_create_enforces_the_rule_and_records_overrides(setup, admin_client):
    client, admin = admin_client
    council = setup["council"]
    for _ in range(9):
        services.add_membership(actor=setup["secretary"], council=council, organization=OrganizationFactory())
    url = reverse("wagtailsnippets_councils_membership:add")
    government = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
    # 9 industry + 1 government = 90%: allowed.
    response = client.post(url, _membership_form(council, government))
    assert response.status_code == 302
    before = Membership.objects.count()
    second = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
    response = client.post(url, _membership_form(council, second))
    assert response.status_code == 200 and Membership.objects.count() == before
    assert "90%" in response.content.decode()
    response = client.post(url, _membership_form(council, second, override_reason="过渡安排"))
    assert response.status_code == 302
    assert CompositionOverride.objects.get().user == admin
    assert ModelLogEntry.objects.filter(action="councils.override_composition").exists()
    assert ModelLogEntry.objects.filter(action="wagtail.create", content_type__model="membership").count() == 2


def test_admin_cannot_delete_memberships(setup, admin_client):
    client, _admin = admin_client
    membership = services.add_membership(
        actor=setup["secretary"], council=setup["council"], organization=OrganizationFactory()
    )
    response = client.post(reverse("wagtailsnippets_councils_membership:delete", args=[membership.pk]))
    assert response.status_code in (302, 403)
    assert Membership.objects.filter(pk=membership.pk).exists()
    list_response = client.get(reverse("wagtailsnippets_councils_membership:list") + "?export=csv")
    assert list_response.status_code == 200


@pytest.mark.parametrize("model", ["council", "charterversion", "membership", "committee", "committeemembership"])
def test_admin_views_render(setup, admin_client, model):
    client, _admin = admin_client
    services.add_committee_member(
        actor=setup["secretary"],
        committee=services.add_committee(
            actor=setup["secretary"], council=setup["council"], kind=CommitteeKind.RISK_PREVENTION
        ),
        user=UserFactory(),
        organization=OrganizationFactory(),
    )
    for view in ("list", "add"):
        assert client.get(reverse(f"wagtailsnippets_councils_{model}:{view}")).status_code == 200
