from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "portal.history"
    label = "history"
    verbose_name = _("History")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The audit log's step of the data at scale (manage.py seed_scale, portal/history/scale.py).
        from . import scale

        scale.register()
