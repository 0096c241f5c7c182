"""The workspaces a user may open, and each workspace's overview: its members, committees and folders."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from .. import permissions
from ..forms.documents import FolderForm
from ..models import CommitteeMembership, DocumentFolder, Membership, role_order
from ..workspace import Workspace
from .common import workspace_context, workspace_or_404


def folders_of(workspace):
    """The workspace's document folders, each with its number of documents."""
    folders = DocumentFolder.objects.filter(**Workspace.of(workspace).filter())
    return folders.annotate(document_count=Count("documents")).order_by("name")


def _overview(request, workspace, template, members, title, **extra):
    """A workspace's overview page: its members, its folders and the form to add one."""
    context = workspace_context(
        workspace, members=members, folders=folders_of(workspace), folder_form=FolderForm(), page_title=title, **extra
    )
    return render(request, f"councils/workspace/{template}", context)


@login_required
def workspace_list(request):
    councils, committees = permissions.openable_workspaces(request.user)
    committees = committees.select_related("council").order_by("council__slug", "order", "pk")
    context = {
        "councils": list(councils.select_related("theme").order_by("theme__order", "name_zh")),
        "committees": list(committees),
        "page_title": _("My council workspaces"),
    }
    return render(request, "councils/workspace/list.html", context)


@login_required
def council_workspace(request, slug):
    council = workspace_or_404(request.user, slug)
    members = (
        Membership.objects.filter(council=council, term_end__isnull=True)
        .select_related("organization", "representative")
        .order_by(role_order(), "organization__name")
    )
    _councils, openable = permissions.openable_workspaces(request.user)
    openable_ids = set(openable.filter(council=council).values_list("pk", flat=True))
    committees = [(committee, committee.pk in openable_ids) for committee in council.committees.order_by("order", "pk")]
    title = _("%(council)s · plenary workspace") % {"council": council.name}
    return _overview(request, council, "council.html", members, title, committees=committees)


@login_required
def committee_workspace(request, slug, pk):
    committee = workspace_or_404(request.user, slug, pk)
    council_org_ids = set(
        Membership.objects.filter(council_id=committee.council_id, term_end__isnull=True).values_list(
            "organization_id", flat=True
        )
    )
    members = [
        (member, member.organization_id not in council_org_ids)
        for member in CommitteeMembership.objects.filter(committee=committee)
        .select_related("user", "organization")
        .order_by(role_order(), "user__real_name", "user__username")
    ]
    title = _("%(committee)s · committee workspace") % {"committee": committee.name}
    return _overview(request, committee, "committee.html", members, title)


urlpatterns = [
    path("", workspace_list, name="workspaces"),
    path("<slug:slug>/", council_workspace, name="council"),
    path("<slug:slug>/committees/<int:pk>/", committee_workspace, name="committee"),
]
