"""信息服务平台: the resource libraries — 科技项目库, 企业需求库, 专利技术库 — curated by the programme's officers.

Firms and teams submit entries; an officer publishes them (or returns them with a reason); only published entries
are public. Matching (talent/matching.py) reads their text and themes. The expert pool is ``portal.experts``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from portal.i18n import Localized
from portal.lifecycle import button, rule
from portal.money import MoneyField

from .admissions import ProjectStage


class ListingState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    PUBLISHED = "published", pgettext_lazy("library entry", "Published")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", pgettext_lazy("library entry", "Withdrawn")
    ARCHIVED = "archived", pgettext_lazy("library entry", "Archived")


CURATES = rule("talent.permissions.curates_listing")
SUBMITTED_IT = rule("talent.permissions.submitted_listing")


class ListingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=ListingState.PUBLISHED)


class Listing(ConcurrentTransitionMixin, models.Model):
    """What every library entry has: bilingual text, themes, who submitted it, and its curation."""

    programme = models.ForeignKey(
        "talent.Programme", on_delete=models.PROTECT, related_name="+", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    summary_en = models.TextField(_("English summary"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Separated by commas."))
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="+", verbose_name=_("themes"))
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    holder_name = models.CharField(_("team or organization"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_email = models.EmailField(_("contact e-mail"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    state = FSMField(
        _("state"), max_length=20, choices=ListingState.choices, default=ListingState.PENDING, protected=True
    )
    return_reason = models.TextField(_("what to change"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-published_at", "-pk"]
        # The public list (published, newest first), the curators' queue and each submitter's own entries.
        indexes = [
            models.Index(fields=["state", "published_at"], name="%(app_label)s_%(class)s_public"),
            models.Index(fields=["programme", "state", "created_at"], name="%(app_label)s_%(class)s_queue"),
            models.Index(fields=["submitted_by", "created_at"], name="%(app_label)s_%(class)s_mine"),
        ]

    STATE_TONES = {ListingState.PENDING: "warn", ListingState.PUBLISHED: "good", ListingState.RETURNED: "warn"}
    LIBRARY = ""  # the library's slug in addresses: /talent/libraries/<library>/

    def __str__(self):
        return self.display_title

    display_title = Localized("title", "title_en")
    display_summary = Localized("summary", "summary_en")

    def get_absolute_url(self):
        return reverse("talent:listing", kwargs={"library": self.LIBRARY, "pk": self.pk})

    def transition_url_kwargs(self):
        return {"library": self.LIBRARY, "pk": self.pk}

    @property
    def kind_label(self):
        """Which library the entry belongs to, in the reader's language (a project, an enterprise demand …)."""
        return self._meta.verbose_name

    @property
    def is_published(self) -> bool:
        return self.state == ListingState.PUBLISHED

    def matching_text(self) -> str:
        """What matching reads: both languages' title and summary, and the keywords."""
        return "\n".join(
            part for part in (self.title, self.title_en, self.summary, self.summary_en, self.keywords) if part
        )

    @transition(
        field=state,
        source=ListingState.PENDING,
        target=ListingState.PUBLISHED,
        permission=CURATES,
        custom=button(_("Publish"), "talent:listing_move", "primary", named=True),
    )
    def publish(self):
        self.published_at = timezone.now()
        self.return_reason = ""

    @transition(
        field=state,
        source=ListingState.PENDING,
        target=ListingState.RETURNED,
        permission=CURATES,
        custom=button(_("Return for changes"), "talent:listing_return", ""),
    )
    def send_back(self):
        pass

    @transition(
        field=state,
        source=ListingState.RETURNED,
        target=ListingState.PENDING,
        permission=SUBMITTED_IT,
    )
    def resubmit(self):
        pass

    @transition(
        field=state,
        source=[ListingState.PENDING, ListingState.RETURNED, ListingState.PUBLISHED],
        target=ListingState.WITHDRAWN,
        permission=SUBMITTED_IT,
        custom=button(_("Withdraw"), "talent:listing_move", "danger", named=True),
    )
    def withdraw(self):
        pass

    @transition(
        field=state,
        source=ListingState.PUBLISHED,
        target=ListingState.ARCHIVED,
        permission=CURATES,
        custom=button(_("Archive"), "talent:listing_move", "", named=True),
    )
    def archive(self):
        pass


class Seeking(models.TextChoices):
    LANDING = "landing", _("A place to land in Pingshan")
    PARTNERS = "partners", _("Industrial partners")
    FINANCING = "financing", _("Financing")


class ProjectListing(Listing):
    """科技项目库: a project seeking landing, partners or financing."""

    stage = models.CharField(_("stage"), max_length=20, choices=ProjectStage.choices)
    seeking = models.CharField(_("looking for"), max_length=20, choices=Seeking.choices)
    country = models.CharField(_("country or region of the team"), max_length=60, blank=True)
    funding_need = MoneyField(_("funding needed (yuan)"), null=True, blank=True)
    base_application = models.ForeignKey(
        "talent.BaseApplication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("team in the base"),
    )

    LIBRARY = "projects"

    class Meta(Listing.Meta):
        verbose_name = _("project listing")
        verbose_name_plural = _("project library")


class DemandKind(models.TextChoices):
    RESEARCH = "research", _("Joint research")
    TECHNOLOGY = "technology", _("Technology to buy or license")
    TESTING = "testing", _("Testing and certification")
    TALENT = "talent", _("Experts or talent")


class EnterpriseDemand(Listing):
    """企业需求库: a technical need of a local firm."""

    demand_kind = models.CharField(_("kind of need"), max_length=20, choices=DemandKind.choices)
    budget = MoneyField(_("budget (yuan)"), null=True, blank=True)
    wanted_by = models.DateField(_("wanted by"), null=True, blank=True)

    LIBRARY = "demands"

    class Meta(Listing.Meta):
        verbose_name = _("enterprise demand")
        verbose_name_plural = _("enterprise demands")


class PatentKind(models.TextChoices):
    INVENTION = "invention", _("Invention patent")
    UTILITY = "utility", _("Utility model")
    DESIGN = "design", _("Design patent")


class Licensing(models.TextChoices):
    TRANSFER = "transfer", _("Transfer")
    LICENCE = "licence", _("Licence")
    EITHER = "either", _("Transfer or licence")


class PatentListing(Listing):
    """专利技术库: a patent offered for transfer or licence."""

    patent_number = models.CharField(_("patent number"), max_length=40)
    patent_kind = models.CharField(_("kind of patent"), max_length=20, choices=PatentKind.choices)
    licensing = models.CharField(_("offered for"), max_length=20, choices=Licensing.choices)
    granted_on = models.DateField(_("granted on"), null=True, blank=True)

    LIBRARY = "patents"

    class Meta(Listing.Meta):
        verbose_name = _("patent listing")
        verbose_name_plural = _("patent library")


LIBRARIES = {model.LIBRARY: model for model in (ProjectListing, EnterpriseDemand, PatentListing)}
