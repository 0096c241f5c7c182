"""Who may open what in the workspace shell. Plain booleans only."""

from portal.accounts.roles import RoleCode, role_codes


def can_open_workspace(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_use_cms(user) -> bool:
    """Editors and staff work in the Wagtail admin."""
    if not can_open_workspace(user):
        return False
    return bool(user.is_superuser or RoleCode.EDITOR in role_codes(user) or user.has_perm("wagtailadmin.access_admin"))


def is_portal_administrator(user) -> bool:
    """The superuser: needs no role, repairs through the CMS and the workspaces (never signs an opinion)."""
    return bool(can_open_workspace(user) and user.is_superuser)
