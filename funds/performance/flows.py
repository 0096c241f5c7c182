"""The fund's recorded cash flows and valuations read into pandas DataFrames, in a fixed number of queries.

``read(fund, as_of)`` returns every frame the performance figures are computed from (``funds.performance.series``):

- ``deals``: one row per deal with money in it by ``as_of`` (a paid tranche, an exit or a valuation): ``deal``,
  ``company`` / ``company_en`` (the organization's names), ``subsector``, ``development_stage``, ``stage``, ``round``;
- ``deal_flows`` (fund ↔ companies, "gross"): ``deal``, ``on``, ``cents``, ``kind``, ``exit_kind``, ``label``,
  ``ref`` — a paid tranche (``Disbursement``) is negative, an exit's proceeds (``Exit``) positive; a liquidation
  with no proceeds stays as a zero row, so the exit (and the end of the holding) is still seen;
- ``valuations``: ``deal``, ``on``, ``cents``, ``method``, ``label``, ``ref``;
- ``lp_flows`` (LPs ↔ fund, "net"): ``commitment``, ``lp_type``, ``on``, ``cents``, ``kind``, ``label``, ``ref`` —
  paid-in capital (``PaidIn``) negative, distributions (``LpDistribution``) positive.

Money is held as exact integer fen (``cents``, int64: 16-digit amounts with 2 decimals fit) so that sums and
cumulative sums stay exact and vectorised; ``series`` turns them back into ``Decimal`` yuan where it hands figures
out. Dates are ``datetime64`` columns (``on``). ``ref`` is ``"<app>.<model>:<pk>"`` (e.g.
``"funds.disbursement:12"``), the row a figure's ``Source`` points to. Rows after ``as_of`` are not read.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
from django.db.models import Exists, OuterRef, Q

from funds.models import Deal, Disbursement, Exit, LpDistribution, PaidIn, Valuation

DEAL_COLUMNS = ["deal", "company", "company_en", "subsector", "development_stage", "stage", "round"]
DEAL_FLOW_COLUMNS = ["deal", "on", "cents", "kind", "exit_kind", "label", "ref"]
VALUATION_COLUMNS = ["deal", "on", "cents", "method", "label", "ref"]
LP_FLOW_COLUMNS = ["commitment", "lp_type", "on", "cents", "kind", "label", "ref"]

DISBURSEMENT = "disbursement"
EXIT = "exit"
PAID_IN = "paid_in"
DISTRIBUTION = "distribution"


@dataclass(frozen=True)
class Flows:
    """A fund's frames as of a date (see the module's docstring for their columns)."""

    as_of: date
    deals: pd.DataFrame
    deal_flows: pd.DataFrame
    valuations: pd.DataFrame
    lp_flows: pd.DataFrame


def cents(amounts) -> list[int]:
    """Exact fen of ``Decimal`` yuan amounts (a float would round 16-digit amounts)."""
    return [int(Decimal(amount).scaleb(2)) for amount in amounts]


def frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """A frame of ``columns`` with ``on`` as datetime64 and ``cents`` as int64, also when there are no rows."""
    table = pd.DataFrame.from_records(rows, columns=columns)
    table["on"] = pd.to_datetime(table["on"]).astype("datetime64[us]")
    table["cents"] = table["cents"].astype("int64")
    key = "commitment" if "commitment" in columns else "deal"
    table[key] = table[key].astype("int64")
    return table


def read(fund, as_of: date) -> Flows:
    """Six queries, whatever the number of deals and flows."""
    return Flows(
        as_of=as_of,
        deals=read_deals(fund, as_of),
        deal_flows=read_deal_flows(fund, as_of),
        valuations=read_valuations(fund, as_of),
        lp_flows=read_lp_flows(fund, as_of),
    )


def read_deals(fund, as_of: date) -> pd.DataFrame:
    paid = Disbursement.objects.filter(deal=OuterRef("pk"), paid_on__lte=as_of)
    exited = Exit.objects.filter(deal=OuterRef("pk"), exited_on__lte=as_of)
    valued = Valuation.objects.filter(deal=OuterRef("pk"), valued_on__lte=as_of)
    rows = (
        Deal.objects.filter(fund=fund)
        .filter(Q(Exists(paid)) | Q(Exists(exited)) | Q(Exists(valued)))
        .order_by("pk")
        .values_list(
            "pk",
            "company__organization__name",
            "company__organization__name_en",
            "company__subsector",
            "company__development_stage",
            "stage",
            "round",
        )
    )
    return pd.DataFrame.from_records(list(rows), columns=DEAL_COLUMNS).astype({"deal": "int64"})


def read_deal_flows(fund, as_of: date) -> pd.DataFrame:
    tranches = list(
        Disbursement.objects.filter(deal__fund=fund, paid_on__lte=as_of)
        .order_by("paid_on", "pk")
        .values_list("pk", "deal_id", "paid_on", "paid_amount", "deal__company__organization__name")
    )
    exits = list(
        Exit.objects.filter(deal__fund=fund, exited_on__lte=as_of)
        .order_by("exited_on", "pk")
        .values_list("pk", "deal_id", "exited_on", "proceeds", "kind", "deal__company__organization__name")
    )
    paid = cents(row[3] for row in tranches)
    received = cents(row[3] for row in exits)
    rows = [
        (deal, on, -amount, DISBURSEMENT, "", company, f"funds.disbursement:{pk}")
        for (pk, deal, on, _paid, company), amount in zip(tranches, paid, strict=True)
    ]
    rows += [
        (deal, on, amount, EXIT, kind, company, f"funds.exit:{pk}")
        for (pk, deal, on, _proceeds, kind, company), amount in zip(exits, received, strict=True)
    ]
    return frame(rows, DEAL_FLOW_COLUMNS).sort_values(["on", "deal"], kind="stable", ignore_index=True)


def read_valuations(fund, as_of: date) -> pd.DataFrame:
    values = list(
        Valuation.objects.filter(deal__fund=fund, valued_on__lte=as_of)
        .order_by("valued_on", "pk")
        .values_list("pk", "deal_id", "valued_on", "value", "method", "deal__company__organization__name")
    )
    amounts = cents(row[3] for row in values)
    rows = [
        (deal, on, amount, method, company, f"funds.valuation:{pk}")
        for (pk, deal, on, _value, method, company), amount in zip(values, amounts, strict=True)
    ]
    return frame(rows, VALUATION_COLUMNS)


def read_lp_flows(fund, as_of: date) -> pd.DataFrame:
    fields = ("pk", "commitment_id", "commitment__lp_type", "paid_on", "amount", "commitment__investor__name")
    payments = list(
        PaidIn.objects.filter(commitment__fund=fund, paid_on__lte=as_of).order_by("paid_on", "pk").values_list(*fields)
    )
    distributions = list(
        LpDistribution.objects.filter(commitment__fund=fund, paid_on__lte=as_of)
        .order_by("paid_on", "pk")
        .values_list(*fields)
    )
    rows = [
        (commitment, lp_type, on, -amount, PAID_IN, investor, f"funds.paidin:{pk}")
        for (pk, commitment, lp_type, on, _amount, investor), amount in zip(
            payments, cents(row[4] for row in payments), strict=True
        )
    ]
    rows += [
        (commitment, lp_type, on, amount, DISTRIBUTION, investor, f"funds.lpdistribution:{pk}")
        for (pk, commitment, lp_type, on, _amount, investor), amount in zip(
            distributions, cents(row[4] for row in distributions), strict=True
        )
    ]
    return frame(rows, LP_FLOW_COLUMNS).sort_values(["on", "commitment"], kind="stable", ignore_index=True)
