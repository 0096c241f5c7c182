"""The financing application kind of the applications engine: the steps a firm fills in, the fund's hooks."""

from django.utils.translation import gettext_lazy as _

from portal.applications.kinds import Kind, Step

from .forms import application as steps
from .models import Fund
from .services import financing
from .statuses import FinancingStatus


def _title(answers) -> str:
    product = answers.get("product", {})
    return product.get("lead_asset", "")


def _officer_url(application) -> str:
    deal = getattr(application, "deal", None)
    return deal.get_absolute_url() if deal is not None else ""


FINANCING = Kind(
    code="funds.financing",
    slug="financing",
    title=_("Financing application"),
    owner_model=Fund,
    steps=(
        Step("company", _("Company"), steps.CompanyStep),
        Step("product", _("Product and development stage"), steps.ProductStep),
        Step("team", _("Team"), steps.TeamStep, help=_("The founders and key people, one row each.")),
        Step("ip", _("Intellectual property"), steps.IpStep),
        Step("financials", _("Financials"), steps.FinancialsStep),
        Step("round", _("Amount, round and use of funds"), steps.RoundStep),
        Step("landing", _("Pingshan landing plan"), steps.LandingStep),
    ),
    statuses=FinancingStatus,
    reference_prefix="RZ",
    checklist=lambda fund: fund.checklist,
    is_open=lambda fund: fund.is_accepting,
    open_owners=lambda: Fund.objects.accepting(),
    needs_organization=True,
    on_submit=financing.deal_from_application,
    on_withdraw=financing.withdraw_deal,
    officer_url=_officer_url,
    title_from=_title,
    intro=_(
        "Biomedicine companies apply here for investment by the fund: company, product and development stage, team, "
        "IP, financials, the round and the use of funds, and the plan to land in Pingshan, with the business plan and "
        "financial statements attached. Your draft is saved at every step; you follow the application and answer "
        "requests for more material in your workspace."
    ),
)
