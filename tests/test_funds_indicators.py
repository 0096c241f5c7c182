"""The policy indicators (funds/performance/indicators.py): pure formulas on hand-made facts, hand-computed.

The fund below (figures in 万元, as of 2026-12-31, the year 2026):

LPs      government 300 (paid 100 + 50), state-owned 200 (paid 100), social 500 (paid 200; 100 more after as of),
         and a social commitment made after as of. Committed 1,000, paid in 450.
Deals    D1 company A, innovative drugs, Phase III now, registered in Pingshan in 2019: paid 40 (2022-01-15) and
            20 (2023-01-15); advanced a clinical phase on 2024-06-01, after the fund came in → early.
         D2 company B, medical devices, marketed, headquarters to Pingshan 2023-03-15: paid 30 (2022-03-15).
         D3 company C, digital health, preclinical, registered in Pingshan 2026-06-01: paid 10 (2025-01-10).
         D4 company A again (Series B): paid 20 (2025-06-01), after its phase advance → not early.
         D5 company D, cell and gene, Phase I, production in Pingshan only in 2027: paid 30 on as of, 5 after it.
         Invested 150: biomedicine 140, early 100 (D1 60, D3 10, D5 30).
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from funds.models import (
    DevelopmentStage,
    IndicatorGroup,
    IndicatorKind,
    LeverageBasis,
    LpType,
    MilestoneKind,
    ReinvestmentRule,
    ScoringRule,
    Subsector,
)
from funds.models import Indicator as IndicatorRow
from funds.performance import indicators as ind
from funds.performance import scoring
from funds.performance.inputs import Basis, Facts, Investment, KpiFigures, LpCommitment, MilestoneFact, Payment

D = Decimal
day = datetime.date
AS_OF = day(2026, 12, 31)
START = day(2020, 1, 1)
_refs = iter(range(1, 10_000))


def pay(on, amount, model="paidin"):
    return Payment(f"funds.{model}:{next(_refs)}", on, D(amount))


def commitment(lp_type, committed, committed_on=START, payments=(), investor=None):
    return LpCommitment(
        ref=f"funds.commitment:{next(_refs)}",
        investor=investor or f"LP {lp_type}",
        lp_type=lp_type,
        committed=D(committed),
        committed_on=committed_on,
        payments=tuple(pay(on, amount) for on, amount in payments),
    )


COMPANY_IDS = {"A": 1, "B": 2, "C": 3, "D": 4}


def investment(company, subsector, stage, tranches, **landing):
    return Investment(
        ref=f"funds.deal:{next(_refs)}",
        company_id=COMPANY_IDS[company],
        company=f"Company {company}",
        company_ref=f"funds.company:{COMPANY_IDS[company]}",
        subsector=subsector,
        development_stage=stage,
        disbursements=tuple(pay(on, amount, "disbursement") for on, amount in tranches),
        **landing,
    )


def milestone(company, kind, on):
    return MilestoneFact(f"funds.milestone:{next(_refs)}", COMPANY_IDS.get(company, 99), f"Company {company}", kind, on)


COMMITMENTS = (
    commitment(LpType.GOVERNMENT, 300, payments=[(day(2020, 3, 1), 100), (day(2021, 3, 1), 50)]),
    commitment(LpType.STATE_OWNED, 200, payments=[(day(2020, 3, 1), 100)]),
    commitment(
        LpType.SOCIAL, 500, committed_on=day(2020, 6, 1), payments=[(day(2020, 9, 1), 200), (day(2027, 1, 1), 100)]
    ),
    commitment(LpType.SOCIAL, 100, committed_on=day(2027, 1, 1)),
)
A1 = investment(
    "A",
    Subsector.INNOVATIVE_DRUGS,
    DevelopmentStage.PHASE_3,
    [(day(2022, 1, 15), 40), (day(2023, 1, 15), 20)],
    registered_on=day(2019, 5, 1),
)
B = investment(
    "B", Subsector.MEDICAL_DEVICES, DevelopmentStage.MARKETED, [(day(2022, 3, 15), 30)], hq_on=day(2023, 3, 15)
)
C = investment(
    "C",
    Subsector.DIGITAL_HEALTH,
    DevelopmentStage.PRECLINICAL,
    [(day(2025, 1, 10), 10)],
    registered_on=day(2026, 6, 1),
)
A2 = investment(
    "A", Subsector.INNOVATIVE_DRUGS, DevelopmentStage.PHASE_3, [(day(2025, 6, 1), 20)], registered_on=day(2019, 5, 1)
)
DD = investment(
    "D",
    Subsector.CELL_GENE,
    DevelopmentStage.PHASE_1,
    [(AS_OF, 30), (day(2027, 1, 5), 5)],
    production_on=day(2027, 2, 1),
)
MILESTONES = (
    milestone("A", MilestoneKind.PHASE_ADVANCE, day(2024, 6, 1)),  # shows D1 was early, not D4
    milestone("A", MilestoneKind.APPROVAL, day(2025, 5, 1)),  # last year
    milestone("C", MilestoneKind.IND_CLEARED, day(2026, 2, 1)),  # counts
    milestone("C", MilestoneKind.APPROVAL, day(2026, 3, 1)),  # counts
    milestone("B", MilestoneKind.READOUT, day(2026, 5, 1)),  # not a counted kind
    milestone("B", MilestoneKind.DEVICE_REGISTRATION, AS_OF),  # counts, on as of
    milestone("D", MilestoneKind.PHASE_ADVANCE, day(2026, 6, 1)),  # before the fund paid D
    milestone("Z", MilestoneKind.APPROVAL, day(2026, 5, 1)),  # not a portfolio company
    milestone("C", MilestoneKind.APPROVAL, day(2027, 1, 2)),  # after as of
)


def facts(**changes):
    values = {
        "year": 2026,
        "as_of": AS_OF,
        "commitments": COMMITMENTS,
        "investments": (A1, B, C, A2, DD),
        "milestones": MILESTONES,
    }
    return Facts(**{**values, **changes})


COMMITTED = Basis()
COMMITTED_WITH_STATE = Basis(state_capital_is_government=True)
PAID_IN = Basis(leverage_basis=LeverageBasis.PAID_IN)
PAID_IN_WITH_STATE = Basis(leverage_basis=LeverageBasis.PAID_IN, state_capital_is_government=True)
LANDED_12 = Basis(reinvestment_rule=ReinvestmentRule.LANDED_WITHIN, landing_months=12)


# --- leverage -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "basis, value, size, government",
    [
        (COMMITTED, "3.3333", 1000, 300),
        (COMMITTED_WITH_STATE, "2.0000", 1000, 500),
        (PAID_IN, "3.0000", 450, 150),
        (PAID_IN_WITH_STATE, "1.8000", 450, 250),
    ],
)
def test_leverage_on_each_basis(basis, value, size, government):
    figure = ind.leverage(facts(), basis)
    assert figure.value == D(value)
    assert (figure.numerator, figure.denominator) == (D(size), D(government))


def test_leverage_sources_are_the_rows_counted():
    committed = ind.leverage(facts(), COMMITTED)
    assert [source.ref for source in committed.sources] == [c.ref for c in COMMITMENTS[:3]]  # not the 2027 one
    assert {source.kind for source in committed.sources} == {"commitment"}
    paid = ind.leverage(facts(), PAID_IN)
    assert sorted(source.amount for source in paid.sources) == [D(50), D(100), D(100), D(200)]  # not 2027's 100
    assert {source.kind for source in paid.sources} == {"paid_in"}


def test_basis_of_an_indicator_set():
    class Set:
        leverage_basis = LeverageBasis.PAID_IN
        state_capital_is_government = True
        reinvestment_rule = ReinvestmentRule.LANDED_WITHIN
        landing_months = 18

    assert Basis.of(Set) == Basis(LeverageBasis.PAID_IN, True, ReinvestmentRule.LANDED_WITHIN, 18)


@pytest.mark.parametrize("key", [ind.LEVERAGE, ind.REINVESTMENT])
@pytest.mark.parametrize("basis", [COMMITTED, PAID_IN, COMMITTED_WITH_STATE])
def test_no_government_contribution_is_a_reason_not_a_crash(key, basis):
    social_only = facts(commitments=(commitment(LpType.SOCIAL, 500, payments=[(day(2020, 9, 1), 200)]),))
    figure = ind.INDICATORS[key].compute(social_only, basis)
    assert figure.value is None
    with translation.override("en"):
        assert str(figure.reason) == "No government contribution has been recorded yet."
    with translation.override("zh-hans"):
        assert "政府出资" in str(figure.reason)


def test_state_capital_alone_is_government_only_when_the_set_says_so():
    state_only = facts(commitments=(commitment(LpType.STATE_OWNED, 200), commitment(LpType.SOCIAL, 600)))
    assert ind.leverage(state_only, COMMITTED).value is None
    assert ind.leverage(state_only, COMMITTED_WITH_STATE).value == D(4)


def test_government_paid_nothing_yet_on_the_paid_in_basis():
    unpaid = facts(commitments=(commitment(LpType.GOVERNMENT, 300), COMMITMENTS[2]))
    assert ind.leverage(unpaid, COMMITTED).value == D("2.6667")
    assert ind.leverage(unpaid, PAID_IN).value is None


# --- local reinvestment ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "basis, value, amount",
    [
        (COMMITTED, "0.3000", 90),  # A 60 + 20, C 10 (registered in 2026, before as of); 300 government committed
        (COMMITTED_WITH_STATE, "0.1800", 90),
        (PAID_IN, "0.6000", 90),
        (LANDED_12, "0.3667", 110),  # A 80, B 30 (headquarters exactly 12 months after its first tranche)
    ],
)
def test_reinvestment_on_each_basis(basis, value, amount):
    figure = ind.reinvestment(facts(), basis)
    assert figure.value == D(value)
    assert figure.numerator == D(amount)


def test_reinvestment_sources_are_the_qualifying_tranches_and_the_government_contribution():
    figure = ind.reinvestment(facts(), COMMITTED)
    tranches = [source.ref for source in figure.sources if source.kind == "disbursement"]
    assert tranches == [p.ref for p in (*A1.disbursements, *C.disbursements, *A2.disbursements)]
    assert [source.ref for source in figure.sources if source.kind == "commitment"] == [COMMITMENTS[0].ref]


def test_registered_after_as_of_does_not_count():
    figure = ind.reinvestment(facts(as_of=day(2026, 5, 31)), COMMITTED)
    assert figure.numerator == D(80)  # C registers on 2026-06-01


def _landing_case(first_paid, landed, months=12):
    company = investment("B", Subsector.BIOLOGICS, DevelopmentStage.PHASE_1, [(first_paid, 100)], hq_on=landed)
    gov = commitment(LpType.GOVERNMENT, 100)
    return ind.reinvestment(
        facts(investments=(company,), commitments=(gov,)),
        Basis(reinvestment_rule=ReinvestmentRule.LANDED_WITHIN, landing_months=months),
    ).value


@pytest.mark.parametrize(
    "first_paid, landed, months, counts",
    [
        (day(2022, 3, 15), day(2023, 3, 15), 12, True),  # exactly N months later
        (day(2022, 3, 15), day(2023, 3, 16), 12, False),  # a day late
        (day(2024, 1, 31), day(2024, 2, 29), 1, True),  # a month after 31 January is the month's last day
        (day(2024, 1, 31), day(2024, 3, 1), 1, False),
        (day(2022, 3, 15), day(2022, 9, 15), 6, True),
        (day(2022, 3, 15), day(2021, 1, 1), 6, True),  # already in Pingshan before the fund came in
        (day(2022, 3, 15), None, 12, False),
    ],
)
def test_landing_window_boundaries(first_paid, landed, months, counts):
    assert _landing_case(first_paid, landed, months) == (D(1) if counts else D(0))


def test_the_window_runs_from_the_companys_first_tranche_over_all_its_deals():
    later_deal = investment(
        "A", Subsector.BIOLOGICS, DevelopmentStage.PHASE_1, [(day(2025, 1, 1), 50)], registered_on=day(2025, 6, 1)
    )
    earlier_deal = investment(
        "A", Subsector.BIOLOGICS, DevelopmentStage.PHASE_1, [(day(2023, 1, 1), 50)], registered_on=day(2025, 6, 1)
    )
    gov = commitment(LpType.GOVERNMENT, 100)
    figure = ind.reinvestment(facts(investments=(later_deal, earlier_deal), commitments=(gov,)), LANDED_12)
    assert figure.value == D(0)  # 2025-06-01 is more than 12 months after 2023-01-01


def test_reinvestment_target_zero_is_shown_not_scored():
    indicator = IndicatorRow(
        group=IndicatorGroup.POLICY,
        kind=IndicatorKind.FORMULA,
        key=ind.REINVESTMENT,
        label="返投比例",
        weight=D(0),
        target=D(0),
        rule=ScoringRule.LINEAR,
    )
    scoring.validate_indicator(indicator)
    points = scoring.score(indicator, ind.reinvestment(facts(), COMMITTED))
    assert points.points is None
    assert not points.scored


# --- pace, theme, early stage ---------------------------------------------------------------------------------------


def test_pace_paid_in_and_invested():
    assert ind.pace_paid_in(facts(), COMMITTED).value == D("45.00")  # 450 / 1000
    figure = ind.pace_invested(facts(), COMMITTED)
    assert figure.value == D("33.33")  # 150 / 450
    assert (figure.numerator, figure.denominator) == (D(150), D(450))
    assert len([s for s in figure.sources if s.kind == "disbursement"]) == 6  # D5's 2027 tranche left out


def test_pace_without_capital():
    empty = facts(commitments=(), investments=())
    assert ind.pace_paid_in(empty, COMMITTED).value is None
    with translation.override("en"):
        assert "paid in" in str(ind.pace_invested(empty, COMMITTED).reason)


def test_theme_focus_leaves_out_digital_health():
    figure = ind.theme_focus(facts(), COMMITTED)
    assert figure.value == D("93.33")  # 140 / 150
    assert figure.numerator == D(140)
    assert Subsector.DIGITAL_HEALTH not in ind.BIOMEDICINE
    assert Subsector.SYNTHETIC_BIOLOGY in ind.BIOMEDICINE
    # The counted tranches come first; every tranche is listed once.
    assert len(figure.sources) == 6
    assert figure.sources[-1].ref == C.disbursements[0].ref


def test_early_stage_at_the_time_of_the_investment():
    figure = ind.early_stage(facts(), COMMITTED)
    assert figure.numerator == D(100)  # D1 (its phase advance came later), D3 (preclinical), D5 (Phase I)
    assert figure.value == D("66.67")


def test_early_stage_without_evidence_is_the_stage_now():
    assert ind.early_stage(facts(milestones=()), COMMITTED).numerator == D(40)  # C 10 and D 30


def test_nothing_invested_yet():
    empty = facts(investments=())
    for compute in (ind.theme_focus, ind.early_stage):
        figure = compute(empty, COMMITTED)
        assert figure.value is None
        with translation.override("en"):
            assert str(figure.reason) == "Nothing has been invested yet."


# --- landing, milestones --------------------------------------------------------------------------------------------


def test_landing_cumulative_and_in_the_year():
    cumulative = ind.landing(facts(), COMMITTED)
    assert cumulative.value == 3  # A (2019), B (2023), C (2026); D only in 2027
    assert [source.ref for source in cumulative.sources] == ["funds.company:1", "funds.company:2", "funds.company:3"]
    assert [source.on for source in cumulative.sources] == [day(2019, 5, 1), day(2023, 3, 15), day(2026, 6, 1)]
    in_year = ind.landing_in_year(facts(), COMMITTED)
    assert in_year.value == 1
    assert in_year.sources[0].ref == "funds.company:3"
    assert ind.landing_in_year(facts(year=2023, as_of=day(2023, 12, 31)), COMMITTED).value == 1  # B


def test_landing_counts_companies_paid_by_as_of():
    assert ind.landing(facts(as_of=day(2024, 12, 31)), COMMITTED).value == 2  # C paid in 2025


def test_milestones_in_the_year_after_the_fund_came_in():
    figure = ind.milestones(facts(), COMMITTED)
    assert figure.value == 3
    assert [source.on for source in figure.sources] == [day(2026, 2, 1), day(2026, 3, 1), AS_OF]
    assert {source.kind for source in figure.sources} == {"milestone"}
    assert ind.milestones(facts(as_of=day(2026, 2, 28)), COMMITTED).value == 1


# --- social benefit growth ------------------------------------------------------------------------------------------


def kpi(company, start, end, revenue=None, tax=None, headcount=None, patents=None):
    return KpiFigures(
        ref=f"funds.kpireport:{next(_refs)}",
        company_id=COMPANY_IDS[company],
        company=f"Company {company}",
        period_start=start,
        period_end=end,
        revenue=None if revenue is None else D(revenue),
        tax_paid=None if tax is None else D(tax),
        headcount=headcount,
        patents=patents,
    )


KPIS = (
    kpi("A", day(2025, 1, 1), day(2025, 12, 31), 100, 10, 50, 2),
    kpi("A", day(2026, 1, 1), day(2026, 12, 31), 999, 99, 99, 99),  # replaced by the later row of the same period
    kpi("A", day(2026, 1, 1), day(2026, 12, 31), 130, 12, 60, 3),
    kpi("B", day(2025, 1, 1), day(2025, 6, 30), 40, headcount=20),
    kpi("B", day(2025, 7, 1), day(2025, 12, 31), 60, headcount=25),
    kpi("B", day(2026, 1, 1), day(2026, 6, 30), 50, headcount=30),
    kpi("B", day(2026, 7, 1), day(2026, 12, 31), 70, headcount=28),
    kpi("C", day(2026, 1, 1), day(2026, 12, 31), 500, 50, 10, 1),  # no 2025 report: not like for like
)


@pytest.mark.parametrize(
    "key, value, now, before",
    [
        (ind.REVENUE_GROWTH, "25.00", 250, 200),  # A 100 → 130, B 40 + 60 → 50 + 70
        (ind.TAX_GROWTH, "20.00", 12, 10),  # A only
        (ind.HEADCOUNT_GROWTH, "17.33", 88, 75),  # a level: A 50 → 60, B's latest 25 → 28
        (ind.PATENTS_GROWTH, "50.00", 3, 2),
    ],
)
def test_growth_like_for_like(key, value, now, before):
    figure = ind.INDICATORS[key].compute(facts(kpi_reports=KPIS), COMMITTED)
    assert figure.value == D(value)
    assert (figure.numerator, figure.denominator) == (D(now), D(before))
    assert all(source.kind == "kpi_report" for source in figure.sources)
    assert KPIS[7].ref not in {source.ref for source in figure.sources}
    assert KPIS[1].ref not in {source.ref for source in figure.sources}


def test_growth_mid_year_compares_the_same_months():
    figure = ind.INDICATORS[ind.REVENUE_GROWTH].compute(facts(kpi_reports=KPIS, as_of=day(2026, 6, 30)), COMMITTED)
    assert (figure.numerator, figure.denominator, figure.value) == (D(50), D(40), D("25.00"))


def test_growth_without_a_previous_year_or_from_zero():
    only_now = facts(kpi_reports=(KPIS[7],))
    figure = ind.INDICATORS[ind.REVENUE_GROWTH].compute(only_now, COMMITTED)
    assert figure.value is None
    with translation.override("en"):
        assert "both 2025 and 2026" in str(figure.reason)
    zero = facts(
        kpi_reports=(
            kpi("A", day(2025, 1, 1), day(2025, 12, 31), tax=0),
            kpi("A", day(2026, 1, 1), day(2026, 12, 31), tax=5),
        )
    )
    figure = ind.INDICATORS[ind.TAX_GROWTH].compute(zero, COMMITTED)
    assert figure.value is None
    assert len(figure.sources) == 2
    with translation.override("en"):
        assert "was zero" in str(figure.reason)


# --- the registry ---------------------------------------------------------------------------------------------------


def test_every_indicator_has_a_label_in_both_languages_and_a_unit():
    assert set(ind.INDICATORS) == {
        "leverage",
        "reinvestment",
        "pace_paid_in",
        "pace_invested",
        "theme_focus",
        "early_stage",
        "landing",
        "landing_in_year",
        "revenue_growth",
        "tax_growth",
        "headcount_growth",
        "patents_growth",
        "milestones",
    }
    for definition in ind.INDICATORS.values():
        assert definition.unit in ind.Unit.values
        with translation.override("en"):
            english = str(definition.label)
        with translation.override("zh-hans"):
            chinese = str(definition.label)
        assert english != chinese, english
    with translation.override("zh-hans"):
        assert str(ind.INDICATORS[ind.LEVERAGE].label) == "财政资金放大倍数"
        assert str(ind.INDICATORS[ind.REINVESTMENT].label) == "返投比例"
    assert ind.INDICATORS[ind.LEVERAGE].symbol == "×"
    assert ind.INDICATORS[ind.PACE_PAID_IN].symbol == "%"


def test_compute_all_on_empty_facts_never_raises():
    empty = Facts(year=2026, as_of=AS_OF)
    figures = ind.compute_all(empty, COMMITTED)
    assert set(figures) == set(ind.INDICATORS)
    for key, figure in figures.items():
        if ind.INDICATORS[key].unit == ind.Unit.COUNT:
            assert figure.value == 0
        else:
            assert figure.value is None and str(figure.reason), key
