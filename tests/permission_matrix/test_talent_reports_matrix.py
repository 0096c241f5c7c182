"""The special-talent reports' matrix (talent_reports_table.py): the report page and its workbook, GET and POST, as
each person of the world (talent_reports_probes.py). Each request runs in a rolled-back transaction; a refused
request must change nothing."""

import pytest

from . import talent_reports_table as table
from .talent_matrix import talent_matrix
from .talent_reports_probes import build, probes
from .test_matrix import pattern_names

pytestmark = pytest.mark.django_db

world, test_every_row_has_one_cell_per_user_and_a_probe, test_cells = talent_matrix(
    table, build, probes, counted_apps=("talent", "history", "notifications"), stateful=()
)


def test_every_report_url_is_in_the_table():
    found = {name for name in pattern_names() if name.startswith("talent:special_reports")}
    assert found == set(table.TABLE)
