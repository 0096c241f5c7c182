"""One notify() for in-app messages and mail."""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import translate_url
from django.utils import translation

from .models import Notification
from .tasks import send_notification_email


def notify(recipients: Iterable, title, body="", url: str = "", *, email: bool = True) -> list[Notification]:
    """Tell people about something: an in-app notification each, and mail after the transaction commits.

    ``title`` and ``body`` may be lazy translations: each recipient gets them in their preferred language, and
    ``url`` (a path on this site, in any language) becomes the same page in that language, in-app and in mail.
    Call it inside the service's transaction; if that rolls back, nobody is told anything.
    """
    created = []
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        language = getattr(user, "preferred_language", None) or settings.LANGUAGE_CODE
        with translation.override(language):
            subject, text = str(title), str(body)
        link = url_in_language(str(url or ""), language)
        created.append(Notification(recipient=user, title=subject[:200], body=text, url=link))
    Notification.objects.bulk_create(created)
    if email:
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        for notification in created:
            mail_body = notification.body + (f"\n\n{base}{notification.url}" if notification.url else "")
            transaction.on_commit(
                lambda n=notification, b=mail_body: send_notification_email.enqueue(n.recipient_id, n.title, b)
            )
    return created


def url_in_language(url: str, language: str) -> str:
    """The same link in ``language``: /workspace/… ⇄ /en/workspace/….

    The caller reversed ``url`` in the actor's language. ``translate_url`` resolves a path in the active
    language only, so it runs in the language the path is written in (no prefix: the default language).
    A link to another site, or a path it cannot resolve, is left as given.
    """
    parts = urlsplit(url)
    if not url or parts.scheme or parts.netloc:
        return url
    written_in = translation.get_language_from_path(parts.path) or settings.LANGUAGE_CODE
    if written_in == language:
        return url
    with translation.override(written_in):
        return translate_url(url, language)
