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
