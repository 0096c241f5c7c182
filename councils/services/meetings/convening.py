"""Services: convening a meeting — schedule, change, open (with the quorum), close, cancel; guests and answers
to invitations.

Each function: permission, validation (nothing written before it passes), lock, write, record. State changes go
through the models' django-fsm transitions; changed rows are locked.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.history.record import Line, Tell, record
from portal.text import fmt

from ... import permissions
from ...models import RSVP, ActivityVerb, Attendance, Invitation, Meeting, Membership, MotionState
from ...workspace import Workspace
from ..common import checked_text, clean_one, lock_scoped
from .common import (
    AGENDA_OPEN_STATES,
    charter_rules,
    invitees,
    join_lines,
    place_lines,
    required_presence,
    when,
)


def _meeting_data(meeting):
    return {
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else None,
        "location": meeting.location,
        "online_link": meeting.online_link,
    }


def _aware(value):
    return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value


def _clean_meeting_fields(*, title, starts_at, ends_at, location, online_link, notes):
    """Checked and stripped values for a meeting; ValidationError naming the fields otherwise."""
    errors = {}
    text = checked_text(
        Meeting,
        {"title": title, "location": location, "online_link": online_link, "notes": notes},
        errors,
        required={"title": _("Give the meeting a title.")},
    )
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    if starts_at is None:
        errors["starts_at"] = _("Give the time the meeting starts.")
    elif starts_at < timezone.now():
        errors["starts_at"] = _("The meeting cannot start in the past.")
    if ends_at is not None and starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if text["online_link"] and "online_link" not in errors:
        try:
            URLValidator(schemes=["http", "https"])(text["online_link"])
        except ValidationError:
            errors["online_link"] = _("Give the online meeting link as a web address (https://…).")
    if not text["location"] and not text["online_link"] and "location" not in errors:
        errors["location"] = _("Give a place or an online meeting link.")
    if errors:
        raise ValidationError(errors)
    return {**text, "starts_at": starts_at, "ends_at": ends_at}


# Meetings ---------------------------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(*, actor, workspace, title, starts_at, ends_at=None, location="", online_link="", notes=""):
    """A new meeting of the workspace; everyone seated in it is invited (with their vote) and told."""
    if not permissions.can_convene_meeting(actor, workspace):
        raise PermissionDenied
    values = _clean_meeting_fields(
        title=title, starts_at=starts_at, ends_at=ends_at, location=location, online_link=online_link, notes=notes
    )
    place = Workspace.of(workspace)
    seats = place.seats()
    meeting = Meeting(created_by=actor, **values)
    place.place(meeting)
    meeting.save()
    Invitation.objects.bulk_create(
        [
            Invitation(meeting=meeting, user=user, organization=organization, has_vote=has_vote)
            for user, organization, has_vote in seats
        ]
    )
    url = meeting.get_absolute_url()
    record(
        "councils.schedule_meeting",
        actor=actor,
        instance=meeting,
        data={**_meeting_data(meeting), "invited": [user.pk for user, _org, _vote in seats]},
        line=Line(place.body, ActivityVerb.SCHEDULED_MEETING, meeting.title, url),
        tell=Tell(
            [user for user, _org, _vote in seats if user.pk != actor.pk],
            title=fmt(_("Invitation: %(title)s"), title=meeting.title),
            body=join_lines(
                fmt(_("You are invited to a meeting of %(workspace)s."), workspace=str(place)), *place_lines(meeting)
            ),
            url=url,
        ),
    )
    return meeting


@transaction.atomic
def update_meeting(*, actor, meeting, title, starts_at, ends_at=None, location="", online_link="", notes=""):
    """Change a scheduled meeting; invitees are told when its time or place changes."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    if not meeting.is_scheduled:
        raise lifecycle.refused(meeting)
    values = _clean_meeting_fields(
        title=title, starts_at=starts_at, ends_at=ends_at, location=location, online_link=online_link, notes=notes
    )
    before = _meeting_data(meeting)
    for field, value in values.items():
        setattr(meeting, field, value)
    meeting.save(update_fields=list(values))
    after = _meeting_data(meeting)
    moved = any(before[key] != after[key] for key in ("starts_at", "ends_at", "location", "online_link"))
    tell = Tell(
        invitees(meeting, actor),
        title=fmt(_("Meeting changed: %(title)s"), title=meeting.title),
        body=join_lines(_("The time or place of the meeting has changed."), *place_lines(meeting)),
        url=meeting.get_absolute_url(),
    )
    record(
        "councils.update_meeting",
        actor=actor,
        instance=meeting,
        data={"before": before, "after": after},
        tell=tell if moved else None,
    )
    return meeting


def _quorum(meeting, rules):
    """(voting members, present voting members, required presence) at the opening of ``meeting``."""
    voting = [invitation.attendance for invitation in meeting.invitations.filter(has_vote=True)]
    present = sum(1 for attendance in voting if attendance in (Attendance.PRESENT, Attendance.PROXY))
    # A voting member organization without a named representative cannot be invited, but it is still one of
    # the voting members the charter's quorum is a fraction of.
    unrepresented = 0
    if meeting.committee_id is None:
        unrepresented = (
            Membership.objects.filter(council=meeting.council, has_vote=True, representative__isnull=True)
            .active_on(permissions.today())
            .count()
        )
    voting_members = len(voting) + unrepresented
    return voting_members, present, required_presence(rules.quorum, voting_members)


@transaction.atomic
def open_meeting(*, actor, meeting):
    """Scheduled → in progress, with the quorum check against the charter in force.

    A meeting may open without a quorum; it then records quorum_met False (no motion passes, no minutes are
    approved at it)."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    lifecycle.take(meeting, "open", actor)
    rules = charter_rules(meeting.council)
    voting_members, present, required = _quorum(meeting, rules)
    meeting.voting_member_count = voting_members
    meeting.present_voting_count = present
    meeting.required_count = required
    meeting.quorum_met = voting_members > 0 and present >= required
    meeting.save()
    record(
        "councils.open_meeting",
        actor=actor,
        instance=meeting,
        data={
            "quorum": f"{rules.quorum.numerator}/{rules.quorum.denominator}",
            "voting_member_count": meeting.voting_member_count,
            "present_voting_count": present,
            "required_count": required,
            "quorum_met": meeting.quorum_met,
        },
        line=Line(meeting.workspace, ActivityVerb.OPENED_MEETING, meeting.title, meeting.get_absolute_url()),
    )
    return meeting


@transaction.atomic
def close_meeting(*, actor, meeting):
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    lifecycle.take(meeting, "close", actor)
    meeting.save()
    record(
        "councils.close_meeting",
        actor=actor,
        instance=meeting,
        data={"title": meeting.title},
        line=Line(meeting.workspace, ActivityVerb.CLOSED_MEETING, meeting.title, meeting.get_absolute_url()),
    )
    return meeting


@transaction.atomic
def cancel_meeting(*, actor, meeting, reason):
    """Cancel a scheduled meeting (with a reason); motions put on its agenda go back to the submitted ones."""
    if not permissions.can_manage_meeting(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    reason = clean_one(Meeting, "cancel_reason", reason, key="reason", required=_("Say why the meeting is cancelled."))
    lifecycle.take(meeting, "cancel", actor, reason)
    meeting.save()
    unscheduled = []
    for motion in meeting.motions.select_for_update().filter(state=MotionState.ON_AGENDA):
        motion.unschedule()
        motion.save()
        unscheduled.append(motion.pk)
    url = meeting.get_absolute_url()
    record(
        "councils.cancel_meeting",
        actor=actor,
        instance=meeting,
        data={"title": meeting.title, "reason": reason, "motions_unscheduled": unscheduled},
        line=Line(meeting.workspace, ActivityVerb.CANCELLED_MEETING, meeting.title, url),
        tell=Tell(
            invitees(meeting, actor),
            title=fmt(_("Meeting cancelled: %(title)s"), title=meeting.title),
            body=join_lines(
                fmt(_("The meeting planned for %(when)s will not take place."), when=when(meeting.starts_at)),
                fmt(_("Reason: %(reason)s"), reason=reason),
            ),
            url=url,
        ),
    )
    return meeting


# Invitations ------------------------------------------------------------------------------------------------


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
    record(
        "councils.invite_guest",
        actor=actor,
        instance=meeting,
        data={"user": user.pk, "organization": organization.pk if organization else None},
        tell=Tell(
            [user] if user.pk != actor.pk else [],
            title=fmt(_("Invitation: %(title)s"), title=meeting.title),
            body=join_lines(_("You are invited to this meeting as a guest, without a vote."), *place_lines(meeting)),
            url=meeting.get_absolute_url(),
        ),
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
    note = clean_one(Invitation, "rsvp_note", note, key="note")
    invitation.rsvp = answer
    invitation.rsvp_note = note
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["rsvp", "rsvp_note", "responded_at"])
    record("councils.rsvp", actor=actor, instance=meeting, data={"invitation": invitation.pk, "answer": answer})
    return invitation
