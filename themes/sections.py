"""Extension point for theme pages.

A theme page shows the theme's news now; later issues add its council, fund, opinions and open
calls. Each domain app registers a section in its AppConfig.ready():

    from themes.sections import ThemeSection, register_section
    register_section(ThemeSection(key="council", order=20, template="councils/theme_section.html",
                                  get_context=lambda theme, page, request: {...} or None))

A section whose get_context returns None is not shown. Sections show public aggregate
figures only: nothing a logged-out visitor may not see.
"""

from collections.abc import Callable
from dataclasses import dataclass

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
    """[(section, context)] for every registered section that has something to show."""
    shown = []
    for section in _sections.ordered():
        context = section.get_context(theme, page, request)
        if context is not None:
            shown.append((section, context))
    return shown
