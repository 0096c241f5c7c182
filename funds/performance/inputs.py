"""The plain facts the policy indicators are computed from (``facts.py`` reads them from the database), the basis an
indicator set gives its formulas, and how a recorded row becomes a figure's source. No database here."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from funds.models.fund import LpType
from funds.models.performance import LeverageBasis, ReinvestmentRule
from funds.performance.figures import Source
from portal.text import fmt


def source(kind: str, ref: str, message, *, amount=None, on=None, **names) -> Source:
    """A row a figure used, its label composed lazily so each reader reads it in their language."""
    return Source(fmt(message, **names), amount, on, kind, ref)


LABEL_TRANCHE_PAID = _("%(company)s: tranche paid")


def tranche_source(investment: "Investment", payment: "Payment") -> Source:
    return source(
        "disbursement",
        payment.ref,
        LABEL_TRANCHE_PAID,
        amount=payment.amount,
        on=payment.on,
        company=investment.company,
    )


@dataclass(frozen=True)
class Payment:
    """A dated amount: an LP's paid-in capital, or a tranche the fund paid to a company."""

    ref: str
    on: date
    amount: Decimal


@dataclass(frozen=True)
class LpCommitment:
    ref: str
    investor: str
    lp_type: str  # a funds.models.LpType value
    committed: Decimal
    committed_on: date
    payments: tuple[Payment, ...] = ()


@dataclass(frozen=True)
class Investment:
    """One deal the fund has paid money into, with what the indicators need to know of its company."""

    ref: str
    company_id: int
    company: str
    company_ref: str
    subsector: str
    development_stage: str  # now; see the module's note on early stage
    registered_on: date | None = None
    hq_on: date | None = None
    production_on: date | None = None
    disbursements: tuple[Payment, ...] = ()

    @property
    def landed_on(self) -> date | None:
        """The first day the company was in Pingshan (registered, headquarters or production)."""
        return min((on for on in (self.registered_on, self.hq_on, self.production_on) if on), default=None)


@dataclass(frozen=True)
class KpiFigures:
    """One submitted KPI report of a portfolio company (None: not reported)."""

    ref: str
    company_id: int
    company: str
    period_start: date
    period_end: date
    revenue: Decimal | None = None
    tax_paid: Decimal | None = None
    headcount: int | None = None
    patents: int | None = None


@dataclass(frozen=True)
class MilestoneFact:
    ref: str
    company_id: int
    company: str
    kind: str  # a funds.models.MilestoneKind value
    on: date


@dataclass(frozen=True)
class Facts:
    year: int
    as_of: date
    commitments: tuple[LpCommitment, ...] = ()
    investments: tuple[Investment, ...] = ()
    kpi_reports: tuple[KpiFigures, ...] = ()
    milestones: tuple[MilestoneFact, ...] = ()

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    def in_year(self, on: date) -> bool:
        return on.year == self.year and on <= self.as_of

    @cached_property
    def tranches(self) -> dict[str, tuple[Source, ...]]:
        """Each investment's tranches paid by as of, as sources: made once, as most money indicators list them."""
        return {
            investment.ref: tuple(
                tranche_source(investment, payment) for payment in investment.disbursements if payment.on <= self.as_of
            )
            for investment in self.investments
        }


@dataclass(frozen=True)
class Basis:
    """The settings of an indicator set that change what the formulas count."""

    leverage_basis: str = LeverageBasis.COMMITTED
    state_capital_is_government: bool = False
    reinvestment_rule: str = ReinvestmentRule.REGISTERED
    landing_months: int = 12

    @classmethod
    def of(cls, indicator_set) -> "Basis":
        return cls(
            leverage_basis=indicator_set.leverage_basis,
            state_capital_is_government=indicator_set.state_capital_is_government,
            reinvestment_rule=indicator_set.reinvestment_rule,
            landing_months=indicator_set.landing_months,
        )

    def is_government(self, lp_type: str) -> bool:
        return lp_type == LpType.GOVERNMENT or (self.state_capital_is_government and lp_type == LpType.STATE_OWNED)
