"""路演 (roadshow): an event where admitted teams pitch to registered investors, who score each project."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.i18n import Localized


class RoadshowQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Roadshow(models.Model):
    programme = models.ForeignKey(
        "talent.Programme", on_delete=models.PROTECT, related_name="roadshows", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200)
    venue_en = models.CharField(_("English venue"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="+", verbose_name=_("themes"))
    registration_closes_on = models.DateField(_("registration closes on"))
    capacity = models.PositiveIntegerField(_("investor places"), default=60, validators=[MinValueValidator(1)])
    is_published = models.BooleanField(_("published"), default=True)

    objects = RoadshowQuerySet.as_manager()

    class Meta:
        verbose_name = _("roadshow")
        verbose_name_plural = _("roadshows")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="talent_roadshow_ends_after_start"
            )
        ]

    def __str__(self):
        return self.display_title

    display_title = Localized("title", "title_en")
    display_venue = Localized("venue", "venue_en")
    display_description = Localized("description", "description_en")

    def get_absolute_url(self):
        return reverse("talent:roadshow", kwargs={"slug": self.slug})

    @property
    def registration_is_open(self) -> bool:
        return self.is_published and timezone.localdate() <= self.registration_closes_on

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts_at


class RoadshowProject(models.Model):
    """An admitted team's project on a roadshow's programme."""

    roadshow = models.ForeignKey(
        Roadshow, on_delete=models.CASCADE, related_name="projects", verbose_name=_("roadshow")
    )
    base_application = models.ForeignKey(
        "talent.BaseApplication", on_delete=models.PROTECT, related_name="roadshow_projects", verbose_name=_("team")
    )
    pitch_title = models.CharField(_("pitch title"), max_length=200)
    pitch_title_en = models.CharField(_("English pitch title"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    is_confirmed = models.BooleanField(_("confirmed by the office"), default=False)

    class Meta:
        verbose_name = _("roadshow project")
        verbose_name_plural = _("roadshow projects")
        ordering = ["roadshow", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["roadshow", "base_application"], name="talent_one_pitch_per_team")
        ]

    def __str__(self):
        return self.display_pitch_title

    display_pitch_title = Localized("pitch_title", "pitch_title_en")


class InvestorRegistration(models.Model):
    """An investor's place at a roadshow (a signed-in user: feedback is theirs)."""

    roadshow = models.ForeignKey(
        Roadshow, on_delete=models.CASCADE, related_name="investors", verbose_name=_("roadshow")
    )
    investor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="roadshow_registrations",
        verbose_name=_("investor"),
    )
    organization_name = models.CharField(_("institution"), max_length=200)
    interests = models.TextField(_("investment interests"), blank=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        verbose_name = _("investor registration")
        verbose_name_plural = _("investor registrations")
        ordering = ["roadshow", "registered_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["roadshow", "investor"], name="talent_one_seat_per_investor")]

    def __str__(self):
        return f"{self.investor} · {self.organization_name}"


class Interest(models.TextChoices):
    NONE = "none", _("Not for us")
    FOLLOW = "follow", _("Would like to follow up")
    INVEST = "invest", _("Considering an investment")


class RoadshowFeedback(models.Model):
    """An investor's score (1–10) of one pitched project, and whether they want to follow up."""

    registration = models.ForeignKey(
        InvestorRegistration, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("investor")
    )
    project = models.ForeignKey(
        RoadshowProject, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("project")
    )
    score = models.PositiveSmallIntegerField(
        _("score (1–10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    interest = models.CharField(_("interest"), max_length=20, choices=Interest.choices)
    comment = models.TextField(_("comment"), blank=True)
    given_at = models.DateTimeField(_("given"), default=timezone.now)

    class Meta:
        verbose_name = _("roadshow feedback")
        verbose_name_plural = _("roadshow feedback")
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "project"], name="talent_one_feedback_per_project"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=10), name="talent_feedback_score_1_10"),
        ]

    def __str__(self):
        return f"{self.project}: {self.score}"
