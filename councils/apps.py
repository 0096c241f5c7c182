from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    """产业共治委员会: councils, charters, membership, committees, workspaces (issue #4)."""

    name = "councils"
    verbose_name = _("Industry co-governance councils")

    def ready(self):
        from themes.sections import ThemeSection, register_section

        from .public import council_section

        register_section(
            ThemeSection(key="council", order=20, template="councils/theme_section.html", get_context=council_section)
        )
