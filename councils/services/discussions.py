"""Services: discussions in a workspace — threads, replies with attachments, @mentions that notify."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.files.uploads import DOCUMENTS, StoredFiles, clean_name, inspect_upload
from portal.history.record import Line, Tell, record
from portal.notifications.services import notify
from portal.text import fmt, max_length

from .. import permissions
from ..models import ActivityVerb, Post, PostAttachment, Thread
from ..people import person_label
from ..workspace import Workspace
from .common import checked_text, lock_scoped

# Audit-log actions of this module: {action: (label, message)}; registered in wagtail_hooks.
ACTIONS = {
    "councils.start_thread": (_("Start discussion"), _("Discussion started")),
    "councils.reply": (_("Reply in discussion"), _("Reply posted")),
    "councils.download_attachment": (_("Download discussion attachment"), _("Discussion attachment downloaded")),
}

TITLE_MAX = max_length(Thread, "title")
BODY_MAX = 10_000  # a post's text has no column limit; this is what one post may reasonably say
MAX_ATTACHMENTS = 5
EXCERPT_MAX = 200


# Mentions ---------------------------------------------------------------------------------------------------


def _is_ascii_word(char):
    return char.isascii() and (char.isalnum() or char == "_")


def _names(user):
    """The names a person may be mentioned by: the user name and the real name."""
    names = {user.username}
    if (user.real_name or "").strip():
        names.add(user.real_name.strip())
    return names


def mention_spans(body, people):
    """Where ``body`` mentions one of ``people``: ``[(start, end, user)]``, ``body[start:end]`` being "@name".

    After each "@" the longest user name or real name of the people that follows it wins (Chinese names have no
    spaces, so "@张三丰你好" finds 张三丰 rather than 张三). An "@" inside a word of Latin letters or digits (an
    e-mail address) is no mention, nor is a name that runs on into more Latin letters or digits ("@bob" in
    "@bobby"). Names compare case-insensitively. Only ``people`` are found: anyone else stays plain text.
    """
    candidates = []
    for user in people:
        for name in _names(user):
            candidates.append((name.casefold(), len(name), user))
    if not candidates or "@" not in body:
        return []
    candidates.sort(key=lambda item: -item[1])  # the longest name first
    spans = []
    position = body.find("@")
    while position != -1:
        start = end = position + 1
        if position == 0 or not _is_ascii_word(body[position - 1]):
            for name, length, user in candidates:
                stop = start + length
                if body[start:stop].casefold() != name:
                    continue
                if stop < len(body) and _is_ascii_word(body[stop - 1]) and _is_ascii_word(body[stop]):
                    continue
                spans.append((position, stop, user))
                end = stop
                break
        position = body.find("@", end)
    return spans


def workspace_people(workspace):
    """Who can be mentioned in a workspace: everyone who may open it (its members and the secretariat)."""
    return list(Workspace.of(workspace).recipients())


# Validation -------------------------------------------------------------------------------------------------


def _error(field, message, code):
    return ValidationError({field: ValidationError(message, code=code)})


def _validate(*, title=None, body):
    """The stripped subject (when a thread starts) and text of a post; one ValidationError naming both."""
    errors = {}
    cleaned = {}
    if title is not None:
        cleaned = checked_text(
            Thread, {"title": title}, errors, required={"title": _("Give the discussion a subject.")}
        )
    text = (body or "").replace("\r\n", "\n")
    cleaned |= checked_text(
        Post, {"body": text}, errors, required={"body": _("Write something first.")}, limits={"body": BODY_MAX}
    )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_attachments(attachments):
    """Every file checked before anything is written: [(upload, portal.files.uploads.Checked)]."""
    uploads = [upload for upload in (attachments or ()) if upload is not None]
    if len(uploads) > MAX_ATTACHMENTS:
        raise _error("files", fmt(_("Attach at most %(limit)s files to one post."), limit=MAX_ATTACHMENTS), "too_many")
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, inspect_upload(upload, DOCUMENTS)))
        except ValidationError as error:
            problems = error.error_dict.get("file", []) if hasattr(error, "error_dict") else error.error_list
            messages = [
                ValidationError(
                    fmt(_("“%(name)s”: %(problem)s"), name=clean_name(upload.name), problem=problem.message),
                    code=problem.code,
                )
                for problem in problems
            ]
            raise ValidationError({"files": messages}) from None
    return checked


# Writing ----------------------------------------------------------------------------------------------------


def _excerpt(body):
    return body if len(body) <= EXCERPT_MAX else body[: EXCERPT_MAX - 1] + "…"


def _write_post(*, thread, author, body, checked, people, stored):
    post = Post.objects.create(thread=thread, author=author, body=body, created_at=timezone.now())
    mentioned = []
    for _start, _end, user in mention_spans(body, people):
        if user not in mentioned:
            mentioned.append(user)
    if mentioned:
        post.mentions.set(mentioned)
    attachments = []
    for upload, found in checked:
        attachment = PostAttachment(post=post, **found.fields())
        stored.save(attachment.file, upload)
        attachment.save()
        attachments.append(attachment)
    return post, mentioned, attachments


def _post_data(post, mentioned, attachments):
    return {
        "thread": post.thread_id,
        "post": post.pk,
        "mentions": [user.pk for user in mentioned],
        "attachments": [_attachment_data(attachment) for attachment in attachments],
    }


def _attachment_data(attachment):
    return {
        "attachment": attachment.pk,
        "original_name": attachment.original_name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "sha256": attachment.sha256,
    }


def _notify_mentioned(*, actor, thread, post, mentioned, url):
    """Tell the people a post mentions (their own message, apart from the service's record); returns their ids."""
    recipients = [user for user in mentioned if user.pk != actor.pk]
    notify(
        recipients,
        title=fmt(
            _("%(name)s mentioned you in %(thread)s"), name=person_label(actor, thread.workspace), thread=thread.title
        ),
        body=_excerpt(post.body),
        url=url,
    )
    return {user.pk for user in recipients}


@transaction.atomic
def start_thread(*, actor, workspace, title, body, attachments=()):
    """A new discussion with its opening post. Mentioned people are told they were mentioned, everyone else
    in the workspace that there is a new discussion."""
    if not permissions.can_post(actor, workspace):
        raise PermissionDenied
    cleaned = _validate(title=title, body=body)
    title, body = cleaned["title"], cleaned["body"]
    checked = _check_attachments(attachments)
    people = workspace_people(workspace)
    with StoredFiles() as stored:
        thread = Thread(title=title, created_by=actor)
        thread.set_workspace(workspace)
        thread.save()
        post, mentioned, saved = _write_post(
            thread=thread, author=actor, body=body, checked=checked, people=people, stored=stored
        )
        thread.last_post_at = post.created_at
        thread.save(update_fields=["last_post_at"])
        url = thread.get_absolute_url()
        told = _notify_mentioned(actor=actor, thread=thread, post=post, mentioned=mentioned, url=url)
        record(
            "councils.start_thread",
            actor=actor,
            instance=thread,
            data={"title": title, **_post_data(post, mentioned, saved)},
            line=Line(workspace, ActivityVerb.STARTED_THREAD, title, url),
            tell=Tell(
                [user for user in people if user.pk != actor.pk and user.pk not in told],
                title=fmt(_("New discussion in %(workspace)s: %(title)s"), workspace=str(workspace), title=title),
                body=fmt(_("%(name)s wrote: %(text)s"), name=person_label(actor, workspace), text=_excerpt(body)),
                url=url,
            ),
        )
    return thread


@transaction.atomic
def reply(*, actor, thread, body, attachments=()):
    """A reply in a discussion. Mentioned people are told they were mentioned; the others who took part in the
    discussion (and may still open the workspace) that there is a new reply; nobody else."""
    if not permissions.can_post(actor, thread.workspace):
        raise PermissionDenied
    body = _validate(body=body)["body"]
    checked = _check_attachments(attachments)
    thread = lock_scoped(thread)
    workspace = thread.workspace
    people = workspace_people(workspace)
    participant_ids = set(Post.objects.filter(thread=thread).values_list("author_id", flat=True))
    with StoredFiles() as stored:
        post, mentioned, saved = _write_post(
            thread=thread, author=actor, body=body, checked=checked, people=people, stored=stored
        )
        thread.last_post_at = post.created_at
        thread.save(update_fields=["last_post_at"])
        url = f"{thread.get_absolute_url()}#post-{post.pk}"
        told = _notify_mentioned(actor=actor, thread=thread, post=post, mentioned=mentioned, url=url)
        others = [user for user in people if user.pk in participant_ids and user.pk != actor.pk]
        record(
            "councils.reply",
            actor=actor,
            instance=thread,
            data=_post_data(post, mentioned, saved),
            line=Line(workspace, ActivityVerb.REPLIED, thread.title, url),
            tell=Tell(
                [user for user in others if user.pk not in told],
                title=fmt(_("New reply in %(thread)s"), thread=thread.title),
                body=fmt(_("%(name)s wrote: %(text)s"), name=person_label(actor, workspace), text=_excerpt(body)),
                url=url,
            ),
        )
    return post


def record_attachment_download(*, actor, attachment):
    """A sensitive read: who fetched which attachment of a discussion, and when."""
    thread = attachment.post.thread
    if not permissions.can_post(actor, thread.workspace):
        raise PermissionDenied
    record("councils.download_attachment", actor=actor, instance=thread, data=_attachment_data(attachment))
