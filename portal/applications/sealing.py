"""The personal identifiers inside stored answers (``Kind.private_fields``), walked for key rotation and for sealing
values written before encryption: ``manage.py rotate_field_keys`` and the data migration 0002_seal_private_answers
both use it. Nothing here decides who may read a value; it only changes how it is kept.

Outcomes are counted per value: ``rotated`` (re-encrypted with the first key), ``sealed`` (was plain text),
``current`` (already sealed with the first key), ``unreadable`` (no key opens it: left as it is).
"""

from collections import Counter

from cryptography.fernet import InvalidToken
from django.db import transaction

from portal import crypto

from . import kinds

ROTATED, SEALED, CURRENT, UNREADABLE = "rotated", "sealed", "current", "unreadable"


def rotate_value(value):
    """(the value kept with the first key, what happened to it)."""
    if crypto.is_current(value):
        return value, CURRENT
    try:
        return crypto.rotate(value), ROTATED if crypto.is_sealed(value) else SEALED
    except InvalidToken:
        return value, UNREADABLE


def seal_value(value):
    """(the value sealed if it was plain text, what happened to it): sealed values are left as they are."""
    if value in (None, "") or crypto.is_sealed(value):
        return value, CURRENT
    return crypto.seal(value), SEALED


def _rows(stored):
    if isinstance(stored, dict):
        return [stored]
    if isinstance(stored, list):
        return [row for row in stored if isinstance(row, dict)]
    return []


def reseal(answers, private, change) -> tuple[dict, Counter]:
    """``answers`` (a step code → dict or list of row dicts) with each private field passed through ``change``
    (``rotate_value`` or ``seal_value``), and the outcomes counted. The answers given are not modified."""
    counts = Counter()
    result = dict(answers or {})
    for code, names in private.items():
        if code not in result:
            continue
        stored = result[code]
        new_rows = []
        for row in _rows(stored):
            row = dict(row)
            for name in names:
                if name in row:
                    row[name], outcome = change(row[name])
                    counts[outcome] += 1
            new_rows.append(row)
        result[code] = new_rows[0] if isinstance(stored, dict) else new_rows
    return result, counts


def reseal_model(model, change, batch_size=500) -> Counter:
    """Every row of ``model`` (Application or Submission, current or historical) whose kind has private fields,
    resealed in batches; each batch locked and written in one transaction. Rows of a kind no longer registered are
    counted as ``unknown_kind`` and left alone."""
    counts = Counter()
    registered = kinds.all()
    private_of = {kind.code: kind.private_fields for kind in registered if kind.private_fields}
    kind_field = "kind" if model._meta.model_name == "application" else "application__kind"
    codes = sorted(private_of)
    counts["unknown_kind"] = model._base_manager.exclude(**{f"{kind_field}__in": [k.code for k in registered]}).count()
    pks = list(model._base_manager.filter(**{f"{kind_field}__in": codes}).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch_size):
        with transaction.atomic():
            rows = model._base_manager.select_for_update().filter(pk__in=pks[start : start + batch_size])
            for pk, kind, answers in rows.values_list("pk", kind_field, "answers"):
                new, outcomes = reseal(answers, private_of[kind], change)
                counts.update(outcomes)
                if new != answers:
                    model._base_manager.filter(pk=pk).update(answers=new)
    return counts


def encrypted_columns() -> list:
    """(model, field) for every ``EncryptedCharField`` of every installed model (a special-talent candidate's ID
    number and date of birth, and any later one): the engine names no domain model."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, crypto.EncryptedCharField)
    ]


def reseal_column(model, field, change, batch_size=500) -> Counter:
    """Every stored token of one encrypted column passed through ``change``, read and written raw (the field would
    decrypt on the way out and encrypt again on the way in), in locked batches."""
    from django.db.models import TextField, Value
    from django.db.models.functions import Cast

    counts = Counter()
    pks = list(model._base_manager.exclude(**{field.name: ""}).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch_size):
        with transaction.atomic():
            rows = model._base_manager.select_for_update().filter(pk__in=pks[start : start + batch_size])
            rows = rows.annotate(raw=Cast(field.name, output_field=TextField()))
            for pk, raw in rows.values_list("pk", "raw"):
                new, outcome = change(raw)
                counts[outcome] += 1
                if new != raw:
                    model._base_manager.filter(pk=pk).update(**{field.name: Value(new, output_field=TextField())})
    return counts
