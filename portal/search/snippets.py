import re

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .segment import LATIN_WORD, is_latin_word, stem

SNIPPET_CHARS = 120


def _matcher(terms):
    """A function giving the (start, end) spans of text that match the search terms.

    Chinese terms (and multi-word phrases) match as written; an English word matches wherever a word of the
    text has the same stem, so a search for "chips" marks "chip" and "Chips" whole.
    """
    terms = [term.lower() for term in terms if term]
    stems = {stem(term) for term in terms if is_latin_word(term)}
    literal = sorted({term for term in terms if not is_latin_word(term)}, key=len, reverse=True)
    alternatives = [re.escape(term) for term in literal] + [LATIN_WORD.pattern]
    pattern = re.compile("|".join(alternatives), re.I)

    def spans(text):
        for match in pattern.finditer(text):
            found = match.group(0)
            if not is_latin_word(found) or stem(found) in stems:
                yield match.span()

    return spans


def make_snippet(text: str, terms) -> str:
    """About SNIPPET_CHARS characters of text around the first matched term, terms in <mark>.

    Escapes every piece of the text, so the only markup in the result is ours.
    """
    text = " ".join(re.sub(r"<[^>]+>", " ", text or "").split())
    spans = _matcher(terms)
    first = next(spans(text), None)
    start = max(0, first[0] - SNIPPET_CHARS // 4) if first else 0
    window = text[start : start + SNIPPET_CHARS]
    if not window:
        return escape(Truncator(text).chars(SNIPPET_CHARS))
    pieces, position = [], 0
    for span_start, span_end in spans(window):
        pieces.append(conditional_escape(window[position:span_start]))
        pieces.append(format_html("<mark>{}</mark>", window[span_start:span_end]))
        position = span_end
    pieces.append(conditional_escape(window[position:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)
