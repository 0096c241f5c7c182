"""The activity stream of a workspace."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import activity
from .common import workspace_context, workspace_or_404, workspace_paths

PAGE_SIZE = 100


@login_required
def activity_stream(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    page = Paginator(activity.lines(workspace, request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = workspace_context(workspace, activities=page.object_list, page_obj=page, page_title=_("Activity"))
    return render(request, "councils/workspace/activity.html", context)


urlpatterns = workspace_paths("activity/", activity_stream, "activity")
