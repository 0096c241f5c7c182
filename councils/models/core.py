"""产业共治委员会: councils, their charters, membership and committees."""

import datetime
import difflib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.i18n import Localized, localized
from portal.organizations.models import OrganizationKind
from portal.voting.models import Base, Majority

DEFAULT_MIN_INDUSTRY_SHARE = Decimal("0.90")


class CouncilStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVED = "dissolved", _("Dissolved")


class Council(models.Model):
    """An industry co-governance council (产业共治委员会 / 理事会), not a legal person."""

    theme = models.ForeignKey(
        "themes.Theme", on_delete=models.PROTECT, related_name="councils", verbose_name=_("theme")
    )
    name_zh = models.CharField(_("Chinese name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    leading_bureau = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="led_councils",
        limit_choices_to={"kind": OrganizationKind.GOVERNMENT},
        verbose_name=_("leading bureau"),
        help_text=_("The government body that leads the council; its secretariat is attached to it."),
    )
    secretariat_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="council_secretariats",
        verbose_name=_("secretariat staff"),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CouncilStatus.choices, default=CouncilStatus.ACTIVE)
    introduction_zh = models.TextField(_("Chinese introduction"), blank=True)
    introduction_en = models.TextField(_("English introduction"), blank=True)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["theme__order", "name_zh"]
        permissions = [("override_composition", _("Can override the industry share rule"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The plenary workspace's overview (the public council page is a Wagtail page of its own)."""
        from ..workspace import Workspace  # the workspace module reads these models

        return Workspace.of(self).url()

    name = Localized("name_zh", "name_en")
    introduction = Localized("introduction_zh", "introduction_en")

    def clean(self):
        super().clean()
        if self.leading_bureau_id and self.leading_bureau.kind != OrganizationKind.GOVERNMENT:
            raise ValidationError({"leading_bureau": _("The leading bureau must be a government body.")})

    def charter_version_in_force(self, on=None, *, public_only=False):
        on = on or datetime.date.today()
        versions = CharterVersion.objects.filter(charter__council=self, effective_from__lte=on)
        if public_only:
            versions = versions.filter(is_public=True)
        return versions.order_by("-effective_from", "-number").first()

    def min_industry_share(self, on=None):
        version = self.charter_version_in_force(on)
        return version.min_industry_share if version else DEFAULT_MIN_INDUSTRY_SHARE


class Charter(models.Model):
    """A council's charter (《理事会章程》); its text and rules live in versions."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="charter", verbose_name=_("council"))

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")

    def __str__(self):
        return _("Charter of %(council)s") % {"council": self.council}

    def version_in_force(self, on=None):
        on = on or datetime.date.today()
        return self.versions.filter(effective_from__lte=on).order_by("-effective_from", "-number").first()


class ConvenedBy(models.TextChoices):
    CHAIR = "chair", _("the chair")
    SECRETARIAT = "secretariat", _("the secretariat")
    CHAIR_OR_SECRETARIAT = "chair_or_secretariat", _("the chair or the secretariat")


class CharterVersion(models.Model):
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="versions", verbose_name=_("charter"))
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("Chinese text"))
    text_en = models.TextField(_("English text"), blank=True)
    effective_from = models.DateField(_("effective from"))
    adopted_note = models.CharField(
        _("adopted by"), max_length=300, blank=True, help_text=_("For example the meeting and motion that adopted it.")
    )
    is_public = models.BooleanField(_("public"), default=True)
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=1)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=2)
    default_majority = models.CharField(
        _("default majority"), max_length=20, choices=Majority.choices, default=Majority.SIMPLE
    )
    default_base = models.CharField(_("default base"), max_length=20, choices=Base.choices, default=Base.YES_NO_ABSTAIN)
    min_industry_share = models.DecimalField(
        _("minimum industry share"),
        max_digits=5,
        decimal_places=4,
        default=DEFAULT_MIN_INDUSTRY_SHARE,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("A fraction: 0.90 means 90 percent of the voting members represent industry."),
    )
    term_months = models.PositiveSmallIntegerField(_("term length in months"), default=36)
    proxies_allowed = models.BooleanField(_("proxies allowed"), default=True)
    max_proxies_per_holder = models.PositiveSmallIntegerField(_("maximum proxies per holder"), default=1)
    convened_by = models.CharField(
        _("meetings convened by"), max_length=30, choices=ConvenedBy.choices, default=ConvenedBy.CHAIR_OR_SECRETARIAT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["charter", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="councils_charter_version_unique"),
            models.CheckConstraint(
                condition=models.Q(quorum_numerator__gt=0, quorum_numerator__lte=models.F("quorum_denominator")),
                name="councils_charter_quorum_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(min_industry_share__gte=0, min_industry_share__lte=1),
                name="councils_charter_min_share_valid",
            ),
        ]

    def __str__(self):
        return _("%(charter)s, version %(number)s") % {"charter": self.charter, "number": self.number}

    @property
    def quorum(self):
        from fractions import Fraction

        return Fraction(self.quorum_numerator, self.quorum_denominator)

    localized_text = Localized("text", "text_en")

    def clean(self):
        super().clean()
        errors = {}
        if not self.quorum_denominator or not self.quorum_numerator or self.quorum_numerator > self.quorum_denominator:
            errors["quorum_numerator"] = _("The quorum must be more than zero and at most the whole (for example 1/2).")
        if self.min_industry_share is not None and not (0 <= self.min_industry_share <= 1):
            errors["min_industry_share"] = _("The minimum industry share is a fraction between 0 and 1.")
        if not self.proxies_allowed:
            self.max_proxies_per_holder = 0
        if self.charter_id and self.effective_from:
            later = self.charter.versions.filter(effective_from__gt=self.effective_from).exclude(pk=self.pk)
            if later.exists():
                errors["effective_from"] = _("A new version cannot take effect before the current one.")
        if errors:
            raise ValidationError(errors)

    def diff_html(self, other):
        """The changes from `other` (an earlier version) to this one, as escaped HTML with <ins>/<del>."""
        old_lines = (other.text if other else "").splitlines()
        new_lines = self.text.splitlines()
        lines = []  # (change, line): the template escapes each line
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                lines.extend(("same", line) for line in old_lines[i1:i2])
                continue
            lines.extend(("removed", line) for line in old_lines[i1:i2])
            lines.extend(("added", line) for line in new_lines[j1:j2])
        return render_to_string("councils/charter_diff.html", {"lines": lines})


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-general")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


ROLE_ORDER = [
    MembershipRole.CHAIR,
    MembershipRole.VICE_CHAIR,
    MembershipRole.SECRETARY_GENERAL,
    MembershipRole.MEMBER,
    MembershipRole.OBSERVER,
]


def role_order():
    """For order_by(): a council or committee membership's role ranked as ROLE_ORDER (chair first, unknown last).

    The one ordering of people by role, so the workspace member lists and the public council page agree."""
    return models.Case(
        *(models.When(role=role, then=models.Value(rank)) for rank, role in enumerate(ROLE_ORDER)),
        default=models.Value(len(ROLE_ORDER)),
    )


class MembershipQuerySet(models.QuerySet):
    def open(self):
        return self.filter(term_end__isnull=True)

    def active_on(self, on):
        return self.filter(term_start__lte=on).filter(models.Q(term_end__isnull=True) | models.Q(term_end__gt=on))


class Membership(models.Model):
    """An organization's seat on a council. Ending sets term_end; rows are never deleted (history)."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("council")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="council_memberships",
        verbose_name=_("organization"),
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_memberships",
        verbose_name=_("representative"),
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    has_vote = models.BooleanField(_("voting right"), default=True)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True, help_text=_("Empty while the membership lasts."))
    ended_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        ordering = ["council", "term_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="councils_membership_term_order",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["council", "organization"],
                condition=models.Q(term_end__isnull=True),
                name="councils_membership_one_open",
                violation_error_message=_("This organization is already a member of the council."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role="observer", has_vote=True),
                name="councils_membership_observer_no_vote",
                violation_error_message=_("Observers do not vote."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.council} ({self.get_role_display()})"

    @property
    def is_open(self):
        return self.term_end is None

    def is_active_on(self, on):
        return self.term_start <= on and (self.term_end is None or self.term_end > on)

    def clean(self):
        super().clean()
        errors = {}
        if self.role == MembershipRole.OBSERVER and self.has_vote:
            errors["has_vote"] = _("Observers do not vote.")
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = _("The term cannot end before it starts.")
        if errors:
            raise ValidationError(errors)


class CompositionOverride(models.Model):
    """A staff decision to accept a membership change that takes the industry share below the charter minimum."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="composition_overrides", verbose_name=_("council")
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="composition_overrides",
        verbose_name=_("membership"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("overridden by")
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    share_before = models.DecimalField(_("share before"), max_digits=5, decimal_places=4, null=True, blank=True)
    share_after = models.DecimalField(_("share after"), max_digits=5, decimal_places=4, null=True, blank=True)
    minimum = models.DecimalField(_("charter minimum"), max_digits=5, decimal_places=4)

    class Meta:
        verbose_name = _("composition override")
        verbose_name_plural = _("composition overrides")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="councils_override_reason_required"),
        ]

    def __str__(self):
        return f"{self.council} · {self.created_at:%Y-%m-%d}"


class CommitteeKind(models.TextChoices):
    INTERNATIONAL_PROMOTION = "international_promotion", _("International promotion")
    STRATEGIC_PLANNING = "strategic_planning", _("Strategic planning")
    INDUSTRY_PROMOTION = "industry_promotion", _("Industry promotion")
    BUSINESS_ENVIRONMENT = "business_environment", _("Business environment")
    RISK_PREVENTION = "risk_prevention", _("Industry risk prevention")
    CUSTOM = "custom", _("Other (named)")


class Committee(models.Model):
    """A committee (专业委员会) of a council; organizations outside the council may join it."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="committees", verbose_name=_("council"))
    kind = models.CharField(_("kind"), max_length=30, choices=CommitteeKind.choices)
    name_zh = models.CharField(_("Chinese name"), max_length=100, blank=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_committees",
        verbose_name=_("chair"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["council", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "kind"],
                condition=~models.Q(kind="custom"),
                name="councils_committee_kind_unique",
                violation_error_message=_("The council already has this committee."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="custom", name_zh=""),
                name="councils_committee_custom_named",
                violation_error_message=_("Give a custom committee a name."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The committee workspace's overview."""
        from ..workspace import Workspace  # the workspace module reads these models

        return Workspace.of(self).url()

    @property
    def name(self):
        return localized(self.name_zh, self.name_en) or str(self.get_kind_display())

    def clean(self):
        super().clean()
        if self.kind == CommitteeKind.CUSTOM and not self.name_zh.strip():
            raise ValidationError({"name_zh": _("Give a custom committee a name.")})


class CommitteeRole(models.TextChoices):
    # A context of their own: a committee's chair is 主任委员, a council's 理事长.
    CHAIR = "chair", pgettext_lazy("committee role", "Chair")
    VICE_CHAIR = "vice_chair", pgettext_lazy("committee role", "Vice-chair")
    MEMBER = "member", pgettext_lazy("committee role", "Member")


class CommitteeMembership(models.Model):
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("committee")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="committee_memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="committee_memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=CommitteeRole.choices, default=CommitteeRole.MEMBER)
    joined_on = models.DateField(_("joined on"), default=datetime.date.today)

    class Meta:
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        ordering = ["committee", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user"],
                name="councils_committee_member_unique",
                violation_error_message=_("This person is already on the committee."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.committee}"

    @property
    def is_external(self):
        """True when the organization has no open membership of the committee's council."""
        return not Membership.objects.filter(
            council_id=self.committee.council_id, organization_id=self.organization_id, term_end__isnull=True
        ).exists()
