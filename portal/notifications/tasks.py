from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_notification_email(user_id: int, subject: str, body: str) -> bool:
    """Mail one notification. Runs as a task so a slow mail server never holds up a request."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
