"""Dashboard panels: "My applications" for applicants, "Applications waiting" for officers."""

from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from portal.workspace.registry import Panel, register_panel

from . import permissions
from .models import Application, ApplicationState

PANEL_LIMIT = 8


def _mine(request):
    applications = Application.objects.filter(applicant=request.user).for_list().order_by("-updated_at", "-pk")
    shown = list(applications[: PANEL_LIMIT + 1])
    return {"applications": shown[:PANEL_LIMIT], "more": len(shown) > PANEL_LIMIT}


def _waiting(request):
    """Undecided applications of the owners one manages, the latest sent first (an answered supplement counts)."""
    applications = (
        permissions.managed_applications(request.user)
        .filter(state=ApplicationState.SUBMITTED)
        .for_list()
        .annotate(sent_at=Max("submissions__submitted_at"), sent=Count("submissions"))
        .order_by("-sent_at", "-pk")
    )
    shown = list(applications[: PANEL_LIMIT + 1])
    return {"applications": shown[:PANEL_LIMIT], "more": len(shown) > PANEL_LIMIT}


register_panel(
    Panel(
        key="applications.mine",
        title=_("My applications"),
        template="applications/panels/mine.html",
        order=25,
        is_visible=permissions.can_see_applicant_panel,
        get_context=_mine,
    )
)

register_panel(
    Panel(
        key="applications.waiting",
        title=_("Applications waiting"),
        template="applications/panels/waiting.html",
        order=26,
        is_visible=permissions.can_see_officer_panel,
        get_context=_waiting,
    )
)
