"""The council section of a theme page: public facts only, a constant number of queries."""

import datetime
from itertools import groupby

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from portal.opinions.cache_tags import issued_by
from portal.organizations.models import OrganizationKind
from portal.pagecache import tags
from portal.pagecache.public import depends_on

from . import cache_tags
from .composition import as_percent, industry_share
from .models import CommitteeMembership, Council, CouncilStatus, Membership, role_order
from .services.opinions import public_opinions


def charter_rules(version):
    """The rules of a charter version, in words."""
    rules = [
        (
            _("Quorum"),
            _("%(numerator)s/%(denominator)s of the voting members")
            % {"numerator": version.quorum_numerator, "denominator": version.quorum_denominator},
        ),
        (_("Majority"), version.get_default_majority_display()),
        (_("Counted over"), version.get_default_base_display()),
        (_("Minimum industry share"), as_percent(version.min_industry_share)),
        (_("Term"), _("%(months)s months") % {"months": version.term_months}),
        (
            _("Proxies"),
            _("allowed, at most %(count)s per holder") % {"count": version.max_proxies_per_holder}
            if version.proxies_allowed
            else _("not allowed"),
        ),
        (_("Meetings convened by"), version.get_convened_by_display()),
    ]
    return rules


def council_section(theme, page, request):
    depends_on(request, cache_tags.theme_councils(theme.pk))  # even with none yet: a council founded shows
    council = (
        Council.objects.filter(theme=theme)
        .exclude(status=CouncilStatus.DISSOLVED)
        .select_related("leading_bureau")
        .first()
    )
    if council is None:
        return None
    # The organizations' names and kinds (the leading bureau, members, committees) under ORGANIZATIONS.
    depends_on(request, cache_tags.council(council.pk), tags.ORGANIZATIONS, issued_by(council))
    today = datetime.date.today()
    open_memberships = list(
        Membership.objects.filter(council=council)
        .open()
        .select_related("organization")
        .order_by(role_order(), "organization__kind", "organization__name")
    )
    members = [membership for membership in open_memberships if membership.is_active_on(today)]
    member_org_ids = {membership.organization_id for membership in open_memberships}
    share = industry_share(members, today)

    kind_labels = dict(OrganizationKind.choices)
    roles = []
    for _role, group in groupby(members, key=lambda m: m.role):
        group = list(group)
        kinds = [
            {"label": kind_labels.get(kind, kind), "memberships": list(items)}
            for kind, items in groupby(group, key=lambda m: m.organization.kind)
        ]
        roles.append({"label": group[0].get_role_display(), "count": len(group), "kinds": kinds})

    committees = []
    for committee in council.committees.prefetch_related(
        Prefetch("memberships", queryset=CommitteeMembership.objects.select_related("organization"))
    ):
        organizations, seen = [], set()
        for member in committee.memberships.all():
            if member.organization_id in seen:
                continue
            seen.add(member.organization_id)
            organizations.append(
                {"organization": member.organization, "is_external": member.organization_id not in member_org_ids}
            )
        committees.append({"committee": committee, "organizations": organizations})
        depends_on(request, cache_tags.committee(committee.pk), issued_by(committee))

    version = council.charter_version_in_force(today)
    if version is not None and not version.is_public:
        version = None
    return {
        "council": council,
        "member_count": len(members),
        "voting_count": sum(1 for m in members if m.has_vote),
        "roles": roles,
        "share": share,
        "share_percent": as_percent(share),
        "committees": committees,
        "charter": version,
        "charter_rules": charter_rules(version) if version else [],
        "opinions": public_opinions(council),
    }
