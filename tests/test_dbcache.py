"""The cached migrated test database (tests/dbcache.py): whatever path made this process's test database, it is
migrated to the migrations on disk, and the cache's name changes with any file that decides what migrating makes."""

from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import dbcache

pytestmark = pytest.mark.django_db


def test_the_test_database_has_every_migration_on_disk_applied():
    # A stale cached copy (a migration added since it was made) would leave migrations to apply here.
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


def test_the_cache_key_reads_every_migration_and_the_post_migrate_receivers(monkeypatch):
    read = []
    original = Path.read_bytes

    def recording(path):
        read.append(path.resolve().as_posix())
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", recording)
    key = dbcache.migrations_key()
    assert key == dbcache.migrations_key()  # stable
    assert {
        str(dbcache.REPO_ROOT / name)
        for name in (
            "funds/migrations/0001_initial.py",
            "talent/migrations/0001_initial.py",
            "portal/accounts/migrations/0002_role_groups.py",
            "portal/accounts/signals.py",  # grants the editor role its permissions after migrate
            "portal/accounts/roles.py",
        )
    } <= set(read)
    assert any("site-packages/wagtail/migrations/" in name for name in read)
    assert any("site-packages/django/contrib/auth/management/__init__.py" in name for name in read)


def test_the_cache_key_changes_with_a_migration_file(monkeypatch):
    key = dbcache.migrations_key()
    original = Path.read_bytes

    def edited(path):
        content = original(path)
        return content + b"\n# edited" if path.name == "0002_seed_themes.py" else content

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert dbcache.migrations_key() != key
