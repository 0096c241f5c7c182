"""A deal list as a spreadsheet: its columns, how headers and labels are read in either language, reading an upload
into rows, and writing the pipeline export and the import template. No database: funds/services/transfer.py checks
the rows against the fund and applies them.
"""

import pandas as pd
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from portal import spreadsheets
from portal.files.uploads import refusal
from portal.spreadsheets import Column, cell_text, spelling
from portal.text import fmt

from .models import DealSource, DealStage, DevelopmentStage, Round, Subsector

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 10_000
IMPORT_STAGES = (DealStage.SOURCED, DealStage.SCREENING)
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
UPLOAD = "upload"  # the argument (and form field) a refused file is reported on

COLUMNS = (
    Column(
        "company",
        pgettext_lazy("deal list column", "Company name"),
        True,
        width=32,
        help=_("The registered name. Needed when no organization has the code yet."),
    ),
    Column(
        "uscc",
        pgettext_lazy("deal list column", "Unified social credit code"),
        True,
        width=22,
        help=_("18 characters, as on the business licence. An existing company is found by it."),
    ),
    Column("subsector", pgettext_lazy("deal list column", "Subsector"), choices=Subsector, width=22),
    Column("development_stage", pgettext_lazy("deal list column", "Development stage"), choices=DevelopmentStage),
    Column("round", pgettext_lazy("deal list column", "Round"), True, choices=Round, width=12),
    Column(
        "amount_requested",
        pgettext_lazy("deal list column", "Amount requested (yuan)"),
        True,
        width=20,
        help=_("A number in yuan, not negative, at most two decimals."),
    ),
    Column(
        "pre_money",
        pgettext_lazy("deal list column", "Pre-money valuation (yuan)"),
        width=20,
        help=_("A number in yuan; may be left empty."),
    ),
    Column("source", pgettext_lazy("deal list column", "Source"), True, choices=DealSource),
    Column(
        "owner",
        pgettext_lazy("deal list column", "Deal lead (username)"),
        help=_("The username of one of the fund's managers; may be left empty."),
    ),
    Column(
        "stage",
        pgettext_lazy("deal list column", "Stage"),
        choices=DealStage,
        help=_("Sourced or Screening for a new deal (empty: Sourced). An existing deal keeps its stage."),
    ),
    Column("summary", pgettext_lazy("deal list column", "Summary"), width=40, help=_("May be left empty.")),
)
BY_KEY = {column.key: column for column in COLUMNS}
NEEDED_FOR_NEW_COMPANY = ("company", "subsector", "development_stage")
# Only in the export: read, never imported (an import ignores columns it does not know).
EXPORT_ONLY = (
    Column("stage_entered_at", pgettext_lazy("deal list column", "In this stage since"), width=14),
    Column("days_in_stage", pgettext_lazy("deal list column", "Days in stage"), width=10),
    Column("created_at", pgettext_lazy("deal list column", "Added on"), width=14),
)


def _lazy_join(items):
    return lazy(lambda: "、".join(str(item) for item in items), str)()


# --- export --------------------------------------------------------------------------------------------------


def _header_row(sheet, columns):
    spreadsheets.header_row(sheet, [column.header for column in columns], [column.width for column in columns])


def export_rows(deals):
    """One row per deal, in COLUMNS + EXPORT_ONLY order (labels in the active language); deals must come with
    their company's organization and owner (select_related), so the rows cost no query."""
    now = timezone.now()
    for deal in deals:
        company = deal.company
        yield [
            company.organization.name,
            company.organization.uscc,
            company.get_subsector_display(),
            company.get_development_stage_display(),
            deal.get_round_display(),
            deal.amount_requested,
            deal.pre_money,
            deal.get_source_display(),
            deal.owner.get_username() if deal.owner else "",
            deal.get_stage_display(),
            deal.summary,
            timezone.localdate(deal.stage_entered_at),
            deal.days_in_stage(now),
            timezone.localdate(deal.created_at),
        ]


FORMATS = {"amount_requested": MONEY_FORMAT, "pre_money": MONEY_FORMAT}
FORMATS |= {"stage_entered_at": DATE_FORMAT, "created_at": DATE_FORMAT}


def build_export(deals) -> bytes:
    """The workbook of ``deals`` in the active language (sheet 项目清单 / Deals)."""
    columns = COLUMNS + EXPORT_ONLY
    formats = [FORMATS.get(column.key) for column in columns]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("spreadsheet sheet name", "Deals")
    _header_row(sheet, columns)
    for row_number, values in enumerate(export_rows(deals), start=2):
        for index, value in enumerate(values):
            spreadsheets.put(sheet, row_number, index + 1, value, formats[index] if value is not None else None)
    return spreadsheets.workbook_bytes(workbook)


def build_template() -> bytes:
    """An empty deal list to fill in (headers in the active language) and a sheet saying what each column takes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("spreadsheet sheet name", "Deals")
    _header_row(sheet, COLUMNS)
    guide = workbook.create_sheet(pgettext("spreadsheet sheet name", "How to fill in"))
    guide_columns = (
        Column("column", gettext("Column"), width=28),
        Column("required", gettext("Required"), width=10),
        Column("what", gettext("What to enter"), width=90),
    )
    _header_row(guide, guide_columns)
    for row, column in enumerate(COLUMNS, start=2):
        what = str(column.help)
        if column.choices is not None:
            offered = IMPORT_STAGES if column.key == "stage" else column.choices.values
            labels = [str(label) for value, label in column.choices.choices if value in offered]
            what = " ".join(filter(None, [what, gettext("One of: %(labels)s.") % {"labels": "、".join(labels)}]))
        if column.key in NEEDED_FOR_NEW_COMPANY[1:]:
            what = " ".join([gettext("Needed when the company is new to the portal."), what])
        spreadsheets.put(guide, row, 1, str(column.header))
        spreadsheets.put(guide, row, 2, gettext("yes") if column.required else gettext("no"))
        spreadsheets.put(guide, row, 3, what)
    guide.cell(row=len(COLUMNS) + 3, column=1, value=gettext("Headers may be in Chinese or in English."))
    return spreadsheets.workbook_bytes(workbook)


# --- reading an upload -----------------------------------------------------------------------------------------


def _header_keys() -> dict:
    """Every accepted spelling of every header (both languages, and the column's code) → the column's key."""
    return spreadsheets.spellings_of((column.key, column.header) for column in COLUMNS)


def read_table(source, file_format) -> list[dict]:
    """The rows of a deal list as ``{"line": n, key: text, …}`` (blank rows skipped); a ValidationError on the
    file saying what is wrong with it as a whole: unreadable, no rows, a missing or doubled column, too many rows."""
    try:
        if file_format == "csv":
            frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            frame = pd.read_excel(source, dtype=object, keep_default_na=False, engine="openpyxl")
    except pd.errors.EmptyDataError:
        raise refusal(_("The file has no header row and no rows."), "no_rows", UPLOAD) from None
    except Exception:  # noqa: BLE001 - pandas and openpyxl raise many kinds for a damaged file
        message = _("The file could not be read as a deal list. Save it again from Excel and retry.")
        raise refusal(message, "unreadable", UPLOAD) from None
    spellings = _header_keys()
    positions = {}
    for position, header in enumerate(frame.columns):
        key = spellings.get(spelling(header))
        if key is None:
            continue
        if key in positions:
            message = fmt(_("The column “%(column)s” appears twice."), column=BY_KEY[key].header)
            raise refusal(message, "duplicate_column", UPLOAD)
        positions[key] = position
    missing = [column.header for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        message = fmt(_("The file lacks these columns: %(columns)s."), columns=_lazy_join(missing))
        raise refusal(message, "missing_columns", UPLOAD)
    rows = []
    for index, values in enumerate(frame.itertuples(index=False, name=None)):
        row = {key: cell_text(values[position]) for key, position in positions.items()}
        if any(row.values()):
            rows.append({"line": index + 2, **row})
    if not rows:
        raise refusal(_("The file has headers but no rows to import."), "no_rows", UPLOAD)
    if len(rows) > MAX_ROWS:
        message = fmt(
            _("The file has %(count)s rows; at most %(max)s are imported at once."), count=len(rows), max=MAX_ROWS
        )
        raise refusal(message, "too_many_rows", UPLOAD)
    return rows
