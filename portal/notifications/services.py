"""One notify() for in-app messages and mail."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import translation

from portal.i18n import url_in_language

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
