"""The service requests' matrix (talent_services_table.py): every service-request URL, GET and POST, as each person
of the world (talent_services_probes.py). Each request runs in a rolled-back transaction; a refused request must
change nothing."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from . import talent_services_table as table
from .runner import Fingerprint, check_row, check_shape, login_paths, send
from .talent_services_probes import build, probes
from .test_matrix import pattern_names

pytestmark = pytest.mark.django_db

COUNTED_APPS = ("talent", "funds", "history", "notifications")
STATEFUL = ("talent.ServiceRequest",)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build()
        built.probes = probes(built)
        built.fingerprint = Fingerprint(COUNTED_APPS, models=(ModelLogEntry,), stateful=STATEFUL)
        built.login_paths = login_paths()
        yield built
        transaction.set_rollback(True)


def test_every_service_request_url_is_in_the_table():
    found = {name for name in pattern_names() if name.startswith(("talent:service", "talent:my_services"))}
    assert found == set(table.TABLE)


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
