from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "portal.opinions"
    label = "opinions"
    verbose_name = _("Opinions")

    def ready(self):
        from portal import subjects
        from portal.workspace.registry import Panel, register_panel

        from .models import Opinion
        from .panels import opinions_context
        from .permissions import can_view, shows_opinions_panel

        subjects.register(Opinion, can_view=can_view)  # a poll about an opinion links it for those who may read it
        # The page cache: an opinion issued or revoked leaves the public lists of its issuer's owner.
        from . import cache_tags

        cache_tags.connect()

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
