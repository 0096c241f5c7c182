from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import Locale

from .index import readable_text
from .results import find_pages
from .segment import MAX_QUERY_CHARS, query_terms
from .snippets import make_snippet
from .suggestions import suggested_terms

RESULTS_PER_PAGE = 10


def search(request):
    raw_query = request.GET.get("q", "")
    query = " ".join(raw_query.split())[:MAX_QUERY_CHARS]
    terms = query_terms(query)
    locale = Locale.get_active()
    results_page = None
    capped = False
    if terms:
        results = find_pages(terms, locale)
        paginator = Paginator(results, RESULTS_PER_PAGE)
        try:
            results_page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            results_page = paginator.page(1)
        except EmptyPage:
            results_page = paginator.page(paginator.num_pages)
        highlight = (query, *terms)  # the whole query first, so 生物医药 is marked as one run
        for hit in results_page.object_list:
            hit.search_snippet = make_snippet(_plain_text_of(hit), highlight)
            hit.result_date = getattr(hit, "date", None) or hit.last_published_at
        capped = getattr(results, "capped", False)
    found_nothing = results_page is None or not results_page.paginator.count
    context = {
        "query": query,
        "terms": terms,
        "query_was_truncated": len(" ".join(raw_query.split())) > MAX_QUERY_CHARS,
        "query_had_no_words": bool(query) and not terms,
        "results_page": results_page,
        "results_capped": capped,  # more match than are shown: the count reads "more than"
        # Examples only where the visitor needs one: before searching, or after finding nothing.
        "examples": _example_links(suggested_terms(locale)) if found_nothing else "",
        "page_title": _("Search"),
    }
    return render(request, "search/search.html", context)


def _example_links(terms):
    """The suggested words as search links in one sentence-ready run: "a, b, c" (in Chinese 甲、乙、丙)."""
    if not terms:
        return ""
    url = reverse("search")
    links = format_html_join(
        pgettext("between items of a list", ", "),
        '<a href="{}?{}">{}</a>',
        ((url, urlencode({"q": term}), term) for term in terms),
    )
    return format_html('<span class="search-suggestions">{}</span>', links)


def _plain_text_of(page):
    """The readable text of a result page: summary or introduction, then the body."""
    lead = getattr(page, "summary", "") or getattr(page, "intro", "")
    return f"{lead} {readable_text(getattr(page, 'body', None))}".strip()
