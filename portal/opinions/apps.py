from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "portal.opinions"
    label = "opinions"
    verbose_name = _("Opinions")

    def ready(self):
        from portal.workspace.registry import Panel, register_panel

        from .panels import opinions_context
        from .permissions import shows_opinions_panel

        register_panel(
            Panel(
                key="portal.opinions",
                title=_("Opinions"),
                template="opinions/panels/mine.html",
                order=40,
                is_visible=shows_opinions_panel,
                get_context=opinions_context,
            )
        )
