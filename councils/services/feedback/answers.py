"""Services: a member's answer to an open campaign — the standard part (the policy's effect from 1 to 5,
problems met, suggestions) and the campaign's own questions; one answer per member, replaced when given again."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.history.record import record
from portal.text import clean_text

from ... import permissions
from ...models import RATING_MAX, RATING_MIN, CampaignState, FeedbackAnswer, FeedbackResponse, QuestionKind
from ..common import checked_text, lock_scoped
from .common import ANSWER_TEXT_MAX, member_organization


def _rating(value):
    """An int from 1 to 5 (ints, or a string of digits from a form), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and RATING_MIN <= value <= RATING_MAX:
        return value
    return None


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _validate_answers(questions, answers, errors):
    """{question pk: value} → [(question, rating, text)] for the questions answered."""
    answers = {str(key): value for key, value in (answers or {}).items()}
    known = {str(question.pk) for question in questions}
    if set(answers) - known:
        errors["__all__"] = _("An answer refers to a question that is not part of this campaign.")
    cleaned = []
    for question in questions:
        key = f"question_{question.pk}"
        value = answers.get(str(question.pk))
        if _blank(value):
            if question.required:
                errors[key] = _("This question needs an answer.")
            continue
        if question.kind == QuestionKind.RATING:
            rating = _rating(value)
            if rating is None:
                errors[key] = _("Answer with a whole number from 1 to 5.")
                continue
            cleaned.append((question, rating, ""))
            continue
        try:
            text = clean_text(FeedbackAnswer, {"text": str(value)}, limits={"text": ANSWER_TEXT_MAX})["text"]
        except ValidationError as error:
            errors[key] = error.error_dict["text"]
            continue
        cleaned.append((question, None, text))
    return cleaned


@transaction.atomic
def submit_response(*, actor, campaign, effect_rating, problems="", suggestions="", answers=None):
    """The actor's answer to an open campaign; a second call replaces the first (one answer per member)."""
    campaign = lock_scoped(campaign)
    workspace = campaign.workspace
    if not permissions.can_answer_feedback(actor, campaign):
        if campaign.state == CampaignState.CLOSED and permissions.is_workspace_member(actor, workspace):
            raise ValidationError(_("This campaign is closed: answers can no longer be given or changed."), "closed")
        raise PermissionDenied
    errors = {}
    rating = _rating(effect_rating)
    if rating is None:
        errors["effect_rating"] = _("Rate the effect of the policy with a whole number from 1 to 5.")
    written = checked_text(
        FeedbackResponse,
        {"problems": problems, "suggestions": suggestions},
        errors,
        limits={"problems": ANSWER_TEXT_MAX, "suggestions": ANSWER_TEXT_MAX},
    )
    cleaned = _validate_answers(list(campaign.questions.all()), answers, errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    response = FeedbackResponse.objects.select_for_update().filter(campaign=campaign, respondent=actor).first()
    replaced = response is not None
    if response is None:
        response = FeedbackResponse(campaign=campaign, respondent=actor, submitted_at=now)
    response.organization = member_organization(workspace, actor)
    response.effect_rating, response.problems, response.suggestions = (
        rating,
        written["problems"],
        written["suggestions"],
    )
    response.updated_at = now
    response.save()
    if replaced:
        response.answers.all().delete()
    FeedbackAnswer.objects.bulk_create(
        FeedbackAnswer(response=response, question=question, rating=value, text=text)
        for question, value, text in cleaned
    )
    # The audit log says that (and when) a member answered; the answers themselves stay in the response. No
    # history line: who has answered and who has not is the secretariat's to see, not the workspace's.
    record(
        "councils.answer_campaign", actor=actor, instance=campaign, data={"response": response.pk, "replaced": replaced}
    )
    return response


def own_response(campaign, user):
    """The user's answer with its question answers prefetched, or None (two queries)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        FeedbackResponse.objects.filter(campaign=campaign, respondent=user)
        .prefetch_related("answers")
        .order_by("pk")
        .first()
    )
