"""Wagtail pages in the page cache: the ``CachedPage`` mixin, and the purge when a page is published,
unpublished, moved or deleted.

Every page is tagged ``page:<translation key>`` — one tag for all its languages — and with what else it shows
(``cache_tags``); a change purges the page's own tag, the tags of the lists it appears in (``purge_tags``: the
news article in "news"), before and after the change, and the header's navigation when the page sits in it."""

from __future__ import annotations

from django.db.models.signals import post_delete, pre_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import restrictions
from .public import cache_public
from .store import ALL, purge
from .tags import SITE
from .watch import watch

NAVIGATION_DEPTH = 3  # the home pages' children are the navigation's items
BEFORE = "_page_cache_page_before"


def page_tag(page) -> str:
    return f"page:{page.translation_key}"


class CachedPage:
    """Mixin for a public Page model: served from the page cache to anonymous visitors."""

    def cache_tags(self, request):
        """The tags of what else this page shows (lists, counts, snippets); its own tag is added."""
        return ()

    def purge_tags(self):
        """The tags of the pages that show this page (the lists it is in)."""
        return ()

    def serve(self, request, *args, **kwargs):
        cache_public(request, page_tag(self), *self.cache_tags(request))
        return super().serve(request, *args, **kwargs)

    def get_view_restrictions(self):
        # Asked by Wagtail before every serve: no query while no page on the site has a restriction.
        if not restrictions.any_restricted():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def tags_of(page) -> set:
    page = page.specific
    tags = {page_tag(page), *(page.purge_tags() if isinstance(page, CachedPage) else ())}
    if page.depth <= NAVIGATION_DEPTH:
        tags.add(SITE)
    return tags


def before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or not isinstance(instance, Page):
        return
    old = type(instance)._base_manager.filter(pk=instance.pk).first()
    setattr(instance, BEFORE, tags_of(old) if old is not None else set())


def changed(sender, instance, **kwargs):
    if isinstance(instance, Page):
        purge(*(getattr(instance, BEFORE, set()) | tags_of(instance)))


def moved(sender, instance, **kwargs):
    # The page and its descendants changed address: their breadcrumbs carry the page's tag.
    purge(*tags_of(instance), SITE)


def connect() -> None:
    pre_save.connect(before_save, dispatch_uid="pagecache-page-before")
    page_published.connect(changed, dispatch_uid="pagecache-published")
    page_unpublished.connect(changed, dispatch_uid="pagecache-unpublished")
    post_delete.connect(changed, dispatch_uid="pagecache-deleted")
    post_page_move.connect(moved, dispatch_uid="pagecache-moved")
    watch(Site, lambda site: [ALL], moves=False)
    watch(Locale, lambda locale: [ALL], moves=False)
    restrictions.connect()
