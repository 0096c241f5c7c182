"""Workspace documents: folders, documents, their versions and audited downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.calls import REFUSED, call_service, call_with_form
from portal.files.downloads import serve_private

from .. import permissions, services
from ..forms.documents import DocumentUploadForm, FolderForm, VersionUploadForm
from ..models import Document, DocumentFolder, DocumentVersion
from ..workspace import Workspace
from .common import object_or_404, workspace_or_404, workspace_paths

PAGE_SIZE = 50


def _folder(request, slug, pk):
    return object_or_404(DocumentFolder.objects, request.user, slug, pk)


def _document(request, slug, pk):
    return object_or_404(Document.objects.select_related("created_by"), request.user, slug, pk, via="folder")


def _upload(form):
    """An upload form's values under the service's names (its ``file`` is the ``upload``)."""
    values = dict(form.cleaned_data)
    values["upload"] = values.pop("file")
    return values


@login_required
@require_POST
def folder_create(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    form = FolderForm(request.POST)
    folder = call_service(
        request,
        services.create_folder,
        success=_("The folder is created."),
        workspace=workspace,
        name=form.data.get("name", ""),
    )
    if folder is REFUSED:
        return redirect(Workspace.of(workspace).url())
    return redirect(folder)


@login_required
def folder_detail(request, slug, pk):
    folder = _folder(request, slug, pk)
    versions = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by().values("document")
    versions = versions.annotate(n=Count("pk"))
    documents = (
        Document.objects.filter(folder=folder)
        .select_related("current_version__uploaded_by", "created_by")
        # Counted per row of the page (a subquery), not by grouping every document of the folder before paging.
        .annotate(version_count=Subquery(versions.values("n")))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "council": folder.council,
        "folder": folder,
        "documents": page.object_list,
        "page_obj": page,
        "form": DocumentUploadForm(),
        "page_title": folder.name,
    }
    return render(request, "councils/workspace/folder.html", context)


@login_required
def document_upload(request, slug, pk):
    folder = _folder(request, slug, pk)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    success = _("The document is uploaded.")
    document = call_with_form(request, form, services.upload_document, values=_upload, success=success, folder=folder)
    if document is not REFUSED:
        return redirect(document)
    context = {
        "council": folder.council,
        "folder": folder,
        "form": form,
        "page_title": _("Upload a document"),
    }
    return render(request, "councils/workspace/upload.html", context)


@login_required
def document_detail(request, slug, pk):
    document = _document(request, slug, pk)
    versions = DocumentVersion.objects.filter(document=document).select_related("uploaded_by").order_by("-number")
    context = {
        "council": document.folder.council,
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
    document = _document(request, slug, pk)
    if not permissions.can_add_version(request.user, document):
        raise Http404
    form = VersionUploadForm(request.POST or None, request.FILES or None)
    version = call_with_form(request, form, services.upload_version, values=_upload, document=document)
    if version is not REFUSED:
        messages.success(request, _("Version %(number)s is uploaded.") % {"number": version.number})
        return redirect(document)
    context = {
        "council": document.folder.council,
        "folder": document.folder,
        "document": document,
        "form": form,
        "page_title": _("Upload a new version"),
    }
    return render(request, "councils/workspace/upload.html", context)


@login_required
def version_download(request, slug, pk):
    version = object_or_404(
        DocumentVersion.objects.select_related("document"), request.user, slug, pk, via="document__folder"
    )
    return serve_private(
        request,
        version.file,
        name=version.original_name,
        content_type=version.content_type,
        instance=version.document,
        action="councils.download_document",
        data=services.documents.version_data(version),
    )


urlpatterns = [
    *workspace_paths("folders/new/", folder_create, "folder_create"),
    path("<slug:slug>/folders/<int:pk>/", folder_detail, name="folder"),
    path("<slug:slug>/folders/<int:pk>/upload/", document_upload, name="document_upload"),
    path("<slug:slug>/documents/<int:pk>/", document_detail, name="document"),
    path("<slug:slug>/documents/<int:pk>/versions/new/", version_upload, name="version_upload"),
    path("<slug:slug>/versions/<int:pk>/download/", version_download, name="download"),
]
