"""Helpers for the talent work meeting's tests (part B): a meeting of the special world's five members with
applications on its agenda, taken through talent/services/deliberations.py as real use would."""

import datetime

from django.utils import timezone

from talent.models import SpecialStage
from talent.services import deliberations
from tests.special_world import reload, special_application


def starts_at(days=2):
    return timezone.now() + datetime.timedelta(days=days)


def waiting(world, count=1, **options):
    """``count`` applications waiting for the talent work meeting (each scored by the panel)."""
    return [
        special_application(world, stage=SpecialStage.DELIBERATION, name=f"候选人{number}", **options)
        for number in range(count)
    ]


def convened(world, *, members=None, title="2026年第五次区人才工作会议"):
    return deliberations.convene(
        actor=world.officer,
        programme=world.programme,
        title=title,
        title_en="Fifth district talent work meeting of 2026",
        starts_at=starts_at(),
        location="坪山区行政服务大厅 3楼会议室",
        members=world.members if members is None else members,
    )


def with_agenda(world, specials, *, recused=None, present=None, members=None):
    """A meeting with ``specials`` on its agenda (``recused``: {special pk: [users]}) and ``present`` recorded."""
    meeting = convened(world, members=members)
    items = [
        deliberations.add_item(
            actor=world.officer, deliberation=meeting, special=special, recused=(recused or {}).get(special.pk, ())
        )
        for special in specials
    ]
    deliberations.record_attendance(
        actor=world.officer, deliberation=meeting, present=world.members if present is None else present
    )
    return reload(meeting), items


def in_session(world, specials, **options):
    meeting, items = with_agenda(world, specials, **options)
    deliberations.open_session(actor=world.officer, deliberation=meeting)
    return reload(meeting), [reload(item) for item in items]
