#!/usr/bin/env python3
"""Build the pre-subset CJK fonts that the opinion PDFs embed.

WeasyPrint re-subsets every font it embeds. Handed the Debian Noto Serif CJK collection
(65 535 glyphs per face, ~26 MB per file) that costs about five seconds per document; handed a
font that already holds only the characters of GB 2312 it costs a few milliseconds.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python scripts/build-cjk-font.py            # writes portal/opinions/fonts/*.woff2
    .venv/bin/python scripts/build-cjk-font.py --check    # rebuilds in memory, fails if the files differ

Source: Debian's ``fonts-noto-cjk`` (``/usr/share/fonts/opentype/noto/NotoSerifCJK-{Regular,Bold}.ttc``),
face 2 of each collection (Simplified Chinese). Output: one WOFF2 per weight, renamed "Pingshan Serif SC"
(the SIL OFL 1.1 lets us modify and redistribute; "Noto" is a Google trademark, so the modified
version carries its own name and the README credits the original).

Characters kept:

* every valid two-byte code point of GB 2312 (rows 1–9 symbols, level 1 and level 2 hanzi:
  7 445 characters, decoded with Python's ``gb2312`` codec);
* printable ASCII and Latin-1, general punctuation, CJK symbols and punctuation, full-width and
  half-width forms, enclosed numbers (①–⑳, ㈠–㈩, ⑴–⒇), arrows, letter-like symbols (℃, №, ™) and a few
  mathematical operators;
* a short list of characters outside GB 2312 that turn up in names of people, firms and places
  (``EXTRA_HANZI`` below). Add to it when a document needs more; characters missing from the subset
  fall back to whatever CJK font fontconfig finds on the machine (slow: see the README).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "portal" / "opinions" / "fonts"
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
SC_FONT_NUMBER = 2  # order in the Debian .ttc: JP, KR, SC, TC, HK

FAMILY = "Pingshan Serif SC"
WEIGHTS = {
    # style name: (source collection, output file, PostScript name, OS/2 weight class)
    "Regular": ("NotoSerifCJK-Regular.ttc", "PingshanSerifSC-Regular.woff2", "PingshanSerifSC-Regular", 400),
    "Bold": ("NotoSerifCJK-Bold.ttc", "PingshanSerifSC-Bold.woff2", "PingshanSerifSC-Bold", 700),
}

# Outside GB 2312 but common in names of people, firms and places (given names, Cantonese surnames such
# as 禤, Shenzhen place names such as 塱 and 埗). Every one of them is checked to be outside GB 2312.
EXTRA_HANZI = (
    "喆堃赟玥珺彧犇镕昇旻瑄璟浛溍淏翀翚垚堉琤曌晞頔峣谞閤洺湉渼濬蒨芃"
    "燚嫚琇珣璠瑀祎禕颋曈汭湜溦玹珅琍琎瑒昉暐楙祐禤邨埗塱瑢瑆玙璘龑䶮婳妘姞媞琲琸瑨萩"
)

EXTRA_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement (·, ×, ÷, °, ±, §, ©, ®)
    (0x2000, 0x206F),  # general punctuation (— – … ‰ ‘ ’ “ ” • ※)
    (0x2100, 0x214F),  # letter-like symbols (℃ № ™ ℉)
    (0x2150, 0x218F),  # number forms (Ⅰ–Ⅻ, ⅰ–ⅻ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (present ones only)
    (0x2460, 0x24FF),  # enclosed alphanumerics (①–⑳, ⑴–⒇, ⒈–⒛)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (■ □ ▲ △ ◆ ◇ ○ ●)
    (0x2600, 0x26FF),  # miscellaneous symbols (★ ☆ ☑ ☐)
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。〈〉《》「」『』【】〔〕〖〗)
    (0x3200, 0x32FF),  # enclosed CJK letters and months (㈠–㈩)
    (0x3300, 0x33FF),  # CJK compatibility (㎡ ㎏ ㎎ ㎝ ㎞)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)


def gb2312_characters() -> set[str]:
    """Every character with a valid two-byte GB 2312 (EUC-CN) code."""
    chars = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def wanted_codepoints() -> set[int]:
    codepoints = {ord(c) for c in gb2312_characters()}
    codepoints |= {ord(c) for c in EXTRA_HANZI}
    for start, end in EXTRA_RANGES:
        codepoints |= set(range(start, end + 1))
    # Python's gb2312 codec maps 0xA1AA/0xA1A4 to U+2015/U+30FB; documents use U+2014 and U+00B7.
    codepoints |= {0x2014, 0x00B7, 0x2015, 0x30FB}
    return codepoints


def rename(font: TTFont, style: str, postscript_name: str, weight_class: int) -> None:
    """Give the modified font its own name; keep the copyright and licence records."""
    name = font["name"]
    original = name.getDebugName(4)
    version = name.getDebugName(5) or ""
    keep = {0, 7, 8, 9, 11, 12, 13, 14}
    name.names = [record for record in name.names if record.nameID in keep]
    full_name = FAMILY if style == "Regular" else f"{FAMILY} {style}"
    for name_id, value in (
        (1, FAMILY),
        (2, style),
        (3, f"{postscript_name};{version.split(';')[0]}"),
        (4, full_name),
        (5, f"{version.split(';')[0]}; GB 2312 subset of {original} for the Pingshan portal"),
        (6, postscript_name),
        (16, FAMILY),
        (17, style),
    ):
        name.setName(value, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, en-US
        name.setName(value, name_id, 1, 0, 0)  # Macintosh, Roman, English
    font["OS/2"].usWeightClass = weight_class
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0b1100001) | (0b100000 if style == "Bold" else 0b1000000)
    font["head"].macStyle = 1 if style == "Bold" else 0
    cff = font["CFF "].cff
    cff.fontNames = [postscript_name]
    top = cff.topDictIndex[0]
    top.FullName = full_name
    top.FamilyName = FAMILY
    if hasattr(top, "ROS"):  # CID-keyed: the FontName lives in the top dict's CIDFontName too
        top.CIDFontName = postscript_name


def build(style: str) -> tuple[str, bytes]:
    source, out_name, postscript_name, weight_class = WEIGHTS[style]
    font = TTFont(NOTO_DIR / source, fontNumber=SC_FONT_NUMBER, lazy=False, recalcTimestamp=False)
    options = subset.Options()
    # Horizontal Chinese and Latin text needs no substitutions; keeping "locl"/"ccmp" would pull in the
    # Japanese/Korean/Traditional glyph variants (twice the glyphs for nothing).
    options.layout_features = ["kern"]
    options.drop_tables += ["BASE", "VORG", "vhea", "vmtx", "DSIG"]
    options.hinting = False  # WeasyPrint strips hints when embedding anyway
    options.desubroutinize = False  # subroutines keep the CFF small; WeasyPrint desubroutinizes its subset
    options.name_IDs = ["*"]
    options.name_languages = [0x409, 0]
    options.notdef_outline = True
    options.recalc_bounds = True
    options.flavor = "woff2"
    subsetter = subset.Subsetter(options)
    cmap = font.getBestCmap()
    subsetter.populate(unicodes=[cp for cp in sorted(wanted_codepoints()) if cp in cmap])
    subsetter.subset(font)
    rename(font, style, postscript_name, weight_class)
    font.flavor = "woff2"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    return out_name, buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the shipped files are not what a build makes")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"output folder (default {OUT_DIR})")
    args = parser.parse_args(argv)
    for source, *_ in WEIGHTS.values():
        if not (NOTO_DIR / source).exists():
            print(f"{NOTO_DIR / source} is missing: apt-get install fonts-noto-cjk", file=sys.stderr)
            return 2
    status = 0
    args.out.mkdir(parents=True, exist_ok=True)
    for style in WEIGHTS:
        out_name, data = build(style)
        target = args.out / out_name
        digest = hashlib.sha256(data).hexdigest()[:16]
        if args.check:
            same = target.exists() and target.read_bytes() == data
            print(f"{out_name}: {'up to date' if same else 'DIFFERS'} ({len(data):,} bytes, sha256 {digest}…)")
            status |= 0 if same else 1
        else:
            target.write_bytes(data)
            print(
                f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
                f"{len(data):,} bytes, sha256 {digest}…"
            )
    return status


if __name__ == "__main__":
    sys.exit(main())
