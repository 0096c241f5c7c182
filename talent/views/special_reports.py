"""The officers' reports on a special-talent programme: applications by stage, by sector, by the standard criteria
missed and the time spent in each stage, each as a table and a chart, for the applications sent in a chosen year;
and the same as a workbook."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from portal.accounts.twofactor import reverify_first
from portal.calls import call_service
from portal.charts.figures import Bar, Format, bar_chart
from portal.files.downloads import disposition
from portal.spreadsheets import XLSX

from .. import permissions
from ..forms.special_reports import ReportYearForm
from ..services import special_reports as services
from ..special_reports import gather, years_of
from .common import programme_for


def _counts_chart(counts, title, heading):
    return bar_chart(
        [Bar(count.label, count.count) for count in counts],
        title=title,
        value_format=Format.COUNT,
        label_heading=heading,
        value_heading=_("Applications"),
    )


def charts_of(report) -> dict:
    """A chart per table; the time chart draws the median (the table beside it has the mean too)."""
    return {
        "stages": _counts_chart(report.stages, _("Applications by stage"), _("Stage")),
        "sectors": _counts_chart(report.sectors, _("Applications by sector"), _("Sector")),
        "reasons": _counts_chart(
            report.reasons, _("Applications by standard criterion missed"), _("Standard criterion missed")
        ),
        "times": bar_chart(
            [Bar(time.label, time.median_days) for time in report.times],
            title=_("Median days spent in each stage"),
            value_format=Format.NUMBER,
            label_heading=_("Stage"),
            value_heading=_("Median days"),
        ),
    }


def _year(request, programme):
    years = years_of(programme)
    form = ReportYearForm(request.GET, years=years)
    if form.is_bound and not form.is_valid():
        for error in form.errors.get("year", []):
            messages.warning(request, error)
    return form, form.chosen_year, years


@login_required
@require_GET
def special_reports(request, programme):
    programme = programme_for(request, programme, permissions.can_view_special_reports)
    form, year, years = _year(request, programme)
    report = gather(programme, year, years=years)
    context = {
        "programme": programme,
        "form": form,
        "report": report,
        "charts": charts_of(report),
        "page_title": _("Special-talent reports"),
    }
    return render(request, "talent/office/special_reports.html", context)


@login_required
@require_GET
@reverify_first  # personal data leaves the portal: a recent second factor for who uses one
def special_reports_export(request, programme):
    programme = programme_for(request, programme, permissions.can_view_special_reports)
    _form, year, _years = _year(request, programme)
    data = call_service(request, services.export_reports, programme=programme, year=year)
    response = HttpResponse(data, content_type=XLSX)
    name = f"{pgettext('file name', 'special-talent-reports')}-{year or pgettext('file name', 'all')}"
    response["Content-Disposition"] = disposition(f"{name}-{timezone.localdate():%Y%m%d}.xlsx")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("office/<slug:programme>/special/reports/", special_reports, name="special_reports"),
    path("office/<slug:programme>/special/reports/export/", special_reports_export, name="special_reports_export"),
]
