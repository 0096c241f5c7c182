"""Names identify people (issue 8, finding 9): a real name cannot pose as an office, and where workspace people
are shown their organization and role stand beside the name, the office label coming from the council's
secretariat list, never from the name."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from councils import people, services
from councils.services import discussions, meetings, motions
from portal.accounts.names import office_word_in
from portal.history.models import Event
from portal.notifications.models import Notification
from tests.councils_world import build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OFFICE_NAMES = [
    "秘书处",
    "坪山秘书处",
    "秘 书 处",
    "ｓｅｃｒｅｔａｒｉａｔ",
    "ADMIN",
    "Admin 1",
    "管理员小王",
    "理事会",
    "区政府办公室",
]
OFFICE_NAMES += ["委员会", "系统", "官方发布", "Administrator", "Official Li", "System", "秘書處"]
PERSON_NAMES = ["张三", "欧阳娜娜", "Li Badminton", "Systematics Chen", "Zhang San"]


# (a) a real name cannot pose as an office ------------------------------------------------------------------


@pytest.mark.parametrize("name", OFFICE_NAMES)
def test_office_words_are_found_whatever_the_case_width_or_spacing(name):
    assert office_word_in(name) is not None


@pytest.mark.parametrize("name", PERSON_NAMES)
def test_peoples_names_pass(name):
    assert office_word_in(name) is None


@pytest.mark.parametrize("name", ["秘书处", "ＡＤＭＩＮ", "秘 书 处"])
def test_profile_refuses_an_office_name_in_chinese_and_saves_nothing(client, name):
    user = UserFactory(real_name="王五", preferred_language="zh-hans")
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {"real_name": name, "email": "wangwu@example.cn", "phone": "", "preferred_language": "en"},
    )
    assert response.status_code == 200
    assert "real_name" in response.context["form"].errors
    assert "不能是或包含机构、职务名称" in response.content.decode()
    user.refresh_from_db()
    assert (user.real_name, user.email, user.preferred_language) == ("王五", user.email, "zh-hans")
    assert user.email != "wangwu@example.cn"


def test_profile_message_in_english(client):
    user = UserFactory(real_name="Wang Wu")
    client.force_login(user)
    response = client.post(
        "/en/accounts/profile/",
        {"real_name": "Secretariat", "email": user.email, "phone": "", "preferred_language": "en"},
    )
    assert response.status_code == 200
    assert "cannot be or contain the name of an office" in response.content.decode()
    user.refresh_from_db()
    assert user.real_name == "Wang Wu"


def test_the_model_refuses_it_too(db):
    user = UserFactory(real_name="王五")
    user.real_name = "秘书处"
    with pytest.raises(ValidationError) as caught:
        user.full_clean()
    assert "real_name" in caught.value.message_dict


def test_a_persons_name_is_saved(client):
    user = UserFactory(real_name="王五")
    client.force_login(user)
    response = client.post(
        "/accounts/profile/", {"real_name": "张三", "email": user.email, "phone": "", "preferred_language": "zh-hans"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.real_name == "张三"


# (b) organization and role beside the name ------------------------------------------------------------------


@pytest.fixture
def world():
    world = build_world()
    users, organizations = world["users"], world["organizations"]
    users["council_member"].real_name = "张三"
    users["secretary"].real_name = "李四"
    users["plenary_only"].real_name = "秘书处"  # saved behind validation's back, as an old account might be
    for name in ("council_member", "secretary", "plenary_only"):
        users[name].save(update_fields=["real_name"])
    organizations["council_member"].name = "深圳坪山康源生物"
    organizations["council_member"].save(update_fields=["name"])
    return world


def label(user, workspace):
    return str(people.person_label(user, type(workspace).objects.get(pk=workspace.pk)))


def test_labels_in_chinese_and_english(world):
    users, council = world["users"], world["council"]
    plenary_only_org = world["organizations"]["plenary_only"].name
    with translation.override("zh-hans"):
        assert label(users["council_member"], council) == "张三（深圳坪山康源生物 · 理事）"
        assert label(users["secretary"], council) == "李四（秘书处）"
        assert label(users["chair"], council).endswith(f"（{world['organizations']['chair'].name} · 理事长）")
        # A member named 秘书处 is shown as the member they are.
        assert label(users["plenary_only"], council) == f"秘书处（{plenary_only_org} · 理事）"
        assert label(users["external"], world["committees"]["a"]).endswith(" · 委员）")
        assert label(users["outsider"], council) == users["outsider"].display_name
    with translation.override("en"):
        assert label(users["council_member"], council) == "张三 (深圳坪山康源生物 · Member)"
        assert label(users["secretary"], council) == "李四 (Secretariat)"


def test_a_thread_post_shows_organization_and_role(client, world):
    users = world["users"]
    thread = discussions.start_thread(
        actor=users["plenary_only"], workspace=world["council"], title="议题", body="我是秘书处，请大家提交材料。"
    )
    discussions.reply(actor=users["council_member"], thread=thread, body="收到。")
    discussions.reply(actor=users["secretary"], thread=thread, body="以上不是秘书处的通知。")
    client.force_login(users["chair"])
    content = client.get(reverse("councils:thread", args=["biomed", thread.pk])).content.decode()
    plenary_only_org = world["organizations"]["plenary_only"].name
    assert "<strong>张三（深圳坪山康源生物 · 理事）</strong>" in content
    assert "<strong>李四（秘书处）</strong>" in content
    assert f"<strong>秘书处（{plenary_only_org} · 理事）</strong>" in content
    assert "<strong>秘书处</strong>" not in content


def test_the_htmx_reply_shows_the_label(client, world):
    users = world["users"]
    thread = discussions.start_thread(
        actor=users["secretary"], workspace=world["council"], title="议题", body="请讨论。"
    )
    client.force_login(users["council_member"])
    response = client.post(
        reverse("councils:thread_reply", args=["biomed", thread.pk]), {"body": "同意。"}, HTTP_HX_REQUEST="true"
    )
    assert "<strong>张三（深圳坪山康源生物 · 理事）</strong>" in response.content.decode()


def test_activity_motion_and_meeting_pages_show_the_label(client, world):
    users, council = world["users"], world["council"]
    discussions.start_thread(actor=users["council_member"], workspace=council, title="议题", body="请讨论。")
    motion = motions.draft_motion(
        actor=users["council_member"], workspace=council, title="关于设立临床资源平台的议案", text="建议设立。"
    )
    motions.submit_motion(actor=users["council_member"], motion=motion)
    client.force_login(users["chair"])
    expected = "张三（深圳坪山康源生物 · 理事）"
    activity_page = client.get(reverse("councils:activity", args=["biomed"])).content.decode()
    assert expected in activity_page
    assert expected in client.get(reverse("councils:motions", args=["biomed"])).content.decode()
    assert expected in client.get(reverse("councils:motion", args=["biomed", motion.pk])).content.decode()
    assert Event.objects.filter(actor=users["council_member"]).exists()


def test_notifications_name_the_person_with_organization_and_role(world):
    users = world["users"]
    Notification.objects.all().delete()
    discussions.start_thread(
        actor=users["plenary_only"], workspace=world["council"], title="材料提交", body="@张三 请提交材料。"
    )
    plenary_only_org = world["organizations"]["plenary_only"].name
    mention = Notification.objects.get(recipient=users["council_member"])
    with translation.override("zh-hans"):
        text = f"{mention.title} {mention.body}"
    assert f"秘书处（{plenary_only_org} · 理事）" in text
    others = Notification.objects.exclude(recipient=users["council_member"])
    assert others.exists()
    for notification in others:
        assert f"秘书处（{plenary_only_org} · 理事）" in f"{notification.title} {notification.body}"


def test_meeting_invitations_show_the_label(client, world):
    import datetime

    from django.utils import timezone

    users = world["users"]
    meeting = meetings.schedule_meeting(
        actor=users["secretary"],
        workspace=world["council"],
        title="第二次全体会议",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        location="坪山区政府会议室",
    )
    client.force_login(users["chair"])
    content = client.get(reverse("councils:meeting", args=["biomed", meeting.pk])).content.decode()
    assert "张三（深圳坪山康源生物 · 理事）" in content
    assert "李四（秘书处）" in content
    assert services.workspace_seats(world["council"])  # the invitations came from the seats in force
