"""The talent work meeting's dashboard panel: the votes a member has still to cast in a meeting in session, and for
the officers the meetings of their programmes in session with the votes still open. A fixed number of queries."""

from django.db.models import Count, Q

from portal.voting.models import Ballot
from portal.voting.permissions import votable_polls

from .models import Deliberation, DeliberationItem, DeliberationState

PANEL_LENGTH = 5


def polls_to_cast(user):
    """Open polls in which the user still has their own ballot to cast."""
    return votable_polls(user).exclude(pk__in=Ballot.objects.filter(entry__user=user).values("entry__poll"))


def deliberations_context(request):
    user = request.user
    to_cast = list(
        DeliberationItem.objects.filter(
            deliberation__state=DeliberationState.IN_SESSION,
            poll__in=polls_to_cast(user),
        )
        .select_related("deliberation", "application", "poll")
        .order_by("deliberation__starts_at", "position", "pk")[:PANEL_LENGTH]
    )
    running = list(
        Deliberation.objects.filter(state=DeliberationState.IN_SESSION, programme__officers=user)
        .annotate(open_votes=Count("items", filter=Q(items__poll__isnull=False, items__passed__isnull=True)))
        .order_by("starts_at", "pk")[:PANEL_LENGTH]
    )
    return {"to_cast": to_cast, "running": running}
