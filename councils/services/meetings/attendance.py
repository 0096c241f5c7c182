"""Services: the attendance taken at a meeting, checked against the charter's proxy rules
(``councils.attendance``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.history.record import record

from ... import attendance, permissions
from ...models import Invitation
from ..common import lock_scoped
from .common import AGENDA_OPEN_STATES, charter_rules


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
    invitees = {
        pk: attendance.Invitee(pk, invitation.user_id, invitation.user.display_name, invitation.has_vote)
        for pk, invitation in invitations.items()
    }
    current = {pk: (invitation.attendance, invitation.proxy_holder_id) for pk, invitation in invitations.items()}
    given = [
        (getattr(invitation, "pk", None), value, getattr(holder, "pk", holder))
        for invitation, (value, holder) in records.items()
    ]
    final, errors = attendance.merge(invitees, current, given)
    errors += attendance.errors(
        invitees,
        final,
        proxies_allowed=rules.proxies_allowed,
        max_proxies_per_holder=rules.max_proxies_per_holder,
    )
    if errors:
        raise ValidationError(errors, code="attendance")
    changed = []
    for pk, (value, holder_id) in final.items():
        invitation = invitations[pk]
        if (invitation.attendance, invitation.proxy_holder_id) != (value, holder_id):
            invitation.attendance, invitation.proxy_holder_id = value, holder_id
            changed.append(invitation)
    if changed:
        Invitation.objects.bulk_update(changed, ["attendance", "proxy_holder"])
    record(
        "councils.record_attendance",
        actor=actor,
        instance=meeting,
        data={
            "changed": {
                str(invitation.user_id): [invitation.attendance, invitation.proxy_holder_id] for invitation in changed
            }
        },
    )
    return list(invitations.values())
