"""The fund section of a theme page: public aggregates only, in a constant number of queries.

Only deals the fund has invested in count (disbursement, portfolio, exited, written off): a deal under review never
shows, not even as a number, and no company is named. A fund's performance shows only as its latest approved
evaluation's grade and headline policy figures, read from that evaluation's snapshot (never a draft's, never a deal's).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from portal.pagecache import tags
from portal.pagecache.public import depends_on

from . import cache_tags
from .models import INVESTED, Deal, Disbursement, EvaluationState, Fund, Grade, PerformanceEvaluation
from .performance.indicators import LANDING, LEVERAGE, REINVESTMENT

IN_PINGSHAN = (
    Q(deal__company__registered_in_pingshan_on__isnull=False)
    | Q(deal__company__hq_in_pingshan_on__isnull=False)
    | Q(deal__company__production_in_pingshan_on__isnull=False)
)


def share_percent(part, whole):
    """``part`` of ``whole`` in per cent with one decimal (None when nothing was invested)."""
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def fund_figures(funds):
    """{fund pk: {"investments", "invested", "in_pingshan", "share"}} for ``funds``: two queries."""
    investments = dict(
        Deal.objects.filter(fund__in=funds, stage__in=INVESTED)
        .values("fund_id")
        .annotate(count=Count("pk"))
        .values_list("fund_id", "count")
        .order_by()
    )
    paid = {
        row["deal__fund_id"]: row
        for row in Disbursement.objects.filter(deal__fund__in=funds, deal__stage__in=INVESTED, paid_on__isnull=False)
        .values("deal__fund_id")
        .annotate(total=Sum("paid_amount"), pingshan=Sum("paid_amount", filter=IN_PINGSHAN))
        .order_by()
    }
    figures = {}
    for fund in funds:
        row = paid.get(fund.pk, {})
        invested = row.get("total") or Decimal(0)
        in_pingshan = row.get("pingshan") or Decimal(0)
        figures[fund.pk] = {
            "investments": investments.get(fund.pk, 0),
            "invested": invested,
            "in_pingshan": in_pingshan,
            "share": share_percent(in_pingshan, invested),
        }
    return figures


# The policy figures the public reads: fund-level aggregates, none of them names a company or a deal.
PUBLIC_FIGURES = (LEVERAGE, REINVESTMENT, LANDING)


def _public_figure(key, figure):
    # Only what the section shows: the figure's source rows (deal-level refs) stay inside the evaluation.
    figure = figure or {}
    return {"key": key, "label": figure.get("label"), "value": figure.get("value"), "unit": figure.get("unit")}


def approved_evaluations(funds):
    """{fund pk: the latest approved year's grade and public figures} for ``funds``: one query.

    Reads the few snapshot keys it shows rather than whole snapshots (each holds every flow and deal row)."""
    figures = [f"snapshot__figures__{key}" for key in PUBLIC_FIGURES]
    rows = (
        PerformanceEvaluation.objects.filter(indicator_set__fund__in=funds, state=EvaluationState.APPROVED)
        .order_by("indicator_set__fund_id", "-indicator_set__year")
        .values("indicator_set__fund_id", "indicator_set__year", "grade", *figures)
    )
    latest = {}
    for row in rows:
        fund_id = row["indicator_set__fund_id"]
        if fund_id in latest:
            continue  # an earlier year: only the latest approved one shows
        grade = row["grade"]
        latest[fund_id] = {
            "year": row["indicator_set__year"],
            "grade": grade,
            "grade_label": Grade(grade).label if grade else "",
            "figures": [_public_figure(key, row[f"snapshot__figures__{key}"]) for key in PUBLIC_FIGURES],
        }
    return latest


def fund_section(theme, page, request):
    depends_on(request, cache_tags.theme_funds(theme.pk))  # even with none yet: a fund set up shows
    funds = list(Fund.objects.filter(theme=theme).select_related("manager").prefetch_related("tranches"))
    if not funds:
        return None
    # The management company's name under ORGANIZATIONS.
    depends_on(request, tags.ORGANIZATIONS, *(cache_tags.fund(fund.pk) for fund in funds))
    figures = fund_figures(funds)
    evaluations = approved_evaluations(funds)
    return {
        "funds": [
            {
                "fund": fund,
                "tranches": list(fund.tranches.all()),
                "evaluation": evaluations.get(fund.pk),
                **figures[fund.pk],
            }
            for fund in funds
        ]
    }
