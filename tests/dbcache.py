"""The migrated SQLite test database, built once per set of migrations and copied into each pytest process.

Migrating an empty database runs ~250 migrations (~70 s of CPU), and every pytest process and every xdist worker
used to do it again. Here the first process to need a given set of migrations migrates as usual, under a file lock,
and saves the result (and pytest-django's snapshot of the migrated rows) under var/test-db/; every process after it
copies that file into its in-memory database. The file is named by a hash of everything that decides the migrated
contents: the migration files of every installed app, the post_migrate receivers' code, the settings migrations
read, the versions of Python and Django. Anything else (PostgreSQL, --reuse-db, --create-db, --nomigrations,
a second database) takes pytest-django's own path. PORTAL_TEST_DB_CACHE names another folder; `off` disables it.
"""

import fcntl
import hashlib
import json
import os
import sqlite3
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# Settings a data migration or a post_migrate receiver reads.
SETTINGS_READ = ("INSTALLED_APPS", "AUTH_USER_MODEL", "LANGUAGE_CODE", "LANGUAGES", "WAGTAIL_CONTENT_LANGUAGES")
KEEP_UNUSED_DAYS = 3


def cache_dir():
    configured = os.environ.get("PORTAL_TEST_DB_CACHE", "")
    if configured == "off":
        return None
    return Path(configured) if configured else REPO_ROOT / "var" / "test-db"


def migrations_key():
    """A hash of what the migrated database is made from."""
    import django
    from django.apps import apps
    from django.conf import settings
    from django.db.migrations.loader import MigrationLoader
    from django.db.models.signals import post_migrate

    digest = hashlib.sha256()
    digest.update(f"{sys.version_info[:2]} {django.__version__}".encode())
    digest.update(json.dumps([getattr(settings, name, None) for name in SETTINGS_READ], default=str).encode())
    files = set()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for migration in loader.disk_migrations.values():
        files.add(sys.modules[type(migration).__module__].__file__)
    receivers = set()
    for app_config in apps.get_app_configs():  # post_migrate is sent once per app, some receivers listen to one
        sync_receivers, async_receivers = post_migrate._live_receivers(app_config)
        receivers.update(sync_receivers + async_receivers)
    for receiver in receivers:
        module = sys.modules.get(getattr(receiver, "__module__", ""))
        path = Path(getattr(module, "__file__", "") or "")
        if path.is_file():
            files.add(str(path))
            if REPO_ROOT in path.parents and ".venv" not in path.parts:
                # A project receiver reads its neighbours (the roles it grants to), so they count too.
                files.update(str(neighbour) for neighbour in path.parent.glob("*.py"))
    for name in sorted(files):
        digest.update(os.path.relpath(name, REPO_ROOT).encode())
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()[:20]


@contextmanager
def lean_historical_models():
    """Migrate without django-fsm's class_prepared receivers for historical models.

    django-fsm connects a receiver for every FSM field of every model class created, and migrating creates the
    historical models (a migration's state) ~27,000 times: the receivers pile up and every class created calls them
    all (profiled: most of the ~70 s). A historical model has no methods, so no transitions to collect: its fields
    are disconnected as they are made. The project's models are untouched.
    """
    from django.apps import apps as global_apps
    from django.db.models.signals import class_prepared
    from django_fsm import FSMFieldMixin

    original = FSMFieldMixin.contribute_to_class

    def contribute_to_class(self, cls, name, *args, **kwargs):
        original(self, cls, name, *args, **kwargs)
        if cls._meta.apps is not global_apps:
            class_prepared.disconnect(self._collect_transitions)

    FSMFieldMixin.contribute_to_class = contribute_to_class
    try:
        yield
    finally:
        FSMFieldMixin.contribute_to_class = original


@contextmanager
def locked(path):
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def usable(django_db_use_migrations, django_db_keepdb, django_db_createdb):
    from django.conf import settings

    database = settings.DATABASES.get("default", {})
    return (
        cache_dir() is not None
        and django_db_use_migrations
        and not django_db_keepdb
        and not django_db_createdb
        and set(settings.DATABASES) == {"default"}
        and database.get("ENGINE") == "django.db.backends.sqlite3"
        and not database.get("TEST", {}).get("NAME")  # the in-memory test database
    )


def build(connection, database_file, rows_file):
    """Migrate as pytest-django would, then save the database and the snapshot of its rows."""
    from django.test.utils import setup_databases

    with lean_historical_models():
        old_config = setup_databases(
            verbosity=0, interactive=False, aliases={"default"}, serialized_aliases={"default"}
        )
    rows = connection._test_serialized_contents
    partial = database_file.with_suffix(f".{os.getpid()}.partial")
    try:
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        rows_file.write_text(rows)
        os.replace(partial, database_file)  # last: a database file on disk means both are complete
    finally:
        partial.unlink(missing_ok=True)
    return old_config, rows


def load(connection, database_file, rows_file):
    """Make the in-memory test database a copy of the saved one, as Django's own test runner clones SQLite."""
    from django.conf import settings

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    # The shared in-memory database lives while a connection to it is open: fill it through one, let Django open
    # its own, then close the first.
    target = sqlite3.connect(test_name, uri=True)
    source = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    try:
        source.backup(target)
    finally:
        source.close()
    connection.ensure_connection()
    target.close()
    os.utime(database_file)  # recently used: kept by prune()
    return [(connection, old_name, True)], rows_file.read_text()


def prune(folder, keep):
    cutoff = time.time() - KEEP_UNUSED_DAYS * 86400
    for path in folder.glob("*.sqlite3"):
        if path.stem != keep and path.stat().st_mtime < cutoff:
            for stale in (path, path.with_suffix(".json"), path.with_suffix(".lock")):
                stale.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's fixture of the same name, with the migrated SQLite database taken from the cache."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        if "default" in aliases and usable(django_db_use_migrations, django_db_keepdb, django_db_createdb):
            folder = cache_dir()
            folder.mkdir(parents=True, exist_ok=True)
            key = migrations_key()
            database_file, rows_file = folder / f"{key}.sqlite3", folder / f"{key}.json"
            with locked(folder / f"{key}.lock"):
                if database_file.exists():
                    old_config, rows = load(connection, database_file, rows_file)
                else:
                    old_config, rows = build(connection, database_file, rows_file)
                    prune(folder, keep=key)
            # As pytest-django: the snapshot is kept only when a test asks for serialized rollback.
            if serialized_aliases is None or "default" in serialized_aliases:
                connection._test_serialized_contents = rows
            else:
                connection.__dict__.pop("_test_serialized_contents", None)
        else:
            if not django_db_use_migrations:
                _disable_migrations()
            with lean_historical_models():
                old_config = setup_databases(
                    verbosity=verbosity,
                    interactive=False,
                    aliases=aliases,
                    serialized_aliases=serialized_aliases,
                    keepdb=django_db_keepdb and not django_db_createdb,
                )

    yield

    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(old_config, verbosity=verbosity)
            except Exception as exc:  # noqa: BLE001 (as pytest-django: a failed teardown is a warning)
                request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))
