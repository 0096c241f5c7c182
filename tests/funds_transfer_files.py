"""Deal lists for the import tests, built in the test with openpyxl or as CSV text: headers in either language."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from funds.deal_lists import COLUMNS
from tests.factories import make_uscc

KEYS = [column.key for column in COLUMNS]


def headers(language="zh-hans", keys=KEYS):
    with translation.override(language):
        return [str(next(column.header for column in COLUMNS if column.key == key)) for key in keys]


def row(**values):
    """A row in KEYS order; unnamed columns empty."""
    return [values.get(key, "") for key in KEYS]


_names = itertools.count(1)


def new_row(**values):
    """A valid row for a company new to the portal (its own name and code), overridden by ``values``."""
    defaults = {
        "company": f"深圳坪山新药研发{next(_names)}号有限公司",
        "uscc": make_uscc(),
        "subsector": "创新药",
        "development_stage": "临床前",
        "round": "A轮",
        "amount_requested": 30000000,
        "source": "自主挖掘",
    }
    return row(**(defaults | values))


def xlsx(rows, *, language="zh-hans", header=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header if header is not None else headers(language))
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv(rows, *, language="zh-hans", header=None, encoding="utf-8") -> bytes:
    lines = [header if header is not None else headers(language), *rows]
    text = "\n".join(",".join(str(value) for value in values) for values in lines) + "\n"
    return text.encode(encoding)


def upload(data, name="项目清单.xlsx"):
    return SimpleUploadedFile(name, data)
