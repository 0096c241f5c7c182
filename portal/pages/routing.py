"""Wagtail's page serving with its routing remembered: the site of a host and the page of a path are kept in the
page cache's store, so a page costs one query to find instead of one per level of the tree and its locale.

What is kept is checked before it is used, not trusted: the page read by its key must still be live and still sit at
the address it was found at, or Wagtail routes afresh; sites and locales changing purge everything (pagecache.pages).
So a page published, moved, renamed or unpublished is never served at its old address. Only a page's own address is
kept: a sub-path that a page routes itself (a feed below the news index) is routed by Wagtail every time."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from portal.pagecache import fragments, store


def serve(request, path):
    """wagtail.views.serve, with the site and the route taken from the store when they still hold."""
    if settings.FRAGMENT_CACHE_ENABLED:
        site = site_for(request)
        if site is not None:
            _route(request, site, path)
    return wagtail_views.serve(request, path)


def site_for(request):
    """Wagtail's ``Site.find_for_request``, remembered per host and port (what every page's header asks too)."""
    if request is None or hasattr(request, "_wagtail_site") or not settings.FRAGMENT_CACHE_ENABLED:
        return Site.find_for_request(request)
    key = f"site:{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
    kept = fragments.kept(key)
    site = kept.content if kept is not None else None
    if site is None:
        made = store.Render(started=time.time())
        site = Site.find_for_request(request)  # Wagtail's lookup: the host, then the default site
        if site is not None:
            fragments.keep(key, site, made)
    request._wagtail_site = site
    return site


def _route(request, site, path):
    key = f"route:{site.pk}:{translation.get_language()}:{path}"
    kept = fragments.kept(key)
    if kept is not None:
        content_type_id, page_id, url_path = kept.content
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model and model._default_manager.filter(pk=page_id, live=True, url_path=url_path).first()
        if page is not None:
            # The page's own route of its own address: itself, or its index view for a page that routes sub-paths.
            request._wagtail_route_for_request = page.route(request, [])
            return
    made = store.Render(started=time.time())
    result = Page.route_for_request(request, path)
    if result is not None and result.page.url_path == site.root_page.localized.url_path + path:
        # Kept only when the whole path was the page's address (not a sub-path a page routes itself).
        page = result.page
        fragments.keep(key, (page.content_type_id, page.pk, page.url_path), made)
