"""Dates typed as text in a performance-data workbook (a CSV, or a cell formatted as text) are read the ways people
in China type them; a date that is not one is refused under its column, in the reader's language."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from funds.models import ValuationMethod
from funds.performance import datasheets
from funds.services import performance_data as services
from tests import funds_performance_world as perf

pytestmark = pytest.mark.django_db


def test_dates_typed_with_slashes_dots_or_chinese_characters_are_read():
    world = perf.build()
    code = world.deal_a.company.organization.uscc
    typed = ["2024/6/30", "2024.9.30", "2024年3月31日", "2024-12-30", "2024/13/01"]
    rows = [{"uscc": code, "date": text, "value": "90000000", "method": ValuationMethod.LAST_ROUND} for text in typed]
    upload = SimpleUploadedFile("估值.xlsx", datasheets.build_workbook({"valuations": rows}))
    data_import = services.preview_import(actor=world.manager, fund=world.fund, upload=upload)
    read = [(row["outcome"], row["values"]["date"]) for row in data_import.preview["rows"]]
    assert read[:4] == [
        ("create", "2024-06-30"),
        ("create", "2024-09-30"),
        ("create", "2024-03-31"),
        ("create", "2024-12-30"),
    ]
    outcome, _date = read[4]
    reasons = data_import.preview["rows"][4]["reasons"]
    assert outcome == "refuse"
    with translation.override("en"):
        assert reasons[0]["en"].startswith("Valuation date:") and "valid date" in reasons[0]["en"]
    assert reasons[0]["zh-hans"].startswith("估值日")
