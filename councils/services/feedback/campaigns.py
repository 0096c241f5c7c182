"""Services: policy feedback campaigns — drafted with their own questions, opened to the workspace's members,
closed when the answers are in."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.history.record import Line, Tell, record
from portal.text import clean_text, fmt

from ... import permissions
from ...models import ActivityVerb, CampaignState, Document, FeedbackQuestion, PolicyFeedback, QuestionKind
from ...workspace import Workspace
from ..common import checked_text, lock_scoped
from .common import MAX_QUESTIONS, SUMMARY_TEXT_MAX, campaign_url, documents_in

REQUIRED = {
    "title": _("Give the campaign a title."),
    "policy_name": _("Name the policy the members are asked about."),
    "issuing_department": _("Name the department that issued the policy."),
}


def _clean_questions(questions, errors):
    """[(text, kind, required)] stripped, blank texts skipped; what is wrong goes to ``errors["questions"]``."""
    cleaned = []
    for text, kind, required in questions or ():
        try:
            text = clean_text(FeedbackQuestion, {"text": text})["text"]
        except ValidationError as error:
            errors["questions"] = error.error_dict["text"]
            continue
        if not text:
            continue
        if kind not in QuestionKind.values:
            errors["questions"] = _("Choose the kind of answer for each question.")
        cleaned.append((text, kind, bool(required)))
    if len(cleaned) > MAX_QUESTIONS:
        errors["questions"] = fmt(_("A campaign may have at most %(max)s questions."), max=MAX_QUESTIONS)
    return cleaned


def _validate_campaign(*, workspace, policy_document, closes_on, questions, **text):
    """The campaign's checked values and questions; one ValidationError naming every field otherwise."""
    errors = {}
    cleaned = checked_text(PolicyFeedback, text, errors, required=REQUIRED, limits={"policy_summary": SUMMARY_TEXT_MAX})
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
        elif closes_on < permissions.today():
            errors["closes_on"] = _("The date answers are due has already passed.")
    cleaned_questions = _clean_questions(questions, errors)
    if errors:
        raise ValidationError(errors)
    return {**cleaned, "policy_document": policy_document, "closes_on": closes_on}, cleaned_questions


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
    Workspace.of(workspace).place(campaign)
    campaign.save()
    _set_questions(campaign, questions)
    record("councils.create_campaign", actor=actor, instance=campaign, data=_campaign_data(campaign, questions))
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
    record("councils.update_campaign", actor=actor, instance=campaign, data=_campaign_data(campaign, questions))
    return campaign


def _invitation(campaign):
    """What the members are told when a campaign opens (with the date answers are due, when there is one)."""
    if campaign.closes_on:
        return fmt(
            _("The secretariat asks for your view on %(policy)s (%(department)s). Please answer by %(date)s."),
            policy=campaign.policy_name,
            department=campaign.issuing_department,
            date=campaign.closes_on.isoformat(),
        )
    return fmt(
        _("The secretariat asks for your view on %(policy)s (%(department)s)."),
        policy=campaign.policy_name,
        department=campaign.issuing_department,
    )


@transaction.atomic
def open_campaign(*, actor, campaign):
    """Draft → open: the workspace's members are told and may answer."""
    campaign = lock_scoped(campaign)
    workspace = campaign.workspace
    if not permissions.can_manage_feedback(actor, workspace):
        raise PermissionDenied
    lifecycle.take(campaign, "open", actor)
    if campaign.closes_on is not None and campaign.closes_on < permissions.today():
        raise ValidationError(
            {"closes_on": _("The date answers are due has already passed. Change it before opening.")}, code="past"
        )
    campaign.save()
    url = campaign_url(campaign)
    record(
        "councils.open_campaign",
        actor=actor,
        instance=campaign,
        data={"title": campaign.title},
        line=Line(workspace, ActivityVerb.OPENED_FEEDBACK, campaign.title, url),
        tell=Tell(
            Workspace.of(workspace).recipients(actor),
            title=fmt(_("Policy feedback: %(title)s"), title=campaign.title),
            body=_invitation(campaign),
            url=url,
        ),
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
    record(
        "councils.close_campaign",
        actor=actor,
        instance=campaign,
        data={"title": campaign.title, "responses": campaign.responses.count()},
        line=Line(workspace, ActivityVerb.CLOSED_FEEDBACK, campaign.title, campaign_url(campaign)),
    )
    return campaign
