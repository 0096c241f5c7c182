"""Workspace section: discussions (threads, replies with attachments, @mentions)."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from portal.calls import REFUSED, call_with_form

from .. import permissions
from ..forms.discussions import ReplyForm, ThreadForm
from ..models import Post, PostAttachment, Thread
from ..services import discussions as services
from ..workspace import Workspace
from .common import object_or_404, workspace_context, workspace_or_404, workspace_paths, workspace_url

PAGE_SIZE = 25


def _thread_or_404(user, slug, pk):
    thread = object_or_404(Thread.objects.select_related("created_by"), user, slug, pk)
    if not permissions.can_post(user, thread.workspace):
        raise Http404
    if thread.committee_id:
        thread.committee.council = thread.council  # the header names both; spare a query
    return thread


@login_required
def thread_list(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    if not permissions.can_post(request.user, workspace):
        raise Http404
    threads = (
        Thread.objects.filter(**Workspace.of(workspace).filter())
        .select_related("created_by")
        .annotate(post_count=Count("posts"))
        .order_by("-last_post_at", "-pk")
    )
    page = Paginator(threads, PAGE_SIZE).get_page(request.GET.get("page"))
    context = workspace_context(
        workspace,
        page_obj=page,
        threads=page.object_list,
        new_url=workspace_url(workspace, "thread_new"),
        page_title=_("Discussions"),
    )
    return render(request, "councils/workspace/discussions/list.html", context)


def _post(form):
    """A post form's values under the service's names (its ``files`` are the ``attachments``)."""
    values = dict(form.cleaned_data)
    values["attachments"] = values.pop("files")
    return values


def _mentionable(workspace):
    return services.workspace_people(workspace)


@login_required
def thread_new(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    if not permissions.can_post(request.user, workspace):
        raise Http404
    form = ThreadForm(request.POST or None, request.FILES or None)
    success = _("The discussion is started.")
    thread = call_with_form(request, form, services.start_thread, values=_post, success=success, workspace=workspace)
    if thread is not REFUSED:
        return redirect("councils:thread", slug=thread.council.slug, pk=thread.pk)
    context = workspace_context(
        workspace,
        form=form,
        mentionable=_mentionable(workspace),
        list_url=workspace_url(workspace, "threads"),
        page_title=_("Start a discussion"),
    )
    return render(request, "councils/workspace/discussions/new.html", context)


def _thread_context(request, thread, form):
    posts = (
        Post.objects.filter(thread=thread)
        .select_related("author")
        .prefetch_related("attachments", "mentions")
        .order_by("created_at", "pk")
    )
    return workspace_context(
        thread.workspace,
        thread=thread,
        posts=posts,
        form=form,
        mentionable=_mentionable(thread.workspace),
        list_url=workspace_url(thread.workspace, "threads"),
        page_title=thread.title,
    )


@login_required
def thread_detail(request, slug, pk):
    thread = _thread_or_404(request.user, slug, pk)
    return render(request, "councils/workspace/discussions/thread.html", _thread_context(request, thread, ReplyForm()))


@login_required
def thread_reply(request, slug, pk):
    """POST a reply. With htmx: the new post, and the emptied form swapped in out of band (or the form with its
    errors). Without: a redirect to the new post, or the thread page with the form's errors."""
    thread = _thread_or_404(request.user, slug, pk)
    if request.method != "POST":
        return redirect("councils:thread", slug=slug, pk=thread.pk)
    form = ReplyForm(request.POST, request.FILES)
    post = call_with_form(request, form, services.reply, values=_post, thread=thread)
    if post is REFUSED:
        post = None
    if request.htmx:
        if post is not None:  # with what the partial shows, as the thread page loads it
            post = Post.objects.select_related("author").prefetch_related("attachments", "mentions").get(pk=post.pk)
        context = workspace_context(
            thread.workspace,
            thread=thread,
            post=post,
            form=ReplyForm() if post else form,
            mentionable=_mentionable(thread.workspace),
            oob=True,
        )
        return render(request, "councils/workspace/discussions/_reply_response.html", context)
    if post is not None:
        messages.success(request, _("Your reply is posted."))
        return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")
    return render(request, "councils/workspace/discussions/thread.html", _thread_context(request, thread, form))


@login_required
def attachment_download(request, slug, pk):
    attachment = (
        PostAttachment.objects.select_related("post__thread__council", "post__thread__committee").filter(pk=pk).first()
    )
    if attachment is None:
        raise Http404
    thread = attachment.post.thread
    if thread.council.slug != slug or not permissions.can_post(request.user, thread.workspace):
        raise Http404
    try:
        services.record_attachment_download(actor=request.user, attachment=attachment)
    except PermissionDenied:
        raise Http404 from None
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(attachment.original_name, safe='')}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    *workspace_paths("discussions/", thread_list, "threads"),
    *workspace_paths("discussions/new/", thread_new, "thread_new"),
    path("<slug:slug>/discussions/<int:pk>/", thread_detail, name="thread"),
    path("<slug:slug>/discussions/<int:pk>/reply/", thread_reply, name="thread_reply"),
    path("<slug:slug>/attachments/<int:pk>/download/", attachment_download, name="attachment_download"),
]
