"""Policy feedback: answering a campaign, its exact figures and the Excel export."""

# ruff: noqa: F811 (the shared fixtures are imported by name and requested as arguments)

import datetime
import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from councils.models import (
    CampaignState,
    FeedbackResponse,
    QuestionKind,
)
from councils.services import feedback as services
from councils.views.feedback import export_filename
from portal.history.models import Event
from tests.councils_feedback_world import (  # noqa: F401
    FUTURE,
    RATING_Q,
    TEXT_Q,
    add_plenary_members,
    answer,
    english_messages,
    new_campaign,
    question,
    rows,
    user,
    world,
)
from tests.councils_world import login

pytestmark = pytest.mark.django_db


# Answering --------------------------------------------------------------------------------------------------


def test_answering_creates_then_replaces_the_members_answer(world):
    campaign = new_campaign(world, opened=True)
    rating_q, text_q = question(campaign, QuestionKind.RATING), question(campaign, QuestionKind.TEXT)
    first = answer(
        world, "council_member", campaign, 5, problems="审批慢", suggestions="建议简化", answers={rating_q.pk: 4}
    )
    assert first.organization == world["organizations"]["council_member"]
    assert first.effect_rating == 5 and first.problems == "审批慢" and first.suggestions == "建议简化"
    assert [(a.question_id, a.rating, a.text) for a in first.answers.all()] == [(rating_q.pk, 4, "")]
    # Nothing in the workspace's activity stream tells the members who has answered.
    assert not Event.objects.filter(actor=user(world, "council_member")).exists()

    second = answer(
        world,
        "council_member",
        campaign,
        "2",  # a form's string
        suggestions="改为线上办理",
        answers={str(rating_q.pk): "3", text_q.pk: "  研发资助  "},
    )
    assert second.pk == first.pk and FeedbackResponse.objects.count() == 1
    second.refresh_from_db()
    assert second.effect_rating == 2 and second.problems == "" and second.suggestions == "改为线上办理"
    assert second.submitted_at == first.submitted_at and second.updated_at > first.updated_at
    assert sorted((a.question_id, a.rating, a.text) for a in second.answers.all()) == [
        (rating_q.pk, 3, ""),
        (text_q.pk, None, "研发资助"),
    ]
    entries = ModelLogEntry.objects.filter(action="councils.answer_campaign").order_by("pk")
    assert [entry.data["replaced"] for entry in entries] == [False, True]
    assert "改为线上办理" not in str(entries.last().data)


def test_committee_answer_records_the_members_organization_in_the_committee(world):
    campaign = new_campaign(world, "a", opened=True)
    response = answer(world, "external", campaign)
    external_org = world["committees"]["a"].memberships.get(user=user(world, "external")).organization
    assert response.organization == external_org


@pytest.mark.usefixtures("english_messages")
@pytest.mark.parametrize("rating", [0, 6, -1, "x", "", None, 4.5, Decimal("4"), True, "4.0"])
def test_bad_effect_rating_is_refused(world, rating):
    campaign = new_campaign(world, opened=True)
    answer(world, "chair", campaign, 3, suggestions="原答案")
    before = rows()
    with pytest.raises(ValidationError) as error:
        answer(world, "chair", campaign, rating, suggestions="新答案")
    assert "effect_rating" in error.value.error_dict
    assert "1 to 5" in error.value.error_dict["effect_rating"][0].messages[0]
    assert rows() == before
    assert FeedbackResponse.objects.get().suggestions == "原答案"


def test_question_answers_are_checked(world):
    campaign = new_campaign(world, opened=True)
    rating_q, text_q = question(campaign, QuestionKind.RATING), question(campaign, QuestionKind.TEXT)
    before = rows()
    cases = [
        ({text_q.pk: "只答了文字题"}, f"question_{rating_q.pk}"),  # the required rating question is missing
        ({rating_q.pk: "  "}, f"question_{rating_q.pk}"),
        ({rating_q.pk: 7}, f"question_{rating_q.pk}"),
        ({rating_q.pk: "很好"}, f"question_{rating_q.pk}"),
        ({rating_q.pk: 4, 999999: "别的问题"}, "__all__"),
    ]
    for answers, key in cases:
        with pytest.raises(ValidationError) as error:
            answer(world, "plenary_only", campaign, 4, answers=answers)
        assert key in error.value.error_dict, answers
    assert rows() == before


def test_answers_are_refused_when_closed_or_draft_or_not_a_member(world):
    campaign = new_campaign(world, opened=True)
    answer(world, "observer", campaign, 2, suggestions="关闭前")
    services.close_campaign(actor=user(world, "secretary"), campaign=campaign)
    before = rows()
    with pytest.raises(ValidationError) as error:
        answer(world, "observer", campaign, 5, suggestions="关闭后")
    assert error.value.code == "closed"
    with pytest.raises(ValidationError):
        answer(world, "chair", campaign, 5)
    assert FeedbackResponse.objects.get().suggestions == "关闭前"
    draft = new_campaign(world)
    for who, target in (("chair", draft), ("secretary", campaign), ("member_b", campaign), ("outsider", campaign)):
        with pytest.raises(PermissionDenied):
            services.submit_response(actor=user(world, who), campaign=target, effect_rating=3)
    opened = new_campaign(world, opened=True)
    before = rows()
    for who in ("secretary", "superuser", "external"):  # the secretariat is not a member; external is on A only
        with pytest.raises(PermissionDenied):
            services.submit_response(actor=user(world, who), campaign=opened, effect_rating=3)
    assert rows() == before


# Figures ----------------------------------------------------------------------------------------------------


def test_summary_figures_are_exact(world):
    campaign = new_campaign(world, opened=True)
    rating_q = question(campaign, QuestionKind.RATING)
    empty = services.campaign_summary(campaign)
    assert (empty.asked, empty.responses, empty.response_rate, empty.mean_rating) == (4, 0, Decimal("0.0"), None)
    assert empty.distribution == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}
    assert empty.question_figures[0].mean is None

    answer(world, "council_member", campaign, 5, answers={rating_q.pk: 5})
    answer(world, "plenary_only", campaign, 4, answers={rating_q.pk: 4})
    answer(world, "chair", campaign, 4, answers={rating_q.pk: 4})
    summary = services.campaign_summary(campaign)
    assert summary.asked == 4  # voting members and the observer
    assert summary.responses == summary.answered_of_asked == 3
    assert summary.response_rate == Decimal("75.0") and isinstance(summary.response_rate, Decimal)
    assert summary.mean_rating == Decimal("4.33")  # 13 / 3, two places
    assert str(summary.mean_rating) == "4.33"
    assert summary.distribution == {1: 0, 2: 0, 3: 0, 4: 2, 5: 1}
    assert [(f.question.text, f.answered, f.mean) for f in summary.question_figures] == [
        (RATING_Q, 3, Decimal("4.33")),
        (TEXT_Q, 0, None),
    ]
    assert [(user.username, organization) for user, organization in summary.non_respondents] == [
        ("ws_observer", world["organizations"]["observer"])
    ]
    assert [(rating, count, share) for rating, count, share in summary.distribution_rows] == [
        (1, 0, 0),
        (2, 0, 0),
        (3, 0, 0),
        (4, 2, 66),
        (5, 1, 33),
    ]


def test_committee_rate_and_rounding(world):
    campaign = new_campaign(world, "a", opened=True, questions=[])
    services.submit_response(actor=user(world, "external"), campaign=campaign, effect_rating=1)
    summary = services.campaign_summary(campaign)
    assert (summary.asked, summary.responses, summary.response_rate) == (2, 1, Decimal("50.0"))
    assert summary.mean_rating == Decimal("1.00")
    services.submit_response(actor=user(world, "council_member"), campaign=campaign, effect_rating=2)
    summary = services.campaign_summary(campaign)
    assert summary.response_rate == Decimal("100.0") and summary.mean_rating == Decimal("1.50")
    assert summary.non_respondents == []


def test_summary_has_a_constant_query_count(world):
    campaign = new_campaign(world, opened=True)
    answer(world, "chair", campaign, 3)
    with CaptureQueriesContext(connection) as few:
        services.campaign_summary(campaign)
    for person in add_plenary_members(world, 5):
        services.submit_response(
            actor=person,
            campaign=campaign,
            effect_rating=5,
            answers={question(campaign, QuestionKind.RATING).pk: 2, question(campaign, QuestionKind.TEXT).pk: "文字"},
        )
    with CaptureQueriesContext(connection) as many:
        summary = services.campaign_summary(campaign)
    assert summary.responses == 6 and summary.asked == 9
    assert len(many) == len(few)


# Export -----------------------------------------------------------------------------------------------------


def test_export_workbook_cell_by_cell(world):
    campaign = new_campaign(world, opened=True)
    rating_q, text_q = question(campaign, QuestionKind.RATING), question(campaign, QuestionKind.TEXT)
    first = answer(world, "council_member", campaign, 5, problems="审批慢", suggestions='=HYPERLINK("http://x")')
    second = answer(
        world, "chair", campaign, 2, suggestions="多\x07开会", answers={rating_q.pk: 3, text_q.pk: "设备补贴"}
    )
    shanghai_noon = datetime.datetime(2026, 3, 2, 4, 30, tzinfo=datetime.UTC)  # 12:30 in Shanghai
    FeedbackResponse.objects.filter(pk=first.pk).update(submitted_at=shanghai_noon, updated_at=shanghai_noon)
    evening = datetime.datetime(2026, 3, 2, 20, 0, tzinfo=datetime.UTC)  # 04:00 the next day in Shanghai
    FeedbackResponse.objects.filter(pk=second.pk).update(submitted_at=evening, updated_at=evening)
    log_count = ModelLogEntry.objects.filter(action="councils.export_campaign").count()

    data = services.export_campaign(actor=user(world, "secretary"), campaign=campaign)

    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["汇总", "答复"]  # the language of the request: Chinese here
    with translation.override("zh-hans"):
        t = gettext
        summary_rows = [
            (t("Campaign"), campaign.title),
            (t("Policy"), "坪山区促进生物医药产业发展若干措施"),
            (t("Issuing department"), "坪山区工业和信息化局"),
            (t("State"), str(CampaignState.OPEN.label)),
            (t("Answers due"), datetime.datetime.combine(FUTURE, datetime.time())),
            (t("Members asked"), 4),
            (t("Answers received"), 2),
            (t("Response rate (percent)"), 50),
            (t("Mean rating of the policy's effect"), 3.5),
            *((t("Rated %(rating)s") % {"rating": r}, c) for r, c in ((1, 0), (2, 1), (3, 0), (4, 0), (5, 1))),
            (t("Mean rating: %(question)s") % {"question": RATING_Q}, 3.5),
        ]
        answer_headers = [
            t("Organization"),
            t("Respondent"),
            t("Submitted"),
            t("Last changed"),
            t("Effect rating (1 to 5)"),
            t("Problems met"),
            t("Suggestions"),
            RATING_Q,
            TEXT_Q,
        ]
    sheet = book["汇总"]
    assert [(row[0].value, row[1].value) for row in sheet.iter_rows()] == summary_rows
    assert sheet["B8"].number_format == "0.0" and sheet["B9"].number_format == "0.00"

    sheet = book["答复"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == answer_headers
    assert values[1] == [
        world["organizations"]["council_member"].name,
        user(world, "council_member").display_name,
        datetime.datetime(2026, 3, 2, 12, 30),
        datetime.datetime(2026, 3, 2, 12, 30),
        5,
        "审批慢",
        '=HYPERLINK("http://x")',
        4,
        None,
    ]
    assert sheet["G2"].data_type == "s"  # an answer never becomes a formula
    assert values[2][:2] == [world["organizations"]["chair"].name, user(world, "chair").display_name]
    assert values[2][2:4] == [datetime.datetime(2026, 3, 3, 4, 0)] * 2
    assert values[2][4:] == [2, None, "多开会", 3, "设备补贴"]  # an empty answer is an empty cell
    assert len(values) == 3
    assert ModelLogEntry.objects.filter(action="councils.export_campaign").count() == log_count + 1
    entry = ModelLogEntry.objects.filter(action="councils.export_campaign").latest("pk")
    assert entry.user == user(world, "secretary") and entry.data["responses"] == 2


def test_export_download_headers(client, world):
    campaign = new_campaign(world, opened=True, title="评议/2026")
    login(client, world, "secretary")
    response = client.get(reverse("councils:campaign_export", kwargs={"slug": "biomed", "pk": campaign.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    name = export_filename(campaign)
    assert "/" not in name and "评议_2026" in name and name.endswith(".xlsx")
    assert disposition == (
        f"attachment; filename=\"policy-feedback-{campaign.pk}.xlsx\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["汇总", "答复"]
