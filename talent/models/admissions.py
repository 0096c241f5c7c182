"""入驻申请 (base application): an overseas team's application to the offshore talent base, and its lifecycle.

The applicant fills in and sends an ``portal.applications.Application`` of the kind ``talent.base`` (talent/
base_kind.py); on its first submission a ``BaseApplication`` follows it through the office's stages, declared here
once: completeness check → expert review → decision (admitted or rejected) → onboarding (company registered, seat)
→ active (in incubation) → graduated or exited. The applicant reads ``BaseStatus`` (talent/statuses.py), never a
stage's name; each change of what they read is a dated line of their timeline.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from portal.applications.models import ApplicationState
from portal.lifecycle import button, guard, rule
from portal.memo import memo


class BaseStage(models.TextChoices):
    CHECK = "check", _("Completeness check")
    REVIEW = "review", _("Expert review")
    ONBOARDING = "onboarding", _("Admitted — onboarding")
    ACTIVE = "active", _("In incubation")
    GRADUATED = "graduated", _("Graduated")
    EXITED = "exited", pgettext_lazy("base stage", "Exited")
    REJECTED = "rejected", pgettext_lazy("base stage", "Not admitted")
    EXPIRED = "expired", pgettext_lazy("base stage", "Expired (supplement not answered)")
    WITHDRAWN = "withdrawn", pgettext_lazy("base stage", "Withdrawn")


class ProjectStage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    PILOT = "pilot", _("Pilot or clinical stage")
    PRODUCT = "product", _("Product on the market")
    SCALING = "scaling", _("Scaling up")


OF_AN_OFFICER = rule("talent.permissions.runs_base_application")


def _no_open_supplement(base) -> bool:
    return base.application.state == ApplicationState.SUBMITTED


def _review_finished(base) -> bool:
    return base.review_is_finished


def _registered(base) -> bool:
    return bool(base.uscc and base.incubation_seat)


class BaseApplication(ConcurrentTransitionMixin, models.Model):
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="base_application",
        verbose_name=_("application"),
    )
    call = models.ForeignKey(
        "talent.Call", on_delete=models.PROTECT, related_name="base_applications", verbose_name=_("call")
    )
    # Copied from the answers when sent: what officers filter and sort by.
    team_name = models.CharField(_("team"), max_length=200)
    theme = models.ForeignKey(
        "themes.Theme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="base_applications",
        verbose_name=_("sector"),
    )
    project_stage = models.CharField(_("project stage"), max_length=20, choices=ProjectStage.choices, blank=True)
    stage = FSMField(_("stage"), max_length=20, choices=BaseStage.choices, default=BaseStage.CHECK, protected=True)
    stage_changed_at = models.DateTimeField(_("stage since"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decision_reason_en = models.TextField(_("reasons for the decision (English)"), blank=True)
    letter = models.OneToOneField(
        "opinions.Opinion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="base_application",
        verbose_name=_("decision letter"),
    )
    # Onboarding: the company the team registers in Pingshan and its seat in the incubator.
    company_name = models.CharField(_("registered company"), max_length=200, blank=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    incubation_seat = models.CharField(_("incubation seat"), max_length=100, blank=True)
    ended_on = models.DateField(_("left the base on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for leaving"), blank=True)

    class Meta:
        verbose_name = _("base application")
        verbose_name_plural = _("base applications")
        ordering = ["-stage_changed_at", "-pk"]
        indexes = [
            models.Index(fields=["call", "stage"], name="talent_base_call_stage"),
            # The office's list, newest change first: a page read in the index's order, not the table sorted.
            models.Index(fields=["stage_changed_at", "id"], name="talent_base_changed"),
        ]

    STATE_TONES = {
        BaseStage.ONBOARDING: "good",
        BaseStage.ACTIVE: "good",
        BaseStage.GRADUATED: "good",
        BaseStage.REJECTED: "bad",
        BaseStage.EXPIRED: "bad",
        BaseStage.WITHDRAWN: "bad",
        BaseStage.EXITED: "bad",
    }

    def __str__(self):
        return str(self.application.display_title) if self.application_id else self.team_name

    def get_absolute_url(self):
        return reverse("talent:base_application", args=[self.pk])

    def transition_url_kwargs(self):
        return {"pk": self.pk}

    @property
    def programme(self):
        return self.call.programme

    @property
    def is_admitted(self) -> bool:
        return self.stage in (BaseStage.ONBOARDING, BaseStage.ACTIVE, BaseStage.GRADUATED)

    @property
    def is_in_base(self) -> bool:
        """Onboarding or in incubation: the team may request services."""
        return self.stage in (BaseStage.ONBOARDING, BaseStage.ACTIVE)

    @property
    def review_is_finished(self) -> bool:
        """Asked by the admit guard, by the offered buttons and by the page's blockers: one query per request."""
        from .. import review  # the review module reads portal.reviews; imported when first asked

        return memo(self, "talent.review_is_finished", lambda: review.is_finished(self))

    # The lifecycle, declared once. Services take it with portal.lifecycle.take().
    @transition(
        field=stage,
        source=BaseStage.CHECK,
        target=BaseStage.REVIEW,
        permission=OF_AN_OFFICER,
        conditions=[guard(_("A request for supplement is still open: wait for the answer."))(_no_open_supplement)],
        custom=button(_("Complete: send to expert review"), "talent:base_to_review", "primary"),
    )
    def send_to_review(self):
        pass

    @transition(
        field=stage,
        source=BaseStage.REVIEW,
        target=BaseStage.ONBOARDING,
        permission=OF_AN_OFFICER,
        conditions=[guard(_("The expert review has not finished yet."))(_review_finished)],
        custom=button(_("Admit to the base"), "talent:base_decide", "primary", named=True),
    )
    def admit(self):
        pass

    @transition(
        field=stage,
        source=[BaseStage.CHECK, BaseStage.REVIEW],
        target=BaseStage.REJECTED,
        permission=OF_AN_OFFICER,
        custom=button(_("Reject"), "talent:base_decide", "danger", named=True),
    )
    def reject(self):
        pass

    @transition(
        field=stage,
        source=BaseStage.ONBOARDING,
        target=BaseStage.ACTIVE,
        permission=OF_AN_OFFICER,
        conditions=[guard(_("Record the registered company (USCC) and the incubation seat first."))(_registered)],
        custom=button(_("Onboarding complete: start incubation"), "talent:base_activate", "primary"),
    )
    def activate(self):
        pass

    @transition(
        field=stage,
        source=BaseStage.ACTIVE,
        target=BaseStage.GRADUATED,
        permission=OF_AN_OFFICER,
        custom=button(_("Graduate"), "talent:base_end", "", named=True),
    )
    def graduate(self):
        pass

    @transition(
        field=stage,
        source=[BaseStage.ONBOARDING, BaseStage.ACTIVE],
        target=BaseStage.EXITED,
        permission=OF_AN_OFFICER,
        custom=button(_("Record an exit"), "talent:base_end", "danger", named=True),
    )
    def leave(self):
        pass

    # Taken by the applications engine's hooks: the applicant missed a supplement's deadline, or withdrew.
    @transition(field=stage, source=BaseStage.CHECK, target=BaseStage.EXPIRED)
    def expire(self):
        pass

    @transition(field=stage, source=[BaseStage.CHECK, BaseStage.REVIEW], target=BaseStage.WITHDRAWN)
    def withdraw(self):
        pass
