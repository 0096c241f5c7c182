"""The ``seeded`` fixture: ``seed_demo`` once for a test module (seeding is the slow part), rolled back when the
module's tests are done; its value is the command's output. A module takes it with
``seeded = seeded_demo.seeded``."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
