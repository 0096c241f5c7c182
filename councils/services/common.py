"""What the council services share: lazy messages, today, row locks."""

from django.utils.functional import lazy

from .. import permissions


def fmt(message, **values):
    """Interpolate a lazy message lazily, so each recipient reads it in their own language."""
    return lazy(lambda: str(message) % values, str)()


def today():
    return permissions.today()


def lock_scoped(item):
    """Lock a workspace item's row (a meeting, motion, thread, campaign…) and reload it with its council and
    committee. Only the item's own row is locked: PostgreSQL refuses FOR UPDATE on the outer join to the
    committee, which is empty for the plenary."""
    return type(item).objects.select_for_update(of=("self",)).select_related("council", "committee").get(pk=item.pk)
