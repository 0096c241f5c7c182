import pytest
from django.core import mail
from django.utils import translation

from portal.notifications.models import Notification
from portal.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_creates_one_per_active_recipient_in_their_language(django_capture_on_commit_callbacks):
    chinese = UserFactory(preferred_language="zh-hans")
    english = UserFactory(preferred_language="en")
    inactive = UserFactory(is_active=False)
    from django.utils.translation import gettext_lazy as _

    with django_capture_on_commit_callbacks(execute=True):
        created = notify([chinese, english, english, inactive, None], _("Log in"), url="/workspace/")
    assert len(created) == 2
    assert Notification.objects.get(recipient=chinese).title == "登录"
    assert Notification.objects.get(recipient=english).title == "Log in"
    assert sorted(message.to[0] for message in mail.outbox) == sorted([chinese.email, english.email])
    assert "/workspace/" in mail.outbox[0].body


def test_no_mail_when_the_transaction_rolls_back():
    user = UserFactory()
    notify([user], "测试")  # on_commit callbacks of a rolled-back test transaction never run
    assert mail.outbox == []


def test_list_marks_read_and_shows_only_own(client):
    user, other = UserFactory(), UserFactory()
    notify([user], "给你的消息", email=False)
    notify([other], "别人的消息", email=False)
    client.force_login(user)
    with translation.override("zh-hans"):
        dashboard = client.get("/workspace/").content.decode()
    assert "给你的消息" in dashboard and "别人的消息" not in dashboard
    html = client.get("/workspace/notifications/").content.decode()
    assert "给你的消息" in html and "别人的消息" not in html
    assert Notification.objects.get(recipient=user).read_at is not None
    assert Notification.objects.get(recipient=other).read_at is None


def test_list_needs_login(client):
    response = client.get("/workspace/notifications/")
    assert response.status_code == 302
