"""The deal pipeline: a company's round before the fund, its stage lifecycle, its history and its deal room."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition

from portal.files.storage import private_storage
from portal.lifecycle import button, guard, rule
from portal.money import MoneyField

from .committee import Decision

# Who may move a deal (funds/permissions.py), named once.
RUNS_THE_DEAL = rule("funds.permissions.can_move_deal")
MAY_WITHDRAW = rule("funds.permissions.can_withdraw_deal")
MOVE = "funds:deal_move"


class DealStage(models.TextChoices):
    SOURCED = "sourced", _("Sourced")
    SCREENING = "screening", _("Screening")
    APPROVED = "approved", _("Approved for due diligence")
    DUE_DILIGENCE = "due_diligence", _("Due diligence")
    COMMITTEE = "committee", _("Investment committee")
    SIGNING = "signing", _("Signing")
    DISBURSEMENT = "disbursement", _("Disbursement")
    PORTFOLIO = "portfolio", _("Portfolio")
    EXITED = "exited", _("Exited")
    WRITTEN_OFF = "written_off", _("Written off")
    REJECTED = "rejected", pgettext_lazy("deal stage", "Rejected")
    ON_HOLD = "on_hold", _("On hold")
    WITHDRAWN = "withdrawn", pgettext_lazy("deal stage", "Withdrawn")


# The board's columns, in the order a deal moves through them; the others are where a deal ends or waits.
PIPELINE = (
    DealStage.SOURCED,
    DealStage.SCREENING,
    DealStage.APPROVED,
    DealStage.DUE_DILIGENCE,
    DealStage.COMMITTEE,
    DealStage.SIGNING,
    DealStage.DISBURSEMENT,
    DealStage.PORTFOLIO,
)
ENDED = (DealStage.EXITED, DealStage.WRITTEN_OFF, DealStage.REJECTED, DealStage.WITHDRAWN)
# The stages a deal should move on from (a holding stays in the portfolio for years): where it can be "stuck".
MOVING_STAGES = PIPELINE[:-1]
BEFORE_DECISION = (
    DealStage.SOURCED,
    DealStage.SCREENING,
    DealStage.APPROVED,
    DealStage.DUE_DILIGENCE,
    DealStage.COMMITTEE,
)
INVESTED = (DealStage.DISBURSEMENT, DealStage.PORTFOLIO, DealStage.EXITED, DealStage.WRITTEN_OFF)


class Round(models.TextChoices):
    ANGEL = "angel", _("Angel")
    SEED = "seed", _("Seed")
    PRE_A = "pre_a", _("Pre-A")
    SERIES_A = "a", _("Series A")
    SERIES_B = "b", _("Series B")
    SERIES_C = "c", _("Series C")
    LATER = "later", _("Series D and later")
    PRE_IPO = "pre_ipo", _("Pre-IPO")
    STRATEGIC = "strategic", _("Strategic")


class DealSource(models.TextChoices):
    APPLICATION = "application", _("Firm application")
    COUNCIL = "council", _("Council referral")
    PARTNER = "partner", _("Partner")
    ROADSHOW = "roadshow", _("Roadshow")
    OWN = "own", _("Own sourcing")
    TALENT = "talent", _("Talent base")


# --- guards: what a stage needs before a deal may leave it (see portal.lifecycle.guard) -----------------------


@guard(_("The investment committee needs a closed review round on this deal."))
def has_closed_review(deal):
    return deal.closed_review_rounds().exists()


@guard(_("The investment committee needs a due diligence report in the deal room."))
def has_dd_report(deal):
    return deal.documents.filter(kind=DocumentKind.DD_REPORT).exists()


@guard(_("Only a deal the investment committee approved goes to signing."))
def committee_approved(deal):
    return deal.agenda_items.filter(decision=Decision.APPROVED).exists()


@guard(_("Disbursement needs signed terms: record the signing date and upload the signed agreement."))
def has_signed_terms(deal):
    terms = getattr(deal, "terms", None)
    return bool(terms and terms.signed_on and terms.signed_document_id)


@guard(_("A deal enters the portfolio once a tranche has been paid."))
def has_paid_tranche(deal):
    return deal.disbursements.filter(paid_on__isnull=False).exists()


@guard(_("Record the exit (date, proceeds and type) first."))
def has_exit(deal):
    return hasattr(deal, "exit")


def _stage_before_hold(deal):
    return deal.stage_before_hold or DealStage.SCREENING


class Deal(ConcurrentTransitionMixin, models.Model):
    """One financing round of one company before one fund (项目)."""

    fund = models.ForeignKey("funds.Fund", on_delete=models.PROTECT, related_name="deals", verbose_name=_("fund"))
    company = models.ForeignKey(
        "funds.Company", on_delete=models.PROTECT, related_name="deals", verbose_name=_("company")
    )
    round = models.CharField(_("round"), max_length=20, choices=Round.choices)
    amount_requested = MoneyField(_("amount requested (yuan)"))
    pre_money = MoneyField(_("pre-money valuation (yuan)"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_deals",
        verbose_name=_("deal lead"),
    )
    source = models.CharField(_("source"), max_length=20, choices=DealSource.choices)
    summary = models.TextField(_("summary"), blank=True)
    # The firm's financing application this deal came from (source "application"); its applicant follows the
    # deal through the application's status, never the stage's name.
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deal",
        verbose_name=_("financing application"),
    )
    stage = FSMField(_("stage"), max_length=20, choices=DealStage.choices, default=DealStage.SOURCED, protected=True)
    stage_entered_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    stage_before_hold = models.CharField(_("stage before the hold"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        ordering = ["-stage_entered_at", "-pk"]
        indexes = [
            models.Index(fields=["fund", "stage", "stage_entered_at"], name="funds_deal_fund_stage"),
            models.Index(fields=["fund", "owner"], name="funds_deal_fund_owner"),
        ]

    def __str__(self):
        return f"{self.company} · {self.get_round_display()}"

    def get_absolute_url(self):
        return reverse("funds:deal", kwargs=self.transition_url_kwargs())

    def transition_url_kwargs(self):
        return {"fund": self.fund.slug, "pk": self.pk}

    def closed_review_rounds(self):
        from django.contrib.contenttypes.models import ContentType

        from portal.reviews.models import ReviewRound, RoundState

        return ReviewRound.objects.filter(
            content_type=ContentType.objects.get_for_model(Deal), object_id=self.pk, state=RoundState.CLOSED
        )

    def days_in_stage(self, now=None) -> int:
        return ((now or timezone.now()) - self.stage_entered_at).days

    @property
    def is_ended(self) -> bool:
        return self.stage in ENDED

    # The lifecycle, declared once (docs/conventions.md, "Lifecycles"). Every transition takes a note, which the
    # service requires and writes to the stage history; the fund's managers take them, the IC's decision moves a
    # deal out of the committee stage, and an applicant may withdraw their own deal before it is signed.
    STATE_TONES = {
        DealStage.PORTFOLIO: "good",
        DealStage.EXITED: "good",
        DealStage.REJECTED: "bad",
        DealStage.WRITTEN_OFF: "bad",
        DealStage.WITHDRAWN: "bad",
        DealStage.ON_HOLD: "warn",
    }

    @transition(
        field=stage,
        source=DealStage.SOURCED,
        target=DealStage.SCREENING,
        permission=RUNS_THE_DEAL,
        custom=button(_("Start screening"), MOVE, "primary", named=True),
    )
    def screen(self):
        pass

    @transition(
        field=stage,
        source=DealStage.SCREENING,
        target=DealStage.APPROVED,
        permission=RUNS_THE_DEAL,
        custom=button(_("Approve for due diligence"), MOVE, "primary", named=True),
    )
    def approve(self):
        pass

    @transition(
        field=stage,
        source=DealStage.APPROVED,
        target=DealStage.DUE_DILIGENCE,
        permission=RUNS_THE_DEAL,
        custom=button(_("Start due diligence"), MOVE, "primary", named=True),
    )
    def start_due_diligence(self):
        pass

    @transition(
        field=stage,
        source=DealStage.DUE_DILIGENCE,
        target=DealStage.COMMITTEE,
        permission=RUNS_THE_DEAL,
        conditions=[has_closed_review, has_dd_report],
        custom=button(_("Submit to the investment committee"), MOVE, "primary", named=True),
    )
    def submit_to_committee(self):
        pass

    @transition(
        field=stage,
        source=DealStage.COMMITTEE,
        target=DealStage.SIGNING,
        permission=RUNS_THE_DEAL,
        conditions=[committee_approved],
        custom=button(_("Proceed to signing"), MOVE, "primary", named=True),
    )
    def proceed_to_signing(self):
        pass

    @transition(
        field=stage,
        source=DealStage.SIGNING,
        target=DealStage.DISBURSEMENT,
        permission=RUNS_THE_DEAL,
        conditions=[has_signed_terms],
        custom=button(_("Start disbursement"), MOVE, "primary", named=True),
    )
    def start_disbursement(self):
        pass

    @transition(
        field=stage,
        source=DealStage.DISBURSEMENT,
        target=DealStage.PORTFOLIO,
        permission=RUNS_THE_DEAL,
        conditions=[has_paid_tranche],
        custom=button(_("Move to the portfolio"), MOVE, "primary", named=True),
    )
    def enter_portfolio(self):
        pass

    @transition(
        field=stage,
        source=DealStage.PORTFOLIO,
        target=DealStage.EXITED,
        permission=RUNS_THE_DEAL,
        conditions=[has_exit],
        custom=button(_("Close as exited"), MOVE, "", named=True),
    )
    def close_exited(self):
        pass

    @transition(
        field=stage,
        source=DealStage.PORTFOLIO,
        target=DealStage.WRITTEN_OFF,
        permission=RUNS_THE_DEAL,
        custom=button(_("Write off"), MOVE, "danger", named=True),
    )
    def write_off(self):
        pass

    @transition(
        field=stage,
        source=list(BEFORE_DECISION),
        target=DealStage.REJECTED,
        permission=RUNS_THE_DEAL,
        custom=button(_("Reject"), MOVE, "danger", named=True),
    )
    def reject(self):
        pass

    @transition(
        field=stage,
        source=[DealStage.SCREENING, DealStage.APPROVED, DealStage.DUE_DILIGENCE],
        target=DealStage.ON_HOLD,
        permission=RUNS_THE_DEAL,
        custom=button(_("Put on hold"), MOVE, "", named=True),
    )
    def hold(self):
        self.stage_before_hold = self.stage

    @transition(
        field=stage,
        source=DealStage.ON_HOLD,
        target=GET_STATE(_stage_before_hold, states=[DealStage.SCREENING, DealStage.APPROVED, DealStage.DUE_DILIGENCE]),
        permission=RUNS_THE_DEAL,
        custom=button(_("Resume"), MOVE, "primary", named=True),
    )
    def resume(self):
        # stage_before_hold stays: django-fsm reads the GET_STATE target after this method runs.
        pass

    @transition(
        field=stage,
        source=[*BEFORE_DECISION, DealStage.SIGNING, DealStage.ON_HOLD],
        target=DealStage.WITHDRAWN,
        permission=MAY_WITHDRAW,
        custom=button(_("Withdraw"), MOVE, "danger", named=True),
    )
    def withdraw(self):
        pass


class StageChange(models.Model):
    """The deal's stage history: who moved it, when, from where to where, and why."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("deal"))
    from_stage = models.CharField(_("from"), max_length=20, choices=DealStage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=DealStage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["deal", "-at", "-pk"]

    def __str__(self):
        return f"{self.deal}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"


# --- deal room ------------------------------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    BUSINESS_PLAN = "business_plan", _("Business plan")
    FINANCIALS = "financials", _("Financial statements")
    IP_CERTIFICATE = "ip_certificate", _("IP certificate")
    DD_REPORT = "dd_report", _("Due diligence report")
    TERM_SHEET = "term_sheet", _("Term sheet")
    SIGNED_AGREEMENT = "signed_agreement", _("Signed investment agreement")
    IC_MATERIAL = "ic_material", _("Investment committee material")
    OTHER = "other", _("Other")


class DealFolder(models.Model):
    """A folder of the deal room. Every deal gets the standard folders when it is created."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="folders", verbose_name=_("deal"))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deal room folder")
        verbose_name_plural = _("deal room folders")
        ordering = ["deal", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["deal", "name"], name="funds_dealfolder_unique_name")]

    def __str__(self):
        return self.name


def deal_document_upload_to(instance, filename):
    """An unguessable name without the original one (kept in the row, not on disk)."""
    return f"funds/deals/{secrets.token_hex(20)}"


class DealDocument(models.Model):
    """A file in the deal room: private storage, downloads checked and audited."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="documents", verbose_name=_("deal"))
    folder = models.ForeignKey(DealFolder, on_delete=models.PROTECT, related_name="documents", verbose_name=_("folder"))
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=private_storage, upload_to=deal_document_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=120)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("deal room document")
        verbose_name_plural = _("deal room documents")
        ordering = ["deal", "folder", "-uploaded_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funds:deal_document", kwargs=self.deal.transition_url_kwargs() | {"document": self.pk})
