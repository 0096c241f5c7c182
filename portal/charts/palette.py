"""The charts' colours: the site's palette (portal/static/css/site.css, ``:root``), copied here in one place.

The stylesheet cannot reach into a server-made SVG that is also printed by WeasyPrint, so the hex values are
repeated; change them here when site.css changes.
"""

BLUE_900 = "#0a3268"  # --blue-900
BLUE_700 = "#1552a0"  # --blue-700: the first series, every bar
BLUE_50 = "#eef4fb"  # --blue-50: the track behind a score's bar (its full marks)
RED_700 = "#b3261e"  # --red-700
GREEN_700 = "#2e7d32"  # .message's border
AMBER_700 = "#b26a00"  # .notice's border
INK = "#1b1f24"  # --ink: text, the zero line
INK_MUTED = "#4a5360"  # --ink-muted: ticks, axis labels, "no data"
LINE = "#d6dde6"  # --line: grid lines, axes
PAPER = "#ffffff"  # --paper

# Series in this order: blue, red, green, amber, dark blue — distinct in print and for red-green blindness
# by their order and markers, and each has a legend entry and a table column.
SERIES = (BLUE_700, RED_700, GREEN_700, AMBER_700, BLUE_900)
MARKERS = ("o", "s", "^", "D", "v")
