"""The fund section of a theme page: public aggregates only, in a constant number of queries.

Only deals the fund has invested in count (disbursement, portfolio, exited, written off): a deal under review never
shows, not even as a number, and no company is named.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from .models import INVESTED, Deal, Disbursement, Fund

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


def fund_section(theme, page, request):
    funds = list(Fund.objects.filter(theme=theme).select_related("manager").prefetch_related("tranches"))
    if not funds:
        return None
    figures = fund_figures(funds)
    return {"funds": [{"fund": fund, "tranches": list(fund.tranches.all()), **figures[fund.pk]} for fund in funds]}
