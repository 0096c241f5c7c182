"""Writing Excel workbooks the same way everywhere: safe text cells, Shanghai wall-clock times, bold headers.

A cell's text never becomes a formula (text starting with "=" stays text) and loses the control characters Excel
refuses; an aware datetime is written as Asia/Shanghai wall time (Excel has no time zones).
"""

import io

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


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


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
