"""What the talent matrix modules share (test_talent_base_matrix.py, …_services_, …_libraries_, …_roadshows_): the
module's world, built once from its probes and rolled back at the end, the check that every row has its cells and a
probe, and one parametrised test per row. A module keeps only what is its own: its table, probes, the apps whose rows
a request may change, the models whose rows must not change when a request is refused, and its own URL check::

    world, test_every_row_has_one_cell_per_user_and_a_probe, test_cells = talent_matrix(
        table, build, probes, counted_apps=("talent", "history"), stateful=("talent.Roadshow",)
    )
"""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from .runner import Fingerprint, check_row, check_shape, login_paths, send


def talent_matrix(table, build, probes, *, counted_apps, stateful, patches=()):
    """The ``world`` fixture and the two tests of a matrix module; ``patches``: (object, attribute, value) set for
    the world's lifetime (a stand-in for slow PDF rendering, say)."""

    @pytest.fixture(scope="module", name="world")
    def world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
            for target, attribute, value in patches:
                patch.setattr(target, attribute, value)
            with transaction.atomic():
                built = build()
                built.probes = probes(built)
                built.fingerprint = Fingerprint(counted_apps, models=(ModelLogEntry,), stateful=stateful)
                built.login_paths = login_paths()
                yield built
                transaction.set_rollback(True)

    def test_every_row_has_one_cell_per_user_and_a_probe(world):
        check_shape(table, world.probes)

    @pytest.mark.parametrize("name", sorted(table.TABLE))
    def test_cells(world, name):
        probe = world.probes[name]
        with translation.override("zh-hans"):
            url = reverse(name, kwargs=probe.kwargs)

        def answer(who, method):
            return send(world, who, method, url, probe.body() if method == "post" else None)

        check_row(name, table.TABLE[name], table.USERS, url, answer)

    return world, test_every_row_has_one_cell_per_user_and_a_probe, test_cells
