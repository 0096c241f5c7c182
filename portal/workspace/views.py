from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import permissions
from .registry import visible_panels_for


def dashboard(request):
    if not permissions.can_open_workspace(request.user):
        return redirect_to_login(request.get_full_path())
    panels = [(panel, panel.get_context(request)) for panel in visible_panels_for(request)]
    return render(request, "workspace/dashboard.html", {"panels": panels, "page_title": _("Workspace")})
