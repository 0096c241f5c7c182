"""Views of the fund's performance data: the workbook of what is recorded, the template, and importing a workbook
(upload, dry-run preview, apply). Only the fund's managers reach these (``can_import_performance``); others get 404.
"""

from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.calls import REFUSED, call_service, call_with_form
from portal.i18n import in_reader_language
from portal.money import yuan

from .. import permissions
from ..forms.performance_data import PerformanceImportForm
from ..models import ExitKind, PerformanceImport, ValuationMethod
from ..performance import datasheets
from ..services import performance_data as services
from ..services.performance_plan import CREATE, REFUSE, SAME, UPDATE
from .common import fund_for, xlsx_download

ROWS_PER_PAGE = 200
OUTCOMES = {
    CREATE: (pgettext_lazy("import outcome", "Will be added"), "good"),
    UPDATE: (pgettext_lazy("import outcome", "Will be changed"), "warn"),
    SAME: (pgettext_lazy("import outcome", "Unchanged"), "plain"),
    REFUSE: (pgettext_lazy("import outcome", "Refused"), "bad"),
}
SHOWN = {"all": None, "refused": REFUSE, "changes": (CREATE, UPDATE)}


def _money(text):
    try:
        return yuan(Decimal(text)) if text else ""
    except InvalidOperation:
        return text


def _label(choices, value):
    return dict(choices.choices).get(value, value) if value else ""


def _what(sheet, values) -> list:
    """A row's content as short phrases in the reader's language (the template joins them)."""
    if sheet == "flows":
        phrases = [_label(datasheets.FlowType, values.get("type")), values.get("date", "")]
        if values.get("tranche"):
            phrases.append(pgettext("tranche number", "tranche %(number)s") % {"number": values["tranche"]})
        phrases.append(_money(values.get("amount", "")))
        phrases.append(_label(ExitKind, values.get("exit_kind")))
    elif sheet == "valuations":
        phrases = [
            values.get("date", ""),
            _money(values.get("value", "")),
            _label(ValuationMethod, values.get("method")),
        ]
    elif sheet == "kpis":
        phrases = [f"{values.get('period_start', '')} – {values.get('period_end', '')}"]
        if values.get("revenue"):
            phrases.append(_("revenue %(amount)s") % {"amount": _money(values["revenue"])})
        if values.get("headcount"):
            phrases.append(_("%(count)s staff") % {"count": values["headcount"]})
    else:
        phrases = [values.get("date", ""), values.get("level", "")]
    return [str(phrase) for phrase in phrases if phrase]


def _before(sheet, before) -> list:
    if not before:
        return []
    if "amount" in before:
        return [str(phrase) for phrase in (before.get("date", ""), _money(before["amount"])) if phrase]
    if "value" in before:
        return [_money(before["value"]), str(_label(ValuationMethod, before.get("method")))]
    if "level" in before:
        return [before["level"]]
    return [_money(before.get("revenue", ""))] if before.get("revenue") else []


def _shown(row) -> dict:
    label, tone = OUTCOMES[row["outcome"]]
    return {
        "sheet": datasheets.BY_KEY[row["sheet"]].name,
        "line": row["line"],
        "outcome": label,
        "tone": tone,
        "label": row["label"] or row["values"].get("uscc") or row["values"].get("lp") or row["values"].get("index", ""),
        "what": _what(row["sheet"], row["values"]),
        "before": _before(row["sheet"], row["before"]) if row["outcome"] == UPDATE else [],
        "reasons": [in_reader_language(reason) for reason in row["reasons"]],
        # A refused row adds nothing, so what it would have added ("a new index") is not said.
        "notes": [] if row["outcome"] == REFUSE else [in_reader_language(note) for note in row["notes"]],
    }


@login_required
@require_GET
def performance_data_export(request, fund):
    fund = fund_for(request, fund, permissions.can_import_performance)
    data = call_service(request, services.export_data, fund=fund)
    if data is REFUSED:
        return redirect("funds:performance", fund=fund.slug)
    name = f"{pgettext('file name', 'performance-data')}-{fund.slug}-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_download(data, name, f"performance-data-{fund.slug}.xlsx")


@login_required
@require_GET
def performance_import_template(request, fund):
    fund_for(request, fund, permissions.can_import_performance)
    name = f"{pgettext('file name', 'performance-data')}-{pgettext('file name', 'template')}.xlsx"
    return xlsx_download(datasheets.build_template(), name, "performance-data-template.xlsx")


@login_required
def performance_import(request, fund):
    """Upload a workbook: the service reads and checks it, and the preview says what applying it would do."""
    fund = fund_for(request, fund, permissions.can_import_performance)
    posted = request.method == "POST"
    form = PerformanceImportForm(request.POST if posted else None, request.FILES if posted else None)
    data_import = call_with_form(request, form, services.preview_import, fund=fund)
    if data_import is not REFUSED:
        return redirect(services.preview_url(data_import))
    imports = PerformanceImport.objects.filter(fund=fund).select_related("uploaded_by")[:10]
    context = {"fund": fund, "form": form, "imports": imports, "active": "performance"}
    return render(request, "funds/performance/data_import.html", context)


def _import_for(request, fund_slug, pk):
    fund = fund_for(request, fund_slug, permissions.can_import_performance)
    return get_object_or_404(PerformanceImport.objects.select_related("fund", "uploaded_by"), fund=fund, pk=pk)


@login_required
@require_GET
def performance_import_preview(request, fund, pk):
    data_import = _import_for(request, fund, pk)
    preview = data_import.preview
    show = request.GET.get("show") if request.GET.get("show") in SHOWN else "all"
    rows = preview.get("rows", [])
    if SHOWN[show]:
        rows = [row for row in rows if row["outcome"] in SHOWN[show]]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    counts = preview.get("counts", {})
    context = {
        "fund": data_import.fund,
        "data_import": data_import,
        "counts": counts,
        "ignored": preview.get("ignored", []),
        "page_obj": page,
        "rows": [_shown(row) for row in page.object_list],
        "show": show,
        "extra_query": f"show={show}" if show != "all" else "",
        "may_apply": data_import.applied_at is None and not counts.get(REFUSE),
        "changes": counts.get(CREATE, 0) + counts.get(UPDATE, 0),
        "active": "performance",
    }
    return render(request, "funds/performance/data_preview.html", context)


@login_required
@require_POST
def performance_import_apply(request, fund, pk):
    data_import = _import_for(request, fund, pk)
    call_service(
        request, services.apply_import, success=_("The performance data was imported."), data_import=data_import
    )
    return redirect(services.preview_url(data_import))


urlpatterns = [
    path("<slug:fund>/performance/data/", performance_import, name="performance_import"),
    path("<slug:fund>/performance/data/export.xlsx", performance_data_export, name="performance_data_export"),
    path("<slug:fund>/performance/data/template.xlsx", performance_import_template, name="performance_import_template"),
    path("<slug:fund>/performance/data/<int:pk>/", performance_import_preview, name="performance_import_preview"),
    path("<slug:fund>/performance/data/<int:pk>/apply/", performance_import_apply, name="performance_import_apply"),
]
