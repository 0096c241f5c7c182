"""Read-only questions about polls, shared by services, views and the dashboard panel."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from .models import Ballot, Choice, ElectorateEntry, SecretBallotCount, VoteRecord


def poll_counts(poll) -> dict:
    """``{choice: count}`` for all three choices (secret polls: from the counters)."""
    counts = dict.fromkeys(Choice.values, 0)
    if poll.secret:
        rows = SecretBallotCount.objects.filter(poll=poll).values_list("choice", "count")
    else:
        rows = (
            Ballot.objects.filter(entry__poll=poll)
            .values("choice")
            .annotate(n=Count("pk"))
            .values_list("choice", "n")
            .order_by()
        )
    for choice, count in rows:
        counts[choice] = count
    return counts


def electorate_counts(poll) -> tuple[int, int]:
    """(members in the electorate, members taking part: present in person or represented by a proxy)."""
    totals = ElectorateEntry.objects.filter(poll=poll).aggregate(
        electorate=Count("pk"),
        present=Count("pk", filter=Q(present=True) | Q(proxy_holder__isnull=False)),
    )
    return totals["electorate"], totals["present"]


def has_voted_expression(poll):
    """An Exists() telling, for an ElectorateEntry queryset, whether the entry's ballot has been cast."""
    model = VoteRecord if poll.secret else Ballot
    return Exists(model.objects.filter(entry=OuterRef("pk")))


def entries_with_status(poll):
    """The electorate with ``has_voted`` annotated (and, for named polls, ``choice``), ordered by name."""
    queryset = (
        ElectorateEntry.objects.filter(poll=poll)
        .select_related("user", "proxy_holder")
        .annotate(has_voted=has_voted_expression(poll))
        .order_by("user__real_name", "user__username", "pk")
    )
    if not poll.secret:
        queryset = queryset.annotate(choice=Subquery(Ballot.objects.filter(entry=OuterRef("pk")).values("choice")[:1]))
    return queryset


def voted_entry_ids(poll, entries) -> set:
    """Which of these entries (of this poll) have been cast."""
    model = VoteRecord if poll.secret else Ballot
    return set(model.objects.filter(entry__in=[entry.pk for entry in entries]).values_list("entry_id", flat=True))


def named_choices(poll, entries) -> dict:
    """``{entry id: choice}`` for a named poll; always empty for a secret one (nothing links them)."""
    if poll.secret:
        return {}
    return dict(Ballot.objects.filter(entry__in=[entry.pk for entry in entries]).values_list("entry_id", "choice"))
