"""Policy feedback (政策评议): the campaign lifecycle, what members may (not) see, the permission matrix of every
URL and query budgets. Answers, figures and the export are in test_councils_feedback_answers, the drafted
feedback opinion in test_councils_feedback_opinion."""

# ruff: noqa: F811 (the shared fixtures are imported by name and requested as arguments)

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from councils import services as council_services
from councils.models import (
    ActivityVerb,
    CampaignState,
    Council,
    FeedbackResponse,
    PolicyFeedback,
    QuestionKind,
)
from councils.services import feedback as services
from portal.history.models import Event
from portal.notifications.models import Notification
from tests.councils_feedback_world import (
    FUTURE,
    MANAGERS,
    MEMBERS,
    RATING_Q,
    TEXT_Q,
    add_plenary_members,
    answer,
    new_campaign,
    owned_issuer,
    question,
    rows,
    user,
    world,  # noqa: F401
    zh,
)
from tests.councils_world import CAN_OPEN, USERS, login

pytestmark = pytest.mark.django_db


# Campaign lifecycle -----------------------------------------------------------------------------------------


def test_campaign_lifecycle(world):
    secretary = user(world, "secretary")
    council = world["council"]
    campaign = new_campaign(world)
    assert campaign.state == CampaignState.DRAFT and campaign.council == council and campaign.committee is None
    assert [(q.position, q.text, q.kind, q.required) for q in campaign.questions.all()] == [
        (1, RATING_Q, QuestionKind.RATING, True),
        (2, TEXT_Q, QuestionKind.TEXT, False),
    ]
    assert not Event.objects.filter(verb=ActivityVerb.OPENED_FEEDBACK).exists()  # a draft is not news

    services.update_campaign(
        actor=secretary,
        campaign=campaign,
        title="  修改后的评议  ",
        policy_name="新政策",
        issuing_department="区发改局",
        questions=[("", QuestionKind.TEXT, False), ("只剩一个问题", QuestionKind.TEXT, True)],
    )
    campaign.refresh_from_db()
    assert campaign.title == "修改后的评议" and campaign.policy_link == "" and campaign.closes_on is None
    assert list(campaign.questions.values_list("position", "text", "required")) == [(1, "只剩一个问题", True)]

    Notification.objects.all().delete()
    services.open_campaign(actor=secretary, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.OPEN and campaign.opened_at is not None
    opened = Event.objects.get(verb=ActivityVerb.OPENED_FEEDBACK)
    assert opened.summary == "修改后的评议" and opened.scope == council
    assert opened.url == reverse("councils:campaign", kwargs={"slug": council.slug, "pk": campaign.pk})
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"ws_council_member", "ws_plenary_only", "ws_chair", "ws_observer"}

    with pytest.raises(ValidationError):  # no changes once open
        services.update_campaign(actor=secretary, campaign=campaign, title="x", policy_name="y", issuing_department="z")
    with pytest.raises(ValidationError):
        services.open_campaign(actor=secretary, campaign=campaign)

    services.close_campaign(actor=secretary, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.CLOSED and campaign.closed_at is not None
    assert Event.objects.filter(verb=ActivityVerb.CLOSED_FEEDBACK, summary="修改后的评议").count() == 1
    with pytest.raises(ValidationError):
        services.close_campaign(actor=secretary, campaign=campaign)
    actions = list(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(PolicyFeedback), object_id=str(campaign.pk)
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "councils.create_campaign",
        "councils.update_campaign",
        "councils.open_campaign",
        "councils.close_campaign",
    ]


def test_committee_campaign_notifies_the_committee(world):
    Notification.objects.all().delete()
    campaign = new_campaign(world, "a", opened=True)
    assert campaign.committee == world["committees"]["a"]
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"ws_council_member", "ws_external"}
    assert Event.objects.get(verb=ActivityVerb.OPENED_FEEDBACK).scope == world["committees"]["a"]


def _other_workspace_document(world):
    folder = council_services.create_folder(
        actor=user(world, "secretary"), workspace=world["committees"]["b"], name="B"
    )
    return council_services.upload_document(
        actor=user(world, "secretary"),
        folder=folder,
        title="B的文件",
        upload=SimpleUploadedFile("b.txt", b"text"),
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "   "}, "title"),
        ({"policy_name": ""}, "policy_name"),
        ({"issuing_department": " "}, "issuing_department"),
        ({"policy_link": "javascript:alert(1)"}, "policy_link"),
        ({"policy_link": "www.example.cn"}, "policy_link"),
        ({"closes_on": timezone.localdate() - datetime.timedelta(days=1)}, "closes_on"),
        ({"questions": [("问题", "multiple_choice", False)]}, "questions"),
        ({"questions": [("问" * 501, QuestionKind.TEXT, False)]}, "questions"),
        ({"title": "标" * 201}, "title"),
        ("other_document", "policy_document"),
    ],
)
def test_bad_campaigns_are_refused_and_change_nothing(world, change, field):
    if change == "other_document":
        change = {"policy_document": _other_workspace_document(world)}
    draft = new_campaign(world, title="原标题")
    before = rows()
    with pytest.raises(ValidationError) as error:
        new_campaign(world, **change)
    assert field in error.value.error_dict
    arguments = {
        "title": "原标题",
        "policy_name": "政策",
        "issuing_department": "部门",
        **{key: value for key, value in change.items() if key != "questions"},
    }
    if "questions" in change:
        arguments["questions"] = change["questions"]
    with pytest.raises(ValidationError) as error:
        services.update_campaign(actor=user(world, "secretary"), campaign=draft, **arguments)
    assert field in error.value.error_dict
    assert rows() == before
    draft.refresh_from_db()
    assert draft.title == "原标题" and draft.questions.count() == 2


def test_policy_document_of_the_same_workspace_is_accepted(world):
    folder = council_services.create_folder(actor=user(world, "secretary"), workspace=world["council"], name="政策")
    document = council_services.upload_document(
        actor=user(world, "secretary"), folder=folder, title="政策原文", upload=SimpleUploadedFile("p.txt", b"text")
    )
    campaign = new_campaign(world, policy_document=document)
    assert campaign.policy_document == document


@pytest.mark.parametrize("who", ["council_member", "chair", "observer", "outsider"])
def test_only_the_secretariat_runs_campaigns(world, who):
    actor = user(world, who)
    draft = new_campaign(world)
    before = rows()
    with pytest.raises(PermissionDenied):
        services.create_campaign(
            actor=actor, workspace=world["council"], title="t", policy_name="p", issuing_department="d"
        )
    with pytest.raises(PermissionDenied):
        services.open_campaign(actor=actor, campaign=draft)
    with pytest.raises(PermissionDenied):
        services.update_campaign(actor=actor, campaign=draft, title="t", policy_name="p", issuing_department="d")
    assert rows() == before
    opened = new_campaign(world, opened=True)
    before = rows()
    for action in (services.close_campaign, services.export_campaign, services.draft_feedback_opinion):
        with pytest.raises(PermissionDenied):
            action(actor=actor, campaign=opened)
    assert rows() == before


def test_opening_with_a_passed_due_date_is_refused(world):
    campaign = new_campaign(world)
    PolicyFeedback.objects.filter(pk=campaign.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    before = rows()
    with pytest.raises(ValidationError) as error:
        services.open_campaign(actor=user(world, "secretary"), campaign=campaign)
    assert "closes_on" in error.value.error_dict
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT and rows() == before


def test_a_campaign_without_own_questions_can_open(world):
    campaign = new_campaign(world, questions=[], closes_on=None, opened=True)
    assert campaign.state == CampaignState.OPEN
    response = services.submit_response(actor=user(world, "chair"), campaign=campaign, effect_rating=3)
    assert response.effect_rating == 3


# What members see -------------------------------------------------------------------------------------------


def test_members_never_see_other_members_answers(client, world):
    campaign = new_campaign(world, opened=True)
    answer(world, "council_member", campaign, 5, problems="只给秘书处看的问题", suggestions="只给秘书处看的建议")
    url = reverse("councils:campaign", kwargs={"slug": "biomed", "pk": campaign.pk})

    login(client, world, "plenary_only")
    content = client.get(url).content.decode()
    assert "只给秘书处看的建议" not in content and "只给秘书处看的问题" not in content
    assert user(world, "observer").display_name not in content  # no non-respondents list
    assert "campaign_export" not in content and "/export/" not in content
    assert reverse("councils:campaign_answer", kwargs={"slug": "biomed", "pk": campaign.pk}) in content

    login(client, world, "council_member")  # their own answer, prefilled
    response = client.get(url)
    assert response.context["response_form"].initial["suggestions"] == "只给秘书处看的建议"
    assert response.context["summary"] is None

    login(client, world, "secretary")
    content = client.get(url).content.decode()
    assert "只给秘书处看的建议" in content and user(world, "observer").display_name in content
    assert "75.0%" not in content and "25.0%" in content


def test_answer_through_the_view_and_its_errors(client, world):
    campaign = new_campaign(world, opened=True)
    rating_q = question(campaign, QuestionKind.RATING)
    url = reverse("councils:campaign_answer", kwargs={"slug": "biomed", "pk": campaign.pk})
    login(client, world, "chair")
    response = client.post(url, {"effect_rating": "9", f"question_{rating_q.pk}": "4"})
    assert response.status_code == 200 and response.context["response_form"].errors["effect_rating"]
    response = client.post(url, {"effect_rating": "4"})  # the required question is missing
    assert response.status_code == 200 and response.context["response_form"].errors[f"question_{rating_q.pk}"]
    assert FeedbackResponse.objects.count() == 0
    response = client.post(url, {"effect_rating": "4", f"question_{rating_q.pk}": "5", "suggestions": "好"})
    assert response.status_code == 302
    assert FeedbackResponse.objects.get().suggestions == "好"
    services.close_campaign(actor=user(world, "secretary"), campaign=campaign)
    response = client.post(url, {"effect_rating": "1", f"question_{rating_q.pk}": "1"}, follow=True)
    assert zh("This campaign is closed: answers can no longer be given or changed.") in response.content.decode()
    assert FeedbackResponse.objects.get().effect_rating == 4


def test_list_shows_answered_and_hides_drafts_from_members(client, world):
    draft = new_campaign(world, title="草稿评议")
    answered = new_campaign(world, title="已答评议", opened=True)
    pending = new_campaign(world, title="待答评议", opened=True)
    answer(world, "council_member", answered, 4)
    url = reverse("councils:feedback", kwargs={"slug": "biomed"})
    login(client, world, "council_member")
    response = client.get(url)
    states = {campaign.title: campaign.answered for campaign in response.context["campaigns"]}
    assert states == {"已答评议": True, "待答评议": False}
    assert "草稿评议" not in response.content.decode()
    login(client, world, "secretary")
    response = client.get(url)
    counts = {campaign.title: campaign.response_count for campaign in response.context["campaigns"]}
    assert counts == {"草稿评议": 0, "已答评议": 1, "待答评议": 0}
    assert draft and pending


def test_create_and_edit_through_the_views(client, world):
    login(client, world, "secretary")
    committee = world["committees"]["a"]
    url = reverse("councils:committee_feedback_new", kwargs={"slug": "biomed", "committee_pk": committee.pk})
    response = client.post(url, campaign_form(title=""))
    assert response.status_code == 200 and response.context["form"].errors["title"]
    response = client.post(url, campaign_form(policy_link="ftp://x"))
    assert response.status_code == 200 and response.context["form"].errors["policy_link"]
    assert PolicyFeedback.objects.count() == 0
    response = client.post(url, campaign_form())
    campaign = PolicyFeedback.objects.get()
    assert response.status_code == 302 and campaign.committee == committee
    assert list(campaign.questions.values_list("text", "kind", "required")) == [("企业获得感如何？", "rating", True)]
    edit = reverse("councils:campaign_edit", kwargs={"slug": "biomed", "pk": campaign.pk})
    response = client.get(edit)
    assert response.context["formset"].forms[0].initial["text"] == "企业获得感如何？"
    response = client.post(edit, campaign_form(title="改名", question="新问题"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "改名" and list(campaign.questions.values_list("text", flat=True)) == ["新问题"]
    services.open_campaign(actor=user(world, "secretary"), campaign=campaign)
    response = client.get(edit, follow=True)
    assert zh("Only a draft campaign can be changed.") in response.content.decode()


# Permission matrix ------------------------------------------------------------------------------------------


def campaign_form(*, title="新评议", policy_link="", question="企业获得感如何？"):
    return {
        "title": title,
        "policy_name": "政策",
        "issuing_department": "部门",
        "policy_summary": "",
        "policy_link": policy_link,
        "policy_document": "",
        "closes_on": FUTURE.isoformat(),
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "30",
        "questions-0-text": question,
        "questions-0-kind": "rating",
        "questions-0-required": "on",
        "questions-1-text": "",
        "questions-1-kind": "text",
    }


def endpoints(world, key):
    """(label, method, url, data, who may, expected status) for every URL of the section in one workspace."""
    slug = "biomed"
    workspace = world["workspaces"][key]
    plain = new_campaign(world, key, title="看草稿")
    to_open = new_campaign(world, key, title="待开放")
    opened = new_campaign(world, key, title="开放中", opened=True)
    to_close = new_campaign(world, key, title="待关闭", opened=True)
    for_opinion = new_campaign(world, key, title="写意见", opened=True)
    owned_issuer(workspace)
    rating_q = question(opened, QuestionKind.RATING)
    can_open, members = CAN_OPEN[key], MEMBERS[key]

    def url(name, campaign):
        return reverse(f"councils:{name}", kwargs={"slug": slug, "pk": campaign.pk})

    if key == "plenary":
        list_url = reverse("councils:feedback", kwargs={"slug": slug})
        new_url = reverse("councils:feedback_new", kwargs={"slug": slug})
    else:
        kwargs = {"slug": slug, "committee_pk": workspace.pk}
        list_url = reverse("councils:committee_feedback", kwargs=kwargs)
        new_url = reverse("councils:committee_feedback_new", kwargs=kwargs)
    return [
        ("list", "get", list_url, None, can_open, 200),
        ("new form", "get", new_url, None, MANAGERS, 200),
        ("new", "post", new_url, campaign_form(), MANAGERS, 302),
        ("draft page", "get", url("campaign", plain), None, MANAGERS, 200),
        ("edit form", "get", url("campaign_edit", plain), None, MANAGERS, 200),
        ("edit", "post", url("campaign_edit", plain), campaign_form(title="改过"), MANAGERS, 302),
        ("open", "post", url("campaign_open", to_open), {}, MANAGERS, 302),
        ("page", "get", url("campaign", opened), None, can_open, 200),
        (
            "answer",
            "post",
            url("campaign_answer", opened),
            {"effect_rating": "3", f"question_{rating_q.pk}": "4"},
            members,
            302,
        ),  # fmt: skip
        ("export", "get", url("campaign_export", opened), None, MANAGERS, 200),
        ("close", "post", url("campaign_close", to_close), {}, MANAGERS, 302),
        ("opinion", "post", url("campaign_opinion", for_opinion), {}, MANAGERS, 302),
    ], {"plain": plain, "to_open": to_open, "opened": opened, "to_close": to_close, "for_opinion": for_opinion}


@pytest.mark.parametrize("key", ["plenary", "a"])
@pytest.mark.parametrize("who", USERS)
def test_permission_matrix(client, world, who, key):
    routes, campaigns = endpoints(world, key)
    count = PolicyFeedback.objects.count()
    login(client, world, who)
    for label, method, url, data, allowed, status in routes:
        response = client.get(url) if method == "get" else client.post(url, data)
        where = f"{who} {key} {label}"
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], where
        elif who in allowed:
            assert response.status_code == status, where
            if status == 302:
                assert "/accounts/login/" not in response["Location"], where
        else:
            assert response.status_code == 404, where
    for name, campaign in campaigns.items():
        campaigns[name] = PolicyFeedback.objects.get(pk=campaign.pk)
    manager, member = who in MANAGERS, who in MEMBERS[key]
    assert PolicyFeedback.objects.count() == count + (1 if manager else 0)
    assert (campaigns["plain"].title == "改过") is manager
    assert campaigns["to_open"].state == (CampaignState.OPEN if manager else CampaignState.DRAFT)
    assert campaigns["to_close"].state == (CampaignState.CLOSED if manager else CampaignState.OPEN)
    assert (campaigns["for_opinion"].opinion_id is not None) is manager
    assert FeedbackResponse.objects.filter(campaign=campaigns["opened"]).exists() is member
    assert ModelLogEntry.objects.filter(action="councils.export_campaign").exists() is manager


@pytest.mark.parametrize("who", ["secretary", "council_member", "outsider"])
def test_post_only_urls_refuse_get_without_revealing_anything(client, world, who):
    campaign = new_campaign(world, opened=True)
    login(client, world, who)
    for name in ("campaign_open", "campaign_close", "campaign_answer", "campaign_opinion"):
        response = client.get(reverse(f"councils:{name}", kwargs={"slug": "biomed", "pk": campaign.pk}))
        assert response.status_code == 405
    missing = client.post(reverse("councils:campaign_close", kwargs={"slug": "biomed", "pk": 999999}))
    assert missing.status_code == 404
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.OPEN


def test_campaign_of_another_council_slug_is_404(client, world):
    campaign = new_campaign(world, opened=True)
    Council.objects.create(
        theme=world["council"].theme, name_zh="另一理事会", slug="other", leading_bureau=world["council"].leading_bureau
    )
    login(client, world, "superuser")
    assert client.get(reverse("councils:campaign", kwargs={"slug": "other", "pk": campaign.pk})).status_code == 404
    assert client.get(reverse("councils:campaign", kwargs={"slug": "biomed", "pk": campaign.pk})).status_code == 200


# Query budgets ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["council_member", "secretary"])
def test_list_has_a_constant_query_count(client, world, who):
    url = reverse("councils:feedback", kwargs={"slug": "biomed"})
    first = new_campaign(world, title="评议0", opened=True)
    answer(world, "council_member", first, 4)
    login(client, world, who)
    client.get(url)  # warm caches (session, locale)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(1, 6):
        campaign = new_campaign(world, title=f"评议{index}", opened=index % 2 == 0)
        if index % 2 == 0:
            answer(world, "council_member", campaign, 3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["campaigns"]) == (6 if who == "secretary" else 3)
    print(f"feedback list ({who}): {len(few)} queries with 1 campaign, {len(many)} with 6")
    assert len(many) == len(few)


@pytest.mark.parametrize("who", ["council_member", "secretary"])
def test_campaign_page_has_a_constant_query_count(client, world, who):
    campaign = new_campaign(world, opened=True)
    answer(world, "council_member", campaign, 4, answers={question(campaign, QuestionKind.RATING).pk: 4})
    owned_issuer(world["council"])
    url = reverse("councils:campaign", kwargs={"slug": "biomed", "pk": campaign.pk})
    login(client, world, who)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    rating_q, text_q = question(campaign, QuestionKind.RATING), question(campaign, QuestionKind.TEXT)
    for person in add_plenary_members(world, 5):
        services.submit_response(
            actor=person, campaign=campaign, effect_rating=2, answers={rating_q.pk: 3, text_q.pk: "回答"}
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    if who == "secretary":
        assert response.context["summary"].responses == 6
        assert response.content.decode().count("回答") >= 5
    print(f"campaign page ({who}): {len(few)} queries with 1 answer, {len(many)} with 6")
    assert len(many) == len(few)
