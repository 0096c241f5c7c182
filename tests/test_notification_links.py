"""A notification's link is in its recipient's language, in the app and in the mail, whatever language the
actor was using when the service reversed it."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.notifications.models import Notification
from portal.notifications.services import notify, url_in_language
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def link_in(language, name="notifications:list", **kwargs):
    with translation.override(language):
        return reverse(name, **kwargs)


@pytest.fixture
def people():
    return {"zh": UserFactory(preferred_language="zh-hans"), "en": UserFactory(preferred_language="en")}


def mail_to(user):
    (message,) = [message for message in mail.outbox if message.to == [user.email]]
    return message


@pytest.mark.parametrize("actor_language", ["zh-hans", "en"])
def test_each_recipient_gets_the_link_in_their_language(people, actor_language, django_capture_on_commit_callbacks):
    with translation.override(actor_language), django_capture_on_commit_callbacks(execute=True):
        url = reverse("notifications:list") + "?page=2#latest"  # as a service reverses it, in the actor's language
        notify(people.values(), _("Log in"), url=url)
    chinese = Notification.objects.get(recipient=people["zh"])
    english = Notification.objects.get(recipient=people["en"])
    assert chinese.url == "/workspace/notifications/?page=2#latest"
    assert english.url == "/en/workspace/notifications/?page=2#latest"
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert mail_to(people["zh"]).body.endswith(f"\n\n{base}/workspace/notifications/?page=2#latest")
    assert mail_to(people["en"]).body.endswith(f"\n\n{base}/en/workspace/notifications/?page=2#latest")


def test_the_link_opens_the_page_in_the_recipients_language(client, people):
    with translation.override("zh-hans"):
        notify([people["en"]], _("Log in"), url=reverse("notifications:list"), email=False)
    client.force_login(people["en"])
    html = client.get(link_in("en")).content.decode()
    assert 'href="/en/workspace/notifications/"' in html
    response = client.get(Notification.objects.get(recipient=people["en"]).url)
    assert response.status_code == 200 and response.headers["Content-Language"] == "en"


def test_object_links_keep_their_arguments(people):
    zh_link = link_in("zh-hans", "opinions:detail", kwargs={"pk": 7})
    assert url_in_language(zh_link, "en") == link_in("en", "opinions:detail", kwargs={"pk": 7})
    assert url_in_language(url_in_language(zh_link, "en"), "zh-hans") == zh_link


@pytest.mark.parametrize("url", ["", "https://example.org/en/page/", "/no/such/path", "/static/x.css"])
def test_links_it_cannot_resolve_stay_as_given(url):
    assert url_in_language(url, "en") == url
    assert url_in_language(url, "zh-hans") == url


def test_a_user_without_a_language_gets_the_default(people, django_capture_on_commit_callbacks):
    people["zh"].preferred_language = ""
    with translation.override("en"):
        notify([people["zh"]], _("Log in"), url=reverse("notifications:list"), email=False)
    assert Notification.objects.get(recipient=people["zh"]).url == "/workspace/notifications/"
