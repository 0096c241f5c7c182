"""The roadshows' dashboard panel: feedback an investor has still to give, a team's registered pitches, and for the
office the roadshows with projects to confirm. A fixed number of queries, however many roadshows there are."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from .models import InvestorRegistration, Roadshow, RoadshowProject

# Roadshows stay on the panel for a month after they end: feedback and follow-up come in the weeks after.
KEPT_FOR = datetime.timedelta(days=30)
PANEL_LENGTH = 5


def roadshows_context(request):
    user = request.user
    since = timezone.now() - KEPT_FOR
    confirmed = Q(roadshow__projects__is_confirmed=True)
    registrations = list(
        InvestorRegistration.objects.filter(investor=user, roadshow__ends_at__gte=since)
        .select_related("roadshow")
        .annotate(
            given=Count("feedback", distinct=True), pitches=Count("roadshow__projects", filter=confirmed, distinct=True)
        )
        .order_by("roadshow__starts_at")[:PANEL_LENGTH]
    )
    for registration in registrations:
        registration.to_give = max(registration.pitches - registration.given, 0)
    pitches = (
        RoadshowProject.objects.filter(base_application__application__applicant=user, roadshow__ends_at__gte=since)
        .select_related("roadshow")
        .order_by("roadshow__starts_at")[:PANEL_LENGTH]
    )
    office = (
        Roadshow.objects.filter(programme__officers=user, ends_at__gte=since)
        .annotate(unconfirmed=Count("projects", filter=Q(projects__is_confirmed=False)))
        .order_by("starts_at")[:PANEL_LENGTH]
    )
    return {"registrations": registrations, "pitches": list(pitches), "office": list(office)}
