from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "portal.voting"
    label = "voting"
    verbose_name = _("Voting")

    def ready(self):
        from portal.workspace.registry import Panel, register_panel

        from . import panels, permissions

        register_panel(
            Panel(
                key="voting.open_votes",
                title=_("Open votes"),
                template="voting/panels/open_votes.html",
                order=30,
                is_visible=permissions.can_see_open_votes_panel,
                get_context=panels.open_votes_context,
            )
        )
