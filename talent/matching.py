"""Matching the resource libraries (信息服务平台): for an enterprise demand, the projects, patents and experts that
fit it; for a project, the demands. A pure rule module, like councils/tally.py: library rows come in as ``Entry``
values (the caller reads them from the database), ranked ``Suggestion`` values go out, each explained.

How entries are compared:
- **Words, not characters.** Text is cut into words by jieba (the portal's search tokenizer and user dictionary,
  search mode, so 细胞治疗 also yields 细胞 and 治疗); English words are lower-cased and stemmed (antibodies →
  antibodi), so mixed Chinese and English text compares word by word and no model is downloaded. Single Chinese
  characters, numbers and common function words are left out.
- **TF-IDF** (scikit-learn) over those words with sub-linear term frequency: a word rare in the library and
  present in both texts weighs most; the text similarity is the cosine of the two vectors.
- **Themes** (tags such as the industry codes ``biomed``) add their overlap (Jaccard) with weight
  ``THEME_WEIGHT``: score = (1 − w) × text similarity + w × theme overlap.
- **The explanation** of a suggestion is what both sides share: the tags, and the words that contribute most to
  the similarity (a compound shown once, without the sub-words it contains).

The index (``Matcher``) is built once for a library's contents (seconds for ten thousand entries: the word cutting)
and then answers each query in milliseconds; the caller keeps it until the library changes.
"""

from dataclasses import dataclass, field
from functools import cache

import numpy as np

from portal.search.segment import WORD, get_tokenizer, is_latin_word, stem

THEME_WEIGHT = 0.3
MINIMUM_SCORE = 0.05  # below this a pair shares too little to be worth an officer's time
TERMS_SHOWN = 5
# Words of almost every library entry (寻求…合作, 项目, 技术, the district's own name): they make every pair look alike.
CHINESE_STOP_WORDS = frozenset(
    (
        "我们", "你们", "他们", "以及", "或者", "并且", "可以", "进行", "通过", "相关", "具有", "一个", "一种",
        "需要", "寻求", "希望", "合作", "项目", "企业", "技术", "公司", "开展", "实现", "提供", "用于", "基于",
        "主要", "目前", "已经", "能够", "包括", "其中", "方面", "领域", "问题", "情况", "这个", "那个", "什么",
        "如何", "坪山",
    )
)  # fmt: skip


@cache
def stop_stems() -> frozenset:
    # scikit-learn loads when an index is first built, not when the portal's URLs load (~0.9 s of every start).
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(stem(word) for word in ENGLISH_STOP_WORDS)


@dataclass(frozen=True)
class Entry:
    """One library row as the matcher sees it: ``key`` is what the caller finds the row by (e.g. ``("demand", 7)``),
    ``kind`` its library, ``text`` its title and description in whatever languages it was written."""

    key: object
    kind: str
    text: str
    tags: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class Suggestion:
    entry: Entry
    score: float  # 0..1
    similarity: float  # the text's cosine, 0..1
    shared_tags: tuple
    shared_terms: tuple  # the words both texts share, the weightiest first


def _words(text: str):
    """(term, the word as written) for each word of ``text`` that can make two entries alike."""
    for word in get_tokenizer().cut_for_search(str(text or "")):
        word = word.strip()
        if not word or not WORD.search(word) or word.isdigit():
            continue
        if is_latin_word(word):
            term = stem(word)
            if len(term) < 2 or term in stop_stems():
                continue
        elif len(word) < 2 or word in CHINESE_STOP_WORDS:
            continue
        else:
            term = word
        yield term.lower(), word.lower()


def terms(text: str) -> list[str]:
    """The terms of ``text`` (see the module's docstring): what the index compares."""
    return [term for term, _word in _words(text)]


def _as_written(*texts) -> dict:
    """Term → the word as first written in ``texts`` (antibodies, not its stem antibodi), for explanations."""
    written = {}
    for text in texts:
        for term, word in _words(text):
            written.setdefault(term, word)
    return written


def _jaccard(left: frozenset, right: frozenset) -> float:
    return len(left & right) / len(left | right) if left and right else 0.0


def _without_parts(words) -> tuple:
    """``words`` (weightiest first) without those contained in a word shown before them: 细胞治疗, not also 细胞."""
    shown = []
    for word in words:
        if not any(word in other for other in shown):
            shown.append(word)
    return tuple(shown)


class Matcher:
    """The TF-IDF index of a library's entries; ``suggest`` ranks them for one entry."""

    def __init__(self, entries):
        self.entries = list(entries)
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(tokenizer=terms, lowercase=False, token_pattern=None, sublinear_tf=True)
        texts = [entry.text for entry in self.entries] or [""]
        try:
            self.matrix = self.vectorizer.fit_transform(texts).tocsr()
        except ValueError:  # no entry has a single word worth comparing
            self.matrix = None
        self.words = self.vectorizer.get_feature_names_out() if self.matrix is not None else np.array([])
        self.kinds = np.array([entry.kind for entry in self.entries])

    def suggest(self, query: Entry, kinds=None, limit=10) -> list[Suggestion]:
        """The entries of ``kinds`` (all kinds when None) that fit ``query`` best, at most ``limit``, best first;
        the query's own entry is never suggested to itself, nor a pair scoring under ``MINIMUM_SCORE``."""
        if not self.entries:
            return []
        vector = self.vectorizer.transform([query.text]) if self.matrix is not None else None
        if vector is not None and vector.nnz:
            similarity = (self.matrix @ vector.T).toarray().ravel()
        else:
            similarity = np.zeros(len(self.entries))
        overlap = np.fromiter((_jaccard(query.tags, e.tags) for e in self.entries), float, len(self.entries))
        score = (1 - THEME_WEIGHT) * similarity + THEME_WEIGHT * overlap
        allowed = score >= MINIMUM_SCORE
        if kinds is not None:
            allowed &= np.isin(self.kinds, list(kinds))
        allowed &= np.fromiter((e.key != query.key for e in self.entries), bool, len(self.entries))
        candidates = np.flatnonzero(allowed)
        if not len(candidates):
            return []
        # Best first; ties by the library's order, so the ranking is the same on every run.
        ranked = candidates[np.lexsort((candidates, -score[candidates]))][:limit]
        return [self._explained(index, vector, score[index], similarity[index], query) for index in ranked]

    def _explained(self, index, vector, score, similarity, query) -> Suggestion:
        entry = self.entries[index]
        words = ()
        if vector is not None and vector.nnz:
            shared = self.matrix[index].multiply(vector).tocoo()
            order = np.argsort(-shared.data, kind="stable")
            written = _as_written(query.text, entry.text)
            shown = (written.get(str(self.words[shared.col[i]]), str(self.words[shared.col[i]])) for i in order)
            words = _without_parts(shown)[:TERMS_SHOWN]
        return Suggestion(
            entry=entry,
            score=round(float(score), 4),
            similarity=round(float(similarity), 4),
            shared_tags=tuple(sorted(query.tags & entry.tags)),
            shared_terms=tuple(str(word) for word in words),
        )
