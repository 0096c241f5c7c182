from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "portal.applications"
    label = "applications"
    verbose_name = _("Applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.history import verbs

        from . import panels  # noqa: F401  (registers the dashboard panels)
        from .models import ApplicationVerb

        verbs.register(ApplicationVerb)
