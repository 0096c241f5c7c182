"""The "Claims to decide" dashboard panel: requests to act for an organization that the reader may decide."""

from django.utils.translation import gettext_lazy as _

from portal.workspace.registry import Panel, register_panel

from . import permissions

PANEL_LIMIT = 8


def _context(request):
    claims = list(permissions.claims_to_decide(request.user).select_related("organization", "user")[: PANEL_LIMIT + 1])
    return {"claims": claims[:PANEL_LIMIT], "more": len(claims) > PANEL_LIMIT}


register_panel(
    Panel(
        key="organizations.claims",
        title=_("Claims to decide"),
        template="organizations/panels/claims.html",
        order=15,
        is_visible=permissions.has_claims_to_decide,
        get_context=_context,
    )
)
