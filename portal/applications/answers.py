"""A step's answers: the kind's form (or formset) bound to posted or stored data, kept as JSON, read back.

Answers are stored per step code as JSON that a form accepts again as data (Decimal and dates as strings, a chosen
object as its pk; a formset's rows as a list of dicts), so the engine can re-validate every step at submission and a
frozen submission reads the same way as the draft.
"""

import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from portal.crypto import seal, unseal
from portal.id_numbers import mask
from portal.money import as_decimal
from portal.text import fmt

FORMSET_MAX = 1000  # the management form's MAX_NUM_FORMS when rows come from storage


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, Model):
            return o.pk
        if isinstance(o, QuerySet):
            return [item.pk for item in o]
        return super().default(o)


def json_safe(data):
    """``data`` as plain JSON values (what a JSONField keeps and a form takes back as data)."""
    return json.loads(json.dumps(data, cls=_Encoder))


def rows_to_data(prefix, rows) -> dict:
    """Formset data (with its management form) for a list of row dicts."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": str(FORMSET_MAX),
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = "" if value is None else value
    return data


def opened(stored):
    """Stored answers with their sealed (encrypted) values in plain text: for the form that edits them and the
    officer who may read them; never for a list or a reviewer (``summarize`` masks)."""
    if isinstance(stored, list):
        return [opened(row) for row in stored]
    if isinstance(stored, dict) and not isinstance(stored, QueryDict):  # posted data holds nothing sealed
        return {name: unseal(value) for name, value in stored.items()}
    return stored


def _sealed(row, private):
    return {name: seal(value) if name in private else value for name, value in row.items()}


def bind(step, data):
    """The step's form or formset bound to ``data``: posted data, a stored dict, or (formsets) a list of rows."""
    if step.is_formset:
        if isinstance(data, list):
            data = rows_to_data(step.code, opened(data))
        return step.form_class(data=data, prefix=step.code)
    return step.form_class(data=opened(data))


def unbound(step, stored):
    """The step's form or formset showing what is stored (empty when nothing is)."""
    stored = opened(stored)
    if step.is_formset:
        return step.form_class(initial=stored or None, prefix=step.code)
    return step.form_class(initial=stored or None)


def cleaned(step, bound, private=()) -> object:
    """What a valid bound step keeps: its cleaned data as JSON; a formset's filled rows not marked for removal.
    The ``private`` fields (``Kind.private_fields``: ID and passport numbers, dates of birth) are sealed."""
    if not step.is_formset:
        return _sealed(json_safe(bound.cleaned_data), private)
    rows = []
    for form in bound.forms:
        if not form.has_changed() or (bound.can_delete and bound._should_delete_form(form)):
            continue
        rows.append({name: value for name, value in form.cleaned_data.items() if name != "DELETE"})
    return [_sealed(row, private) for row in json_safe(rows)]


def errors_of(step, bound) -> list:
    """The bound step's errors as messages that name the step and the field."""
    messages = []

    def add(form, errors):
        for name, field_errors in errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in field_errors:
                if label:
                    messages.append(
                        fmt(_("%(step)s — %(field)s: %(error)s"), step=step.title, field=label, error=error)
                    )
                else:
                    messages.append(fmt(_("%(step)s: %(error)s"), step=step.title, error=error))

    if step.is_formset:
        for form in bound.forms:
            add(form, form.errors)
        messages.extend(
            fmt(_("%(step)s: %(error)s"), step=step.title, error=error) for error in bound.non_form_errors()
        )
    else:
        add(bound, bound.errors)
    return messages


def is_valid(step, stored) -> bool:
    return stored is not None and bind(step, stored).is_valid()


def _display(field, value):
    """A stored value as people read it: the chosen option's label, yes/no, the text itself."""
    if value in (None, "", []):
        return "—"
    if isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, forms.DecimalField):  # amounts in yuan read grouped: 880,000,000
        amount = as_decimal(value)
        return f"{amount:,}" if amount is not None else value
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(item) for item in field.queryset.filter(pk__in=value))
    if isinstance(field, forms.ModelChoiceField):
        return str(field.queryset.filter(pk=value).first() or value)
    if isinstance(field, forms.ChoiceField):
        labels = dict(field.choices)
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(item, item)) for item in values)
    return value


def _masked(field, value):
    """A private value as others read it: a date wholly hidden (its day would narrow a birth date down), a number
    with its last characters."""
    if isinstance(field, forms.DateField):
        return "••••-••-••" if value else "—"
    return mask(value or "")


def _pairs(form, row, masked):
    row = opened(row)
    return [
        (field.label or name, _masked(field, row.get(name)) if name in masked else _display(field, row.get(name)))
        for name, field in form.fields.items()
        if name != "DELETE"
    ]


def summarize(step, stored, masked=()) -> dict:
    """One step's answers for a read-only page: ``{"step", "rows"}`` where rows is a list of (label, value) lists
    (one list for a form, one per row for a formset); ``rows`` is empty when nothing is stored. Fields named in
    ``masked`` show only their last characters (a passport number to a reviewer)."""
    if stored is None:
        return {"step": step, "rows": []}
    if step.is_formset:
        form = step.form_class(prefix=step.code).empty_form
        return {"step": step, "rows": [_pairs(form, row, masked) for row in stored]}
    return {"step": step, "rows": [_pairs(step.form_class(), stored, masked)]}
