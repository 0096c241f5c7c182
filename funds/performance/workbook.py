"""An evaluation as one Excel workbook: every table behind the report, read from its snapshot (so the workbook of a
past year shows what that year was computed from). Sheet names and headers in the reader's language."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext, pgettext
from openpyxl import Workbook

from portal.files.downloads import disposition as content_disposition
from portal.spreadsheets import XLSX, header_row, put, workbook_bytes

from .display import MONEY, MULTIPLE, PERCENT, RATE, localized

__all__ = ["XLSX", "disposition", "evaluation_workbook"]

FORMATS = {MONEY: "#,##0.00", MULTIPLE: '0.00"×"', PERCENT: '0.0"%"', RATE: "0.0%", "count": "0"}
DATE = "yyyy-mm-dd"


def _number(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _summary(sheet, evaluation, snapshot):
    indicator_set = evaluation.indicator_set
    rows = [
        (gettext("Fund"), str(indicator_set.fund), None),
        (gettext("Year"), indicator_set.year, None),
        (gettext("Indicator set"), indicator_set.display_name, None),
        (gettext("Figures as of"), _date(snapshot.get("as_of")), DATE),
        (gettext("State"), evaluation.get_state_display(), None),
        (gettext("Total score"), _number(snapshot.get("total")), "0.00"),
        (gettext("Grade"), evaluation.get_grade_display(), None),
        (gettext("Bonus points"), _number(snapshot.get("bonus")), "0.00"),
    ]
    rows += [
        (localized(group.get("label")), _number(group.get("score")), "0.00") for group in snapshot.get("groups", [])
    ]
    for number, (label, value, number_format) in enumerate(rows, start=1):
        put(sheet, number, 1, label, bold=True)
        put(sheet, number, 2, value, number_format=number_format)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 40


def _indicators(sheet, snapshot):
    headers = [
        gettext("Group"),
        gettext("Indicator"),
        gettext("Formula"),
        gettext("Value"),
        gettext("Target"),
        gettext("Floor"),
        gettext("Full marks"),
        gettext("Score"),
        gettext("Numerator"),
        gettext("Denominator"),
        gettext("Why there is no value"),
    ]
    header_row(sheet, headers, (18, 30, 18, 14, 12, 12, 10, 10, 18, 18, 40))
    for number, row in enumerate(snapshot.get("indicators", []), start=2):
        unit_format = FORMATS.get(row.get("unit"))
        values = [
            (localized(row.get("group_label")), None),
            (localized(row.get("label")), None),
            (row.get("key", ""), None),
            (_number(row.get("value")), unit_format),
            (_number(row.get("target")), unit_format),
            (_number(row.get("floor")), unit_format),
            (_number(row.get("weight")), "0.00"),
            (_number(row.get("score")), "0.00"),
            (_number(row.get("numerator")), None),
            (_number(row.get("denominator")), None),
            (localized(row.get("reason")), None),
        ]
        for column, (value, number_format) in enumerate(values, start=1):
            put(sheet, number, column, value, number_format=number_format)


def _sources(sheet, snapshot):
    headers = [gettext("Figure"), gettext("Record"), gettext("Date"), gettext("Amount"), gettext("Reference")]
    header_row(sheet, headers, (24, 48, 12, 18, 26))
    rows = snapshot.get("rows", {})
    number = 2
    for key, figure in snapshot.get("figures", {}).items():
        for ref in figure.get("sources", []):
            source = rows.get(ref, {})
            put(sheet, number, 1, localized(figure.get("label")) or key)
            put(sheet, number, 2, source.get("label", ""))
            put(sheet, number, 3, _date(source.get("on")), number_format=DATE)
            put(sheet, number, 4, _number(source.get("amount")), number_format=FORMATS[MONEY])
            put(sheet, number, 5, ref)
            number += 1


def _table(sheet, rows, columns):
    """``columns``: (header, key, kind) with kind one of money/multiple/percent/date/text."""
    header_row(
        sheet, [header for header, _key, _kind in columns], [16 if kind != "text" else 30 for *_, kind in columns]
    )
    for number, row in enumerate(rows, start=2):
        for column, (_header, key, kind) in enumerate(columns, start=1):
            value = row.get(key)
            if kind == "date":
                put(sheet, number, column, _date(value), number_format=DATE)
            elif kind == "text":
                put(sheet, number, column, localized(value) if isinstance(value, dict) else (value or ""))
            else:
                put(sheet, number, column, _number(value), number_format=FORMATS.get(kind))


def evaluation_workbook(evaluation) -> bytes:
    snapshot = evaluation.snapshot
    workbook = Workbook()
    summary = workbook.active
    summary.title = pgettext("spreadsheet sheet name", "Summary")
    _summary(summary, evaluation, snapshot)
    _indicators(workbook.create_sheet(pgettext("spreadsheet sheet name", "Indicators")), snapshot)
    _sources(workbook.create_sheet(pgettext("spreadsheet sheet name", "Indicator inputs")), snapshot)
    _table(
        workbook.create_sheet(pgettext("spreadsheet sheet name", "Deals")),
        snapshot.get("deals", []),
        [
            (gettext("Company"), "company", "text"),
            (gettext("Invested"), "invested", MONEY),
            (gettext("Realized"), "realized", MONEY),
            (gettext("Residual value (NAV)"), "nav", MONEY),
            (gettext("MOIC"), "moic", MULTIPLE),
            (gettext("IRR"), "irr", RATE),
            (gettext("Note"), "irr_note", "text"),
        ],
    )
    _table(
        workbook.create_sheet(pgettext("spreadsheet sheet name", "Cash flows")),
        snapshot.get("flows", []),
        [
            (gettext("Date"), "on", "date"),
            (gettext("Company or LP"), "label", "text"),
            (gettext("Kind"), "kind", "text"),
            (gettext("Amount"), "amount", MONEY),
            (gettext("Reference"), "ref", "text"),
        ],
    )
    _table(
        workbook.create_sheet(pgettext("spreadsheet sheet name", "Quarterly")),
        snapshot.get("quarterly", []),
        [
            (gettext("Quarter end"), "end", "date"),
            (gettext("Invested (cumulative)"), "paid_in", MONEY),
            (gettext("Distributions (cumulative)"), "distributions", MONEY),
            (gettext("Residual value (NAV)"), "nav", MONEY),
            (gettext("Net cash flow (cumulative)"), "net", MONEY),
            (gettext("DPI"), "dpi", MULTIPLE),
            (gettext("TVPI"), "tvpi", MULTIPLE),
            (gettext("IRR"), "irr", RATE),
        ],
    )
    return workbook_bytes(workbook)


def disposition(evaluation) -> str:
    """绩效评价-<fund>-<year>.xlsx (in the reader's language)."""
    name = pgettext("file name", "evaluation-%(fund)s-%(year)s.xlsx") % {
        "fund": evaluation.indicator_set.fund.slug,
        "year": evaluation.year,
    }
    return content_disposition(name)
