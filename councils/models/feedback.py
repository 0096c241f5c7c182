"""Policy feedback (政策评议): the secretariat asks the members about a government policy."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from portal.lifecycle import button, rule

from .workspace import WorkspaceScoped

RATING_MIN, RATING_MAX = 1, 5
RATING_VALIDATORS = [MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]


# Who may take the transitions below (councils/permissions.py), named once.
SECRETARIAT = rule("councils.permissions.can_manage_campaign")


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", pgettext_lazy("feedback campaign state", "Closed")


class PolicyFeedback(FSMModelMixin, WorkspaceScoped):
    title = models.CharField(_("title"), max_length=200)
    policy_name = models.CharField(_("policy"), max_length=300)
    issuing_department = models.CharField(_("issuing department"), max_length=200)
    policy_summary = models.TextField(_("what the policy says"), blank=True)
    policy_link = models.URLField(_("link to the policy"), blank=True)
    policy_document = models.ForeignKey(
        "Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("policy document"),
        help_text=_("A document in this workspace's folders."),
    )
    closes_on = models.DateField(_("answers due"), null=True, blank=True)
    state = FSMField(
        _("state"), max_length=20, choices=CampaignState.choices, default=CampaignState.DRAFT, protected=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    opinion = models.ForeignKey(
        "opinions.Opinion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feedback opinion"),
    )

    class Meta:
        verbose_name = _("policy feedback campaign")
        verbose_name_plural = _("policy feedback campaigns")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.item_url("campaign")

    # The lifecycle: the secretariat drafts, opens and closes a campaign; members answer while it is open.
    STATE_TONES = {CampaignState.OPEN: "good", CampaignState.DRAFT: "warn"}

    @transition(
        field=state,
        source=CampaignState.DRAFT,
        target=CampaignState.OPEN,
        permission=SECRETARIAT,
        custom=button(_("Open the campaign"), "councils:campaign_open", "primary"),
    )
    def open(self):
        self.opened_at = timezone.now()

    @transition(
        field=state,
        source=CampaignState.OPEN,
        target=CampaignState.CLOSED,
        permission=SECRETARIAT,
        custom=button(_("Close the campaign"), "councils:campaign_close"),
    )
    def close(self):
        self.closed_at = timezone.now()

    @property
    def is_draft(self) -> bool:
        return self.state == CampaignState.DRAFT

    @property
    def is_open(self) -> bool:
        return self.state == CampaignState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == CampaignState.CLOSED


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    TEXT = "text", _("Written answer")


class FeedbackQuestion(models.Model):
    campaign = models.ForeignKey(
        PolicyFeedback, on_delete=models.CASCADE, related_name="questions", verbose_name=_("campaign")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("feedback question")
        verbose_name_plural = _("feedback questions")
        ordering = ["campaign", "position", "pk"]

    def __str__(self):
        return self.text


class FeedbackResponse(models.Model):
    """One member's answer to a campaign: the standard three parts, and the campaign's own questions."""

    campaign = models.ForeignKey(
        PolicyFeedback, on_delete=models.CASCADE, related_name="responses", verbose_name=_("campaign")
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("respondent")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    effect_rating = models.PositiveSmallIntegerField(
        _("effect of the policy"),
        validators=RATING_VALIDATORS,
        help_text=_("1 = no effect, 5 = a strong positive effect."),
    )
    problems = models.TextField(_("problems met"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        ordering = ["campaign", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "respondent"],
                name="councils_feedback_one_response",
                violation_error_message=_("You have already answered; change your answer instead."),
            ),
            models.CheckConstraint(
                condition=models.Q(effect_rating__gte=RATING_MIN, effect_rating__lte=RATING_MAX),
                name="councils_feedback_rating_range",
            ),
        ]

    def __str__(self):
        return f"{self.respondent} · {self.campaign}"


class FeedbackAnswer(models.Model):
    response = models.ForeignKey(
        FeedbackResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("feedback answer")
    )
    question = models.ForeignKey(
        FeedbackQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True, validators=RATING_VALIDATORS)
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("answer to a question")
        verbose_name_plural = _("answers to questions")
        ordering = ["response", "question__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="councils_feedback_answer_unique"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="councils_feedback_answer_rating_range",
            ),
        ]

    def __str__(self):
        return f"{self.response} · {self.question}"
