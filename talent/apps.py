from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    """海外人才离岸创新创业基地 (issue 12) and 特殊人才 reviews (issue 13)."""

    name = "talent"
    verbose_name = _("Talent")

    def ready(self):
        from portal import subjects
        from portal.accounts.roles import RoleCode
        from portal.applications import kinds
        from portal.history import verbs
        from portal.reviews import material as review_material
        from portal.workspace.registry import Panel, register_panel
        from themes.sections import ThemeSection, register_section

        from . import authority, permissions
        from .admission_panels import base_office_context
        from .base_kind import BASE_APPLICATION
        from .deliberation_panels import deliberations_context
        from .library_panels import introductions_context, listings_context
        from .material import application_material, render_application_section, serve_application_material
        from .models import BaseApplication, SpecialTalentApplication
        from .panels import services_office_context, services_team_context
        from .public import talent_section
        from .roadshow_panels import roadshows_context
        from .special_kind import SPECIAL_APPLICATION
        from .special_panels import pre_review_context, special_office_context
        from .verbs import TalentVerb

        authority.register()
        verbs.register(TalentVerb)
        # Its steps of the data at scale (manage.py seed_scale, talent/scale.py).
        from . import scale

        scale.register()
        # The worker's schedule: overdue service requests (SLA) and the end of public notice periods.
        from . import jobs

        jobs.register()
        # Overseas teams apply to a call through the shared applications engine (talent/base_kind.py).
        kinds.register(BASE_APPLICATION)
        # Employers apply for special talent to a call of a special-talent programme (talent/special_kind.py).
        kinds.register(SPECIAL_APPLICATION)
        # A review round, a vote or an opinion about an application links back to it for its officers.
        subjects.register(BaseApplication, can_view=permissions.can_view_base_application)
        subjects.register(SpecialTalentApplication, can_view=permissions.can_view_special_application)
        # What a review round on an application may expose to its experts (passport and ID numbers masked).
        for model in (BaseApplication, SpecialTalentApplication):
            review_material.register(
                model,
                candidates=application_material,
                serve=serve_application_material,
                render=render_application_section,
            )
        # The talent section of theme pages (talent/public.py): open calls, library entries, coming roadshows.
        register_section(
            ThemeSection(key="talent", order=40, template="talent/theme_section.html", get_context=talent_section)
        )
        self.watch_public_pages()
        # The dashboard panels: the office's (applications, services, entries to approve) and the people's.
        officers = (RoleCode.TALENT_OFFICER,)
        panels = (
            (
                "base_office",
                _("Offshore base applications"),
                26,
                permissions.shows_officer_panel,
                base_office_context,
                officers,
            ),
            (
                "services_office",
                _("Service requests"),
                27,
                permissions.shows_officer_panel,
                services_office_context,
                officers,
            ),
            ("services_team", _("My services"), 28, permissions.shows_service_team_panel, services_team_context, ()),
            ("listings", _("Library entries to approve"), 29, permissions.shows_listings_panel, listings_context, ()),
            ("introductions", _("Introductions"), 30, permissions.shows_introductions_panel, introductions_context, ()),
            ("roadshows", _("Roadshows"), 31, permissions.shows_roadshow_panel, roadshows_context, ()),
            (
                "deliberations",
                _("Talent work meetings"),
                34,
                permissions.shows_deliberation_panel,
                deliberations_context,
                (),
            ),
            (
                "special_office",
                _("Special-talent applications"),
                32,
                permissions.shows_special_officer_panel,
                special_office_context,
                officers,
            ),
            (
                "special_pre_review",
                _("Pre-review"),
                33,
                permissions.shows_pre_review_panel,
                pre_review_context,
                (RoleCode.AUTHORITY,),
            ),
        )
        for key, title, order, is_visible, get_context, roles in panels:
            register_panel(
                Panel(
                    key=f"talent.{key}",
                    title=title,
                    template=f"talent/panels/{key}.html",
                    order=order,
                    is_visible=is_visible,
                    get_context=get_context,
                    answers_roles=roles,
                )
            )

    def watch_public_pages(self):
        """The kept public pages (portal/pagecache) go when what they show is written (talent/cache_tags.py)."""
        from portal.experts.models import Expert
        from portal.pagecache.watch import watch

        from . import cache_tags
        from .models import (
            LIBRARIES,
            Call,
            InvestorRegistration,
            Programme,
            Roadshow,
            RoadshowProject,
            SpecialTalentApplication,
        )

        watch(Programme, cache_tags.for_programme, moves=False)
        watch(Call, cache_tags.for_call, m2m=("themes",))
        watch(Roadshow, cache_tags.for_roadshow, moves=False, m2m=("themes",))
        for model in (RoadshowProject, InvestorRegistration):
            watch(model, cache_tags.for_roadshow_part)
        for model in LIBRARIES.values():
            watch(model, cache_tags.for_listing, moves=False, m2m=("themes",))
        # Entering the notice stage and leaving it (rejected, sent for filing) both purge the public notice.
        watch(SpecialTalentApplication, cache_tags.for_candidate)
        watch(Expert, lambda expert: (cache_tags.EXPERTS,), moves=False, m2m=("themes",))
