"""Where the plot sits in a chart, worked out from its labels' lengths instead of measured.

matplotlib's constrained layout measures every text of a chart twice before drawing it (half of each chart's
time). The labels here are short and their font is known, so an estimate per character — a CJK character one em,
any other 0.6 em — places the plot as well, in half the time, the same way every time. Sizes are in inches.
"""

import unicodedata

FONT_SIZE = 11  # points: every text of a chart (engine.py sets it as matplotlib's font.size)
EM = FONT_SIZE / 72
LINE = 1.45 * EM  # the height of a line of text
NARROW_CHARACTER = 0.6  # ems: digits, Latin letters, punctuation
TICK = 0.1  # a tick and the gap to its label
EDGE = 0.08  # white space around the whole


def text_width(text) -> float:
    """The width of ``text``'s longest line."""
    lines = str(text).split("\n")
    return (
        max(
            sum(1.0 if unicodedata.east_asian_width(character) in "WF" else NARROW_CHARACTER for character in line)
            for line in lines
        )
        * EM
    )


def widest(texts) -> float:
    return max((text_width(text) for text in texts), default=0.0)


def place(figure, axes, *, left: float, right: float, top: float, bottom: float) -> None:
    """Put the figure's axes inside these margins."""
    width, height = figure.get_size_inches()
    axes.set_position((left / width, bottom / height, 1 - (left + right) / width, 1 - (top + bottom) / height))


def value_limits(low: float, high: float, label_width: float, axes_width: float) -> tuple[float, float]:
    """x limits for bars from ``low`` (≤ 0) to ``high`` (≥ 0) that leave ``label_width`` past either end, where
    a bar's value label sits."""
    share = min(label_width / axes_width, 0.45) if axes_width > 0 else 0.45
    sides = 2 if low < 0 and high > 0 else 1
    span = (high - low) or 1.0
    extra = span * share / (1 - sides * share)
    return (low - extra if low < 0 else 0.0), (high + extra if high > 0 or low == 0 else 0.0)
