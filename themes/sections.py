"""Extension point for theme pages.

A theme page shows the theme's news now; later issues add its council, fund, opinions and open
calls. Each domain app registers a section in its AppConfig.ready():

    from themes.sections import ThemeSection, register_section
    register_section(ThemeSection(key="council", order=20, template="councils/theme_section.html",
                                  get_context=lambda theme, page, request: {...} or None))

A section whose get_context returns None is not shown. Sections show public aggregate
figures only: nothing a logged-out visitor may not see.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

from portal.pagecache.fragments import cached_fragment
from portal.registry import Registry


@dataclass(frozen=True)
class ThemeSection:
    key: str
    order: int
    template: str
    get_context: Callable  # (theme, theme_page, request) -> dict | None


_sections = Registry()
register_section = _sections.register
unregister_section = _sections.unregister


def render_sections(theme, page, request):
    """[HTML of each registered section that has something to show], in order. Each is kept between renders until
    what it showed changes (the tags it depends on): they are public and the same for everyone."""
    shown = []
    for section in _sections.ordered():
        render = functools.partial(_render, section, theme, page, request)
        html = cached_fragment(request, f"theme-section:{section.key}", (page.pk,), render)
        if html:
            shown.append(html)
    return shown


def _render(section, theme, page, request) -> str:
    context = section.get_context(theme, page, request)
    return "" if context is None else render_to_string(section.template, {"section": context}, request=request)
