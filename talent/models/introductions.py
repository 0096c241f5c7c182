"""对接 (introduction): an officer puts two sides of a match in touch — a demand and a project, patent or expert, a
project and a demand, or an investor and a roadshow project. Both sides see it in their workspace and accept or
decline; the officer records the outcome.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from portal.lifecycle import button, rule


class IntroductionState(models.TextChoices):
    SENT = "sent", _("Waiting for both sides")
    ACCEPTED = "accepted", _("Both sides accepted")
    DECLINED = "declined", pgettext_lazy("introduction", "Declined")
    CLOSED = "closed", _("Outcome recorded")


class Answer(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    ACCEPTED = "accepted", pgettext_lazy("introduction answer", "Accepted")
    DECLINED = "declined", pgettext_lazy("introduction answer", "Declined")


class Outcome(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement signed")
    IN_TALKS = "in_talks", _("Still in talks")
    NO_RESULT = "no_result", _("No result")


class IntroductionSource(models.TextChoices):
    MATCHING = "matching", _("Library matching")
    ROADSHOW = "roadshow", _("Roadshow follow-up")


RUNS_IT = rule("talent.permissions.runs_introduction")


class Introduction(ConcurrentTransitionMixin, models.Model):
    programme = models.ForeignKey(
        "talent.Programme", on_delete=models.PROTECT, related_name="introductions", verbose_name=_("programme")
    )
    source = models.CharField(_("source"), max_length=20, choices=IntroductionSource.choices)
    # The two things introduced (library entries, an expert, a roadshow project) and the person answering for each.
    left_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    left_id = models.PositiveBigIntegerField()
    left = GenericForeignKey("left_type", "left_id")
    left_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("first side")
    )
    left_answer = models.CharField(
        _("first side's answer"), max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    right_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    right_id = models.PositiveBigIntegerField()
    right = GenericForeignKey("right_type", "right_id")
    right_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("second side")
    )
    right_answer = models.CharField(
        _("second side's answer"), max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    note = models.TextField(_("why they should meet"))
    explanation = models.JSONField(_("why matching suggested it"), default=dict, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("sent"), default=timezone.now)
    state = FSMField(
        _("state"), max_length=20, choices=IntroductionState.choices, default=IntroductionState.SENT, protected=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("about the outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["left_type", "left_id", "right_type", "right_id"], name="talent_one_introduction_per_pair"
            )
        ]
        indexes = [
            models.Index(fields=["left_person", "state"], name="talent_intro_left"),
            models.Index(fields=["right_person", "state"], name="talent_intro_right"),
        ]

    STATE_TONES = {
        IntroductionState.ACCEPTED: "good",
        IntroductionState.DECLINED: "bad",
        IntroductionState.SENT: "warn",
    }

    def __str__(self):
        return f"{self.left} ↔ {self.right}"

    def get_absolute_url(self):
        return reverse("talent:introduction", args=[self.pk])

    def transition_url_kwargs(self):
        return {"pk": self.pk}

    def answer_of(self, user):
        if user.pk == self.left_person_id:
            return self.left_answer
        if user.pk == self.right_person_id:
            return self.right_answer
        return None

    # Taken by the answering service once both sides accepted, or either declined.
    @transition(field=state, source=IntroductionState.SENT, target=IntroductionState.ACCEPTED)
    def mark_accepted(self):
        pass

    @transition(field=state, source=IntroductionState.SENT, target=IntroductionState.DECLINED)
    def mark_declined(self):
        pass

    @transition(
        field=state,
        source=[IntroductionState.SENT, IntroductionState.ACCEPTED],
        target=IntroductionState.CLOSED,
        permission=RUNS_IT,
        custom=button(_("Record the outcome"), "talent:introduction_close", ""),
    )
    def close(self):
        self.closed_at = timezone.now()
