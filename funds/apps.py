from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    """生物医药科技产业创新基金: fund, deal pipeline, investment committee, portfolio (issue 10)."""

    name = "funds"
    verbose_name = _("Biomedicine innovation fund")

    def ready(self):
        from portal import subjects
        from portal.history import verbs

        from . import authority, permissions
        from .models import Deal
        from .verbs import FundVerb

        authority.register()
        verbs.register(FundVerb)
        # A review round or an IC poll on a deal links back to the deal for those who may see it.
        subjects.register(Deal, can_view=permissions.can_view_deal)
