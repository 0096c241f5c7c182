"""Computing an evaluation: read the recorded data once, compute every figure, score the indicator set, and keep it
all as a JSON snapshot (``PerformanceEvaluation.snapshot``) that the page, the workbook and the PDF read.

The snapshot::

    {"version": 1, "as_of": "2025-12-31", "year": 2025,
     "figures": {key: {"label", "unit", "value", "reason", "numerator", "denominator", "sources": [ref, ...]}},
     "rows": {ref: {"label", "amount", "on", "kind"}},      # every recorded row a figure used, once
     "headline": [figure + "key", ...],                      # the key figures of the report
     "indicators": [{"id", "group", "group_label", "kind", "key", "label", "unit", "value", "reason", "target",
                     "floor", "weight", "score", "note", "traceable"}],
     "groups": [{"group", "label", "weight", "score"}], "bonus", "bonus_uncapped", "total", "grade",
     "panel_pending": bool, "deals": [...], "quarterly": [...], "flows": [...]}

Texts are kept in both languages (``display.both``); values as decimal strings; dates ISO.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from portal.reviews.models import RoundState
from portal.reviews.services.results import counted_scorecards

from ..models import IndexLevel, IndicatorGroup, IndicatorKind
from . import facts as facts_module
from . import flows, scoring, series
from .display import PERCENT, both
from .figures import Figure
from .formulas import RETURNS
from .indicators import INDICATORS, compute_all
from .inputs import Basis

VERSION = 1

HEADLINE = (
    "paid_in_capital",
    "gross_invested",
    "gross_distributed",
    "gross_nav",
    "gross_irr",
    "gross_tvpi",
    "gross_dpi",
    "net_irr",
    "net_tvpi",
    "leverage",
    "reinvestment",
    "gross_ks_pme",
)


def _text(value):
    return str(value) if value is not None else None


def _value(value):
    if value is None:
        return None
    if isinstance(value, float):
        return format(value, ".10g")
    return str(value)


class Collector:
    """Figures into JSON, their source rows kept once under their reference."""

    def __init__(self):
        self.figures: dict[str, dict] = {}
        self.rows: dict[str, dict] = {}

    def add(self, key, figure: Figure, *, label, unit, value=None):
        refs = []
        for source in figure.sources:
            ref = source.ref or f"{source.kind}:{len(self.rows)}"
            if ref not in self.rows:
                self.rows[ref] = {
                    "label": str(source.label),
                    "amount": _value(source.amount),
                    "on": source.on.isoformat() if source.on else None,
                    "kind": source.kind,
                }
            refs.append(ref)
        self.figures[key] = {
            "label": both(label),
            "unit": unit,
            "value": _value(figure.value if value is None else value),
            "reason": both(figure.reason),
            "numerator": _value(figure.numerator),
            "denominator": _value(figure.denominator),
            "sources": refs,
        }
        return self.figures[key]


def _returns(collector, prefix, returns):
    for key, spec in RETURNS.items():
        if not key.startswith(prefix + "_"):
            continue
        figure = getattr(returns, spec.attribute)
        value = figure.value
        if value is not None and spec.unit == PERCENT:
            value = Decimal(str(value)) * 100  # IRR and alpha as percent points, like the policy shares
        collector.add(key, figure, label=spec.label, unit=spec.unit, value=value)


def _index_for(indicator_set):
    if indicator_set.benchmark_id is None:
        return None
    levels = list(IndexLevel.objects.filter(index_id=indicator_set.benchmark_id).values_list("on", "level"))
    return levels or None


def compute_figures(fund, indicator_set, as_of, policy_year=None) -> tuple[Collector, object, object]:
    """Every figure of the fund as of a date: the returns (gross and net) and the policy indicators, on the bases
    (and against the benchmark) of ``indicator_set``; the policy indicators' year is the set's, or ``policy_year``."""
    frames = flows.read(fund, as_of)
    fund_figures = series.fund_figures(
        frames.deal_flows,
        frames.valuations,
        as_of,
        lp_flows=frames.lp_flows,
        deals=frames.deals,
        index=_index_for(indicator_set) if indicator_set else None,
    )
    collector = Collector()
    paid_in = fund_figures.net.paid_in if fund_figures.net else Figure(None, reason=_("No LP paid-in is recorded."))
    collector.add("paid_in_capital", paid_in, label=_("Paid-in capital (LPs)"), unit="money")
    _returns(collector, "gross", fund_figures.gross)
    if fund_figures.net is not None:
        _returns(collector, "net", fund_figures.net)
    year = policy_year or (indicator_set.year if indicator_set else as_of.year)
    facts = facts_module.facts_for(fund, year, as_of)
    basis = Basis.of(indicator_set) if indicator_set else Basis()
    for key, figure in compute_all(facts, basis).items():
        collector.add(key, figure, label=INDICATORS[key].label, unit=INDICATORS[key].unit)
    return collector, frames, fund_figures


def _panel_scores(evaluation):
    """{criterion name (zh or en, folded): (scores, lowest, highest)} from the panel round's counted scorecards."""
    review_round = evaluation.review_round
    if review_round is None:
        return {}
    by_criterion = {}
    for card in counted_scorecards(review_round):
        for score in card.scores.all():
            criterion = score.criterion
            entry = by_criterion.setdefault(criterion.pk, ([], criterion.scale_min, criterion.scale_max, criterion))
            entry[0].append(score.value)
    named = {}
    for scores, lowest, highest, criterion in by_criterion.values():
        for name in (criterion.name_zh, criterion.name_en, str(criterion.pk)):
            if name:
                named[name.strip().casefold()] = (scores, lowest, highest)
    return named


def _indicator_rows(evaluation, collector):
    indicator_set = evaluation.indicator_set
    indicators = list(indicator_set.indicators.all())
    panel = _panel_scores(evaluation) if any(i.kind == IndicatorKind.PANEL for i in indicators) else {}
    lines, rows = [], []
    for indicator in indicators:
        figure = collector.figures.get(indicator.key) if indicator.kind != IndicatorKind.PANEL else None
        if indicator.kind == IndicatorKind.PANEL:
            scores, lowest, highest = panel.get(indicator.criterion.strip().casefold(), ([], 0, 10))
            points = scoring.panel_points(indicator, scores, lowest=lowest, highest=highest)
            value = _value(sum(scores) / len(scores)) if scores else None
            unit = "score"
        else:
            points = scoring.score(indicator, Decimal(figure["value"]) if figure and figure["value"] else None)
            value = figure["value"] if figure else None
            unit = figure["unit"] if figure else ""
        lines.append((indicator, points))
        rows.append(
            {
                "id": indicator.pk,
                "group": indicator.group,
                "group_label": both(IndicatorGroup(indicator.group).label),
                "kind": indicator.kind,
                "key": indicator.key if indicator.kind != IndicatorKind.PANEL else "",
                "label": {"zh-hans": indicator.label, "en": indicator.label_en or indicator.label},
                "unit": unit,
                "value": value,
                "reason": figure["reason"] if figure and figure["value"] is None else both(points.reason),
                "target": _text(indicator.target),
                "floor": _text(indicator.floor),
                "weight": _text(indicator.weight),
                "score": _text(scoring.rounded(points.points)) if points.scored else None,
                "note": both(points.reason) if points.reason and value is not None else {},
                "traceable": bool(figure and figure["sources"]),
            }
        )
    return lines, rows


def build_snapshot(evaluation) -> dict:
    indicator_set = evaluation.indicator_set
    fund, as_of = indicator_set.fund, evaluation.as_of
    collector, frames, _fund_figures = compute_figures(fund, indicator_set, as_of)
    lines, rows = _indicator_rows(evaluation, collector)
    total = scoring.total(lines, indicator_set.bonus_cap)
    groups = [
        {
            "group": group.value,
            "label": both(group.label),
            "weight": _text(total.groups[group.value][1]),
            "score": _text(scoring.rounded(total.groups[group.value][0])),
        }
        for group in IndicatorGroup
        if group.value in total.groups
    ]
    has_panel = any(indicator.kind == IndicatorKind.PANEL for indicator, _points in lines)
    round_open = evaluation.review_round is None or evaluation.review_round.state != RoundState.CLOSED
    return {
        "version": VERSION,
        "as_of": as_of.isoformat(),
        "year": indicator_set.year,
        "figures": collector.figures,
        "rows": collector.rows,
        "headline": [{"key": key, **collector.figures[key]} for key in HEADLINE if key in collector.figures],
        "indicators": rows,
        "groups": groups,
        "bonus": _text(total.bonus),
        "bonus_uncapped": _text(total.bonus_uncapped),
        "total": _text(total.total),
        "grade": total.grade,
        "panel_pending": has_panel and round_open,
        "deals": deal_rows(frames, as_of),
        "quarterly": quarterly_rows(frames, as_of),
        "flows": flow_rows(frames),
    }


def deal_rows(frames, as_of) -> list[dict]:
    table = series.deal_table(frames.deal_flows, frames.valuations, as_of)
    names = dict(zip(frames.deals["deal"].tolist(), frames.deals["company"].tolist(), strict=True))
    rows = []
    for deal, row in table.iterrows():
        rows.append(
            {
                "deal": int(deal),
                "company": names.get(deal, ""),
                "invested": _value(row["invested"]),
                "realized": _value(row["realized"]),
                "nav": _value(row["nav"]),
                "moic": _value(row["moic"]),
                "irr": _value(row["irr"]),
                "irr_note": both(row["irr_reason"]) if row["irr"] is None else {},
            }
        )
    return rows


def quarterly_rows(frames, as_of) -> list[dict]:
    table = series.quarterly(frames.deal_flows, frames.valuations, as_of)
    return [
        {
            "quarter": row["quarter"],
            "end": row["on"].isoformat(),
            "paid_in": _value(row["paid_in"]),
            "distributions": _value(row["distributed"]),
            "nav": _value(row["nav"]),
            "net": _value(row["net_cash_flow"]),
            "dpi": _value(row["dpi"]),
            "tvpi": _value(row["tvpi"]),
            "irr": _value(row["irr"]),
        }
        for row in table.to_dict("records")
    ]


def flow_rows(frames) -> list[dict]:
    kinds = {
        flows.DISBURSEMENT: both(_("Disbursement")),
        flows.EXIT: both(_("Exit proceeds")),
        flows.PAID_IN: both(_("Paid-in capital")),
        flows.DISTRIBUTION: both(_("Distribution to an LP")),
    }
    rows = []
    for table in (frames.deal_flows, frames.lp_flows):
        for record in table.to_dict("records"):
            rows.append(
                {
                    "on": record["on"].date().isoformat(),
                    "label": record["label"],
                    "kind": kinds.get(record["kind"], record["kind"]),
                    "amount": _value(series.yuan(record["cents"])),
                    "ref": record["ref"],
                }
            )
    return sorted(rows, key=lambda row: row["on"])
