"""After the decision: terms, disbursement in tranches, valuations, KPI reports from the company, the exit."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.money import MoneyField


class Instrument(models.TextChoices):
    COMMON = "common", _("Common equity")
    PREFERRED = "preferred", _("Preferred equity")
    CONVERTIBLE = "convertible", _("Convertible loan")


class DealTerms(models.Model):
    """投资条款: what the fund invests, on which terms, and when the agreement was signed."""

    deal = models.OneToOneField("funds.Deal", on_delete=models.CASCADE, related_name="terms", verbose_name=_("deal"))
    amount = MoneyField(_("investment (yuan)"))
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    pre_money = MoneyField(_("pre-money valuation (yuan)"))
    ownership = models.DecimalField(
        _("ownership after the round (%)"),
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    conditions = models.TextField(_("conditions"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_document = models.ForeignKey(
        "funds.DealDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed agreement"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("terms")
        verbose_name_plural = _("terms")

    def __str__(self):
        return str(self.deal)


class Disbursement(models.Model):
    """拨付: one tranche of the investment, planned and then paid. A paid tranche is a dated cash flow."""

    deal = models.ForeignKey(
        "funds.Deal", on_delete=models.CASCADE, related_name="disbursements", verbose_name=_("deal")
    )
    number = models.PositiveSmallIntegerField(_("tranche"), validators=[MinValueValidator(1)])
    planned_on = models.DateField(_("planned date"))
    planned_amount = MoneyField(_("planned amount (yuan)"))
    condition = models.CharField(_("condition for payment"), max_length=300, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = MoneyField(_("paid amount (yuan)"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["deal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "number"], name="funds_disbursement_unique_number"),
            models.CheckConstraint(
                condition=models.Q(paid_on__isnull=True, paid_amount__isnull=True)
                | models.Q(paid_on__isnull=False, paid_amount__isnull=False),
                name="funds_disbursement_paid_with_amount",
                violation_error_message=_("A paid tranche needs both its date and its amount."),
            ),
        ]

    def __str__(self):
        return f"{self.deal} · {self.number}"

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


class ValuationMethod(models.TextChoices):
    LAST_ROUND = "last_round", _("Price of the latest round")
    COMPARABLES = "comparables", _("Comparable companies")
    DCF = "dcf", _("Discounted cash flow")
    RNPV = "rnpv", _("Risk-adjusted NPV")
    COST = "cost", _("At cost")
    WRITE_DOWN = "write_down", _("Written down")


class Valuation(models.Model):
    """估值: the fund's holding in the company valued on a date (the residual value of the performance metrics)."""

    deal = models.ForeignKey("funds.Deal", on_delete=models.CASCADE, related_name="valuations", verbose_name=_("deal"))
    valued_on = models.DateField(_("valuation date"))
    value = MoneyField(_("value of the holding (yuan)"))
    method = models.CharField(_("method"), max_length=20, choices=ValuationMethod.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("valuation")
        verbose_name_plural = _("valuations")
        ordering = ["deal", "-valued_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["deal", "valued_on"], name="funds_valuation_one_per_day")]

    def __str__(self):
        return f"{self.deal} · {self.valued_on:%Y-%m-%d}"


class KpiState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SUBMITTED = "submitted", pgettext_lazy("kpi report", "Submitted")


class KpiReport(models.Model):
    """企业经营数据报送: a period's figures that the portfolio company fills in from its own login when asked."""

    deal = models.ForeignKey("funds.Deal", on_delete=models.CASCADE, related_name="kpi_reports", verbose_name=_("deal"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due"))
    state = models.CharField(_("state"), max_length=20, choices=KpiState.choices, default=KpiState.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    revenue = MoneyField(_("revenue (yuan)"), null=True, blank=True)
    rd_spend = MoneyField(_("R&D spending (yuan)"), null=True, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    patents = models.PositiveIntegerField(_("patents granted in the period"), null=True, blank=True)
    tax_paid = MoneyField(_("tax paid (yuan)"), null=True, blank=True)
    follow_on_financing = MoneyField(_("follow-on financing raised (yuan)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("KPI report")
        verbose_name_plural = _("KPI reports")
        ordering = ["deal", "-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "period_end"], name="funds_kpi_one_per_period"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="funds_kpi_period_order",
                violation_error_message=_("The period must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.deal} · {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class ExitKind(models.TextChoices):
    IPO = "ipo", _("IPO")
    TRADE_SALE = "trade_sale", _("Trade sale")
    BUYBACK = "buyback", _("Buyback")
    SECONDARY = "secondary", _("Secondary sale")
    LIQUIDATION = "liquidation", _("Liquidation")


class Exit(models.Model):
    """退出: when and how the fund left the company, and what it received."""

    deal = models.OneToOneField("funds.Deal", on_delete=models.CASCADE, related_name="exit", verbose_name=_("deal"))
    exited_on = models.DateField(_("exit date"))
    proceeds = MoneyField(_("proceeds (yuan)"))
    kind = models.CharField(_("type"), max_length=20, choices=ExitKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("exit")
        verbose_name_plural = _("exits")

    def __str__(self):
        return str(self.deal)
