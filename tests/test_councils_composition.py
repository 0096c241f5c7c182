"""The composition rule: industry share math, refusal below the charter minimum, staff override."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from wagtail.models import ModelLogEntry

from councils import services
from councils.composition import Seat, as_percent, assess_change, industry_share
from councils.models import CompositionOverride, Council, Membership, MembershipRole
from portal.organizations.models import OrganizationKind
from tests.factories import OrganizationFactory, UserFactory
from themes.models import Theme

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)
ON = datetime.date(2026, 6, 1)


def seat(key, industry=True, vote=True, start=START, end=None):
    return Seat(key=key, is_industry=industry, has_vote=vote, term_start=start, term_end=end)


def test_share_is_industry_over_voting_members_as_a_decimal():
    seats = [seat(n) for n in range(12)] + [seat("gov", industry=False)]
    share = industry_share(seats, ON)
    assert isinstance(share, Decimal)
    assert share == Decimal("0.9231")  # 12/13
    assert as_percent(share) == "92.3%"


def test_share_ignores_members_without_vote_ended_and_not_yet_started():
    seats = [
        seat(1),
        seat(2, industry=False),
        seat(3, industry=False, vote=False),  # observer: not counted
        seat(4, industry=False, end=datetime.date(2026, 3, 1)),  # ended before ON
        seat(5, industry=False, start=datetime.date(2026, 7, 1)),  # starts after ON
    ]
    assert industry_share(seats, ON) == Decimal("0.5000")
    assert industry_share([], ON) is None
    assert industry_share([seat(1, vote=False)], ON) is None


def test_share_rounds_half_up_to_four_places():
    seats = [seat(n) for n in range(2)] + [seat("g", industry=False)]
    assert industry_share(seats, ON) == Decimal("0.6667")
    assert as_percent(Decimal("0.9")) == "90%"


@pytest.fixture
def council_setup():
    secretary = UserFactory(username="sec")
    bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
    council = Council.objects.create(
        theme=Theme.objects.get(code="biomed"), name_zh="测试理事会", slug="test", leading_bureau=bureau
    )
    council.secretariat_users.add(secretary)
    industry = [OrganizationFactory() for _ in range(9)]  # + 1 government = exactly 90%
    for organization in industry:
        services.add_membership(actor=secretary, council=council, organization=organization, term_start=START)
    government = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
    services.add_membership(actor=secretary, council=council, organization=government, term_start=START)
    return {"council": council, "secretary": secretary, "industry": industry, "government": government}


def counts():
    return (
        Membership.objects.count(),
        Membership.objects.filter(term_end__isnull=True, has_vote=True).count(),
        CompositionOverride.objects.count(),
        ModelLogEntry.objects.count(),
    )


def test_adding_a_second_government_member_is_refused_and_changes_nothing(council_setup):
    council, secretary = council_setup["council"], council_setup["secretary"]
    assert industry_share(council.memberships.select_related("organization")) == Decimal("0.9000")
    before = counts()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.add_membership(
            actor=secretary,
            council=council,
            organization=OrganizationFactory(kind=OrganizationKind.GOVERNMENT),
            term_start=START,
        )
    message = " ".join(refused.value.messages)
    assert "from 90% to 81.8%" in message and "below the 90%" in message
    assert counts() == before


def test_ending_an_industry_membership_below_the_minimum_is_refused(council_setup):
    council, secretary = council_setup["council"], council_setup["secretary"]
    membership = Membership.objects.get(council=council, organization=council_setup["industry"][0])
    before = counts()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.end_membership(actor=secretary, membership=membership, reason="退出")
    assert "from 90% to 88.9%" in " ".join(refused.value.messages)
    assert counts() == before
    membership.refresh_from_db()
    assert membership.term_end is None


def test_taking_the_vote_from_an_industry_member_is_refused(council_setup):
    council, secretary = council_setup["council"], council_setup["secretary"]
    membership = Membership.objects.get(council=council, organization=council_setup["industry"][0])
    with pytest.raises(ValidationError):
        services.change_membership(actor=secretary, membership=membership, has_vote=False)
    with pytest.raises(ValidationError):
        services.change_membership(
            actor=secretary, membership=membership, organization=OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
        )
    membership.refresh_from_db()
    assert membership.has_vote is True


def test_changes_that_keep_the_share_are_allowed(council_setup):
    council, secretary = council_setup["council"], council_setup["secretary"]
    services.add_membership(actor=secretary, council=council, organization=OrganizationFactory(), term_start=START)
    membership = Membership.objects.get(council=council, organization=council_setup["government"])
    services.end_membership(actor=secretary, membership=membership, on=ON)
    assert industry_share(council.memberships.select_related("organization"), ON) == Decimal("1.0000")
    # A non-voting government observer does not count.
    services.add_membership(
        actor=secretary,
        council=council,
        organization=OrganizationFactory(kind=OrganizationKind.GOVERNMENT),
        role=MembershipRole.OBSERVER,
        has_vote=False,
        term_start=START,
    )


def test_secretariat_cannot_override_but_a_permitted_user_can_with_a_reason(council_setup):
    council, secretary = council_setup["council"], council_setup["secretary"]
    government = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
    with pytest.raises(ValidationError):
        services.add_membership(
            actor=secretary, council=council, organization=government, term_start=START, override_reason="急需"
        )
    staff = UserFactory(username="staff")
    staff.user_permissions.add(
        Permission.objects.get(codename="override_composition"), Permission.objects.get(codename="change_council")
    )
    staff = type(staff).objects.get(pk=staff.pk)  # fresh permission cache
    with pytest.raises(ValidationError):  # a reason is required
        services.add_membership(actor=staff, council=council, organization=government, term_start=START)
    with pytest.raises(ValidationError):
        services.add_membership(
            actor=staff, council=council, organization=government, term_start=START, override_reason="   "
        )
    membership = services.add_membership(
        actor=staff, council=council, organization=government, term_start=START, override_reason="过渡期安排"
    )
    override = CompositionOverride.objects.get()
    assert override.user == staff and override.membership == membership and override.reason == "过渡期安排"
    assert override.share_before == Decimal("0.9000") and override.share_after == Decimal("0.8182")
    assert override.minimum == Decimal("0.9000")
    entry = ModelLogEntry.objects.get(action="councils.override_composition")
    assert entry.user == staff and entry.data["reason"] == "过渡期安排"


def test_superuser_may_override(council_setup):
    admin = UserFactory(username="root", is_superuser=True)
    assessment = assess_change(council_setup["council"], add=seat("new", industry=False), on=ON)
    assert assessment.violates
    services.add_membership(
        actor=admin,
        council=council_setup["council"],
        organization=OrganizationFactory(kind=OrganizationKind.GOVERNMENT),
        term_start=START,
        override_reason="区政府决定",
    )
    assert CompositionOverride.objects.filter(user=admin).exists()


def test_first_member_being_government_is_refused(council_setup):
    bureau = council_setup["council"].leading_bureau
    council = Council.objects.create(
        theme=Theme.objects.get(code="nev"), name_zh="空理事会", slug="empty", leading_bureau=bureau
    )
    council.secretariat_users.add(council_setup["secretary"])
    with pytest.raises(ValidationError):
        services.add_membership(
            actor=council_setup["secretary"], council=council, organization=bureau, term_start=START
        )


def test_database_keeps_one_open_membership_and_term_order(council_setup):
    council, organization = council_setup["council"], council_setup["industry"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(council=council, organization=organization, term_start=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            council=council,
            organization=OrganizationFactory(),
            term_start=START,
            term_end=START - datetime.timedelta(days=1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            council=council,
            organization=OrganizationFactory(),
            term_start=START,
            role=MembershipRole.OBSERVER,
            has_vote=True,
        )
