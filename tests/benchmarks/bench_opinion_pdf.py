"""Opinion PDF rendering: the shipped subset font against the system Noto CJK collection.

Run either way (both print the same figures; neither asserts a timing):

    make bench                                          # all of them, one table (run.py)
    .venv/bin/python tests/benchmarks/bench_opinion_pdf.py

Renders the three-page sample opinion of tests/test_opinions_pdf.py 1 warm-up + 7 timed times with
the shipped font (portal/opinions/fonts), then 1 warm-up + 3 timed times with the same layout set in
the installed "Noto Serif CJK SC", and prints median/min/max, the ratio and the PDF sizes; then signs
the shipped-font PDF 1 + 3 times. Last, once each, both fonts as WeasyPrint renders them when
libharfbuzz-subset is missing (fontTools subsetting; ~20 s together; BENCH_SKIP_FONTTOOLS=1 skips it).
Pure rendering: no database.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

from benchtools import report

ROOT = Path(__file__).resolve().parents[2]
SUBSET_RUNS = 7
SYSTEM_RUNS = 3
SIGN_RUNS = 3


def _setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _timed(function, runs: int) -> tuple[list[float], object]:
    function()  # warm-up
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return timings, result


def _summary(timings: list[float]) -> str:
    return (
        f"median {statistics.median(timings):.3f} s  min {min(timings):.3f} s  max {max(timings):.3f} s  "
        f"({len(timings)} runs)"
    )


def _check_pdf(pdf: bytes, pages: int = 3) -> None:
    import pypdf

    assert pdf.startswith(b"%PDF-"), "not a PDF"
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == pages, "unexpected page count"


def _with_fonttools_subsetting(function):
    """Run ``function`` as WeasyPrint behaves without libharfbuzz-subset (it subsets with fontTools)."""
    import logging

    import weasyprint.pdf.fonts as pdf_fonts

    saved, logger = pdf_fonts.harfbuzz_subset, logging.getLogger("weasyprint")
    level = logger.level
    pdf_fonts.harfbuzz_subset = None
    logger.setLevel(logging.ERROR)  # its "Using fontTools instead of HarfBuzz-Subset" warning, per font
    try:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start
    finally:
        pdf_fonts.harfbuzz_subset = saved
        logger.setLevel(level)


def run(out=print) -> dict[str, float]:
    _setup_django()
    from portal.opinions import rendering, signing
    from tests.test_opinions_pdf import sample_opinion

    document = sample_opinion()

    start = time.perf_counter()
    rendering.render_opinion_pdf(document)
    cold = time.perf_counter() - start

    subset_times, subset_pdf = _timed(lambda: rendering.render_opinion_pdf(document), SUBSET_RUNS)
    _check_pdf(subset_pdf)

    system = rendering.system_font_setup("Noto Serif CJK SC")
    system_times, system_pdf = _timed(lambda: rendering._render(document, system), SYSTEM_RUNS)
    _check_pdf(system_pdf)

    sign_times, signed_pdf = _timed(lambda: signing.sign_pdf(subset_pdf), SIGN_RUNS)
    assert signing.verify_pdf_signature(signed_pdf).ok

    subset_median = statistics.median(subset_times)
    system_median = statistics.median(system_times)
    out("")
    out("Opinion PDF, 3 pages (tests/test_opinions_pdf.py sample)")
    out(f"  first render in this process (loads fonts): {cold:.3f} s")
    out(f"  shipped subset font:   {_summary(subset_times)}  PDF {len(subset_pdf) / 1024:.1f} KB")
    out(f"  system Noto Serif CJK: {_summary(system_times)}  PDF {len(system_pdf) / 1024:.1f} KB")
    out(f"  ratio system/subset (median): {system_median / subset_median:.1f}x")
    out(f"  signing (PAdES, pyHanko):     {_summary(sign_times)}  signed PDF {len(signed_pdf) / 1024:.1f} KB")
    if not rendering.harfbuzz_subset_available():
        out("  (libharfbuzz-subset is NOT installed: the figures above already use fontTools)")
    elif not os.environ.get("BENCH_SKIP_FONTTOOLS"):
        subset_ft = _with_fonttools_subsetting(lambda: rendering.render_opinion_pdf(document))
        system_ft = _with_fonttools_subsetting(lambda: rendering._render(document, system))
        out(f"  without libharfbuzz-subset (fontTools, 1 run each): subset {subset_ft:.2f} s, system {system_ft:.2f} s")
    name = "opinion PDF, 3 pages: median render"
    report(name, subset_median, "s", target=0.5, variant="shipped subset font")
    report(name, system_median, "s", variant="system Noto Serif CJK")
    report("opinion PDF: system font / shipped font (medians)", system_median / subset_median, "x")
    report("opinion PDF, 3 pages: size", len(subset_pdf) / 1024, "KB", target=300, variant="shipped subset font")
    return {
        "subset_median": subset_median,
        "system_median": system_median,
        "ratio": system_median / subset_median,
        "subset_size": len(subset_pdf),
        "system_size": len(system_pdf),
        "signed_size": len(signed_pdf),
    }


def test_opinion_pdf_benchmark():
    """Prints the figures (run with -s to see them); asserts only that the PDFs are valid."""
    run()


if __name__ == "__main__":
    run()
