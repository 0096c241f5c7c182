"""Purging on writes: ``watch(Model, tags_for)`` purges, after every save and delete of a row, the tags the row
shows up under — before the write (read from the database: a member moved to another council leaves the old
council's page too) and after it.

Bulk writes (``bulk_create``, ``QuerySet.update``/``delete``) send no signals: the service doing one calls
``store.purge`` itself."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .store import purge

BEFORE = "_page_cache_tags_before"


def watch(model, tags_for, *, moves: bool = True, m2m=()):
    """``tags_for(row)`` gives the tags of the pages that show the row. ``moves=False`` when those tags never
    change with a save (they follow fields that do not change), to skip reading the row before each save;
    ``m2m``: many-to-many fields whose changes also purge. Returns a function that stops watching."""
    # One registration per watcher: two apps may watch the same model for their own pages.
    name = f"{model._meta.label}-{tags_for.__module__}.{tags_for.__qualname__}-{id(tags_for)}"
    kept = f"{BEFORE}_{id(tags_for)}"  # this watcher's tags of the row before the write

    def before(sender, instance, raw=False, **kwargs):
        if raw or not moves or instance.pk is None:
            return
        old = sender._base_manager.filter(pk=instance.pk).first()
        setattr(instance, kept, set(tags_for(old)) if old is not None else set())

    def after(sender, instance, raw=False, **kwargs):
        if raw:
            return
        purge(*(getattr(instance, kept, set()) | set(tags_for(instance))))

    def related(sender, instance, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, model):
            purge(*tags_for(instance))

    connections = [
        (pre_save, before, model, f"pagecache-before-{name}"),
        (post_save, after, model, f"pagecache-after-{name}"),
        (post_delete, after, model, f"pagecache-delete-{name}"),
    ]
    for field_name in m2m:
        through = model._meta.get_field(field_name).remote_field.through
        connections.append((m2m_changed, related, through, f"pagecache-m2m-{name}-{field_name}"))
    for signal, receiver, sender, uid in connections:
        signal.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)

    def unwatch():
        for signal, _receiver, sender, uid in connections:
            signal.disconnect(sender=sender, dispatch_uid=uid)

    return unwatch
