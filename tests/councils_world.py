"""One small council for the workspace tests: a plenary, committees A and B, a charter, and people in every
position the permission tests need. Build it with ``build_world()`` inside a test using the database.

People (usernames ``ws_*``):
  council_member  plenary (voting member) and committee A
  plenary_only    plenary (voting member), no committee
  chair           plenary, the council's chair (理事长), voting
  observer        plenary observer, no vote
  member_b        committee B only (organization of council_member)
  external        committee A, organization outside the council (shown as external)
  secretary       the council's secretariat (role code secretariat); opens every workspace of the council
  outsider        has the council_member role but belongs nowhere here
  superuser
Charter in force: quorum 1/2, simple majority of yes+no+abstain, proxies allowed (1 per holder), meetings
convened by the chair or the secretariat.
"""

import datetime

from councils import services
from councils.models import CommitteeKind, Council, MembershipRole
from portal.accounts.roles import RoleCode
from portal.organizations.models import OrganizationKind
from tests.factories import OrganizationFactory, UserFactory
from themes.models import Theme

PLENARY_MEMBERS = ("council_member", "plenary_only", "chair", "observer")
CAN_OPEN = {
    "plenary": {"council_member", "plenary_only", "chair", "observer", "secretary", "superuser"},
    "a": {"council_member", "external", "secretary", "superuser"},
    "b": {"member_b", "secretary", "superuser"},
}
USERS = [
    "council_member",
    "plenary_only",
    "chair",
    "observer",
    "member_b",
    "external",
    "secretary",
    "outsider",
    "superuser",
    "anonymous",
]


def new_council(secretary, *, slug="biomed", theme_code="biomed", name_zh="生物医药理事会"):
    """A council led by a new government bureau, with ``secretary`` on its secretariat."""
    bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
    council = Council.objects.create(
        theme=Theme.objects.get(code=theme_code), name_zh=name_zh, slug=slug, leading_bureau=bureau
    )
    council.secretariat_users.add(secretary)  # the m2m signal syncs the permissions
    return council


def build_world(slug="biomed", theme_code="biomed"):
    secretary = UserFactory(
        username=f"ws_secretary_{slug}" if slug != "biomed" else "ws_secretary", roles=[RoleCode.SECRETARIAT]
    )
    council = new_council(secretary, slug=slug, theme_code=theme_code, name_zh=f"{slug}理事会")
    services.add_charter_version(
        actor=secretary,
        council=council,
        text="第一条 本理事会由产业代表组成。\n第二条 过半数理事出席方可开会。",
        effective_from=datetime.date(2025, 1, 1),
        quorum_numerator=1,
        quorum_denominator=2,
        default_majority="simple",
        default_base="yes_no_abstain",
        min_industry_share="0.50",
        proxies_allowed=True,
        max_proxies_per_holder=1,
        convened_by="chair_or_secretariat",
    )
    committee_a = services.add_committee(actor=secretary, council=council, kind=CommitteeKind.INDUSTRY_PROMOTION)
    committee_b = services.add_committee(actor=secretary, council=council, kind=CommitteeKind.STRATEGIC_PLANNING)
    prefix = "ws" if slug == "biomed" else f"ws_{slug}"
    users = {
        name: UserFactory(username=f"{prefix}_{name}")
        for name in ("council_member", "plenary_only", "chair", "observer", "member_b", "external")
    }
    users["secretary"] = secretary
    users["outsider"] = UserFactory(username=f"{prefix}_outsider", roles=[RoleCode.COUNCIL_MEMBER])
    users["superuser"] = UserFactory(username=f"{prefix}_root", is_superuser=True)
    organizations = {name: OrganizationFactory() for name in PLENARY_MEMBERS}
    for name in PLENARY_MEMBERS:
        role = {"chair": MembershipRole.CHAIR, "observer": MembershipRole.OBSERVER}.get(name, MembershipRole.MEMBER)
        services.add_membership(
            actor=secretary,
            council=council,
            organization=organizations[name],
            representative=users[name],
            role=role,
            has_vote=name != "observer",
            term_start=datetime.date(2025, 1, 1),
        )
    services.add_committee_member(
        actor=secretary,
        committee=committee_a,
        user=users["council_member"],
        organization=organizations["council_member"],
    )
    services.add_committee_member(
        actor=secretary, committee=committee_a, user=users["external"], organization=OrganizationFactory()
    )
    services.add_committee_member(
        actor=secretary, committee=committee_b, user=users["member_b"], organization=organizations["council_member"]
    )
    return {
        "council": council,
        "committees": {"a": committee_a, "b": committee_b},
        "workspaces": {"plenary": council, "a": committee_a, "b": committee_b},
        "users": users,
        "organizations": organizations,
    }


def login(client, world, who):
    """Log the test client in as one of the world's people ('anonymous' logs out)."""
    client.logout()
    if who != "anonymous":
        client.force_login(world["users"][who])
    return client


def row_counts(*models):
    """How many rows each model has: what a refused action must leave as it was."""
    return tuple(model.objects.count() for model in models)
