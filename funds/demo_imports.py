"""Step 278 of the fund's demo: ``fundmgr`` has uploaded the quarter's valuations of a few holdings as a workbook
(2026年第三季度估值.xlsx) through the performance-data import; its preview waits for them to confirm it, after which
the running year's evaluation is recomputed. Idempotent: the upload is made once (by its file name).
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Min

from .demo_companies import FUND_SLUG
from .demo_deals import people
from .models import Deal, Fund, PerformanceImport, Valuation, ValuationMethod
from .performance.datasheets import build_workbook
from .services import performance_data
from .services.portfolio import HOLDING_STAGES

MANAGER = "fundmgr"
FILE_NAME = "2026年第三季度估值.xlsx"
QUARTER_END = datetime.date(2026, 9, 30)
HOLDINGS = 4
UPLIFT = Decimal("1.06")  # the quarter's marks: six per cent over each holding's latest value


def _rows(fund):
    deals = (
        Deal.objects.filter(fund=fund, stage__in=HOLDING_STAGES)
        .annotate(first_paid=Min("disbursements__paid_on"))
        .filter(first_paid__lt=QUARTER_END)
        .exclude(valuations__valued_on=QUARTER_END)
        .select_related("company__organization")
        .order_by("pk")[:HOLDINGS]
    )
    rows = []
    for deal in deals:
        latest = Valuation.objects.filter(deal=deal, valued_on__lt=QUARTER_END).order_by("-valued_on").first()
        if latest is None:
            continue
        rows.append(
            {
                "uscc": deal.company.organization.uscc,
                "round": deal.round,
                "date": QUARTER_END,
                "value": (latest.value * UPLIFT).quantize(Decimal("1")),
                "method": ValuationMethod.COMPARABLES,
                "note": "2026年三季度可比公司法重估",
            }
        )
    return rows


def seed_data_import(log):
    fund = Fund.objects.filter(slug=FUND_SLUG).first()
    users = people(MANAGER)
    if fund is None or MANAGER not in users:
        return
    if PerformanceImport.objects.filter(fund=fund, original_name=FILE_NAME).exists():
        return
    rows = _rows(fund)
    if not rows:
        return
    upload = SimpleUploadedFile(FILE_NAME, build_workbook({"valuations": rows}))
    data_import = performance_data.preview_import(actor=users[MANAGER], fund=fund, upload=upload)
    log(f"performance data: {FILE_NAME} uploaded by {MANAGER}, preview {data_import.preview['counts']}")
