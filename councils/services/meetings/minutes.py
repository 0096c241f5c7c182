"""Services: the minutes of a meeting — written once it has opened (every save kept as a revision), circulated
to the invitees, approved at a later meeting of the same workspace with a quorum, then locked."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.edits import refuse_stale
from portal.history.record import Line, Tell, record
from portal.text import fmt

from ... import permissions
from ...models import ActivityVerb, Meeting, MeetingState, Minutes, MinutesRevision, MinutesState
from ..common import clean_one, lock_scoped
from .common import invitees, same_workspace


@transaction.atomic
def save_minutes(*, actor, meeting, body, loaded=""):
    """Create or change the minutes of a meeting that has opened; every save is kept as a revision. ``loaded``: the
    fingerprint of the revision the form showed (portal/edits.py); a colleague's save since is refused, not lost."""
    if not permissions.can_edit_minutes(actor, meeting):
        raise PermissionDenied
    meeting = lock_scoped(meeting)
    if meeting.state not in (MeetingState.IN_PROGRESS, MeetingState.CLOSED):
        raise ValidationError(_("Minutes can only be written once the meeting has opened."), code="state")
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.is_locked:
        raise ValidationError(_("Approved minutes are locked and cannot be changed."), code="locked")
    refuse_stale(minutes, ("revision",), loaded)
    body = clean_one(Minutes, "body", body, required=_("The minutes have no text."))
    now = timezone.now()
    if minutes is None:
        minutes = Minutes.objects.create(meeting=meeting, body=body, revision=1, drafted_by=actor, updated_at=now)
    else:
        minutes.body = body
        minutes.revision += 1
        minutes.updated_at = now
        minutes.save(update_fields=["body", "revision", "updated_at"])
    MinutesRevision.objects.create(minutes=minutes, number=minutes.revision, body=body, saved_by=actor, saved_at=now)
    record(
        "councils.save_minutes",
        actor=actor,
        instance=minutes,
        data={"meeting": meeting.pk, "revision": minutes.revision, "state": minutes.state},
    )
    return minutes


@transaction.atomic
def circulate_minutes(*, actor, minutes):
    """Draft → circulated; the meeting's invitees are told and can read them."""
    if not permissions.can_edit_minutes(actor, minutes.meeting):
        raise PermissionDenied
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    lifecycle.take(minutes, "circulate", actor)
    minutes.save()
    meeting = minutes.meeting
    url = meeting.get_absolute_url()
    record(
        "councils.circulate_minutes",
        actor=actor,
        instance=minutes,
        data={"meeting": meeting.pk, "revision": minutes.revision},
        line=Line(meeting.workspace, ActivityVerb.CIRCULATED_MINUTES, meeting.title, url),
        tell=Tell(
            invitees(meeting, actor),
            title=fmt(_("Minutes circulated: %(title)s"), title=meeting.title),
            body=_("The draft minutes are ready for your comments. They will be approved at a later meeting."),
            url=url,
        ),
    )
    return minutes


def _approving_meeting(earlier, at_meeting):
    """The meeting that approves the minutes of ``earlier``, checked; ValidationError on ``at_meeting``."""
    if at_meeting is None:
        raise ValidationError({"at_meeting": _("Choose the meeting that approves the minutes.")}, code="required")
    at_meeting = Meeting.objects.get(pk=at_meeting.pk)
    if not same_workspace(at_meeting, earlier):
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
    return at_meeting


@transaction.atomic
def approve_minutes(*, actor, minutes, at_meeting):
    """Circulated → approved, at a later meeting of the same workspace that is in progress with a quorum.
    Approved minutes are locked."""
    earlier = minutes.meeting
    if not permissions.can_approve_minutes(actor, minutes):
        raise PermissionDenied
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    earlier = minutes.meeting
    if minutes.state == MinutesState.APPROVED:
        raise ValidationError(_("Approved minutes are locked and cannot be changed."), code="locked")
    at_meeting = _approving_meeting(earlier, at_meeting)
    lifecycle.take(minutes, "approve", actor, at_meeting)
    minutes.save()
    record(
        "councils.approve_minutes",
        actor=actor,
        instance=minutes,
        data={"meeting": earlier.pk, "at_meeting": at_meeting.pk, "revision": minutes.revision},
        line=Line(earlier.workspace, ActivityVerb.APPROVED_MINUTES, earlier.title, earlier.get_absolute_url()),
    )
    return minutes
