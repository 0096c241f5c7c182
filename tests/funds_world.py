"""A fund to test against: its managers, its investment committee, another fund, companies, deals at any stage.

    from tests.funds_world import FundWorld, make_deal
    world = FundWorld.build()          # inside a test with the db
    deal = make_deal(world, stage=DealStage.DUE_DILIGENCE)

People: ``manager`` (runs ``fund``), ``other_manager`` (runs ``other_fund`` only), ``ic_chair`` and ``ic_member``
(the fund's investment committee), ``firm`` (contact of ``company``'s organization), ``outsider`` (an applicant with
nothing here), ``superuser``. Roles are coarse gates only: the fund_manager role alone (``role_only``) grants nothing.
"""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from funds.models import (
    Company,
    Deal,
    DealFolder,
    DealSource,
    DealStage,
    DevelopmentStage,
    Fund,
    InvestmentCommittee,
    Round,
    Subsector,
)
from funds.services.deals import STANDARD_FOLDERS
from portal.accounts.roles import RoleCode
from portal.opinions.models import Issuer
from portal.organizations.models import OrganizationContactRole, OrganizationKind, OrganizationUser
from tests.factories import OrganizationFactory, UserFactory
from themes.models import Theme

_numbers = itertools.count(1)


def make_fund(*, managers=(), slug=None, name=None, theme_code="biomed") -> Fund:
    n = next(_numbers)
    manager_org = OrganizationFactory(kind=OrganizationKind.FINANCIAL_INSTITUTION, name=f"坪山测试基金管理有限公司{n}")
    fund = Fund.objects.create(
        name=name or f"坪山测试生物医药基金{n}",
        name_en=f"Pingshan Test Biomedicine Fund {n}",
        slug=slug or f"test-fund-{n}",
        theme=Theme.objects.get(code=theme_code),
        target_size=Decimal("5000000000"),
        vintage=2026,
        manager=manager_org,
    )
    fund.managers.set(managers)
    return fund


def make_company(*, name=None, subsector=Subsector.INNOVATIVE_DRUGS, stage=DevelopmentStage.PRECLINICAL, contact=None):
    organization = OrganizationFactory(name=name) if name else OrganizationFactory()
    if contact is not None:
        OrganizationUser.objects.create(organization=organization, user=contact, role=OrganizationContactRole.CONTACT)
    return Company.objects.create(
        organization=organization, subsector=subsector, development_stage=stage, lead_asset="PS-001"
    )


def make_deal(world_or_fund, *, company=None, stage=DealStage.SCREENING, owner=None, amount="30000000", **fields):
    """A deal put straight into ``stage`` (fixtures only: services move deals through their transitions)."""
    fund = getattr(world_or_fund, "fund", world_or_fund)
    company = company or make_company()
    days_in_stage = fields.pop("days_in_stage", 0)
    deal = Deal.objects.create(
        fund=fund,
        company=company,
        round=fields.pop("round", Round.SERIES_A),
        amount_requested=Decimal(amount),
        source=fields.pop("source", DealSource.OWN),
        owner=owner,
        **fields,
    )
    for order, (name, name_en) in enumerate(STANDARD_FOLDERS):
        DealFolder.objects.create(deal=deal, name=name, name_en=name_en, order=order)
    # The stage field is protected: a fixture sets it with an UPDATE, the way only a migration otherwise would.
    entered = timezone.now() - datetime.timedelta(days=days_in_stage)
    Deal.objects.filter(pk=deal.pk).update(stage=stage, stage_entered_at=entered)
    return Deal.objects.get(pk=deal.pk)


@dataclass
class FundWorld:
    fund: Fund
    other_fund: Fund
    committee: InvestmentCommittee
    manager: object
    other_manager: object
    ic_chair: object
    ic_member: object
    firm: object
    outsider: object
    role_only: object
    superuser: object
    company: Company

    @classmethod
    def with_rubric(cls) -> "FundWorld":
        """The world whose fund scores deals with the biomedicine rubric (review rounds need one)."""
        from funds.rubrics import biomedicine_rubric

        world = cls.build()
        world.fund.rubric = biomedicine_rubric()
        world.fund.save()
        return world

    @classmethod
    def build(cls) -> "FundWorld":
        manager = UserFactory(username="fund-manager", roles=[RoleCode.FUND_MANAGER])
        other_manager = UserFactory(username="other-fund-manager", roles=[RoleCode.FUND_MANAGER])
        role_only = UserFactory(username="fund-role-only", roles=[RoleCode.FUND_MANAGER], is_staff=True)
        ic_chair = UserFactory(username="ic-chair")
        ic_member = UserFactory(username="ic-member")
        firm = UserFactory(username="firm-contact", roles=[RoleCode.APPLICANT])
        outsider = UserFactory(username="other-firm", roles=[RoleCode.APPLICANT])
        superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
        fund = make_fund(managers=[manager], slug="biomed-fund")
        other_fund = make_fund(managers=[other_manager], slug="other-fund")
        issuer = Issuer.objects.create(
            name=f"{fund.name}投资决策委员会", name_en="Investment committee", number_prefix=f"坪基投决{fund.pk}"
        )
        committee = InvestmentCommittee.objects.create(fund=fund, chair=ic_chair, issuer=issuer)
        committee.members.set([ic_chair, ic_member])
        issuer.owner = committee
        issuer.save()
        company = make_company(name="深圳坪山测试生物科技有限公司", contact=firm)
        return cls(
            fund=fund,
            other_fund=other_fund,
            committee=committee,
            manager=manager,
            other_manager=other_manager,
            ic_chair=ic_chair,
            ic_member=ic_member,
            firm=firm,
            outsider=outsider,
            role_only=role_only,
            superuser=superuser,
            company=company,
        )
