"""matplotlib, set up once for the portal's charts: its cache folder, the CJK font, deterministic SVG.

Import this module before anything imports matplotlib (figures.py does): matplotlib reads MPLCONFIGDIR when it is
first imported. Without it, a server whose HOME is read-only makes matplotlib build its font list again in a
temporary folder in every process (seconds, with a warning each time); so it defaults to ``var/matplotlib``.
Only ``matplotlib.figure.Figure`` is used, never pyplot: no global figure state, safe in threads.
"""

import logging
import os

from django.conf import settings

from . import layout

logger = logging.getLogger(__name__)


def _cache_folder() -> None:
    if os.environ.get("MPLCONFIGDIR"):
        return
    folder = settings.VAR_DIR / "matplotlib"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        logger.warning("Charts: %s cannot be created; matplotlib will use a temporary folder.", folder)
        return
    os.environ["MPLCONFIGDIR"] = str(folder)


_cache_folder()

# After MPLCONFIGDIR; figures.py takes matplotlib's modules from here, so they are never imported before it.
import matplotlib  # noqa: E402
from matplotlib import dates as mdates  # noqa: E402, F401
from matplotlib import font_manager, ticker  # noqa: E402, F401
from matplotlib.figure import Figure  # noqa: E402, F401

# Simplified Chinese first; the Latin letters and digits of these fonts serve English labels as well.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC")
FALLBACK_FAMILY = "DejaVu Sans"  # ships with matplotlib: digits and Latin only


def cjk_family() -> str | None:
    """The first CJK family matplotlib finds a file for (a .ttc collection's SC face), or None."""
    for family in CJK_FAMILIES:
        try:
            font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        return family
    return None


def _configure() -> str | None:
    family = cjk_family()
    if family is None:
        logger.error(
            "Charts: no CJK font found (tried %s); Chinese labels will show as boxes. "
            "Install fonts-noto-cjk (scripts/system-deps.sh).",
            ", ".join(CJK_FAMILIES),
        )
    matplotlib.rcParams.update(
        {
            "font.family": [family, FALLBACK_FAMILY] if family else [FALLBACK_FAMILY],
            "font.size": layout.FONT_SIZE,
            # Glyphs as paths: the same shapes in every browser and in WeasyPrint, whatever fonts they have.
            "svg.fonttype": "path",
            # Fixed, so the same chart makes the same SVG (clip-path ids are hashes salted with this).
            "svg.hashsalt": "portal-charts",
            # Labels are data ("$5 million", "A_1"): never parsed as TeX mathematics.
            "text.parse_math": False,
            "axes.unicode_minus": True,
        }
    )
    return family


FAMILY = _configure()
