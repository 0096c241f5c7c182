"""The policy feedback workbook speaks the language of whoever asked for it: sheet names and headers in Chinese
on the Chinese site, in English under /en/, and a member's answer never turns into a formula in either."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from councils.feedback_export import build_workbook
from councils.models import CampaignState, QuestionKind
from councils.services import feedback as services
from tests.councils_world import build_world, login

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","click")'
HEADERS = {
    "zh-hans": ["单位", "答复人"],
    "en": ["Organization", "Respondent"],
}
SHEETS = {"zh-hans": ["汇总", "答复"], "en": ["Summary", "Answers"]}


@pytest.fixture
def campaign():
    world = build_world()
    secretary = world["users"]["secretary"]
    campaign = services.create_campaign(
        actor=secretary,
        workspace=world["workspaces"]["plenary"],
        title="生物医药产业扶持政策评议",
        questions=[("=1+1 是否合理？", QuestionKind.TEXT, False)],
        policy_name="坪山区促进生物医药产业发展若干措施",
        issuing_department="坪山区工业和信息化局",
        policy_summary="对新药研发给予资助。",
        policy_link="https://www.szpsq.gov.cn/policy/123.html",
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    campaign = services.open_campaign(actor=secretary, campaign=campaign)
    services.submit_response(
        actor=world["users"]["council_member"],
        campaign=campaign,
        effect_rating=4,
        problems="@SUM(A1)",
        suggestions=FORMULA,
        answers={campaign.questions.get().pk: "-2+3"},
    )
    return {"world": world, "campaign": campaign}


def workbook_from(client, campaign, world, prefix):
    login(client, world, "secretary")
    with translation.override("zh-hans"):
        url = reverse("councils:campaign_export", kwargs={"slug": "biomed", "pk": campaign.pk})
    response = client.get(prefix + url)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def assert_in_language(book, language):
    assert book.sheetnames == SHEETS[language]
    summary, answers = book.worksheets
    headers = [cell.value for cell in answers[1]]
    assert headers[:2] == HEADERS[language]
    assert headers[-1] == "=1+1 是否合理？" and answers.cell(row=1, column=len(headers)).data_type == "s"
    with translation.override(language):
        assert summary["A1"].value == translation.gettext("Campaign")
        assert summary["A4"].value == translation.gettext("State")
        assert summary["B4"].value == str(CampaignState.OPEN.label)
    # Answers stay text, whatever they start with.
    for value in (FORMULA, "@SUM(A1)", "-2+3"):
        (cell,) = [cell for cell in answers[2] if cell.value == value]
        assert cell.data_type == "s", value


@pytest.mark.parametrize(("prefix", "language"), [("", "zh-hans"), ("/en", "en")])
def test_the_download_follows_the_sites_language(client, campaign, prefix, language):
    book = workbook_from(client, campaign["campaign"], campaign["world"], prefix)
    assert_in_language(book, language)


def test_chinese_workbook_has_no_english_sheet_or_header(client, campaign):
    book = workbook_from(client, campaign["campaign"], campaign["world"], "")
    summary, answers = book.worksheets
    labels = [row[0].value for row in summary.iter_rows()] + [cell.value for cell in answers[1]]
    assert labels and all(not label.isascii() for label in labels), labels


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_build_workbook_takes_a_language(campaign, language):
    summary = services.campaign_summary(campaign["campaign"])
    with translation.override("en" if language == "zh-hans" else "zh-hans"):
        data = build_workbook(summary, language=language)
    assert_in_language(load_workbook(io.BytesIO(data)), language)


def test_without_a_request_the_workbook_is_chinese(campaign):
    data = services.export_campaign(actor=campaign["world"]["users"]["secretary"], campaign=campaign["campaign"])
    assert_in_language(load_workbook(io.BytesIO(data)), "zh-hans")
