from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page
from wagtail.search.query import PlainText

from .index import readable_text
from .segment import MAX_QUERY_CHARS, query_terms
from .snippets import make_snippet

RESULTS_PER_PAGE = 10


def search(request):
    raw_query = request.GET.get("q", "")
    query = " ".join(raw_query.split())[:MAX_QUERY_CHARS]
    terms = query_terms(query)
    results_page = None
    if terms:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        hits = pages.search(PlainText(" ".join(terms), operator="and"), order_by_relevance=True)
        paginator = Paginator(hits, RESULTS_PER_PAGE)
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
    context = {
        "query": query,
        "terms": terms,
        "query_was_truncated": len(" ".join(raw_query.split())) > MAX_QUERY_CHARS,
        "query_had_no_words": bool(query) and not terms,
        "results_page": results_page,
        "page_title": _("Search"),
    }
    return render(request, "search/search.html", context)


def _plain_text_of(page):
    """The readable text of a result page: summary or introduction, then the body."""
    lead = getattr(page, "summary", "") or getattr(page, "intro", "")
    return f"{lead} {readable_text(getattr(page, 'body', None))}".strip()
