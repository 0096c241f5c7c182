"""The officers' special-talent reports as a workbook: one sheet per table of the report page and the applications
they count, sheet names and headers in the reader's language (portal/spreadsheets.py writes the cells).

The applications sheet names the candidate and the employer, nothing more personal: no ID or passport number, no
date of birth (the report's rows never hold them, talent/special_reports.py).
"""

from django.utils import timezone
from django.utils.translation import gettext, pgettext
from openpyxl import Workbook

from portal import spreadsheets
from portal.i18n import localized

DATE = "yyyy-mm-dd"
DAYS = "0.0"


def _counts(workbook, title, heading, counts):
    spreadsheets.table_sheet(
        workbook,
        title,
        [heading, gettext("Applications")],
        [30, 14],
        [[count.label, count.count] for count in counts],
    )


def build_workbook(report) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _counts(workbook, pgettext("spreadsheet sheet name", "By stage"), gettext("Stage"), report.stages)
    _counts(workbook, pgettext("spreadsheet sheet name", "By sector"), gettext("Sector"), report.sectors)
    _counts(
        workbook,
        pgettext("spreadsheet sheet name", "By criterion missed"),
        gettext("Standard criterion missed"),
        report.reasons,
    )
    spreadsheets.table_sheet(
        workbook,
        pgettext("spreadsheet sheet name", "Time in each stage"),
        [
            gettext("Stage"),
            gettext("Stays ended"),
            gettext("Median days"),
            gettext("Mean days"),
            gettext("In the stage now"),
        ],
        [24, 12, 12, 12, 14],
        [[time.label, time.ended, time.median_days, time.mean_days, time.now] for time in report.times],
        formats={3: DAYS, 4: DAYS},
    )
    spreadsheets.table_sheet(
        workbook,
        pgettext("spreadsheet sheet name", "Applications"),
        [
            gettext("Reference"),
            gettext("Candidate"),
            gettext("Candidate (English)"),
            gettext("Employer"),
            gettext("Sector"),
            gettext("Standard criteria missed"),
            gettext("Stage"),
            gettext("Sent on"),
            gettext("In the stage since"),
        ],
        [16, 14, 20, 34, 16, 30, 18, 12, 12],
        [
            [
                row.reference,
                row.candidate_name,
                row.candidate_name_en,
                row.employer_name,
                row.sector,
                localized("、", ", ").join(str(label) for label in row.missed_labels),
                str(row.stage_label),
                timezone.localdate(row.submitted_at) if row.submitted_at else None,
                timezone.localdate(row.stage_changed_at),
            ]
            for row in report.rows
        ],
        formats={8: DATE, 9: DATE},
    )
    return spreadsheets.workbook_bytes(workbook)
