"""What the meeting services share: their audit actions, the charter's rules, whom to tell and how a meeting's
time and place read in a message."""

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portal.text import fmt
from portal.voting.tally import required_present

from ...models import CharterVersion, MeetingState

# Audit-log actions of the meeting services: {action: (label, message)}; registered in wagtail_hooks.
ACTIONS = {
    "councils.schedule_meeting": (_("Schedule meeting"), _("Meeting scheduled")),
    "councils.update_meeting": (_("Change meeting"), _("Meeting changed")),
    "councils.add_agenda_item": (_("Add agenda item"), _("Agenda item added")),
    "councils.remove_agenda_item": (_("Remove agenda item"), _("Agenda item removed")),
    "councils.move_agenda_item": (_("Move agenda item"), _("Agenda item moved")),
    "councils.invite_guest": (_("Invite guest to meeting"), _("Guest invited to meeting")),
    "councils.rsvp": (_("Answer meeting invitation"), _("Meeting invitation answered")),
    "councils.record_attendance": (_("Record meeting attendance"), _("Meeting attendance recorded")),
    "councils.open_meeting": (_("Open meeting"), _("Meeting opened")),
    "councils.close_meeting": (_("Close meeting"), _("Meeting closed")),
    "councils.cancel_meeting": (_("Cancel meeting"), _("Meeting cancelled")),
    "councils.save_minutes": (_("Save minutes"), _("Minutes saved")),
    "councils.circulate_minutes": (_("Circulate minutes"), _("Minutes circulated")),
    "councils.approve_minutes": (_("Approve minutes"), _("Minutes approved")),
    "councils.add_action_item": (_("Assign action item"), _("Action item assigned")),
    "councils.set_action_item_status": (_("Change action item status"), _("Action item status changed")),
}

AGENDA_OPEN_STATES = (MeetingState.SCHEDULED, MeetingState.IN_PROGRESS)

# ⌈quorum × voting members⌉, exactly: the voting engine's arithmetic, so a meeting and its polls agree.
required_presence = required_present


def join_lines(*parts):
    """Lazy lines, each translated when the recipient's message is built."""
    return lazy(lambda: "\n".join(str(part) for part in parts if part), str)()


def when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def same_workspace(one, other) -> bool:
    return one.council_id == other.council_id and one.committee_id == other.committee_id


def charter_rules(council):
    """The charter version in force; without one, the model's defaults (an unsaved CharterVersion)."""
    return council.charter_version_in_force() or CharterVersion()


def invitees(meeting, actor=None):
    """Active invitees of a meeting, less the actor: whom to tell about it."""
    users = [invitation.user for invitation in meeting.invitations.select_related("user")]
    return [user for user in users if user.is_active and (actor is None or user.pk != actor.pk)]


def place_lines(meeting):
    return (
        fmt(_("Starts: %(when)s"), when=when(meeting.starts_at)),
        fmt(_("Ends: %(when)s"), when=when(meeting.ends_at)) if meeting.ends_at else "",
        fmt(_("Place: %(place)s"), place=meeting.location) if meeting.location else "",
        fmt(_("Online: %(link)s"), link=meeting.online_link) if meeting.online_link else "",
    )
