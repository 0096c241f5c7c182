"""Council and committee workspaces (thin views: permissions in permissions.py, changes in services.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.calls import REFUSED, call_service
from portal.files.downloads import serve_private

from .. import permissions, services
from ..forms import DocumentUploadForm, FolderForm, VersionUploadForm
from ..models import (
    Committee,
    CommitteeMembership,
    Council,
    Document,
    DocumentFolder,
    DocumentVersion,
    Membership,
    role_order,
)


def _council_for(user, slug):
    council = Council.objects.filter(slug=slug).first()
    if council is None or not permissions.can_open_council_workspace(user, council):
        raise Http404
    return council


def _committee_for(user, slug, pk):
    committee = Committee.objects.select_related("council").filter(council__slug=slug, pk=pk).first()
    if committee is None or not permissions.can_open_committee_workspace(user, committee):
        raise Http404
    return committee


def _folder_for(user, slug, pk):
    folder = DocumentFolder.objects.select_related("council", "committee__council").filter(pk=pk).first()
    if folder is None or folder.owning_council.slug != slug or not permissions.can_open_workspace_of(user, folder):
        raise Http404
    return folder


def _document_for(user, slug, pk):
    document = (
        Document.objects.select_related("folder__council", "folder__committee__council", "created_by")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise Http404
    folder = document.folder
    if folder.owning_council.slug != slug or not permissions.can_open_workspace_of(user, folder):
        raise Http404
    return document


def _folders(**workspace):
    return DocumentFolder.objects.filter(**workspace).annotate(document_count=Count("documents")).order_by("name")


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
    council = _council_for(request.user, slug)
    members = (
        Membership.objects.filter(council=council, term_end__isnull=True)
        .select_related("organization", "representative")
        .order_by(role_order(), "organization__name")
    )
    _councils, openable = permissions.openable_workspaces(request.user)
    openable_ids = set(openable.filter(council=council).values_list("pk", flat=True))
    committees = [(committee, committee.pk in openable_ids) for committee in council.committees.order_by("order", "pk")]
    context = {
        "council": council,
        "workspace": council,
        "committee": None,
        "members": members,
        "committees": committees,
        "folders": _folders(council=council, committee__isnull=True),
        "folder_form": FolderForm(),
        "page_title": _("%(council)s · plenary workspace") % {"council": council.name},
    }
    return render(request, "councils/workspace/council.html", context)


@login_required
def committee_workspace(request, slug, pk):
    committee = _committee_for(request.user, slug, pk)
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
    context = {
        "council": committee.council,
        "workspace": committee,
        "committee": committee,
        "members": members,
        "folders": _folders(committee=committee),
        "folder_form": FolderForm(),
        "page_title": _("%(committee)s · committee workspace") % {"committee": committee.name},
    }
    return render(request, "councils/workspace/committee.html", context)


def _create_folder(request, workspace):
    form = FolderForm(request.POST)
    name = form.data.get("name", "")
    folder = call_service(
        request, services.create_folder, success=_("The folder is created."), workspace=workspace, name=name
    )
    if folder is REFUSED:
        if isinstance(workspace, Committee):
            return redirect("councils:committee", slug=workspace.council.slug, pk=workspace.pk)
        return redirect("councils:council", slug=workspace.slug)
    return redirect("councils:folder", slug=folder.owning_council.slug, pk=folder.pk)


@login_required
@require_POST
def council_folder_create(request, slug):
    return _create_folder(request, _council_for(request.user, slug))


@login_required
@require_POST
def committee_folder_create(request, slug, pk):
    return _create_folder(request, _committee_for(request.user, slug, pk))


@login_required
def folder_detail(request, slug, pk):
    folder = _folder_for(request.user, slug, pk)
    documents = (
        Document.objects.filter(folder=folder)
        .select_related("current_version__uploaded_by", "created_by")
        .annotate(version_count=Count("versions"))
        .order_by("-created_at", "-pk")
    )
    context = {
        "council": folder.owning_council,
        "folder": folder,
        "documents": documents,
        "form": DocumentUploadForm(),
        "page_title": folder.name,
    }
    return render(request, "councils/workspace/folder.html", context)


@login_required
def document_upload(request, slug, pk):
    folder = _folder_for(request.user, slug, pk)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = call_service(
            request,
            services.upload_document,
            form=form,
            success=_("The document is uploaded."),
            folder=folder,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
        if document is not REFUSED:
            return redirect("councils:document", slug=slug, pk=document.pk)
    context = {
        "council": folder.owning_council,
        "folder": folder,
        "form": form,
        "page_title": _("Upload a document"),
    }
    return render(request, "councils/workspace/upload.html", context)


@login_required
def document_detail(request, slug, pk):
    document = _document_for(request.user, slug, pk)
    versions = DocumentVersion.objects.filter(document=document).select_related("uploaded_by").order_by("-number")
    context = {
        "council": document.folder.owning_council,
        "folder": document.folder,
        "document": document,
        "versions": versions,
        "can_add_version": permissions.can_add_version(request.user, document),
        "form": VersionUploadForm(),
        "page_title": document.title,
    }
    return render(request, "councils/workspace/document.html", context)


@login_required
def version_upload(request, slug, pk):
    document = _document_for(request.user, slug, pk)
    if not permissions.can_add_version(request.user, document):
        raise Http404
    form = VersionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = call_service(
            request,
            services.upload_version,
            form=form,
            document=document,
            upload=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
        if version is not REFUSED:
            messages.success(request, _("Version %(number)s is uploaded.") % {"number": version.number})
            return redirect("councils:document", slug=slug, pk=document.pk)
    context = {
        "council": document.folder.owning_council,
        "folder": document.folder,
        "document": document,
        "form": form,
        "page_title": _("Upload a new version"),
    }
    return render(request, "councils/workspace/upload.html", context)


@login_required
def version_download(request, slug, pk):
    version = (
        DocumentVersion.objects.select_related("document__folder__council", "document__folder__committee__council")
        .filter(pk=pk)
        .first()
    )
    if version is None:
        raise Http404
    folder = version.document.folder
    if folder.owning_council.slug != slug or not permissions.can_open_workspace_of(request.user, folder):
        raise Http404
    return serve_private(
        request,
        version.file,
        name=version.original_name,
        content_type=version.content_type,
        instance=version.document,
        action="councils.download_document",
        data=services.documents.version_data(version),
    )
