"""Services: policy feedback (政策评议), split by subject.

The secretariat asks the members of a workspace what a government policy does for them: a campaign (draft →
open → closed, ``campaigns``) with the standard part every member answers (the effect of the policy from 1 to 5,
problems met, suggestions) and questions of its own (``answers``). The secretariat reads the figures and all
answers, exports them to Excel (``figures``) and drafts the workspace's feedback opinion from them (``opinion``);
members see only their own answer. This file only re-exports what callers use as
``councils.services.feedback.<name>``."""

from .answers import own_response, submit_response
from .campaigns import close_campaign, create_campaign, open_campaign, update_campaign
from .common import ACTIONS, ANSWER_TEXT_MAX, MAX_QUESTIONS, RATINGS, campaign_url, documents_in, member_organization
from .figures import CampaignSummary, QuestionFigures, ResponseRow, campaign_summary, export_campaign, read_answers
from .opinion import draft_feedback_opinion, opinion_body

__all__ = [
    "ACTIONS",
    "ANSWER_TEXT_MAX",
    "MAX_QUESTIONS",
    "RATINGS",
    "CampaignSummary",
    "QuestionFigures",
    "ResponseRow",
    "campaign_summary",
    "campaign_url",
    "close_campaign",
    "create_campaign",
    "documents_in",
    "draft_feedback_opinion",
    "export_campaign",
    "member_organization",
    "open_campaign",
    "opinion_body",
    "own_response",
    "read_answers",
    "submit_response",
    "update_campaign",
]
