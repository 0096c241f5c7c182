from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    """生物医药科技产业创新基金: fund, deal pipeline, investment committee, portfolio (issue 10)."""

    name = "funds"
    verbose_name = _("Biomedicine innovation fund")

    def ready(self):
        from portal import subjects
        from portal.history import verbs

        from . import authority, permissions
        from .models import Deal, PerformanceEvaluation
        from .verbs import FundVerb

        authority.register()
        verbs.register(FundVerb)
        # The page cache: writes of what the public fund section shows purge it (funds/cache_tags.py).
        from . import cache_tags

        cache_tags.connect()
        # Its steps of the data at scale (manage.py seed_scale, funds/scale.py).
        from . import scale

        scale.register()
        # Firms apply to the fund through the shared applications engine (funds/financing.py).
        from portal.applications import kinds

        from .financing import FINANCING

        kinds.register(FINANCING)
        # A review round or an IC poll on a deal links back to the deal for those who may see it.
        subjects.register(Deal, can_view=permissions.can_view_deal)
        subjects.register(PerformanceEvaluation, can_view=permissions.can_view_evaluation)
        # What a review round on a deal may expose to its evaluators (the deal summary, the deal-room documents).
        from portal.reviews import material as review_material

        from .material import deal_material, render_deal_section, serve_deal_material

        review_material.register(Deal, candidates=deal_material, serve=serve_deal_material, render=render_deal_section)
        # The talent base hands financing introductions to the pipeline as sourced deals (funds/handoffs.py).
        from portal import handoffs

        from .handoffs import receive_financing

        handoffs.register("financing", receive_financing)
        # The dashboard panels and the theme page's fund section (funds/panels.py, funds/public.py).
        from portal.accounts.roles import RoleCode
        from portal.workspace.registry import Panel, register_panel
        from themes.sections import ThemeSection, register_section

        from .panels import fund_context, kpi_context, lp_context
        from .public import fund_section

        register_section(
            ThemeSection(key="fund", order=30, template="funds/theme_section.html", get_context=fund_section)
        )
        register_panel(
            Panel(
                key="funds.fund",
                title=_("My funds"),
                template="funds/panels/fund.html",
                order=25,
                is_visible=permissions.shows_fund_panel,
                get_context=fund_context,
                answers_roles=(RoleCode.FUND_MANAGER,),
            )
        )
        register_panel(
            Panel(
                key="funds.lp",
                title=_("Reports of the funds I invested in"),
                template="funds/panels/lp.html",
                order=36,
                is_visible=permissions.shows_lp_panel,
                get_context=lp_context,
            )
        )
        register_panel(
            Panel(
                key="funds.kpi",
                title=_("KPI reports due"),
                template="funds/panels/kpi.html",
                order=35,
                is_visible=permissions.shows_kpi_panel,
                get_context=kpi_context,
                answers_roles=(RoleCode.APPLICANT,),
            )
        )
