"""Text that services check and messages they compose: one place for both.

``clean_text`` strips what a person typed and checks it against the model field it will be saved in, so the
limit a message names is always the column's own ``max_length``; ``fmt`` interpolates a lazy message lazily,
so a notification or error reads in each reader's language.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


def _interpolate(message, values) -> str:
    return str(message) % values


# Made once: ``lazy()`` builds a proxy class on each call (~0.1 ms), which a report listing thousands of rows felt.
_lazy_interpolate = lazy(_interpolate, str)


def fmt(message, **values):
    """Interpolate a lazy message lazily, so each recipient reads it in their own language."""
    return _lazy_interpolate(message, values)


def max_length(model, field: str):
    """The ``max_length`` of ``model.field`` (None for a TextField without one)."""
    return model._meta.get_field(field).max_length


def too_long(length: int, limit: int) -> ValidationError:
    return ValidationError(
        fmt(_("This is too long: %(length)s characters, at most %(max)s."), length=length, max=limit),
        code="max_length",
    )


def clean_text(model, values: dict, *, required: dict | None = None, limits: dict | None = None) -> dict:
    """Strip each value and check it against ``model``'s field of the same name.

    ``values`` maps field names to what was typed (None counts as empty); ``required`` maps the fields that
    must not be empty to the message saying so; ``limits`` overrides a limit where the rule is stricter than the
    column (a field without ``max_length`` and no override has none). Returns the stripped values; raises one
    ValidationError naming every field that is missing or too long, so a form shows them all at once.
    """
    required, limits = required or {}, limits or {}
    cleaned, errors = {}, {}
    for field, value in values.items():
        text = (value or "").strip()
        limit = limits.get(field) or max_length(model, field)
        if not text and field in required:
            errors[field] = ValidationError(required[field], code="required")
        elif limit is not None and len(text) > limit:
            errors[field] = too_long(len(text), limit)
        cleaned[field] = text
    if errors:
        raise ValidationError(errors)
    return cleaned
