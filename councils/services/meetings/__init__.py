"""Services: meetings of a workspace, split by subject — convening (schedule, change, open with the quorum,
close, cancel, guests, answers), the agenda, attendance with proxies, minutes and their approval, action items.
This file only re-exports what callers use as ``councils.services.meetings.<name>``."""

from .action_items import add_action_item, set_action_item_status
from .agenda import add_agenda_item, add_minutes_to_agenda, move_agenda_item, remove_agenda_item
from .attendance import record_attendance
from .common import ACTIONS, AGENDA_OPEN_STATES, charter_rules, required_presence
from .convening import (
    cancel_meeting,
    close_meeting,
    invite_guest,
    open_meeting,
    rsvp,
    schedule_meeting,
    update_meeting,
)
from .minutes import approve_minutes, circulate_minutes, save_minutes

__all__ = [
    "ACTIONS",
    "AGENDA_OPEN_STATES",
    "add_action_item",
    "add_agenda_item",
    "add_minutes_to_agenda",
    "approve_minutes",
    "cancel_meeting",
    "charter_rules",
    "circulate_minutes",
    "close_meeting",
    "invite_guest",
    "move_agenda_item",
    "open_meeting",
    "record_attendance",
    "remove_agenda_item",
    "required_presence",
    "rsvp",
    "save_minutes",
    "schedule_meeting",
    "set_action_item_status",
    "update_meeting",
]
