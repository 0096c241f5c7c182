"""What the policy feedback services share: their audit actions, the limits of a campaign, its page, the
documents it may name and the organization a member answers for."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ...models import RATING_MAX, RATING_MIN, CommitteeMembership, Document, Membership
from ...workspace import Workspace

# Audit-log actions of the policy feedback services: {action: (label, message)}; registered in wagtail_hooks.
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

MAX_QUESTIONS = 30
# Limits of the text fields without a max_length of their own (TextFields): what a person may reasonably write.
SUMMARY_TEXT_MAX = 10000
ANSWER_TEXT_MAX = 5000
RATINGS = tuple(range(RATING_MIN, RATING_MAX + 1))


def campaign_url(campaign) -> str:
    """The campaign's page (without a language prefix: stored in activity lines and notifications)."""
    with translation.override(settings.LANGUAGE_CODE):
        return campaign.get_absolute_url()


def documents_in(workspace):
    """The documents of a workspace's folders (those a campaign may name as its policy document)."""
    where = Workspace.of(workspace).filter()
    return Document.objects.filter(**{f"folder__{key}": value for key, value in where.items()})


def member_organization(workspace, user):
    """The organization the user sits for in the workspace (None when not a member)."""
    place = Workspace.of(workspace)
    if place.is_committee:
        member = CommitteeMembership.objects.filter(committee=place.committee, user=user)
    else:
        member = Membership.objects.filter(council=place.council, representative=user).open()
    member = member.select_related("organization").order_by("pk").first()
    return member.organization if member else None
