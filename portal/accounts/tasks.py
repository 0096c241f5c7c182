from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from .tokens import awaiting_confirmation, make_token


@task()
def send_confirmation_email(user_id: int, next_url: str = "") -> bool:
    """Mail a registration's confirmation link, in the language the person chose. A task, so a slow mail server
    never holds up the registration page."""
    user = awaiting_confirmation().filter(pk=user_id).exclude(email="").first()
    if user is None:
        return False
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        path = reverse("accounts:register_confirm", kwargs={"token": make_token(user, next_url)})
        context = {"user": user, "link": base + path, "days": settings.ACCOUNT_CONFIRMATION_MAX_AGE // 86400}
        subject = render_to_string("accounts/register_subject.txt", context).strip()
        body = render_to_string("accounts/register_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
