"""The councils' demo (seed_demo without the fund's part, which none of these reads): three councils above the
industry minimum, their workspaces' documents and who may open them, and a second seeding that adds nothing."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from councils import permissions
from councils.composition import industry_share
from councils.models import (
    CommitteeKind,
    Council,
    Document,
    DocumentFolder,
    DocumentVersion,
    Membership,
    MembershipRole,
)
from tests import seeded_demo

pytestmark = [pytest.mark.django_db, pytest.mark.demo_reader]
seeded = seeded_demo.fixture(without=("funds",))  # once for this module (a copy of the suite's, on SQLite)


def counts():
    return {model.__name__: model.objects.count() for model in (Council, Membership, Document, DocumentVersion)}


def test_seed_demo_creates_three_councils_above_the_minimum(seeded):
    councils = {council.theme.code: council for council in Council.objects.select_related("theme", "leading_bureau")}
    assert set(councils) == {"biomed", "nev", "ic"}
    assert councils["biomed"].leading_bureau.name == "深圳市坪山区科技创新局"
    assert councils["nev"].leading_bureau.name == "深圳市坪山区发展和改革局"
    assert councils["ic"].leading_bureau.name == "深圳市坪山区工业和信息化局"
    for council in councils.values():
        members = list(council.memberships.open().select_related("organization"))
        assert len([m for m in members if m.organization.is_industry]) >= 12
        assert len([m for m in members if not m.organization.is_industry]) <= 1
        assert industry_share(members) >= Decimal("0.90")
        assert council.charter_version_in_force() is not None
        assert council.committees.count() == 5
        assert council.secretariat_users.filter(username="secretariat").exists()
    vice = councils["biomed"].memberships.get(representative__username="member_biomed")
    assert vice.role == MembershipRole.VICE_CHAIR
    assert vice.organization.name == "深圳市坪山瑞和基因科技有限公司"
    assert councils["nev"].memberships.filter(representative__username="member_nev").exists()
    assert councils["ic"].memberships.filter(representative__username="member_ic").exists()
    promotion = councils["biomed"].committees.get(kind=CommitteeKind.INDUSTRY_PROMOTION)
    external = promotion.memberships.get(user__username="external_member")
    assert external.is_external is True
    assert external.organization.name == "深圳鼎衡会计师事务所（特殊普通合伙）"


def test_demo_documents_and_permissions(seeded):
    users = {user.username: user for user in get_user_model().objects.all()}
    biomed = Council.objects.get(slug="biomed")
    folder = DocumentFolder.objects.get(council=biomed, committee__isnull=True, name="会议材料")
    agenda = folder.documents.get()
    assert list(agenda.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    committee = biomed.committees.get(kind=CommitteeKind.INDUSTRY_PROMOTION)
    committee_document = Document.objects.get(folder__committee=committee)
    external = users["external_member"]
    assert permissions.can_open_workspace_of(external, committee_document.folder) is True
    assert permissions.can_open_workspace_of(external, folder) is False
    assert permissions.can_open_council_workspace(users["member_biomed"], biomed) is True
    assert permissions.can_open_council_workspace(users["member_nev"], biomed) is False
    assert DocumentVersion.objects.count() == 3


def test_a_second_seeding_adds_nothing(seeded):
    first = counts()
    call_command("seed_demo", without=["funds"], stdout=io.StringIO())
    assert counts() == first and first["Council"] == 3
