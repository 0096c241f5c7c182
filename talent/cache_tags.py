"""The page cache's tags of the talent programmes' public pages (portal/pagecache): the views and the section of theme
pages depend on them, the watchers in TalentConfig.ready() purge them."""

from .models import SpecialStage

PROGRAMMES = "talent:programmes"  # the list of programmes (/talent/)
CALLS = "talent:calls"  # every open call as theme pages list them
ROADSHOWS = "talent:roadshows"  # the lists of roadshows: the roadshow list, programme pages, theme pages
NOTICES = "talent:notices"  # who is on public notice
EXPERTS = "talent:experts"  # the public expert pool


def programme(pk) -> str:
    """A programme's own facts: its page, and the pages that name it (its calls', its roadshows')."""
    return f"talent:programme:{pk}"


def programme_calls(pk) -> str:
    """A programme's open, coming and past calls on its page."""
    return f"talent:programme-calls:{pk}"


def call(pk) -> str:
    return f"talent:call:{pk}"


def roadshow(pk) -> str:
    """A roadshow's page: its facts, confirmed pitches and the places left."""
    return f"talent:roadshow:{pk}"


def library(slug) -> str:
    """A library's public list (every query string of it) and the theme pages' newest entries."""
    return f"talent:library:{slug}"


def listing(slug, pk) -> str:
    return f"talent:listing:{slug}:{pk}"


def for_programme(row):
    return (PROGRAMMES, programme(row.pk))


def for_call(row):
    return (CALLS, call(row.pk), programme_calls(row.programme_id))


def for_roadshow(row):
    return (ROADSHOWS, roadshow(row.pk))


def for_roadshow_part(row):
    """A pitch or an investor's registration: the roadshow's page (pitches confirmed, places left)."""
    return (roadshow(row.roadshow_id),)


def for_listing(row):
    return (library(row.LIBRARY), listing(row.LIBRARY, row.pk))


def for_candidate(row):
    """A special-talent application shows on the public notice only in its notice stage (read before and after each
    write: entering and leaving it both purge)."""
    return (NOTICES,) if row.stage == SpecialStage.NOTICE else ()
