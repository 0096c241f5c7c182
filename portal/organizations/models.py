from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from modelsearch import index
from wagtail.admin.panels import FieldPanel

from portal.i18n import Localized
from portal.lifecycle import button, rule
from portal.search.index import SegmentedSearchField

from .validators import normalize_uscc, validate_uscc


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    PROFESSIONAL_SERVICE = "professional_service", _("Professional service firm")
    FINANCIAL_INSTITUTION = "financial_institution", _("Financial institution")
    PUBLIC_PLATFORM = "public_platform", _("Public service platform")
    GOVERNMENT = "government", _("Government body")


class OrganizationQuerySet(models.QuerySet):
    def industry(self):
        return self.filter(is_industry=True)

    def government(self):
        return self.filter(kind=OrganizationKind.GOVERNMENT)


class Organization(index.Indexed, ClusterableModel):
    """An enterprise or institution (企业/机构): applicant, council member, employer, bureau."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters, as printed on the business licence."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    # Derived from kind and kept by the database, so it can never disagree with it.
    is_industry = models.GeneratedField(
        expression=models.Case(
            models.When(kind=OrganizationKind.GOVERNMENT, then=models.Value(False)),
            default=models.Value(True),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("industry representative"),
    )
    registered_in_pingshan = models.BooleanField(_("registered in Pingshan"), default=False)
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="organizations", verbose_name=_("themes"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    search_fields = [
        SegmentedSearchField("name", boost=2),
        index.SearchField("name_en"),
        index.SearchField("uscc"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("registered_in_pingshan"),
    ]

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    display_name = Localized("name", "name_en")

    def clean(self):
        super().clean()
        self.uscc = normalize_uscc(self.uscc)

    def save(self, *args, **kwargs):
        self.uscc = normalize_uscc(self.uscc)
        super().save(*args, **kwargs)


class OrganizationContactRole(models.TextChoices):
    CONTACT = "contact", _("Contact person")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")


class OrganizationUser(models.Model):
    """A user acting for an organization, in a named capacity."""

    organization = ParentalKey(
        Organization, on_delete=models.CASCADE, related_name="user_links", verbose_name=_("organization")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_links",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=30, choices=OrganizationContactRole.choices)

    panels = [FieldPanel("user"), FieldPanel("role")]

    class Meta:
        verbose_name = _("organization user")
        verbose_name_plural = _("organization users")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user", "role"], name="organizations_user_role_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} ({self.get_role_display()})"


class ClaimState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", pgettext_lazy("claim state", "Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrganizationClaimQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=ClaimState.PENDING)


# Who may take the claim's transitions (portal/organizations/permissions.py), named once.
DECIDES_THE_CLAIM = rule("portal.organizations.permissions.can_decide_claim")
WITHDRAWS_THE_CLAIM = rule("portal.organizations.permissions.can_withdraw_claim")


class OrganizationClaim(FSMModelMixin, models.Model):
    """A person asks to act for an organization that is already registered. The people who already act for it,
    or an officer (``organizations.review_organizationclaim``), approve or refuse; approving links the person."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="claims", verbose_name=_("organization")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_claims",
        verbose_name=_("claimant"),
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    state = FSMField(_("state"), max_length=20, choices=ClaimState.choices, default=ClaimState.PENDING, protected=True)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason for refusing"), max_length=500, blank=True)

    objects = OrganizationClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim to act for an organization")
        verbose_name_plural = _("claims to act for an organization")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=models.Q(state=ClaimState.PENDING),
                name="organizations_one_pending_claim",
                violation_error_message=_("You have already asked to act for this organization."),
            ),
        ]
        permissions = [
            ("review_organizationclaim", _("Can approve or refuse claims to act for an organization")),
        ]

    def __str__(self):
        return f"{self.user} → {self.organization}"

    def transition_url_kwargs(self):
        return {"pk": self.pk}

    @property
    def is_pending(self) -> bool:
        return self.state == ClaimState.PENDING

    STATE_TONES = {ClaimState.PENDING: "warn", ClaimState.APPROVED: "good", ClaimState.REFUSED: "bad"}

    @transition(
        field=state,
        source=ClaimState.PENDING,
        target=ClaimState.APPROVED,
        permission=DECIDES_THE_CLAIM,
        custom=button(_("Approve"), "accounts:claim_approve", "primary"),
    )
    def approve(self, by):
        self.decided_by, self.decided_at = by, timezone.now()

    # Refusing takes a reason, so its form sits beside the buttons rather than among them.
    @transition(field=state, source=ClaimState.PENDING, target=ClaimState.REFUSED, permission=DECIDES_THE_CLAIM)
    def refuse(self, by, reason):
        self.decided_by, self.decided_at, self.reason = by, timezone.now(), reason

    @transition(
        field=state,
        source=ClaimState.PENDING,
        target=ClaimState.WITHDRAWN,
        permission=WITHDRAWS_THE_CLAIM,
        custom=button(_("Withdraw the request"), "accounts:claim_withdraw"),
    )
    def withdraw(self):
        pass
