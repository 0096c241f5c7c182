"""Stale edits are refused, not overwritten: an edit form that several people use carries a fingerprint of the
values the editor loaded (a hidden field); its service, after locking the row, compares it with what is stored now
and refuses when someone else saved in between. No version column, so no model changes: the fingerprint is of the
fields the form edits, and a save that changed none of them does not stale anyone's form."""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def fingerprint(instance, fields) -> str:
    """A short hash of ``fields`` of ``instance`` as stored (foreign keys by id)."""
    values = [instance._meta.get_field(name).value_to_string(instance) for name in fields]
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:20]


class LoadedField(forms.CharField):
    """The fingerprint of what the form showed (``initial`` from ``fingerprint``), posted back unchanged."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, max_length=64, **kwargs)


def refuse_stale(instance, fields, loaded: str) -> None:
    """Raise when ``instance`` (locked, freshly read) no longer has the values the form was loaded with. An empty
    ``loaded`` (a caller without a form) is not checked."""
    if loaded and loaded != fingerprint(instance, fields):
        raise ValidationError(
            _(
                "Someone else saved changes here after you opened this form, so yours were not saved. Copy what you "
                "wrote, reload the page to see their version, then make your changes again."
            ),
            code="stale",
        )
