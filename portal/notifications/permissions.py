def can_read_notifications(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)
