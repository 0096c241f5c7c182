"""How long the base takes to handle each kind of service request (pure rules, no database).

A due date counts working days (Monday to Friday) from the day after the request, in Asia/Shanghai. Public
holidays and their make-up working days are not counted yet: the State Council publishes them a year at a time, so
an officer moves a due date by hand around Spring Festival and National Day.
"""

import datetime

from .models.service_requests import ServiceKind

# Working days per service: what the base promises teams on its service page.
SLA_DAYS = {
    ServiceKind.COMPANY_REGISTRATION: 5,
    ServiceKind.INCUBATION_SEAT: 3,
    ServiceKind.FINANCING: 10,
    ServiceKind.IP: 10,
    ServiceKind.LEGAL: 5,
    ServiceKind.VISA: 7,
    ServiceKind.HOUSING: 15,
    ServiceKind.SCHOOLING: 20,
}


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def due_on(kind, requested_on: datetime.date) -> datetime.date:
    return add_working_days(requested_on, SLA_DAYS[ServiceKind(kind)])


def working_days_late(due: datetime.date, today: datetime.date) -> int:
    """Working days past ``due`` (0 when not late): what the officer's dashboard shows."""
    late, day = 0, due
    while day < today:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            late += 1
    return late
