"""The opinions of a workspace: issued ones for every member, those in preparation for the issuer's editors."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.opinions import permissions as opinion_permissions

from ..services import opinions as workspace_opinions
from .common import workspace_context, workspace_or_404, workspace_paths

LIST_LENGTH = 100


@login_required
def opinion_list(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    issuer = workspace_opinions.issuer_for(workspace)
    is_editor = bool(issuer and opinion_permissions.is_editor(request.user, issuer))
    opinions = list(
        workspace_opinions.workspace_opinions(workspace).order_by("-issued_at", "-created_at")[:LIST_LENGTH]
    )
    issued_states = {workspace_opinions.OpinionState.ISSUED, workspace_opinions.OpinionState.REVOKED}
    context = workspace_context(
        workspace,
        issuer=issuer,
        is_editor=is_editor,
        can_create=bool(issuer and opinion_permissions.can_create(request.user, issuer)),
        issued=[opinion for opinion in opinions if opinion.state in issued_states],
        # Drafts and opinions in sign-off are the editors' business; members see what has been issued.
        in_preparation=[opinion for opinion in opinions if opinion.state not in issued_states] if is_editor else [],
        page_title=_("Opinions"),
    )
    return render(request, "councils/workspace/opinions/list.html", context)


urlpatterns = workspace_paths("opinions/", opinion_list, "opinions")
