"""The proxy rules of a meeting's attendance, as the charter sets them.

A voting invitee who cannot come may be represented by proxy: by a voting invitee of the same meeting who is
present, never by themselves, and no holder carries more proxies than the charter allows. The rules are checked
on the attendance as a whole (one proxy holder's count depends on every other row), so ``errors`` takes the
attendance as it would stand after a change and lists everything that is wrong with it; the service refuses the
change when the list is not empty. Pure functions: no database, only the facts they are given.
"""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.text import fmt

from .models import Attendance


@dataclass(frozen=True)
class Invitee:
    """What the rules need to know about one invitation."""

    key: object  # the invitation's pk
    user_id: int
    name: str
    has_vote: bool


def merge(invitees, current, records):
    """The attendance after recording ``records`` over ``current``.

    ``invitees`` maps invitation keys to Invitees; ``current`` maps them to ``(attendance, holder user id)``;
    ``records`` is ``[(invitation key or None, attendance, holder user id or None)]``. Returns the merged map and
    the errors of the records themselves (an unknown invitation, an attendance that is not one of the choices).
    """
    final, problems = dict(current), []
    for key, attendance, holder_id in records:
        invitee = invitees.get(key)
        if invitee is None:
            problems.append(_("Someone in the list is not invited to this meeting."))
        elif attendance not in Attendance.values:
            problems.append(fmt(_("Choose the attendance of %(name)s."), name=invitee.name))
        else:
            final[key] = (attendance, holder_id)
    return final, problems


def errors(invitees, final, *, proxies_allowed, max_proxies_per_holder):
    """Everything wrong with the proxies of attendance ``final`` (``{key: (attendance, holder user id)}``)."""
    by_user = {invitee.user_id: invitee for invitee in invitees.values()}
    problems, held = [], Counter()
    for key, (attendance, holder_id) in final.items():
        invitee = invitees[key]
        problem = _proxy_problem(invitee, attendance, holder_id, by_user, final, proxies_allowed)
        if problem is not None:
            problems.append(problem)
        elif attendance == Attendance.PROXY:
            held[holder_id] += 1
    for holder_id, count in held.items():
        if count > max_proxies_per_holder:
            problems.append(
                fmt(
                    _("%(holder)s would hold %(count)s proxies; the charter allows at most %(max)s."),
                    holder=by_user[holder_id].name,
                    count=count,
                    max=max_proxies_per_holder,
                )
            )
    return problems


def _proxy_problem(invitee, attendance, holder_id, by_user, final, proxies_allowed):
    """The first rule one row breaks, or None."""
    name = invitee.name
    if attendance != Attendance.PROXY:
        if holder_id is not None:
            return fmt(_("%(name)s is not represented by proxy, so no proxy holder can be named."), name=name)
        return None
    if not proxies_allowed:
        return fmt(_("The charter does not allow proxies, so %(name)s cannot give one."), name=name)
    if not invitee.has_vote:
        return fmt(_("%(name)s has no vote, so cannot give a proxy."), name=name)
    if holder_id is None:
        return fmt(_("Choose who holds the proxy of %(name)s."), name=name)
    if holder_id == invitee.user_id:
        return fmt(_("%(name)s cannot hold their own proxy."), name=name)
    holder = by_user.get(holder_id)
    if holder is None or not holder.has_vote:
        return fmt(_("The proxy of %(name)s can only go to a voting member invited to this meeting."), name=name)
    if final[holder.key][0] != Attendance.PRESENT:
        return fmt(_("%(holder)s is not present, so cannot hold the proxy of %(name)s."), holder=holder.name, name=name)
    return None
