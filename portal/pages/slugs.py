"""Readable ASCII slugs for pages with Chinese titles.

Wagtail keeps Chinese in slugs (WAGTAIL_ALLOW_UNICODE_SLUGS), and a Chinese slug travels as a long
%-encoded string once copied out of the address bar. People expect pinyin: 坪山新闻 → pingshan-xinwen,
one hyphen-free run per word (jieba's words, as in search) and words joined by hyphens.
"""

import unicodedata

from django.utils.text import slugify
from pypinyin import lazy_pinyin

from portal.search.segment import get_tokenizer


def pinyin_slug(text: str, max_length: int) -> str:
    """The pinyin slug of ``text`` (ASCII, lower case), cut at a word boundary to ``max_length``.

    Latin letters and digits are kept; punctuation and characters without a reading are dropped, so
    the result may be empty.
    """
    text = unicodedata.normalize("NFKC", text)  # full-width digits and letters (２０２６) as ASCII, one word
    words = ("".join(lazy_pinyin(word)) for word in get_tokenizer().cut(text))
    slug = slugify(" ".join(words))  # ASCII only
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0][:max_length]
    return slug.strip("-")


def available_slug(base: str, parent_page, page, max_length: int) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever no sibling under ``parent_page`` uses (as Wagtail does)."""
    from wagtail.models import Page

    candidate, suffix = base, 1
    while not Page._slug_is_available(candidate, parent_page, page):
        suffix += 1
        tail = f"-{suffix}"
        candidate = base[: max_length - len(tail)].rstrip("-") + tail
    return candidate
