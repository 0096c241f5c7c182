"""The opinions of a workspace: issued ones for every member, those in preparation for the issuer's editors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.calls import REFUSED, call_service, call_with_form
from portal.opinions import permissions as opinion_permissions

from .. import permissions
from ..forms.opinions import IssuerSetUpForm, ReviewOpinionForm
from ..services import opinions as workspace_opinions
from .common import workspace_context, workspace_or_404, workspace_paths, workspace_url

LIST_LENGTH = 100


def _list_page(request, workspace, set_up_form=None):
    issuer = workspace_opinions.issuer_for(workspace)
    is_editor = bool(issuer and opinion_permissions.is_editor(request.user, issuer))
    can_create = bool(issuer and opinion_permissions.can_create(request.user, issuer))
    opinions = list(
        workspace_opinions.workspace_opinions(workspace).order_by("-issued_at", "-created_at")[:LIST_LENGTH]
    )
    issued_states = {workspace_opinions.OpinionState.ISSUED, workspace_opinions.OpinionState.REVOKED}
    context = workspace_context(
        workspace,
        issuer=issuer,
        is_editor=is_editor,
        can_create=can_create,
        issued=[opinion for opinion in opinions if opinion.state in issued_states],
        # Drafts and opinions in sign-off are the editors' business; members see what has been issued.
        in_preparation=[opinion for opinion in opinions if opinion.state not in issued_states] if is_editor else [],
        set_up_form=set_up_form or IssuerSetUpForm(),
        review_form=ReviewOpinionForm(rounds=workspace_opinions.reviews_to_draft_from(request.user))
        if can_create
        else None,
        can_set_up=issuer is None and permissions.can_set_up_issuer(request.user, workspace),
        page_title=_("Opinions"),
    )
    return render(request, "councils/workspace/opinions/list.html", context)


@login_required
def opinion_list(request, slug, committee_pk=None):
    return _list_page(request, workspace_or_404(request.user, slug, committee_pk))


@login_required
@require_POST
def issuer_set_up(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    if not permissions.can_set_up_issuer(request.user, workspace):
        raise Http404
    form = IssuerSetUpForm(request.POST)
    success = _("The workspace can now issue opinions.")
    issuer = call_with_form(request, form, workspace_opinions.set_up_issuer, success=success, workspace=workspace)
    if issuer is not REFUSED:
        return redirect(workspace_url(workspace, "opinions"))
    return _list_page(request, workspace, set_up_form=form)


@login_required
@require_POST
def review_opinion(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    form = ReviewOpinionForm(request.POST, rounds=workspace_opinions.reviews_to_draft_from(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a closed review round that you manage."))
        return redirect(workspace_url(workspace, "opinions"))
    opinion = call_service(
        request,
        workspace_opinions.draft_opinion_from_review,
        success=_("The opinion is drafted from the review; edit it, then send it for sign-off."),
        workspace=workspace,
        review_round=form.cleaned_data["review_round"],
    )
    if opinion is REFUSED:
        return redirect(workspace_url(workspace, "opinions"))
    return redirect("opinions:detail", pk=opinion.pk)


urlpatterns = (
    workspace_paths("opinions/", opinion_list, "opinions")
    + workspace_paths("opinions/issuer/", issuer_set_up, "issuer_set_up")
    + workspace_paths("opinions/from-review/", review_opinion, "review_opinion")
)
