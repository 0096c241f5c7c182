"""The special-talent office's matrix (talent_special_table.py): the list, the application's page and each office
step of parts A, GET and POST, as each person of the world (talent_special_probes.py). Each request runs in a
rolled-back transaction; a refused request must change nothing."""

import pytest

from portal.opinions import services as opinion_services

from . import talent_special_table as table
from .talent_matrix import talent_matrix
from .talent_special_probes import build, probes
from .test_matrix import pattern_names
from .world import TINY_PDF

pytestmark = pytest.mark.django_db

COUNTED_APPS = ("talent", "applications", "reviews", "opinions", "history", "notifications")
STATEFUL = (
    "talent.SpecialTalentApplication",
    "applications.Application",
    "reviews.ReviewRound",
    "opinions.Opinion",
)

world, test_every_row_has_one_cell_per_user_and_a_probe, test_cells = talent_matrix(
    table,
    build,
    probes,
    counted_apps=COUNTED_APPS,
    stateful=STATEFUL,
    # The opinion's PDF: a stand-in, the matrix is about who may, not about rendering.
    patches=((opinion_services, "render_signed_pdf", lambda opinion: TINY_PDF + opinion.number.encode()),),
)


def test_the_tables_rows_are_talent_urls():
    assert set(pattern_names()) >= set(table.TABLE)
