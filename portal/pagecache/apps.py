from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "portal.pagecache"
    label = "pagecache"
    verbose_name = _("Page cache")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import pages, store

        pages.connect()
        # A deploy migrates: pages kept by the code before it must not outlive it.
        post_migrate.connect(lambda **kwargs: store.purge_now(store.ALL), sender=self, weak=False)
