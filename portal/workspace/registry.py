"""The workspace dashboard is made of panels that apps register.

    from portal.workspace.registry import Panel, register_panel
    register_panel(Panel(key="councils.meetings", title=_("My meetings"), order=20,
                         template="councils/panels/meetings.html",
                         is_visible=permissions.can_see_meetings_panel,
                         get_context=lambda request: {...}))

``is_visible(user) -> bool`` comes from the app's permissions.py; a panel that is not visible
is never rendered, and its get_context is never called.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from portal.registry import Registry


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    is_visible: Callable  # (user) -> bool
    order: int = 100
    get_context: Callable = field(default=lambda request: {})  # (request) -> dict
    wide: bool = False
    # Role codes whose "what you will find here" hint this panel replaces once it is visible.
    answers_roles: tuple = ()


_panels = Registry()
register_panel = _panels.register
unregister_panel = _panels.unregister


def visible_panels(user) -> list[Panel]:
    return [panel for panel in _panels.ordered() if panel.is_visible(user) is True]


def visible_panels_for(request) -> list[Panel]:
    """visible_panels(request.user), decided once per request: the dashboard and a panel that needs to know
    its neighbours (the account panel's role hints) share the answer instead of asking every panel twice."""
    if not hasattr(request, "_visible_panels"):
        request._visible_panels = visible_panels(request.user)
    return request._visible_panels
