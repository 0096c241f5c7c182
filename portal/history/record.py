"""The tail of every service: record what happened, once, in one call.

``record()`` writes the audit-log entry (Wagtail's ``log``, which staff read in the admin), the dated history line
(when the action is one a stream or timeline shows) and the notification (when somebody is to be told), all inside
the caller's transaction, so a rolled-back action leaves no trace and tells nobody.

    record(
        "councils.submit_motion", actor=actor, instance=motion, data={"title": motion.title},
        line=Line(motion.workspace, ActivityVerb.SUBMITTED_MOTION, motion.title, url),
        tell=Tell(recipients, title=..., body=..., url=url),
    )
"""

from collections import defaultdict
from dataclasses import dataclass
from uuid import uuid4

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.functional import LazyObject
from wagtail.log_actions import get_active_log_context, log
from wagtail.log_actions import registry as log_registry

from portal.notifications.services import notify

from .models import Event

SUMMARY_MAX = Event._meta.get_field("summary").max_length


@dataclass
class Line:
    """A line in ``scope``'s stream (and in the subject's own history)."""

    scope: object
    verb: str
    summary: str
    url: str = ""
    subject: object = None  # defaults to the instance the action was about


@dataclass
class Tell:
    """Who to notify, and what to tell them (lazy strings read in each recipient's language)."""

    recipients: object
    title: object
    body: object = ""
    url: str = ""
    email: bool = True


def record(action, *, actor, instance=None, data=None, line=None, tell=None):
    """Audit ``action`` on ``instance`` by ``actor``; add ``line`` to its stream; send ``tell``.

    ``instance`` None means the action is about no single object (the audit entry is skipped, the line and the
    notification are not). Returns the history line written, if any.
    """
    if instance is not None:
        log(instance=_unwrapped(instance), action=action, user=actor, data=data or {})
    event = None
    if line is not None:
        event = write_line(actor=actor, line=line, subject=line.subject or instance)
    if tell is not None:
        notify(tell.recipients, title=tell.title, body=tell.body, url=tell.url, email=tell.email)
    return event


@dataclass
class Entry:
    """One action on one instance, for ``record_many``."""

    action: str
    instance: object
    data: dict
    line: Line | None = None


def record_many(entries, *, actor, at=None, batch_size=500):
    """``record()`` for many instances at once (a list imported in one go): the same audit entries and history
    lines, written in bulk statements and sharing one audit uuid (one action in the admin's log). Nobody is told
    here: the caller sends one notification for the whole action rather than one per instance."""
    at = at or timezone.now()
    uuid = get_active_log_context().uuid or uuid4()
    audit, lines = defaultdict(list), []
    for entry in entries:
        model = type(entry.instance)
        log_model = log_registry.get_log_model_for_model(model)
        audit[log_model].append(
            log_model(
                content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
                label=str(entry.instance),
                action=entry.action,
                timestamp=at,
                data=entry.data,
                user=actor,
                uuid=uuid,
                object_id=str(entry.instance.pk),
            )
        )
        if entry.line is not None:
            subject = entry.line.subject or entry.instance
            event = Event(
                scope=entry.line.scope,
                actor=actor,
                verb=str(entry.line.verb),
                summary=str(entry.line.summary)[:SUMMARY_MAX],
                url=entry.line.url or "",
                created_at=at,
            )
            event.subject = subject
            lines.append(event)
    for log_model, rows in audit.items():
        log_model.objects.bulk_create(rows, batch_size=batch_size)
    Event.objects.bulk_create(lines, batch_size=batch_size)


def write_line(*, actor, line, subject=None):
    event = Event(
        scope=line.scope,
        actor=actor,
        verb=str(line.verb),
        summary=str(line.summary)[:SUMMARY_MAX],
        url=line.url or "",
    )
    if subject is not None and subject.pk is not None:
        event.subject = subject
    event.save()
    return event


def scope_lines(scope, *, exclude_verbs=()):
    """``scope``'s stream, newest first, with their actors: a queryset to page through."""
    return Event.objects.in_scope(scope).exclude(verb__in=list(exclude_verbs)).select_related("actor")


def stream(scope, *, exclude_verbs=(), limit=50):
    """The newest lines of ``scope``'s stream, with their actors; one query."""
    return list(scope_lines(scope, exclude_verbs=exclude_verbs)[:limit])


def timeline(subject, *, limit=None):
    """The lines about ``subject``, oldest first: its dated history."""
    lines = Event.objects.about(subject).select_related("actor").order_by("created_at", "pk")
    return list(lines if limit is None else lines[:limit])


def _unwrapped(instance):
    """The object behind a lazy one (request.user; django-otp wraps it in a second lazy object): Wagtail's audit log
    looks up the log model by the instance's type and silently logged nothing for a lazy user."""
    if isinstance(instance, LazyObject):
        instance.pk  # noqa: B018 -- evaluates every lazy layer
        while isinstance(instance, LazyObject):
            instance = instance._wrapped
    return instance
