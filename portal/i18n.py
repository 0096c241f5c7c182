from urllib.parse import urlsplit

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language


def localized(chinese, english):
    """The English text when English is active and there is one; the Chinese text otherwise."""
    return english if get_language() == "en" and english else chinese


class Localized:
    """A model attribute read in the reader's language from a pair of fields: ``name = Localized("name_zh",
    "name_en")`` is localized(self.name_zh, self.name_en) wherever ``obj.name`` is read (templates, admin lists)."""

    def __init__(self, chinese: str, english: str):
        self.chinese, self.english = chinese, english

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return localized(getattr(instance, self.chinese), getattr(instance, self.english))


def url_in_language(url: str, language: str) -> str:
    """The same link in ``language``: /workspace/… ⇄ /en/workspace/….

    The caller reversed ``url`` in the actor's language. ``translate_url`` resolves a path in the active
    language only, so it runs in the language the path is written in (no prefix: the default language).
    A link to another site, or a path it cannot resolve, is left as given.
    """
    parts = urlsplit(url)
    if not url or parts.scheme or parts.netloc:
        return url
    written_in = translation.get_language_from_path(parts.path) or settings.LANGUAGE_CODE
    if written_in == language:
        return url
    with translation.override(written_in):
        return translate_url(url, language)


def in_every_language(build):
    """``build()`` evaluated in each of the site's languages: what a preview stores for every reader."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(build())
    return texts


def in_reader_language(texts) -> str:
    """The stored text (see in_every_language) in the active language, else in the site's."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return texts.get(language) or texts.get(settings.LANGUAGE_CODE) or next(iter(texts.values()), "")
