"""Stale edits are refused, not overwritten: an edit form that several people use carries a fingerprint of the
values the editor loaded (a hidden field); its service, after locking the row, compares it with what is stored now
and refuses when someone else saved in between. No version column, so no model changes: the fingerprint is of the
fields the form edits, and a save that changed none of them does not stale anyone's form."""

import hashlib
import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NEW = "new"  # what a form loaded when the object did not exist yet (the first minutes of a meeting, say)


def fingerprint(instance, fields) -> str:
    """A short hash of ``fields`` of ``instance`` as stored (foreign keys by id); ``NEW`` for no instance."""
    if instance is None:
        return NEW
    return digest(*(instance._meta.get_field(name).value_to_string(instance) for name in fields))


def digest(*values) -> str:
    """A short hash of ``values`` (strings, or anything JSON can write: a step's stored answers, say)."""
    text = "\x1f".join(
        value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str) for value in values
    )
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class LoadedField(forms.CharField):
    """The fingerprint of what the form showed (``initial`` from ``fingerprint``), posted back unchanged."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, max_length=64, **kwargs)


def refuse_stale(instance, fields, loaded: str) -> None:
    """Raise when ``instance`` (locked, freshly read; None when there is none yet) no longer has the values the form
    was loaded with. An empty ``loaded`` (a caller without a form) is not checked."""
    refuse_changed(fingerprint(instance, fields), loaded)


def refuse_changed(current: str, loaded: str) -> None:
    """Raise when what is stored now (``current``, a fingerprint or digest) is not what the form was loaded with."""
    if loaded and loaded != current:
        raise ValidationError(
            _(
                "These changes were not saved: this was changed after you opened the form (by someone else, or by "
                "you in another window). Copy what you wrote, reload the page to see the saved version, then make "
                "your changes again."
            ),
            code="stale",
        )
