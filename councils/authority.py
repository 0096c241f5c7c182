"""Who holds the engines' powers over a council and its committees (``portal.authority``).

* ``MANAGE`` over a council and over each of its committees: the council's own secretariat list. They run the
  polls and review rounds of that body and draft, issue and revoke its opinions.
* ``SIGN`` over a council: the representatives of its chair (理事长) and vice-chair (副理事长) memberships in term
  today; over a committee: its chair (主任委员) and vice-chairs. They sign off the body's opinions.

Asked live from the rows, so a new secretariat or the end of a chair's term takes effect on the day.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from portal import authority
from portal.authority import Power

from .models import Committee, CommitteeMembership, CommitteeRole, Council, Membership, MembershipRole

COUNCIL_SIGNING_ROLES = (MembershipRole.CHAIR, MembershipRole.VICE_CHAIR)
COMMITTEE_SIGNING_ROLES = (CommitteeRole.CHAIR, CommitteeRole.VICE_CHAIR)


def _council_signing_seats(today):
    return Membership.objects.active_on(today).filter(role__in=COUNCIL_SIGNING_ROLES, representative__isnull=False)


def _committee_signing_seats(today):
    return CommitteeMembership.objects.filter(role__in=COMMITTEE_SIGNING_ROLES, joined_on__lte=today)


def council_holders(council, power):
    User = get_user_model()
    if power == Power.MANAGE:
        return User.objects.filter(pk__in=council.secretariat_users.values("pk"))
    seats = _council_signing_seats(timezone.localdate()).filter(council=council)
    return User.objects.filter(pk__in=seats.values("representative_id"))


def councils_held_by(user, power):
    if power == Power.MANAGE:
        return Council.objects.filter(secretariat_users=user)
    seats = _council_signing_seats(timezone.localdate()).filter(representative=user)
    return Council.objects.filter(pk__in=seats.values("council_id"))


def committee_holders(committee, power):
    User = get_user_model()
    if power == Power.MANAGE:
        return User.objects.filter(pk__in=committee.council.secretariat_users.values("pk"))
    seats = _committee_signing_seats(timezone.localdate()).filter(committee=committee)
    return User.objects.filter(Q(pk__in=seats.values("user_id")) | Q(pk=committee.chair_id))


def committees_held_by(user, power):
    if power == Power.MANAGE:
        return Committee.objects.filter(council__secretariat_users=user)
    seats = _committee_signing_seats(timezone.localdate()).filter(user=user)
    return Committee.objects.filter(Q(pk__in=seats.values("committee_id")) | Q(chair=user))


def register():
    authority.register(Council, holders=council_holders, held_by=councils_held_by)
    authority.register(Committee, holders=committee_holders, held_by=committees_held_by)
