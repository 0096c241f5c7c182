from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    """海外人才离岸创新创业基地 (issue 12) and 特殊人才 reviews (issue 13)."""

    name = "talent"
    verbose_name = _("Talent")

    def ready(self):
        from portal import subjects
        from portal.applications import kinds
        from portal.history import verbs

        from . import authority, permissions
        from .base_kind import BASE_APPLICATION
        from .models import BaseApplication
        from .verbs import TalentVerb

        authority.register()
        verbs.register(TalentVerb)
        # The libraries' dashboard panels (talent/library_panels.py): entries to approve, open introductions.
        from portal.workspace.registry import Panel, register_panel

        from .library_panels import introductions_context, listings_context

        register_panel(
            Panel(
                key="talent.listings",
                title=_("Library entries to approve"),
                template="talent/panels/listings.html",
                order=29,
                is_visible=permissions.shows_listings_panel,
                get_context=listings_context,
            )
        )
        register_panel(
            Panel(
                key="talent.introductions",
                title=_("Introductions"),
                template="talent/panels/introductions.html",
                order=30,
                is_visible=permissions.shows_introductions_panel,
                get_context=introductions_context,
            )
        )
        # The talent section of theme pages (talent/public.py): open calls, library entries, coming roadshows.
        from themes.sections import ThemeSection, register_section

        from .public import talent_section

        register_section(
            ThemeSection(key="talent", order=40, template="talent/theme_section.html", get_context=talent_section)
        )
        # The offshore base's applications on the officers' dashboard (talent/admission_panels.py).
        from portal.accounts.roles import RoleCode

        from .admission_panels import base_office_context

        register_panel(
            Panel(
                key="talent.base_office",
                title=_("Offshore base applications"),
                template="talent/panels/base_office.html",
                order=26,
                is_visible=permissions.shows_officer_panel,
                get_context=base_office_context,
                answers_roles=(RoleCode.TALENT_OFFICER,),
            )
        )
        # Overseas teams apply to a call through the shared applications engine (talent/base_kind.py).
        kinds.register(BASE_APPLICATION)
        # A review round or a decision letter about a base application links back to it for its officers.
        subjects.register(BaseApplication, can_view=permissions.can_view_base_application)
        # What a review round on a base application may expose to its experts (passport numbers masked).
        from portal.reviews import material as review_material

        from .material import base_material, render_base_section, serve_base_material

        review_material.register(
            BaseApplication, candidates=base_material, serve=serve_base_material, render=render_base_section
        )
        # The service requests' dashboard panels (talent/panels.py): the officers' queue and the team's requests.
        from portal.accounts.roles import RoleCode

        from .panels import services_office_context, services_team_context

        register_panel(
            Panel(
                key="talent.services_office",
                title=_("Service requests"),
                template="talent/panels/services_office.html",
                order=27,
                is_visible=permissions.shows_officer_panel,
                get_context=services_office_context,
                answers_roles=(RoleCode.TALENT_OFFICER,),
            )
        )
        register_panel(
            Panel(
                key="talent.services_team",
                title=_("My services"),
                template="talent/panels/services_team.html",
                order=28,
                is_visible=permissions.shows_service_team_panel,
                get_context=services_team_context,
            )
        )
        # The roadshows' dashboard panel (talent/roadshow_panels.py): investors, teams with a pitch, the office.
        from .roadshow_panels import roadshows_context

        register_panel(
            Panel(
                key="talent.roadshows",
                title=_("Roadshows"),
                template="talent/panels/roadshows.html",
                order=31,
                is_visible=permissions.shows_roadshow_panel,
                get_context=roadshows_context,
            )
        )
