"""The libraries' matching index (talent/matching.py's ``Matcher``) as the pages read it: one index per state of
the libraries, built lazily and kept in this process until a listing or an expert changes.

Building the index for ten thousand entries takes seconds (the word cutting), so it is never built per request.
The state is read with one cheap aggregate per model (how many rows, the newest change, the highest key): any
publish, edit, archive or withdrawal changes ``updated_at``, so the version changes and the next page builds a new
index. Entries are the published listings of the three libraries and the active experts of ``portal.experts``,
whose public profile only is read (name, title, affiliation, expertise, themes — never e-mail or phone).
"""

import threading
from dataclasses import dataclass

from django.db.models import Count, Max

from portal.experts.models import Expert
from themes.models import Theme

from .matching import Entry, Matcher
from .models import LIBRARIES

EXPERTS = "experts"
# What each library is matched against (the issue: a demand → projects, patents, experts; a project → demands).
COUNTERPARTS = {"demands": ("projects", "patents", EXPERTS), "projects": ("demands",), "patents": ("demands",)}
SUGGESTIONS_SHOWN = 10

_lock = threading.Lock()
_memo = {}  # {"version": …, "matcher": …}: the newest index only


def _state(queryset):
    return tuple(queryset.aggregate(count=Count("pk"), newest=Max("updated_at"), last=Max("pk")).values())


def version() -> tuple:
    """What the index depends on; changes whenever a listing or an expert does."""
    return tuple(_state(model.objects.all()) for model in LIBRARIES.values()) + (_state(Expert.objects.all()),)


def _codes(item) -> frozenset:
    return frozenset(theme.code for theme in item.themes.all())


def listing_entry(listing) -> Entry:
    return Entry((listing.LIBRARY, listing.pk), listing.LIBRARY, listing.matching_text(), _codes(listing))


def expert_entry(expert) -> Entry:
    text = "\n".join(part for part in (expert.title, expert.affiliation_display, expert.expertise) if part)
    return Entry((EXPERTS, expert.pk), EXPERTS, text, _codes(expert))


def _entries():
    for model in LIBRARIES.values():
        for listing in model.objects.published().prefetch_related("themes").order_by("pk"):
            yield listing_entry(listing)
    experts = Expert.objects.active().select_related("affiliation").prefetch_related("themes").order_by("pk")
    for expert in experts:
        yield expert_entry(expert)


def matcher() -> Matcher:
    """The index of the libraries as they are now (built when they changed since the last one)."""
    current = version()
    with _lock:
        if _memo.get("version") != current:
            _memo["matcher"] = Matcher(_entries())
            _memo["version"] = current
        return _memo["matcher"]


@dataclass
class Match:
    """A suggestion with the row it names, for the page: the listing or expert, its score and why."""

    kind: str
    item: object
    score: float
    shared_terms: tuple
    shared_themes: list

    @property
    def is_expert(self) -> bool:
        return self.kind == EXPERTS

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    def explanation(self) -> dict:
        """What is kept on the introduction: the score and the shared words and theme codes."""
        return {
            "score": self.score,
            "shared_terms": list(self.shared_terms),
            "shared_themes": [theme.code for theme in self.shared_themes],
        }


def _rows(kind, pks):
    if kind == EXPERTS:
        queryset = Expert.objects.active().select_related("affiliation", "user")
    else:
        queryset = LIBRARIES[kind].objects.published().select_related("submitted_by")
    return queryset.prefetch_related("themes").in_bulk(pks)


def suggestions_for(listing, limit=SUGGESTIONS_SHOWN) -> list[Match]:
    """The entries that fit ``listing`` best, best first, each with the row it names and its explanation."""
    found = matcher().suggest(listing_entry(listing), kinds=COUNTERPARTS.get(listing.LIBRARY, ()), limit=limit)
    keys = {}
    for suggestion in found:
        keys.setdefault(suggestion.entry.kind, []).append(suggestion.entry.key[1])
    rows = {kind: _rows(kind, pks) for kind, pks in keys.items()}
    codes = {code for suggestion in found for code in suggestion.shared_tags}
    themes = Theme.objects.in_bulk(codes, field_name="code") if codes else {}
    matches = []
    for suggestion in found:
        kind, pk = suggestion.entry.key
        item = rows[kind].get(pk)
        if item is None:  # changed since the index was built (the next page rebuilds it)
            continue
        matches.append(
            Match(
                kind=kind,
                item=item,
                score=suggestion.score,
                shared_terms=suggestion.shared_terms,
                shared_themes=[themes[code] for code in suggestion.shared_tags if code in themes],
            )
        )
    return matches
