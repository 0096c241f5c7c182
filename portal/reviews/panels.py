"""The "My review assignments" dashboard panel."""

from django.utils.translation import gettext_lazy as _

from portal.workspace.registry import Panel, register_panel

from . import permissions
from .models import Assignment

PANEL_LIMIT = 8


def _context(request):
    assignments = list(Assignment.objects.for_user(request.user)[: PANEL_LIMIT + 1])
    return {"assignments": assignments[:PANEL_LIMIT], "more": len(assignments) > PANEL_LIMIT}


register_panel(
    Panel(
        key="reviews.assignments",
        title=_("My review assignments"),
        template="reviews/panels/assignments.html",
        order=30,
        is_visible=permissions.can_see_assignments_panel,
        get_context=_context,
    )
)


def _managed_context(request):
    rounds = list(permissions.managed_rounds(request.user).order_by("-created_at", "-pk")[: PANEL_LIMIT + 1])
    return {"rounds": rounds[:PANEL_LIMIT], "more": len(rounds) > PANEL_LIMIT}


register_panel(
    Panel(
        key="reviews.managed_rounds",
        title=_("Review rounds I manage"),
        template="reviews/panels/managed_rounds.html",
        order=31,
        is_visible=permissions.manages_any_round,
        get_context=_managed_context,
    )
)
