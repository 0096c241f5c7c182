"""Services: a meeting's agenda — items added, moved and removed while the meeting is scheduled or running;
the circulated minutes of an earlier meeting put up for approval."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from portal.history.record import record
from portal.text import fmt, max_length

from ... import permissions
from ...models import AgendaItem, Minutes, MinutesState
from ..common import clean_one, lock_scoped
from .common import AGENDA_OPEN_STATES, same_workspace


def _agenda_open(meeting):
    if meeting.state not in AGENDA_OPEN_STATES:
        raise ValidationError(
            _("The agenda can only change while the meeting is scheduled or in progress."), code="state"
        )


def _renumber(meeting):
    """Positions 1..n in the agenda's order; returns the items."""
    items = list(AgendaItem.objects.select_for_update().filter(meeting=meeting).order_by("position", "pk"))
    changed = []
    for index, item in enumerate(items, start=1):
        if item.position != index:
            item.position = index
            changed.append(item)
    if changed:
        AgendaItem.objects.bulk_update(changed, ["position"])
    return items


def _append(meeting, **fields):
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"] or 0
    return AgendaItem.objects.create(meeting=meeting, position=last + 1, **fields)


@transaction.atomic
def add_agenda_item(*, actor, meeting, title, description=""):
    """A new item at the end of the agenda."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    _agenda_open(meeting)
    title = clean_one(AgendaItem, "title", title, required=_("Give the agenda item a title."))
    item = _append(meeting, title=title, description=(description or "").strip())
    record(
        "councils.add_agenda_item",
        actor=actor,
        instance=meeting,
        data={"item": item.pk, "title": title, "position": item.position},
    )
    return item


@transaction.atomic
def add_minutes_to_agenda(*, actor, meeting, minutes):
    """Put the circulated minutes of an earlier meeting of the same workspace up for approval."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    _agenda_open(meeting)
    minutes = Minutes.objects.select_related("meeting").get(pk=minutes.pk)
    earlier = minutes.meeting
    if not same_workspace(earlier, meeting):
        raise ValidationError({"minutes": _("These minutes belong to another workspace.")}, code="workspace")
    if earlier.starts_at >= meeting.starts_at:
        raise ValidationError(
            {"minutes": _("Only the minutes of an earlier meeting can be approved at this one.")}, code="order"
        )
    if minutes.state != MinutesState.CIRCULATED:
        raise ValidationError({"minutes": _("Only circulated minutes can be put up for approval.")}, code="state")
    if AgendaItem.objects.filter(meeting=meeting, minutes=minutes).exists():
        raise ValidationError({"minutes": _("These minutes are already on the agenda.")}, code="duplicate")
    title = str(fmt(_("Approval of the minutes of %(meeting)s"), meeting=earlier.title))
    title = title[: max_length(AgendaItem, "title")]
    item = _append(meeting, title=title, minutes=minutes)
    record(
        "councils.add_agenda_item",
        actor=actor,
        instance=meeting,
        data={"item": item.pk, "title": title, "position": item.position, "minutes": minutes.pk},
    )
    return item


@transaction.atomic
def remove_agenda_item(*, actor, item):
    meeting = item.meeting
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    _agenda_open(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.motion_id:
        raise ValidationError(
            _("This item carries a motion. Take the motion off the agenda from the motion's page."), code="motion"
        )
    data = {"item": item.pk, "title": item.title, "position": item.position}
    item.delete()
    _renumber(meeting)
    record("councils.remove_agenda_item", actor=actor, instance=meeting, data=data)


@transaction.atomic
def move_agenda_item(*, actor, item, up):
    """Swap an item with the one before (up) or after it."""
    meeting = item.meeting
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    _agenda_open(meeting)
    items = _renumber(meeting)
    index = next((i for i, candidate in enumerate(items) if candidate.pk == item.pk), None)
    if index is None:
        raise ValidationError(_("This item is no longer on the agenda."), code="missing")
    other = index - 1 if up else index + 1
    if other < 0 or other >= len(items):
        raise ValidationError(_("The item is already first.") if up else _("The item is already last."), code="edge")
    mine, theirs = items[index], items[other]
    mine.position, theirs.position = theirs.position, mine.position
    AgendaItem.objects.bulk_update([mine, theirs], ["position"])
    record(
        "councils.move_agenda_item",
        actor=actor,
        instance=meeting,
        data={"item": mine.pk, "title": mine.title, "position": mine.position},
    )
    return mine
