"""The service requests' SLA (talent/sla.py): due dates in working days, every kind covered, lateness."""

import datetime

import pytest

from talent import sla
from talent.models import ServiceKind

FRIDAY = datetime.date(2026, 11, 27)
MONDAY = datetime.date(2026, 11, 30)
SATURDAY = datetime.date(2026, 11, 28)


def test_every_kind_has_a_positive_sla():
    assert set(sla.SLA_DAYS) == set(ServiceKind)
    assert all(isinstance(days, int) and days > 0 for days in sla.SLA_DAYS.values())


def test_the_start_day_never_counts():
    assert sla.add_working_days(MONDAY, 1) == datetime.date(2026, 12, 1)
    assert sla.add_working_days(MONDAY, 0) == MONDAY


def test_weekends_are_skipped():
    assert sla.add_working_days(FRIDAY, 1) == MONDAY
    assert sla.add_working_days(SATURDAY, 1) == MONDAY
    assert sla.add_working_days(FRIDAY, 5) == datetime.date(2026, 12, 4)  # Mon..Fri of the next week
    assert sla.add_working_days(FRIDAY, 6) == datetime.date(2026, 12, 7)  # over a second weekend


def test_a_due_date_never_falls_on_a_weekend():
    for offset in range(14):
        start = MONDAY + datetime.timedelta(days=offset)
        for kind in ServiceKind:
            assert sla.due_on(kind, start).weekday() < 5


def test_due_on_reads_the_kind():
    # Incubation seat: 3 working days; from a Friday that is the next Wednesday.
    assert sla.due_on(ServiceKind.INCUBATION_SEAT, FRIDAY) == datetime.date(2026, 12, 2)
    assert sla.due_on("schooling", MONDAY) == datetime.date(2026, 12, 28)  # 20 working days = 4 weeks
    with pytest.raises(ValueError):
        sla.due_on("astrology", MONDAY)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        sla.add_working_days(MONDAY, -1)


@pytest.mark.parametrize(
    ("today", "late"),
    [
        (datetime.date(2026, 11, 26), 0),  # before the due date
        (FRIDAY, 0),  # on the due date
        (SATURDAY, 0),  # the weekend after does not count
        (datetime.date(2026, 11, 29), 0),
        (MONDAY, 1),
        (datetime.date(2026, 12, 4), 5),
        (datetime.date(2026, 12, 7), 6),
    ],
)
def test_working_days_late(today, late):
    assert sla.working_days_late(FRIDAY, today) == late
