"""Writing Excel workbooks the same way everywhere: safe text cells, Shanghai wall-clock times, bold headers; and
reading them back the same way: headers and choice labels matched in either language, cells read as text.

A cell's text never becomes a formula (text starting with "=" stays text) and loses the control characters Excel
refuses; an aware datetime is written as Asia/Shanghai wall time (Excel has no time zones).
"""

import io
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    """A column of a sheet people fill in and import: its key, its header (lazy, read in either language), whether
    the file must have it, the choices its cells take, how it is written (text / date / money / count / number),
    its width and what the template's guide says of it."""

    key: str
    header: object
    required: bool = False
    choices: type | None = None
    kind: str = "text"
    width: int = 18
    help: object = ""


def cell_value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def put(sheet, row, column, value, number_format=None, bold=False, font=None):
    cell = sheet.cell(row=row, column=column, value=cell_value(value))
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    if bold or font:
        cell.font = font or BOLD
    return cell


def header_row(sheet, headers, widths=(), row=1):
    """Bold headers on ``row``, the columns ``widths`` wide, the rows above and the header frozen."""
    for index, header in enumerate(headers, start=1):
        put(sheet, row, index, str(header), bold=True)
        if index <= len(widths) and widths[index - 1]:
            sheet.column_dimensions[sheet.cell(row=row, column=index).column_letter].width = widths[index - 1]
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1).coordinate


def table_sheet(workbook, title, headers, widths, rows, formats=None):
    """A new sheet ``title`` of ``workbook``: the bold ``headers`` (columns ``widths`` wide), then a line per row
    of ``rows``; ``formats``: column number (from 1) → its number format."""
    sheet = workbook.create_sheet(title)
    header_row(sheet, headers, widths)
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            put(sheet, row_number, column, value, (formats or {}).get(column))
    return sheet


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading ---------------------------------------------------------------------------------------------------


def spelling(text) -> str:
    """How headers and choice labels are compared: full-width folded, case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def spellings_of(pairs) -> dict:
    """``pairs`` of (value, lazy label) → every accepted spelling (the value itself, the label in each language)
    → the value."""
    spellings = {}
    for value, label in pairs:
        spellings[spelling(value)] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                spellings[spelling(label)] = value
    return spellings


def choice_spellings(choices) -> dict:
    return spellings_of(choices.choices)


# Control characters carry nothing a person typed in a cell, and PostgreSQL refuses NUL in any text (or JSON) it keeps.
CONTROL_CHARACTERS = dict.fromkeys((*range(0, 9), 11, 12, *range(14, 32), 127))


def cell_text(value) -> str:
    """A cell as text: empty for blanks (and pandas' NaN), whole numbers without ".0", dates as ISO dates, no
    control characters (a tab or a line break stays)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    # A date cell comes back as a datetime (or a pandas Timestamp) at midnight.
    if hasattr(value, "hour") and hasattr(value, "date") and (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date().isoformat()
    return str(value).translate(CONTROL_CHARACTERS).strip()
