"""The fund's performance data as a workbook: four sheets (cash flows, valuations, KPI reports, index levels), their
columns, reading an upload into rows per sheet, and writing the template and the export of what is recorded. The
export is in the import's own format, so a workbook taken out can be corrected and brought back. No database here
but the rows handed in: funds/services/performance_import.py checks the rows against the fund and applies them.
"""

from dataclasses import dataclass

import pandas as pd
from django.db import models
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from portal import spreadsheets
from portal.files.uploads import refusal
from portal.spreadsheets import Column
from portal.text import fmt

from ..models import ExitKind, Round, ValuationMethod

MAX_ROWS = 20_000  # all sheets together
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
UPLOAD = "upload"


class FlowType(models.TextChoices):
    """What a row of the cash-flow sheet records; the sign of its amount follows from it."""

    INVESTMENT = "investment", pgettext_lazy("cash flow type", "Investment (tranche paid)")
    EXIT = "exit", pgettext_lazy("cash flow type", "Exit proceeds")
    PAID_IN = "paid_in", pgettext_lazy("cash flow type", "LP paid-in capital")
    DISTRIBUTION = "distribution", pgettext_lazy("cash flow type", "Distribution to an LP")


def _company_columns(required=True):
    """The deal a row is about, by its company's code (and round). Optional on the cash-flow sheet: an LP's rows
    name no company."""
    return (
        Column(
            "uscc",
            pgettext_lazy("performance data column", "Company's unified social credit code"),
            required,
            width=22,
            help=_("18 characters, as on the business licence: the company of the fund's deal."),
        ),
        Column(
            "round",
            pgettext_lazy("performance data column", "Round"),
            choices=Round,
            width=10,
            help=_("Needed only when the fund has more than one deal in the company."),
        ),
    )


@dataclass(frozen=True)
class Sheet:
    key: str
    name: object
    columns: tuple

    @property
    def by_key(self):
        return {column.key: column for column in self.columns}


FLOWS = Sheet(
    "flows",
    pgettext_lazy("spreadsheet sheet name", "Cash flows"),
    (
        Column("date", pgettext_lazy("performance data column", "Date"), True, kind="date", width=12),
        Column("type", pgettext_lazy("performance data column", "Type"), True, choices=FlowType, width=20),
        *_company_columns(required=False),
        Column(
            "lp",
            pgettext_lazy("performance data column", "LP"),
            width=26,
            help=_("The LP's name as in the fund's commitments: for paid-in capital and distributions."),
        ),
        Column(
            "tranche",
            pgettext_lazy("performance data column", "Tranche"),
            kind="count",
            width=8,
            help=_("For an investment: the number of the planned tranche it pays; empty adds a new tranche."),
        ),
        Column(
            "amount",
            pgettext_lazy("performance data column", "Amount (yuan)"),
            True,
            kind="money",
            width=18,
            help=_("A positive number in yuan: the type says which way the money went."),
        ),
        Column(
            "exit_kind",
            pgettext_lazy("performance data column", "Exit type"),
            choices=ExitKind,
            width=12,
            help=_("For exit proceeds."),
        ),
    ),
)
VALUATIONS = Sheet(
    "valuations",
    pgettext_lazy("spreadsheet sheet name", "Valuations"),
    (
        *_company_columns(),
        Column("date", pgettext_lazy("performance data column", "Valuation date"), True, kind="date", width=12),
        Column(
            "value",
            pgettext_lazy("performance data column", "Value of the holding (yuan)"),
            True,
            kind="money",
            width=18,
        ),
        Column("method", pgettext_lazy("performance data column", "Method"), True, choices=ValuationMethod, width=16),
        Column("note", pgettext_lazy("performance data column", "Note"), width=30, help=_("May be left empty.")),
    ),
)
KPI_FIELDS = ("revenue", "rd_spend", "headcount", "patents", "tax_paid", "follow_on_financing")
KPIS = Sheet(
    "kpis",
    pgettext_lazy("spreadsheet sheet name", "KPI reports"),
    (
        *_company_columns(),
        Column("period_start", pgettext_lazy("performance data column", "Period from"), True, kind="date"),
        Column("period_end", pgettext_lazy("performance data column", "Period to"), True, kind="date"),
        Column("revenue", pgettext_lazy("performance data column", "Revenue (yuan)"), kind="money", width=18),
        Column("rd_spend", pgettext_lazy("performance data column", "R&D spending (yuan)"), kind="money", width=18),
        Column("headcount", pgettext_lazy("performance data column", "Headcount"), kind="count", width=10),
        Column("patents", pgettext_lazy("performance data column", "Patents granted"), kind="count", width=10),
        Column("tax_paid", pgettext_lazy("performance data column", "Tax paid (yuan)"), kind="money", width=18),
        Column(
            "follow_on_financing",
            pgettext_lazy("performance data column", "Follow-on financing (yuan)"),
            kind="money",
            width=18,
        ),
    ),
)
INDEX_LEVELS = Sheet(
    "index",
    pgettext_lazy("spreadsheet sheet name", "Index levels"),
    (
        Column(
            "index",
            pgettext_lazy("performance data column", "Index"),
            True,
            width=24,
            help=_("The index's name or code; an index not yet known is added."),
        ),
        Column("date", pgettext_lazy("performance data column", "Date"), True, kind="date", width=12),
        Column("level", pgettext_lazy("performance data column", "Level"), True, kind="number", width=12),
    ),
)
SHEETS = (FLOWS, VALUATIONS, KPIS, INDEX_LEVELS)
BY_KEY = {sheet.key: sheet for sheet in SHEETS}
FORMATS = {"date": DATE_FORMAT, "money": MONEY_FORMAT, "count": "0", "number": "0.0000"}


# --- writing ---------------------------------------------------------------------------------------------------


def _write(sheet, columns, rows):
    spreadsheets.header_row(sheet, [column.header for column in columns], [column.width for column in columns])
    for number, row in enumerate(rows, start=2):
        for position, column in enumerate(columns, start=1):
            value = row.get(column.key)
            if column.choices is not None and value:
                value = str(dict(column.choices.choices).get(value, value))
            if value is None or value == "":
                continue
            spreadsheets.put(sheet, number, position, value, FORMATS.get(column.kind))


def build_workbook(rows_by_sheet: dict) -> bytes:
    """The four sheets in the active language; ``rows_by_sheet``: sheet key → [{column key: value}] with values as
    dates, Decimals, ints and choice values (written as their labels)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        _write(workbook.create_sheet(str(sheet.name)), sheet.columns, rows_by_sheet.get(sheet.key, []))
    return spreadsheets.workbook_bytes(workbook)


def build_template() -> bytes:
    """The four sheets empty, and a sheet saying what each column takes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        _write(workbook.create_sheet(str(sheet.name)), sheet.columns, [])
    guide = workbook.create_sheet(pgettext("spreadsheet sheet name", "How to fill in"))
    spreadsheets.header_row(guide, [gettext("Sheet"), gettext("Column"), gettext("Required"), gettext("What to enter")])
    for position, width in enumerate((16, 30, 10, 90), start=1):
        guide.column_dimensions[guide.cell(row=1, column=position).column_letter].width = width
    number = 2
    for sheet in SHEETS:
        for column in sheet.columns:
            what = str(column.help)
            if column.choices is not None:
                labels = "、".join(str(label) for _value, label in column.choices.choices)
                what = " ".join(filter(None, [what, gettext("One of: %(labels)s.") % {"labels": labels}]))
            if column.kind == "date":
                what = " ".join(filter(None, [what, gettext("A date, e.g. 2025-06-30.")]))
            values = (str(sheet.name), str(column.header), gettext("yes") if column.required else gettext("no"), what)
            for position, value in enumerate(values, start=1):
                spreadsheets.put(guide, number, position, value)
            number += 1
    notes = (
        gettext("Headers and sheet names may be in Chinese or in English; sheets you do not need may be removed."),
        gettext("A row that matches what is recorded changes nothing, so an exported workbook can be imported again."),
    )
    for offset, note in enumerate(notes, start=1):
        guide.cell(row=number + offset, column=1, value=note)
    return spreadsheets.workbook_bytes(workbook)


# --- reading ---------------------------------------------------------------------------------------------------


def _unreadable():
    message = _("The file could not be read as performance data. Save it again from Excel and retry.")
    return refusal(message, "unreadable", UPLOAD)


def _frames(source, file_format) -> dict:
    """Sheet name → frame (all cells as objects; a CSV is one unnamed sheet)."""
    try:
        if file_format == "csv":
            return {"": pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")}
        return pd.read_excel(source, sheet_name=None, dtype=object, keep_default_na=False, engine="openpyxl")
    except pd.errors.EmptyDataError:
        raise refusal(_("The file has no header row and no rows."), "no_rows", UPLOAD) from None
    except Exception:  # noqa: BLE001 - pandas and openpyxl raise many kinds for a damaged file
        raise _unreadable() from None


def _positions(frame, sheet) -> dict:
    """Column key → position in ``frame`` for the headers of ``sheet`` it has; a refusal when one appears twice."""
    spellings = spreadsheets.spellings_of((column.key, column.header) for column in sheet.columns)
    positions = {}
    for position, header in enumerate(frame.columns):
        key = spellings.get(spreadsheets.spelling(header))
        if key is None:
            continue
        if key in positions:
            message = fmt(
                _("Sheet “%(sheet)s”: the column “%(column)s” appears twice."),
                sheet=sheet.name,
                column=sheet.by_key[key].header,
            )
            raise refusal(message, "duplicate_column", UPLOAD)
        positions[key] = position
    return positions


def _sheet_of(name, frame):
    """Which sheet a frame is: by its name in either language, else (a CSV, a renamed sheet) by its headers."""
    names = spreadsheets.spellings_of((sheet.key, sheet.name) for sheet in SHEETS)
    key = names.get(spreadsheets.spelling(name)) if name else None
    if key is not None:
        return BY_KEY[key]
    fitting = [
        sheet
        for sheet in SHEETS
        if all(column.key in _positions(frame, sheet) for column in sheet.columns if column.required)
    ]
    return fitting[0] if len(fitting) == 1 else None


def read_workbook(source, file_format) -> tuple[dict, list]:
    """The rows of each sheet as ``{sheet key: [{"line": n, column key: text, …}]}`` (blank rows skipped), and the
    names of sheets that were not read. A refusal (ValidationError on the upload) for the file as a whole:
    unreadable, a sheet twice, a required column missing, nothing to import, too many rows."""
    found, ignored = {}, []
    for name, frame in _frames(source, file_format).items():
        sheet = _sheet_of(name, frame)
        if sheet is None:
            ignored.append(name)
            continue
        if sheet.key in found:
            message = fmt(_("Two sheets hold %(sheet)s: keep one."), sheet=sheet.name)
            raise refusal(message, "duplicate_sheet", UPLOAD)
        positions = _positions(frame, sheet)
        rows = []
        for index, values in enumerate(frame.itertuples(index=False, name=None)):
            row = {key: spreadsheets.cell_text(values[position]) for key, position in positions.items()}
            if any(row.values()):
                rows.append({"line": index + 2, **row})
        missing = [str(column.header) for column in sheet.columns if column.required and column.key not in positions]
        if missing and rows:
            message = fmt(
                _("Sheet “%(sheet)s” lacks these columns: %(columns)s."), sheet=sheet.name, columns="、".join(missing)
            )
            raise refusal(message, "missing_columns", UPLOAD)
        found[sheet.key] = rows
    total = sum(len(rows) for rows in found.values())
    if total == 0:
        if file_format == "csv" and ignored:
            raise refusal(_("The CSV file's headers are not those of any sheet of the template."), "unknown", UPLOAD)
        raise refusal(_("The file has no rows to import."), "no_rows", UPLOAD)
    if total > MAX_ROWS:
        message = fmt(
            _("The file has %(count)s rows; at most %(max)s are imported at once."), count=total, max=MAX_ROWS
        )
        raise refusal(message, "too_many_rows", UPLOAD)
    return found, ignored
