"""The activity stream of a workspace."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import activity
from .common import workspace_context, workspace_or_404, workspace_paths

STREAM_LENGTH = 100


@login_required
def activity_stream(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    context = workspace_context(
        workspace, activities=activity.stream(workspace, request.user, STREAM_LENGTH), page_title=_("Activity")
    )
    return render(request, "councils/workspace/activity.html", context)


urlpatterns = workspace_paths("activity/", activity_stream, "activity")
