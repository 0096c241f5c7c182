from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "portal.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from . import panels  # noqa: F401  (registers the dashboard panel)
