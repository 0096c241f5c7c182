"""The CMS's lists of the domain models (/admin/snippets/…) ask the same number of queries with 10 rows as with 1,000
and show a page of them (Wagtail's 20), so no column follows a foreign key row by row (issue 14).

Run with -s to see the counts. The rows are written in bulk.
"""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import (
    Charter,
    CharterVersion,
    Committee,
    CommitteeMembership,
    Council,
    Membership,
)
from portal.applications.models import Checklist
from portal.experts.models import Expert
from portal.opinions.models import Issuer
from portal.organizations.models import Organization, OrganizationKind
from portal.reviews.models import Rubric
from talent.models import Programme, ProgrammeKind, SectorAuthority
from tests.factories import UserFactory, make_uscc
from themes.models import Theme

FEW, MANY = 10, 1_000
BATCH = 500
_serial = itertools.count(1)


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _organizations(count):
    serial = next(_serial)
    return _bulk(
        Organization,
        [
            Organization(name=f"批量机构{serial}-{n}", uscc=make_uscc(), kind=OrganizationKind.ENTERPRISE)
            for n in range(count)
        ],
    )


def _saved_users(count):
    from django.contrib.auth import get_user_model

    serial = next(_serial)
    user = get_user_model()
    return _bulk(user, [user(username=f"bulk{serial}-{n}", real_name=f"用户{n}") for n in range(count)])


def _themes(count):
    serial = next(_serial)
    return _bulk(
        Theme,
        [Theme(code=f"bulk-{serial}-{n}", name_zh=f"批量专题{serial}-{n}", name_en=f"T{n}") for n in range(count)],
    )


def _councils(count):
    theme, bureau = _themes(1)[0], _organizations(1)[0]
    serial = next(_serial)
    councils = _bulk(
        Council,
        [
            Council(theme=theme, leading_bureau=bureau, name_zh=f"批量理事会{serial}-{n}", slug=f"bulk-{serial}-{n}")
            for n in range(count)
        ],
    )
    return councils


def _charter_versions(count):
    councils = _councils(count)
    charters = _bulk(Charter, [Charter(council=council) for council in councils])
    day = datetime.date(2025, 1, 1)
    _bulk(
        CharterVersion,
        [CharterVersion(charter=charter, number=1, text="章程", effective_from=day) for charter in charters],
    )


def _memberships(count):
    council = _councils(1)[0]
    people = _saved_users(count)
    day = datetime.date(2025, 1, 1)
    _bulk(
        Membership,
        [
            Membership(council=council, organization=organization, representative=person, term_start=day)
            for organization, person in zip(_organizations(count), people, strict=True)
        ],
    )


def _committees(count):
    councils = _councils(count)
    chairs = _saved_users(count)
    _bulk(
        Committee,
        [
            Committee(council=council, kind="custom", name_zh=f"专委会{n}", chair=chair)
            for n, (council, chair) in enumerate(zip(councils, chairs, strict=True))
        ],
    )


def _committee_members(count):
    council = _councils(1)[0]
    committee = Committee.objects.create(council=council, kind="custom", name_zh="批量专委会")
    organizations = _organizations(count)
    # Half the organizations are council members (not external), half are not.
    day = datetime.date(2025, 1, 1)
    _bulk(Membership, [Membership(council=council, organization=o, term_start=day) for o in organizations[::2]])
    _bulk(
        CommitteeMembership,
        [
            CommitteeMembership(committee=committee, user=user, organization=organization)
            for user, organization in zip(_saved_users(count), organizations, strict=True)
        ],
    )


def _programmes(count):
    serial = next(_serial)
    directors = _saved_users(count)
    return _bulk(
        Programme,
        [
            Programme(
                name=f"批量计划{serial}-{n}", slug=f"bulk-{serial}-{n}", kind=ProgrammeKind.OFFSHORE_BASE, director=d
            )
            for n, d in enumerate(directors)
        ],
    )


def _sector_authorities(count):
    programme = _programmes(1)[0]
    _bulk(SectorAuthority, [SectorAuthority(programme=programme, organization=o) for o in _organizations(count)])


def _experts(count):
    organizations = _organizations(count)
    _bulk(Expert, [Expert(name=f"专家{n}", affiliation=o) for n, o in enumerate(organizations)])


def _rubrics(count):
    _bulk(Rubric, [Rubric(name=f"评审表{n}") for n in range(count)])


def _issuers(count):
    serial = next(_serial)
    _bulk(Issuer, [Issuer(name=f"发文机关{serial}-{n}", number_prefix=f"批{serial}-{n}") for n in range(count)])


def _checklists(count):
    _bulk(Checklist, [Checklist(name=f"材料清单{n}") for n in range(count)])


# Each registered viewset of a domain model: the model and how to add rows to its list.
LISTS = {
    "councils": (Council, _councils),
    "charter versions": (CharterVersion, _charter_versions),
    "council memberships": (Membership, _memberships),
    "committees": (Committee, _committees),
    "committee members": (CommitteeMembership, _committee_members),
    "talent programmes": (Programme, _programmes),
    "sector authorities": (SectorAuthority, _sector_authorities),
    "expert pool": (Expert, _experts),
    "organizations": (Organization, _organizations),
    "rubrics": (Rubric, _rubrics),
    "issuers": (Issuer, _issuers),
    "checklists": (Checklist, _checklists),
    "themes": (Theme, _themes),
}


def _url(model):
    return reverse(f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:list")


def _count(client, url):
    client.get(url)  # the first request of a session reads more (the session, the user's memo)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="budget_admin", is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize("name", LISTS)
def test_each_admin_list_asks_the_same_queries_for_10_and_1000_rows(admin_client, name):
    model, grow = LISTS[name]
    url = _url(model)
    grow(FEW)
    few, _response = _count(admin_client, url)
    grow(MANY - FEW)
    many, response = _count(admin_client, url)
    print(f"admin {name}: {few} queries with {FEW} rows, {many} with {MANY}")
    assert many == few, f"{name}: {few} queries with {FEW} rows, {many} with {MANY}"
    page = response.context["page_obj"]
    assert page.paginator.count >= MANY and len(page.object_list) == 20
