"""In the workspace: the list (one's own applications; officers also those of the owners they manage), the
application's page, its files, and the actions taken there (withdraw, answer, request a supplement, notes)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal import authority
from portal.authority import Power
from portal.calls import REFUSED, call_in_place, tell
from portal.files.downloads import serve_private
from portal.paging import KeysFirstPaginator

from .. import answers, kinds, permissions, services
from ..forms import AnswerForm, NoteForm, SupplementRequestForm, WithdrawForm
from ..models import Application, Attachment, Submission, SupplementRequest
from .common import application_or_404, attachment_or_404

PAGE_SIZE = 20


def status_choices():
    """Every registered kind's applicant-facing statuses, once each, for the list's filter."""
    choices = {}
    for kind in kinds.all():
        for value, label in kind.statuses.choices:
            choices.setdefault(value, label)
    return list(choices.items())


@login_required
@require_safe
def application_list(request):
    user = request.user
    managed = Q(authority.owner_q(user, Power.MANAGE), submitted_at__isnull=False)
    applications = Application.objects.filter(Q(applicant=user) | managed).for_list().order_by("-updated_at", "-pk")
    status = request.GET.get("status", "")
    choices = status_choices()
    if status in dict(choices):
        applications = applications.filter(status=status)
    page = KeysFirstPaginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "applications": page.object_list,
        "status_choices": choices,
        "status": status,
        "extra_query": f"status={status}" if status in dict(choices) else "",
        "page_title": _("Applications"),
    }
    return render(request, "applications/list.html", context)


def _submissions(application, unmasked):
    """The frozen submissions, newest first, each with its answers as people read them and its files. Personal
    identifiers (``Kind.private_fields``) are masked unless ``unmasked`` (an officer's audited reveal)."""
    kind = services.kind_of(application)
    private = {} if unmasked else kind.private_fields
    files = Attachment.objects.select_related("item")
    rows = Submission.objects.filter(application=application).select_related("submitted_by")
    rows = rows.prefetch_related(Prefetch("attachments", queryset=files)).order_by("-number")
    return [
        {
            "submission": submission,
            "summaries": [
                answers.summarize(step, submission.answers.get(step.code), masked=private.get(step.code, ()))
                for step in kind.steps
            ],
        }
        for submission in rows
    ]


@login_required
@require_safe
def application_detail(request, pk):
    return _detail(request, pk)


@login_required
@require_POST
def reveal(request, pk):
    """The page once more with the personal identifiers in full, for the owner's managers; the reading is audited
    and the response is never cached."""
    application = application_or_404(request.user, pk)
    if not permissions.can_reveal_private(request.user, application):
        raise Http404
    services.record_reveal(actor=request.user, application=application)
    response = _detail(request, pk, revealed=True)
    add_never_cache_headers(response)
    return response


def _detail(request, pk, revealed=False):
    application = application_or_404(request.user, pk)
    kind = services.kind_of(application)
    user = request.user
    is_applicant = permissions.is_applicant(user, application)
    request_open = services.open_request(application)
    items = services.checklist_items(application)
    context = {
        "application": application,
        "kind": kind,
        "is_applicant": is_applicant,
        "timeline": services.timeline(application),
        # Once sent, identifiers are masked for the applicant too (they typed them; nobody needs them on screen
        # again): only the owner's managers read them, each time recorded.
        "submissions": _submissions(application, revealed),
        "revealed": revealed,
        "can_reveal": not revealed and permissions.can_reveal_private(user, application),
        "requests": SupplementRequest.objects.filter(application=application).prefetch_related("items"),
        "request_open": request_open,
        "reopened": [kind.step(code) for code in request_open.sections if kind.step(code)] if request_open else [],
        "overdue": bool(request_open and request_open.is_overdue()),
        "page_title": application.display_title,
    }
    if is_applicant:
        context["applicant_links"] = kind.applicant_links(application) if kind.applicant_links else []
        context["draft_files"] = application.attachments.filter(submissions=None).select_related("item")
    if permissions.can_answer_supplement(user, application):
        context["answer_form"] = AnswerForm()
    if permissions.can_withdraw(user, application):
        context["withdraw_form"] = WithdrawForm()
    if permissions.can_see_notes(user, application):
        context["notes"] = application.notes.select_related("author")
        context["note_form"] = NoteForm()
        context["officer_url"] = kind.officer_url(application) if kind.officer_url else ""
        context["officer_label"] = kind.officer_label or _("Handle it in the pipeline")
    if permissions.can_request_supplement(user, application):
        context["request_form"] = SupplementRequestForm(kind=kind, items=items)
    return render(request, "applications/detail.html", context)


@login_required
@require_safe
def download(request, pk, attachment_pk):
    attachment = attachment_or_404(request.user, pk, attachment_pk, permissions.can_download)
    return serve_private(
        request,
        attachment.file,
        name=attachment.original_name,
        content_type=attachment.content_type,
        instance=attachment.application,
        action="applications.download",
        data=attachment.audit_data(),
    )


def _act(request, pk, check, form_class, service, confirmation, **form_kwargs):
    """A POST from the application's page: the service called with the form's values; messages, then back."""
    application = application_or_404(request.user, pk)
    if not check(request.user, application):
        raise Http404
    form = form_class(request.POST, **{key: make(application) for key, make in form_kwargs.items()})
    result, errors = call_in_place(request, form, service, application=application)
    tell(request, errors, "" if result is REFUSED else confirmation)
    return redirect(application)


@login_required
@require_POST
def withdraw(request, pk):
    return _act(
        request, pk, permissions.can_withdraw, WithdrawForm, services.withdraw, _("The application is withdrawn.")
    )


@login_required
@require_POST
def answer(request, pk):
    return _act(
        request,
        pk,
        permissions.can_answer_supplement,
        AnswerForm,
        services.answer_supplement,
        _("Your supplement has been sent."),
    )


@login_required
@require_POST
def request_supplement(request, pk):
    return _act(
        request,
        pk,
        permissions.can_request_supplement,
        SupplementRequestForm,
        services.request_supplement,
        _("The request for supplement has been sent to the applicant."),
        kind=services.kind_of,
        items=services.checklist_items,
    )


@login_required
@require_POST
def add_note(request, pk):
    return _act(request, pk, permissions.can_see_notes, NoteForm, services.add_note, _("The note is saved."))
