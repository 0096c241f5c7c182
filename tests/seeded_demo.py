"""The seeded demo for tests that read it: ``seed_demo`` once, kept on disk, copied in where a test needs it.

``seeded`` is a module fixture (``seeded = seeded_demo.seeded`` in a module): the demo for the module's tests,
its value the command's output; ``fixture(without=("funds",))`` makes one of a smaller demo. ``seed(without=…)``
puts the demo into the database of a transactional test (the browser journeys' live server).

Seeding takes ~45 s of CPU and a dozen modules and journeys need it. On the in-memory SQLite test database
(tests/dbcache.py) the first process to need a demo seeds it and saves the database, its media and private files
and the output under var/test-db/, named by a hash of what decides them: the migrated database's key, the
options, today's date (the demo dates things from today) and every source file of the project's apps. Every
later use copies them in (well under a second). Elsewhere (PostgreSQL, PORTAL_TEST_DB_CACHE=off) the command
runs each time, as before: in a transaction rolled back after the module.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from tests import dbcache

APPS = ("portal", "councils", "funds", "talent", "themes")
# Binary assets no demo step reads; hashing the CJK fonts would cost more than it guards.
SKIPPED_SUFFIXES = {".ttf", ".otf", ".woff", ".woff2", ".pyc"}
_SOURCES = {}


def sources_digest() -> str:
    """A hash of every file of the project's apps (once per process)."""
    if "digest" not in _SOURCES:
        digest = hashlib.sha256()
        for app in APPS:
            for path in sorted((dbcache.REPO_ROOT / app).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and path.suffix not in SKIPPED_SUFFIXES:
                    digest.update(str(path.relative_to(dbcache.REPO_ROOT)).encode())
                    digest.update(path.read_bytes())
        _SOURCES["digest"] = digest.hexdigest()
    return _SOURCES["digest"]


def _migrated_file():
    """The migrated database this process was copied from, or None when the cache is not in use here."""
    folder = dbcache.cache_dir()
    name = connection.settings_dict["NAME"]
    if folder is None or connection.vendor != "sqlite" or "memory" not in str(name):
        return None
    path = folder / f"{dbcache.migrations_key()}.sqlite3"
    return path if path.exists() else None


def _copy_database(source, target):
    """Replace ``target``'s contents (an open sqlite3 connection or a path) by ``source``'s."""
    source_connection = sqlite3.connect(source) if isinstance(source, Path) else source
    target_connection = sqlite3.connect(target) if isinstance(target, Path) else target
    try:
        source_connection.backup(target_connection)
    finally:
        for opened, given in ((source_connection, source), (target_connection, target)):
            if isinstance(given, Path):
                opened.close()


def _file_roots():
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def _run_seed_demo(without) -> str:
    out = io.StringIO()
    call_command("seed_demo", without=list(without), stdout=out)
    return out.getvalue()


def seed(without=()) -> str:
    """The demo in the test database (no transaction open); the output of the ``seed_demo`` that made it."""
    migrated = _migrated_file()
    if migrated is None:
        return _run_seed_demo(without)
    options = sorted(without)
    digest = hashlib.sha256(
        json.dumps([migrated.stem, options, timezone.localdate().isoformat(), sources_digest()]).encode()
    ).hexdigest()[:20]
    folder = migrated.parent
    files = folder / f"demo-{digest}"
    database, output = files.with_suffix(".sqlite3"), files.with_suffix(".txt")
    connection.ensure_connection()
    raw = connection.connection
    with dbcache.locked(folder / f"demo-{digest}.lock"):
        if not database.exists():
            _copy_database(migrated, raw)  # the demo starts from the migrated rows alone
            text = _run_seed_demo(without)
            shutil.rmtree(files, ignore_errors=True)
            for name, root in _file_roots().items():
                if root.exists():
                    shutil.copytree(root, files / name)
            output.write_text(text)
            partial = database.with_suffix(f".{os.getpid()}.partial")
            _copy_database(raw, partial)
            os.replace(partial, database)  # last: a database on disk means the rest is complete
            _prune(folder, keep=digest)
            return text
        _copy_database(database, raw)
        for name, root in _file_roots().items():
            if (files / name).exists():
                # The private files hold the signing pair the demo's PDFs were signed with: theirs replace ours.
                shutil.copytree(files / name, root, dirs_exist_ok=True)
        os.utime(database)
        return output.read_text()


def _prune(folder, keep):
    """Drop the demos of other days and sources once unused for a day (each is ~20 MB with its files)."""
    cutoff = time.time() - 86400
    for database in folder.glob("demo-*.sqlite3"):
        stem = database.stem
        if stem != f"demo-{keep}" and database.stat().st_mtime < cutoff:
            shutil.rmtree(folder / stem, ignore_errors=True)
            for stale in (database, folder / f"{stem}.txt", folder / f"{stem}.lock"):
                stale.unlink(missing_ok=True)


def unseed() -> None:
    """Back to the migrated database (after ``seed`` outside a transaction)."""
    _copy_database(_migrated_file(), connection.connection)


def fixture(without=()):
    """A module fixture: the demo (less the ``without`` domains) for the module's tests; its value, the output."""

    @pytest.fixture(scope="module")
    def seeded(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            if _migrated_file() is None:
                with transaction.atomic():
                    yield _run_seed_demo(without)
                    transaction.set_rollback(True)
                return
            yield seed(without)
            unseed()

    return seeded


seeded = fixture()
