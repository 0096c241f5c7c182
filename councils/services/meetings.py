"""Services: meetings of a workspace (agenda, invitations and answers, attendance with proxies, the quorum at
opening, minutes and their approval, action items).

Each function: permission, validation (nothing written before it passes), write, audit log, activity,
notification. State changes go through the models' django-fsm transitions; changed rows are locked.
"""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.notifications.services import notify
from portal.voting.tally import required_present

from .. import activity, permissions
from ..models import (
    RSVP,
    ActionItem,
    ActionItemStatus,
    ActivityVerb,
    AgendaItem,
    Attendance,
    CharterVersion,
    Committee,
    Invitation,
    Meeting,
    MeetingState,
    Membership,
    Minutes,
    MinutesRevision,
    MinutesState,
    MotionState,
)
from ..people import person_label
from .common import fmt, lock_scoped
from .seats import workspace_seats

# Audit-log actions of this module: {action: (label, message)}; registered in wagtail_hooks.
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

TITLE_MAX = 200
PLACE_MAX = 200
NOTE_MAX = 300
ACTION_TITLE_MAX = 300
AGENDA_OPEN_STATES = (MeetingState.SCHEDULED, MeetingState.IN_PROGRESS)


# Helpers ----------------------------------------------------------------------------------------------------


def _join(*parts):
    """Lazy lines, each translated when the recipient's message is built."""
    return lazy(lambda: "\n".join(str(part) for part in parts if part), str)()


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _section_url(workspace, name):
    if isinstance(workspace, Committee):
        return reverse(f"councils:committee_{name}", args=[workspace.council.slug, workspace.pk])
    return reverse(f"councils:{name}", args=[workspace.slug])


def _same_workspace(one, other) -> bool:
    return one.council_id == other.council_id and one.committee_id == other.committee_id


def charter_rules(council):
    """The charter version in force; without one, the model's defaults (an unsaved CharterVersion)."""
    return council.charter_version_in_force() or CharterVersion()


# ⌈quorum × voting members⌉, exactly: the voting engine's arithmetic, so a meeting and its polls agree.
required_presence = required_present


def _invitees(meeting, actor=None):
    """Active invitees of a meeting, less the actor: whom to tell about it."""
    users = [invitation.user for invitation in meeting.invitations.select_related("user")]
    return [user for user in users if user.is_active and (actor is None or user.pk != actor.pk)]


def _place_lines(meeting):
    return (
        fmt(_("Starts: %(when)s"), when=_when(meeting.starts_at)),
        fmt(_("Ends: %(when)s"), when=_when(meeting.ends_at)) if meeting.ends_at else "",
        fmt(_("Place: %(place)s"), place=meeting.location) if meeting.location else "",
        fmt(_("Online: %(link)s"), link=meeting.online_link) if meeting.online_link else "",
    )


def _meeting_data(meeting):
    return {
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else None,
        "location": meeting.location,
        "online_link": meeting.online_link,
    }


def _clean_meeting_fields(*, title, starts_at, ends_at, location, online_link, notes):
    """Checked and stripped values for a meeting; ValidationError naming the fields otherwise."""
    errors = {}
    title = (title or "").strip()
    location = (location or "").strip()
    online_link = (online_link or "").strip()
    if not title:
        errors["title"] = _("Give the meeting a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title is too long (at most 200 characters).")
    if starts_at is None:
        errors["starts_at"] = _("Give the time the meeting starts.")
    else:
        if timezone.is_naive(starts_at):
            starts_at = timezone.make_aware(starts_at)
        if starts_at < timezone.now():
            errors["starts_at"] = _("The meeting cannot start in the past.")
    if ends_at is not None:
        if timezone.is_naive(ends_at):
            ends_at = timezone.make_aware(ends_at)
        if starts_at is not None and ends_at <= starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
    if len(location) > PLACE_MAX:
        errors["location"] = _("The place is too long (at most 200 characters).")
    if online_link:
        try:
            URLValidator(schemes=["http", "https"])(online_link)
        except ValidationError:
            errors["online_link"] = _("Give the online meeting link as a web address (https://…).")
    if not location and not online_link and "location" not in errors:
        errors["location"] = _("Give a place or an online meeting link.")
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location": location,
        "online_link": online_link,
        "notes": (notes or "").strip(),
    }


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


# Meetings ---------------------------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(*, actor, workspace, title, starts_at, ends_at=None, location="", online_link="", notes=""):
    """A new meeting of the workspace; everyone seated in it is invited (with their vote) and told."""
    if not permissions.can_convene_meeting(actor, workspace):
        raise PermissionDenied
    values = _clean_meeting_fields(
        title=title, starts_at=starts_at, ends_at=ends_at, location=location, online_link=online_link, notes=notes
    )
    seats = workspace_seats(workspace)
    meeting = Meeting(created_by=actor, **values)
    meeting.set_workspace(workspace)
    meeting.save()
    Invitation.objects.bulk_create(
        [
            Invitation(meeting=meeting, user=user, organization=organization, has_vote=has_vote)
            for user, organization, has_vote in seats
        ]
    )
    url = meeting.get_absolute_url()
    log(
        instance=meeting,
        action="councils.schedule_meeting",
        user=actor,
        data={**_meeting_data(meeting), "invited": [user.pk for user, _org, _vote in seats]},
    )
    activity.record(
        actor=actor, workspace=workspace, verb=ActivityVerb.SCHEDULED_MEETING, summary=meeting.title, url=url
    )
    notify(
        [user for user, _org, _vote in seats if user.pk != actor.pk],
        title=fmt(_("Invitation: %(title)s"), title=meeting.title),
        body=_join(
            fmt(_("You are invited to a meeting of %(workspace)s."), workspace=str(workspace)), *_place_lines(meeting)
        ),
        url=url,
    )
    return meeting


@transaction.atomic
def update_meeting(*, actor, meeting, title, starts_at, ends_at=None, location="", online_link="", notes=""):
    """Change a scheduled meeting; invitees are told when its time or place changes."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    if meeting.state != MeetingState.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be changed."), code="state")
    values = _clean_meeting_fields(
        title=title, starts_at=starts_at, ends_at=ends_at, location=location, online_link=online_link, notes=notes
    )
    before = _meeting_data(meeting)
    for field, value in values.items():
        setattr(meeting, field, value)
    meeting.save(update_fields=list(values))
    after = _meeting_data(meeting)
    log(instance=meeting, action="councils.update_meeting", user=actor, data={"before": before, "after": after})
    moved = any(before[key] != after[key] for key in ("starts_at", "ends_at", "location", "online_link"))
    if moved:
        notify(
            _invitees(meeting, actor),
            title=fmt(_("Meeting changed: %(title)s"), title=meeting.title),
            body=_join(_("The time or place of the meeting has changed."), *_place_lines(meeting)),
            url=meeting.get_absolute_url(),
        )
    return meeting


@transaction.atomic
def open_meeting(*, actor, meeting):
    """Scheduled → in progress, with the quorum check against the charter in force.

    A meeting may open without a quorum; it then records quorum_met False (no motion passes, no minutes are
    approved at it)."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    if meeting.state != MeetingState.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be opened."), code="state")
    rules = charter_rules(meeting.council)
    voting = [invitation.attendance for invitation in meeting.invitations.filter(has_vote=True)]
    present = sum(1 for attendance in voting if attendance in (Attendance.PRESENT, Attendance.PROXY))
    # A voting member organization without a named representative cannot be invited, but it is still one of
    # the voting members the charter's quorum is a fraction of.
    unrepresented = 0
    if meeting.committee_id is None:
        unrepresented = (
            Membership.objects.filter(council=meeting.council, has_vote=True, representative__isnull=True)
            .active_on(timezone.localdate())
            .count()
        )
    voting_members = len(voting) + unrepresented
    required = required_presence(rules.quorum, voting_members)
    meeting.voting_member_count = voting_members
    meeting.present_voting_count = present
    meeting.required_count = required
    meeting.quorum_met = voting_members > 0 and present >= required
    meeting.open()
    meeting.save()
    log(
        instance=meeting,
        action="councils.open_meeting",
        user=actor,
        data={
            "quorum": f"{rules.quorum.numerator}/{rules.quorum.denominator}",
            "voting_member_count": meeting.voting_member_count,
            "present_voting_count": present,
            "required_count": required,
            "quorum_met": meeting.quorum_met,
        },
    )
    activity.record(
        actor=actor,
        workspace=meeting.workspace,
        verb=ActivityVerb.OPENED_MEETING,
        summary=meeting.title,
        url=meeting.get_absolute_url(),
    )
    return meeting


@transaction.atomic
def close_meeting(*, actor, meeting):
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    if meeting.state != MeetingState.IN_PROGRESS:
        raise ValidationError(_("Only a meeting in progress can be closed."), code="state")
    meeting.close()
    meeting.save()
    log(instance=meeting, action="councils.close_meeting", user=actor, data={"title": meeting.title})
    activity.record(
        actor=actor,
        workspace=meeting.workspace,
        verb=ActivityVerb.CLOSED_MEETING,
        summary=meeting.title,
        url=meeting.get_absolute_url(),
    )
    return meeting


@transaction.atomic
def cancel_meeting(*, actor, meeting, reason):
    """Cancel a scheduled meeting (with a reason); motions put on its agenda go back to the submitted ones."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    if meeting.state != MeetingState.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be cancelled."), code="state")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the meeting is cancelled.")}, code="required")
    if len(reason) > NOTE_MAX:
        raise ValidationError({"reason": _("The reason is too long (at most 300 characters).")}, code="max_length")
    meeting.cancel()
    meeting.cancel_reason = reason
    meeting.save()
    unscheduled = []
    for motion in meeting.motions.select_for_update().filter(state=MotionState.ON_AGENDA):
        motion.unschedule()
        motion.save()
        unscheduled.append(motion.pk)
    url = meeting.get_absolute_url()
    log(
        instance=meeting,
        action="councils.cancel_meeting",
        user=actor,
        data={"title": meeting.title, "reason": reason, "motions_unscheduled": unscheduled},
    )
    activity.record(
        actor=actor, workspace=meeting.workspace, verb=ActivityVerb.CANCELLED_MEETING, summary=meeting.title, url=url
    )
    notify(
        _invitees(meeting, actor),
        title=fmt(_("Meeting cancelled: %(title)s"), title=meeting.title),
        body=_join(
            fmt(_("The meeting planned for %(when)s will not take place."), when=_when(meeting.starts_at)),
            fmt(_("Reason: %(reason)s"), reason=reason),
        ),
        url=url,
    )
    return meeting


# Agenda -----------------------------------------------------------------------------------------------------


def _clean_item_title(title):
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the agenda item a title.")}, code="required")
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("The title is too long (at most 200 characters).")}, code="max_length")
    return title


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
    title = _clean_item_title(title)
    item = _append(meeting, title=title, description=(description or "").strip())
    log(
        instance=meeting,
        action="councils.add_agenda_item",
        user=actor,
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
    if not _same_workspace(earlier, meeting):
        raise ValidationError({"minutes": _("These minutes belong to another workspace.")}, code="workspace")
    if earlier.starts_at >= meeting.starts_at:
        raise ValidationError(
            {"minutes": _("Only the minutes of an earlier meeting can be approved at this one.")}, code="order"
        )
    if minutes.state != MinutesState.CIRCULATED:
        raise ValidationError({"minutes": _("Only circulated minutes can be put up for approval.")}, code="state")
    if AgendaItem.objects.filter(meeting=meeting, minutes=minutes).exists():
        raise ValidationError({"minutes": _("These minutes are already on the agenda.")}, code="duplicate")
    title = str(fmt(_("Approval of the minutes of %(meeting)s"), meeting=earlier.title))[:TITLE_MAX]
    item = _append(meeting, title=title, minutes=minutes)
    log(
        instance=meeting,
        action="councils.add_agenda_item",
        user=actor,
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
    log(instance=meeting, action="councils.remove_agenda_item", user=actor, data=data)


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
    log(
        instance=meeting,
        action="councils.move_agenda_item",
        user=actor,
        data={"item": mine.pk, "title": mine.title, "position": mine.position},
    )
    return mine


# Invitations and attendance ---------------------------------------------------------------------------------


@transaction.atomic
def invite_guest(*, actor, meeting, user, organization=None):
    """An extra invitee without a vote: someone who may open the workspace (the secretariat, an observer…)."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    if meeting.state not in AGENDA_OPEN_STATES:
        raise ValidationError(_("Guests can only be invited before the meeting closes."), code="state")
    if user is None or not permissions.can_open_workspace(user, meeting.workspace):
        raise ValidationError({"user": _("Only someone who can open this workspace can be invited.")}, code="access")
    if Invitation.objects.filter(meeting=meeting, user=user).exists():
        raise ValidationError({"user": _("This person is already invited.")}, code="duplicate")
    invitation = Invitation.objects.create(meeting=meeting, user=user, organization=organization, has_vote=False)
    url = meeting.get_absolute_url()
    log(
        instance=meeting,
        action="councils.invite_guest",
        user=actor,
        data={"user": user.pk, "organization": organization.pk if organization else None},
    )
    if user.pk != actor.pk:
        notify(
            [user],
            title=fmt(_("Invitation: %(title)s"), title=meeting.title),
            body=_join(_("You are invited to this meeting as a guest, without a vote."), *_place_lines(meeting)),
            url=url,
        )
    return invitation


@transaction.atomic
def rsvp(*, actor, invitation, answer, note=""):
    """Answer one's own invitation while the meeting is scheduled."""
    invitation = Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    meeting = invitation.meeting
    if not permissions.can_rsvp(actor, invitation):
        if invitation.user_id == actor.pk and permissions.can_see_meeting(actor, meeting):
            raise ValidationError(_("The meeting is no longer scheduled, so the answer cannot change."), code="state")
        raise PermissionDenied
    if answer not in (RSVP.ATTENDING, RSVP.DECLINED):
        raise ValidationError({"answer": _("Say whether you will attend.")}, code="invalid")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("The note is too long (at most 300 characters).")}, code="max_length")
    invitation.rsvp = answer
    invitation.rsvp_note = note
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["rsvp", "rsvp_note", "responded_at"])
    log(instance=meeting, action="councils.rsvp", user=actor, data={"invitation": invitation.pk, "answer": answer})
    return invitation


@transaction.atomic
def record_attendance(*, actor, meeting, records):
    """Attendance taken at the meeting (also before it opens): ``records`` maps invitations to
    ``(attendance, proxy_holder or None)``. The proxy rules of the charter are checked on the result as a
    whole; any error refuses everything, listing what is wrong."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    if meeting.state not in AGENDA_OPEN_STATES:
        raise ValidationError(_("Attendance can only be recorded before the meeting closes."), code="state")
    rules = charter_rules(meeting.council)
    invitations = {
        invitation.pk: invitation
        for invitation in Invitation.objects.select_for_update().filter(meeting=meeting).select_related("user")
    }
    by_user = {invitation.user_id: invitation for invitation in invitations.values()}
    final = {pk: (invitation.attendance, invitation.proxy_holder_id) for pk, invitation in invitations.items()}
    errors = []
    for given, (attendance, holder) in records.items():
        invitation = invitations.get(getattr(given, "pk", None))
        if invitation is None:
            errors.append(_("Someone in the list is not invited to this meeting."))
            continue
        if attendance not in Attendance.values:
            errors.append(fmt(_("Choose the attendance of %(name)s."), name=invitation.user.display_name))
            continue
        final[invitation.pk] = (attendance, getattr(holder, "pk", holder))

    held = Counter()
    for pk, (attendance, holder_id) in final.items():
        invitation = invitations[pk]
        name = invitation.user.display_name
        if attendance != Attendance.PROXY:
            if holder_id is not None:
                errors.append(
                    fmt(_("%(name)s is not represented by proxy, so no proxy holder can be named."), name=name)
                )
            continue
        if not rules.proxies_allowed:
            errors.append(fmt(_("The charter does not allow proxies, so %(name)s cannot give one."), name=name))
            continue
        if not invitation.has_vote:
            errors.append(fmt(_("%(name)s has no vote, so cannot give a proxy."), name=name))
            continue
        if holder_id is None:
            errors.append(fmt(_("Choose who holds the proxy of %(name)s."), name=name))
            continue
        if holder_id == invitation.user_id:
            errors.append(fmt(_("%(name)s cannot hold their own proxy."), name=name))
            continue
        holder = by_user.get(holder_id)
        if holder is None or not holder.has_vote:
            errors.append(
                fmt(_("The proxy of %(name)s can only go to a voting member invited to this meeting."), name=name)
            )
            continue
        if final[holder.pk][0] != Attendance.PRESENT:
            errors.append(
                fmt(
                    _("%(holder)s is not present, so cannot hold the proxy of %(name)s."),
                    holder=holder.user.display_name,
                    name=name,
                )
            )
            continue
        held[holder_id] += 1
    for holder_id, count in held.items():
        if count > rules.max_proxies_per_holder:
            errors.append(
                fmt(
                    _("%(holder)s would hold %(count)s proxies; the charter allows at most %(max)s."),
                    holder=by_user[holder_id].user.display_name,
                    count=count,
                    max=rules.max_proxies_per_holder,
                )
            )
    if errors:
        raise ValidationError(errors, code="attendance")

    changed = []
    for pk, (attendance, holder_id) in final.items():
        invitation = invitations[pk]
        if (invitation.attendance, invitation.proxy_holder_id) != (attendance, holder_id):
            invitation.attendance, invitation.proxy_holder_id = attendance, holder_id
            changed.append(invitation)
    if changed:
        Invitation.objects.bulk_update(changed, ["attendance", "proxy_holder"])
    log(
        instance=meeting,
        action="councils.record_attendance",
        user=actor,
        data={
            "changed": {
                str(invitation.user_id): [invitation.attendance, invitation.proxy_holder_id] for invitation in changed
            }
        },
    )
    return list(invitations.values())


# Minutes ----------------------------------------------------------------------------------------------------


@transaction.atomic
def save_minutes(*, actor, meeting, body):
    """Create or change the minutes of a meeting that has opened; every save is kept as a revision."""
    if not permissions.can_edit_minutes(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    if meeting.state not in (MeetingState.IN_PROGRESS, MeetingState.CLOSED):
        raise ValidationError(_("Minutes can only be written once the meeting has opened."), code="state")
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.is_locked:
        raise ValidationError(_("Approved minutes are locked and cannot be changed."), code="locked")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("The minutes have no text.")}, code="required")
    now = timezone.now()
    if minutes is None:
        minutes = Minutes.objects.create(meeting=meeting, body=body, revision=1, drafted_by=actor, updated_at=now)
    else:
        minutes.body = body
        minutes.revision += 1
        minutes.updated_at = now
        minutes.save(update_fields=["body", "revision", "updated_at"])
    MinutesRevision.objects.create(minutes=minutes, number=minutes.revision, body=body, saved_by=actor, saved_at=now)
    log(
        instance=minutes,
        action="councils.save_minutes",
        user=actor,
        data={"meeting": meeting.pk, "revision": minutes.revision, "state": minutes.state},
    )
    return minutes


@transaction.atomic
def circulate_minutes(*, actor, minutes):
    """Draft → circulated; the meeting's invitees are told and can read them."""
    if not permissions.can_edit_minutes(actor, minutes.meeting):
        raise PermissionDenied
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.state != MinutesState.DRAFT:
        raise ValidationError(_("Only draft minutes can be circulated."), code="state")
    minutes.circulate()
    minutes.save()
    meeting = minutes.meeting
    url = meeting.get_absolute_url()
    log(
        instance=minutes,
        action="councils.circulate_minutes",
        user=actor,
        data={"meeting": meeting.pk, "revision": minutes.revision},
    )
    activity.record(
        actor=actor, workspace=meeting.workspace, verb=ActivityVerb.CIRCULATED_MINUTES, summary=meeting.title, url=url
    )
    notify(
        _invitees(meeting, actor),
        title=fmt(_("Minutes circulated: %(title)s"), title=meeting.title),
        body=_("The draft minutes are ready for your comments. They will be approved at a later meeting."),
        url=url,
    )
    return minutes


@transaction.atomic
def approve_minutes(*, actor, minutes, at_meeting):
    """Circulated → approved, at a later meeting of the same workspace that is in progress with a quorum.
    Approved minutes are locked."""
    earlier = minutes.meeting
    if not (permissions.can_read_minutes(actor, minutes) and permissions.can_convene_meeting(actor, earlier.workspace)):
        raise PermissionDenied
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    earlier = minutes.meeting
    if minutes.state == MinutesState.APPROVED:
        raise ValidationError(_("Approved minutes are locked and cannot be changed."), code="locked")
    if minutes.state != MinutesState.CIRCULATED:
        raise ValidationError(_("Minutes are circulated before they are approved."), code="state")
    if at_meeting is None:
        raise ValidationError({"at_meeting": _("Choose the meeting that approves the minutes.")}, code="required")
    at_meeting = Meeting.objects.get(pk=at_meeting.pk)
    if not _same_workspace(at_meeting, earlier):
        raise ValidationError(
            {"at_meeting": _("Minutes are approved at a meeting of the same workspace.")}, code="workspace"
        )
    if at_meeting.pk == earlier.pk or at_meeting.starts_at <= earlier.starts_at:
        raise ValidationError(
            {"at_meeting": _("Minutes are approved at a later meeting, not at the meeting they record.")},
            code="order",
        )
    if at_meeting.state != MeetingState.IN_PROGRESS:
        raise ValidationError({"at_meeting": _("The approving meeting must be in progress.")}, code="not_open")
    if at_meeting.quorum_met is not True:
        raise ValidationError(
            {"at_meeting": _("This meeting opened without a quorum, so it cannot approve minutes.")}, code="quorum"
        )
    minutes.approve(at_meeting)
    minutes.save()
    url = earlier.get_absolute_url()
    log(
        instance=minutes,
        action="councils.approve_minutes",
        user=actor,
        data={"meeting": earlier.pk, "at_meeting": at_meeting.pk, "revision": minutes.revision},
    )
    activity.record(
        actor=actor, workspace=earlier.workspace, verb=ActivityVerb.APPROVED_MINUTES, summary=earlier.title, url=url
    )
    return minutes


# Action items -----------------------------------------------------------------------------------------------


@transaction.atomic
def add_action_item(*, actor, workspace, title, owner, due_on=None, meeting=None):
    """A task for someone who can open the workspace; they are told."""
    if not permissions.can_assign_action_items(actor, workspace):
        raise PermissionDenied
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Say what is to be done.")
    elif len(title) > ACTION_TITLE_MAX:
        errors["title"] = _("The task is too long (at most 300 characters).")
    if owner is None:
        errors["owner"] = _("Choose who will do it.")
    elif not permissions.can_open_workspace(owner, workspace):
        errors["owner"] = _("The owner must be someone who can open this workspace.")
    if due_on is not None and due_on < timezone.localdate():
        errors["due_on"] = _("The due date cannot be in the past.")
    probe = ActionItem()
    probe.set_workspace(workspace)
    if meeting is not None and not _same_workspace(meeting, probe):
        errors["meeting"] = _("The meeting belongs to another workspace.")
    if errors:
        raise ValidationError(errors)
    item = ActionItem(title=title, owner=owner, due_on=due_on, meeting=meeting, created_by=actor)
    item.set_workspace(workspace)
    item.save()
    url = _section_url(workspace, "action_items")
    log(
        instance=item,
        action="councils.add_action_item",
        user=actor,
        data={
            "title": title,
            "owner": owner.pk,
            "due_on": due_on.isoformat() if due_on else None,
            "meeting": meeting.pk if meeting else None,
        },
    )
    activity.record(actor=actor, workspace=workspace, verb=ActivityVerb.ADDED_ACTION_ITEM, summary=title, url=url)
    if owner.pk != actor.pk:
        notify(
            [owner],
            title=fmt(_("Action item for you: %(title)s"), title=title),
            body=fmt(_("Due: %(date)s"), date=due_on.isoformat()) if due_on else "",
            url=url,
        )
    return item


@transaction.atomic
def set_action_item_status(*, actor, item, status):
    """Its owner marks it done; whoever assigns action items may also cancel or reopen it."""
    if not permissions.can_update_action_item(actor, item):
        raise PermissionDenied
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if status not in ActionItemStatus.values:
        raise ValidationError({"status": _("Choose a status.")}, code="invalid")
    if status == item.status:
        raise ValidationError(_("The action item already has this status."), code="unchanged")
    workspace = item.workspace
    assigner = permissions.can_assign_action_items(actor, workspace)
    if not assigner and not (item.status == ActionItemStatus.OPEN and status == ActionItemStatus.DONE):
        raise ValidationError(_("Only whoever assigns action items can cancel or reopen one."), code="assigner")
    before = item.status
    item.status = status
    item.completed_at = timezone.now() if status == ActionItemStatus.DONE else None
    item.save(update_fields=["status", "completed_at"])
    url = _section_url(workspace, "action_items")
    log(
        instance=item,
        action="councils.set_action_item_status",
        user=actor,
        data={"title": item.title, "before": before, "after": status},
    )
    if status == ActionItemStatus.DONE:
        activity.record(
            actor=actor, workspace=workspace, verb=ActivityVerb.COMPLETED_ACTION_ITEM, summary=item.title, url=url
        )
        if item.created_by_id != actor.pk:
            notify(
                [item.created_by],
                title=fmt(_("Action item done: %(title)s"), title=item.title),
                body=fmt(_("%(name)s marked it done."), name=person_label(actor, workspace)),
                url=url,
            )
    return item
