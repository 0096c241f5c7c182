"""The service requests' matrix (talent_services_table.py): every service-request URL, GET and POST, as each person
of the world (talent_services_probes.py). Each request runs in a rolled-back transaction; a refused request must
change nothing."""

import pytest

from . import talent_services_table as table
from .talent_matrix import talent_matrix
from .talent_services_probes import build, probes
from .test_matrix import pattern_names

pytestmark = pytest.mark.django_db

COUNTED_APPS = ("talent", "funds", "history", "notifications")
STATEFUL = ("talent.ServiceRequest",)

world, test_every_row_has_one_cell_per_user_and_a_probe, test_cells = talent_matrix(
    table, build, probes, counted_apps=COUNTED_APPS, stateful=STATEFUL
)


def test_every_service_request_url_is_in_the_table():
    found = {name for name in pattern_names() if name.startswith(("talent:service", "talent:my_services"))}
    assert found == set(table.TABLE)
