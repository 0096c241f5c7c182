"""Forms of the council workspaces, one module per section. They only collect input; the services validate.
This file only re-exports."""

from .discussions import ReplyForm, ThreadForm
from .documents import DocumentUploadForm, FolderForm, VersionUploadForm
from .feedback import CampaignForm, QuestionForm, ResponseForm, question_formset, questions_of
from .meetings import (
    ActionItemForm,
    ActionItemStatusForm,
    AgendaItemForm,
    ApproveMinutesForm,
    AttendanceForm,
    CancelForm,
    GuestForm,
    MeetingForm,
    MinutesForm,
    RSVPForm,
)
from .motions import AgendaForm, MeetingVoteForm, MotionForm, WithdrawForm, WrittenVoteForm
from .opinions import IssuerSetUpForm, ReviewOpinionForm

__all__ = [
    "ActionItemForm",
    "ActionItemStatusForm",
    "AgendaForm",
    "AgendaItemForm",
    "ApproveMinutesForm",
    "AttendanceForm",
    "CampaignForm",
    "CancelForm",
    "DocumentUploadForm",
    "FolderForm",
    "GuestForm",
    "IssuerSetUpForm",
    "MeetingForm",
    "MeetingVoteForm",
    "MinutesForm",
    "MotionForm",
    "QuestionForm",
    "RSVPForm",
    "ReplyForm",
    "ResponseForm",
    "ReviewOpinionForm",
    "ThreadForm",
    "VersionUploadForm",
    "WithdrawForm",
    "WrittenVoteForm",
    "question_formset",
    "questions_of",
]
