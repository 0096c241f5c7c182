from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    """产业共治委员会: councils, charters, membership, committees, workspaces (issue #4)."""

    name = "councils"
    verbose_name = _("Industry co-governance councils")

    def ready(self):
        from django.db.models.signals import m2m_changed

        from portal.accounts.roles import RoleCode
        from portal.workspace.registry import Panel, register_panel
        from themes.sections import ThemeSection, register_section

        from . import permissions
        from .models import Council
        from .panels import workspaces_context
        from .public import council_section

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
        m2m_changed.connect(
            _secretariat_changed, sender=Council.secretariat_users.through, dispatch_uid="councils_secretariat_sync"
        )


def _secretariat_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Secretariat staff open every workspace of their council: keep the object permissions in step however the
    staff list changes (admin, shell, demo)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .models import Council
    from .services import sync_workspace_permissions

    if reverse:  # the user side changed: sync the councils concerned
        councils = Council.objects.filter(pk__in=pk_set) if pk_set else Council.objects.all()
        for council in councils:
            sync_workspace_permissions(council)
    else:
        sync_workspace_permissions(instance)
