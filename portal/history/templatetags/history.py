"""Links stored with a history line were reversed in the actor's language; a reader follows them in theirs."""

from django import template
from django.utils.translation import get_language

from portal.i18n import url_in_language

register = template.Library()


@register.filter
def in_reader_language(url):
    return url_in_language(url or "", get_language())
