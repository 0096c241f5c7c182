"""The talent office's programmes and their calls (入驻申请批次 / 征集通知).

A ``Programme`` is the owner of everything the talent office runs (``portal.authority``: its officers hold MANAGE):
the offshore talent base (issue 12) and, later, the special-talent reviews (issue 13). A ``Call`` opens a programme
for applications between two days (Asia/Shanghai), for some themes, with a document checklist.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.i18n import Localized


class ProgrammeKind(models.TextChoices):
    OFFSHORE_BASE = "offshore_base", _("Offshore talent base")
    SPECIAL_TALENT = "special_talent", _("Special-talent reviews")


class Programme(models.Model):
    """A programme of the talent office; its officers run its calls, applications, services and libraries."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="talent_programmes", blank=True, verbose_name=_("officers")
    )
    # The director signs the programme's decision letters (portal.authority: SIGN); officers draft and issue them.
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directed_talent_programmes",
        verbose_name=_("director"),
    )
    issuer = models.OneToOneField(
        "opinions.Issuer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talent_programme",
        verbose_name=_("issuer of its decision letters"),
    )
    rubric = models.ForeignKey(
        "reviews.Rubric",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scoring rubric in use"),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    # Special-talent reviews: how long a candidate stays on public notice (公示), in calendar days.
    notice_days = models.PositiveSmallIntegerField(
        _("public notice period (days)"),
        default=7,
        validators=[MinValueValidator(5), MaxValueValidator(30)],
        help_text=_("Candidates passed by the talent work meeting stay on public notice this many days."),
    )

    class Meta:
        verbose_name = _("talent programme")
        verbose_name_plural = _("talent programmes")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    display_name = Localized("name", "name_en")
    display_description = Localized("description", "description_en")

    def get_absolute_url(self):
        return reverse("talent:programme", kwargs={"programme": self.slug})


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def open_on(self, day: datetime.date):
        return self.published().filter(opens_on__lte=day, closes_on__gte=day)


class Call(models.Model):
    """入驻申请批次: applications are accepted from ``opens_on`` to the end of ``closes_on`` (Asia/Shanghai)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="calls", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), help_text=_("Applications are accepted until the end of this day."))
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="talent_calls", verbose_name=_("sectors"))
    checklist = models.ForeignKey(
        "applications.Checklist",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("required documents"),
    )
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="talent_call_closes_after_opening"
            )
        ]

    def __str__(self):
        return self.display_title

    display_title = Localized("title", "title_en")
    display_description = Localized("description", "description_en")

    def get_absolute_url(self):
        return reverse("talent:call", kwargs={"slug": self.slug})

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A call closes on or after the day it opens.")})

    def is_open_on(self, day: datetime.date) -> bool:
        return self.is_published and self.opens_on <= day <= self.closes_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())  # TIME_ZONE is Asia/Shanghai

    @property
    def has_closed(self) -> bool:
        return timezone.localdate() > self.closes_on
