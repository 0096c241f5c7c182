"""Words to suggest on an empty search: taken from the titles of what is published, and each one tried.

A fixed example in the template went stale as soon as the content changed (the Chinese site suggested an
English phrase that found nothing there), so the examples come from the pages a visitor can find, and only a
word the real search finds is offered.
"""

import copy

from django.core.cache import cache
from django.db.models import Count, Max

from .results import find_pages, searchable_pages
from .segment import LATIN_WORD, get_tokenizer, is_latin_word, query_terms

TITLES_READ = 60
CANDIDATES_TRIED = 12
CACHE_SECONDS = 600
MIN_ENGLISH_LETTERS = 4

_keywords = None


def initialize():
    """jieba's TF-IDF keywords (its shipped IDF table and stop words) over our tokenizer and user dictionary.

    About 1.8 s (importing jieba.analyse loads its tagger and a default IDF table too): a server calls this at
    start (SearchConfig.ready), so the first empty search does not wait for it; other commands load it when needed.
    """
    global _keywords
    if _keywords is None:
        from jieba.analyse import default_tfidf

        # A copy of the extractor jieba made on import shares its IDF table (read-only) instead of reading it again.
        extractor = copy.copy(default_tfidf)
        extractor.tokenizer = get_tokenizer()
        _keywords = extractor
    return _keywords


def _keyword_extractor():
    return _keywords or initialize()


def _worth_suggesting(word: str) -> bool:
    if is_latin_word(word):
        return len(word) >= MIN_ENGLISH_LETTERS
    # Chinese words of two characters or more; nothing with digits or punctuation.
    return len(word) >= 2 and word.isalpha()


def _candidates(titles) -> list[str]:
    """Distinctive words of the titles, most characteristic first, once each."""
    text = " 。 ".join(titles)
    # Counted in lower case, so Chips and chips are one word; shown as written, lower case unless only ever
    # capitalised (a name such as Pingshan).
    written = {}
    for word in LATIN_WORD.findall(text):
        if word.lower() not in written or word.islower():
            written[word.lower()] = word
    words = _keyword_extractor().extract_tags(text.lower(), topK=CANDIDATES_TRIED * 3)
    chosen = []
    for word in words:
        word = written.get(word, word)
        if _worth_suggesting(word) and word not in chosen:
            chosen.append(word)
    return chosen[:CANDIDATES_TRIED]


def suggested_terms(locale, count: int = 3) -> list[str]:
    """Up to ``count`` words that the search finds something for on ``locale``'s site right now."""
    pages = searchable_pages(locale).filter(depth__gt=2)  # the root and the home page say nothing
    figures = pages.aggregate(pages=Count("pk"), latest=Max("last_published_at"))
    if not figures["pages"]:
        return []
    # Publishing, unpublishing or editing a page changes the key, so a suggestion never outlives its page.
    stamp = figures["latest"].timestamp() if figures["latest"] else 0
    key = f"search-suggestions:{locale.pk}:{count}:{figures['pages']}:{stamp}"
    terms = cache.get(key)
    if terms is None:
        titles = pages.order_by("-last_published_at", "-pk").values_list("title", flat=True)[:TITLES_READ]
        terms = []
        for word in _candidates(list(titles)):
            words = query_terms(word)
            if words and find_pages(words, locale).count():
                terms.append(word)
            if len(terms) == count:
                break
        cache.set(key, terms, CACHE_SECONDS)
    return terms
