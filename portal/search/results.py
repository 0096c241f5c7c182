"""The one search the site runs: live, public pages in one language, every term required.

On SQLite and PostgreSQL the results are the newest RANKED_MATCHES matching pages (the most recently indexed first),
most relevant first; more matches than that read "more than RANKED_MATCHES" (``capped``). Ranking every match cost
what the reader never sees: over 20,000 articles a two-word search matched 15,817, and scoring them all took 130 ms on
either database on the 2-core machine, where finding the newest thousand and scoring only those takes 30 to 40 ms
(tests/benchmarks/README.md). Wagtail's backends rank every match twice (count, then the page), and their
PostgreSQL match concatenates the title and body vectors per row (no index can serve it): 0.6 to 0.9 s.
"""

import functools

from django.db import connection
from django.db.models import Case, F, FloatField, Func, IntegerField, Q, TextField, When
from django.db.models.functions import Cast
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import PlainText

from portal.pagecache.restrictions import public

# The newest matches that are ranked and shown; more are reported as "more than".
RANKED_MATCHES = 1000
# How many body matches a title match is worth in SQLite's ranking (PostgreSQL's title has weight A, its body D).
TITLE_WEIGHT = 10


def searchable_pages(locale):
    """The pages a visitor of ``locale``'s site may find."""
    return public(Page.objects.live()).filter(locale=locale)


def find_pages(terms, locale):
    """Search results for the (already segmented and stemmed) ``terms``, most relevant first."""
    pages = searchable_pages(locale)
    if connection.vendor == "sqlite":
        return SQLiteRankedPages(pages, terms)
    if connection.vendor == "postgresql":
        return PostgresRankedPages(pages, terms)
    return pages.specific().search(PlainText(" ".join(terms), operator="and"), order_by_relevance=True)


class RankedPages:
    """The newest matches, scored, as a Paginator's object list: ``newest`` gives (index entry id, page id, score) of
    the RANKED_MATCHES + 1 most recently indexed matches, higher scores better; only the page shown is read as pages."""

    newest = None  # set by the database's subclass

    @functools.cached_property
    def _newest_scored(self):
        # Newest first by the index entry, as the database chose them; the one past the limit is the oldest.
        return [row[1:] for row in sorted(self.newest, key=lambda row: -row[0])]

    @property
    def capped(self):
        """True when more pages match than are ranked and shown."""
        return len(self._newest_scored) > RANKED_MATCHES

    @functools.cached_property
    def _ids(self):
        # Best first; of equal scores the newer (the larger page id) first.
        ranked = sorted(self._newest_scored[:RANKED_MATCHES], key=lambda row: (-row[1], -row[0]))
        return [page_id for page_id, _score in ranked]

    def count(self):
        return len(self._ids)

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        ids = self._ids[window]
        found = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
        return [found[pk] for pk in ids if pk in found]


class SQLiteRankedPages(RankedPages):
    """FTS5 reads the matches newest first (its rowid is the index entry's id) and stops at the limit, so bm25 runs
    for those alone; the backend's own match expression, over the title and body columns."""

    def __init__(self, pages, terms):
        # Only defined when the database is SQLite, so imported here.
        from modelsearch.utils import get_descendants_content_types_pks
        from wagtail.search.backends.database.sqlite.query import MatchExpression, normalize
        from wagtail.search.models import SQLiteFTSIndexEntry

        backend = get_search_backend()
        query = PlainText(" ".join(terms), operator="and")
        compiler = backend.query_compiler_class(pages, query)
        config = compiler.get_config(backend)
        match = MatchExpression(compiler.FTS_TABLE_FIELDS, compiler.build_search_query(normalize(query), config))
        object_ids = pages.annotate(object_id=Cast("pk", TextField())).values("object_id")
        self.newest = (
            SQLiteFTSIndexEntry.objects.filter(match)
            .filter(
                index_entry__content_type__in=get_descendants_content_types_pks(Page),
                index_entry__object_id__in=object_ids,
            )
            .order_by("-index_entry_id")
            .annotate(
                page_id=Cast("index_entry__object_id", IntegerField()),
                score=-TitleWeightedBM25(SQLiteFTSIndexEntry._meta.db_table),
            )
            .values_list("index_entry_id", "page_id", "score")[: RANKED_MATCHES + 1]
        )


class PostgresRankedPages(RankedPages):
    """Each term must be in the title or the body (the backend's match, on the index's own two columns, which its GIN
    indexes serve); the newest matches are scored with the backend's own score (ts_rank of the title times its norm
    plus ts_rank of the body, same weights). The vectors stay in the row (search migration 0001)."""

    def __init__(self, pages, terms):
        # Only defined when the database is PostgreSQL, so imported here.
        from django.contrib.postgres.search import SearchRank
        from modelsearch.backends.database.postgres.weights import get_sql_weights
        from modelsearch.utils import get_descendants_content_types_pks
        from wagtail.search.models import IndexEntry

        backend = get_search_backend()
        compiler = backend.query_compiler_class(pages, PlainText(" ".join(terms), operator="and"))
        config = compiler.get_config(backend)
        match = Q()
        for term in terms:
            lexeme = compiler.build_tsquery(PlainText(term), config=config)
            match &= Q(title=lexeme) | Q(body=lexeme)
        whole = compiler.build_tsquery(compiler.query, config=config)
        weights = get_sql_weights()
        score = SearchRank(F("title"), whole, weights=weights) * F("title_norm") + SearchRank(
            F("body"), whole, weights=weights
        )
        # The page id as a number (a text join hashed every page: 95 ms instead of 30), where it is one.
        entries = IndexEntry.objects.annotate(
            page_id=Case(When(object_id__regex=r"^[0-9]{1,9}$", then=Cast("object_id", IntegerField())))
        )
        newest = (
            entries.filter(match, content_type__in=get_descendants_content_types_pks(Page))
            .filter(page_id__in=pages.values("pk"))
            .order_by("-pk")
            .values("pk")[: RANKED_MATCHES + 1]
        )
        # Scored outside the subquery, so only the newest are scored whatever plan finds them.
        self.newest = entries.filter(pk__in=newest).annotate(score=score).values_list("pk", "page_id", "score")


class TitleWeightedBM25(Func):
    """SQLite FTS5's bm25 over Wagtail's index table (columns: autocomplete, body, title), a title match weighing
    TITLE_WEIGHT body matches. Lower is better. The backend's bm25 weighs every column alike, so a headline match
    counted no more than a passing mention in the body."""

    output_field = FloatField()

    def __init__(self, table):
        super().__init__()
        self.table = table

    def as_sql(self, compiler, connection, **extra_context):
        return f"bm25({connection.ops.quote_name(self.table)}, 0.0, 1.0, {TITLE_WEIGHT:.1f})", []
