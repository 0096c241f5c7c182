"""A roadshow as a workbook for its office: the projects with their feedback summed up, the attendee list and each
investor's feedback, sheet names and headers in the reader's language (portal/spreadsheets.py writes the cells)."""

from django.utils.translation import gettext, pgettext
from openpyxl import Workbook

from portal import spreadsheets

from .models import Interest

DATE_TIME = "yyyy-mm-dd hh:mm"


def build_workbook(projects, investors, feedback) -> bytes:
    """``projects`` as services.roadshows.projects_with_feedback annotates them; ``investors`` the registrations;
    ``feedback`` every answer with its investor and project."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    spreadsheets.table_sheet(
        workbook,
        pgettext("spreadsheet sheet name", "Projects"),
        [
            gettext("Order"),
            gettext("Pitch title"),
            gettext("English pitch title"),
            gettext("Team"),
            gettext("Confirmed"),
            gettext("Answers"),
            gettext("Mean score"),
            str(Interest.FOLLOW.label),
            str(Interest.INVEST.label),
            str(Interest.NONE.label),
        ],
        [8, 36, 36, 24, 10, 10, 12, 16, 16, 16],
        [
            [
                project.order,
                project.pitch_title,
                project.pitch_title_en,
                project.base_application.team_name,
                gettext("yes") if project.is_confirmed else gettext("no"),
                project.answers,
                project.mean,
                project.follow,
                project.invest,
                project.not_for_us,
            ]
            for project in projects
        ],
    )
    spreadsheets.table_sheet(
        workbook,
        pgettext("spreadsheet sheet name", "Attendees"),
        [
            gettext("Investor"),
            gettext("Institution"),
            gettext("E-mail"),
            gettext("Investment interests"),
            gettext("Registered"),
            gettext("Attended"),
        ],
        [20, 30, 28, 40, 18, 10],
        [
            [
                str(registration.investor),
                registration.organization_name,
                registration.investor.email,
                registration.interests,
                registration.registered_at,
                gettext("yes") if registration.attended else gettext("no"),
            ]
            for registration in investors
        ],
        formats={5: DATE_TIME},
    )
    spreadsheets.table_sheet(
        workbook,
        pgettext("spreadsheet sheet name", "Feedback"),
        [
            gettext("Pitch title"),
            gettext("Team"),
            gettext("Investor"),
            gettext("Institution"),
            gettext("Score"),
            gettext("Interest"),
            gettext("Comment"),
            gettext("Given"),
        ],
        [36, 24, 20, 30, 8, 20, 40, 18],
        [
            [
                answer.project.display_pitch_title,
                answer.project.base_application.team_name,
                str(answer.registration.investor),
                answer.registration.organization_name,
                answer.score,
                answer.get_interest_display(),
                answer.comment,
                answer.given_at,
            ]
            for answer in feedback
        ],
        formats={8: DATE_TIME},
    )
    return spreadsheets.workbook_bytes(workbook)
