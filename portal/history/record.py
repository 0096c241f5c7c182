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

from dataclasses import dataclass

from wagtail.log_actions import log

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
        log(instance=instance, action=action, user=actor, data=data or {})
    event = None
    if line is not None:
        event = write_line(actor=actor, line=line, subject=line.subject or instance)
    if tell is not None:
        notify(tell.recipients, title=tell.title, body=tell.body, url=tell.url, email=tell.email)
    return event


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


def stream(scope, *, exclude_verbs=(), limit=50):
    """The newest lines of ``scope``'s stream, with their actors; one query."""
    lines = Event.objects.in_scope(scope).exclude(verb__in=list(exclude_verbs)).select_related("actor")
    return list(lines[:limit])


def timeline(subject, *, limit=None):
    """The lines about ``subject``, oldest first: its dated history."""
    lines = Event.objects.about(subject).select_related("actor").order_by("created_at", "pk")
    return list(lines if limit is None else lines[:limit])
