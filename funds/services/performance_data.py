"""Services of the fund's performance data: the workbook of what is recorded (cash flows, valuations, KPI reports,
index levels), and a workbook imported after a dry run.

The export is written in the import's format, so it is also the way to correct data in bulk: take it out, change
it, bring it back; rows equal to what is recorded change nothing. ``preview_import`` reads and checks the upload
(funds/services/performance_plan.py) and stores what would happen, row by row in both languages; nothing else is
written. ``apply_import`` applies it once, all or nothing, only when no row is refused, after checking every row
again under a lock on the fund: when any outcome differs from the preview (someone recorded a tranche meanwhile),
nothing is applied and the new preview replaces the old. Synchronous: a fund's history is a few thousand rows at
most (the benchmark's 1,000 deals × 40 flows is 40,000 and is imported in two files), written in bulk statements.
"""

import io
from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.files.uploads import MEGABYTE, Accepted
from portal.history.record import Entry, Line, Tell, record, record_many
from portal.pagecache.store import purge
from portal.spreadsheets import spelling
from portal.text import fmt

from .. import cache_tags, permissions
from ..models import (
    BenchmarkIndex,
    Disbursement,
    Exit,
    Fund,
    IndexLevel,
    KpiReport,
    KpiState,
    LpDistribution,
    PaidIn,
    PerformanceImport,
    Valuation,
)
from ..performance.datasheets import KPI_FIELDS, UPLOAD, FlowType, build_workbook, read_workbook
from ..verbs import FundVerb
from .imports import keep_import, read_upload
from .performance_plan import CREATE, OUTCOMES, REFUSE, UPDATE, Planner

ACTIONS = {
    "funds.export_performance_data": (_("Export performance data"), _("Exported the fund's performance data")),
    "funds.preview_performance_import": (
        _("Preview a performance data import"),
        _("Uploaded performance data and previewed its import"),
    ),
    "funds.apply_performance_import": (_("Apply a performance data import"), _("Imported performance data")),
}

WORKBOOKS = Accepted(
    types={"xlsx": {"xlsx"}},
    text={"csv": "text/csv"},
    max_size=10 * MEGABYTE,
    described=_("Upload the data as an Excel workbook (.xlsx) or, for one sheet, a UTF-8 CSV file (.csv)."),
)
BATCH = 500


# --- export ----------------------------------------------------------------------------------------------------


def data_rows(fund) -> dict:
    """What is recorded for ``fund``, sheet by sheet, in the import's columns (7 queries)."""
    deals = {"deal__fund": fund}
    company = ("deal__company__organization",)

    def of(deal):
        return {"uscc": deal.company.organization.uscc, "round": deal.round}

    flows = [
        {**of(t.deal), "date": t.paid_on, "type": FlowType.INVESTMENT, "tranche": t.number, "amount": t.paid_amount}
        for t in Disbursement.objects.filter(paid_on__isnull=False, **deals).select_related(*company)
    ]
    flows += [
        {**of(e.deal), "date": e.exited_on, "type": FlowType.EXIT, "amount": e.proceeds, "exit_kind": e.kind}
        for e in Exit.objects.filter(**deals).select_related(*company)
    ]
    for model, kind in ((PaidIn, FlowType.PAID_IN), (LpDistribution, FlowType.DISTRIBUTION)):
        flows += [
            {"date": flow.paid_on, "type": kind, "lp": flow.commitment.investor.name, "amount": flow.amount}
            for flow in model.objects.filter(commitment__fund=fund).select_related("commitment__investor")
        ]
    flows.sort(key=lambda row: (row["date"], row["type"], row.get("uscc", ""), row.get("lp", "")))
    valuations = [
        {**of(v.deal), "date": v.valued_on, "value": v.value, "method": v.method, "note": v.note}
        for v in Valuation.objects.filter(**deals).select_related(*company).order_by("valued_on", "pk")
    ]
    reports = KpiReport.objects.filter(state=KpiState.SUBMITTED, **deals).select_related(*company)
    kpis = [
        {
            **of(r.deal),
            "period_start": r.period_start,
            "period_end": r.period_end,
            **{name: getattr(r, name) for name in KPI_FIELDS},
        }
        for r in reports.order_by("period_end", "pk")
    ]
    # Index levels are public reference data shared by every fund: all of them, so they round-trip too.
    levels = IndexLevel.objects.select_related("index").order_by("index__name", "on")
    index = [{"index": level.index.name, "date": level.on, "level": level.level} for level in levels]
    return {"flows": flows, "valuations": valuations, "kpis": kpis, "index": index}


def export_data(*, actor, fund) -> bytes:
    if not permissions.can_import_performance(actor, fund):
        raise PermissionDenied
    rows = data_rows(fund)
    data = build_workbook(rows)
    record(
        "funds.export_performance_data",
        actor=actor,
        instance=fund,
        data={key: len(sheet) for key, sheet in rows.items()},
    )
    return data


# --- preview -------------------------------------------------------------------------------------------------


def _preview(file_format, rows, ignored) -> dict:
    counts = Counter(row["outcome"] for row in rows)
    return {
        "format": file_format,
        "rows": rows,
        "ignored": ignored,
        "counts": {outcome: counts.get(outcome, 0) for outcome in OUTCOMES},
    }


def preview_import(*, actor, fund, upload) -> PerformanceImport:
    """Read and check the workbook, store it and its preview; create, change or refuse nothing else (dry run)."""
    if not permissions.can_import_performance(actor, fund):
        raise PermissionDenied
    checked, file_format, source = read_upload(upload, allowed=WORKBOOKS, field_name=UPLOAD)
    sheets, ignored = read_workbook(source, file_format)
    preview = _preview(file_format, [row.as_json() for row in Planner(fund, sheets).plan()], ignored)
    data_import = keep_import(
        PerformanceImport,
        action="funds.preview_performance_import",
        actor=actor,
        fund=fund,
        upload=upload,
        checked=checked,
        preview=preview,
    )
    return data_import


# --- apply -----------------------------------------------------------------------------------------------------


def apply_import(*, actor, data_import) -> PerformanceImport:
    """Apply a previewed workbook, all or nothing, once (see the module's docstring)."""
    if not permissions.can_import_performance(actor, data_import.fund):
        raise PermissionDenied
    with transaction.atomic():
        Fund.objects.select_for_update().filter(pk=data_import.fund_id).first()
        data_import = PerformanceImport.objects.select_for_update().select_related("fund").get(pk=data_import.pk)
        if data_import.applied_at is not None:
            when = timezone.localtime(data_import.applied_at).strftime("%Y-%m-%d %H:%M")
            raise ValidationError(fmt(_("This workbook was already applied at %(time)s."), time=when), code="applied")
        if data_import.preview.get("counts", {}).get(REFUSE):
            message = _("Rows of this workbook are refused: correct the file and upload it again.")
            raise ValidationError(message, code="refused")
        file_format = data_import.preview.get("format", "xlsx")
        with data_import.file.open("rb") as stored:
            sheets, ignored = read_workbook(io.BytesIO(stored.read()), file_format)
        plan = Planner(data_import.fund, sheets).plan()
        before = [(r["sheet"], r["line"], r["outcome"]) for r in data_import.preview.get("rows", [])]
        if [row.signature()[:3] for row in plan] == before:
            return _apply(actor, data_import, plan)
        data_import.preview = _preview(file_format, [row.as_json() for row in plan], ignored)
        data_import.save(update_fields=["preview"])
    raise ValidationError(
        _("The fund's data changed since the preview, so nothing was applied. Check the new preview, then confirm."),
        code="changed",
    )


def _apply(actor, data_import, plan):
    fund = data_import.fund
    now = timezone.now()
    rows = [row for row in plan if row.outcome in (CREATE, UPDATE)]
    by_sheet = defaultdict(list)
    for row in rows:
        kind = row.clean.get("type") if row.sheet == "flows" else row.sheet
        by_sheet[kind].append(row)
    try:
        _tranches(actor, by_sheet[FlowType.INVESTMENT])
        if by_sheet[FlowType.INVESTMENT]:
            purge(cache_tags.fund(fund.pk))  # paid tranches written in bulk: the public figures change
        _exits(actor, by_sheet[FlowType.EXIT])
        _lp_flows(PaidIn, by_sheet[FlowType.PAID_IN])
        _lp_flows(LpDistribution, by_sheet[FlowType.DISTRIBUTION])
        _valuations(actor, by_sheet["valuations"])
        _kpis(actor, by_sheet["kpis"], now)
        _levels(by_sheet["index"])
    except IntegrityError:
        raise ValidationError(
            _("Someone recorded the same data at the same time; nothing was applied. Try again."), code="conflict"
        ) from None
    data_import.applied_at = now
    data_import.save(update_fields=["applied_at"])
    counts = Counter(row.outcome for row in rows)
    summary = fmt(
        _("%(file)s: %(created)s records added, %(updated)s changed"),
        file=data_import.original_name,
        created=counts[CREATE],
        updated=counts[UPDATE],
    )
    _deal_lines(actor, fund, rows, now)
    record(
        "funds.apply_performance_import",
        actor=actor,
        instance=data_import,
        data={"created": counts[CREATE], "updated": counts[UPDATE], "unchanged": len(plan) - len(rows)},
        line=Line(fund, FundVerb.IMPORTED_PERFORMANCE, str(summary), preview_url(data_import)),
        tell=Tell(
            [person for person in fund.managers.filter(is_active=True).order_by("pk") if person.pk != actor.pk],
            title=fmt(_("Performance data imported into %(fund)s"), fund=str(fund)),
            body=summary,
            url=preview_url(data_import),
        )
        if rows
        else None,
    )
    return data_import


def _split(rows, build, change, fields, model):
    """New records from ``build(row)``; matched ones changed by ``change(record, row)``; each kind in bulk."""
    model.objects.bulk_create([build(row) for row in rows if row.outcome == CREATE], batch_size=BATCH)
    changed = []
    for row in rows:
        if row.outcome == UPDATE:
            change(row.target, row)
            changed.append(row.target)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=BATCH)


def _tranches(actor, rows):
    def build(row):
        on, amount = row.clean["date"], row.clean["amount"]
        return Disbursement(
            deal=row.deal,
            number=row.clean["tranche"],
            planned_on=on,
            planned_amount=amount,
            paid_on=on,
            paid_amount=amount,
            recorded_by=actor,
        )

    def change(tranche, row):
        tranche.paid_on, tranche.paid_amount, tranche.recorded_by = row.clean["date"], row.clean["amount"], actor

    _split(rows, build, change, ["paid_on", "paid_amount", "recorded_by"], Disbursement)


def _exits(actor, rows):
    def values(row):
        return {"exited_on": row.clean["date"], "proceeds": row.clean["amount"], "kind": row.clean["exit_kind"]}

    def change(exit_record, row):
        for name, value in values(row).items():
            setattr(exit_record, name, value)
        exit_record.recorded_by = actor

    fields = ["exited_on", "proceeds", "kind", "recorded_by"]
    _split(rows, lambda row: Exit(deal=row.deal, recorded_by=actor, **values(row)), change, fields, Exit)


def _lp_flows(model, rows):
    def build(row):
        return model(commitment=row.clean["commitment"], paid_on=row.clean["date"], amount=row.clean["amount"])

    def change(flow, row):
        flow.amount = row.clean["amount"]

    _split(rows, build, change, ["amount"], model)


def _valuations(actor, rows):
    def values(row):
        return {"value": row.clean["value"], "method": row.clean["method"], "note": row.clean["note"]}

    def change(valuation, row):
        for name, value in values(row).items():
            setattr(valuation, name, value)
        valuation.recorded_by = actor

    def build(row):
        return Valuation(deal=row.deal, valued_on=row.clean["date"], recorded_by=actor, **values(row))

    _split(rows, build, change, ["value", "method", "note", "recorded_by"], Valuation)


def _kpis(actor, rows, now):
    def values(row):
        figures = {name: row.clean[name] for name in KPI_FIELDS}
        return {"period_start": row.clean["period_start"], **figures, "state": KpiState.SUBMITTED}

    def change(report, row):
        for name, value in values(row).items():
            setattr(report, name, value)
        report.submitted_by, report.submitted_at = actor, now

    def build(row):
        end = row.clean["period_end"]
        return KpiReport(
            deal=row.deal,
            period_end=end,
            due_on=end,
            requested_by=actor,
            requested_at=now,
            submitted_by=actor,
            submitted_at=now,
            **values(row),
        )

    fields = ["period_start", *KPI_FIELDS, "state", "submitted_by", "submitted_at"]
    _split(rows, build, change, fields, KpiReport)


def _levels(rows):
    # A new index is keyed by its spelling, as the planner matched it: "HSHC Biotech" and "hshc biotech" are one.
    names = {}
    for row in rows:
        if row.clean["index"] is None:
            names.setdefault(spelling(row.clean["index_name"]), row.clean["index_name"])
    added = {key: BenchmarkIndex.objects.create(name=name) for key, name in names.items()}
    IndexLevel.objects.bulk_create(
        (
            IndexLevel(
                index=row.clean["index"] or added[spelling(row.clean["index_name"])],
                on=row.clean["date"],
                level=row.clean["level"],
            )
            for row in rows
        ),
        batch_size=BATCH,
    )


def _deal_lines(actor, fund, rows, now):
    """One audit entry and history line per deal the import changed (its timeline says so), in bulk."""
    per_deal = defaultdict(Counter)
    deals = {}
    for row in rows:
        if row.deal is not None:
            per_deal[row.deal.pk][row.sheet] += 1
            deals[row.deal.pk] = row.deal
    entries = [
        Entry(
            "funds.apply_performance_import",
            deals[deal_id],
            dict(counts),
            Line(fund, FundVerb.IMPORTED_PERFORMANCE, str(deals[deal_id].company), deals[deal_id].get_absolute_url()),
        )
        for deal_id, counts in per_deal.items()
    ]
    record_many(entries, actor=actor, at=now, batch_size=BATCH)


def preview_url(data_import) -> str:
    return data_import.get_absolute_url()
