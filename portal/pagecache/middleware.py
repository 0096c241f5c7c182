"""Serves anonymous GETs of public pages from the shared cache, and keeps the ones a view marked public.

Placed right after SecurityMiddleware (whose HTTPS redirect must come first) and before everything else, so a
hit costs two cache reads: no session, no user, no template. A stored response keeps the headers the inner
middleware gave it (CSP without a nonce, Permissions-Policy, X-Frame-Options …)."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from . import store

HEADER = "X-Page-Cache"


def eligible(request) -> bool:
    if request.method != "GET" or not settings.PAGE_CACHE_ENABLED:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False  # someone logged in, or a message waiting for them
    if "HTTP_AUTHORIZATION" in request.META or "HTTP_HX_REQUEST" in request.META:
        return False
    return not request.path.startswith(settings.PAGE_CACHE_SKIP_PREFIXES)


def storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not eligible(request):
            return self.get_response(request)
        key = store.page_key(request)
        entry = store.fetch(key)
        if entry is not None:
            response = HttpResponse(entry.content, status=entry.status)
            for name, value in entry.headers:
                response[name] = value
            response["Age"] = str(max(0, int(time.time() - entry.started)))
            response[HEADER] = "hit"
            return response
        request.page_cache = store.Render(started=time.time())
        response = self.get_response(request)
        render = request.page_cache
        if render.public and storable(response):
            expires = store.lifetime(render)
            shared = max(0, min(int(expires - time.time()), settings.PAGE_CACHE_SHARED_SECONDS))
            # Shared caches in front (nginx, a CDN) may hold it briefly; browsers ask again each time.
            patch_cache_control(response, public=True, max_age=0, s_maxage=shared)
            store.save(key, render, response, expires)
            response[HEADER] = "miss"
        return response
