"""The page cache's store: rendered anonymous responses, each kept with the tags of what it shows.

A page is stored with the time its render started and its tags ("news", "page:<translation key>", "council:3" …).
``purge(tag)`` stamps the tag with the time of the change (after the transaction commits); a stored page any of
whose tags was stamped after its render started is stale and never served again. So a change during a render is
never lost, every language's copy of a page goes at once (tags name things, not URLs), and nothing else is dropped.

A tag's stamp that the cache has evicted reads as "changed": eviction can cost a render, never serve a stale page.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from .tags import SITE

ALL = "all"  # every stored page carries it: purge(ALL) empties the page cache
TAG_PREFIX = "pagecache:tag:"
PAGE_PREFIX = "pagecache:page:"


def page_store():
    return caches[settings.PAGE_CACHE_ALIAS]


@dataclass
class Render:
    """What one anonymous request's render says about caching it: set by the view (``cache_public``)."""

    started: float
    public: bool = False
    tags: set = field(default_factory=set)
    expires: float | None = None  # at the latest (a page that shows "today" goes stale at midnight)


@dataclass
class Entry:
    started: float
    expires: float
    tags: tuple
    status: int
    headers: list
    content: bytes


def page_key(request) -> str:
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return PAGE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def next_midnight() -> float:
    """Seconds since the epoch of the coming midnight in the portal's time zone (Asia/Shanghai)."""
    now = timezone.localtime()
    tomorrow = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), now.tzinfo)
    return tomorrow.timestamp()


def fetch(key: str) -> Entry | None:
    cache = page_store()
    entry = cache.get(key)
    if entry is None or entry.expires <= time.time():
        return None
    return entry if unchanged(entry.tags, entry.started) else None


def unchanged(tags, started: float) -> bool:
    """No tag was purged (or evicted) since ``started``: what was made then from them still holds."""
    stamps = page_store().get_many([TAG_PREFIX + tag for tag in tags])
    return len(stamps) == len(tags) and all(stamp < started for stamp in stamps.values())


def lifetime(render: Render) -> float:
    """Seconds since the epoch until which the page may be kept: the configured lifetime, the view's own limit, and
    never past midnight (lists of what is open or on notice today change then without any write)."""
    return min(time.time() + settings.PAGE_CACHE_SECONDS, render.expires or next_midnight(), next_midnight())


def save(key: str, render: Render, response, expires: float) -> None:
    tags = tuple(sorted(render.tags | {ALL, SITE}))
    entry = Entry(render.started, expires, tags, response.status_code, list(response.items()), response.content)
    put(key, entry, tags, expires)


def put(key: str, entry, tags, expires: float) -> None:
    """Store ``entry`` (a page or a fragment made from ``tags``) until ``expires``, seconds since the epoch."""
    seconds = int(expires - time.time())
    if seconds <= 0:
        return
    cache = page_store()
    # A tag never purged gets the stamp 0 once, so that "missing" can mean "evicted" (see the module's note).
    for tag in tags:
        cache.add(TAG_PREFIX + tag, 0, timeout=None)
    cache.set(key, entry, timeout=seconds)


def purge_now(*tags: str) -> None:
    # A purge counts as later than renders that start up to PAGE_CACHE_PURGE_MARGIN seconds after it: those of a
    # host whose clock runs that much ahead of this one are not kept either.
    stamp = time.time() + settings.PAGE_CACHE_PURGE_MARGIN
    page_store().set_many({TAG_PREFIX + tag: stamp for tag in tags}, timeout=None)


def purge(*tags: str) -> None:
    """Every stored page showing any of these tags goes, now and again once the current transaction (if any)
    commits: a render between the purge and the commit would read the old rows and be kept."""
    tags = tuple(tag for tag in tags if tag)
    if tags:
        # At once as well: a test's transaction never commits, and a render started now reads the old rows anyway.
        purge_now(*tags)
        transaction.on_commit(lambda: purge_now(*tags), robust=True)
