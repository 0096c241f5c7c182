"""Browser tests: the Debian chromium driven by pytest-playwright against pytest-django's live server."""

import os

# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import pytest  # noqa: E402

from tests import seeded_demo  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Never download a browser: use the Debian package.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session", autouse=True)
def migrated_rows_snapshot(django_db_setup):
    """pytest-django's snapshot of the freshly migrated test database (roles, locales, themes, page root).

    Taken here, before Playwright starts: Playwright's sync API runs the tests in another context, where
    Django's connection object is a different one that does not carry the snapshot.
    """
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture
def demo_site(django_db_serialized_rollback, live_server, transactional_db, migrated_rows_snapshot):
    """The demo data on the live server; returns the live server's base URL.

    Live-server tests flush the database afterwards, and with it the rows that data migrations create.
    Django's serialized rollback restores them before the next test (and keeps the flush from recreating
    content types) only if the connection carries the snapshot, so hand it to this context's connection.
    """
    from django.db import connection
    from wagtail.models import Locale, Site

    assert migrated_rows_snapshot, "the test database was not serialized after migrating"
    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = migrated_rows_snapshot
    assert Locale.objects.exists(), "the migrated rows were not restored after the previous live-server test"
    # The demo without the fund's part (44 companies, 61 deals, 15 issued PDFs) and the talent base's (17
    # applications through every stage): no journey here walks them; the fund's and the talent base's journeys build
    # their own world, and tests/test_funds_demo.py and tests/test_seed_demo.py check those demos. Seeded once and
    # copied in on SQLite (tests/seeded_demo.py).
    seeded_demo.seed(without=["funds", "talent"])

    # Point the default site at the live server so Wagtail never has to guess.
    parts = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=parts.hostname, port=parts.port)
    return live_server.url


@pytest.fixture
def shot():
    """`shot(page, "01-home-zh")` saves a full-page PNG into test-artifacts/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    written = []

    def take(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        written.append(path)
        return path

    take.written = written
    return take
