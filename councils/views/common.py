"""What the workspace views share: finding the workspace or object from the URL (404 when the user may not
open it), reversing a workspace's URLs, and declaring a view for the plenary and every committee at once.

URL scheme: list and create views exist twice, ``<slug>/<route>`` for the plenary workspace (name ``NAME``)
and ``<slug>/committees/<committee_pk>/<route>`` for a committee (name ``committee_NAME``); object views
exist once, ``<slug>/<route>/<pk>/``, because the object knows its workspace.
"""

from operator import attrgetter

from django.http import Http404
from django.urls import path

from .. import permissions
from ..models import Committee, Council
from ..workspace import Workspace


def workspace_paths(route, view, name):
    """The same view in the plenary workspace and in each committee's (view takes ``slug, committee_pk=None``)."""
    return [
        path(f"<slug:slug>/{route}", view, name=name),
        path(f"<slug:slug>/committees/<int:committee_pk>/{route}", view, name=f"committee_{name}"),
    ]


def workspace_or_404(user, slug, committee_pk=None):
    """The council (plenary) or committee named by the URL, if the user may open it; else 404."""
    if committee_pk is None:
        workspace = Council.objects.filter(slug=slug).first()
    else:
        workspace = Committee.objects.select_related("council").filter(council__slug=slug, pk=committee_pk).first()
    if workspace is None or not permissions.can_open_workspace(user, workspace):
        raise Http404
    return workspace


def object_or_404(queryset, user, slug, pk, can_see=None, via=""):
    """A WorkspaceScoped object by pk whose council matches the slug, which the user may open (and see); else 404.

    ``via`` names the relation to the workspace item an object lives in when it is not one itself (a document's
    ``folder``, a version's ``document__folder``): that item's workspace decides."""
    prefix = f"{via}__" if via else ""
    obj = queryset.select_related(f"{prefix}council", f"{prefix}committee").filter(pk=pk).first()
    if obj is None:
        raise Http404
    item = attrgetter(via.replace("__", "."))(obj) if via else obj
    if item.council.slug != slug or not permissions.can_open_workspace(user, item.workspace):
        raise Http404
    if can_see is not None and not can_see(user, obj):
        raise Http404
    return obj


def workspace_url(workspace, name="", *args):
    """Reverse a workspace URL: ``name`` '' is the workspace's overview page."""
    return Workspace.of(workspace).url(name, *args)


def workspace_context(workspace, **extra):
    """Template context every workspace page has: the council, the committee (or None), the workspace."""
    value = Workspace.of(workspace)
    context = {
        "council": value.council,
        "committee": value.committee,
        "workspace": value.body,
        "workspace_name": value.name,
    }
    context.update(extra)
    return context
