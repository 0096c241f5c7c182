from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    """生物医药科技产业创新基金: fund, deal pipeline, investment committee, performance evaluation."""

    name = "funds"
    verbose_name = _("Biomedicine innovation fund")
