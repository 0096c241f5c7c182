"""What the policy indicators need from the database, read into plain ``Facts`` for (fund, year, as of).

Five queries, whatever the number of deals: the commitments, the paid-in capital, the paid tranches with their deal's
company, the submitted KPI reports of the year and the year before, and the milestones of the fund's companies. Every
row keeps a ``ref`` ("funds.disbursement:12") so a figure's sources can be listed or linked.
"""

from datetime import date

from django.db.models import F, Model

from funds.models import Commitment, Company, Deal, Disbursement, KpiReport, KpiState, Milestone, PaidIn
from funds.performance.inputs import (
    Basis,
    Facts,
    Investment,
    KpiFigures,
    LpCommitment,
    MilestoneFact,
    Payment,
)


def ref(model: type[Model], pk) -> str:
    return f"{model._meta.label_lower}:{pk}"


def _commitments(fund, as_of: date) -> tuple[LpCommitment, ...]:
    payments: dict[int, list[Payment]] = {}
    for row in (
        PaidIn.objects.filter(commitment__fund=fund, paid_on__lte=as_of)
        .order_by("paid_on", "pk")
        .values("pk", "commitment_id", "paid_on", "amount")
    ):
        payments.setdefault(row["commitment_id"], []).append(
            Payment(ref(PaidIn, row["pk"]), row["paid_on"], row["amount"])
        )
    return tuple(
        LpCommitment(
            ref=ref(Commitment, row["pk"]),
            investor=row["investor__name"],
            lp_type=row["lp_type"],
            committed=row["committed"],
            committed_on=row["committed_on"],
            payments=tuple(payments.get(row["pk"], ())),
        )
        for row in Commitment.objects.filter(fund=fund, committed_on__lte=as_of)
        .order_by("committed_on", "pk")
        .values("pk", "investor__name", "lp_type", "committed", "committed_on")
    )


COMPANY_FIELDS = {
    "company_id": "deal__company_id",
    "company": "deal__company__organization__name",
    "subsector": "deal__company__subsector",
    "development_stage": "deal__company__development_stage",
    "registered_on": "deal__company__registered_in_pingshan_on",
    "hq_on": "deal__company__hq_in_pingshan_on",
    "production_on": "deal__company__production_in_pingshan_on",
}


def _investments(fund, as_of: date) -> tuple[Investment, ...]:
    deals: dict[int, dict] = {}
    tranches: dict[int, list[Payment]] = {}
    for row in (
        Disbursement.objects.filter(deal__fund=fund, paid_on__isnull=False, paid_on__lte=as_of)
        .order_by("deal_id", "paid_on", "number")
        .values("pk", "deal_id", "paid_on", "paid_amount", *COMPANY_FIELDS.values())
    ):
        deals.setdefault(row["deal_id"], {name: row[field] for name, field in COMPANY_FIELDS.items()})
        tranches.setdefault(row["deal_id"], []).append(
            Payment(ref(Disbursement, row["pk"]), row["paid_on"], row["paid_amount"])
        )
    return tuple(
        Investment(
            ref=ref(Deal, deal_id),
            company_ref=ref(Company, company["company_id"]),
            disbursements=tuple(tranches[deal_id]),
            **company,
        )
        for deal_id, company in deals.items()
    )


def _kpi_reports(fund, year: int, as_of: date) -> tuple[KpiFigures, ...]:
    # Growth compares the year with the one before: nothing earlier is needed.
    rows = (
        KpiReport.objects.filter(
            deal__fund=fund, state=KpiState.SUBMITTED, period_end__gte=date(year - 1, 1, 1), period_end__lte=as_of
        )
        .order_by("pk")
        .values(
            "pk",
            "period_start",
            "period_end",
            "revenue",
            "tax_paid",
            "headcount",
            "patents",
            company_id=F("deal__company_id"),
            company=F("deal__company__organization__name"),
        )
    )
    return tuple(KpiFigures(ref=ref(KpiReport, row.pop("pk")), **row) for row in rows)


def _milestones(fund, as_of: date) -> tuple[MilestoneFact, ...]:
    # Every year's: a milestone after the fund came in can show how early a deal was (indicators.was_early).
    return tuple(
        MilestoneFact(
            ref=ref(Milestone, row["pk"]),
            company_id=row["company_id"],
            company=row["company__organization__name"],
            kind=row["kind"],
            on=row["happened_on"],
        )
        for row in Milestone.objects.filter(
            company_id__in=Deal.objects.filter(fund=fund).values("company_id"), happened_on__lte=as_of
        )
        .order_by("happened_on", "pk")
        .values("pk", "company_id", "company__organization__name", "kind", "happened_on")
    )


def facts_for_set(indicator_set, as_of: date) -> tuple[Facts, Basis]:
    """The facts and the basis an indicator set's formulas run on."""
    return facts_for(indicator_set.fund, indicator_set.year, as_of), Basis.of(indicator_set)


def facts_for(fund, year: int, as_of: date) -> Facts:
    """The fund's facts for the indicators of ``year``, as recorded on or before ``as_of``."""
    return Facts(
        year=year,
        as_of=as_of,
        commitments=_commitments(fund, as_of),
        investments=_investments(fund, as_of),
        kpi_reports=_kpi_reports(fund, year, as_of),
        milestones=_milestones(fund, as_of),
    )
