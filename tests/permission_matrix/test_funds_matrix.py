"""The fund's permission matrix (funds_table.py): every funds URL and the reviews engine's material URLs, GET and
POST, as each person of the fund's world (funds_probes.py). Each request runs in a rolled-back transaction, so every
cell starts from the same world; a refused request must change nothing.

``PERMISSION_MATRIX_DUMP=/tmp/funds.txt`` writes every observed cell there, mismatches marked with ``!``.
"""

import os

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from portal.opinions import services as opinion_services

from . import funds_table as table
from .funds_probes import build, probes
from .test_matrix import _login_paths, outcome, pattern_names
from .world import TINY_PDF

pytestmark = pytest.mark.django_db

COUNTED_APPS = ("funds", "reviews", "voting", "opinions", "applications", "history", "notifications")
STATEFUL = (
    "funds.Deal",
    "funds.CommitteeMeeting",
    "funds.AgendaItem",
    "funds.KpiReport",
    "funds.Disbursement",
    "reviews.ReviewRound",
    "reviews.Assignment",
)


def _fingerprint():
    counted = [model for label in COUNTED_APPS for model in apps.get_app_config(label).get_models()]
    taken = {model._meta.label: model._base_manager.count() for model in (*counted, ModelLogEntry)}
    for label in STATEFUL:
        model = apps.get_model(label)
        taken[f"{label} rows"] = repr(list(model._base_manager.order_by("pk").values_list()))
    return taken


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(opinion_services, "render_signed_pdf", lambda opinion: TINY_PDF + opinion.number.encode())
        with transaction.atomic():
            built = build()
            built.probes = probes(built)
            built.login_paths = _login_paths()
            built.baseline = _fingerprint()
            yield built
            transaction.set_rollback(True)


def test_every_funds_url_is_in_the_table():
    found = {name for name in pattern_names() if name.startswith("funds:")}
    assert found == {name for name in table.TABLE if name.startswith("funds:")}


def test_every_row_has_one_cell_per_user_and_a_probe(world):
    assert set(world.probes) == set(table.TABLE)
    for name, row in table.TABLE.items():
        for method in ("get", "post"):
            assert set(getattr(row, method)) == set(table.USERS), f"{name} {method}"


def _run(world, who, method, url, probe):
    with transaction.atomic():
        client = Client(raise_request_exception=False)
        if world.users[who] is not None:
            client.force_login(world.users[who])
        before = _fingerprint()
        response = client.get(url + probe.query) if method == "get" else client.post(url, probe.body())
        after = _fingerprint()
        transaction.set_rollback(True)
    changed = sorted(key for key in after if after[key] != before[key])
    error = repr(response.exc_info[1]) if getattr(response, "exc_info", None) else ""
    return outcome(response, world.login_paths), changed, error


@pytest.mark.parametrize("name", sorted(table.TABLE))
def test_cells(world, name):
    row, probe = table.TABLE[name], world.probes[name]
    with translation.override("zh-hans"):
        url = reverse(name, kwargs=probe.kwargs)
    failures, observed = [], []
    for method in ("get", "post"):
        for who in table.USERS:
            expected = getattr(row, method)[who]
            got, changed, error = _run(world, who, method, url, probe)
            problem = ""
            if got != expected:
                problem = f"expected {expected}, got {got}"
            elif got != table.OK and changed:
                problem = f"refused ({got}) but changed {', '.join(changed)}"
            elif got == table.OK and method == "post" and row.writes and not changed:
                problem = "permitted POST changed nothing"
            if error:
                problem += f" [{error}]"
            observed.append(f"{'!' if problem else ' '} {name:40} {method:4} {who:20} {got}")
            if problem:
                failures.append(f"{method.upper()} {url} as {who}: {problem}")
    dump = os.environ.get("PERMISSION_MATRIX_DUMP")
    if dump:
        with open(dump, "a", encoding="utf-8") as stream:
            stream.write("\n".join(observed) + "\n")
    assert not failures, f"{name}:\n  " + "\n  ".join(failures)
