from urllib.parse import urlsplit

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language


def localized(chinese, english):
    """The English text when English is active and there is one; the Chinese text otherwise."""
    return english if get_language() == "en" and english else chinese


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
