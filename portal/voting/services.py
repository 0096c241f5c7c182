"""State changes of polls: create, open (snapshot the electorate), cast a ballot, close (record the tally).

Each function checks permission (``PermissionDenied``), validates (``ValidationError`` with a translated
message; nothing is written), writes inside one transaction, records the action in Wagtail's audit log and
notifies the people concerned. The poll row is locked for the duration so that a ballot cannot slip in while
the poll is being closed.
"""

from collections import Counter
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal import authority, lifecycle
from portal.authority import Power
from portal.history.record import Tell, record
from portal.memo import forget
from portal.text import clean_text

from . import permissions
from .models import (
    Ballot,
    Base,
    Choice,
    ElectorateEntry,
    Majority,
    Poll,
    PollState,
    SecretBallotCount,
    VoteRecord,
)
from .queries import electorate_counts, poll_counts
from .tally import quorum_fraction, tally

MAX_QUORUM_DENOMINATOR = 1_000_000


def _lock(poll):
    """Lock the poll's row until the transaction ends and reload it (another request may have changed it)."""
    list(Poll.objects.select_for_update().filter(pk=poll.pk).values_list("pk", flat=True))
    poll.refresh_from_db()
    forget(poll)


def _unique(users):
    """Users in the given order without repeats, keyed by pk."""
    found = {}
    for user in users or ():
        if user is not None:
            found.setdefault(user.pk, user)
    return found


# --- create -----------------------------------------------------------------------------------------------


@transaction.atomic
def create_poll(
    *,
    actor,
    owner,
    subject,
    title,
    majority=Majority.SIMPLE,
    base=Base.YES_NO_ABSTAIN,
    quorum=Fraction(1, 2),
    secret=False,
    max_proxies_per_holder=1,
    opens_at=None,
    closes_at=None,
    description="",
):
    """A draft poll of ``owner`` (the body that votes) on ``subject``. Whoever holds MANAGE over the owner in
    ``portal.authority`` runs it; the actor must be one of them.

    ``quorum`` is the fraction of the electorate that must be present: int, Fraction, Decimal or a string
    such as ``"2/3"`` (never a float).
    """
    if not permissions.can_create_poll(actor, owner):
        raise PermissionDenied
    errors = {}
    try:
        title = clean_text(Poll, {"title": title}, required={"title": _("Give the vote a title.")})["title"]
    except ValidationError as error:
        errors.update(error.error_dict)
    if subject is None or getattr(subject, "pk", None) is None:
        errors["subject"] = ValidationError(_("A vote must be about a saved subject."), code="subject")
    if majority not in Majority.values:
        errors["majority"] = ValidationError(_("Unknown majority rule."), code="majority")
    if base not in Base.values:
        errors["base"] = ValidationError(_("Unknown base for the majority."), code="base")
    try:
        q = quorum_fraction(quorum)
        if q.denominator > MAX_QUORUM_DENOMINATOR:
            raise ValueError("too precise")
    except ValueError:
        errors["quorum"] = ValidationError(
            _("The quorum must be an exact fraction of the electorate between 0 and 1, such as 2/3."),
            code="quorum",
        )
    if isinstance(max_proxies_per_holder, bool) or not isinstance(max_proxies_per_holder, int):
        errors["max_proxies_per_holder"] = ValidationError(_("Give a whole number of proxies."), code="proxies")
    elif not 0 <= max_proxies_per_holder <= 100:
        errors["max_proxies_per_holder"] = ValidationError(
            _("The number of proxies one member may hold must be between 0 and 100."), code="proxies"
        )
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = ValidationError(_("The deadline must be after the opening time."), code="closes_at")
    if errors:
        raise ValidationError(errors)

    poll = Poll(
        title=title,
        description=description or "",
        subject=subject,
        owner=owner,
        majority=majority,
        base=base,
        quorum_numerator=q.numerator,
        quorum_denominator=q.denominator,
        secret=bool(secret),
        max_proxies_per_holder=max_proxies_per_holder,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
    )
    poll.save()
    record(
        "voting.create",
        actor=actor,
        instance=poll,
        data={
            "majority": majority,
            "base": base,
            "quorum": f"{q.numerator}/{q.denominator}",
            "secret": bool(secret),
            "max_proxies_per_holder": max_proxies_per_holder,
            "owner": f"{poll.owner_type.app_label}.{poll.owner_type.model}:{poll.owner_id}",
        },
    )
    return poll


# --- open ---------------------------------------------------------------------------------------------------


@transaction.atomic
def open_poll(*, actor, poll, voters, present, recused=(), proxies=None):
    """Open the poll and snapshot its electorate.

    ``voters``: everyone with a vote on this subject. ``present``: who takes part in person (people in it who
    are not voters are ignored: observers have no vote). ``recused``: voters who declared a conflict; they get no
    entry. ``proxies``: ``{absent member: present member who votes for them}``.

    Refused (ValidationError, nothing written): a poll that is not a draft; an empty electorate; a proxy given
    by someone present, by a recused member or by a non-voter; held by someone absent, recused or outside the
    electorate; more proxies to one holder than ``poll.max_proxies_per_holder`` allows.
    """
    _lock(poll)
    if not permissions.can_manage_poll(actor, poll):
        raise PermissionDenied
    if not poll.is_draft:
        raise lifecycle.refused(poll)  # before the electorate is checked: nothing about it matters now
    if poll.deadline_passed():
        raise ValidationError(_("The voting deadline has already passed."), code="deadline")

    members = _unique(voters)
    recused_ids = set(_unique(recused))
    present_ids = set(_unique(present))
    electorate = {pk: user for pk, user in members.items() if pk not in recused_ids}
    errors = []
    if not electorate:
        errors.append(ValidationError(_("Nobody has a vote in this poll."), code="empty_electorate"))

    resolved = {}
    held = Counter()
    holders = {}
    for giver, holder in (proxies or {}).items():
        if giver is None or holder is None:
            continue
        params = {"giver": giver.display_name, "holder": holder.display_name}
        if giver.pk in recused_ids:
            message, code = _("%(giver)s is recused and cannot give a proxy."), "proxy_giver_recused"
        elif giver.pk not in members:
            message, code = _("%(giver)s has no vote in this poll and cannot give a proxy."), "proxy_giver_outsider"
        elif giver.pk in present_ids:
            message = _("%(giver)s is present and votes in person; only an absent member gives a proxy.")
            code = "proxy_giver_present"
        elif holder.pk == giver.pk:
            message, code = _("%(giver)s cannot hold their own proxy."), "proxy_self"
        elif holder.pk in recused_ids:
            message, code = _("%(holder)s is recused and cannot hold a proxy."), "proxy_holder_recused"
        elif holder.pk not in members:
            message = _("%(holder)s has no vote in this poll and cannot hold a proxy.")
            code = "proxy_holder_outsider"
        elif holder.pk not in present_ids:
            message, code = _("%(holder)s is absent and cannot hold a proxy."), "proxy_holder_absent"
        else:
            resolved[giver.pk] = holder
            held[holder.pk] += 1
            holders[holder.pk] = holder
            continue
        errors.append(ValidationError(message, code=code, params=params))
    for holder_pk, count in held.items():
        if count > poll.max_proxies_per_holder:
            if poll.max_proxies_per_holder == 0:
                message = _("Proxies are not allowed in this vote (%(holder)s was given %(count)s).")
            else:
                message = _("%(holder)s would hold %(count)s proxies; the rules allow at most %(max)s.")
            errors.append(
                ValidationError(
                    message,
                    code="too_many_proxies",
                    params={
                        "holder": holders[holder_pk].display_name,
                        "count": count,
                        "max": poll.max_proxies_per_holder,
                    },
                )
            )
    if errors:
        raise ValidationError(errors)

    ElectorateEntry.objects.bulk_create(
        ElectorateEntry(poll=poll, user=user, present=pk in present_ids, proxy_holder=resolved.get(pk))
        for pk, user in electorate.items()
    )
    if poll.secret:
        SecretBallotCount.objects.bulk_create(SecretBallotCount(poll=poll, choice=choice) for choice in Choice.values)
    lifecycle.take(poll, "start_voting", actor)
    poll.save()
    forget(poll)
    record(
        "voting.open",
        actor=actor,
        instance=poll,
        data={
            "electorate": sorted(electorate),
            "present": sorted(pk for pk in electorate if pk in present_ids),
            "recused": sorted(pk for pk in recused_ids if pk in members),
            "proxies": {str(giver): holder.pk for giver, holder in sorted(resolved.items())},
        },
        tell=Tell(
            electorate.values(),
            title=format_lazy(_("Vote open: {title}"), title=poll.title),
            body=_("A vote in which you have a vote is open. Follow the link for its rules and your ballot."),
            url=poll.link(),
        ),
    )
    return poll


# --- cast ---------------------------------------------------------------------------------------------------


def _already_cast():
    return ValidationError(_("This ballot has already been cast; a ballot cannot be changed."), code="already_cast")


@transaction.atomic
def cast_ballot(*, actor, poll, choice, entry=None):
    """Cast the ballot of ``entry`` (default: the actor's own entry) with ``choice`` (yes / no / abstain).

    The actor must be the entry's member, present in person, or the proxy holder of an absent member. A proxy
    holder casts each ballot they hold separately. Named polls get a ``Ballot``; secret polls a ``VoteRecord``
    (who) and one more in the chosen ``SecretBallotCount`` (what), which cannot be linked to each other.
    """
    _lock(poll)
    if poll.is_draft:
        # A draft has no electorate yet, so there is nobody whose permission could be checked.
        raise ValidationError(_("This vote has not opened yet."), code="not_open")
    if entry is None:
        own = [item for item in permissions.castable_entries(actor, poll) if item.user_id == actor.pk]
        if not own:
            raise PermissionDenied
        entry = own[0]
    elif entry.poll_id != poll.pk:
        raise PermissionDenied
    else:
        entry.refresh_from_db()
    if not permissions.can_cast_for(actor, entry):
        raise PermissionDenied
    if poll.is_closed:
        raise ValidationError(_("This vote has closed."), code="closed")
    if poll.deadline_passed():
        raise ValidationError(_("The voting deadline has passed."), code="deadline")
    if choice not in Choice.values:
        raise ValidationError(_("Choose yes, no or abstain."), code="invalid_choice")
    if poll.secret:
        if VoteRecord.objects.filter(entry=entry).exists():
            raise _already_cast()
    elif Ballot.objects.filter(entry=entry).exists():
        raise _already_cast()

    try:
        with transaction.atomic():
            if poll.secret:
                cast = VoteRecord.objects.create(poll=poll, entry=entry)
            else:
                cast = Ballot.objects.create(entry=entry, choice=choice)
    except IntegrityError:  # a concurrent request cast it first
        raise _already_cast() from None
    if poll.secret:
        # All three counters change in one statement, so nothing in their rows tells which one went up.
        updated = SecretBallotCount.objects.filter(poll=poll).update(
            count=F("count") + Case(When(choice=choice, then=Value(1)), default=Value(0))
        )
        if updated != len(Choice.values):
            raise RuntimeError(f"poll {poll.pk} has {updated} secret counters, expected {len(Choice.values)}")

    data = {"entry": entry.pk, "member": entry.user_id, "by_proxy": entry.proxy_holder_id is not None}
    if not poll.secret:
        data["choice"] = choice
    tell = None
    if entry.proxy_holder_id is not None:
        tell = Tell(
            [entry.user],
            title=format_lazy(_("Your proxy cast your ballot: {title}"), title=poll.title),
            body=format_lazy(_("{holder} cast your ballot as your proxy."), holder=actor.display_name),
            url=poll.link(),
        )
    record("voting.cast", actor=actor, instance=poll, data=data, tell=tell)
    return cast


# --- close --------------------------------------------------------------------------------------------------


@transaction.atomic
def close_poll(*, actor, poll):
    """Close the poll and record the result computed by ``tally()`` on the poll.

    ``present`` for the quorum and the ``present`` base counts members taking part in person and absent
    members represented by a proxy holder (a represented member is taking part in the meeting).
    """
    _lock(poll)
    if not permissions.can_manage_poll(actor, poll):
        raise PermissionDenied
    return _finish(poll, actor=actor, by=actor)


@transaction.atomic
def close_polls_about(subject, *, actor=None, reason=""):
    """Close every poll still open about ``subject``, because what it decides was settled elsewhere (the opinion
    it would approve was issued or revoked). The caller's service checked its own permission: this is its
    consequence, so it needs none over the polls. Each closes with its count, and its managers are told why."""
    polls = Poll.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, state=PollState.OPEN
    )
    for pk in polls.values_list("pk", flat=True):
        poll = Poll(pk=pk)
        _lock(poll)
        if poll.is_open:
            _finish(poll, actor=actor, by=None, reason=reason)


def _finish(poll, *, actor, by, reason=""):
    """Count and close; ``by`` is whose permission the transition is taken under (None: a consequence)."""
    counts = poll_counts(poll)
    electorate, present = electorate_counts(poll)
    result = tally(
        counts[Choice.YES],
        counts[Choice.NO],
        counts[Choice.ABSTAIN],
        electorate=electorate,
        present=present,
        majority=poll.majority,
        base=poll.base,
        quorum=poll.quorum,
    )
    lifecycle.take(poll, "finish_voting", by, result)
    poll.save()
    data = {
        "yes": result.yes,
        "no": result.no,
        "abstain": result.abstain,
        "electorate": result.electorate,
        "present": result.present,
        "base": result.base,
        "required_present": result.required_present,
        "quorum_met": result.quorum_met,
        "passed": result.passed,
    }
    if reason:
        data["reason"] = str(reason)
    record(
        "voting.close",
        actor=actor,
        instance=poll,
        data=data,
        tell=Tell(
            authority.holders(poll.owner, Power.MANAGE),
            title=format_lazy(
                _("Vote closed: {title} — {outcome}"),
                title=poll.title,
                outcome=_("passed") if result.passed else _("not passed"),
            ),
            body=reason,
            url=poll.link(),
        ),
    )
    return result
