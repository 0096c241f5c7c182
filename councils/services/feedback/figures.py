"""Services: a campaign's figures — who was asked and who answered, the mean rating and its distribution, each
question's figures — for the secretariat's page (a sensitive read) and the Excel export."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied

from portal.history.record import record

from ... import permissions
from ...feedback_export import build_workbook
from ...models import FeedbackQuestion, FeedbackResponse, PolicyFeedback, QuestionKind
from ...workspace import Workspace
from .common import RATINGS

PERCENT = Decimal("0.1")
MEAN = Decimal("0.01")


def _mean(values):
    values = list(values)
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(MEAN, rounding=ROUND_HALF_UP)


@dataclass
class QuestionFigures:
    question: FeedbackQuestion
    answered: int
    mean: Decimal | None  # rating questions only


@dataclass
class ResponseRow:
    response: FeedbackResponse
    answers: list  # one FeedbackAnswer or None per question, in question order


@dataclass
class CampaignSummary:
    campaign: PolicyFeedback
    questions: list
    asked: int  # voting and non-voting seats of the workspace today
    responses: int  # every response received (also of members who have since left)
    answered_of_asked: int  # the seated members among the respondents
    response_rate: Decimal | None  # percent, one decimal; None when nobody is asked
    mean_rating: Decimal | None  # two decimals; None without answers
    distribution: dict  # {1: count, …, 5: count}
    question_figures: list  # QuestionFigures per question
    rows: list  # ResponseRow per response, in order of submission
    non_respondents: list = field(default_factory=list)  # [(user, organization)] of seated members

    @property
    def distribution_rows(self):
        """[(rating, count, share of responses in whole percent)] for a bar chart."""
        total = self.responses
        return [(rating, count, count * 100 // total if total else 0) for rating, count in self.distribution.items()]

    @property
    def rated_questions(self):
        return [figures for figures in self.question_figures if figures.question.kind == QuestionKind.RATING]


def _question_figures(questions, by_question):
    figures = []
    for question in questions:
        given = by_question[question.pk]
        if question.kind == QuestionKind.RATING:
            ratings = [answer.rating for answer in given if answer.rating is not None]
            figures.append(QuestionFigures(question, len(ratings), _mean(ratings)))
        else:
            figures.append(QuestionFigures(question, sum(1 for answer in given if answer.text), None))
    return figures


def campaign_summary(campaign):
    """The campaign's figures, its answers and who has not answered; a constant number of queries (four)."""
    seats = Workspace.of(campaign).seats()
    questions = list(campaign.questions.all())
    responses = list(
        FeedbackResponse.objects.filter(campaign=campaign)
        .select_related("respondent", "organization")
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )
    respondent_ids = {response.respondent_id for response in responses}
    seated = [(user, organization) for user, organization, _has_vote in seats]
    answered_of_asked = sum(1 for user, _organization in seated if user.pk in respondent_ids)
    asked = len(seated)
    rate = (Decimal(answered_of_asked * 100) / Decimal(asked)).quantize(PERCENT, ROUND_HALF_UP) if asked else None
    distribution = dict.fromkeys(RATINGS, 0)
    for response in responses:
        distribution[response.effect_rating] += 1
    rows, by_question = [], {question.pk: [] for question in questions}
    for response in responses:
        answers = {answer.question_id: answer for answer in response.answers.all()}
        rows.append(ResponseRow(response, [answers.get(question.pk) for question in questions]))
        for question_id, answer in answers.items():
            if question_id in by_question:
                by_question[question_id].append(answer)
    return CampaignSummary(
        campaign=campaign,
        questions=questions,
        asked=asked,
        responses=len(responses),
        answered_of_asked=answered_of_asked,
        response_rate=rate,
        mean_rating=_mean(response.effect_rating for response in responses),
        distribution=distribution,
        question_figures=_question_figures(questions, by_question),
        rows=rows,
        non_respondents=[(user, organization) for user, organization in seated if user.pk not in respondent_ids],
    )


def read_answers(*, actor, campaign):
    """The summary with every named answer and who has not answered, for the secretariat's page: a sensitive
    read, audit-logged like the export."""
    if not permissions.can_manage_feedback(actor, campaign.workspace):
        raise PermissionDenied
    summary = campaign_summary(campaign)
    record(
        "councils.read_campaign_answers",
        actor=actor,
        instance=campaign,
        data={"responses": summary.responses, "state": campaign.state},
    )
    return summary


def export_campaign(*, actor, campaign) -> bytes:
    """The figures and every answer as an Excel workbook (a sensitive read: audit-logged)."""
    if not permissions.can_manage_feedback(actor, campaign.workspace):
        raise PermissionDenied
    summary = campaign_summary(campaign)
    data = build_workbook(summary)
    record(
        "councils.export_campaign",
        actor=actor,
        instance=campaign,
        data={"responses": summary.responses, "format": "xlsx"},
    )
    return data
