from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    """产业共治委员会: councils, charters, membership, committees, workspaces (issue #4)."""

    name = "councils"
    verbose_name = _("Industry co-governance councils")

    def ready(self):
        from portal import subjects
        from portal.accounts.roles import RoleCode
        from portal.history import verbs
        from portal.workspace.registry import Panel, register_panel
        from themes.sections import ThemeSection, register_section

        from . import authority, permissions
        from .models import ActivityVerb, Motion
        from .panels import workspaces_context
        from .public import council_section

        authority.register()
        verbs.register(ActivityVerb)
        # The worker's schedule: the day a term ends, its representative and the secretariat are told.
        from . import jobs

        jobs.register()
        # The page cache: writes of what the public council section shows purge it (councils/cache_tags.py).
        from . import cache_tags

        cache_tags.connect()
        # A motion's vote links back to the motion for those who may see it.
        subjects.register(Motion, can_view=permissions.can_see_motion)
        register_section(
            ThemeSection(key="council", order=20, template="councils/theme_section.html", get_context=council_section)
        )
        register_panel(
            Panel(
                key="councils.workspaces",
                title=_("My council work"),
                template="councils/panels/workspaces.html",
                order=30,
                is_visible=permissions.shows_workspaces_panel,
                get_context=workspaces_context,
                answers_roles=(RoleCode.COUNCIL_MEMBER, RoleCode.SECRETARIAT),
            )
        )
        from portal.opinions.signals import opinion_issued

        from .services.opinions import record_issued

        opinion_issued.connect(record_issued, dispatch_uid="councils_opinion_issued")
