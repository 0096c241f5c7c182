"""What the fund receives from other domains through ``portal.handoffs`` (it imports none of them).

``financing``: a team of the offshore talent base asked for a financing introduction. Its registered company goes
to the pipeline of the first fund that accepts applications, as a deal in ``sourced`` from the talent base; the
fund's managers screen it like any other lead. The reference returned names the fund and the deal.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from portal.organizations.models import Organization, OrganizationKind
from portal.organizations.validators import normalize_uscc, validate_uscc

from .models import ENDED, Company, Deal, DealSource, DealStage, DevelopmentStage, Fund, Round, Subsector
from .services.deals import open_deal

# A team's project stage (talent) read as the nearest development stage and round; the managers correct both
# when they screen the lead (the summary says they are estimates).
STAGES = {
    "idea": (DevelopmentStage.DISCOVERY, Round.ANGEL),
    "prototype": (DevelopmentStage.PRECLINICAL, Round.SEED),
    "pilot": (DevelopmentStage.PHASE_1, Round.PRE_A),
    "product": (DevelopmentStage.MARKETED, Round.SERIES_A),
    "scaling": (DevelopmentStage.MARKETED, Round.SERIES_B),
}
ESTIMATED = "（轮次、细分领域与研发阶段为基地转介时的估计，请在初筛时核实）"


def reference_of(deal) -> str:
    return f"{deal.fund.slug}#{deal.pk}"


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return Decimal("0")
    return amount.quantize(Decimal("0.01")) if amount.is_finite() and amount >= 0 else Decimal("0")


def _organization(name, uscc, name_en):
    organization = Organization.objects.filter(uscc=uscc).first()
    if organization is not None:
        return organization
    if Organization.objects.filter(name=name).exists():  # the same name under another code: not ours to merge
        return None
    return Organization.objects.create(
        name=name, name_en=name_en[:255], uscc=uscc, kind=OrganizationKind.ENTERPRISE, registered_in_pingshan=True
    )


def receive_financing(payload) -> str | None:
    """Open a sourced deal for the team's company; None when no fund accepts applications or the company cannot be
    identified (no valid USCC yet). A company with an open deal in that fund keeps it (no second lead)."""
    fund = Fund.objects.accepting().order_by("pk").first()
    uscc = normalize_uscc(payload.get("uscc") or "")
    name = (payload.get("company_name") or "").strip()
    if fund is None or not name:
        return None
    try:
        validate_uscc(uscc)
    except ValidationError:  # no valid code yet (the team registers its company while onboarding)
        return None
    organization = _organization(name[:200], uscc, payload.get("team_name") or "")
    if organization is None:
        return None
    development_stage, round_ = STAGES.get(payload.get("project_stage"), (DevelopmentStage.DISCOVERY, Round.ANGEL))
    company = Company.objects.filter(organization=organization).first() or Company.objects.create(
        organization=organization, subsector=Subsector.INNOVATIVE_DRUGS, development_stage=development_stage
    )
    existing = Deal.objects.filter(fund=fund, company=company).exclude(stage__in=ENDED).order_by("pk").first()
    if existing is not None:
        return reference_of(existing)
    summary = "\n".join(
        part
        for part in (
            f"海外人才离岸创新创业基地转介 / Referred by the offshore talent base: {payload.get('team_name', '')}",
            payload.get("summary", ""),
            ESTIMATED,
        )
        if part
    )
    deal = open_deal(
        actor=payload.get("actor"),
        fund=fund,
        stage=DealStage.SOURCED,
        company=company,
        round=round_,
        amount_requested=_amount(payload.get("amount")),
        source=DealSource.TALENT,
        owner=None,
        summary=summary,
    )
    return reference_of(deal)
