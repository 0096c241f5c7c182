"""Who may do what with polls. Every function returns a plain bool.

* **Create** a poll for a body, and **manage** it (open, close, see who has not voted yet): whoever holds
  ``Power.MANAGE`` over the poll's owner in ``portal.authority`` (a council's own secretariat, a fund's
  managers, a programme's officers; superusers to repair). A role or ``is_staff`` grants nothing here.
* **See** a poll: its managers, and — once it is open — its electorate: every member with an entry (also an
  absent member whose proxy votes for them) and every proxy holder. Everyone else gets 404.
* **Vote**: while the poll is open and before its deadline, for an entry the user casts: their own entry
  if they are present in person, or an absent member's entry whose proxy they hold. An absent member who gave
  a proxy does not vote themselves; an absent member without a proxy does not vote.
* **Results** (counts, quorum, outcome): everyone who may see the poll, after it has closed. While it is open
  they see the turnout only (how many have voted), never running counts: in a secret poll two readings around
  one person's vote would reveal it, and in any poll running counts sway the votes still to come.
* **Named votes** (who voted how): everyone who may see the poll, after a named poll has closed. Never for a
  secret poll — nothing stored could tell. While a named poll is open each voter sees only their own choices.
* **Who has not voted yet** (names only): the poll's managers while it is open.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from portal import authority, lifecycle
from portal.accounts.roles import is_active_user
from portal.authority import Power
from portal.memo import memo

from .models import ElectorateEntry, Poll, PollState


def related_entries(user, poll) -> list:
    """The poll's entries that concern the user: their own, and those whose proxy they hold."""
    if not is_active_user(user) or poll.pk is None:
        return []
    return memo(
        poll,
        ("entries", user.pk),
        lambda: list(
            ElectorateEntry.objects.filter(poll=poll)
            .filter(Q(user=user) | Q(proxy_holder=user))
            .select_related("user", "proxy_holder")
            .order_by("-present", "user__real_name", "user__username", "pk")
        ),
    )


def can_cast_for(user, entry) -> bool:
    """Whether this user's hand casts this entry's ballot (ignores the poll's state)."""
    if not is_active_user(user):
        return False
    if entry.proxy_holder_id is not None:
        return entry.proxy_holder_id == user.pk
    return bool(entry.user_id == user.pk and entry.present)


def castable_entries(user, poll) -> list:
    """Entries the user casts, own entry first."""
    entries = [entry for entry in related_entries(user, poll) if can_cast_for(user, entry)]
    return sorted(entries, key=lambda entry: entry.user_id != user.pk)


def can_create_poll(user, owner) -> bool:
    """Hold a vote for ``owner``: only who holds MANAGE over that body."""
    return authority.holds(user, owner, Power.MANAGE)


def can_manage_poll(user, poll) -> bool:
    if not is_active_user(user) or poll.pk is None:
        return False
    return memo(poll, ("manager", user.pk), lambda: authority.holds(user, poll.owner, Power.MANAGE))


def is_in_electorate(user, poll) -> bool:
    """Has an entry in the snapshot, or holds someone's proxy. A draft poll has no electorate yet."""
    if poll.is_draft:
        return False
    return bool(related_entries(user, poll))


def can_view_poll(user, poll) -> bool:
    return bool(can_manage_poll(user, poll) or is_in_electorate(user, poll))


def can_vote(user, poll) -> bool:
    """In the electorate with a ballot of their own to cast (own or by proxy), and the poll is open now."""
    if not poll.is_open or poll.deadline_passed():
        return False
    return bool(castable_entries(user, poll))


def can_open_poll(user, poll) -> bool:
    return lifecycle.allowed(poll, "start_voting", user)


def can_close_poll(user, poll) -> bool:
    return lifecycle.allowed(poll, "finish_voting", user)


def can_see_turnout(user, poll) -> bool:
    return bool(not poll.is_draft and can_view_poll(user, poll))


def can_see_results(user, poll) -> bool:
    return bool(poll.is_closed and can_view_poll(user, poll))


def can_see_named_votes(user, poll) -> bool:
    return bool(not poll.secret and can_see_results(user, poll))


def can_see_who_has_not_voted(user, poll) -> bool:
    return bool(poll.is_open and can_manage_poll(user, poll))


def votable_polls(user):
    """Open polls, before their deadline, in which the user casts at least one ballot (own or proxy)."""
    if not is_active_user(user):
        return Poll.objects.none()
    castable = ElectorateEntry.objects.filter(poll=OuterRef("pk")).filter(
        Q(proxy_holder=user) | Q(user=user, present=True, proxy_holder__isnull=True)
    )
    return (
        Poll.objects.filter(state=PollState.OPEN)
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now()))
        .filter(Exists(castable))
    )


def can_see_open_votes_panel(user) -> bool:
    """The dashboard's "Open votes" panel shows when there is something to vote on."""
    return bool(is_active_user(user) and votable_polls(user).exists())
