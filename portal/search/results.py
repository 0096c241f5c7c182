"""The one search the site runs: live, public pages in one language, every term required."""

from wagtail.models import Page
from wagtail.search.query import PlainText


def searchable_pages(locale):
    """The pages a visitor of ``locale``'s site may find."""
    return Page.objects.live().public().filter(locale=locale)


def find_pages(terms, locale):
    """Search results for the (already segmented and stemmed) ``terms``, most relevant first."""
    query = PlainText(" ".join(terms), operator="and")
    return searchable_pages(locale).specific().search(query, order_by_relevance=True)
