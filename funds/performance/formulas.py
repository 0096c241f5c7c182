"""Every formula key an indicator set may use: the policy indicators (``indicators.INDICATORS``) and the fund's
returns computed from its cash flows (``RETURNS``, from ``series.fund_figures``)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .display import MONEY, MULTIPLE, PERCENT
from .indicators import INDICATORS


@dataclass(frozen=True)
class Returns:
    attribute: str  # of series.Returns
    label: str
    unit: str


def _side(prefix, side):
    return {
        f"{prefix}_invested" if prefix == "gross" else f"{prefix}_paid_in": Returns(
            "paid_in", _("Invested in companies") if prefix == "gross" else _("Paid-in capital (net)"), MONEY
        ),
        f"{prefix}_distributed": Returns(
            "distributed", _("Proceeds from companies") if prefix == "gross" else _("Distributed to LPs"), MONEY
        ),
        f"{prefix}_nav": Returns(
            "nav", _("Residual value of the portfolio (NAV)") if prefix == "gross" else _("Net asset value"), MONEY
        ),
        f"{prefix}_irr": Returns("irr", side[0], PERCENT),
        f"{prefix}_dpi": Returns("dpi", side[1], MULTIPLE),
        f"{prefix}_rvpi": Returns("rvpi", side[2], MULTIPLE),
        f"{prefix}_tvpi": Returns("tvpi", side[3], MULTIPLE),
    }


RETURNS: dict[str, Returns] = {
    **_side("gross", (_("Gross IRR"), _("Gross DPI"), _("Gross RVPI"), _("Gross TVPI"))),
    **_side("net", (_("Net IRR"), _("Net DPI"), _("Net RVPI"), _("Net TVPI"))),
    "gross_ks_pme": Returns("ks_pme", _("KS-PME against the benchmark index"), MULTIPLE),
    "gross_direct_alpha": Returns("direct_alpha", _("Direct alpha against the benchmark index"), PERCENT),
}

KEYS = frozenset(INDICATORS) | frozenset(RETURNS)


def label(key) -> str:
    if key in INDICATORS:
        return INDICATORS[key].label
    return RETURNS[key].label if key in RETURNS else key
