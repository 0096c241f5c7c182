"""Render a formal opinion (评价意见 / 评审意见 / 投资决策意见) to PDF.

Pure: takes an :class:`OpinionDocument`, returns the PDF bytes. No database, no request, no network.
Signing is a separate step (:mod:`portal.opinions.signing`); the issuing service renders, signs,
hashes and stores once.

Layout (GB/T 9704-2012 is the model): A4, 37 mm top / 28 mm binding-side / 26 mm right / 35 mm bottom
margins; the issuer's name in red as the letterhead (发文机关标志), the document number (发文字号) centred
under it above a red rule; the title centred in balanced lines (:func:`title_lines`); the addressee (主送)
flush left with a full-width colon; the body; one blank line, then the signature block with the date
(``2026年11月21日``) on the right.

Footer on **every** page (not only the last): the QR code of ``verify_url``, the short verification
code and the URL as text, and "第 x 页 / 共 y 页" (CSS ``counter(page)`` / ``counter(pages)`` in the
``@page`` margin boxes). Every page carries the code so a single page, printed or photographed on
its own, can still be checked, and a page slipped in from another document shows a different code.

Fonts: ``portal/opinions/fonts/PingshanSerifSC-{Regular,Bold}.woff2``, a GB 2312 subset of Noto Serif
CJK SC built by ``scripts/build-cjk-font.py`` (see the README in that folder). The CSS names no other
family, only the generic ``serif`` after it: every character the subset has comes from the subset. A
character outside it (a rare name character, say 龘) is still drawn: Pango asks fontconfig for a
``serif`` font with that character for language zh-CN (hence ``lang="zh-CN"`` rather than ``zh-Hans``,
which fontconfig does not map to Simplified Chinese) and gets Debian's Noto Serif CJK SC, which is then
embedded as well (the PDF grows by a few hundred KB; with HarfBuzz subsetting it costs ~0.2 s more).
Without any system CJK font the character comes out as an empty box (.notdef) and the rest renders.
Extend ``EXTRA_HANZI`` in the build script when real documents need more characters.

Speed: one module-level ``FontConfiguration`` and the parsed stylesheets are reused by every render
(the WOFF2 files are decoded once per process, ~1 s on the first render); a lock serialises renders
because fontconfig and Pango objects shared that way are not thread-safe. A three-page opinion then
takes ~0.2 s. WeasyPrint subsets embedded fonts with libharfbuzz-subset when it is installed
(Debian ``libharfbuzz-subset0``); without it, it falls back to fontTools and the same PDF takes ~4 s
(~16 s with the system Noto collection), so :func:`shipped_fonts` logs a warning when it is missing.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

APP_DIR = Path(__file__).resolve().parent
FONTS_DIR = APP_DIR / "fonts"
PDF_TEMPLATE_DIR = APP_DIR / "templates" / "opinions" / "pdf"
PDF_TEMPLATE = "opinions/pdf/opinion.html"
FONTS_CSS = PDF_TEMPLATE_DIR / "fonts.css"
LAYOUT_CSS = PDF_TEMPLATE_DIR / "opinion.css"
#: The family the layout CSS uses and fonts.css binds to the shipped files; also the family name inside
#: those files (what the font program embedded in a PDF reports).
SHIPPED_FONT_FAMILY = "Pingshan Serif SC"

# Fixed labels of the document format, per document language. They are part of the document (like the
# letterhead), not interface strings: an issued PDF must not change with the reader's locale.
LABELS: dict[str, dict[str, str]] = {
    "zh-hans": {
        "html_lang": "zh-CN",
        "page_counter": '"第 " counter(page) " 页 / 共 " counter(pages) " 页"',
        "code": "核验码",
        "url": "核验网址",
        "hint": "扫码或访问核验网址，可核验本{kind}的真伪和当前状态。",
        "colon": "：",
    },
    "en": {
        "html_lang": "en",
        "page_counter": '"Page " counter(page) " of " counter(pages)',
        "code": "Verification code",
        "url": "Verify at",
        "hint": "Scan the code or visit the address to check that this document is genuine and in force.",
        "colon": ":",
    },
}
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class OpinionDocument:
    issuer_name: str  # e.g. "坪山区生物医药产业共治委员会"
    issuer_name_en: str  # may be ""
    number: str  # 文号 e.g. "坪生医共治〔2026〕3号"
    kind_label: str  # e.g. "专业评价意见"
    title: str
    addressee: str  # 主送 e.g. "坪山区科技创新局"
    body_html: str  # already sanitized HTML (p, h2, h3, ul, ol, li, strong, em, table, tr, td, th, br)
    signatories: tuple[str, ...]  # signature block lines
    issued_on: datetime.date
    verification_code: str  # e.g. "K7Q2-9XMD"
    verify_url: str  # absolute URL, e.g. "https://portal.example.gov.cn/verify/K7Q2-9XMD/"
    language: str = "zh-hans"


def render_opinion_pdf(document: OpinionDocument) -> bytes:
    """The opinion as PDF bytes (A4, fonts embedded and subset, text extractable)."""
    return _render(document, shipped_fonts())


def format_date(day: datetime.date, language: str = "zh-hans") -> str:
    """``2026年11月21日`` (GB/T 9704: Arabic numerals, no leading zeros); English: ``21 November 2026``."""
    if _language(language) == "en":
        return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def letterhead_font_size(issuer_name: str) -> int:
    """Point size that keeps the red issuer name on one line of the 156 mm text area (max 30 pt)."""
    # Full-width characters count 1, half-width 0.5; 0.06 em letter-spacing; 440 pt usable width.
    width = sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in issuer_name.strip()) or 1.0
    return max(16, min(30, int(440 / (width * 1.06))))


def qr_svg_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI (vector, so it stays sharp in print).

    Error correction M (15 %) survives a smudged print or a phone held at an angle; the 4-module
    quiet zone is part of the image so nothing printed next to it can disturb a scanner.
    """
    import segno

    return segno.make_qr(url, error="m").svg_data_uri(border=4, dark="#000")


def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix (True = dark, no quiet zone) of the QR code drawn for ``url``."""
    import segno

    return tuple(tuple(bool(v) for v in row) for row in segno.make_qr(url, error="m").matrix)


#: The title's line length in em of its own size: the 156 mm text area less the 1 em padding each side
#: (opinion.css ``.title``: 22 pt bold), 398 pt / 22 pt = 18.1 em, rounded down so no estimate overflows.
TITLE_MEASURE_EM = 18.0
#: What a break at a poor place (inside a word, as far as we can tell without a dictionary) costs, in em
#: of imbalance: a line one em longer is preferred to it.
_TITLE_BAD_BREAK_EM = 1.0
# Line-breaking rules for Chinese titles (禁则): an opening mark stays with what follows it, a closing
# mark or a pause with what precedes it.
_OPENING = "《（“‘〔【「『〈([{"
_CLOSING = "》）”’〕】」』〉)]}，。、；：！？,.;:!?…—·%"
_OPENING_WORD = "关于"  # "关于……的意见": a break after the opening 关于 reads naturally
_GOOD_BREAK_AFTER = "的和与及"
_LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-+/%]*")


def title_lines(title: str, language: str = "zh-hans") -> list[str]:
    """The title cut into balanced lines for the letter-like layout (GB/T 9704 7.3.1: centred, lines of
    similar length, never one character left alone on the last line).

    WeasyPrint has no ``text-wrap: balance`` and fills lines greedily, so a 19-character title came out as
    18 characters and then one. Here the fewest lines that hold the title are kept and the breaks chosen to
    make the longest line as short as possible, preferring breaks after 关于, 的, 和, 与, 及 or punctuation;
    widths are the advances of the shipped bold font. Each line is a block in the template, so if a line
    is ever wider than estimated WeasyPrint still wraps it rather than letting it overflow.
    """
    title = " ".join(title.split())
    units = _title_units(title, _language(language))
    widths = [_text_width(unit) for unit in units]
    if sum(widths) <= TITLE_MEASURE_EM or len(units) < 2:
        return [title] if title else []
    good = [_good_break(units, i) for i in range(len(units))]  # good[i]: a break after units[i] reads well
    lines = _fewest_lines(widths)
    breaks = _balanced_breaks(widths, good, lines)
    if breaks is None:  # a unit wider than the measure: leave the wrapping to WeasyPrint
        return [title]
    bounds = [0, *breaks, len(units)]
    return ["".join(units[a:b]).strip() for a, b in zip(bounds, bounds[1:], strict=False)]


def _title_units(title: str, language: str) -> list[str]:
    """The pieces a title line may break between: words (with their trailing space) in English;
    characters in Chinese, with Latin/digit runs kept whole and punctuation attached per the 禁则."""
    if language == "en":
        return re.findall(r"\S+\s*", title)
    units: list[str] = []
    pending_open = ""
    i = 0
    while i < len(title):
        latin = _LATIN_RUN.match(title, i)
        piece = latin.group() if latin else title[i]
        i += len(piece)
        if piece in _OPENING:
            pending_open += piece
        elif (piece in _CLOSING or piece.isspace()) and units:
            units[-1] += piece
        else:
            units.append(pending_open + piece)
            pending_open = ""
    if pending_open:
        units.append(pending_open)
    return units


def _good_break(units: list[str], index: int) -> bool:
    unit = units[index].rstrip()
    if not unit or not unit[-1] >= "\u2e80":  # Latin words break between themselves
        return True
    if unit[-1] in _CLOSING or (index + 1 < len(units) and units[index + 1][0] in _OPENING):
        return True
    return unit[-1] in _GOOD_BREAK_AFTER or "".join(units[: index + 1]) == _OPENING_WORD


def _fewest_lines(widths: list[float]) -> int:
    lines, used = 1, 0.0
    for width in widths:
        if used and used + width > TITLE_MEASURE_EM:
            lines, used = lines + 1, 0.0
        used += width
    return lines


def _balanced_breaks(widths: list[float], good: list[bool], lines: int) -> list[int] | None:
    """Break positions giving ``lines`` lines whose longest is shortest (plus a cost per poor break).

    For each candidate longest width (half-em steps up to the measure), a small dynamic programme finds
    the fewest poor breaks that keep every line within it; the best total of the two wins.
    """
    prefix = [0.0]
    for width in widths:
        prefix.append(prefix[-1] + width)
    count = len(widths)
    best: tuple[float, float, list[int]] | None = None
    limit = max(prefix[-1] / lines, max(widths))
    while limit <= TITLE_MEASURE_EM + 1e-9:
        found = _fewest_poor_breaks(prefix, good, lines, limit)
        if found is not None:
            poor, breaks = found
            bounds = [0, *breaks, count]
            longest = max(prefix[b] - prefix[a] for a, b in zip(bounds, bounds[1:], strict=False))
            spread = sum((prefix[b] - prefix[a]) ** 2 for a, b in zip(bounds, bounds[1:], strict=False))
            key = (longest + _TITLE_BAD_BREAK_EM * poor, spread, breaks)
            if best is None or key[:2] < best[:2]:
                best = key
        limit += 0.5
    return best[2] if best else None


def _fewest_poor_breaks(
    prefix: list[float], good: list[bool], lines: int, limit: float
) -> tuple[int, list[int]] | None:
    """(poor breaks, break positions) of a split into exactly ``lines`` lines none wider than ``limit``."""
    count = len(prefix) - 1
    inf = (count + 1, [])
    # cost[k][i]: the best split of the first i units into k lines.
    cost = [[inf] * (count + 1) for _ in range(lines + 1)]
    cost[0][0] = (0, [])
    for k in range(1, lines + 1):
        for i in range(1, count + 1):
            for j in range(i - 1, -1, -1):
                if prefix[i] - prefix[j] > limit + 1e-9:
                    break
                poor, breaks = cost[k - 1][j]
                if poor > count or (j == 0) != (k == 1):
                    continue
                total = poor + (0 if j == 0 or good[j - 1] else 1)
                if total < cost[k][i][0]:
                    cost[k][i] = (total, [*breaks, j] if j else [])
    poor, breaks = cost[lines][count]
    return None if poor > count else (poor, breaks)


@cache
def _advances() -> dict[int, float]:
    """Advance width (em) of every character in the shipped bold font, the one titles are set in."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS_DIR / "PingshanSerifSC-Bold.woff2", lazy=True)
    metrics = font["hmtx"].metrics
    per_em = font["head"].unitsPerEm
    return {codepoint: metrics[glyph][0] / per_em for codepoint, glyph in font.getBestCmap().items()}


def _text_width(text: str) -> float:
    advances = _advances()
    # A character outside the subset comes from the system CJK font: full width, or a wide Latin guess.
    return sum(advances.get(ord(ch), 1.0 if ch >= "\u2e80" else 0.7) for ch in text)


# -- internals ---------------------------------------------------------------------------------------


@dataclass
class FontSetup:
    """A FontConfiguration and the stylesheets parsed against it (reused across renders)."""

    font_config: Any
    stylesheets: list[Any]
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: The @font-face rules alone, for other documents set in the shipped font (the fund's evaluation report)
    #: without the opinion's layout; parsed once, against ``font_config``.
    faces: Any = None


@cache
def shipped_fonts() -> FontSetup:
    """The production set-up: the shipped subset font, parsed once per process."""
    from weasyprint import CSS

    if not harfbuzz_subset_available():
        logger.warning(
            "libharfbuzz-subset (>= 4.1) is missing: WeasyPrint falls back to fontTools and each opinion "
            "PDF takes seconds instead of ~0.2 s. Install the Debian package libharfbuzz-subset0."
        )
    font_config = _new_font_config()
    fetcher = _LocalOnlyFetcher()
    faces = CSS(filename=FONTS_CSS, font_config=font_config, url_fetcher=fetcher)
    return FontSetup(
        font_config=font_config,
        stylesheets=[faces, CSS(filename=LAYOUT_CSS, font_config=font_config, url_fetcher=fetcher)],
        faces=faces,
    )


def harfbuzz_subset_available() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz (fast) rather than fontTools (~4 s per PDF here)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def system_font_setup(family: str = "Noto Serif CJK SC") -> FontSetup:
    """The same layout with an installed system font instead of the shipped subset.

    For comparisons (``tests/benchmarks/bench_opinion_pdf.py``); production uses :func:`shipped_fonts`.
    """
    from weasyprint import CSS

    font_config = _new_font_config()
    fetcher = _LocalOnlyFetcher()
    return FontSetup(
        font_config=font_config,
        stylesheets=[
            CSS(filename=LAYOUT_CSS, font_config=font_config, url_fetcher=fetcher),
            CSS(
                string=f'@page {{ font-family: "{family}"; }} html {{ font-family: "{family}"; }}',
                font_config=font_config,
                url_fetcher=fetcher,
            ),
        ],
    )


def _new_font_config():
    """A FontConfiguration whose temporary font folder is removed at exit.

    WeasyPrint removes it in ``__del__``, which for a module-level object runs during interpreter
    shutdown, after ``shutil`` is gone (an "Exception ignored" traceback). Clean up while Python still
    works, then ``__del__`` has nothing left to do.
    """
    import atexit
    import shutil

    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()

    def cleanup():
        if font_config._folder:
            shutil.rmtree(font_config._folder, ignore_errors=True)
            font_config._folder = None

    atexit.register(cleanup)
    return font_config


def build_html(document: OpinionDocument) -> str:
    """The HTML the PDF is made from (Django template ``opinions/pdf/opinion.html``)."""
    from django.template.loader import render_to_string

    language = _language(document.language)
    labels = LABELS[language]
    context = {
        "doc": document,
        "labels": labels,
        "html_lang": labels["html_lang"],
        "page_counter_css": labels["page_counter"],
        "hint": labels["hint"].format(kind=document.kind_label or ""),
        "issued_on_text": format_date(document.issued_on, language),
        "issued_on_iso": document.issued_on.isoformat(),
        "qr_data_uri": qr_svg_data_uri(document.verify_url),
        "signatories": [line for line in document.signatories if line.strip()],
        "letterhead_pt": letterhead_font_size(document.issuer_name),
        "title_lines": title_lines(document.title, document.language),
    }
    return render_to_string(PDF_TEMPLATE, context)


def _render(document: OpinionDocument, fonts: FontSetup) -> bytes:
    from weasyprint import HTML

    html = HTML(string=build_html(document), base_url=str(PDF_TEMPLATE_DIR), url_fetcher=_LocalOnlyFetcher())
    with fonts.lock:
        return html.write_pdf(
            stylesheets=fonts.stylesheets,
            font_config=fonts.font_config,
            # Stable bytes for the same document (WeasyPrint would otherwise derive the ID from time).
            pdf_identifier=_pdf_identifier(document),
            pdf_version="1.7",
            uncompressed_pdf=False,
            optimize_images=False,  # the only image is the QR code, already vector
            full_fonts=False,  # subset again to the glyphs used: keeps the PDF small
            hinting=False,
        )


def _language(language: str) -> str:
    language = (language or "zh-hans").lower()
    return "en" if language.startswith("en") else "zh-hans"


def _pdf_identifier(document: OpinionDocument) -> bytes:
    import hashlib

    key = "\x1f".join((document.number, document.verification_code, document.issued_on.isoformat()))
    return hashlib.md5(key.encode(), usedforsecurity=False).hexdigest().encode()


def _make_fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Fetch ``data:`` URLs and files inside this app only: never the network, never other files.

        The body HTML is sanitised upstream; this is the second fence, so an ``<img src>`` or a CSS
        ``url()`` that slipped through cannot make the server fetch a URL or read a local file.
        """

        def __init__(self):
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, timeout=2)

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
                if not (path.is_relative_to(FONTS_DIR) or path.is_relative_to(PDF_TEMPLATE_DIR)):
                    raise ValueError(f"refusing to read {url} while rendering an opinion")
            return super().fetch(url, headers)

    return LocalOnlyFetcher


@cache
def _fetcher_class():
    return _make_fetcher_class()


def _LocalOnlyFetcher():  # noqa: N802 - reads like the class it builds
    return _fetcher_class()()


def local_only_fetcher():
    """A URL fetcher for other PDFs made here: ``data:`` URLs and this app's fonts and PDF templates only."""
    return _LocalOnlyFetcher()
