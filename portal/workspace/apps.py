from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "portal.workspace"
    label = "workspace"
    verbose_name = _("Workspace")

    def ready(self):
        from . import panels  # noqa: F401  (registers the platform's own panels)
