"""The annual evaluation report as a PDF (WeasyPrint): cover, summary, indicator table, charts, recommendations and
the per-deal appendix, all read from the evaluation's snapshot, in the reader's language (the active one).

The fonts are the opinions' (``portal.opinions.rendering``): the shipped GB 2312 subset, parsed once per process,
its font configuration shared and therefore rendered under its lock; nothing is fetched but ``data:`` URLs. The
charts are the same SVG as the evaluation's page (``charts.evaluation``), placed inline; their labels are glyph
paths, so they need no font here.
"""

import hashlib
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext_lazy

from portal.opinions.rendering import LABELS, format_date, local_only_fetcher, shipped_fonts

from ..models import Grade
from . import charts
from .display import MONEY, MULTIPLE, RATE, SCORE, localized, show
from .report import evaluation_view

TEMPLATE = "funds/performance/report_pdf.html"
OPINION_BODY = "funds/performance/opinion_body.html"

# The grade in one word for the cover: the model's labels carry both languages ("良 (good)").
GRADE_WORDS = {
    Grade.EXCELLENT: pgettext_lazy("grade", "Excellent"),
    Grade.GOOD: pgettext_lazy("grade", "Good"),
    Grade.FAIR: pgettext_lazy("grade", "Fair"),
    Grade.POOR: pgettext_lazy("grade", "Poor"),
}


def _language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh-hans"


def grade_word(grade) -> str:
    return str(GRADE_WORDS[grade]) if grade in GRADE_WORDS else "—"


def _deal_rows(snapshot) -> list[dict]:
    rows = []
    for deal in snapshot.get("deals", []):
        irr_note = deal.get("irr_note") or {}  # why the IRR is "—" (no sign change, several roots)
        rows.append(
            {
                "company": deal.get("company", ""),
                "invested": show(deal.get("invested"), MONEY),
                "realized": show(deal.get("realized"), MONEY),
                "nav": show(deal.get("nav"), MONEY),
                "moic": show(deal.get("moic"), MULTIPLE),
                "irr": show(deal.get("irr"), RATE),
                "irr_note": localized(irr_note),
            }
        )
    return rows


def _previous(previous) -> dict | None:
    """Last year's total and grade, when an earlier year of the fund was computed."""
    if previous is None or not previous.is_computed:
        return None
    return {"year": previous.year, "total": show(previous.total, SCORE), "grade": grade_word(previous.grade)}


def earlier_evaluation(indicator_set):
    """The fund's latest computed evaluation of a year before ``indicator_set``'s (for the comparison), or None."""
    from ..models import PerformanceEvaluation

    return (
        PerformanceEvaluation.objects.filter(
            indicator_set__fund=indicator_set.fund, indicator_set__year__lt=indicator_set.year
        )
        .exclude(computed_at=None)
        .select_related("indicator_set")
        .order_by("-indicator_set__year")
        .first()
    )


def summary(evaluation, previous=None) -> dict:
    """The result, groups, key figures, indicator rows and recommendations (the report's and the opinion's)."""
    snapshot = evaluation.snapshot
    language = _language()
    bonus = snapshot.get("bonus")
    return {
        "evaluation": evaluation,
        "fund": evaluation.indicator_set.fund,
        "indicator_set": evaluation.indicator_set,
        "year": evaluation.year,
        "as_of_text": format_date(evaluation.as_of, language),
        "grade": grade_word(evaluation.grade),
        "total": show(evaluation.total, SCORE),
        "bonus": show(bonus, SCORE),
        "has_bonus": bool(bonus) and Decimal(bonus) != 0,
        "view": evaluation_view(snapshot, previous.snapshot if previous is not None and previous.is_computed else None),
        "previous": _previous(previous),
        "recommendations": [line.strip() for line in evaluation.recommendations.splitlines() if line.strip()],
        "panel_pending": snapshot.get("panel_pending", False),
    }


def context(evaluation, previous=None) -> dict:
    """What the report's template reads: the summary, the charts and the per-deal appendix."""
    language = _language()
    return {
        **summary(evaluation, previous),
        "html_lang": LABELS[language]["html_lang"],
        "page_counter_css": LABELS[language]["page_counter"],
        "charts": charts.evaluation(evaluation.snapshot),
        "deals": _deal_rows(evaluation.snapshot),
    }


def opinion_body(evaluation, previous=None) -> str:
    """The report as an opinion's body: sanitizable HTML (tables and paragraphs, no charts), in the active language."""
    return render_to_string(OPINION_BODY, summary(evaluation, previous)).strip()


def build_html(evaluation, previous=None) -> str:
    return render_to_string(TEMPLATE, context(evaluation, previous))


def render_report_pdf(evaluation, previous=None) -> bytes:
    """The report as PDF bytes, in the active language. ``evaluation`` must be computed."""
    from weasyprint import HTML

    fonts = shipped_fonts()
    html = HTML(string=build_html(evaluation, previous), url_fetcher=local_only_fetcher())
    with fonts.lock:  # the shared font configuration is not thread-safe
        return html.write_pdf(
            stylesheets=[fonts.faces],
            font_config=fonts.font_config,
            pdf_identifier=_identifier(evaluation),
            pdf_version="1.7",
            full_fonts=False,
            hinting=False,
        )


def filename(evaluation) -> str:
    return f"performance-{evaluation.indicator_set.fund.slug}-{evaluation.year}.pdf"


def _identifier(evaluation) -> bytes:
    # The same computed evaluation gives the same document identifier in each language.
    key = f"{evaluation.pk}\x1f{evaluation.computed_at}\x1f{_language()}"
    return hashlib.md5(key.encode(), usedforsecurity=False).hexdigest().encode()
