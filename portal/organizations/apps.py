from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "portal.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from portal.pagecache import tags
        from portal.pagecache.watch import watch

        from . import panels  # noqa: F401  (registers the dashboard panel)

        # Theme pages count their themes' industry organizations.
        watch(self.get_model("Organization"), lambda organization: (tags.ORGANIZATIONS,), moves=False, m2m=("themes",))
