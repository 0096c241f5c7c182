"""A firm's financing application (融资申请) and the deal it becomes.

The applications engine (portal/applications) runs the application itself: drafts, checklist, submission,
supplements, withdrawal. These are the fund's hooks into it (registered with the kind in funds/financing.py):
submitting creates the deal in screening; the applicant withdrawing withdraws the deal; every move of the deal
sets the status the applicant reads (funds/statuses.py).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.applications import services as applications
from portal.applications.models import ApplicationState

from ..models import Company, DealSource, DealStage
from ..statuses import DECIDED, status_for
from .deals import move_deal, open_deal

ACTIONS = {}

DEVICE_SUBSECTORS = ("medical_devices", "ivd")


def _amount(value):
    return None if value in (None, "") else Decimal(str(value))


def _company_for(application) -> Company:
    """The applicant organization's biomedicine profile, created or brought up to date from the answers."""
    company_answers = application.answers.get("company", {})
    product = application.answers.get("product", {})
    subsector = company_answers.get("subsector")
    device_class = product.get("device_class") or ""
    if device_class and subsector not in DEVICE_SUBSECTORS:
        raise ValidationError(
            {"device_class": _("Only medical devices and IVD have an NMPA device class: clear it in the product step.")}
        )
    profile = {
        "subsector": subsector,
        "lead_asset": product.get("lead_asset", ""),
        "indication": product.get("indication", ""),
        "development_stage": product.get("development_stage"),
        "device_class": device_class,
        "founded_on": company_answers.get("founded_on") or None,
        "description": company_answers.get("description", ""),
        "description_en": company_answers.get("description_en", ""),
    }
    registered_on = application.answers.get("landing", {}).get("registered_in_pingshan_on")
    if registered_on:  # never cleared by an application that leaves it empty
        profile["registered_in_pingshan_on"] = registered_on
    company, _created = Company.objects.update_or_create(organization=application.organization, defaults=profile)
    return company


def deal_from_application(application, actor):
    """``on_submit``: the submitted application becomes a deal in screening (source: firm application)."""
    fund = application.owner
    round_answers = application.answers.get("round", {})
    open_deal(
        actor=actor,
        fund=fund,
        stage=DealStage.SCREENING,
        application=application,
        note=f"融资申请 {application.reference} 已提交 / Financing application {application.reference} submitted",
        company=_company_for(application),
        round=round_answers.get("round"),
        amount_requested=_amount(round_answers.get("amount_requested")),
        pre_money=_amount(round_answers.get("pre_money")),
        source=DealSource.APPLICATION,
        owner=None,
        summary=round_answers.get("use_of_funds", ""),
    )


def withdraw_deal(application, actor):
    """``on_withdraw``: the firm withdrew its application, so its deal (if it was submitted) is withdrawn too."""
    deal = getattr(application, "deal", None)
    if deal is None:
        return
    note = application.withdrawal_reason or "申请人撤回融资申请 / The applicant withdrew the application"
    move_deal(actor=actor, deal=deal, transition="withdraw", note=note)


def follow_deal(deal):
    """The deal moved: the applicant reads the status that goes with its new stage; a decision closes the
    application. Called by move_deal inside its transaction."""
    application = deal.application
    if application.state in (ApplicationState.DRAFT, ApplicationState.WITHDRAWN, ApplicationState.EXPIRED):
        return
    status = status_for(deal.stage)
    if deal.stage in DECIDED and application.state != ApplicationState.CLOSED:
        applications.close(application=application, status=status)
    else:
        applications.set_status(application=application, status=status)
