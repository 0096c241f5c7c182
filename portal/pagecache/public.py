"""What views say about the page cache: ``cache_public(request, *tags)`` before rendering a public page, and
``depends_on(request, *tags)`` from anything that adds to it (a theme section, a template tag).

Only anonymous GETs without a session or messages get a ``Render`` (the middleware decides); for everyone else both
calls do nothing, so a view calls them without asking who is looking."""

from __future__ import annotations

import functools


def render_of(request):
    return getattr(request, "page_cache", None)


def cache_public(request, *tags: str, until: float | None = None) -> None:
    """This response may be kept and served to every anonymous visitor until one of ``tags`` is purged (or
    ``until``, seconds since the epoch, or the next midnight, whichever comes first). Call it before rendering:
    the page then carries no CSRF token and no CSP nonce."""
    render = render_of(request)
    if render is None:
        return
    render.public = True
    render.tags.update(tags)
    if until is not None:
        render.expires = until if render.expires is None else min(render.expires, until)


def depends_on(request, *tags: str, until: float | None = None) -> None:
    """What renders into a page adds the tags of what it shows, and ``until`` when it shows something that changes
    with the clock alone (a roadshow leaves "coming" once it ends)."""
    render = render_of(request)
    if render is not None:
        render.tags.update(tags)
        if until is not None:
            render.expires = until if render.expires is None else min(render.expires, until)


def is_cached(request) -> bool:
    """True while rendering a page that will be kept: it must hold nothing personal, no token and no nonce."""
    render = render_of(request)
    return bool(render and render.public)


def cached_public(*tags: str):
    """Decorator of a function view: ``cache_public(request, *tags)`` before it runs."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            cache_public(request, *tags)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def context(request):
    """Context processor: ``page_cached`` for base.html (no CSRF token on a cached page)."""
    return {"page_cached": is_cached(request)}
