"""The shared expert pool (专家库): people who review deals, applications and projects."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from portal.organizations.validators import normalize_uscc, validate_uscc


class ExpertRegion(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    OVERSEAS = "overseas", _("Overseas")


class RelationshipKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    EQUITY = "equity", _("Equity holding")
    FAMILY = "family", _("Family relationship")
    COLLABORATION = "collaboration", _("Collaboration")
    COMPETITOR = "competitor", _("Competitor")
    OTHER = "other", _("Other")


class ExpertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Expert(ClusterableModel):
    """A person in the expert pool. Reviewers log in through the linked user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_profile",
        verbose_name=_("user account"),
        help_text=_("Experts who review in the workspace need an account."),
    )
    name = models.CharField(_("name"), max_length=100)
    affiliation = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experts",
        verbose_name=_("affiliation"),
        help_text=_("The organization the expert works for, when it is in the portal."),
    )
    affiliation_name = models.CharField(
        _("affiliation name"),
        max_length=200,
        blank=True,
        help_text=_("As the expert writes it; used when the organization is not in the portal."),
    )
    affiliation_uscc = models.CharField(
        _("affiliation's unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text=_("Optional; used to suggest conflicts of interest."),
    )
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    region = models.CharField(
        _("domestic or overseas"), max_length=10, choices=ExpertRegion.choices, default="domestic"
    )
    languages = models.CharField(_("languages"), max_length=200, blank=True, help_text=_("For example: 中文, English"))
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="experts", verbose_name=_("themes"))
    expertise = models.TextField(_("expertise"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive experts are not suggested."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def affiliation_display(self) -> str:
        if self.affiliation_id:
            return str(self.affiliation)
        return self.affiliation_name

    def affiliation_names(self) -> list[str]:
        """Every name the expert's affiliation goes by (for conflict suggestions)."""
        names = [self.affiliation_name]
        if self.affiliation_id:
            names += [self.affiliation.name, self.affiliation.name_en]
        return [name for name in names if name]

    def clean(self):
        super().clean()
        self.affiliation_uscc = normalize_uscc(self.affiliation_uscc) if self.affiliation_uscc else ""

    def save(self, *args, **kwargs):
        if self.affiliation_uscc:
            self.affiliation_uscc = normalize_uscc(self.affiliation_uscc)
        super().save(*args, **kwargs)


class DeclaredRelationship(models.Model):
    """A relationship the expert declared once, for every review: employer, shares, family, rivals."""

    expert = ParentalKey(
        Expert, on_delete=models.CASCADE, related_name="declared_relationships", verbose_name=_("expert")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="declared_expert_relationships",
        verbose_name=_("organization"),
    )
    organization_name = models.CharField(
        _("organization name"), max_length=200, blank=True, help_text=_("When the organization is not in the portal.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RelationshipKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    panels = [FieldPanel("organization"), FieldPanel("organization_name"), FieldPanel("kind"), FieldPanel("note")]

    class Meta:
        verbose_name = _("declared relationship")
        verbose_name_plural = _("declared relationships")

    def __str__(self):
        return f"{self.organization_display} ({self.get_kind_display()})"

    @property
    def organization_display(self) -> str:
        return str(self.organization) if self.organization_id else self.organization_name

    def clean(self):
        super().clean()
        if not self.organization_id and not self.organization_name.strip():
            raise ValidationError(
                {"organization_name": _("Choose an organization or write its name.")}, code="no_organization"
            )
