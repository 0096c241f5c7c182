"""The fund's permission matrix (funds_table.py): every funds URL and the reviews engine's material URLs, GET and
POST, as each person of the fund's world (funds_probes.py). Each request runs in a rolled-back transaction, so every
cell starts from the same world; a refused request must change nothing.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from portal.opinions import services as opinion_services

from . import funds_table as table
from .funds_probes import build, probes
from .runner import Fingerprint, check_row, check_shape, login_paths, send
from .test_matrix import pattern_names
from .world import TINY_PDF

pytestmark = pytest.mark.django_db

COUNTED_APPS = ("funds", "reviews", "voting", "opinions", "applications", "history", "notifications")
STATEFUL = (
    "funds.Deal",
    "funds.CommitteeMeeting",
    "funds.AgendaItem",
    "funds.KpiReport",
    "funds.Disbursement",
    "funds.IndicatorSet",
    "funds.PerformanceEvaluation",
    "reviews.ReviewRound",
    "reviews.Assignment",
)


def _fingerprint():
    return Fingerprint(COUNTED_APPS, models=(ModelLogEntry,), stateful=STATEFUL)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(opinion_services, "render_signed_pdf", lambda opinion: TINY_PDF + opinion.number.encode())
        with transaction.atomic():
            built = build()
            built.probes = probes(built)
            built.fingerprint = _fingerprint()
            built.login_paths = login_paths()
            yield built
            transaction.set_rollback(True)


def test_every_funds_url_is_in_the_table():
    found = {name for name in pattern_names() if name.startswith("funds:")}
    assert found == {name for name in table.TABLE if name.startswith("funds:")}


def test_every_row_has_one_cell_per_user_and_a_probe(world):
    check_shape(table, world.probes)


def _run(world, who, method, url, probe):
    return send(world, who, method, url, probe.body() if method == "post" else None, probe.query)


@pytest.mark.parametrize("name", sorted(table.TABLE))
def test_cells(world, name):
    probe = world.probes[name]
    with translation.override("zh-hans"):
        url = reverse(name, kwargs=probe.kwargs)
    check_row(name, table.TABLE[name], table.USERS, url, lambda who, method: _run(world, who, method, url, probe))
