"""绩效评价: distributions to LPs, a benchmark index, the weighted indicator set of a year and its evaluation."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.i18n import Localized
from portal.money import MoneyField


class LpDistribution(models.Model):
    """A dated distribution (分配) from the fund to one LP: with ``PaidIn`` the LP-level ("net") cash flows."""

    commitment = models.ForeignKey(
        "funds.Commitment", on_delete=models.CASCADE, related_name="distributions", verbose_name=_("commitment")
    )
    paid_on = models.DateField(_("paid on"))
    amount = MoneyField(_("amount (yuan)"))

    class Meta:
        verbose_name = _("distribution to an LP")
        verbose_name_plural = _("distributions to LPs")
        ordering = ["commitment", "paid_on"]

    def __str__(self):
        return f"{self.commitment} · {self.paid_on:%Y-%m-%d}"


class BenchmarkIndex(models.Model):
    """A public market index the fund is compared with (KS-PME, direct alpha), e.g. 沪深300 or a biotech index."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    code = models.CharField(_("code"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("benchmark index")
        verbose_name_plural = _("benchmark indices")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    display_name = Localized("name", "name_en")


class IndexLevel(models.Model):
    index = models.ForeignKey(BenchmarkIndex, on_delete=models.CASCADE, related_name="levels", verbose_name=_("index"))
    on = models.DateField(_("date"))
    level = models.DecimalField(
        _("level"), max_digits=14, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )

    class Meta:
        verbose_name = _("index level")
        verbose_name_plural = _("index levels")
        ordering = ["index", "on"]
        constraints = [
            models.UniqueConstraint(fields=["index", "on"], name="funds_indexlevel_one_per_day"),
            models.CheckConstraint(condition=models.Q(level__gt=0), name="funds_indexlevel_positive"),
        ]

    def __str__(self):
        return f"{self.index} · {self.on:%Y-%m-%d}"


class LeverageBasis(models.TextChoices):
    COMMITTED = "committed", _("Committed capital (认缴)")
    PAID_IN = "paid_in", _("Paid-in capital (实缴)")


class ReinvestmentRule(models.TextChoices):
    REGISTERED = "registered", _("Registered in Pingshan")
    LANDED_WITHIN = "landed_within", _("Registered, or moved headquarters or production to Pingshan, within N months")


class IndicatorSet(models.Model):
    """One year's weighted indicators for a fund, and the bases its formulas use (jurisdictions differ)."""

    fund = models.ForeignKey(
        "funds.Fund", on_delete=models.CASCADE, related_name="indicator_sets", verbose_name=_("fund")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    leverage_basis = models.CharField(
        _("leverage counts"), max_length=20, choices=LeverageBasis.choices, default=LeverageBasis.COMMITTED
    )
    state_capital_is_government = models.BooleanField(
        _("state-owned capital counts as government contribution"), default=False
    )
    reinvestment_rule = models.CharField(
        _("a company counts for local reinvestment when"),
        max_length=20,
        choices=ReinvestmentRule.choices,
        default=ReinvestmentRule.REGISTERED,
    )
    landing_months = models.PositiveSmallIntegerField(
        _("months after the investment to land in Pingshan"), default=12, validators=[MaxValueValidator(120)]
    )
    bonus_cap = models.DecimalField(
        _("bonus points at most"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=[MinValueValidator(0)],
    )
    benchmark = models.ForeignKey(
        BenchmarkIndex,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("benchmark index"),
        help_text=_("The public market index the fund is compared with (KS-PME, direct alpha)."),
    )
    qualitative_rubric = models.ForeignKey(
        "reviews.Rubric",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("expert panel's scoring form"),
        help_text=_("Management, compliance and team, scored by the evaluation's expert panel with comments."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        ordering = ["fund", "-year"]
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="funds_indicatorset_one_per_year")]

    def __str__(self):
        return self.display_name

    display_name = Localized("name", "name_en")


class IndicatorGroup(models.TextChoices):
    POLICY = "policy", _("Policy effect (政策效果)")
    MANAGEMENT = "management", _("Management (管理效能)")
    RETURNS = "returns", _("Performance (业绩)")


class IndicatorKind(models.TextChoices):
    FORMULA = "formula", _("Computed from recorded data")
    PANEL = "panel", _("Scored by the expert panel")
    BONUS = "bonus", _("Bonus item")


class ScoringRule(models.TextChoices):
    LINEAR = "linear", _("Linear from the floor to the target")
    BANDED = "banded", _("Bands")
    SHOWN = "shown", _("Shown, not scored")


class Indicator(models.Model):
    """One line of an indicator set: a formula (``key`` in ``funds.performance.indicators``), a panel criterion, or a
    bonus item; its weight (full marks), target, floor and scoring rule."""

    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("indicator set")
    )
    group = models.CharField(_("indicator group"), max_length=20, choices=IndicatorGroup.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices, default=IndicatorKind.FORMULA)
    key = models.CharField(_("formula"), max_length=40, blank=True)
    label = models.CharField(_("name"), max_length=200)
    label_en = models.CharField(_("English name"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("weight (full marks)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True, blank=True)
    floor = models.DecimalField(_("floor"), max_digits=16, decimal_places=4, null=True, blank=True)
    rule = models.CharField(_("scoring"), max_length=20, choices=ScoringRule.choices, default=ScoringRule.LINEAR)
    # Banded scoring: [[threshold, share of full marks], ...], e.g. [[1.5, 1], [1.2, 0.8], [1, 0.6]].
    bands = models.JSONField(_("bands"), default=list, blank=True)
    criterion = models.CharField(
        _("panel criterion"), max_length=60, blank=True, help_text=_("The rubric criterion the panel scores.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["indicator_set", "position", "pk"]

    def __str__(self):
        return self.display_label

    display_label = Localized("label", "label_en")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("evaluation", "Draft")
    APPROVED = "approved", pgettext_lazy("evaluation", "Approved")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优 (excellent)")
    GOOD = "good", _("良 (good)")
    FAIR = "fair", _("中 (fair)")
    POOR = "poor", _("差 (poor)")


class PerformanceEvaluation(models.Model):
    """绩效评价 of a fund for a year: the indicators computed from a snapshot of the recorded data, the panel's
    scores, the total and grade, recommendations for next year, and the approved report issued as an opinion."""

    indicator_set = models.OneToOneField(
        IndicatorSet, on_delete=models.PROTECT, related_name="evaluation", verbose_name=_("indicator set")
    )
    as_of = models.DateField(_("figures as of"))
    state = models.CharField(_("state"), max_length=20, choices=EvaluationState.choices, default=EvaluationState.DRAFT)
    # The inputs and every computed figure at the last computation: a past year stays as it was computed until
    # someone recomputes it on purpose.
    snapshot = models.JSONField(_("computed figures"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    total = models.DecimalField(_("total score"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    recommendations = models.TextField(_("recommendations for next year"), blank=True)
    review_round = models.ForeignKey(
        "reviews.ReviewRound",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("expert panel round"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opinion = models.ForeignKey(
        "opinions.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued report"),
    )

    class Meta:
        verbose_name = _("performance evaluation")
        verbose_name_plural = _("performance evaluations")
        ordering = ["-indicator_set__year"]

    def __str__(self):
        return str(self.indicator_set)

    def get_absolute_url(self):
        return reverse("funds:evaluation", kwargs={"fund": self.indicator_set.fund.slug, "year": self.year})

    @property
    def fund(self):
        return self.indicator_set.fund

    @property
    def grade_label(self):
        return Grade(self.grade).label if self.grade else ""

    @property
    def is_computed(self) -> bool:
        return self.computed_at is not None

    @property
    def year(self):
        return self.indicator_set.year
