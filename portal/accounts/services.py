"""State changes of accounts. Views call these; they do not write models themselves."""

from django.db import transaction
from wagtail.log_actions import log


@transaction.atomic
def update_profile(*, user, form):
    """Save a validated ProfileForm for the user themself and record it in the audit log."""
    if form.instance.pk != user.pk:
        raise PermissionError("A profile is changed only by its owner.")
    changed = form.changed_data
    profile = form.save()
    if changed:
        log(instance=profile, action="wagtail.edit", user=user, data={"fields": sorted(changed)})
    return profile
