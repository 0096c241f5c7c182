"""What the performance pages show: the live key figures of a fund, and an evaluation's snapshot read for a page.

Both read the same row shapes (see ``evaluation.build_snapshot``): a figure is ``{"key", "label", "value", "unit",
"reason", "sources"...}`` with values as decimal strings and texts in both languages, so the live dashboard, a
computed year, its workbook and its PDF show one thing the same way.
"""

from .display import localized


def _same(row):
    """What makes an indicator the same from one year to the next: its formula, or a panel item's name."""
    return row.get("key") or (row.get("label") or {}).get("zh-hans")


def _row(row, previous_rows):
    previous = previous_rows.get(_same(row))
    return {
        **row,
        "label": localized(row.get("label")),
        "note": localized(row.get("note")),
        "reason": localized(row.get("reason")),
        "previous_value": previous.get("value") if previous else None,
        "previous_score": previous.get("score") if previous else None,
    }


def evaluation_view(snapshot, previous=None) -> dict:
    """The snapshot's indicators grouped for the page, each beside last year's value and score when there is one."""
    if not snapshot:
        return {}
    previous = previous or {}
    previous_rows = {_same(row): row for row in previous.get("indicators", [])}
    previous_groups = {group["group"]: group for group in previous.get("groups", [])}
    groups = []
    for group in snapshot.get("groups", []):
        rows = [_row(row, previous_rows) for row in snapshot["indicators"] if row.get("group") == group["group"]]
        groups.append(
            {
                **group,
                "label": localized(group.get("label")),
                "rows": rows,
                "previous_score": previous_groups.get(group["group"], {}).get("score"),
            }
        )
    return {
        "groups": groups,
        "headline": [headline(figure) for figure in snapshot.get("headline", [])],
        "previous_total": previous.get("total"),
    }


def headline(figure) -> dict:
    return {**figure, "label": localized(figure.get("label")), "reason": localized(figure.get("reason"))}


def live(fund, as_of) -> dict:
    """The fund's key figures and quarterly series from what is recorded now (the dashboard; nothing is kept)."""
    from ..models import IndicatorSet
    from .evaluation import HEADLINE, compute_figures, quarterly_rows

    latest_set = IndicatorSet.objects.filter(fund=fund).order_by("-year").first()
    collector, frames, _figures = compute_figures(fund, latest_set, as_of, policy_year=as_of.year)
    return {
        "as_of": as_of,
        "headline": [headline({"key": key, **collector.figures[key]}) for key in HEADLINE if key in collector.figures],
        "quarterly": quarterly_rows(frames, as_of),
    }
