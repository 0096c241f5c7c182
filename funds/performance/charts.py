"""The fund's performance charts (portal.charts), from the same rows the figures and the snapshot hold, so the
dashboard, an evaluation's page and its PDF draw the same picture."""

from datetime import date

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from portal.charts.figures import Bar, Format, Series, bar_chart, funnel, line_chart

from ..models import INVESTED, PIPELINE, Deal, DealStage, DevelopmentStage, Disbursement, Subsector
from .display import localized


def _points(rows, key):
    return [(date.fromisoformat(row["end"]), row.get(key)) for row in rows]


def cash_flow_charts(quarterly) -> list:
    """The J-curve, invested vs distributions vs NAV, and DPI/TVPI, by quarter since inception."""
    return [
        line_chart(
            [Series(_("Net cash flow (cumulative)"), _points(quarterly, "net"))],
            title=_("J-curve: cumulative net cash flow"),
            y_format=Format.MONEY,
            x_label=_("Quarter end"),
            zero_line=True,
        ),
        line_chart(
            [
                Series(_("Invested (cumulative)"), _points(quarterly, "paid_in")),
                Series(_("Distributions (cumulative)"), _points(quarterly, "distributions")),
                Series(_("Residual value (NAV)"), _points(quarterly, "nav")),
            ],
            title=_("Invested, distributions and residual value"),
            y_format=Format.MONEY,
            x_label=_("Quarter end"),
        ),
        line_chart(
            [Series(_("DPI"), _points(quarterly, "dpi")), Series(_("TVPI"), _points(quarterly, "tvpi"))],
            title=_("DPI and TVPI"),
            y_format=Format.MULTIPLE,
            x_label=_("Quarter end"),
        ),
    ]


def indicator_chart(snapshot):
    """Each scored indicator's points against its full marks."""
    bars = [
        Bar(localized(row.get("label")), row.get("score"), full=row.get("weight"))
        for row in snapshot.get("indicators", [])
        if row.get("score") is not None
    ]
    return bar_chart(
        bars,
        title=_("Indicator scores"),
        label_heading=_("Indicator"),
        value_heading=_("Score"),
        full_heading=_("Full marks"),
    )


def pipeline_charts(fund) -> list:
    """The funnel of the open pipeline and the invested amounts by subsector and by development stage."""
    counts = dict(
        Deal.objects.filter(fund=fund, stage__in=(*PIPELINE, *INVESTED))
        .values_list("stage")
        .annotate(total=Count("pk"))
        .order_by()
    )
    invested = (
        Disbursement.objects.filter(deal__fund=fund, deal__stage__in=INVESTED, paid_on__isnull=False)
        .values_list("deal__company__subsector", "deal__company__development_stage")
        .annotate(total=Sum("paid_amount"))
        .order_by()
    )
    by_subsector, by_stage = {}, {}
    for subsector, stage, total in invested:
        by_subsector[subsector] = by_subsector.get(subsector, 0) + total
        by_stage[stage] = by_stage.get(stage, 0) + total
    return [
        funnel(
            [(DealStage(stage).label, counts.get(stage, 0)) for stage in PIPELINE]
            + [(_("Invested"), sum(counts.get(stage, 0) for stage in INVESTED))],
            title=_("Pipeline"),
            stage_heading=_("Stage"),
            count_heading=_("Deals"),
        ),
        bar_chart(
            [Bar(Subsector(key).label, value) for key, value in sorted(by_subsector.items(), key=lambda kv: -kv[1])],
            title=_("Invested by subsector"),
            value_format=Format.MONEY,
            label_heading=_("Subsector"),
            value_heading=_("Invested"),
        ),
        bar_chart(
            [Bar(DevelopmentStage(key).label, by_stage[key]) for key in DevelopmentStage.values if key in by_stage],
            title=_("Invested by development stage"),
            value_format=Format.MONEY,
            label_heading=_("Development stage"),
            value_heading=_("Invested"),
        ),
    ]


def dashboard(fund, live, latest_evaluation) -> list:
    charts = cash_flow_charts(live["quarterly"]) + pipeline_charts(fund)
    if latest_evaluation is not None and latest_evaluation.snapshot:
        charts.append(indicator_chart(latest_evaluation.snapshot))
    return charts


def evaluation(snapshot) -> list:
    return [indicator_chart(snapshot), *cash_flow_charts(snapshot.get("quarterly", []))]
