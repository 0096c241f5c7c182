"""What the workspace views share: finding the workspace or object from the URL (404 when the user may not
open it), reversing a workspace's URLs, and declaring a view for the plenary and every committee at once.

URL scheme: list and create views exist twice, ``<slug>/<route>`` for the plenary workspace (name ``NAME``)
and ``<slug>/committees/<committee_pk>/<route>`` for a committee (name ``committee_NAME``); object views
exist once, ``<slug>/<route>/<pk>/``, because the object knows its workspace.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path, reverse

from portal.workspace.forms import add_service_errors

from .. import permissions
from ..models import Committee, Council


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


def object_or_404(queryset, user, slug, pk, can_see=None):
    """A WorkspaceScoped object by pk whose council matches the slug, which the user may open (and see); else 404."""
    obj = queryset.select_related("council", "committee").filter(pk=pk).first()
    if obj is None or obj.council.slug != slug:
        raise Http404
    if not permissions.can_open_workspace(user, obj.workspace):
        raise Http404
    if can_see is not None and not can_see(user, obj):
        raise Http404
    return obj


def workspace_url(workspace, name="", *args):
    """Reverse a workspace URL: ``name`` '' is the workspace's overview page."""
    if isinstance(workspace, Committee):
        if not name:
            return reverse("councils:committee", args=[workspace.council.slug, workspace.pk])
        return reverse(f"councils:committee_{name}", args=[workspace.council.slug, workspace.pk, *args])
    if not name:
        return reverse("councils:council", args=[workspace.slug])
    return reverse(f"councils:{name}", args=[workspace.slug, *args])


def workspace_context(workspace, **extra):
    """Template context every workspace page has: the council, the committee (or None), the workspace."""
    is_committee = isinstance(workspace, Committee)
    context = {
        "council": workspace.council if is_committee else workspace,
        "committee": workspace if is_committee else None,
        "workspace": workspace,
        "workspace_name": workspace.name,
    }
    context.update(extra)
    return context


REFUSED = object()  # what call_service returns when the service refused (a service may itself return None)


def call_service(request, action, /, *, success=None, form=None, on_error=None, **arguments):
    """Run one service call for a view, with the request's user as actor.

    PermissionDenied becomes a 404 (users must not learn what they may not see). A ValidationError goes onto
    ``form`` when given (see add_service_errors), to ``on_error(error)`` when given, else into error messages.
    On success the optional ``success`` message is added. Returns the service's result, or REFUSED.
    """
    try:
        result = action(actor=request.user, **arguments)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        if on_error is not None:
            on_error(error)
        elif form is not None:
            add_service_errors(form, error)
        else:
            for message in error.messages:
                messages.error(request, message)
        return REFUSED
    if success is not None:
        messages.success(request, success)
    return result
