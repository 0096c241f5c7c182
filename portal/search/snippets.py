import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

SNIPPET_CHARS = 120


def make_snippet(text: str, terms) -> str:
    """About SNIPPET_CHARS characters of text around the first matched term, terms in <mark>.

    Escapes the text first, so the only markup in the result is ours.
    """
    text = " ".join(re.sub(r"<[^>]+>", " ", text or "").split())
    lowered = text.lower()
    terms = [term.lower() for term in terms if term]
    positions = [lowered.find(term) for term in terms if lowered.find(term) >= 0]
    start = max(0, min(positions) - SNIPPET_CHARS // 4) if positions else 0
    window = text[start : start + SNIPPET_CHARS]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
    html = escape(window)
    if terms:
        pattern = re.compile("|".join(re.escape(escape(term)) for term in sorted(terms, key=len, reverse=True)), re.I)
        html = pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", html)
    return mark_safe(prefix + html + suffix) if window else escape(Truncator(text).chars(SNIPPET_CHARS))
