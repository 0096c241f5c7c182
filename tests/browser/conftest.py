"""Browser tests: the Debian chromium driven by pytest-playwright against pytest-django's live server."""

import os

# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402

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


@pytest.fixture
def demo_site(django_db_serialized_rollback, live_server, transactional_db):
    """The demo data on the live server; returns the live server's base URL.

    Live-server tests flush the database afterwards, which would also remove rows that migrations
    create (roles, locales, the root page); serialized rollback restores them for the next test.
    """
    call_command("seed_demo")
    from wagtail.models import Site

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
