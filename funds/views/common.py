"""Finding the fund or deal a URL names, for someone a permissions function says may see it (else 404); a workbook
as a download."""

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from portal.spreadsheets import XLSX

from ..models import Deal, Fund


def fund_for(request, slug, may) -> Fund:
    """The fund named ``slug`` when ``may(user, fund)``; 404 otherwise (no existence leak)."""
    fund = get_object_or_404(Fund, slug=slug)
    if not may(request.user, fund):
        raise Http404
    return fund


def deal_for(request, fund_slug, pk, may) -> Deal:
    """The deal ``pk`` of the fund ``fund_slug`` when ``may(user, deal)``; 404 otherwise."""
    deal = get_object_or_404(Deal.objects.select_related("fund", "company__organization", "owner"), pk=pk)
    if deal.fund.slug != fund_slug or not may(request.user, deal):
        raise Http404
    return deal


def xlsx_download(data, name, fallback):
    """An attachment download of workbook bytes, named ``name`` (any script) with an ASCII ``fallback``."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
