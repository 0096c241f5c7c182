"""Services: policy feedback (政策评议).

The secretariat asks the members of a workspace what a government policy does for them: a campaign (draft →
open → closed) with the standard part every member answers (the effect of the policy from 1 to 5, problems
met, suggestions) and questions of its own. The secretariat reads the figures and all answers, exports them
to Excel and drafts the workspace's feedback opinion from them; members see only their own answer.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal import lifecycle
from portal.notifications.services import notify

from .. import activity, permissions
from ..models import (
    RATING_MAX,
    RATING_MIN,
    ActivityVerb,
    CampaignState,
    Committee,
    CommitteeMembership,
    Document,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    Membership,
    PolicyFeedback,
    QuestionKind,
)
from .common import fmt, lock_scoped
from .seats import default_signatories, workspace_recipients, workspace_seats

# Audit-log actions of this module: {action: (label, message)}; registered in wagtail_hooks.
ACTIONS = {
    "councils.create_campaign": (_("Create policy feedback campaign"), _("Policy feedback campaign created")),
    "councils.update_campaign": (_("Change policy feedback campaign"), _("Policy feedback campaign changed")),
    "councils.open_campaign": (_("Open policy feedback campaign"), _("Policy feedback campaign opened")),
    "councils.close_campaign": (_("Close policy feedback campaign"), _("Policy feedback campaign closed")),
    "councils.answer_campaign": (_("Answer policy feedback campaign"), _("Policy feedback answered")),
    "councils.export_campaign": (_("Export policy feedback answers"), _("Policy feedback answers exported")),
    "councils.read_campaign_answers": (_("Read policy feedback answers"), _("Named policy feedback answers read")),
    "councils.draft_feedback_opinion": (_("Draft policy feedback opinion"), _("Policy feedback opinion drafted")),
}

TITLE_MAX = PolicyFeedback._meta.get_field("title").max_length
POLICY_MAX = PolicyFeedback._meta.get_field("policy_name").max_length
DEPARTMENT_MAX = PolicyFeedback._meta.get_field("issuing_department").max_length
LINK_MAX = PolicyFeedback._meta.get_field("policy_link").max_length
QUESTION_MAX = FeedbackQuestion._meta.get_field("text").max_length
MAX_QUESTIONS = 30
SUMMARY_TEXT_MAX = 10000
ANSWER_TEXT_MAX = 5000
ADDRESSEE_MAX = 120  # portal.opinions.models.Opinion.addressee
RATINGS = tuple(range(RATING_MIN, RATING_MAX + 1))


def campaign_url(campaign) -> str:
    """The campaign's page (without a language prefix: stored in activity lines and notifications)."""
    with translation.override(settings.LANGUAGE_CODE):
        return campaign.get_absolute_url()


def documents_in(workspace):
    """The documents of a workspace's folders (those a campaign may name as its policy document)."""
    if isinstance(workspace, Committee):
        return Document.objects.filter(folder__committee=workspace)
    return Document.objects.filter(folder__council=workspace, folder__committee__isnull=True)


def member_organization(workspace, user):
    """The organization the user sits for in the workspace (None when not a member)."""
    if isinstance(workspace, Committee):
        member = CommitteeMembership.objects.filter(committee=workspace, user=user).select_related("organization")
        member = member.order_by("pk").first()
    else:
        member = (
            Membership.objects.filter(council=workspace, representative=user)
            .open()
            .select_related("organization")
            .order_by("pk")
            .first()
        )
    return member.organization if member else None


def today():
    return timezone.localdate()


# Campaigns --------------------------------------------------------------------------------------------------


def _clean_text(value, *, key, max_length, required_message=None, errors):
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if not text and required_message:
        errors[key] = required_message
    elif len(text) > max_length:
        errors[key] = fmt(_("This is too long (at most %(max)s characters)."), max=max_length)
    return text


def _validate_campaign(
    *,
    workspace,
    title,
    policy_name,
    issuing_department,
    policy_summary,
    policy_link,
    policy_document,
    closes_on,
    questions,
):
    errors = {}
    cleaned = {
        "title": _clean_text(
            title, key="title", max_length=TITLE_MAX, required_message=_("Give the campaign a title."), errors=errors
        ),
        "policy_name": _clean_text(
            policy_name,
            key="policy_name",
            max_length=POLICY_MAX,
            required_message=_("Name the policy the members are asked about."),
            errors=errors,
        ),
        "issuing_department": _clean_text(
            issuing_department,
            key="issuing_department",
            max_length=DEPARTMENT_MAX,
            required_message=_("Name the department that issued the policy."),
            errors=errors,
        ),
        "policy_summary": _clean_text(policy_summary, key="policy_summary", max_length=SUMMARY_TEXT_MAX, errors=errors),
        "policy_link": _clean_text(policy_link, key="policy_link", max_length=LINK_MAX, errors=errors),
        "policy_document": policy_document,
        "closes_on": closes_on,
    }
    if cleaned["policy_link"] and "policy_link" not in errors:
        try:
            URLValidator(schemes=["http", "https"])(cleaned["policy_link"])
        except ValidationError:
            errors["policy_link"] = _("Give a full web address starting with http:// or https://.")
    if policy_document is not None and (
        not isinstance(policy_document, Document) or not documents_in(workspace).filter(pk=policy_document.pk).exists()
    ):
        errors["policy_document"] = _("Choose a document from this workspace's folders.")
    if closes_on is not None:
        if not isinstance(closes_on, datetime.date) or isinstance(closes_on, datetime.datetime):
            errors["closes_on"] = _("Give the date answers are due.")
        elif closes_on < today():
            errors["closes_on"] = _("The date answers are due has already passed.")
    cleaned_questions = []
    for text, kind, required in questions or ():
        text = (text or "").strip()
        if not text:
            continue
        if len(text) > QUESTION_MAX:
            errors["questions"] = fmt(_("A question may have at most %(max)s characters."), max=QUESTION_MAX)
        elif kind not in QuestionKind.values:
            errors["questions"] = _("Choose the kind of answer for each question.")
        cleaned_questions.append((text, kind, bool(required)))
    if len(cleaned_questions) > MAX_QUESTIONS:
        errors["questions"] = fmt(_("A campaign may have at most %(max)s questions."), max=MAX_QUESTIONS)
    if errors:
        raise ValidationError(errors)
    return cleaned, cleaned_questions


def _set_questions(campaign, questions):
    campaign.questions.all().delete()
    FeedbackQuestion.objects.bulk_create(
        FeedbackQuestion(campaign=campaign, position=position, text=text, kind=kind, required=required)
        for position, (text, kind, required) in enumerate(questions, start=1)
    )


def _campaign_data(campaign, questions):
    return {
        "title": campaign.title,
        "policy_name": campaign.policy_name,
        "issuing_department": campaign.issuing_department,
        "policy_link": campaign.policy_link,
        "policy_document": campaign.policy_document_id,
        "closes_on": campaign.closes_on.isoformat() if campaign.closes_on else None,
        "questions": [{"text": text, "kind": kind, "required": required} for text, kind, required in questions],
    }


@transaction.atomic
def create_campaign(
    *,
    actor,
    workspace,
    title,
    policy_name,
    issuing_department,
    policy_summary="",
    policy_link="",
    policy_document=None,
    closes_on=None,
    questions=(),
):
    """A draft campaign with its own questions ``[(text, kind, required)]`` (blank texts are skipped)."""
    if not permissions.can_manage_feedback(actor, workspace):
        raise PermissionDenied
    cleaned, questions = _validate_campaign(
        workspace=workspace,
        title=title,
        policy_name=policy_name,
        issuing_department=issuing_department,
        policy_summary=policy_summary,
        policy_link=policy_link,
        policy_document=policy_document,
        closes_on=closes_on,
        questions=questions,
    )
    campaign = PolicyFeedback(created_by=actor, **cleaned)
    campaign.set_workspace(workspace)
    campaign.save()
    _set_questions(campaign, questions)
    log(instance=campaign, action="councils.create_campaign", user=actor, data=_campaign_data(campaign, questions))
    return campaign


@transaction.atomic
def update_campaign(
    *,
    actor,
    campaign,
    title,
    policy_name,
    issuing_department,
    policy_summary="",
    policy_link="",
    policy_document=None,
    closes_on=None,
    questions=(),
):
    """Change a draft campaign; its questions are replaced by ``questions``."""
    campaign = lock_scoped(campaign)
    if not permissions.can_manage_feedback(actor, campaign.workspace):
        raise PermissionDenied
    if campaign.state != CampaignState.DRAFT:
        raise ValidationError(_("Only a draft campaign can be changed."), code="not_draft")
    cleaned, questions = _validate_campaign(
        workspace=campaign.workspace,
        title=title,
        policy_name=policy_name,
        issuing_department=issuing_department,
        policy_summary=policy_summary,
        policy_link=policy_link,
        policy_document=policy_document,
        closes_on=closes_on,
        questions=questions,
    )
    for name, value in cleaned.items():
        setattr(campaign, name, value)
    campaign.save()
    _set_questions(campaign, questions)
    log(instance=campaign, action="councils.update_campaign", user=actor, data=_campaign_data(campaign, questions))
    return campaign


@transaction.atomic
def open_campaign(*, actor, campaign):
    """Draft → open: the workspace's members are told and may answer."""
    campaign = lock_scoped(campaign)
    workspace = campaign.workspace
    if not permissions.can_manage_feedback(actor, workspace):
        raise PermissionDenied
    lifecycle.take(campaign, "open", actor)
    if campaign.closes_on is not None and campaign.closes_on < today():
        raise ValidationError(
            {"closes_on": _("The date answers are due has already passed. Change it before opening.")}, code="past"
        )
    campaign.save()
    url = campaign_url(campaign)
    log(instance=campaign, action="councils.open_campaign", user=actor, data={"title": campaign.title})
    activity.record(
        actor=actor, workspace=workspace, verb=ActivityVerb.OPENED_FEEDBACK, summary=campaign.title, url=url
    )
    if campaign.closes_on:
        body = fmt(
            _("The secretariat asks for your view on %(policy)s (%(department)s). Please answer by %(date)s."),
            policy=campaign.policy_name,
            department=campaign.issuing_department,
            date=campaign.closes_on.isoformat(),
        )
    else:
        body = fmt(
            _("The secretariat asks for your view on %(policy)s (%(department)s)."),
            policy=campaign.policy_name,
            department=campaign.issuing_department,
        )
    notify(
        workspace_recipients(workspace, actor),
        title=fmt(_("Policy feedback: %(title)s"), title=campaign.title),
        body=body,
        url=url,
    )
    return campaign


@transaction.atomic
def close_campaign(*, actor, campaign):
    """Open → closed: no more answers; the figures stay for the opinion."""
    campaign = lock_scoped(campaign)
    workspace = campaign.workspace
    if not permissions.can_manage_feedback(actor, workspace):
        raise PermissionDenied
    lifecycle.take(campaign, "close", actor)
    campaign.save()
    log(
        instance=campaign,
        action="councils.close_campaign",
        user=actor,
        data={"title": campaign.title, "responses": campaign.responses.count()},
    )
    activity.record(
        actor=actor,
        workspace=workspace,
        verb=ActivityVerb.CLOSED_FEEDBACK,
        summary=campaign.title,
        url=campaign_url(campaign),
    )
    return campaign


# Answers ----------------------------------------------------------------------------------------------------


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
        else:
            text = str(value).strip()
            if len(text) > ANSWER_TEXT_MAX:
                errors[key] = fmt(_("This is too long (at most %(max)s characters)."), max=ANSWER_TEXT_MAX)
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
    problems = _clean_text(problems, key="problems", max_length=ANSWER_TEXT_MAX, errors=errors)
    suggestions = _clean_text(suggestions, key="suggestions", max_length=ANSWER_TEXT_MAX, errors=errors)
    cleaned = _validate_answers(list(campaign.questions.all()), answers, errors)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    response = FeedbackResponse.objects.select_for_update().filter(campaign=campaign, respondent=actor).first()
    replaced = response is not None
    if response is None:
        response = FeedbackResponse(campaign=campaign, respondent=actor, submitted_at=now)
    response.organization = member_organization(workspace, actor)
    response.effect_rating, response.problems, response.suggestions = rating, problems, suggestions
    response.updated_at = now
    response.save()
    if replaced:
        response.answers.all().delete()
    FeedbackAnswer.objects.bulk_create(
        FeedbackAnswer(response=response, question=question, rating=value, text=text)
        for question, value, text in cleaned
    )
    # The audit log says that (and when) a member answered; the answers themselves stay in the response.
    log(
        instance=campaign,
        action="councils.answer_campaign",
        user=actor,
        data={"response": response.pk, "replaced": replaced},
    )
    # No activity line: who has answered and who has not is the secretariat's to see, not the workspace's.
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


# Figures ----------------------------------------------------------------------------------------------------

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


def campaign_summary(campaign):
    """The campaign's figures, its answers and who has not answered; a constant number of queries (four)."""
    seats = workspace_seats(campaign.workspace)
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
    figures = []
    for question in questions:
        given = by_question[question.pk]
        if question.kind == QuestionKind.RATING:
            ratings = [answer.rating for answer in given if answer.rating is not None]
            figures.append(QuestionFigures(question, len(ratings), _mean(ratings)))
        else:
            figures.append(QuestionFigures(question, sum(1 for answer in given if answer.text), None))
    return CampaignSummary(
        campaign=campaign,
        questions=questions,
        asked=asked,
        responses=len(responses),
        answered_of_asked=answered_of_asked,
        response_rate=rate,
        mean_rating=_mean(response.effect_rating for response in responses),
        distribution=distribution,
        question_figures=figures,
        rows=rows,
        non_respondents=[(user, organization) for user, organization in seated if user.pk not in respondent_ids],
    )


def read_answers(*, actor, campaign):
    """The summary with every named answer and who has not answered, for the secretariat's page: a sensitive
    read, audit-logged like the export."""
    if not permissions.can_manage_feedback(actor, campaign.workspace):
        raise PermissionDenied
    summary = campaign_summary(campaign)
    log(
        instance=campaign,
        action="councils.read_campaign_answers",
        user=actor,
        data={"responses": summary.responses, "state": campaign.state},
    )
    return summary


# Export -----------------------------------------------------------------------------------------------------


def export_campaign(*, actor, campaign) -> bytes:
    """The figures and every answer as an Excel workbook (a sensitive read: audit-logged)."""
    if not permissions.can_manage_feedback(actor, campaign.workspace):
        raise PermissionDenied
    from ..feedback_export import build_workbook

    summary = campaign_summary(campaign)
    data = build_workbook(summary)
    log(
        instance=campaign,
        action="councils.export_campaign",
        user=actor,
        data={"responses": summary.responses, "format": "xlsx"},
    )
    return data


# The feedback opinion ---------------------------------------------------------------------------------------


def _name(organization):
    return organization.name if organization else gettext("(no organization)")


def _quoted(rows, attribute):
    parts = []
    for row in rows:
        text = getattr(row.response, attribute)
        if text:
            parts.append(f"<p><strong>{escape(_name(row.response.organization))}</strong></p>")
            parts.append(f"<blockquote>{linebreaks(text, autoescape=True)}</blockquote>")
    return "".join(parts) or f"<p>{escape(gettext('None were given.'))}</p>"


def opinion_body(summary) -> str:
    """The draft opinion's HTML (sanitized again by the opinions engine), in the active language."""
    campaign = summary.campaign
    facts = gettext("The secretariat asked %(asked)s members about %(policy)s, issued by %(department)s.") % {
        "asked": summary.asked,
        "policy": campaign.policy_name,
        "department": campaign.issuing_department,
    }
    answered = ngettext(
        "%(answered)s member answered; response rate: %(rate)s.",
        "%(answered)s members answered; response rate: %(rate)s.",
        summary.responses,
    ) % {
        "answered": summary.responses,
        "rate": f"{summary.response_rate}%" if summary.response_rate is not None else "—",
    }
    mean = gettext("Mean rating of the policy's effect (1 to 5): %(mean)s.") % {
        "mean": summary.mean_rating if summary.mean_rating is not None else "—"
    }
    table = "".join(f"<tr><td>{rating}</td><td>{count}</td></tr>" for rating, count in summary.distribution.items())
    questions = "".join(
        f"<li>{escape(figures.question.text)}: {figures.mean}</li>"
        for figures in summary.rated_questions
        if figures.mean is not None
    )
    parts = [
        f"<h2>{escape(gettext('The answers in figures'))}</h2>",
        f"<p>{escape(facts)}</p><p>{escape(answered)}</p><p>{escape(mean)}</p>",
        f"<table><thead><tr><th>{escape(gettext('Rating'))}</th><th>{escape(gettext('Answers'))}</th></tr></thead>",
        f"<tbody>{table}</tbody></table>",
    ]
    if questions:
        parts.append(f"<h3>{escape(gettext('Mean rating per question'))}</h3><ul>{questions}</ul>")
    parts += [
        f"<h2>{escape(gettext('Problems met'))}</h2>",
        _quoted(summary.rows, "problems"),
        f"<h2>{escape(gettext('Suggestions'))}</h2>",
        _quoted(summary.rows, "suggestions"),
    ]
    return "".join(parts)


@transaction.atomic
def draft_feedback_opinion(*, actor, campaign):
    """A draft opinion of the workspace's issuer about the campaign, built from its figures and answers."""
    from portal.opinions import permissions as opinion_permissions
    from portal.opinions import services as opinion_services
    from portal.opinions.models import ApprovalMode, OpinionKind

    from .opinions import issuer_for

    campaign = lock_scoped(campaign)
    workspace = campaign.workspace
    if not permissions.can_manage_feedback(actor, workspace):
        raise PermissionDenied
    if campaign.state == CampaignState.DRAFT:
        raise ValidationError(_("Open the campaign before drafting an opinion from it."), code="draft")
    if campaign.opinion_id:
        raise ValidationError(_("An opinion has already been drafted from this campaign."), code="exists")
    issuer = issuer_for(workspace)
    if issuer is None:
        raise ValidationError(
            _("This workspace has no opinion issuer yet. Ask the portal staff to set one up."), code="no_issuer"
        )
    if not opinion_permissions.can_create(actor, issuer):
        raise PermissionDenied
    kind = getattr(OpinionKind, "POLICY_FEEDBACK", OpinionKind.EVALUATION)
    summary = campaign_summary(campaign)
    # The opinion is an official text of the council: written in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("Policy feedback on %(policy)s") % {"policy": campaign.policy_name}
        body = opinion_body(summary)
    opinion = opinion_services.create_opinion(
        actor=actor,
        issuer=issuer,
        title=title[: opinion_services.TITLE_MAX],
        body=body,
        kind=kind,
        addressee=campaign.issuing_department[:ADDRESSEE_MAX],
        is_public=False,
        subject=campaign,
        signatories=default_signatories(workspace, actor),
        approval_mode=ApprovalMode.SIGN_OFF,
    )
    campaign.opinion = opinion
    campaign.save(update_fields=["opinion"])
    url = opinion_services.detail_url(opinion)
    log(instance=campaign, action="councils.draft_feedback_opinion", user=actor, data={"opinion": opinion.pk})
    activity.record(actor=actor, workspace=workspace, verb=ActivityVerb.DRAFTED_OPINION, summary=opinion.title, url=url)
    return opinion
