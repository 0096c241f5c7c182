from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "portal.pages"
    label = "pages"
    verbose_name = _("Public pages")

    def ready(self):
        from portal.pagecache.tags import SITE
        from portal.pagecache.watch import watch

        watch(self.get_model("SiteFooterSettings"), lambda footer: (SITE,), moves=False)
        # The news step of the data at scale (manage.py seed_scale, portal/pages/scale.py).
        from . import scale

        scale.register()
