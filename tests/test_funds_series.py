"""The fund's cash flows as tables: the deal table, the fund's gross and net figures, the quarterly series (pure,
from hand-built frames with hand-computed answers) and the database read of funds/performance/flows.py."""

import datetime
import math
from decimal import Decimal

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funds.models import Commitment, Disbursement, Exit, ExitKind, LpDistribution, LpType, PaidIn, Valuation
from funds.performance import flows as flows_module
from funds.performance import metrics, series
from funds.performance.flows import (
    DEAL_FLOW_COLUMNS,
    DISBURSEMENT,
    DISTRIBUTION,
    EXIT,
    LP_FLOW_COLUMNS,
    PAID_IN,
    VALUATION_COLUMNS,
    frame,
)
from tests.factories import OrganizationFactory
from tests.funds_world import FundWorld, make_company, make_deal

D = datetime.date
AS_OF = D(2024, 12, 31)
WAN = 10_000 * 100  # one 万元 in fen


def flow(deal, on, wan, kind, exit_kind=""):
    sign = -1 if kind == DISBURSEMENT else 1
    return (deal, on, sign * round(wan * WAN), kind, exit_kind, f"公司{deal}", f"funds.{kind}:{deal}{on:%m%d}")


def valuation(deal, on, wan):
    return (deal, on, round(wan * WAN), "last_round", f"公司{deal}", f"funds.valuation:{deal}{on:%m%d}")


def portfolio():
    """Four deals (amounts in 万元):

    1. paid 100 on 2022-01-01, valued 150 on 2023-01-01, exited for 200 on 2024-01-01 (a later valuation of 300 is
       ignored: the exit ended the holding);
    2. paid 50 on 2022-07-01, liquidated for nothing on 2024-07-01 (a write-off);
    3. paid 80 on 2023-01-01 and 20 on 2024-10-01, never valued (held at cost);
    4. paid 60 on 2023-04-01, valued 90 on 2023-12-31, paid 40 more on 2024-03-31 (rolled forward: 130).
    """
    deal_flows = frame(
        [
            flow(1, D(2022, 1, 1), 100, DISBURSEMENT),
            flow(1, D(2024, 1, 1), 200, EXIT, ExitKind.TRADE_SALE),
            flow(2, D(2022, 7, 1), 50, DISBURSEMENT),
            flow(2, D(2024, 7, 1), 0, EXIT, ExitKind.LIQUIDATION),
            flow(3, D(2023, 1, 1), 80, DISBURSEMENT),
            flow(3, D(2024, 10, 1), 20, DISBURSEMENT),
            flow(4, D(2023, 4, 1), 60, DISBURSEMENT),
            flow(4, D(2024, 3, 31), 40, DISBURSEMENT),
        ],
        DEAL_FLOW_COLUMNS,
    )
    valuations = frame(
        [
            valuation(1, D(2023, 1, 1), 150),
            valuation(1, D(2024, 6, 30), 300),
            valuation(4, D(2023, 12, 31), 90),
        ],
        VALUATION_COLUMNS,
    )
    return deal_flows, valuations


def lp(rows):
    return frame(
        [
            (1, LpType.GOVERNMENT, on, (-1 if kind == PAID_IN else 1) * wan * WAN, kind, "区引导基金", f"x:{n}")
            for n, (on, wan, kind) in enumerate(rows)
        ],
        LP_FLOW_COLUMNS,
    )


def wan(amount) -> Decimal:
    return Decimal(amount) * 10_000


def npv(rate, dated):
    first = min(on for on, _amount in dated)
    return sum(float(amount) / (1 + rate) ** ((on - first).days / 365) for on, amount in dated)


# --- the deal table -----------------------------------------------------------------------------------------------


def test_deal_table_by_hand():
    table = series.deal_table(*portfolio(), AS_OF)
    assert list(table.index) == [1, 2, 3, 4]

    exited = table.loc[1]
    assert (exited.invested, exited.realized, exited.nav) == (wan(100), wan(200), Decimal(0))
    assert exited.nav_basis == series.EXITED and exited.valued_on is None
    assert exited.moic == 2
    assert exited.irr == pytest.approx(math.sqrt(2) - 1, abs=1e-9)  # doubled in 730 days
    assert (exited.first_flow, exited.last_flow, exited.exited_on) == (D(2022, 1, 1), D(2024, 1, 1), D(2024, 1, 1))

    written_off = table.loc[2]
    assert (written_off.invested, written_off.realized, written_off.nav, written_off.moic) == (wan(50), 0, 0, 0)
    assert written_off.irr == -1.0 and written_off.irr_reason == ""
    assert written_off.exited_on == D(2024, 7, 1)

    at_cost = table.loc[3]
    assert (at_cost.invested, at_cost.nav, at_cost.nav_basis, at_cost.moic) == (wan(100), wan(100), series.COST, 1)
    assert at_cost.irr == pytest.approx(0, abs=1e-9)
    assert at_cost.exited_on is None and at_cost.valued_on is None

    rolled = table.loc[4]
    assert (rolled.invested, rolled.nav, rolled.nav_basis) == (wan(100), wan(130), series.VALUATION)
    assert rolled.valued_on == D(2023, 12, 31)
    assert rolled.moic == Decimal("1.3")
    dated = [(D(2023, 4, 1), -60), (D(2024, 3, 31), -40), (AS_OF, 130)]
    assert npv(rolled.irr, dated) == pytest.approx(0, abs=1e-6)
    assert rolled.irr > 0


def test_deal_table_money_is_exact_decimal():
    deal_flows = frame([(7, D(2024, 1, 1), -1_234_567_890_123_456, DISBURSEMENT, "", "x", "r")], DEAL_FLOW_COLUMNS)
    table = series.deal_table(deal_flows, frame([], VALUATION_COLUMNS), AS_OF)
    assert table.loc[7].invested == Decimal("12345678901234.56")
    assert table.loc[7].nav == Decimal("12345678901234.56")


def test_deal_table_as_of_earlier_leaves_later_rows_out():
    table = series.deal_table(*portfolio(), D(2023, 6, 30))
    assert list(table.index) == [1, 2, 3, 4]
    assert table.loc[1].nav == wan(150) and table.loc[1].realized == 0 and table.loc[1].exited_on is None
    assert table.loc[2].nav == wan(50)  # not yet liquidated: at cost
    assert table.loc[4].nav == wan(60) and table.loc[4].nav_basis == series.COST  # its valuation comes later


def test_deal_with_a_valuation_and_no_money_has_no_moic_or_irr():
    valuations = frame([valuation(9, D(2024, 1, 1), 10)], VALUATION_COLUMNS)
    table = series.deal_table(frame([], DEAL_FLOW_COLUMNS), valuations, AS_OF)
    row = table.loc[9]
    assert row.nav == wan(10) and row.moic is None and row.moic_reason == series.NOTHING_INVESTED
    assert row.irr is None and row.irr_reason == series.NO_SIGN_CHANGE


def test_deal_with_two_irrs_is_marked_multiple():
    deal_flows = frame(
        [
            (5, D(2021, 1, 1), -100 * WAN, DISBURSEMENT, "", "x", "a"),  # 365 days apart: roots 10 % and 20 %
            (5, D(2022, 1, 1), 230 * WAN, EXIT, ExitKind.TRADE_SALE, "x", "b"),
            (5, D(2023, 1, 1), -132 * WAN, DISBURSEMENT, "", "x", "c"),
        ],
        DEAL_FLOW_COLUMNS,
    )
    row = series.deal_table(deal_flows, frame([], VALUATION_COLUMNS), AS_OF).loc[5]
    assert row.irr is None and row.irr_reason == metrics.MultipleIrr.reason
    assert row.irr_roots == pytest.approx((0.1, 0.2), abs=1e-6)


def test_empty_deal_table():
    table = series.deal_table(frame([], DEAL_FLOW_COLUMNS), frame([], VALUATION_COLUMNS), AS_OF)
    assert table.empty and "irr" in table.columns


# --- fund figures -------------------------------------------------------------------------------------------------


def test_gross_figures_by_hand():
    deal_flows, valuations = portfolio()
    figures = series.fund_figures(deal_flows, valuations, AS_OF)
    gross = figures.gross
    assert (gross.paid_in.value, gross.distributed.value, gross.nav.value) == (wan(350), wan(200), wan(230))
    assert gross.dpi.value == Decimal(200) / Decimal(350)
    assert gross.rvpi.value == Decimal(230) / Decimal(350)
    assert gross.tvpi.value == gross.dpi.value + gross.rvpi.value
    assert abs(gross.tvpi.value - Decimal(430) / Decimal(350)) < Decimal("1e-26")
    assert (gross.tvpi.numerator, gross.tvpi.denominator) == (wan(430), wan(350))
    dated = [
        (D(2022, 1, 1), -100),
        (D(2022, 7, 1), -50),
        (D(2023, 1, 1), -80),
        (D(2023, 4, 1), -60),
        (D(2024, 1, 1), 200),
        (D(2024, 3, 31), -40),
        (D(2024, 10, 1), -20),
        (AS_OF, 230),
    ]
    assert npv(gross.irr.value, dated) == pytest.approx(0, abs=1e-6)
    # Every number lists its rows: six tranches, two exits (one for nothing), the NAV's two holdings.
    assert len(gross.paid_in.sources) == 6 and {s.kind for s in gross.paid_in.sources} == {DISBURSEMENT}
    assert sorted(s.amount for s in gross.distributed.sources) == [0, wan(200)]
    assert {(s.kind, s.amount) for s in gross.nav.sources} == {(series.COST, wan(100)), (series.VALUATION, wan(130))}
    assert "funds.valuation:41231" in {s.ref for s in gross.nav.sources}
    assert len(gross.irr.sources) == 6 + 2 + 2
    assert figures.net is None
    assert gross.ks_pme.value is None and gross.ks_pme.reason == series.NO_INDEX


def test_a_flat_index_makes_ks_pme_the_tvpi_and_direct_alpha_the_irr():
    deal_flows, valuations = portfolio()
    flat = {D(2021, 1, 1): 100, D(2024, 12, 31): 100}
    gross = series.fund_figures(deal_flows, valuations, AS_OF, index=flat).gross
    assert gross.ks_pme.value == pytest.approx(430 / 350, abs=1e-9)
    assert gross.direct_alpha.value == pytest.approx(gross.irr.value, abs=1e-9)


def test_an_index_starting_after_the_first_flow_explains_itself():
    deal_flows, valuations = portfolio()
    late = {D(2023, 1, 1): 100, D(2024, 12, 31): 120}
    gross = series.fund_figures(deal_flows, valuations, AS_OF, index=late).gross
    assert gross.ks_pme.value is None and gross.direct_alpha.value is None
    assert "2022-01-01" in str(gross.ks_pme.reason) and "2023-01-01" in str(gross.ks_pme.reason)


def test_net_figures_hold_the_funds_cash_in_its_nav():
    deal_flows, valuations = portfolio()
    lp_flows = lp([(D(2021, 12, 15), 400, PAID_IN), (D(2024, 2, 1), 150, DISTRIBUTION)])
    figures = series.fund_figures(deal_flows, valuations, AS_OF, lp_flows=lp_flows, index={D(2021, 1, 1): 100})
    assert figures.cash.value == wan(400 - 350 + 200 - 150)
    net = figures.net
    assert (net.paid_in.value, net.distributed.value, net.nav.value) == (wan(400), wan(150), wan(330))
    assert net.dpi.value == Decimal(150) / Decimal(400)
    assert net.tvpi.value == Decimal("1.2")
    dated = [(D(2021, 12, 15), -400), (D(2024, 2, 1), 150), (AS_OF, 330)]
    assert npv(net.irr.value, dated) == pytest.approx(0, abs=1e-6)
    assert net.ks_pme.value == pytest.approx(1.2, abs=1e-9)  # a flat index
    assert {s.kind for s in net.paid_in.sources} == {PAID_IN}


def test_net_figures_when_the_lp_flows_are_incomplete():
    deal_flows, valuations = portfolio()
    lp_flows = lp([(D(2021, 12, 15), 100, PAID_IN), (D(2024, 2, 1), 10, DISTRIBUTION)])
    figures = series.fund_figures(deal_flows, valuations, AS_OF, lp_flows=lp_flows)
    assert figures.cash.value is None and figures.cash.reason == series.CASH_UNKNOWN
    assert figures.net.dpi.value == Decimal("0.1")  # still known
    for unknown in (figures.net.nav, figures.net.rvpi, figures.net.tvpi, figures.net.irr):
        assert unknown.value is None and unknown.reason == series.CASH_UNKNOWN


def test_no_flows_no_figures():
    figures = series.fund_figures(frame([], DEAL_FLOW_COLUMNS), frame([], VALUATION_COLUMNS), AS_OF)
    assert figures.gross.paid_in.value == 0
    assert figures.gross.dpi.reason == series.NOTHING_PAID_IN and figures.gross.tvpi.reason == series.NOTHING_PAID_IN
    assert figures.gross.irr.value is None and figures.gross.irr.reason == series.NO_SIGN_CHANGE


# --- the quarterly series -----------------------------------------------------------------------------------------


def test_quarterly_by_hand():
    table = series.quarterly(*portfolio(), AS_OF).set_index("quarter")
    assert list(table.columns) == series.QUARTER_COLUMNS[1:]
    assert list(table.index) == [f"{year}Q{q}" for year in (2022, 2023, 2024) for q in (1, 2, 3, 4)]
    expected = {  # quarter: (paid-in, distributed, NAV) in 万元
        "2022Q1": (100, 0, 100),
        "2022Q3": (150, 0, 150),
        "2023Q1": (230, 0, 280),  # deal 1 valued at 150
        "2023Q4": (290, 0, 370),  # deal 4 valued at 90 on the quarter's last day
        "2024Q1": (330, 200, 260),  # deal 1 exited; deal 4's tranche on the quarter's last day rolls forward
        "2024Q2": (330, 200, 260),  # deal 1's valuation after its exit is ignored
        "2024Q3": (330, 200, 210),  # deal 2 written off
        "2024Q4": (350, 200, 230),
    }
    for quarter, (paid, back, nav) in expected.items():
        row = table.loc[quarter]
        assert (row.paid_in, row.distributed, row.nav) == (wan(paid), wan(back), wan(nav)), quarter
        assert row.net_cash_flow == wan(back - paid)
        assert row.dpi == Decimal(back) / Decimal(paid)
        assert abs(row.tvpi - Decimal(back + nav) / Decimal(paid)) < Decimal("1e-26")
    assert table.loc["2022Q1", "on"] == D(2022, 3, 31) and table.loc["2024Q4", "on"] == AS_OF
    assert table.loc["2022Q1", "irr"] == pytest.approx(0, abs=1e-9)  # held at cost
    # The last quarter's figures are the fund's as of the same day.
    gross = series.fund_figures(*portfolio(), AS_OF).gross
    assert table.loc["2024Q4", "irr"] == pytest.approx(gross.irr.value, abs=1e-12)
    assert table.loc["2024Q4", "tvpi"] == gross.tvpi.value


def test_quarter_boundaries_and_the_running_quarter():
    deal_flows = frame(
        [
            (1, D(2023, 3, 31), -10 * WAN, DISBURSEMENT, "", "x", "a"),  # the quarter's last day: in Q1
            (1, D(2023, 4, 1), -5 * WAN, DISBURSEMENT, "", "x", "b"),  # the next day: in Q2
        ],
        DEAL_FLOW_COLUMNS,
    )
    table = series.quarterly(deal_flows, frame([], VALUATION_COLUMNS), D(2023, 8, 15))
    assert list(table["quarter"]) == ["2023Q1", "2023Q2", "2023Q3"]
    assert list(table["on"]) == [D(2023, 3, 31), D(2023, 6, 30), D(2023, 8, 15)]  # Q3 is still running
    assert list(table["paid_in"]) == [wan(10), wan(15), wan(15)]
    assert series.quarterly(deal_flows, frame([], VALUATION_COLUMNS), D(2023, 3, 30)).empty


def test_quarterly_irr_with_multiple_roots_gives_the_reason():
    deal_flows = frame(
        [
            (5, D(2021, 1, 1), -100 * WAN, DISBURSEMENT, "", "x", "a"),
            (5, D(2022, 1, 1), 230 * WAN, EXIT, ExitKind.TRADE_SALE, "x", "b"),
            (6, D(2023, 1, 1), -132 * WAN, DISBURSEMENT, "", "x", "c"),
            (6, D(2023, 1, 1), 0, EXIT, ExitKind.LIQUIDATION, "x", "d"),
        ],
        DEAL_FLOW_COLUMNS,
    )
    table = series.quarterly(deal_flows, frame([], VALUATION_COLUMNS), D(2023, 1, 1)).set_index("quarter")
    assert table.loc["2023Q1", "on"] == D(2023, 1, 1)
    assert table.loc["2023Q1", "irr"] is None
    assert table.loc["2023Q1", "irr_reason"] == metrics.MultipleIrr.reason
    assert table.loc["2022Q1", "irr"] == pytest.approx(1.3, abs=1e-9)  # 2.3 times in 365 days
    assert table.loc["2021Q1", "irr"] == pytest.approx(0, abs=1e-9)  # at cost


def test_quarter_ends():
    assert series.quarter_ends(pd.Timestamp("2024-02-29"), D(2024, 7, 1)) == [
        pd.Timestamp("2024-03-31"),
        pd.Timestamp("2024-06-30"),
        pd.Timestamp("2024-07-01"),
    ]


# --- the database read --------------------------------------------------------------------------------------------


def fill(world, count, *, as_of=AS_OF):
    """``count`` deals of the world's fund, each with two paid tranches (one planned only), a valuation, and every
    third one exited; plus a row after ``as_of`` and a deal of the other fund, which the read must leave out."""
    deals = []
    for n in range(count):
        deal = make_deal(world, company=make_company())
        for number, (paid_on, amount) in enumerate(((D(2022, 1, 10), "1000000.10"), (D(2023, 2, 1), "500000")), 1):
            Disbursement.objects.create(
                deal=deal,
                number=number,
                planned_on=paid_on,
                planned_amount=Decimal(amount),
                paid_on=paid_on,
                paid_amount=Decimal(amount),
            )
        Disbursement.objects.create(deal=deal, number=3, planned_on=D(2024, 6, 1), planned_amount=Decimal(1))
        Disbursement.objects.create(
            deal=deal, number=4, planned_on=D(2025, 1, 5), planned_amount=Decimal(9), paid_on=D(2025, 1, 5),
            paid_amount=Decimal(9),
        )  # fmt: skip
        Valuation.objects.create(deal=deal, valued_on=D(2023, 12, 31), value=Decimal("2000000"), method="last_round")
        Valuation.objects.create(deal=deal, valued_on=D(2025, 3, 31), value=Decimal("1"), method="last_round")
        if n % 3 == 0:
            Exit.objects.create(deal=deal, exited_on=D(2024, 5, 1), proceeds=Decimal("3000000"), kind=ExitKind.IPO)
        deals.append(deal)
    other = make_deal(world.other_fund, company=make_company())
    Disbursement.objects.create(
        deal=other, number=1, planned_on=D(2022, 1, 1), planned_amount=Decimal(7), paid_on=D(2022, 1, 1),
        paid_amount=Decimal(7),
    )  # fmt: skip
    make_deal(world, company=make_company())  # in the pipeline, no money: not a row
    return deals


def lps(world):
    government = Commitment.objects.create(
        fund=world.fund,
        investor=OrganizationFactory(name="坪山区政府引导基金"),
        lp_type=LpType.GOVERNMENT,
        committed=Decimal("100000000"),
        committed_on=D(2021, 6, 1),
    )
    paid = PaidIn.objects.create(commitment=government, paid_on=D(2021, 12, 1), amount=Decimal("50000000"))
    PaidIn.objects.create(commitment=government, paid_on=D(2025, 2, 1), amount=Decimal("1"))  # after as_of
    back = LpDistribution.objects.create(commitment=government, paid_on=D(2024, 6, 1), amount=Decimal("1500000.5"))
    return paid, back


@pytest.mark.django_db
def test_read_frames():
    world = FundWorld.build()
    deals = fill(world, 3)
    paid, back = lps(world)
    read = flows_module.read(world.fund, AS_OF)

    assert list(read.deals["deal"]) == [deal.pk for deal in deals]
    assert read.deals.loc[0, "company"] == deals[0].company.organization.name

    deal_flows = read.deal_flows
    assert list(deal_flows.columns) == DEAL_FLOW_COLUMNS
    assert str(deal_flows["on"].dtype) == "datetime64[us]" and str(deal_flows["cents"].dtype) == "int64"
    first = deal_flows[deal_flows["deal"] == deals[0].pk]
    assert list(first["kind"]) == [DISBURSEMENT, DISBURSEMENT, EXIT]
    assert list(first["cents"]) == [-100_000_010, -50_000_000, 300_000_000]
    assert list(first["exit_kind"]) == ["", "", ExitKind.IPO]
    tranche = Disbursement.objects.get(deal=deals[0], number=1)
    assert first.iloc[0]["ref"] == f"funds.disbursement:{tranche.pk}"
    assert first.iloc[2]["ref"] == f"funds.exit:{deals[0].exit.pk}"
    assert len(deal_flows) == 3 * 2 + 1  # the planned tranche, the later tranche and the other fund's are not read
    assert deal_flows["on"].is_monotonic_increasing

    assert list(read.valuations["cents"]) == [200_000_000] * 3  # the valuation after as_of is left out
    assert list(read.lp_flows[["kind", "cents"]].itertuples(index=False, name=None)) == [
        (PAID_IN, -5_000_000_000),
        (DISTRIBUTION, 150_000_050),
    ]
    assert list(read.lp_flows["ref"]) == [f"funds.paidin:{paid.pk}", f"funds.lpdistribution:{back.pk}"]

    # The frames feed the tables directly.
    table = series.deal_table(read.deal_flows, read.valuations, AS_OF)
    assert table.loc[deals[0].pk, "nav"] == 0 and table.loc[deals[1].pk, "nav"] == Decimal("2000000.00")
    figures = series.fund_figures(
        read.deal_flows, read.valuations, AS_OF, lp_flows=read.lp_flows, deals=read.deals
    )  # fmt: skip
    assert figures.gross.paid_in.value == Decimal("4500000.30")
    assert figures.gross.nav.value == Decimal("4000000.00")
    assert {s.label for s in figures.gross.nav.sources} == {deal.company.organization.name for deal in deals[1:]}


@pytest.mark.django_db
def test_read_of_a_fund_with_nothing_recorded():
    world = FundWorld.build()
    read = flows_module.read(world.fund, AS_OF)
    assert read.deals.empty and read.deal_flows.empty and read.valuations.empty and read.lp_flows.empty
    assert list(read.lp_flows.columns) == LP_FLOW_COLUMNS
    assert series.quarterly(read.deal_flows, read.valuations, AS_OF).empty
    assert series.fund_figures(read.deal_flows, read.valuations, AS_OF, lp_flows=read.lp_flows).net is None


@pytest.mark.django_db
def test_read_takes_the_same_queries_for_3_and_30_deals():
    world = FundWorld.build()
    lps(world)
    fill(world, 3)
    with CaptureQueriesContext(connection) as few:
        small = flows_module.read(world.fund, AS_OF)
    fill(world, 27)
    with CaptureQueriesContext(connection) as many:
        large = flows_module.read(world.fund, AS_OF)
    assert len(small.deals) == 3 and len(large.deals) == 30
    assert len(large.deal_flows) == 30 * 2 + 10
    assert len(few.captured_queries) == len(many.captured_queries) == 6
