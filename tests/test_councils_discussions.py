"""Workspace discussions: threads and replies, attachments, @mentions and who is told, the views' permission
matrix, htmx replies, escaping, downloads and query budgets."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from councils.models import ActivityVerb, Post, PostAttachment, Thread
from councils.services import discussions
from councils.services.discussions import mention_spans
from portal.files.uploads import DOCUMENTS
from portal.history.models import Event
from portal.notifications.models import Notification
from tests.councils_world import CAN_OPEN, USERS, build_world, login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
TEXT = "会议纪要：讨论产业促进工作安排。\n".encode()
HTMX = {"HTTP_HX_REQUEST": "true"}
FILE_ERROR = re.compile(r'<p class="field__error" role="alert">[^<]*x\.exe')


def upload(name="纪要.txt", data=TEXT, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files():
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "councils" / "attachments"
    return sorted(path.name for path in root.glob("*")) if root.exists() else []


def counts():
    """What a refused action must leave unchanged."""
    return {
        "threads": Thread.objects.count(),
        "posts": Post.objects.count(),
        "attachments": PostAttachment.objects.count(),
        "notifications": Notification.objects.count(),
        "activity": Event.objects.count(),
        "log": ModelLogEntry.objects.filter(action__startswith="councils.").count(),
        "files": stored_files(),
    }


def titles_for(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


@pytest.fixture
def world():
    built = build_world()
    for user in built["users"].values():  # notifications in English, whatever the catalogue says
        user.preferred_language = "en"
        user.save(update_fields=["preferred_language"])
    return built


def start(world, key="plenary", who="council_member", title="产业政策讨论", body="大家好。", attachments=()):
    return discussions.start_thread(
        actor=world["users"][who],
        workspace=world["workspaces"][key],
        title=title,
        body=body,
        attachments=attachments,
    )


# Services ---------------------------------------------------------------------------------------------------


def test_start_thread_and_reply(world):
    users = world["users"]
    Notification.objects.all().delete()
    thread = start(world, attachments=[upload("议程.txt"), upload("报告.pdf", PDF)])
    assert thread.council == world["council"] and thread.committee is None
    assert thread.created_by == users["council_member"]
    first = thread.posts.get()
    assert first.body == "大家好。"
    assert [(a.original_name, a.content_type) for a in first.attachments.all()] == [
        ("议程.txt", "text/plain"),
        ("报告.pdf", "application/pdf"),
    ]
    assert first.attachments.first().file.read() == TEXT
    assert thread.last_post_at == first.created_at
    started = Event.objects.get(verb=ActivityVerb.STARTED_THREAD)
    assert started.summary == thread.title and started.url.endswith(f"/discussions/{thread.pk}/")
    assert ModelLogEntry.objects.filter(action="councils.start_thread", object_id=str(thread.pk)).exists()
    # a new thread tells everyone in the workspace, not the author, nobody outside
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {users[name].username for name in CAN_OPEN["plenary"] - {"council_member", "superuser"}}

    Notification.objects.all().delete()
    post = discussions.reply(actor=users["chair"], thread=thread, body="同意。")
    thread.refresh_from_db()
    assert list(thread.posts.all()) == [first, post]
    assert thread.last_post_at == post.created_at > first.created_at
    replied = Event.objects.get(verb=ActivityVerb.REPLIED)
    assert replied.url.endswith(f"#post-{post.pk}")
    assert ModelLogEntry.objects.filter(action="councils.reply", object_id=str(thread.pk)).count() == 1
    # a reply tells those who took part, not everyone
    assert titles_for(users["council_member"]) == [f"New reply in {thread.title}"]
    assert Notification.objects.count() == 1

    Notification.objects.all().delete()
    discussions.reply(actor=users["observer"], thread=thread, body="补充一点。")
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {users["council_member"].username, users["chair"].username}


def test_committee_thread_tells_only_the_committee(world):
    users = world["users"]
    Notification.objects.all().delete()
    thread = start(world, key="a", who="external")
    assert thread.committee == world["committees"]["a"]
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {users["council_member"].username, users["secretary"].username}


def test_member_mentioned_is_linked_and_notified(world):
    users = world["users"]
    thread = start(world)
    Notification.objects.all().delete()
    post = discussions.reply(actor=users["council_member"], thread=thread, body="@ws_plenary_only 请看一下")
    assert list(post.mentions.all()) == [users["plenary_only"]]
    mention = Notification.objects.get(recipient=users["plenary_only"])
    # The name comes with the organization and role (councils.people), here in the recipient's English.
    organization = world["organizations"]["council_member"].name
    name = users["council_member"].display_name
    assert mention.title == f"{name} ({organization} · Member) mentioned you in {thread.title}"
    assert mention.url.endswith(f"#post-{post.pk}")
    assert Notification.objects.count() == 1  # not "new reply" to everyone


def test_new_thread_mention_gets_one_notification(world):
    users = world["users"]
    Notification.objects.all().delete()
    start(world, body="@ws_chair 请主持")
    assert len(titles_for(users["chair"])) == 1
    assert "mentioned you" in titles_for(users["chair"])[0]
    assert titles_for(users["plenary_only"])[0].startswith("New discussion in")


def test_outsider_mentioned_is_neither_linked_nor_notified(client, world):
    users = world["users"]
    users["outsider"].real_name = "王外人"
    users["outsider"].save()
    thread = start(world)
    Notification.objects.all().delete()
    body = "@ws_outsider 和 @王外人 以及 @ws_member_b 都不在这里"
    post = discussions.reply(actor=users["council_member"], thread=thread, body=body)
    assert post.mentions.count() == 0
    for name in ("outsider", "member_b"):
        assert Notification.objects.filter(recipient=users[name]).count() == 0
    login(client, world, "council_member")
    content = client.get(reverse("councils:thread", kwargs={"slug": "biomed", "pk": thread.pk})).content.decode()
    assert "@ws_outsider 和 @王外人" in content
    assert 'class="mention">@ws_outsider' not in content
    assert 'class="mention">@王外人' not in content
    offered = content.split('<details class="mentionable">')[1].split("</details>")[0]
    assert "@ws_chair" in offered and "ws_outsider" not in offered and "王外人" not in offered


def test_chinese_real_name_mention_takes_the_longest_name(world):
    users = world["users"]
    users["plenary_only"].real_name = "张三"
    users["plenary_only"].save()
    users["chair"].real_name = "张三丰"
    users["chair"].save()
    thread = start(world)
    Notification.objects.all().delete()
    post = discussions.reply(actor=users["council_member"], thread=thread, body="请@张三丰审阅")
    assert list(post.mentions.all()) == [users["chair"]]
    post = discussions.reply(actor=users["council_member"], thread=thread, body="@张三你好，也请@张三丰看")
    assert set(post.mentions.all()) == {users["plenary_only"], users["chair"]}
    assert len(titles_for(users["plenary_only"])) == 1
    assert len(titles_for(users["chair"])) == 2


def test_mention_boundaries(world):
    users = world["users"]
    people = [users["chair"], users["plenary_only"]]
    assert mention_spans("mail ws_x@ws_chair.cn", people) == []  # an e-mail address
    assert mention_spans("@ws_chairman", people) == []  # runs on into another name
    assert mention_spans("@WS_CHAIR, ok", people) == [(0, 9, users["chair"])]
    assert mention_spans("@@ws_chair", people) == [(1, 10, users["chair"])]


@pytest.mark.parametrize(
    "kwargs, field, code",
    [
        ({"title": "  "}, "title", "required"),
        ({"title": "题" * 201}, "title", "max_length"),
        ({"body": " \n "}, "body", "required"),
        ({"body": "字" * 10_001}, "body", "max_length"),
        ({"attachments": [upload(f"{n}.txt") for n in range(6)]}, "files", "too_many"),
        ({"attachments": [upload("好.txt"), upload("程序.exe", EXE)]}, "files", "type"),
        ({"attachments": [upload("报告.txt", PDF)]}, "files", "extension"),
        ({"attachments": [upload("空.txt", b"")]}, "files", "empty"),
    ],
)
def test_start_thread_refusals_change_nothing(world, kwargs, field, code):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        start(world, **kwargs)
    assert field in refused.value.error_dict
    assert refused.value.error_dict[field][0].code == code
    assert counts() == before


def test_too_large_attachment_is_refused(world, monkeypatch):
    monkeypatch.setattr(DOCUMENTS, "max_size", 10)
    thread = start(world)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        discussions.reply(actor=world["users"]["chair"], thread=thread, body="附件", attachments=[upload()])
    assert refused.value.error_dict["files"][0].code == "too_large"
    assert "纪要.txt" in refused.value.messages[0]
    assert counts() == before
    thread_before = thread.last_post_at
    thread.refresh_from_db()
    assert thread.last_post_at == thread_before


def test_reply_refusals_change_nothing(world):
    thread = start(world)
    before = counts()
    for body, attachments in [("", ()), ("x" * 10_001, ()), ("ok", [upload("a.exe", EXE)])]:
        with pytest.raises(ValidationError):
            discussions.reply(actor=world["users"]["chair"], thread=thread, body=body, attachments=attachments)
    assert counts() == before


def test_files_are_removed_when_the_transaction_fails(world, monkeypatch):
    before = counts()

    def broken(*args, **kwargs):
        raise RuntimeError("activity stream down")

    monkeypatch.setattr(discussions, "record", broken)
    with pytest.raises(RuntimeError):
        start(world, attachments=[upload("a.txt"), upload("b.pdf", PDF)])
    assert counts() == before


@pytest.mark.parametrize("who, key", [("outsider", "plenary"), ("member_b", "plenary"), ("plenary_only", "a")])
def test_who_may_not_post_is_refused(world, who, key):
    thread = start(world, key=key, who="secretary", attachments=[upload()])
    attachment = PostAttachment.objects.get(post__thread=thread)
    before = counts()
    with pytest.raises(PermissionDenied):
        start(world, key=key, who=who)
    with pytest.raises(PermissionDenied):
        discussions.reply(actor=world["users"][who], thread=thread, body="hi")
    with pytest.raises(PermissionDenied):
        discussions.record_attachment_download(actor=world["users"][who], attachment=attachment)
    assert counts() == before


def test_audit_actions_are_registered():
    from wagtail.log_actions import registry

    for action in ("councils.start_thread", "councils.reply", "councils.download_attachment"):
        assert registry.action_exists(action)
        assert registry.get_action_label(action) == discussions.ACTIONS[action][0]


def test_attachment_download_is_logged(world):
    thread = start(world, attachments=[upload()])
    attachment = PostAttachment.objects.get(post__thread=thread)
    discussions.record_attachment_download(actor=world["users"]["chair"], attachment=attachment)
    entry = ModelLogEntry.objects.get(action="councils.download_attachment")
    assert entry.user_id == world["users"]["chair"].pk
    assert entry.data["attachment"] == attachment.pk and entry.data["sha256"] == attachment.sha256


# Views ------------------------------------------------------------------------------------------------------


def _urls(world, key):
    slug = world["council"].slug
    if key == "plenary":
        args = {"slug": slug}
        names = ("councils:threads", "councils:thread_new")
    else:
        args = {"slug": slug, "committee_pk": world["committees"][key].pk}
        names = ("councils:committee_threads", "councils:committee_thread_new")
    return reverse(names[0], kwargs=args), reverse(names[1], kwargs=args)


def endpoints(world, key):
    """(label, method, url, data, headers, status for whoever may) for every URL of the section."""
    slug = world["council"].slug
    thread = start(world, key=key, who="secretary", attachments=[upload()])
    attachment = PostAttachment.objects.get(post__thread=thread)
    list_url, new_url = _urls(world, key)
    thread_url = reverse("councils:thread", kwargs={"slug": slug, "pk": thread.pk})
    reply_url = reverse("councils:thread_reply", kwargs={"slug": slug, "pk": thread.pk})
    download_url = reverse("councils:attachment_download", kwargs={"slug": slug, "pk": attachment.pk})
    return [
        ("list", "get", list_url, None, {}, 200),
        ("new form", "get", new_url, None, {}, 200),
        ("new", "post", new_url, lambda: {"title": "新话题", "body": "内容", "files": [upload()]}, {}, 302),
        ("thread", "get", thread_url, None, {}, 200),
        ("reply get", "get", reply_url, None, {}, 302),
        ("reply", "post", reply_url, lambda: {"body": "回复", "files": [upload()]}, {}, 302),
        ("reply htmx", "post", reply_url, lambda: {"body": "局部回复"}, HTMX, 200),
        ("reply htmx error", "post", reply_url, lambda: {"body": ""}, HTMX, 200),
        ("download", "get", download_url, None, {}, 200),
    ]


@pytest.mark.parametrize("workspace", ["plenary", "a"])
@pytest.mark.parametrize("who", USERS)
def test_permission_matrix(client, world, who, workspace):
    allowed = who in CAN_OPEN[workspace]
    routes = endpoints(world, workspace)
    login(client, world, who)
    before = (Thread.objects.count(), Post.objects.count(), PostAttachment.objects.count())
    for label, method, url, data, headers, status in routes:
        response = client.get(url, **headers) if method == "get" else client.post(url, data(), **headers)
        if who == "anonymous":
            assert response.status_code == 302, label
            assert "/accounts/login/" in response["Location"], label
        elif not allowed:
            assert response.status_code == 404, f"{who} {workspace} {label}"
        else:
            assert response.status_code == status, f"{who} {workspace} {label}"
            if status == 302:
                assert "/accounts/login/" not in response["Location"], label
    after = (Thread.objects.count(), Post.objects.count(), PostAttachment.objects.count())
    # allowed: a new thread (1 post, 1 file), a reply with a file, an htmx reply
    expected = (before[0] + 1, before[1] + 3, before[2] + 2) if allowed else before
    assert after == expected


def test_wrong_council_slug_is_404(client, world):
    thread = start(world, attachments=[upload()])
    attachment = PostAttachment.objects.get(post__thread=thread)
    login(client, world, "superuser")
    assert client.get(reverse("councils:thread", kwargs={"slug": "other", "pk": thread.pk})).status_code == 404
    url = reverse("councils:attachment_download", kwargs={"slug": "other", "pk": attachment.pk})
    assert client.get(url).status_code == 404
    assert client.get(reverse("councils:thread", kwargs={"slug": "biomed", "pk": 99999})).status_code == 404


def test_list_shows_threads_with_counts(client, world):
    thread = start(world, title="园区规划")
    discussions.reply(actor=world["users"]["chair"], thread=thread, body="好")
    start(world, key="a", title="委员会内部话题")
    login(client, world, "council_member")
    response = client.get(_urls(world, "plenary")[0])
    assert response.status_code == 200
    assert [(t.title, t.post_count) for t in response.context["threads"]] == [("园区规划", 2)]
    content = response.content.decode()
    assert "园区规划" in content and "委员会内部话题" not in content
    assert world["users"]["council_member"].display_name in content


def test_list_is_paginated(client, world):
    for number in range(26):
        start(world, title=f"话题{number:02d}")
    login(client, world, "chair")
    url = _urls(world, "plenary")[0]
    assert len(client.get(url).context["threads"]) == 25
    second = client.get(url, {"page": 2})
    assert [t.title for t in second.context["threads"]] == ["话题00"]
    assert client.get(url, {"page": "nonsense"}).status_code == 200


def test_new_thread_form_with_several_files(client, world):
    login(client, world, "external")
    _list_url, new_url = _urls(world, "a")
    response = client.post(
        new_url,
        {"title": "委员会议题", "body": "@ws_council_member 请看", "files": [upload("a.txt"), upload("b.pdf", PDF)]},
    )
    thread = Thread.objects.get(title="委员会议题")
    assert response.status_code == 302
    assert response["Location"] == reverse("councils:thread", kwargs={"slug": "biomed", "pk": thread.pk})
    post = thread.posts.get()
    assert sorted(post.attachments.values_list("original_name", flat=True)) == ["a.txt", "b.pdf"]
    assert list(post.mentions.all()) == [world["users"]["council_member"]]


def test_new_thread_form_shows_service_errors(client, world):
    login(client, world, "external")
    before = counts()
    response = client.post(_urls(world, "a")[1], {"title": "题", "body": "内容", "files": [upload("x.exe", EXE)]})
    assert response.status_code == 200
    assert FILE_ERROR.search(response.content.decode())
    assert counts() == before


def test_htmx_reply_returns_the_post_partial(client, world):
    thread = start(world)
    login(client, world, "chair")
    url = reverse("councils:thread_reply", kwargs={"slug": "biomed", "pk": thread.pk})
    response = client.post(url, {"body": "@ws_council_member 同意", "files": [upload()]}, **HTMX)
    post = Post.objects.latest("pk")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert f'id="post-{post.pk}"' in content
    assert '<span class="mention">@ws_council_member</span> 同意' in content
    assert (
        reverse("councils:attachment_download", kwargs={"slug": "biomed", "pk": post.attachments.get().pk}) in content
    )
    # the form comes back empty, swapped out of band
    assert 'id="reply-form"' in content and 'hx-swap-oob="true"' in content
    assert "同意</textarea>" not in content


def test_htmx_reply_error_returns_the_form_with_errors(client, world):
    thread = start(world)
    login(client, world, "chair")
    url = reverse("councils:thread_reply", kwargs={"slug": "biomed", "pk": thread.pk})
    before = counts()
    response = client.post(url, {"body": "带附件", "files": [upload("x.exe", EXE)]}, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="reply-form"' in content and 'hx-swap-oob="true"' in content
    assert FILE_ERROR.search(content)
    assert "带附件</textarea>" in content  # the text is kept
    assert 'class="post"' not in content
    assert counts() == before


def test_plain_reply_redirects_to_the_post_and_errors_rerender(client, world):
    thread = start(world)
    login(client, world, "chair")
    url = reverse("councils:thread_reply", kwargs={"slug": "biomed", "pk": thread.pk})
    response = client.post(url, {"body": "普通回复"})
    post = Post.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/discussions/{thread.pk}/#post-{post.pk}")
    before = counts()
    response = client.post(url, {"body": "x" * 10_001})
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()
    assert counts() == before


def test_body_and_title_are_escaped(client, world):
    thread = start(world, title="<img src=x onerror=alert(1)>", body='<script>alert("x")</script>\n@ws_chair <b>hi</b>')
    login(client, world, "chair")
    content = client.get(reverse("councils:thread", kwargs={"slug": "biomed", "pk": thread.pk})).content.decode()
    assert "<script>alert" not in content and "<b>hi</b>" not in content and "<img src=x" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>" in content
    assert '<span class="mention">@ws_chair</span> &lt;b&gt;hi&lt;/b&gt;' in content
    listing = client.get(_urls(world, "plenary")[0]).content.decode()
    assert "<img src=x" not in listing and "&lt;img src=x onerror=alert(1)&gt;" in listing


def test_thread_page_offers_who_can_be_mentioned(client, world):
    thread = start(world, key="a")
    login(client, world, "external")
    content = client.get(reverse("councils:thread", kwargs={"slug": "biomed", "pk": thread.pk})).content.decode()
    assert "@ws_council_member" in content and "@ws_secretary" in content
    assert "@ws_plenary_only" not in content and "@ws_member_b" not in content


def test_attachment_download_headers(client, world):
    thread = start(world, attachments=[upload("会议 纪要.txt")])
    attachment = PostAttachment.objects.get(post__thread=thread)
    login(client, world, "observer")
    response = client.get(reverse("councils:attachment_download", kwargs={"slug": "biomed", "pk": attachment.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TEXT
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote('会议 纪要.txt', safe='')}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("text/plain")
    assert ModelLogEntry.objects.filter(action="councils.download_attachment", user_id=world["users"]["observer"].pk)


# Query budgets ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["plenary", "a"])
def test_list_has_constant_query_count(client, world, key):
    start(world, key=key, who="secretary")
    login(client, world, "council_member")
    url = _urls(world, key)[0]
    client.get(url)  # warm caches (session, locale)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(5):
        thread = start(world, key=key, who="council_member", title=f"话题{number}")
        discussions.reply(actor=world["users"]["secretary"], thread=thread, body="回复")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["threads"]) == 6
    print(f"threads {key}: {len(few)} queries with 1 thread, {len(many)} with 6")
    assert len(many) == len(few)


@pytest.mark.parametrize("key", ["plenary", "a"])
def test_thread_page_has_constant_query_count(client, world, key):
    thread = start(world, key=key, who="secretary", attachments=[upload()])
    login(client, world, "council_member")
    url = reverse("councils:thread", kwargs={"slug": "biomed", "pk": thread.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(5):
        discussions.reply(
            actor=world["users"]["council_member"],
            thread=thread,
            body=f"@ws_secretary 第{number}条",
            attachments=[upload(f"{number}.txt"), upload(f"{number}.pdf", PDF)],
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('class="post"') == 6
    assert response.content.decode().count('class="mention"') == 5
    print(f"thread {key}: {len(few)} queries with 1 post, {len(many)} with 6 posts and 11 attachments")
    assert len(many) == len(few)
