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
