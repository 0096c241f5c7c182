"""Councils' structure: models with a page know their URL, document folders are workspace items like every
other (council always set), and the migration that made them so fills the council of a committee's folders."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from councils.models import Committee, CommitteeKind, Council, Document, DocumentFolder
from councils.workspace import Workspace
from portal.organizations.models import OrganizationKind
from tests.factories import OrganizationFactory, UserFactory
from themes.models import Theme

BEFORE = [("councils", "0005_activity_to_history")]
AFTER = [("councils", "0006_documentfolder_workspace_scoped")]


def make_council(slug="biomed"):
    bureau = OrganizationFactory(kind=OrganizationKind.GOVERNMENT)
    return Council.objects.create(
        theme=Theme.objects.get(code="biomed"), name_zh=f"{slug}理事会", slug=slug, leading_bureau=bureau
    )


@pytest.fixture
def workspace(db):
    council = make_council()
    committee = Committee.objects.create(council=council, kind=CommitteeKind.INDUSTRY_PROMOTION)
    return council, committee, UserFactory()


def test_pages_know_their_urls(workspace):
    council, committee, user = workspace
    assert council.get_absolute_url() == reverse("councils:council", args=[council.slug])
    assert committee.get_absolute_url() == reverse("councils:committee", args=[council.slug, committee.pk])
    folder = DocumentFolder.objects.create(council=council, committee=committee, name="材料", created_by=user)
    document = Document.objects.create(folder=folder, title="工作要点", created_by=user)
    assert folder.get_absolute_url() == reverse("councils:folder", kwargs={"slug": council.slug, "pk": folder.pk})
    assert document.get_absolute_url() == reverse("councils:document", kwargs={"slug": council.slug, "pk": document.pk})
    assert folder.transition_url_kwargs() == {"slug": council.slug, "pk": folder.pk}
    assert folder.workspace == committee and Workspace.of(folder) == Workspace.of(committee)


def test_folder_names_are_unique_per_workspace(workspace):
    council, committee, user = workspace
    DocumentFolder.objects.create(council=council, name="材料", created_by=user)
    # The same name in the committee's workspace of the same council is another folder.
    DocumentFolder.objects.create(council=council, committee=committee, name="材料", created_by=user)
    for committee_value in (None, committee):
        with pytest.raises(IntegrityError), transaction.atomic():
            DocumentFolder.objects.create(council=council, committee=committee_value, name="材料", created_by=user)
    assert DocumentFolder.objects.filter(**Workspace.of(council).filter()).count() == 1
    assert DocumentFolder.objects.filter(**Workspace.of(committee).filter()).count() == 1


# SQLite cannot alter tables inside the test's transaction, so there the round trip runs in a transactional test
# (its rows restored afterwards by serialized rollback). PostgreSQL has transactional DDL: the round trip runs
# inside the ordinary test transaction and is rolled back, which keeps it clear of the other transactional tests'
# flushes (restoring a snapshot after one of them collided on content-type ids).
ON_SQLITE = connection.vendor == "sqlite"


@pytest.mark.skipif(not ON_SQLITE, reason="on PostgreSQL the round trip runs in one transaction (next test)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_fills_the_council_of_committee_folders():
    _migration_round_trip()


@pytest.mark.skipif(ON_SQLITE, reason="SQLite cannot alter tables inside a transaction (previous test)")
@pytest.mark.django_db
def test_migration_fills_the_council_of_committee_folders_in_one_transaction():
    _migration_round_trip(before_altering="SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events at ALTER


def _migration_round_trip(before_altering=None):
    council = make_council()
    other = make_council("nev")
    committee = Committee.objects.create(council=other, kind=CommitteeKind.INDUSTRY_PROMOTION)
    user = UserFactory()
    plenary = DocumentFolder.objects.create(council=council, name="材料", created_by=user)
    committee_folder = DocumentFolder.objects.create(council=other, committee=committee, name="材料", created_by=user)

    if before_altering:
        with connection.cursor() as cursor:
            cursor.execute(before_altering)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # back to the old shape: a committee's folder names no council
    old = executor.loader.project_state(BEFORE).apps.get_model("councils", "DocumentFolder")
    assert old.objects.get(pk=committee_folder.pk).council_id is None
    assert old.objects.get(pk=plenary.pk).council_id == council.pk

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("councils", "DocumentFolder")
    assert new.objects.get(pk=committee_folder.pk).council_id == other.pk
    assert new.objects.get(pk=plenary.pk).council_id == council.pk

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as the other tests expect
