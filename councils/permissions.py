"""Who may do what with councils. Plain booleans only."""


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_manage_council(user, council) -> bool:
    """Superusers, the council's secretariat staff and holders of the change_council permission."""
    if not _active(user):
        return False
    if user.is_superuser or user.has_perm("councils.change_council"):
        return True
    return council.secretariat_users.filter(pk=user.pk).exists()


def can_override_composition(user) -> bool:
    """Accept a change that takes the industry share below the charter minimum (with a reason)."""
    if not _active(user):
        return False
    return bool(user.is_superuser or user.has_perm("councils.override_composition"))


# Workspaces: object permissions (django-guardian) kept in sync by councils.services.sync_workspace_permissions.

WORKSPACE_PERMISSION = "councils.open_workspace"


def can_open_council_workspace(user, council) -> bool:
    """The plenary workspace: representatives of open memberships, the secretariat, superusers."""
    if not _active(user) or council is None:
        return False
    return bool(user.is_superuser or user.has_perm(WORKSPACE_PERMISSION, council))


def can_open_committee_workspace(user, committee) -> bool:
    """A committee workspace: its members (external ones too), the council's secretariat, superusers."""
    if not _active(user) or committee is None:
        return False
    return bool(user.is_superuser or user.has_perm(WORKSPACE_PERMISSION, committee))


def can_open_workspace_of(user, folder) -> bool:
    """The workspace a document folder belongs to."""
    if folder is None:
        return False
    if folder.committee_id:
        return can_open_committee_workspace(user, folder.committee)
    return can_open_council_workspace(user, folder.council)


def shows_workspaces_panel(user) -> bool:
    """The dashboard panel: anyone who can open at least one workspace."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    councils, committees = openable_workspaces(user)
    return bool(councils.exists() or committees.exists())


def openable_workspaces(user):
    """(councils, committees) querysets the user may open; one query each when evaluated."""
    from guardian.shortcuts import get_objects_for_user

    from .models import Committee, Council

    if not _active(user):
        return Council.objects.none(), Committee.objects.none()
    if user.is_superuser:
        return Council.objects.all(), Committee.objects.all()
    # The bare codename: `open_workspace` exists on both models, the class says which one is meant.
    options = {"accept_global_perms": False, "with_superuser": False}
    councils = get_objects_for_user(user, "open_workspace", klass=Council, **options)
    committees = get_objects_for_user(user, "open_workspace", klass=Committee, **options)
    return councils, committees
