"""One permission matrix over every URL pattern of the project (DESIGN.md, Access; issue 8).

``test_every_pattern_is_classified`` walks the URL resolver: a pattern missing from ``table.TABLE`` fails, and so
does a table entry whose pattern is gone. ``test_cells`` then sends, for every pattern, a GET and a POST as each
person in ``table.USERS`` and compares what happened with the table. Every request runs inside a transaction
that is rolled back, so each cell starts from the same world (built once per module, world.build()). A refused
request must change nothing (a fingerprint of the engines' and councils' tables and of the audit log), and a
permitted POST must change something (unless its row says ``writes=False``).

To see what the code answers today, run with ``PERMISSION_MATRIX_DUMP=/tmp/matrix.txt``: every cell's observed
outcome is written there, mismatches marked with ``!``.
"""

from importlib import import_module
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from wagtail.models import ModelLogEntry, PageLogEntry

from portal.opinions import services as opinion_services

from . import table
from .runner import Fingerprint, changes, check_row, login_paths, outcome
from .world import TINY_PDF, build, probes

# Every test here uses the database; the module's world is built in an outer transaction (see ``world``).
pytestmark = pytest.mark.django_db

# Wagtail's own URLconfs are classified as one entry each, by their include, because their views are Wagtail's
# (admin permission checks, document privacy, page privacy) and their URLs change with every Wagtail release:
# the admin entry, the documents entry and the page-serving catch-all (with its _util/ helpers; portal.pages.urls
# is the same catch-all, served through the remembered routes, with Wagtail's page privacy).
COLLAPSED = {
    "portal.pages.urls": "wagtail-pages",
    "wagtail.admin.urls": "wagtail-admin",
    "wagtail.documents.urls": "wagtail-documents",
    "wagtail.urls": "wagtail-pages",
}
# Refused requests must change none of these apps' rows, nor the audit log.
FINGERPRINT_APPS = (
    "councils",
    "voting",
    "opinions",
    "reviews",
    "experts",
    "notifications",
    "organizations",
    "accounts",
)


def _module_name(resolver):
    module = resolver.urlconf_name
    return module if isinstance(module, str) else getattr(module, "__name__", "")


def walk(patterns=None, prefix="", namespace=""):
    """(key, route) for every pattern. The i18n prefix contributes nothing, so each pattern is seen once
    (Chinese at /, English at /en/ are the same pattern)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            route = prefix + ("" if type(entry.pattern).__name__ == "LocalePrefixPattern" else str(entry.pattern))
            module = _module_name(entry)
            if module in COLLAPSED:
                yield COLLAPSED[module], route
                continue
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            yield (f"{namespace}{entry.name}" if entry.name else route), route


def pattern_names():
    found = {}
    for key, route in walk():
        found.setdefault(key, route)
    return found


def domain_tables():
    """Every table module of this package besides the main one (applications_table, funds_table, talent_*_table …):
    each domain part classifies its own URLs in its own table and runs it on its own world."""
    package = Path(__file__).parent
    names = sorted(path.stem for path in package.glob("*_table.py"))
    return [import_module(f"{__package__}.{name}") for name in names]


def test_every_pattern_is_classified():
    found = pattern_names()
    keys = [*table.TABLE]
    for module in domain_tables():
        keys += list(module.TABLE)
    classified = {key.split("#")[0] for key in keys}
    missing = sorted(set(found) - classified)
    gone = sorted(classified - set(found))
    assert not missing, (
        "URL patterns not in the permission matrix: "
        + ", ".join(f"{name} ({found[name]})" for name in missing)
        + ". Classify each in tests/permission_matrix/table.py (who gets what on GET and POST) and give it a "
        "request in world.probes()."
    )
    assert not gone, f"The permission matrix classifies patterns that no longer exist: {', '.join(gone)}"


def test_every_row_has_one_cell_per_user_and_method():
    for name, row in table.TABLE.items():
        for method in ("get", "post"):
            cells = getattr(row, method)
            assert set(cells) == set(table.USERS), f"{name} {method}: one cell per user"
            assert set(cells.values()) <= table.OUTCOMES, f"{name} {method}: unknown outcome"


def test_every_row_has_a_probe(world):
    assert set(world.probes) == set(table.TABLE)


# Rows whose updates (a state, a title, a vote) matter beside the row counts of every table above.
STATEFUL = (
    "councils.Motion",
    "councils.Meeting",
    "councils.AgendaItem",
    "councils.Invitation",
    "councils.Minutes",
    "councils.ActionItem",
    "councils.PolicyFeedback",
    "councils.Document",
    "opinions.Opinion",
    "opinions.SignOff",
    "voting.Poll",
    "reviews.ReviewRound",
    "reviews.Assignment",
    "accounts.User",
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module and rolled back after it. Issued PDFs are a fixed tiny document here: the
    matrix is about who may, not about rendering."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(opinion_services, "render_signed_pdf", lambda opinion: TINY_PDF + opinion.number.encode())
        with transaction.atomic():
            built = build()
            built.probes = probes(built)
            built.fingerprint = Fingerprint(FINGERPRINT_APPS, models=(ModelLogEntry, PageLogEntry), stateful=STATEFUL)
            built.login_paths = login_paths()
            built.cookies = _sessions(built.users)
            built.baseline = built.fingerprint.take()
            yield built
            transaction.set_rollback(True)


def _sessions(users):
    """One logged-in session per person, made in the module's transaction: each cell reuses its cookie, so a
    cell's own writes are only the request's (a cell that logs out or changes a password is rolled back)."""
    cookies = {}
    for who, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        cookies[who] = client.cookies
    return cookies


def _url(name, probe):
    if probe.path is not None:
        return probe.path
    with translation.override("zh-hans"):
        return reverse(name.split("#")[0], kwargs=probe.kwargs)


def run_cell(world, who, method, url, probe):
    """Send one request in a rolled-back transaction; (outcome, changed, error text)."""
    cache.clear()  # rate limits and login throttling count per cell, not across the matrix
    with transaction.atomic():
        client = Client(raise_request_exception=False)
        client.cookies.update(world.cookies[who])
        headers = {"HTTP_HX_REQUEST": "true"} if probe.htmx else {}
        if method == "get":
            response = client.get(url + probe.query, **headers)
        else:
            response = client.post(url, probe.body(), **headers)
        after = world.fingerprint.take(rows=method == "post")
        transaction.set_rollback(True)
    # Every cell starts from the same rows (the previous one was rolled back), so one baseline serves all.
    changed = changes(world.baseline, after)
    error = ""
    if getattr(response, "exc_info", None):
        error = repr(response.exc_info[1])
    return outcome(response, world.login_paths), changed, error


@pytest.mark.parametrize("name", sorted(table.TABLE))
def test_cells(world, name):
    probe = world.probes[name]
    url = _url(name, probe)
    check_row(name, table.TABLE[name], table.USERS, url, lambda who, method: run_cell(world, who, method, url, probe))


@override_settings(PAGE_CACHE_ENABLED=False)
def test_verify_is_rate_limited(world, one_rate_window):
    """/verify/ is public but limited per client and page: past the rate the answer is LIMITED. (Rendered pages are
    counted: the start page without a code, which has nothing to guess, is otherwise served from the page cache.)"""
    from portal.opinions.views import VERIFY_RATE

    allowed = int(VERIFY_RATE.split("/")[0])
    for name in ("verify:start", "verify:detail", "verify:pdf"):
        cache.clear()
        client = Client()
        url = _url(name, world.probes[name])
        answers = [outcome(client.get(url), world.login_paths) for _ in range(allowed + 1)]
        assert answers == [table.OK] * allowed + [table.LIMITED], name
