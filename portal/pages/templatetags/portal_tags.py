from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

from portal.memo import memo
from portal.pagecache.fragments import cached_fragment
from portal.pagecache.pages import page_tag
from portal.pagecache.public import depends_on
from portal.pagecache.tags import SITE
from portal.pages import routing

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
    site = routing.site_for(request)
    return site.root_page.localized if site else None


def _site_key(request) -> int | None:
    site = routing.site_for(request)
    return site.pk if site else None


@register.simple_tag(takes_context=True)
def main_navigation(context):
    """The site's sections (the home page's children in the menu), the current one marked; the same for everyone."""
    request = context.get("request")
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    section = current_path[: 3 * Page.steplen]  # the home page's child it is in, if any: that item is marked

    def render():
        home = _home_for_active_locale(request)
        items = [
            {"page": item, "active": bool(section) and section.startswith(item.path)}
            for item in (home.get_children().live().in_menu() if home else [])
        ]
        home_active = bool(home and isinstance(current, Page) and current.depth == home.depth)
        depends_on(request, SITE)
        values = {"home": home, "items": items, "home_active": home_active}
        return render_to_string("includes/main_navigation.html", values, request=request)

    return cached_fragment(request, "navigation", (_site_key(request), section), render)


@register.simple_tag(takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if page is None or not isinstance(page, Page) or page.depth <= 2:
        return ""
    request = context.get("request")

    def render():
        # Skip the tree root (depth 1); start at the locale's home page.
        ancestors = list(page.get_ancestors().filter(depth__gte=2))
        depends_on(request, *(page_tag(each) for each in (*ancestors, page)))
        return render_to_string("includes/breadcrumbs.html", {"ancestors": ancestors, "page": page}, request=request)

    return cached_fragment(request, "breadcrumbs", (_site_key(request), page.pk), render)


@register.simple_tag(takes_context=True)
def language_switch(context):
    """Links to this page in the other languages: the page's translation, or that language's home."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page):
        return render_to_string("includes/language_switch.html", {"links": _links(request, None)}, request=request)

    def render():
        depends_on(request, page_tag(page), SITE)
        return render_to_string("includes/language_switch.html", {"links": _links(request, page)}, request=request)

    return cached_fragment(request, "language-switch", (_site_key(request), page.pk), render)


def _links(request, page):
    current = translation.get_language()
    translations, homes = {}, {}
    if page is not None:
        translations = {
            translated.locale.language_code: translated
            for translated in page.get_translations(inclusive=True).live().select_related("locale")
        }
        if len(translations) < len(settings.LANGUAGES):
            home = _home_for_active_locale(request)
            homes = {
                translated.locale.language_code: translated
                for translated in (home.get_translations(inclusive=True).select_related("locale") if home else [])
            }
    links = []
    for code, name in settings.LANGUAGES:
        if page is not None:
            target = translations.get(code) or homes.get(code)
            url = target.url if target else "/"
        else:
            url = translate_url(request.get_full_path(), code) if request else "/"
        links.append({"code": code, "name": name, "url": url, "active": code == current})
    return links


@register.simple_tag(takes_context=True)
def site_footer(context):
    """Who runs the site and how to reach them (the site's footer settings)."""
    request = context.get("request")

    def render():
        depends_on(request, SITE)
        return render_to_string("includes/footer.html", request=request)

    return cached_fragment(request, "footer", (_site_key(request),), render)
