import collections
import json

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.test import Client
from django.utils import translation

# tests.owners: the owner_grants fixture for the engines' tests; tests.dbcache: the migrated SQLite test database
# built once per set of migrations and copied for each process.
pytest_plugins = ["tests.owners", "tests.dbcache"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # django-axes counts failed logins in the cache; each test starts with none, and with no cached page.
    cache.clear()
    caches[settings.PAGE_CACHE_ALIAS].clear()
    yield
    cache.clear()
    caches[settings.PAGE_CACHE_ALIAS].clear()


@pytest.fixture(autouse=True)
def _streamed_files_closed(monkeypatch):
    """A download the test did not read to the end keeps its file open until the garbage collector finds it, which
    then warns in whichever test is running (an unclosed file in a chart test). Read what is left of each streamed
    response at the end of its test: the test client's wrapper then closes it, as a server would."""
    streamed = []
    request = Client.request

    def keeping(self, **kwargs):
        response = request(self, **kwargs)
        if getattr(response, "streaming", False) and not getattr(response, "is_async", False):
            streamed.append(response)
        return response

    monkeypatch.setattr(Client, "request", keeping)
    yield
    for response in streamed:
        collections.deque(response.streaming_content, maxlen=0)


@pytest.fixture(autouse=True)
def _default_language():
    # A request to an /en/ page leaves English active in the thread (LocaleMiddleware never deactivates);
    # each test starts in the site's default language, as a new request would.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# pytest-django's snapshot of the freshly migrated database, kept from the first test that saw it: once Playwright
# runs, tests see another connection object that does not carry it (see tests/browser/conftest.py).
_MIGRATED_ROWS = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    result = yield
    if "rows" not in _MIGRATED_ROWS:
        from django.db import connection

        rows = getattr(connection, "_test_serialized_contents", None)
        if rows:
            _MIGRATED_ROWS["rows"] = rows
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # A transactional test ends by flushing the database. Serially pytest-django runs those tests last and the
    # browser tests restore the rows they need; under pytest-xdist a test file stays on one worker, so a file that
    # mixes both kinds hands the next file an empty database. Put the migrated rows (locales, roles, themes, the
    # page root) back after every transactional test that is followed by another test.
    result = yield
    if nextitem is not None and _flushes_database(item):
        _restore_migrated_rows(item.config)
    return result


def _flushes_database(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return "transactional_db" in item.fixturenames or "live_server" in item.fixturenames


def _restore_migrated_rows(config):
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    rows = _MIGRATED_ROWS.get("rows") or getattr(connection, "_test_serialized_contents", None)
    if not rows:
        return  # no test asked for serialized rollback, so pytest-django took no snapshot
    with config.stash[blocking_manager_key].unblock():
        # Flush again as Django's own teardown does: without post_migrate (rows it recreated, content types and
        # permissions, would collide with the snapshot's ids) and keeping the sequences (on PostgreSQL a reset
        # sequence would hand out the snapshot's ids again).
        call_command("flush", interactive=False, inhibit_post_migrate=True, reset_sequences=False, verbosity=0)
        ContentType.objects.clear_cache()
        # Content types first: building a Wagtail task from the snapshot looks its own type up (Task.__init__)
        # and would create it under a new id if it were not there yet.
        types = [row for row in json.loads(rows) if row["model"] == "contenttypes.contenttype"]
        connection.creation.deserialize_db_from_string(json.dumps(types))
        connection.creation.deserialize_db_from_string(rows)
    ContentType.objects.clear_cache()


@pytest.fixture
def one_rate_window(monkeypatch):
    """One django-ratelimit window for the whole test, so a minute boundary cannot reset a count half-way."""
    monkeypatch.setattr("django_ratelimit.core._get_window", lambda value, period: 4_000_000_000)


@pytest.fixture
def site_pages(db):
    from tests.factories import build_site

    return build_site()
