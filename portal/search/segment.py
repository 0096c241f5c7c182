"""Chinese word segmentation (jieba) for the search index and for queries.

Stock SQLite/PostgreSQL full-text tokenizers treat a run of Chinese characters as one token,
so a headline containing 生物医药产业集聚发展 would only match that exact run. We store the text
segmented into words separated by spaces (search mode: long words plus their dictionary
sub-words) and split queries into the smallest words jieba knows, which the index always has.

English words are stemmed (Snowball) on both sides, so chip and chips, semiconductor and semiconductors,
find the same pages; neither stock tokenizer stems (SQLite's unicode61 never does).
"""

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

import jieba
import snowballstemmer

USER_DICTIONARY = Path(__file__).with_name("userdict.txt")
WORD = re.compile(r"\w", re.UNICODE)
LATIN_WORD = re.compile(r"[A-Za-z]+")
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 16

_lock = threading.Lock()
_tokenizer = None
_stem_lock = threading.Lock()
_stemmer = snowballstemmer.stemmer("english")


def initialize():
    """Load jieba's dictionary and ours (about a second): a server calls this at start (SearchConfig.ready)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                tokenizer.load_userdict(str(USER_DICTIONARY))
                _tokenizer = tokenizer
    return _tokenizer


def is_initialized() -> bool:
    return _tokenizer is not None


def get_tokenizer():
    """The process's jieba tokenizer; a command that never called initialize() loads it here, once."""
    return _tokenizer or initialize()


def is_latin_word(word: str) -> bool:
    return LATIN_WORD.fullmatch(word) is not None


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """The English stem of a Latin-letter word, lower-cased (chips → chip, studies → studi); other words as given."""
    if not is_latin_word(word):
        return word
    with _stem_lock:  # a Snowball stemmer keeps its state on the instance
        return _stemmer.stemWord(word.lower())


# Kept: Wagtail's backends read each search field of an object up to three times (title, body, autocomplete), and
# indexing many pages at once (manage.py seed_scale, update_index) meets the same texts again.
@lru_cache(maxsize=8192)
def segment(text: str) -> str:
    """Text for the index: words (and their sub-words) separated by single spaces, English words stemmed."""
    if not text:
        return ""
    words = get_tokenizer().cut_for_search(str(text))
    return " ".join(stem(word) for word in words if WORD.search(word))


@lru_cache(maxsize=1024)
def query_terms(query: str) -> tuple[str, ...]:
    """The words a query must match, smallest first-seen, without duplicates or punctuation.

    A compound such as 生物医药 is replaced by its dictionary sub-words (生物, 医药): the index
    holds the sub-words wherever the compound appears, however the surrounding text was cut.
    English words are whole words, stemmed as the index stems them (so "in" never swallows "information").
    """
    query = (query or "")[:MAX_QUERY_CHARS]
    candidates = [word.strip().lower() for word in get_tokenizer().cut_for_search(query)]
    candidates = [word for word in candidates if word and WORD.search(word)]
    compounds = [word for word in candidates if not is_latin_word(word)]
    terms = []
    for word in candidates:
        if is_latin_word(word):
            term = stem(word)
        elif any(other != word and other in word for other in compounds):
            continue
        else:
            term = word
        if term not in terms:
            terms.append(term)
    return tuple(terms[:MAX_QUERY_TERMS])
