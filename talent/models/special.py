"""特殊人才 (special talent): an employer's application for someone it urgently needs who misses the standard criteria
(age, degree, professional title), judged on social-economic benefit and industry influence, and its lifecycle.

The employer fills in and sends a ``portal.applications.Application`` of the kind ``talent.special``
(talent/special_kind.py); on its first submission a ``SpecialTalentApplication`` follows it through the district's
procedure, declared here once:

    pre-review by the sector's authority (区级行业主管部门; it may ask for a supplement, or decline with reasons)
    → expert panel (portal.reviews) → deliberation at the district talent work meeting (portal.voting)
    → public notice (公示) with objections → filing with the city HR bureau (备案) → approved or rejected.

The employer reads ``SpecialStatus`` (talent/statuses.py) with a date for each state, never a score or a vote.
The candidate's ID or passport number and date of birth are encrypted at rest (portal/crypto.py).
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from portal.applications.models import ApplicationState
from portal.crypto import EncryptedCharField
from portal.files.storage import private_storage
from portal.id_numbers import mask
from portal.lifecycle import button, guard, rule
from portal.memo import memo


class SectorAuthority(models.Model):
    """区级行业主管部门: the bureau that pre-reviews a programme's special-talent applications in its sectors, and the
    people who do it for the bureau. The programme's officers name them (admin); a role grants nothing."""

    programme = models.ForeignKey(
        "talent.Programme", on_delete=models.CASCADE, related_name="sector_authorities", verbose_name=_("programme")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="talent_sector_authorities",
        verbose_name=_("bureau"),
    )
    themes = models.ManyToManyField(
        "themes.Theme", related_name="talent_sector_authorities", verbose_name=_("sectors it is responsible for")
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="talent_sector_authorities",
        verbose_name=_("pre-reviewers"),
        help_text=_("The bureau's staff who pre-review applications in these sectors."),
    )

    class Meta:
        verbose_name = _("sector authority")
        verbose_name_plural = _("sector authorities")
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "organization"], name="talent_sector_authority_unique")
        ]

    def __str__(self):
        return str(self.organization)


class SpecialStage(models.TextChoices):
    PRE_REVIEW = "pre_review", _("Authority pre-review")
    PANEL = "panel", _("Expert panel")
    DELIBERATION = "deliberation", _("Talent work meeting")
    NOTICE = "notice", _("Public notice")
    FILING = "filing", _("Filing with the city")
    APPROVED = "approved", pgettext_lazy("special stage", "Approved")
    DECLINED = "declined", pgettext_lazy("special stage", "Declined at pre-review")
    REJECTED = "rejected", pgettext_lazy("special stage", "Rejected")
    EXPIRED = "expired", pgettext_lazy("special stage", "Expired (supplement not answered)")
    WITHDRAWN = "withdrawn", pgettext_lazy("special stage", "Withdrawn")


class IdKind(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")


class MissedCriterion(models.TextChoices):
    """Which of the standard criteria the candidate misses (the reports count applications by these)."""

    AGE = "age", _("Over the age limit")
    DEGREE = "degree", _("No qualifying degree")
    TITLE = "title", _("No professional title")
    OTHER = "other", _("Other standard criteria")


OF_THE_AUTHORITY = rule("talent.permissions.pre_reviews")
OF_AN_OFFICER = rule("talent.permissions.runs_special_application")


def _no_open_supplement(special) -> bool:
    return special.application.state == ApplicationState.SUBMITTED


def _panel_finished(special) -> bool:
    return special.panel_is_finished


def _vote_passed(special) -> bool:
    item = special.last_item
    return bool(item is not None and item.passed is True)


def _vote_failed_or_objection_upheld_or_filing(special) -> bool:
    """Rejection has a ground at each stage: the meeting's vote failed; an objection was upheld; the city refused."""
    if special.stage == SpecialStage.DELIBERATION:
        item = special.last_item
        return bool(item is not None and item.passed is False)
    if special.stage == SpecialStage.NOTICE:
        return special.objections.filter(outcome=ObjectionOutcome.UPHELD).exists()
    return True


def _notice_over(special) -> bool:
    return special.notice_ends_on is not None and timezone.localdate() > special.notice_ends_on


def _no_unresolved_objection(special) -> bool:
    return not special.objections.exclude(state=ObjectionState.RESOLVED).exists()


def _no_upheld_objection(special) -> bool:
    return not special.objections.filter(outcome=ObjectionOutcome.UPHELD).exists()


def _filed(special) -> bool:
    return bool(special.filing_number and special.filed_on)


class SpecialTalentApplication(ConcurrentTransitionMixin, models.Model):
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="special_application",
        verbose_name=_("application"),
    )
    call = models.ForeignKey(
        "talent.Call", on_delete=models.PROTECT, related_name="special_applications", verbose_name=_("call")
    )
    employer = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="special_talent_applications",
        verbose_name=_("employer"),
    )
    # Copied from the answers when sent: what lists, the public notice and the reports read.
    candidate_name = models.CharField(_("candidate"), max_length=100)
    candidate_name_en = models.CharField(_("candidate (English)"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=200, blank=True)
    theme = models.ForeignKey(
        "themes.Theme",
        on_delete=models.PROTECT,
        related_name="special_talent_applications",
        verbose_name=_("sector"),
    )
    missed_criteria = models.JSONField(_("standard criteria missed"), default=list, blank=True)
    # Encrypted at rest (portal/crypto.py); read through permissions.can_reveal_identity and audited.
    id_kind = models.CharField(_("kind of ID"), max_length=20, choices=IdKind.choices)
    id_number = EncryptedCharField(_("ID or passport number"))
    birth_date = EncryptedCharField(_("date of birth"))
    authority = models.ForeignKey(
        SectorAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("pre-reviewing authority"),
    )
    stage = FSMField(
        _("stage"), max_length=20, choices=SpecialStage.choices, default=SpecialStage.PRE_REVIEW, protected=True
    )
    stage_changed_at = models.DateTimeField(_("stage since"), default=timezone.now)
    # Pre-review: the authority's opinion (and the reasons when it declines).
    pre_review_opinion = models.TextField(_("pre-review opinion"), blank=True)
    pre_reviewed_at = models.DateTimeField(_("pre-reviewed"), null=True, blank=True)
    pre_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    panel_opinion = models.OneToOneField(
        "opinions.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="special_panel_application",
        verbose_name=_("expert panel's review opinion"),
    )
    # Public notice (公示): both days inclusive, Asia/Shanghai.
    notice_starts_on = models.DateField(_("notice starts"), null=True, blank=True)
    notice_ends_on = models.DateField(_("notice ends"), null=True, blank=True)
    # Filing with the city HR bureau (备案), then the outcome.
    filing_number = models.CharField(_("filing number"), max_length=60, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filing_form = models.OneToOneField(
        "opinions.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="special_filing_application",
        verbose_name=_("filing form"),
    )
    quota_reference = models.CharField(_("quota or transfer reference"), max_length=100, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)

    class Meta:
        verbose_name = _("special-talent application")
        verbose_name_plural = _("special-talent applications")
        ordering = ["-stage_changed_at", "-pk"]
        indexes = [
            models.Index(fields=["call", "stage"], name="talent_special_call_stage"),
            models.Index(fields=["stage", "notice_ends_on"], name="talent_special_notice"),
            # The office's list, newest change first (as the base applications').
            models.Index(fields=["stage_changed_at", "id"], name="talent_special_changed"),
        ]

    STATE_TONES = {
        SpecialStage.APPROVED: "good",
        SpecialStage.DECLINED: "bad",
        SpecialStage.REJECTED: "bad",
        SpecialStage.EXPIRED: "bad",
        SpecialStage.WITHDRAWN: "bad",
    }

    def __str__(self):
        return f"{self.candidate_name} · {self.employer}" if self.employer_id else self.candidate_name

    def get_absolute_url(self):
        return reverse("talent:special_application", args=[self.pk])

    def transition_url_kwargs(self):
        return {"pk": self.pk}

    @property
    def programme(self):
        return self.call.programme

    @property
    def masked_id_number(self) -> str:
        return mask(self.id_number)  # the last two characters, as the engine's pages mask it

    @property
    def birth_year(self) -> int | None:
        try:
            return datetime.date.fromisoformat(self.birth_date).year
        except (TypeError, ValueError):
            return None

    @property
    def is_on_public_notice(self) -> bool:
        today = timezone.localdate()
        return bool(
            self.stage == SpecialStage.NOTICE
            and self.notice_starts_on
            and self.notice_starts_on <= today <= self.notice_ends_on
        )

    @property
    def panel_is_finished(self) -> bool:
        """Asked by the guard, the buttons and the page's blockers: one query per request."""
        from .. import review  # reads portal.reviews; imported when first asked

        return memo(self, "talent.panel_is_finished", lambda: review.is_finished(self))

    @property
    def last_item(self):
        """The latest agenda item of a talent work meeting about this application (its vote decides)."""
        return memo(self, "talent.last_item", lambda: self.deliberation_items.order_by("-pk").first())

    # The lifecycle, declared once. Services take it with portal.lifecycle.take().
    @transition(
        field=stage,
        source=SpecialStage.PRE_REVIEW,
        target=SpecialStage.PANEL,
        permission=OF_THE_AUTHORITY,
        conditions=[guard(_("A request for supplement is still open: wait for the answer."))(_no_open_supplement)],
        custom=button(_("Pre-review passed: send to the expert panel"), "talent:special_pre_review", "primary", True),
    )
    def pass_pre_review(self):
        pass

    @transition(
        field=stage,
        source=SpecialStage.PRE_REVIEW,
        target=SpecialStage.DECLINED,
        permission=OF_THE_AUTHORITY,
        custom=button(_("Decline"), "talent:special_pre_review", "danger", True),
    )
    def decline(self):
        pass

    @transition(
        field=stage,
        source=SpecialStage.PANEL,
        target=SpecialStage.DELIBERATION,
        permission=OF_AN_OFFICER,
        conditions=[guard(_("The expert panel has not finished yet."))(_panel_finished)],
        custom=button(_("Send to the talent work meeting"), "talent:special_to_deliberation", "primary"),
    )
    def send_to_deliberation(self):
        pass

    @transition(
        field=stage,
        source=SpecialStage.DELIBERATION,
        target=SpecialStage.NOTICE,
        permission=OF_AN_OFFICER,
        conditions=[guard(_("The talent work meeting has not passed it."))(_vote_passed)],
    )
    def put_on_notice(self):
        pass

    @transition(
        field=stage,
        source=SpecialStage.NOTICE,
        target=SpecialStage.FILING,
        permission=OF_AN_OFFICER,
        conditions=[
            guard(_("The public notice period has not ended yet."))(_notice_over),
            guard(_("An objection is still open: record how it was resolved first."))(_no_unresolved_objection),
            guard(_("An objection was upheld: the candidate cannot be filed; reject the application."))(
                _no_upheld_objection
            ),
        ],
        custom=button(_("Notice over: send for filing"), "talent:special_to_filing", "primary"),
    )
    def send_to_filing(self):
        pass

    @transition(
        field=stage,
        source=SpecialStage.FILING,
        target=SpecialStage.APPROVED,
        permission=OF_AN_OFFICER,
        conditions=[guard(_("Record the filing number and date first."))(_filed)],
        custom=button(_("Approve"), "talent:special_decide", "primary", True),
    )
    def approve(self):
        pass

    @transition(
        field=stage,
        source=[SpecialStage.DELIBERATION, SpecialStage.NOTICE, SpecialStage.FILING],
        target=SpecialStage.REJECTED,
        permission=OF_AN_OFFICER,
        conditions=[
            guard(_("Rejection needs a ground: a failed vote, an upheld objection, or the city's refusal."))(
                _vote_failed_or_objection_upheld_or_filing
            )
        ],
        custom=button(_("Reject"), "talent:special_decide", "danger", True),
    )
    def reject(self):
        pass

    # Taken by the applications engine's hooks: the employer missed a supplement's deadline, or withdrew.
    @transition(field=stage, source=SpecialStage.PRE_REVIEW, target=SpecialStage.EXPIRED)
    def expire(self):
        pass

    @transition(field=stage, source=[SpecialStage.PRE_REVIEW, SpecialStage.PANEL], target=SpecialStage.WITHDRAWN)
    def withdraw(self):
        pass


class StageVisit(models.Model):
    """How long an application spent in each stage (the reports' time per stage)."""

    application = models.ForeignKey(
        SpecialTalentApplication, on_delete=models.CASCADE, related_name="stage_visits", verbose_name=_("application")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=SpecialStage.choices)
    entered_at = models.DateTimeField(_("entered"))
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage visit")
        verbose_name_plural = _("stage visits")
        ordering = ["entered_at", "pk"]
        indexes = [models.Index(fields=["stage", "left_at"], name="talent_stage_visit_stage")]

    def __str__(self):
        return f"{self.application_id} {self.stage}"


class ObjectionState(models.TextChoices):
    RECEIVED = "received", _("Received")
    INVESTIGATING = "investigating", _("Under investigation")
    RESOLVED = "resolved", _("Resolved")


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


def objection_evidence_to(instance, filename):
    return f"talent/objections/{instance.application_id}/{filename}"


class Objection(models.Model):
    """公示异议: anyone's objection to a candidate on public notice, lodged during the period, and how the officers
    investigated and resolved it. An objection not yet resolved blocks the filing."""

    application = models.ForeignKey(
        SpecialTalentApplication, on_delete=models.PROTECT, related_name="objections", verbose_name=_("application")
    )
    name = models.CharField(_("your name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    grounds = models.TextField(_("grounds"), max_length=4000)
    evidence = models.FileField(
        _("evidence"), upload_to=objection_evidence_to, blank=True, max_length=200, storage=private_storage
    )
    lodged_at = models.DateTimeField(_("lodged"), default=timezone.now)
    state = models.CharField(_("state"), max_length=20, choices=ObjectionState.choices, default=ObjectionState.RECEIVED)
    investigation = models.TextField(_("how it was investigated"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ObjectionOutcome.choices, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-lodged_at", "-pk"]

    def __str__(self):
        return f"{self.application} · {self.lodged_at:%Y-%m-%d}"

    @property
    def is_resolved(self) -> bool:
        return self.state == ObjectionState.RESOLVED
