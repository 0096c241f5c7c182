"""The resource libraries' matrix (talent_libraries_table.py): every library, matching and introduction URL, GET and
POST, as each person of the world (talent_libraries_probes.py). Each request runs in a rolled-back transaction; a
refused request must change nothing."""

import pytest

from . import talent_libraries_table as table
from .talent_libraries_probes import build, probes
from .talent_matrix import talent_matrix
from .test_matrix import pattern_names

pytestmark = pytest.mark.django_db

COUNTED_APPS = ("talent", "history", "notifications")
STATEFUL = ("talent.ProjectListing", "talent.EnterpriseDemand", "talent.PatentListing", "talent.Introduction")

MINE = set(table.TABLE)

world, test_every_row_has_one_cell_per_user_and_a_probe, test_cells = talent_matrix(
    table, build, probes, counted_apps=COUNTED_APPS, stateful=STATEFUL
)


def test_every_library_and_introduction_url_is_in_the_table():
    mine = {
        name
        for name in pattern_names()
        if name.startswith(("talent:listing", "talent:introduction", "talent:librar", "talent:my_listings"))
    }
    assert mine | {"talent:experts", "talent:my_introductions"} == MINE
