"""What the council services share: text checked against the model fields, row locks."""

from django.core.exceptions import ValidationError

from portal.text import clean_text


def checked_text(model, values, errors, **rules):
    """``portal.text.clean_text``, its errors added to ``errors`` so that a service's other checks still run and
    the form shows every problem at once. Returns the stripped values."""
    try:
        return clean_text(model, values, **rules)
    except ValidationError as error:
        errors.update(error.error_dict)
        return {field: (value or "").strip() for field, value in values.items()}


def clean_one(model, field, value, *, key=None, required=None):
    """One value checked by ``clean_text`` against ``model.field``; its error is named ``key``, the name the
    service's callers know it by, when that differs from the field's."""
    try:
        return clean_text(model, {field: value}, required={field: required} if required else None)[field]
    except ValidationError as error:
        raise ValidationError({key or field: error.error_dict[field]}) from None


def lock_scoped(item):
    """Lock a workspace item's row (a meeting, motion, thread, campaign…) and reload it with its council and
    committee. Only the item's own row is locked: PostgreSQL refuses FOR UPDATE on the outer join to the
    committee, which is empty for the plenary."""
    return type(item).objects.select_for_update(of=("self",)).select_related("council", "committee").get(pk=item.pk)
