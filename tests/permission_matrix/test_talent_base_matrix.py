"""The offshore base's matrix (talent_base_table.py): every public talent page and every office page of a base
application, GET and POST, as each person of the world (talent_base_probes.py). Each request runs in a rolled-back
transaction; a refused request must change nothing."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from portal.opinions import services as opinion_services

from . import talent_base_table as table
from .runner import Fingerprint, check_row, check_shape, login_paths, send
from .talent_base_probes import build, probes
from .test_matrix import pattern_names
from .world import TINY_PDF

pytestmark = pytest.mark.django_db

COUNTED_APPS = ("talent", "applications", "reviews", "opinions", "history", "notifications")
STATEFUL = ("talent.BaseApplication", "applications.Application", "reviews.ReviewRound", "opinions.Opinion")

# The URLs of this table; the other talent tables cover the rest of talent's.
MINE = set(table.TABLE)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(opinion_services, "render_signed_pdf", lambda opinion: TINY_PDF + opinion.number.encode())
        with transaction.atomic():
            built = build()
            built.probes = probes(built)
            built.fingerprint = Fingerprint(COUNTED_APPS, models=(ModelLogEntry,), stateful=STATEFUL)
            built.login_paths = login_paths()
            yield built
            transaction.set_rollback(True)


def test_the_tables_rows_are_talent_urls():
    assert MINE <= set(pattern_names())


def test_every_row_has_one_cell_per_user_and_a_probe(world):
    check_shape(table, world.probes)


def _run(world, who, method, url, probe):
    return send(world, who, method, url, probe.body() if method == "post" else None)


@pytest.mark.parametrize("name", sorted(table.TABLE))
def test_cells(world, name):
    probe = world.probes[name]
    with translation.override("zh-hans"):
        url = reverse(name, kwargs=probe.kwargs)
    check_row(name, table.TABLE[name], table.USERS, url, lambda who, method: _run(world, who, method, url, probe))
