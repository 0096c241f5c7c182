"""The talent work meeting's matrix (talent_deliberation_table.py): every page and step of the meetings, GET and
POST, as each person of the world (talent_deliberation_probes.py). Each request runs in a rolled-back transaction; a
refused request must change nothing."""

import pytest

from . import talent_deliberation_table as table
from .talent_deliberation_probes import build, probes
from .talent_matrix import talent_matrix
from .test_matrix import pattern_names

pytestmark = pytest.mark.django_db

COUNTED_APPS = ("talent", "applications", "voting", "history", "notifications")
STATEFUL = ("talent.Deliberation", "talent.DeliberationItem", "talent.SpecialTalentApplication", "voting.Poll")

world, test_every_row_has_one_cell_per_user_and_a_probe, test_cells = talent_matrix(
    table, build, probes, counted_apps=COUNTED_APPS, stateful=STATEFUL
)


def test_the_tables_rows_are_talent_urls():
    assert set(pattern_names()) >= set(table.TABLE)


def test_every_meeting_url_is_in_the_table():
    assert {name for name in pattern_names() if name.startswith("talent:deliberation")} == set(table.TABLE)
