from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "portal.reviews"
    label = "reviews"
    verbose_name = _("Panel reviews")

    def ready(self):
        from . import jobs, panels  # noqa: F401  (panels registers the dashboard panel)

        jobs.register()
