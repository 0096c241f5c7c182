"""The public notice's and the filing's matrix (talent_notice_table.py): the public page and objection form, the
officers' objection pages, filing and the decision, GET and POST, as each person of the world
(talent_notice_probes.py). Each request runs in a rolled-back transaction; a refused request must change nothing."""

import pytest

from portal.opinions import services as opinion_services
from talent.views import notices as notice_views

from . import talent_notice_table as table
from .talent_matrix import talent_matrix
from .talent_notice_probes import build, probes
from .test_matrix import pattern_names
from .world import TINY_PDF

pytestmark = pytest.mark.django_db

COUNTED_APPS = ("talent", "applications", "opinions", "history", "notifications")
STATEFUL = ("talent.SpecialTalentApplication", "talent.Objection", "applications.Application", "opinions.Opinion")

world, test_every_row_has_one_cell_per_user_and_a_probe, test_cells = talent_matrix(
    table,
    build,
    probes,
    counted_apps=COUNTED_APPS,
    stateful=STATEFUL,
    patches=(
        # The filing form's PDF: a stand-in, the matrix is about who may, not about rendering.
        (opinion_services, "render_signed_pdf", lambda opinion: TINY_PDF + opinion.number.encode()),
        # Eleven people object from one address in each row: the limit has its own test (test_special_notice.py).
        (notice_views, "OBJECTION_RATE", "1000/h"),
    ),
)


def test_the_tables_rows_are_talent_urls():
    assert set(pattern_names()) >= set(table.TABLE)
