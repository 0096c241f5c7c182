from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "portal.applications"
    label = "applications"
    verbose_name = _("Applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.history import verbs
        from portal.pagecache import tags
        from portal.pagecache.watch import watch

        from . import panels  # noqa: F401  (registers the dashboard panels)
        from .models import ApplicationVerb, Checklist, ChecklistItem

        verbs.register(ApplicationVerb)
        # Requests for supplement past their deadline expire just after midnight (the worker's schedule).
        from . import jobs

        jobs.register()
        # The public pages of calls list their checklist's required documents.
        watch(Checklist, lambda checklist: (tags.checklist(checklist.pk),), moves=False)
        watch(ChecklistItem, lambda item: (tags.checklist(item.checklist_id),))
