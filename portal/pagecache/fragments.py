"""Parts of a page kept in the shared cache between renders: what every page shows around its content (navigation,
language switch, breadcrumbs, footer) and the theme pages' sections cost a cache read instead of their queries, for
every visitor, logged in or not.

A fragment is kept with the tags it depends on (what its render passed to ``depends_on``), the time its render
started and its own limit (``until``, never past midnight), in the page cache's store, and is stale once any of its
tags is purged after that time: the same exact invalidation as whole pages (``store.unchanged``). It must hold
nothing personal: its key names everything it varies by (language, page, site …). The page that shows a fragment
depends on its tags and limit too, whether the fragment was read or made."""

from __future__ import annotations

import contextlib
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.safestring import mark_safe

from . import store
from .public import depends_on, render_of


@dataclass
class Fragment:
    started: float
    expires: float
    until: float | None  # the render's own limit, passed on to the page that shows it
    tags: tuple
    content: str


PREFIX = "pagecache:fragment:1:"  # the number changes with Fragment's fields: a file cache outlives a deploy


def kept(key):
    """What ``keep`` stored under ``key``, unless it expired or a tag of it was purged since."""
    fragment = store.page_store().get(PREFIX + key)
    if fragment is not None and fragment.expires > time.time() and store.unchanged(fragment.tags, fragment.started):
        return fragment
    return None


def keep(key, value, made) -> None:
    """Store ``value`` under ``key`` with the tags and limit ``made`` (a ``store.Render``) collected."""
    expires = store.lifetime(made)
    tags = tuple(sorted({*made.tags, store.ALL}))
    store.put(PREFIX + key, Fragment(made.started, expires, made.expires, tags, value), tags, expires)


def cached_fragment(request, name: str, parts: tuple, render) -> str:
    """``render()`` (HTML) once per ``name``, ``parts`` and language, until a tag it depends on is purged."""
    if not settings.FRAGMENT_CACHE_ENABLED:
        return render()
    raw = "|".join(str(part) for part in (name, translation.get_language(), *parts))
    key = hashlib.sha256(raw.encode()).hexdigest()
    fragment = kept(key)
    if fragment is not None:
        depends_on(request, *fragment.tags, until=fragment.until)
        return mark_safe(fragment.content)  # noqa: S308 (our own render of a template, kept as it was)
    with collecting(request) as made:
        content = render()
    keep(key, str(content), made)
    return content


@contextlib.contextmanager
def collecting(request):
    """The tags (and limit) of what renders inside the block, whoever is looking; passed on to the page after it."""
    outer = render_of(request)
    inner = store.Render(started=time.time(), public=bool(outer and outer.public))
    if request is None:  # rendered outside a request (a test, a command): nothing to pass on
        yield inner
        return
    request.page_cache = inner
    try:
        yield inner
    finally:
        request.page_cache = outer
        depends_on(request, *inner.tags, until=inner.expires)
