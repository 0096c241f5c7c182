"""The roadshows' matrix (talent_roadshows_table.py): every roadshow URL, GET and POST, as each person of the world
(talent_roadshows_probes.py). Each request runs in a rolled-back transaction; a refused request must change
nothing."""

import pytest

from . import talent_base_table
from . import talent_roadshows_table as table
from .talent_matrix import talent_matrix
from .talent_roadshows_probes import build, probes
from .test_matrix import pattern_names

pytestmark = pytest.mark.django_db

COUNTED_APPS = ("talent", "history", "notifications")
STATEFUL = ("talent.RoadshowProject", "talent.InvestorRegistration", "talent.RoadshowFeedback")

world, test_every_row_has_one_cell_per_user_and_a_probe, test_cells = talent_matrix(
    table, build, probes, counted_apps=COUNTED_APPS, stateful=STATEFUL
)


def test_every_roadshow_url_is_in_the_table():
    found = {name for name in pattern_names() if name.startswith(("talent:roadshow", "talent:office_roadshows"))}
    # Announcing and changing a roadshow is the office's schedule, classified with the calls (talent_base_table).
    assert found - set(talent_base_table.TABLE) == set(table.TABLE)
