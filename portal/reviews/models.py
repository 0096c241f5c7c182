"""Panel reviews: rubrics, review rounds on any subject, assignments, conflict declarations and scorecards.

State changes happen only in ``services.py``; the transitions below are called from there.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from portal.i18n import Localized, localized
from portal.lifecycle import rule

from .scoring import AggregationMethod, quantize

SCORE_DIGITS = {"max_digits": 7, "decimal_places": 2}


def _call(function):
    return function()


# Text chosen by language when it is rendered rather than when it is read (see ReviewRound.assignee_label).
lazy_text = lazy(_call, str)


def plain(value: Decimal | None) -> str:
    """10.00 -> "10", 7.50 -> "7.5": a number as people write it (never 1E+1)."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Rubrics ---------------------------------------------------------------------------------------------


class Rubric(ClusterableModel):
    """A scoring form: weighted criteria. Frozen once a review round uses it; changes make a new version."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["name", "-version"]

    def __str__(self):
        return f"{self.display_name} (v{self.version})"

    display_name = Localized("name", "name_en")

    @property
    def is_frozen(self) -> bool:
        """True once any review round uses this rubric: its criteria may no longer change."""
        return bool(self.pk) and ReviewRound.objects.filter(rubric_id=self.pk).exists()

    @property
    def is_latest(self) -> bool:
        return not Rubric.objects.filter(previous_id=self.pk).exists()

    def clean(self):
        super().clean()
        if self.is_frozen:
            raise ValidationError(
                _("This rubric is used by a review round and can no longer be changed; make a new version of it."),
                code="frozen",
            )

    def weight_error(self, criteria=None):
        """A message when the rubric cannot be scored: no criteria, or every weight zero."""
        criteria = list(self.criteria.all()) if criteria is None else criteria
        if not criteria:
            return _("The rubric has no criteria.")
        if all(criterion.weight == 0 for criterion in criteria):
            return _("At least one criterion must have a weight above zero.")
        return None


class Criterion(Orderable):
    """One line of a rubric: what is scored, how much it counts, on which scale."""

    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("rubric"))
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    guidance = models.TextField(_("guidance"), blank=True, help_text=_("What the expert should look at."))
    guidance_en = models.TextField(_("English guidance"), blank=True)
    weight = models.DecimalField(_("weight"), default=Decimal(1), validators=[MinValueValidator(0)], **SCORE_DIGITS)
    scale_min = models.DecimalField(_("lowest score"), default=Decimal(0), **SCORE_DIGITS)
    scale_max = models.DecimalField(_("highest score"), default=Decimal(10), **SCORE_DIGITS)
    reason_required_below = models.DecimalField(
        _("reason required below"),
        null=True,
        blank=True,
        help_text=_("A score lower than this needs a written reason."),
        **SCORE_DIGITS,
    )
    reason_required_above = models.DecimalField(
        _("reason required above"),
        null=True,
        blank=True,
        help_text=_("A score higher than this needs a written reason."),
        **SCORE_DIGITS,
    )

    panels = [
        FieldRowPanel([FieldPanel("name_zh"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("guidance"), FieldPanel("guidance_en")]),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("scale_min"), FieldPanel("scale_max")]),
        FieldRowPanel([FieldPanel("reason_required_below"), FieldPanel("reason_required_above")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.name

    name = Localized("name_zh", "name_en")
    display_guidance = Localized("guidance", "guidance_en")

    @property
    def scale_min_display(self) -> str:
        return plain(self.scale_min)

    @property
    def scale_max_display(self) -> str:
        return plain(self.scale_max)

    @property
    def weight_display(self) -> str:
        return plain(self.weight)

    @property
    def reason_below_display(self) -> str:
        return plain(self.reason_required_below)

    @property
    def reason_above_display(self) -> str:
        return plain(self.reason_required_above)

    def needs_reason(self, value: Decimal) -> bool:
        below = self.reason_required_below is not None and value < self.reason_required_below
        above = self.reason_required_above is not None and value > self.reason_required_above
        return below or above

    def clean(self):
        super().clean()
        if self.rubric_id and self.rubric.is_frozen:
            raise ValidationError(
                _("This rubric is used by a review round and can no longer be changed; make a new version of it."),
                code="frozen",
            )
        errors = {}
        if self.scale_min is not None and self.scale_max is not None and self.scale_min >= self.scale_max:
            errors["scale_max"] = _("The highest score must be above the lowest score.")
        for field in ("reason_required_below", "reason_required_above"):
            limit = getattr(self, field)
            has_scale = self.scale_min is not None and self.scale_max is not None
            if limit is not None and has_scale and not self.scale_min <= limit <= self.scale_max:
                errors[field] = _("The limit must lie within the scale.")
        if errors:
            raise ValidationError(errors)


# --- Rounds ----------------------------------------------------------------------------------------------


class RoundState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for scoring")
    CLOSED = "closed", _("Closed")


class ReviewRound(ConcurrentTransitionMixin, models.Model):
    """One panel review of one subject (a deal, an application, an incubator project)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("subject type"))
    object_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("rubric"))
    deadline = models.DateTimeField(_("deadline"))
    min_scores = models.PositiveSmallIntegerField(
        _("minimum number of scores"), default=3, help_text=_("The round closes only with this many scorecards.")
    )
    aggregation = models.CharField(
        _("aggregation method"), max_length=20, choices=AggregationMethod.choices, default=AggregationMethod.MEAN
    )
    outlier_threshold = models.DecimalField(
        _("outlier threshold"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "A total further than this many points from the median of the other submitted totals needs a "
            "written reason. Empty: no check."
        ),
        **SCORE_DIGITS,
    )
    spread_threshold = models.DecimalField(
        _("spread threshold"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Flag the result as dispersed when highest minus lowest total is above this."),
        **SCORE_DIGITS,
    )
    std_threshold = models.DecimalField(
        _("standard deviation threshold"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Flag the result as dispersed when the standard deviation of the totals is above this."),
        **SCORE_DIGITS,
    )
    reviewers_see_scores_after_submit = models.BooleanField(
        _("reviewers see the other scores after submitting"), default=False
    )
    hide_applicant_identity = models.BooleanField(_("hide the applicant's identity from reviewers"), default=False)
    subject_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject organization"),
        help_text=_("The applicant or company under review; used to suggest conflicts of interest."),
    )
    assignee_title = models.CharField(
        _("title shown to reviewers"),
        max_length=200,
        blank=True,
        help_text=_(
            "Only when the applicant's identity is hidden: what reviewers see instead of the title. "
            "Empty: a neutral label with the round's number."
        ),
    )
    assignee_title_en = models.CharField(_("English title shown to reviewers"), max_length=200, blank=True)
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="+", verbose_name=_("themes"))
    # The body whose review this is (a council, a committee, a fund …): its MANAGE holders in portal.authority run
    # the round. Asked live, so a change of secretariat takes effect at once.
    owner_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner type")
    )
    owner_id = models.CharField(_("owner id"), max_length=64)
    owner = GenericForeignKey("owner_type", "owner_id")
    state = FSMField(_("state"), default=RoundState.DRAFT, choices=RoundState.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The result as computed when the round closed (round_result() recomputes it at any time).
    result_value = models.DecimalField(_("result"), null=True, blank=True, **SCORE_DIGITS)
    result_count = models.PositiveSmallIntegerField(_("scores counted"), null=True, blank=True)
    result_spread = models.DecimalField(_("spread"), null=True, blank=True, **SCORE_DIGITS)
    result_std = models.DecimalField(_("standard deviation"), null=True, blank=True, **SCORE_DIGITS)
    result_dispersed = models.BooleanField(_("dispersed"), default=False)

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    STATE_TONES = {RoundState.OPEN: "good"}

    def __str__(self):
        # Localized when turned into text, so a notification built with format_lazy reads in each recipient's
        # language.
        return self.display_title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reviews:round", args=[self.pk])

    display_title = Localized("title", "title_en")

    @property
    def assignee_label(self):
        """What reviewers see as the round's name: the title, or, when the applicant is hidden, the neutral
        ``assignee_title`` (by default "Review project R-<number>"). Lazy: notifications render it in each
        reader's language."""
        if not self.hide_applicant_identity:
            return lazy_text(lambda: self.display_title)
        if self.assignee_title:
            return lazy_text(lambda: localized(self.assignee_title, self.assignee_title_en))
        return format_lazy(_("Review project R-{number}"), number=self.pk)

    def transition_url_kwargs(self):
        return {"pk": self.pk}

    @property
    def is_draft(self) -> bool:
        return self.state == RoundState.DRAFT

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == RoundState.CLOSED

    # The lifecycle: services take these with portal.lifecycle.take(); who may is asked of permissions.py. The
    # round page posts the transition's name as its ``action`` (views.ROUND_ACTIONS).
    @transition(
        field=state,
        source=RoundState.DRAFT,
        target=RoundState.OPEN,
        permission=rule("portal.reviews.permissions.can_manage_round"),
        custom={"label": _("Open the round for scoring"), "view": "reviews:round", "style": "primary"},
    )
    def open(self, when):
        self.opened_at = when

    @transition(
        field=state,
        source=RoundState.OPEN,
        target=RoundState.CLOSED,
        permission=rule("portal.reviews.permissions.can_manage_round"),
    )
    def close(self, when, result):
        self.closed_at = when
        self.result_value = result.value
        self.result_count = result.count
        self.result_spread = result.spread
        self.result_std = result.std
        self.result_dispersed = result.dispersed


# --- Assignments -----------------------------------------------------------------------------------------


class AssignmentState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted — conflict declaration due")
    DECLINED = "declined", _("Declined")
    CLEARED = "cleared", _("No conflict declared — scoring")
    RECUSED = "recused", _("Recused")
    SUBMITTED = "submitted", _("Scorecard submitted")


OPEN_ASSIGNMENT_STATES = (AssignmentState.INVITED, AssignmentState.ACCEPTED, AssignmentState.CLEARED)


class AssignmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's own assignments, newest round first, with what a list shows (no per-row queries)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(expert__user=user).select_related("round", "expert").order_by("-round__deadline", "-pk")


class Assignment(ConcurrentTransitionMixin, models.Model):
    """An expert invited to a round. Declares conflicts before seeing anything; then scores."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("review round")
    )
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("expert")
    )
    state = FSMField(_("state"), default=AssignmentState.INVITED, choices=AssignmentState.choices, protected=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("assigned by")
    )
    conflict_override_reason = models.TextField(_("reason for assigning despite a suggested conflict"), blank=True)
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    recused_at = models.DateTimeField(_("recused"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["round", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "expert"], name="reviews_assignment_unique")]

    STATE_TONES = {
        AssignmentState.CLEARED: "good",
        AssignmentState.SUBMITTED: "good",
        AssignmentState.ACCEPTED: "warn",
        AssignmentState.DECLINED: "bad",
        AssignmentState.RECUSED: "bad",
    }

    def __str__(self):
        return f"{self.expert} · {self.round}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reviews:assignment", args=[self.pk])

    @property
    def is_counted(self) -> bool:
        """Only submitted, not recused, scorecards count."""
        return self.state == AssignmentState.SUBMITTED

    @property
    def has_left_the_panel(self) -> bool:
        """Declined or recused: the round's title is no longer theirs to read."""
        return self.state in (AssignmentState.DECLINED, AssignmentState.RECUSED)

    def round_not_closed(self) -> bool:
        return not self.round.is_closed

    def round_is_open(self) -> bool:
        return self.round.is_open

    # The lifecycle: services take these with portal.lifecycle.take(); who may is asked of permissions.py.
    @transition(
        field=state,
        source=AssignmentState.INVITED,
        target=AssignmentState.ACCEPTED,
        permission=rule("portal.reviews.permissions.is_assignee"),
        conditions=[round_not_closed],
    )
    def accept(self, when):
        self.responded_at = when

    @transition(
        field=state,
        source=AssignmentState.INVITED,
        target=AssignmentState.DECLINED,
        permission=rule("portal.reviews.permissions.is_assignee"),
        conditions=[round_not_closed],
    )
    def decline(self, when):
        self.responded_at = when

    @transition(
        field=state,
        source=AssignmentState.ACCEPTED,
        target=AssignmentState.CLEARED,
        permission=rule("portal.reviews.permissions.is_assignee"),
        conditions=[round_not_closed],
    )
    def clear(self):
        pass

    # The assignee declaring a conflict, or the round's managers finding one later.
    @transition(
        field=state,
        source=[AssignmentState.INVITED, AssignmentState.ACCEPTED, AssignmentState.CLEARED, AssignmentState.SUBMITTED],
        target=AssignmentState.RECUSED,
        permission=rule("portal.reviews.permissions.may_recuse"),
        conditions=[round_not_closed],
    )
    def recuse(self, when):
        self.recused_at = when

    @transition(
        field=state,
        source=AssignmentState.CLEARED,
        target=AssignmentState.SUBMITTED,
        permission=rule("portal.reviews.permissions.is_assignee"),
        conditions=[round_is_open],
    )
    def submit(self, when):
        self.submitted_at = when


class ConflictKind(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    EQUITY = "equity", _("Equity holding")
    FAMILY = "family", _("Family relationship")
    RECENT_COLLABORATION = "recent_collaboration", _("Recent collaboration")
    COMPETITOR = "competitor", _("Competitor")
    OTHER = "other", _("Other")


class ConflictDeclaration(models.Model):
    """What the assignee answered: no conflict, or a conflict of some kind (which recuses them)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="declarations", verbose_name=_("assignment")
    )
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    kind = models.CharField(_("kind"), max_length=30, choices=ConflictKind.choices, blank=True)
    text = models.TextField(_("explanation"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("declared by")
    )
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")
        ordering = ["declared_at", "pk"]

    def __str__(self):
        if not self.has_conflict:
            return str(_("No conflict of interest"))
        return str(self.get_kind_display())


# --- Scorecards ------------------------------------------------------------------------------------------


class Scorecard(models.Model):
    """An assignee's scores. A draft until submitted; submitting locks it."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="scorecard", verbose_name=_("assignment")
    )
    comment = models.TextField(_("overall comment"), blank=True)
    outlier_reason = models.TextField(_("reason for an outlying total"), blank=True)
    total = models.DecimalField(_("weighted total"), null=True, blank=True, **SCORE_DIGITS)
    # Decided once the scorecard is locked, so that no attempt before submitting can learn the others' totals.
    is_outlier = models.BooleanField(_("outlier when submitted"), default=False)
    outlier_explained_at = models.DateTimeField(_("outlier reason given"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self):
        return str(self.assignment)

    @property
    def is_locked(self) -> bool:
        return self.submitted_at is not None

    @property
    def awaits_outlier_reason(self) -> bool:
        """Flagged as an outlier at submission and the expert has not yet explained it."""
        return self.is_outlier and self.outlier_explained_at is None


class Score(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="scores", verbose_name=_("scorecard")
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion"))
    value = models.DecimalField(_("score"), **SCORE_DIGITS)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["scorecard", "criterion"], name="reviews_score_unique")]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


def weighted_total(pairs) -> Decimal:
    """Σ weight·score / Σ weight over (weight, score) pairs, rounded to 2 places (ROUND_HALF_UP).

    A weighted mean on the criteria's own scale. Weights of 0 are allowed (the criterion is scored but does
    not count); all weights 0 is an error (ValueError), as is an empty list.
    """
    pairs = list(pairs)
    weight_sum = sum((weight for weight, _score in pairs), Decimal(0))
    if weight_sum <= 0:
        raise ValueError("the weights must add up to more than zero")
    return quantize(sum((weight * score for weight, score in pairs), Decimal(0)) / weight_sum)


# --- Review material -------------------------------------------------------------------------------------


class MaterialKind(models.TextChoices):
    FILE = "file", _("File")
    SECTION = "section", _("Section")


class RoundMaterial(models.Model):
    """One piece of the subject a round exposes to its accepted, non-recused reviewers: a file (a deal-room
    document, an application's attachment) or a named section of the subject (a summary, an application's
    answers). The subject's app lists and serves it (``portal.reviews.material``); the engine knows only the
    provider's ``key``, the label as it was when exposed, and, for an object, a generic reference to it."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="material", verbose_name=_("review round")
    )
    key = models.CharField(_("key"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices, default=MaterialKind.FILE)
    label = models.CharField(_("label"), max_length=255)
    label_en = models.CharField(_("English label"), max_length=255, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("item type")
    )
    object_id = models.PositiveBigIntegerField(_("item id"), null=True, blank=True)
    item = GenericForeignKey("content_type", "object_id")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("review material")
        verbose_name_plural = _("review material")
        ordering = ["round", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "key"], name="reviews_material_unique_key")]

    def __str__(self):
        return self.display_label

    display_label = Localized("label", "label_en")

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reviews:material", args=[self.pk])

    @property
    def is_file(self) -> bool:
        return self.kind == MaterialKind.FILE
