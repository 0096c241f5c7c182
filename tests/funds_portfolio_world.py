"""Deals after the decision for the portfolio tests: a signed agreement in the room, terms, paid tranches."""

import datetime
from decimal import Decimal

from django.utils import timezone

from funds.models import DealDocument, DealStage, DealTerms, Disbursement, DocumentKind, Instrument
from tests.funds_world import make_deal

TODAY = timezone.localdate


def signed_agreement(deal, user, *, kind=DocumentKind.SIGNED_AGREEMENT, title="投资协议（签署版）"):
    """A deal-room row standing for an uploaded agreement (the file itself is the room's business)."""
    return DealDocument.objects.create(
        deal=deal,
        folder=deal.folders.first(),
        kind=kind,
        title=title,
        file="funds/deals/test-agreement",
        original_name="agreement.pdf",
        size=1024,
        content_type="application/pdf",
        sha256="0" * 64,
        uploaded_by=user,
    )


def terms_for(deal, user, *, amount="30000000", signed=True):
    return DealTerms.objects.create(
        deal=deal,
        amount=Decimal(amount),
        instrument=Instrument.PREFERRED,
        pre_money=Decimal("200000000"),
        ownership=Decimal("13.0435"),
        signed_on=TODAY() - datetime.timedelta(days=30) if signed else None,
        signed_document=signed_agreement(deal, user) if signed else None,
    )


def invested_deal(world, *, stage=DealStage.PORTFOLIO, amount="30000000", paid=("10000000",), company=None, fund=None):
    """A deal with signed terms of ``amount`` and one paid tranche per entry of ``paid``."""
    deal = make_deal(fund or world.fund, stage=stage, company=company or world.company, amount=amount)
    terms_for(deal, world.manager, amount=amount)
    for number, value in enumerate(paid, start=1):
        Disbursement.objects.create(
            deal=deal,
            number=number,
            planned_on=TODAY() - datetime.timedelta(days=20),
            planned_amount=Decimal(value),
            paid_on=TODAY() - datetime.timedelta(days=10),
            paid_amount=Decimal(value),
        )
    return deal
