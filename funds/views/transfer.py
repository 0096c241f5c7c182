"""Views of the fund: the pipeline table's Excel export, and importing a deal list (upload, dry-run preview, apply).

Only the fund's managers reach these (``can_export_deals`` / ``can_import_deals``); anyone else gets a 404.
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

from portal.accounts.twofactor import reverify_first
from portal.calls import REFUSED, call_service, call_with_form
from portal.i18n import in_reader_language

from .. import deal_lists, permissions
from ..filters import DealFilter, deals_of
from ..forms.transfer import DealImportForm
from ..models import DealImport, DealSource, DealStage, DevelopmentStage, Round, Subsector
from ..services import transfer as services
from .common import fund_for, xlsx_download

ROWS_PER_PAGE = 200
OUTCOMES = {
    services.CREATE: (pgettext_lazy("import outcome", "Will be added"), "good"),
    services.UPDATE: (pgettext_lazy("import outcome", "Will be changed"), "warn"),
    services.REFUSE: (pgettext_lazy("import outcome", "Refused"), "bad"),
}
LABELS = {
    "round": Round,
    "source": DealSource,
    "stage": DealStage,
    "subsector": Subsector,
    "development_stage": DevelopmentStage,
}


@login_required
@require_GET
@reverify_first  # personal data leaves the portal: a recent second factor for who uses one
def deal_export(request, fund):
    """The deals the pipeline table shows for the same query string, as a workbook in the reader's language."""
    fund = fund_for(request, fund, permissions.can_export_deals)
    deals = DealFilter(request.GET, queryset=deals_of(fund), fund=fund).qs
    query = request.GET.urlencode()
    data = call_service(request, services.export_deals, fund=fund, deals=deals, query=query)
    if data is REFUSED:
        return redirect("funds:pipeline", fund=fund.slug)
    name = f"{pgettext('spreadsheet sheet name', 'Deals')}-{fund.slug}-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_download(data, name, f"deals-{fund.slug}.xlsx")


@login_required
@require_GET
def deal_import_template(request, fund):
    fund = fund_for(request, fund, permissions.can_import_deals)
    name = f"{pgettext('spreadsheet sheet name', 'Deals')}-{pgettext('file name', 'template')}.xlsx"
    return xlsx_download(deal_lists.build_template(), name, "deal-list-template.xlsx")


@login_required
def deal_import(request, fund):
    """Upload a deal list: the service reads and checks it, and the preview says what applying it would do."""
    fund = fund_for(request, fund, permissions.can_import_deals)
    posted = request.method == "POST"  # an empty POST is still a POST: the form says what is missing
    form = DealImportForm(request.POST if posted else None, request.FILES if posted else None)
    deal_import = call_with_form(request, form, services.preview_import, fund=fund)
    if deal_import is not REFUSED:
        return redirect(services.preview_url(deal_import))
    imports = DealImport.objects.filter(fund=fund).select_related("uploaded_by")[:10]
    context = {"fund": fund, "form": form, "imports": imports}
    return render(request, "funds/transfer/import.html", context)


def _import_for(request, fund_slug, pk):
    fund = fund_for(request, fund_slug, permissions.can_import_deals)
    return get_object_or_404(DealImport.objects.select_related("fund", "uploaded_by"), fund=fund, pk=pk)


def _amount(text):
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _shown(row) -> dict:
    """A preview row as the page shows it: labels and reasons in the reader's language, amounts as amounts, and for
    a deal that would change, what it has now where the row changes it."""
    values, before = row["values"], row["before"]
    label, tone = OUTCOMES[row["outcome"]]
    shown = {
        "line": row["line"],
        "outcome": label,
        "tone": tone,
        "company": row["company_name"],
        "new_company": row["new_company"] and row["outcome"] == services.CREATE,
        "uscc": values.get("uscc", ""),
        "reasons": [in_reader_language(reason) for reason in row["reasons"]],
        "notes": [in_reader_language(note) for note in row["notes"]],
        "owner": values.get("owner", "") or before.get("owner", ""),
        "owner_was": before.get("owner", ""),
        "owner_changed": bool(before and values.get("owner") and values["owner"] != before.get("owner")),
    }
    for key, choices in LABELS.items():
        value = values.get(key, "")
        shown[key] = dict(choices.choices).get(value, value)
    if before:
        shown["stage"] = DealStage(before["stage"]).label
    elif not values.get("stage") and row["outcome"] == services.CREATE:
        shown["stage"] = DealStage.SOURCED.label
    for key in ("amount_requested", "pre_money"):
        amount, was = _amount(values.get(key, "")), _amount(before.get(key, ""))
        shown[key] = amount
        shown[f"{key}_text"] = values.get(key, "")
        shown[f"{key}_was"] = was
        shown[f"{key}_changed"] = bool(before and amount is not None and amount != was)
    return shown


@login_required
@require_GET
def deal_import_preview(request, fund, pk):
    deal_import = _import_for(request, fund, pk)
    rows = deal_import.preview.get("rows", [])
    only_refused = request.GET.get("show") == "refused"
    if only_refused:
        rows = [row for row in rows if row["outcome"] == services.REFUSE]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    counts = deal_import.preview.get("counts", {})
    context = {
        "fund": deal_import.fund,
        "deal_import": deal_import,
        "counts": counts,
        "page_obj": page,
        "rows": [_shown(row) for row in page.object_list],
        "only_refused": only_refused,
        "extra_query": "show=refused" if only_refused else "",
        "queued_since": services.queued_since(deal_import),
        "failure": in_reader_language(deal_import.preview.get("failure") or {}),
        "may_apply": deal_import.applied_at is None and not counts.get(services.REFUSE),
    }
    return render(request, "funds/transfer/preview.html", context)


@login_required
@require_POST
def deal_import_apply(request, fund, pk):
    deal_import = _import_for(request, fund, pk)
    success = _("The deal list is being applied. This page says when it is done.")
    call_service(request, services.request_apply, success=success, deal_import=deal_import)
    return redirect(services.preview_url(deal_import))


urlpatterns = [
    path("<slug:fund>/deals/export.xlsx", deal_export, name="deal_export"),
    path("<slug:fund>/deals/import/", deal_import, name="deal_import"),
    path("<slug:fund>/deals/import/template.xlsx", deal_import_template, name="deal_import_template"),
    path("<slug:fund>/deals/import/<int:pk>/", deal_import_preview, name="deal_import_preview"),
    path("<slug:fund>/deals/import/<int:pk>/apply/", deal_import_apply, name="deal_import_apply"),
]
