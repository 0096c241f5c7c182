"""The fund, its tranches, its limited partners and its investment committee."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.i18n import Localized
from portal.money import MoneyField
from portal.voting.models import Base, Majority


class FundStatus(models.TextChoices):
    RAISING = "raising", _("Raising")
    INVESTING = "investing", _("Investing")
    DIVESTING = "divesting", _("Divesting")
    CLOSED = "closed", _("Closed")


class FundQuerySet(models.QuerySet):
    def accepting(self):
        """Funds open for financing applications (the /apply/ list)."""
        return self.filter(accepts_applications=True, status=FundStatus.INVESTING)


class Fund(models.Model):
    """生物医药科技产业创新基金: a guided fund run by a professional manager, invested in tranches."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    theme = models.ForeignKey("themes.Theme", on_delete=models.PROTECT, related_name="funds", verbose_name=_("theme"))
    target_size = MoneyField(_("target size (yuan)"))
    vintage = models.PositiveSmallIntegerField(
        _("vintage year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    manager = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="managed_funds",
        verbose_name=_("management company"),
    )
    # The people of the management team: they run the fund's deals, review rounds and IC meetings.
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="managed_funds", blank=True, verbose_name=_("fund managers")
    )
    rubric = models.ForeignKey(
        "reviews.Rubric",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scoring rubric in use"),
    )
    status = models.CharField(_("status"), max_length=20, choices=FundStatus.choices, default=FundStatus.INVESTING)
    accepts_applications = models.BooleanField(
        _("accepts financing applications"),
        default=True,
        help_text=_("Firms may apply at /apply/ while the fund is investing and this is on."),
    )
    checklist = models.ForeignKey(
        "applications.Checklist",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("documents a financing application needs"),
    )
    stuck_after_days = models.PositiveSmallIntegerField(
        _("a deal is stuck after (days in one stage)"), default=45, validators=[MinValueValidator(1)]
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = FundQuerySet.as_manager()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    display_name = Localized("name", "name_en")
    display_description = Localized("description", "description_en")

    def get_absolute_url(self):
        return reverse("funds:pipeline", kwargs={"fund": self.slug})

    @property
    def is_accepting(self) -> bool:
        return self.accepts_applications and self.status == FundStatus.INVESTING


class Tranche(models.Model):
    """One closing of the fund (分期): the 50亿 fund raises in three."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="tranches", verbose_name=_("fund"))
    number = models.PositiveSmallIntegerField(_("tranche"), validators=[MinValueValidator(1)])
    amount = MoneyField(_("amount (yuan)"))
    target_close = models.DateField(_("planned closing"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("fund tranche")
        verbose_name_plural = _("fund tranches")
        ordering = ["fund", "number"]
        constraints = [models.UniqueConstraint(fields=["fund", "number"], name="funds_tranche_unique_number")]

    def __str__(self):
        return f"{self.fund} · {self.number}"


class LpType(models.TextChoices):
    GOVERNMENT = "government", _("Government fiscal funds")
    STATE_OWNED = "state_owned", _("State-owned capital")
    SOCIAL = "social", _("Social capital")


class Commitment(models.Model):
    """An LP's commitment (认缴) to the fund; what it actually paid in (实缴) is dated in ``PaidIn``."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("fund"))
    investor = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="fund_commitments", verbose_name=_("LP")
    )
    lp_type = models.CharField(_("type of capital"), max_length=20, choices=LpType.choices)
    committed = MoneyField(_("committed (yuan)"))
    committed_on = models.DateField(_("committed on"))

    class Meta:
        verbose_name = _("LP commitment")
        verbose_name_plural = _("LP commitments")
        ordering = ["fund", "-committed"]
        constraints = [models.UniqueConstraint(fields=["fund", "investor"], name="funds_commitment_one_per_lp")]

    def __str__(self):
        return f"{self.investor} → {self.fund}"


class PaidIn(models.Model):
    """A dated capital contribution (实缴) of one LP: a cash flow the performance evaluation reads."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="payments", verbose_name=_("commitment")
    )
    paid_on = models.DateField(_("paid on"))
    amount = MoneyField(_("amount (yuan)"))

    class Meta:
        verbose_name = _("paid-in capital")
        verbose_name_plural = _("paid-in capital")
        ordering = ["commitment", "paid_on"]

    def __str__(self):
        return f"{self.commitment} · {self.paid_on:%Y-%m-%d}"


class InvestmentCommittee(models.Model):
    """投资决策委员会 of a fund: who votes on its deals, under which rules, and who signs its decisions."""

    fund = models.OneToOneField(Fund, on_delete=models.CASCADE, related_name="committee", verbose_name=_("fund"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="investment_committees", blank=True, verbose_name=_("members")
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_investment_committees",
        verbose_name=_("chair"),
        help_text=_("Signs the committee's investment decision opinions."),
    )
    majority = models.CharField(_("majority"), max_length=20, choices=Majority.choices, default=Majority.TWO_THIRDS)
    base = models.CharField(_("base"), max_length=20, choices=Base.choices, default=Base.ELECTORATE)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum denominator"), default=3, validators=[MinValueValidator(1)]
    )
    secret = models.BooleanField(_("secret ballot"), default=False)
    issuer = models.OneToOneField(
        "opinions.Issuer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investment_committee",
        verbose_name=_("issuer of its decisions"),
    )

    class Meta:
        verbose_name = _("investment committee")
        verbose_name_plural = _("investment committees")

    def __str__(self):
        return str(_("Investment committee of %(fund)s") % {"fund": self.fund})
