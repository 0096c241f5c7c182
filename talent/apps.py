from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    """海外人才离岸创新创业基地 and 特殊人才 reviews."""

    name = "talent"
    verbose_name = _("Talent")
