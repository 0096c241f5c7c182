"""The libraries' dashboard panels: entries waiting for a curator's approval, and a person's open introductions."""

from django.db.models import Q

from . import permissions
from .models import LIBRARIES, Introduction, IntroductionState, ListingState

PANEL_LENGTH = 5


def listings_context(request):
    programmes = permissions.programmes_for(request.user)
    waiting, rows = 0, []
    for model in LIBRARIES.values():
        pending = model.objects.filter(programme__in=programmes, state=ListingState.PENDING)
        waiting += pending.count()
        rows += pending.order_by("created_at", "pk")[:PANEL_LENGTH]
    rows.sort(key=lambda row: row.created_at)  # the longest waiting first
    for row in rows:
        row.library_name = type(row)._meta.verbose_name
    return {"listings": rows[:PANEL_LENGTH], "waiting": waiting}


def introductions_context(request):
    user = request.user
    rows = (
        Introduction.objects.filter(Q(left_person=user) | Q(right_person=user))
        .filter(state__in=(IntroductionState.SENT, IntroductionState.ACCEPTED))
        .select_related("left_person", "right_person")[:PANEL_LENGTH]
    )
    return {"introductions": list(rows)}
