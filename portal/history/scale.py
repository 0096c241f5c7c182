"""The audit log at scale (``portal.scale``): 100,000 entries of Wagtail's log (what staff read in the admin's
history), written last, about the rows the other steps wrote.

The portal knows no domain, so the entries are drawn from the log the demo left: each new entry copies a demo
entry's model, action, author and data, and is about one of the newest rows of that model, at a time in the last
five years. The log's proportions (more deal moves than opinion issues) are the demo's.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from portal import scale

# Every entry's uuid comes from this namespace and its number: a second run finds the first entry.
NAMESPACE = uuid.UUID("5c1e0014-0000-4000-8000-000000000014")
SUBJECTS_PER_MODEL = 200


def _uuid(n: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{scale.MARK}-{n}")


def seed_audit(count, context) -> int:
    templates = list(ModelLogEntry.objects.order_by("pk").only("content_type_id", "action", "data", "user_id"))
    if not templates:
        raise scale.MissingDemo("The audit log is empty.")
    subjects = {}
    for content_type_id in {template.content_type_id for template in templates}:
        subjects[content_type_id] = _newest(content_type_id)
    templates = [template for template in templates if subjects[template.content_type_id]]
    entries = []
    for n in range(count):
        template = context.rng.choice(templates)
        pk, label = context.rng.choice(subjects[template.content_type_id])
        entries.append(
            ModelLogEntry(
                content_type_id=template.content_type_id,
                object_id=str(pk),
                label=label[:255],
                action=template.action,
                data=template.data,
                user_id=template.user_id,
                uuid=_uuid(n),
                timestamp=context.moment(years=5),
            )
        )
    ModelLogEntry.objects.bulk_create(entries, batch_size=scale.BATCH)
    context.log(f"about {sum(len(rows) for rows in subjects.values()):,} rows of {len(subjects)} models")
    return len(entries)


def _newest(content_type_id) -> list:
    """(pk, label) of the model's newest rows, those the scale steps wrote; none when the model is gone."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return []
    rows = model._default_manager.order_by("-pk")[:SUBJECTS_PER_MODEL]
    return [(row.pk, str(row)) for row in rows]


def done() -> bool:
    return ModelLogEntry.objects.filter(uuid=_uuid(0)).exists()


def register() -> None:
    scale.register(scale.ScaleStep("history.audit", 900, 100_000, "audit-log entries", seed_audit, done))
