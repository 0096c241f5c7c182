"""A policy feedback campaign as an Excel workbook: a summary sheet of figures (汇总) and an answers sheet (答复)
with one row per response. Sheet names and headers are in the language of the request that asked for it (Chinese
on the Chinese site, English under /en/); times in Asia/Shanghai.

Build it with ``councils.services.feedback.export_campaign`` (permission check and audit log), not directly.
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment

from portal.spreadsheets import BOLD, put, workbook_bytes

from .models import QuestionKind

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
WRAP = Alignment(wrap_text=True, vertical="top")


def _summary_sheet(sheet, summary):
    campaign = summary.campaign
    rows = [
        (gettext("Campaign"), campaign.title, None),
        (gettext("Policy"), campaign.policy_name, None),
        (gettext("Issuing department"), campaign.issuing_department, None),
        (gettext("State"), campaign.get_state_display(), None),
        (gettext("Answers due"), campaign.closes_on, "yyyy-mm-dd"),
        (gettext("Members asked"), summary.asked, None),
        (gettext("Answers received"), summary.responses, None),
        (gettext("Response rate (percent)"), summary.response_rate, "0.0"),
        (gettext("Mean rating of the policy's effect"), summary.mean_rating, "0.00"),
    ]
    rows += [
        (gettext("Rated %(rating)s") % {"rating": rating}, count, None)
        for rating, count in summary.distribution.items()
    ]
    rows += [
        (gettext("Mean rating: %(question)s") % {"question": figures.question.text}, figures.mean, "0.00")
        for figures in summary.rated_questions
    ]
    for index, (label, value, number_format) in enumerate(rows, start=1):
        put(sheet, index, 1, label, font=BOLD)
        put(sheet, index, 2, value, number_format=number_format)
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 48


def _answers_sheet(sheet, summary):
    headers = [
        gettext("Organization"),
        gettext("Respondent"),
        gettext("Submitted"),
        gettext("Last changed"),
        gettext("Effect rating (1 to 5)"),
        gettext("Problems met"),
        gettext("Suggestions"),
        *(question.text for question in summary.questions),
    ]
    for column, header in enumerate(headers, start=1):
        put(sheet, 1, column, header, font=BOLD)
    for index, row in enumerate(summary.rows, start=2):
        response = row.response
        values = [
            response.organization.name if response.organization else "",
            response.respondent.display_name,
            response.submitted_at,
            response.updated_at,
            response.effect_rating,
            response.problems,
            response.suggestions,
        ]
        for question, answer in zip(summary.questions, row.answers, strict=True):
            if answer is None:
                values.append(None)
            elif question.kind == QuestionKind.RATING:
                values.append(answer.rating)
            else:
                values.append(answer.text)
        for column, value in enumerate(values, start=1):
            cell = put(sheet, index, column, value, number_format=DATETIME_FORMAT if column in (3, 4) else None)
            if isinstance(value, str):
                cell.alignment = WRAP
    sheet.freeze_panes = "A2"
    for letter, width in (("A", 28), ("B", 16), ("C", 17), ("D", 17), ("E", 12), ("F", 40), ("G", 40)):
        sheet.column_dimensions[letter].width = width


def build_workbook(summary, language: str | None = None) -> bytes:
    """The XLSX bytes for a ``CampaignSummary``, in ``language`` (by default the active one: the request's)."""
    workbook = Workbook()
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        summary_sheet = workbook.active
        summary_sheet.title = pgettext("spreadsheet sheet name", "Summary")
        answers_sheet = workbook.create_sheet(pgettext("spreadsheet sheet name", "Answers"))
        _summary_sheet(summary_sheet, summary)
        _answers_sheet(answers_sheet, summary)
    return workbook_bytes(workbook)
