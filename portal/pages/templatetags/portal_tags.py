from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page, Site

from portal.memo import memo
from portal.pagecache.pages import page_tag
from portal.pagecache.public import depends_on

register = template.Library()


@register.filter
def html_lang(language_code):
    """BCP 47 tag for the lang attribute: zh-hans -> zh-Hans."""
    code = (language_code or settings.LANGUAGE_CODE).lower()
    return "zh-Hans" if code == "zh-hans" else code


def _home_for_active_locale(request):
    """The site's home page in the active language, looked up once per request (the menu and the switch ask)."""
    if request is None:
        return None
    return memo(request, ("home", translation.get_language()), lambda: _find_home(request))


def _find_home(request):
    site = Site.find_for_request(request)
    return site.root_page.localized if site else None


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    request = context.get("request")
    home = _home_for_active_locale(request)
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    items = [
        {"page": item, "active": current_path.startswith(item.path)}
        for item in (home.get_children().live().in_menu() if home else [])
    ]
    return {"home": home, "items": items, "home_active": bool(home and current and current.pk == home.pk)}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if page is None or not isinstance(page, Page) or page.depth <= 2:
        return {"ancestors": [], "page": None}
    # Skip the tree root (depth 1); start at the locale's home page.
    ancestors = list(page.get_ancestors().filter(depth__gte=2))
    depends_on(context.get("request"), *(page_tag(ancestor) for ancestor in ancestors))
    return {"ancestors": ancestors, "page": page}


@register.inclusion_tag("includes/language_switch.html", takes_context=True)
def language_switch(context):
    """Links to this page in the other languages: the page's translation, or that language's home."""
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    links = []
    translations = {}
    if isinstance(page, Page):
        translations = {
            translated.locale.language_code: translated
            for translated in page.get_translations(inclusive=True).live().select_related("locale")
        }
    for code, name in settings.LANGUAGES:
        if isinstance(page, Page):
            target = translations.get(code)
            if target is None:
                try:
                    home = _home_for_active_locale(request)
                    target = home.get_translation(Locale.objects.get(language_code=code)) if home else None
                except (Page.DoesNotExist, Locale.DoesNotExist):
                    target = None
            url = target.url if target else "/"
        else:
            url = translate_url(request.get_full_path(), code) if request else "/"
        links.append({"code": code, "name": name, "url": url, "active": code == current})
    return {"links": links}
