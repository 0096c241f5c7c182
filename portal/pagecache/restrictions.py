"""Whether any page has a view restriction (a password, logged-in users only, groups), remembered in the store.

Wagtail asks the database for the restrictions of a page and its ancestors on every serve (two queries) and again
for every ``.public()`` list. Most sites have none: while the store says so, a page has none to check and a public
list is the live one as it is. Any restriction saved or deleted purges the fact (``connect``), on every node."""

from __future__ import annotations

import time

from django.conf import settings
from wagtail.models import PageViewRestriction

from . import fragments, store
from .watch import watch

TAG = "view-restrictions"
KEY = "view-restrictions"


def any_restricted() -> bool:
    if not settings.FRAGMENT_CACHE_ENABLED:
        return True  # nothing remembered: ask Wagtail
    kept = fragments.kept(KEY)
    if kept is not None:
        return kept.content
    made = store.Render(started=time.time(), tags={TAG})
    found = PageViewRestriction.objects.exists()
    fragments.keep(KEY, found, made)
    return found


def public(queryset):
    """``queryset.public()``, without its query of the restrictions while there are none."""
    return queryset.public() if any_restricted() else queryset


def connect() -> None:
    # A page made private or public again leaves or joins the lists: every kept page goes with the fact.
    watch(PageViewRestriction, lambda restriction: [TAG, store.ALL], moves=False)
