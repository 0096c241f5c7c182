"""Chinese word segmentation (jieba) for the search index and for queries.

Stock SQLite/PostgreSQL full-text tokenizers treat a run of Chinese characters as one token,
so a headline containing 生物医药产业集聚发展 would only match that exact run. We store the text
segmented into words separated by spaces (search mode: long words plus their dictionary
sub-words) and split queries into the smallest words jieba knows, which the index always has.
"""

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

import jieba

USER_DICTIONARY = Path(__file__).with_name("userdict.txt")
WORD = re.compile(r"\w", re.UNICODE)
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 16

_lock = threading.Lock()
_tokenizer = None


def _get_tokenizer():
    """One jieba tokenizer for the process, built on first use (about a second)."""
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


def segment(text: str) -> str:
    """Text for the index: words (and their sub-words) separated by single spaces."""
    if not text:
        return ""
    words = _get_tokenizer().cut_for_search(str(text))
    return " ".join(word for word in words if WORD.search(word))


@lru_cache(maxsize=1024)
def query_terms(query: str) -> tuple[str, ...]:
    """The words a query must match, smallest first-seen, without duplicates or punctuation.

    A compound such as 生物医药 is replaced by its dictionary sub-words (生物, 医药): the index
    holds the sub-words wherever the compound appears, however the surrounding text was cut.
    """
    query = (query or "")[:MAX_QUERY_CHARS]
    candidates = [word.strip().lower() for word in _get_tokenizer().cut_for_search(query)]
    candidates = [word for word in candidates if word and WORD.search(word)]
    terms = []
    for word in candidates:
        has_smaller_part = any(other != word and other in word for other in candidates)
        if not has_smaller_part and word not in terms:
            terms.append(word)
    return tuple(terms[:MAX_QUERY_TERMS])
