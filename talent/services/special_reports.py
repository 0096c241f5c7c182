"""The officers' special-talent reports as a workbook: it names candidates, so taking it away is recorded in the
audit log (who, which year, how many applications; never a name)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from portal.history.record import record

from .. import permissions
from ..special_reports import gather
from ..special_workbook import build_workbook

ACTIONS = {
    "talent.export_special_reports": (
        _("Export special-talent reports"),
        _("Special-talent reports exported as a workbook"),
    )
}


def export_reports(*, actor, programme, year=None) -> bytes:
    """The report of applications sent in ``year`` (every year: None) as a workbook in the reader's language."""
    if not permissions.can_view_special_reports(actor, programme):
        raise PermissionDenied
    report = gather(programme, year)
    data = build_workbook(report)
    record(
        "talent.export_special_reports",
        actor=actor,
        instance=programme,
        data={"year": year, "applications": report.total},
    )
    return data
