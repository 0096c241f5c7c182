"""The fund's policy indicators (政策效果): pure formulas over plain facts, each a ``Figure`` with the rows behind it.

``facts.py`` reads the database into ``Facts`` for (fund, year, as of); every function here takes those facts and the
``Basis`` the indicator set chose (jurisdictions differ), and ignores anything dated after ``as_of``. ``INDICATORS``
maps each stable key (an ``Indicator.key``) to its label, unit and formula.

Units: a multiple (×) is a ratio to 4 places; a percent (%) is in percent to 2 places (80 means 80 %), so an indicator
set's targets and floors are typed the same way; a count is an integer.

Decisions (what the policy texts leave open):

- Money counts when it moved: paid-in is ``PaidIn`` up to as of; "invested" is the paid tranches (``Disbursement``)
  up to as of, whatever stage the deal is in now (an exited or written-off deal was invested all the same); committed
  is the commitments made on or before as of.
- Government contribution: the government LPs' committed or paid-in capital (the set's leverage basis), plus the
  state-owned LPs' when the set counts state capital as government. Local reinvestment uses the same basis.
- Local reinvestment (返投) counts everything paid to a qualifying company. Under "registered", a company qualifies
  when it was registered in Pingshan on or before as of. Under "landed within N months", when it registered or moved
  its headquarters or production to Pingshan (on or before as of) no later than N calendar months after the fund's
  first payment to it — the day exactly N months later counts; a company already there before qualifies too.
- Theme focus: every ``Subsector`` is biomedicine except digital health, which Shenzhen's industry catalogue files
  under the digital economy rather than 生物医药 (``BIOMEDICINE``).
- Early stage: a deal is early when its company was at most in Phase II at the deal's first payment. The profile only
  says the stage now; stages only advance, so a company at most in Phase II now was then, and a later company was
  too when a milestone on or after that payment shows it (an IND accepted or cleared, or an advance to the next
  clinical phase, which only Phase I and II companies make). Discovery counts: it is earlier than preclinical, and
  the indicator is about investing early.
- Landing: companies the fund has paid on or before as of, counted once each, that are in Pingshan (registered, or
  headquarters or production there) on or before as of: ``landing`` cumulative, ``landing_in_year`` those whose first
  landing date falls in the year.
- Social benefit growth: year-on-year growth of the portfolio's revenue, tax, headcount and patents from submitted KPI
  reports, like for like: only companies that reported the figure in both years count. A year's figure sums the
  company's reports ending in it (headcount is a level: the latest report's); the previous year is cut at the same
  day a year before as of, so a mid-year evaluation compares the same months. One report per company and period: two
  deals of one company asked for the same period count once (the later row).
- Milestones: IND clearances, advances to the next clinical phase, marketing approvals and device registrations that
  portfolio companies reached in the year (up to as of), on or after the fund first paid them.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from funds.models.companies import DevelopmentStage, MilestoneKind, Subsector
from funds.models.performance import LeverageBasis, ReinvestmentRule
from funds.performance.figures import Figure, Source, missing
from portal.text import fmt

from .inputs import Basis, Facts, Investment, KpiFigures, LpCommitment, Payment, source

LEVERAGE = "leverage"
REINVESTMENT = "reinvestment"
PACE_PAID_IN = "pace_paid_in"
PACE_INVESTED = "pace_invested"
THEME_FOCUS = "theme_focus"
EARLY_STAGE = "early_stage"
LANDING = "landing"
LANDING_IN_YEAR = "landing_in_year"
REVENUE_GROWTH = "revenue_growth"
TAX_GROWTH = "tax_growth"
HEADCOUNT_GROWTH = "headcount_growth"
PATENTS_GROWTH = "patents_growth"
MILESTONES = "milestones"

BIOMEDICINE = frozenset(Subsector.values) - {Subsector.DIGITAL_HEALTH}
EARLY_STAGES = frozenset(
    {
        DevelopmentStage.DISCOVERY,
        DevelopmentStage.PRECLINICAL,
        DevelopmentStage.IND_FILED,
        DevelopmentStage.IND_CLEARED,
        DevelopmentStage.PHASE_1,
        DevelopmentStage.PHASE_2,
    }
)
# A milestone of these kinds is only reached by a company that was at most in Phase II just before it.
SHOWS_EARLY = frozenset({MilestoneKind.IND_ACCEPTED, MilestoneKind.IND_CLEARED, MilestoneKind.PHASE_ADVANCE})
COUNTED_MILESTONES = frozenset(
    {
        MilestoneKind.IND_CLEARED,
        MilestoneKind.PHASE_ADVANCE,
        MilestoneKind.APPROVAL,
        MilestoneKind.DEVICE_REGISTRATION,
    }
)

MULTIPLE_PLACES = Decimal("0.0001")
PERCENT_PLACES = Decimal("0.01")


class Unit(models.TextChoices):
    MULTIPLE = "multiple", _("multiple (×)")
    PERCENT = "percent", _("percent (%)")
    COUNT = "count", pgettext_lazy("indicator unit", "count")


SYMBOLS = {Unit.MULTIPLE: "×", Unit.PERCENT: "%", Unit.COUNT: ""}


# --- helpers ------------------------------------------------------------------------------------------------------


def add_months(on: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day when it has no such day)."""
    return (pd.Timestamp(on) + pd.DateOffset(months=months)).date()


def a_year_before(on: date) -> date:
    return (pd.Timestamp(on) - pd.DateOffset(years=1)).date()


def _sum(amounts: Iterable) -> Decimal:
    return sum((Decimal(amount) for amount in amounts), Decimal(0))


def _ratio(numerator, denominator, unit: str) -> Decimal:
    if unit == Unit.PERCENT:
        return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
    return (Decimal(numerator) / Decimal(denominator)).quantize(MULTIPLE_PLACES, rounding=ROUND_HALF_UP)


def _figure(numerator, denominator, unit, sources, reason) -> Figure:
    if not denominator:
        return missing(reason, sources)
    return Figure(
        _ratio(numerator, denominator, unit),
        sources=tuple(sources),
        numerator=numerator,
        denominator=denominator,
    )


# Row labels, made once: a label is composed for every recorded row a figure lists.
LABEL_COMMITTED = _("%(investor)s: committed")
LABEL_PAID_IN = _("%(investor)s: paid in")


def _commitmentsource(commitment: LpCommitment) -> Source:
    return source(
        "commitment",
        commitment.ref,
        LABEL_COMMITTED,
        amount=commitment.committed,
        on=commitment.committed_on,
        investor=commitment.investor,
    )


def _paid_insource(commitment: LpCommitment, payment: Payment) -> Source:
    return source(
        "paid_in", payment.ref, LABEL_PAID_IN, amount=payment.amount, on=payment.on, investor=commitment.investor
    )


def _commitments(facts: Facts) -> list[LpCommitment]:
    return [commitment for commitment in facts.commitments if commitment.committed_on <= facts.as_of]


def committed(facts: Facts, which: Callable[[LpCommitment], bool] = lambda c: True) -> tuple[Decimal, list[Source]]:
    rows = [commitment for commitment in _commitments(facts) if which(commitment)]
    return _sum(c.committed for c in rows), [_commitmentsource(c) for c in rows]


def paid_in(facts: Facts, which: Callable[[LpCommitment], bool] = lambda c: True) -> tuple[Decimal, list[Source]]:
    sources = [
        _paid_insource(commitment, payment)
        for commitment in facts.commitments
        if which(commitment)
        for payment in commitment.payments
        if payment.on <= facts.as_of
    ]
    return _sum(source.amount for source in sources), sources


def capital(facts: Facts, basis: Basis, which=lambda c: True) -> tuple[Decimal, list[Source]]:
    """Committed or paid-in capital, as the set's leverage basis says."""
    if basis.leverage_basis == LeverageBasis.PAID_IN:
        return paid_in(facts, which)
    return committed(facts, which)


def government_contribution(facts: Facts, basis: Basis) -> tuple[Decimal, list[Source]]:
    return capital(facts, basis, lambda commitment: basis.is_government(commitment.lp_type))


def first_payment(facts: Facts, investment: Investment) -> date | None:
    return min((source.on for source in facts.tranches[investment.ref]), default=None)


def invested(facts: Facts, which: Callable[[Investment], bool] = lambda i: True) -> tuple[Decimal, list[Source]]:
    """Paid to the companies of the investments ``which`` accepts, by as of."""
    sources = [
        source for investment in facts.investments if which(investment) for source in facts.tranches[investment.ref]
    ]
    return _sum(source.amount for source in sources), sources


def first_payments_by_company(facts: Facts) -> dict[int, date]:
    """The day the fund first paid each company (over all its deals), for companies paid by as of."""
    firsts: dict[int, date] = {}
    for investment in facts.investments:
        first = first_payment(facts, investment)
        if first and (investment.company_id not in firsts or first < firsts[investment.company_id]):
            firsts[investment.company_id] = first
    return firsts


def portfolio_companies(facts: Facts) -> dict[int, Investment]:
    """One investment per company paid by as of (its landing dates and profile are the company's)."""
    firsts = first_payments_by_company(facts)
    return {i.company_id: i for i in facts.investments if i.company_id in firsts}


NO_GOVERNMENT = _("No government contribution has been recorded yet.")
NOTHING_INVESTED = _("Nothing has been invested yet.")


# --- the formulas -------------------------------------------------------------------------------------------------


def leverage(facts: Facts, basis: Basis) -> Figure:
    """财政资金放大倍数: fund size ÷ government contribution (both committed, or both paid in)."""
    size, sources = capital(facts, basis)
    government, _government_sources = government_contribution(facts, basis)
    return _figure(size, government, Unit.MULTIPLE, sources, NO_GOVERNMENT)


def qualifies_for_reinvestment(facts: Facts, basis: Basis, investment: Investment, first_paid: date | None) -> bool:
    if basis.reinvestment_rule == ReinvestmentRule.LANDED_WITHIN:
        landed = investment.landed_on
        if landed is None or landed > facts.as_of or first_paid is None:
            return False
        return landed <= add_months(first_paid, basis.landing_months)
    return investment.registered_on is not None and investment.registered_on <= facts.as_of


def reinvestment(facts: Facts, basis: Basis) -> Figure:
    """返投: paid to Pingshan-qualified companies ÷ government contribution."""
    firsts = first_payments_by_company(facts)
    amount, invested_sources = invested(
        facts, lambda i: qualifies_for_reinvestment(facts, basis, i, firsts.get(i.company_id))
    )
    government, government_sources = government_contribution(facts, basis)
    return _figure(amount, government, Unit.MULTIPLE, [*invested_sources, *government_sources], NO_GOVERNMENT)


def pace_paid_in(facts: Facts, basis: Basis) -> Figure:
    """投资进度: paid-in ÷ committed, in percent."""
    paid, paid_sources = paid_in(facts)
    total, committed_sources = committed(facts)
    return _figure(
        paid, total, Unit.PERCENT, [*paid_sources, *committed_sources], _("No capital has been committed yet.")
    )


def pace_invested(facts: Facts, basis: Basis) -> Figure:
    """投资进度: invested ÷ paid-in, in percent."""
    amount, invested_sources = invested(facts)
    paid, paid_sources = paid_in(facts)
    return _figure(
        amount, paid, Unit.PERCENT, [*invested_sources, *paid_sources], _("No capital has been paid in yet.")
    )


def _share_invested(facts: Facts, which: Callable[[Investment], bool]) -> Figure:
    part, part_sources = invested(facts, which)
    whole, sources = invested(facts)
    # The sources are every paid tranche; the numerator's are the ones that count (listed first, once each).
    counted = {source.ref for source in part_sources}
    ordered = [*part_sources, *(source for source in sources if source.ref not in counted)]
    return _figure(part, whole, Unit.PERCENT, ordered, NOTHING_INVESTED)


def theme_focus(facts: Facts, basis: Basis) -> Figure:
    """Share of the money invested in biomedicine subsectors, in percent."""
    return _share_invested(facts, lambda investment: investment.subsector in BIOMEDICINE)


def last_early_evidence(facts: Facts) -> dict[int, date]:
    """Per company, the last milestone up to as of that only a company at most in Phase II reaches."""
    last: dict[int, date] = {}
    for milestone in facts.milestones:
        if milestone.kind in SHOWS_EARLY and milestone.on <= facts.as_of:
            last[milestone.company_id] = max(milestone.on, last.get(milestone.company_id, milestone.on))
    return last


def was_early(facts: Facts, investment: Investment, evidence: dict[int, date] | None = None) -> bool:
    """At most in Phase II at the deal's first payment (see the module's note)."""
    if investment.development_stage in EARLY_STAGES:
        return True
    evidence = last_early_evidence(facts) if evidence is None else evidence
    first = first_payment(facts, investment)
    return first is not None and investment.company_id in evidence and first <= evidence[investment.company_id]


def early_stage(facts: Facts, basis: Basis) -> Figure:
    """Share of the money invested in companies at most in Phase II when the fund came in, in percent."""
    evidence = last_early_evidence(facts)
    return _share_invested(facts, lambda investment: was_early(facts, investment, evidence))


def _landed(facts: Facts, in_year: bool) -> Figure:
    sources = []
    for investment in portfolio_companies(facts).values():
        landed = investment.landed_on
        if landed is None or landed > facts.as_of or (in_year and not facts.in_year(landed)):
            continue
        message = _("%(company)s: in Pingshan")
        sources.append(source("landing", investment.company_ref, message, on=landed, company=investment.company))
    sources.sort(key=lambda source: source.on)
    return Figure(len(sources), sources=tuple(sources))


def landing(facts: Facts, basis: Basis) -> Figure:
    """Portfolio companies in Pingshan (registered, headquarters or production), cumulative to as of."""
    return _landed(facts, in_year=False)


def landing_in_year(facts: Facts, basis: Basis) -> Figure:
    """Portfolio companies that first came to Pingshan in the year."""
    return _landed(facts, in_year=True)


# Social benefit: the KPI field, whether it is a level (latest report) rather than a flow (sum), and its name.
MEASURES = {
    REVENUE_GROWTH: ("revenue", False, _("revenue")),
    TAX_GROWTH: ("tax_paid", False, _("tax paid")),
    HEADCOUNT_GROWTH: ("headcount", True, _("headcount")),
    PATENTS_GROWTH: ("patents", False, _("patents granted")),
}


def _kpi_reports(facts: Facts) -> list[KpiFigures]:
    """One report per company and period (the later row: facts come in the order they were recorded), up to as of."""
    unique = {}
    for report in facts.kpi_reports:
        if report.period_end <= facts.as_of:
            unique[(report.company_id, report.period_start, report.period_end)] = report
    return list(unique.values())


def _year_figures(reports, field, is_level, first: date, last: date) -> dict[int, tuple[Decimal, list[KpiFigures]]]:
    """Per company: its figure over the reports ending between ``first`` and ``last``, and those reports."""
    by_company = defaultdict(list)
    for report in reports:
        if first <= report.period_end <= last and getattr(report, field) is not None:
            by_company[report.company_id].append(report)
    figures = {}
    for company, rows in by_company.items():
        rows.sort(key=lambda r: r.period_end)
        value = Decimal(getattr(rows[-1], field)) if is_level else _sum(getattr(r, field) for r in rows)
        figures[company] = (value, rows)
    return figures


def growth(key: str) -> Callable[[Facts, Basis], Figure]:
    field, is_level, measure = MEASURES[key]

    def compute(facts: Facts, basis: Basis) -> Figure:
        reports = _kpi_reports(facts)
        this_year = _year_figures(
            reports, field, is_level, facts.year_start, min(facts.as_of, date(facts.year, 12, 31))
        )
        last_year = _year_figures(
            reports,
            field,
            is_level,
            date(facts.year - 1, 1, 1),
            min(a_year_before(facts.as_of), date(facts.year - 1, 12, 31)),
        )
        both = sorted(set(this_year) & set(last_year))
        rows = [report for company in both for report in (*last_year[company][1], *this_year[company][1])]
        sources = [
            source(
                "kpi_report",
                row.ref,
                _("%(company)s: KPI report %(start)s–%(end)s"),
                amount=getattr(row, field),
                on=row.period_end,
                company=row.company,
                start=row.period_start.isoformat(),
                end=row.period_end.isoformat(),
            )
            for row in rows
        ]
        if not both:
            return missing(
                fmt(
                    _("No portfolio company reported its %(measure)s for both %(previous)s and %(year)s."),
                    measure=measure,
                    previous=facts.year - 1,
                    year=facts.year,
                )
            )
        now = _sum(this_year[company][0] for company in both)
        before = _sum(last_year[company][0] for company in both)
        if not before:
            return missing(
                fmt(
                    _("The portfolio's %(measure)s in %(previous)s was zero: growth cannot be computed."),
                    measure=measure,
                    previous=facts.year - 1,
                ),
                sources,
            )
        return Figure(
            _ratio(now - before, before, Unit.PERCENT), sources=tuple(sources), numerator=now, denominator=before
        )

    compute.__name__ = key
    compute.__doc__ = f"Year-on-year growth of the portfolio's {field}, like for like, in percent."
    return compute


def milestones(facts: Facts, basis: Basis) -> Figure:
    """IND clearances, phase advances, approvals and device registrations in the year, after the fund came in."""
    firsts = first_payments_by_company(facts)
    sources = [
        source(
            "milestone",
            milestone.ref,
            _("%(company)s: %(milestone)s"),
            on=milestone.on,
            company=milestone.company,
            milestone=MilestoneKind(milestone.kind).label,
        )
        for milestone in sorted(facts.milestones, key=lambda m: (m.on, m.ref))
        if milestone.kind in COUNTED_MILESTONES
        and facts.in_year(milestone.on)
        and milestone.company_id in firsts
        and firsts[milestone.company_id] <= milestone.on
    ]
    return Figure(len(sources), sources=tuple(sources))


# --- the registry -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    label: str
    unit: str  # a Unit value
    compute: Callable[[Facts, Basis], Figure]
    formula: str = ""  # how it is computed, for the reader

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.unit]


INDICATORS: dict[str, Definition] = {
    LEVERAGE: Definition(
        _("Leverage multiple"),
        Unit.MULTIPLE,
        leverage,
        _("Fund size ÷ government contribution (committed or paid-in, as the indicator set says)"),
    ),
    REINVESTMENT: Definition(
        _("Local reinvestment ratio"),
        Unit.MULTIPLE,
        reinvestment,
        _("Invested in companies qualifying as Pingshan companies ÷ government contribution"),
    ),
    PACE_PAID_IN: Definition(
        _("Investment pace (paid-in ÷ committed)"), Unit.PERCENT, pace_paid_in, _("Paid-in capital ÷ committed capital")
    ),
    PACE_INVESTED: Definition(
        _("Investment pace (invested ÷ paid-in)"), Unit.PERCENT, pace_invested, _("Paid to companies ÷ paid-in capital")
    ),
    THEME_FOCUS: Definition(
        _("Biomedicine share of investment"), Unit.PERCENT, theme_focus, _("Invested in biomedicine ÷ invested")
    ),
    EARLY_STAGE: Definition(
        _("Early-stage share of investment"),
        Unit.PERCENT,
        early_stage,
        _("Invested in companies at most in Phase II when the fund came in ÷ invested"),
    ),
    LANDING: Definition(
        _("Portfolio companies in Pingshan (cumulative)"),
        Unit.COUNT,
        landing,
        _("Portfolio companies registered, headquartered or producing in Pingshan"),
    ),
    LANDING_IN_YEAR: Definition(
        _("Portfolio companies that came to Pingshan in the year"),
        Unit.COUNT,
        landing_in_year,
        _("Portfolio companies first registered, headquartered or producing in Pingshan in the year"),
    ),
    REVENUE_GROWTH: Definition(
        _("Portfolio revenue growth"), Unit.PERCENT, growth(REVENUE_GROWTH), _("Year-on-year, like for like")
    ),
    TAX_GROWTH: Definition(
        _("Portfolio tax growth"), Unit.PERCENT, growth(TAX_GROWTH), _("Year-on-year, like for like")
    ),
    HEADCOUNT_GROWTH: Definition(
        _("Portfolio headcount growth"), Unit.PERCENT, growth(HEADCOUNT_GROWTH), _("Year-on-year, like for like")
    ),
    PATENTS_GROWTH: Definition(
        _("Portfolio patents growth"), Unit.PERCENT, growth(PATENTS_GROWTH), _("Year-on-year, like for like")
    ),
    MILESTONES: Definition(
        _("R&D milestones in the year"),
        Unit.COUNT,
        milestones,
        _("IND clearances, advances to the next clinical phase, approvals and device registrations"),
    ),
}


def compute_all(facts: Facts, basis: Basis, keys: Iterable[str] | None = None) -> dict[str, Figure]:
    """Every indicator (or those of ``keys``) computed on the same facts."""
    return {key: INDICATORS[key].compute(facts, basis) for key in (keys or INDICATORS)}
