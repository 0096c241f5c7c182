"""The portal's charts: line charts over time, horizontal bar charts and a funnel, drawn by matplotlib as SVG.

Each function takes plain values — numbers (``Decimal`` welcome), dates, labels already translated — and returns
a ``Chart``: the SVG markup (safe to place: see svg.py), its title and the rows of its data table. A page places
it with ``{% load charts %}{% chart chart %}`` (a figure, its caption and the table in a <details>); a PDF
template does the same. Missing values (None, NaN) are skipped, an empty chart says "No data" instead of failing,
and the same input always gives the same SVG.

    line_chart([Series(_("Net cash flow"), [(date(2024, 3, 31), -2_000_000), ...])],
               title=_("J-curve"), y_format=Format.MONEY, zero_line=True)
    bar_chart([Bar(_("Leverage"), 8, full=10), ...], title=_("Indicator scores"))
    funnel([(_("Sourced"), 120), (_("Screening"), 48), ...], title=_("Pipeline"))
"""

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import layout, palette, svg
from .engine import Figure, mdates, ticker  # matplotlib through engine: MPLCONFIGDIR first, the CJK font
from .formats import Format, axis_unit, cell, number, tick

__all__ = ["Bar", "Chart", "Format", "Series", "bar_chart", "funnel", "line_chart"]

WIDTH = 5.0  # inches (360 SVG units): ~0.9x in a 390 px phone's column, ~1.4x at the 32rem site.css allows
LINE_HEIGHT = 3.0
EMPTY_HEIGHT = 1.0
SAVE = {"format": "svg", "metadata": {"Date": None, "Creator": None, "Format": None, "Type": None}}
DATE_TICKS = 6  # at most this many ticks on a date axis
LABEL_WIDTH = 16  # characters before a bar's label wraps
LEGEND_KEY = 0.55  # inches: a legend entry's line and marker, and the gap to the next entry
LEGEND_ROW = 0.27  # inches: a row of the legend
BAR_ROW = 0.42  # inches: a bar's row, at least

X = date | datetime | int | float | Decimal | str
Y = int | float | Decimal | None


@dataclass(frozen=True)
class Series:
    """One line: its label (the legend, the table's column) and its (x, y) points; x dates, numbers or labels."""

    label: str
    points: Sequence[tuple[X, Y]]


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and, for a score, the full marks drawn as a pale track behind it."""

    label: str
    value: Y
    full: Y = None


@dataclass(frozen=True)
class Chart:
    """A finished chart. ``svg`` is plain text: ``{% chart %}`` marks it safe where it places it."""

    svg: str
    title: str
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default=())
    is_empty: bool = False  # nothing to draw: the SVG says "No data" (the table may still list missing values)


# Drawing ------------------------------------------------------------------------------------------------------


def _figure(height: float) -> Figure:
    return Figure(figsize=(WIDTH, height), facecolor=palette.PAPER)


def _finish(figure: Figure, title: str, columns, rows, *, is_empty: bool = False) -> Chart:
    buffer = io.StringIO()
    figure.savefig(buffer, **SAVE)
    markup = svg.clean(buffer.getvalue(), str(title))
    return Chart(svg=markup, title=str(title), columns=columns, rows=rows, is_empty=is_empty)


def _no_data(title: str, columns, rows=()) -> Chart:
    figure = _figure(EMPTY_HEIGHT)
    figure.text(0.5, 0.5, _("No data"), ha="center", va="center", color=palette.INK_MUTED, fontsize=12)
    return _finish(figure, title, tuple(columns), tuple(rows), is_empty=True)


def _plain_axes(axes, *, grid_axis: str) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(palette.LINE)
    axes.tick_params(colors=palette.INK_MUTED, labelcolor=palette.INK)
    axes.grid(axis=grid_axis, color=palette.LINE, linewidth=0.6)
    axes.set_axisbelow(True)


def _value_axis(axis, kind: Format, unit) -> None:
    axis.set_major_formatter(ticker.FuncFormatter(lambda value, _position: tick(value, kind, unit)))
    axis.set_major_locator(ticker.MaxNLocator(nbins=6, integer=kind == Format.COUNT))


def _axis_label(label: str, unit) -> str:
    if unit is None:
        return str(label)
    return f"{label} ({unit.name})" if label else unit.name


def _wrapped(label) -> str:
    return "\n".join(textwrap.wrap(str(label), LABEL_WIDTH)) or " "


def _tick_labels(axis) -> list[str]:
    """The labels the axis will show (to leave room for them)."""
    low, high = sorted(axis.get_view_interval())
    values = [value for value in axis.get_majorticklocs() if low <= value <= high]
    return axis.get_major_formatter().format_ticks(values)


def _legend_columns(series) -> int:
    """As many columns as the widest label lets fit across the chart."""
    entry = layout.widest(str(line.label) for line in series) + LEGEND_KEY
    return max(1, min(len(series), int((WIDTH - 2 * layout.EDGE) // entry)))


def _legend(figure, columns: int) -> None:
    figure.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, layout.EDGE / figure.get_size_inches()[1]),
        ncols=columns,
        frameon=False,
        borderaxespad=0,
        handlelength=1.6,
        columnspacing=1.0,
    )


# Line charts --------------------------------------------------------------------------------------------------


def _x_kind(xs) -> str:
    if xs and all(isinstance(x, date) for x in xs):
        return "date"
    if xs and all(number(x) is not None for x in xs):
        return "number"
    return "label"


def _x_cell(x, kind: str) -> str:
    if kind == "date":
        return x.strftime("%Y-%m-%d")
    if kind == "number":
        return f"{Decimal(str(x)).normalize():f}"  # a year or a quarter's number, never grouped: 2025
    return str(x)


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    y_label: str = "",
    y_format: Format = Format.NUMBER,
    x_label: str = "",
    zero_line: bool = False,
) -> Chart:
    """Lines over time (or over any ordered x): a J-curve with ``zero_line=True``; paid-in, distributions and NAV;
    DPI and TVPI with ``y_format=Format.MULTIPLE``. Points whose x or y is missing are left out; the table has a
    row per x (sorted, for dates and numbers) and a column per series."""
    language = get_language()
    heading = x_label or _("Date")
    columns = (str(heading), *(str(line.label) for line in series))
    drawn = [
        (line, [(x, number(y)) for x, y in line.points if x is not None and number(y) is not None]) for line in series
    ]
    xs = list(dict.fromkeys(x for _line, points in drawn for x, _y in points))
    if not xs:
        return _no_data(title, columns)
    kind = _x_kind(xs)
    if kind == "label":
        drawn = [(line, [(str(x), y) for x, y in points]) for line, points in drawn]
        xs = list(dict.fromkeys(str(x) for x in xs))
    else:
        xs = sorted(xs)
    unit = axis_unit((y for _line, points in drawn for _x, y in points), y_format, language)

    # A legend under the plot when there is more than one line; its rows beyond the first make the chart taller.
    legend_columns = _legend_columns(series) if len(series) > 1 else 0
    legend_rows = -(-len(series) // legend_columns) if legend_columns else 0
    figure = _figure(LINE_HEIGHT + max(legend_rows - 1, 0) * LEGEND_ROW)
    axes = figure.add_axes((0, 0, 1, 1))  # placed below, once its labels are known
    _plain_axes(axes, grid_axis="y")
    if zero_line:
        axes.axhline(0, color=palette.INK, linewidth=1)
    for index, (line, points) in enumerate(drawn):
        if not points:
            continue
        if kind != "label":
            points = sorted(points, key=lambda point: point[0])
        axes.plot(
            [x for x, _y in points],
            [y for _x, y in points],
            label=str(line.label),
            color=palette.SERIES[index % len(palette.SERIES)],
            marker=palette.MARKERS[index % len(palette.MARKERS)],
            markersize=4,
            linewidth=2,
        )
    _value_axis(axes.yaxis, y_format, unit)
    axis_label = _axis_label(y_label, unit)
    axes.set_ylabel(axis_label, color=palette.INK_MUTED)
    if kind == "date":
        # A few dates (quarters, years): a tick at each; more: matplotlib spaces them.
        if len(xs) <= DATE_TICKS:
            axes.set_xticks(xs)
        else:
            # At least three ticks (matplotlib's default five made two or three years of quarters fall to monthly
            # ticks it could not space, with a warning and labels running into each other).
            axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=DATE_TICKS))
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    elif kind == "number":
        axes.xaxis.set_major_locator(ticker.MaxNLocator(nbins=DATE_TICKS, integer=True))
    if x_label:
        axes.set_xlabel(str(x_label), color=palette.INK_MUTED)
    if legend_columns:
        _legend(figure, legend_columns)

    x_ticks = _tick_labels(axes.xaxis)
    left = layout.EDGE + (layout.LINE if axis_label else 0) + layout.widest(_tick_labels(axes.yaxis))
    bottom = layout.EDGE + layout.TICK + layout.LINE + (layout.LINE if x_label else 0) + legend_rows * LEGEND_ROW
    right = layout.EDGE + layout.text_width(x_ticks[-1] if x_ticks else "") / 2
    layout.place(figure, axes, left=left + layout.TICK, right=right, top=layout.EDGE + layout.LINE / 2, bottom=bottom)

    values = [dict(points) for _line, points in drawn]
    rows = tuple((_x_cell(x, kind), *(cell(found.get(x), y_format, language) for found in values)) for x in xs)
    return _finish(figure, title, columns, rows)


# Bar charts ---------------------------------------------------------------------------------------------------


def _bars_figure(labels):
    """A figure tall enough for a row per label (two lines if a label wraps) and its axes, placed."""
    wrapped = [_wrapped(label) for label in labels]
    row = max(BAR_ROW, max(text.count("\n") + 1 for text in wrapped) * layout.LINE + 0.12)
    figure = _figure(2 * layout.EDGE + row * len(labels))
    axes = figure.add_axes((0, 0, 1, 1))
    left = layout.EDGE + layout.widest(wrapped) + layout.TICK
    layout.place(figure, axes, left=left, right=layout.EDGE, top=layout.EDGE, bottom=layout.EDGE)
    _plain_axes(axes, grid_axis="x")
    axes.grid(False)
    axes.set_yticks(list(range(len(labels))), wrapped)
    axes.set_ylim(len(labels) - 0.5, -0.5)  # the first bar on top
    axes.tick_params(axis="y", length=0)
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    return figure, axes, WIDTH - left - layout.EDGE


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    value_format: Format = Format.NUMBER,
    label_heading: str = "",
    value_heading: str = "",
    full_heading: str = "",
) -> Chart:
    """Horizontal bars, top to bottom in the order given, each labelled with its value: a mix (subsectors,
    stages), a distribution, or scores against full marks (``Bar(label, score, full=10)``: the track is the full
    marks, the label "8 / 10"). A bar without a value is left out of the drawing and shows a dash in the table."""
    language = get_language()
    scored = any(number(bar.full) is not None for bar in bars)
    columns = (str(label_heading or _("Item")), str(value_heading or _("Value")))
    if scored:
        columns += (str(full_heading or _("Full marks")),)
    rows = tuple(
        (str(bar.label), cell(bar.value, value_format, language))
        + ((cell(bar.full, value_format, language),) if scored else ())
        for bar in bars
    )
    drawn = [bar for bar in bars if number(bar.value) is not None]
    if not drawn:
        return _no_data(title, columns, rows)

    figure, axes, axes_width = _bars_figure([bar.label for bar in drawn])
    positions = range(len(drawn))
    values = [number(bar.value) for bar in drawn]
    fulls = [number(bar.full) or 0.0 for bar in drawn]
    # A score's label "8 / 10" sits past its track (the full marks), any other value's past its bar.
    on_track = [
        f"{cell(bar.value, value_format, language)} / {cell(bar.full, value_format, language)}"
        if number(bar.full) is not None
        else ""
        for bar in drawn
    ]
    on_bar = ["" if number(bar.full) is not None else cell(bar.value, value_format, language) for bar in drawn]
    if scored:
        tracks = axes.barh(positions, fulls, height=0.6, color=palette.BLUE_50, edgecolor=palette.LINE, linewidth=0.6)
        axes.bar_label(tracks, labels=on_track, padding=4, color=palette.INK)
    bars_drawn = axes.barh(positions, values, height=0.6, color=palette.BLUE_700)
    axes.bar_label(bars_drawn, labels=on_bar, padding=4, color=palette.INK)
    label_width = layout.widest(on_track + on_bar) + layout.TICK
    axes.set_xlim(*layout.value_limits(min([*values, 0.0]), max([*values, *fulls, 0.0]), label_width, axes_width))
    return _finish(figure, title, columns, rows)


def funnel(
    stages: Sequence[tuple[str, Y]],
    *,
    title: str,
    stage_heading: str = "",
    count_heading: str = "",
) -> Chart:
    """A pipeline funnel: one centred bar per stage, top to bottom in the order given, labelled with its count;
    the table adds each stage's share of the first stage."""
    language = get_language()
    columns = (str(stage_heading or _("Stage")), str(count_heading or _("Count")), _("Share of the first stage"))
    counts = [number(count) for _label, count in stages]
    first = counts[0] if counts else None
    rows = tuple(
        (
            str(label),
            cell(count, Format.COUNT, language),
            cell(count / first, Format.PERCENT, language) if count is not None and first else "—",
        )
        for (label, _count), count in zip(stages, counts, strict=True)
    )
    drawn = [(label, count) for (label, _count), count in zip(stages, counts, strict=True) if count is not None]
    if not drawn or not any(count for _label, count in drawn):
        return _no_data(title, columns, rows)

    figure, axes, axes_width = _bars_figure([label for label, _count in drawn])
    axes.spines["left"].set_visible(False)
    widest = max(count for _label, count in drawn)
    positions = range(len(drawn))
    widths = [max(count, 0.0) for _label, count in drawn]
    bars_drawn = axes.barh(
        positions, widths, left=[(widest - width) / 2 for width in widths], height=0.7, color=palette.BLUE_700
    )
    # A count sits inside its bar, or beside it in ink when the bar is too narrow to hold it.
    counted = [cell(width, Format.COUNT, language) for width in widths]
    narrow = [
        width / widest * axes_width < layout.text_width(text) + layout.TICK
        for width, text in zip(widths, counted, strict=True)
    ]
    inside = ["" if thin else text for text, thin in zip(counted, narrow, strict=True)]
    axes.bar_label(bars_drawn, labels=inside, label_type="center", color=palette.PAPER)
    gap = widest * layout.TICK / axes_width
    for position, width, text, thin in zip(positions, widths, counted, narrow, strict=True):
        if thin:
            axes.text(widest / 2 + width / 2 + gap, position, text, va="center", color=palette.INK)
    axes.set_xlim(0, widest)
    return _finish(figure, title, columns, rows)
