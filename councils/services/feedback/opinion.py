"""Services: the workspace's feedback opinion, drafted from a campaign's figures and answers (the body from
the template councils/opinions/feedback_body.html), then edited, signed off and issued like any other."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.history.record import Line, record
from portal.opinions import permissions as opinion_permissions
from portal.opinions import services as opinion_services
from portal.opinions.models import ApprovalMode, Opinion, OpinionKind
from portal.text import max_length

from ... import permissions
from ...models import ActivityVerb, CampaignState
from ..common import lock_scoped
from ..opinions import issuer_for
from ..seats import default_signatories
from .figures import campaign_summary


def _quoted(rows, attribute):
    """[(organization, text)] of the answers that wrote something in ``attribute``, in order of submission."""
    return [
        (row.response.organization, getattr(row.response, attribute))
        for row in rows
        if getattr(row.response, attribute)
    ]


def opinion_body(summary) -> str:
    """The draft opinion's HTML (sanitized again by the opinions engine), in the active language."""
    context = {
        "summary": summary,
        "campaign": summary.campaign,
        "rate": f"{summary.response_rate}%" if summary.response_rate is not None else "—",
        "rated": [figures for figures in summary.rated_questions if figures.mean is not None],
        "problems": _quoted(summary.rows, "problems"),
        "suggestions": _quoted(summary.rows, "suggestions"),
    }
    return render_to_string("councils/opinions/feedback_body.html", context).strip()


@transaction.atomic
def draft_feedback_opinion(*, actor, campaign):
    """A draft opinion of the workspace's issuer about the campaign, built from its figures and answers."""
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
        kind=OpinionKind.POLICY_FEEDBACK,
        addressee=campaign.issuing_department[: max_length(Opinion, "addressee")],
        is_public=False,
        subject=campaign,
        signatories=default_signatories(workspace, actor),
        approval_mode=ApprovalMode.SIGN_OFF,
    )
    campaign.opinion = opinion
    campaign.save(update_fields=["opinion"])
    record(
        "councils.draft_feedback_opinion",
        actor=actor,
        instance=campaign,
        data={"opinion": opinion.pk},
        line=Line(workspace, ActivityVerb.DRAFTED_OPINION, opinion.title, opinion_services.detail_url(opinion)),
    )
    return opinion
