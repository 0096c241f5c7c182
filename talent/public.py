"""The talent section of a theme page: the offshore base's open calls for the theme's sector, its newest published
library entries of that theme, and coming roadshows. Public things only, in a constant number of queries."""

from django.utils import timezone

from portal.pagecache.public import depends_on

from . import cache_tags
from .models import LIBRARIES, Call, EnterpriseDemand, PatentListing, ProjectListing, Roadshow

SHOWN = 3


def talent_section(theme, page, request):
    today = timezone.localdate()
    calls = list(
        Call.objects.open_on(today).filter(themes=theme).select_related("programme").order_by("closes_on")[:SHOWN]
    )
    listings = []
    for model in (ProjectListing, EnterpriseDemand, PatentListing):
        listings += list(model.objects.published().filter(themes=theme).order_by("-published_at")[:SHOWN])
    listings.sort(key=lambda listing: listing.published_at, reverse=True)
    roadshows = list(
        Roadshow.objects.published().filter(themes=theme, ends_at__gte=timezone.now()).order_by("starts_at")[:SHOWN]
    )
    # A coming roadshow leaves the section when it ends, with no write: the kept page goes then at the latest.
    ends = min((roadshow.ends_at for roadshow in roadshows), default=None)
    depends_on(
        request,
        cache_tags.CALLS,
        cache_tags.ROADSHOWS,
        *(cache_tags.library(slug) for slug in LIBRARIES),
        until=ends.timestamp() if ends else None,
    )
    if not (calls or listings or roadshows):
        return None
    return {"calls": calls, "listings": listings[: SHOWN * 2], "roadshows": roadshows}
