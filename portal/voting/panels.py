"""The workspace dashboard's "Open votes" panel: one query, whatever the number of polls."""

from django.db.models import Exists, F, OuterRef, Q

from . import permissions
from .models import ElectorateEntry


def open_votes_context(request):
    user = request.user
    pending = ElectorateEntry.objects.filter(
        poll=OuterRef("pk"), ballots__isnull=True, vote_records__isnull=True
    ).filter(Q(proxy_holder=user) | Q(user=user, present=True, proxy_holder__isnull=True))
    polls = (
        permissions.votable_polls(user)
        .annotate(pending=Exists(pending))
        .order_by(F("closes_at").asc(nulls_last=True), "-opened_at", "-pk")
    )
    return {"polls": list(polls)}
