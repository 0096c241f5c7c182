"""The applicant's side: what is open, the start page, one step at a time, the documents, review and submit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST, require_safe

from portal.calls import REFUSED, call_in_place, call_service, call_with_form, tell

from .. import answers, kinds, permissions, services
from ..forms import AttachmentForm, StartForm
from ..models import Application, ApplicationState
from .common import application_or_404, attachment_or_404, stepper


@require_safe
def open_calls(request):
    """Every registered kind's owners that accept applications now. Public."""
    offers = [(kind, list(kind.open_owners())) for kind in kinds.all()]
    offers = [(kind, owners) for kind, owners in offers if owners]
    return render(request, "applications/open.html", {"offers": offers, "page_title": pgettext("application", "Apply")})


def _kind_and_owner(slug, owner_pk):
    kind = kinds.by_slug(slug)
    if kind is None:
        raise Http404
    owner = kind.owner_model._default_manager.filter(pk=owner_pk).first() if str(owner_pk).isdigit() else None
    if owner is None:
        raise Http404
    return kind, owner


def start(request, slug, owner_pk):
    """The kind's introduction for this owner (steps, documents); POST starts the draft or resumes it."""
    kind, owner = _kind_and_owner(slug, owner_pk)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    may_start = permissions.can_start(request.user, kind, owner)
    form = StartForm(request.POST or None, user=request.user, kind=kind) if may_start else None
    if request.method == "POST":
        if not may_start:
            raise Http404
        application = call_with_form(request, form, services.start, kind=kind, owner=owner)
        if application is not REFUSED:
            return redirect("applications:step", pk=application.pk, step=kind.steps[0].code)
    drafts = []
    if request.user.is_authenticated:
        drafts = Application.objects.filter(kind=kind.code, owner_id=str(owner.pk), applicant=request.user).filter(
            state=ApplicationState.DRAFT
        )
    checklist = kind.checklist(owner)
    # A kind that needs an organization cannot start without one: send the person to attach it, then back here.
    unlinked = form is not None and "organization" in form.fields and not form.fields["organization"].queryset.exists()
    context = {
        "kind": kind,
        "owner": owner,
        "is_open": kind.is_open(owner),
        "form": form,
        "drafts": list(drafts),
        "items": list(checklist.items.all()) if checklist else [],
        "login_url": f"{reverse('accounts:login')}?next={request.path}",
        # Reversed, so the registration page keeps the reader's language prefix (/en/).
        "register_url": f"{reverse('accounts:register')}?next={request.path}",
        "organization_url": f"{reverse('accounts:organization')}?next={request.path}" if unlinked else "",
        "page_title": kind.title,
    }
    return render(request, "applications/start.html", context)


def _draft_context(application, kind, current, **extra):
    return {
        "application": application,
        "kind": kind,
        "stepper": stepper(application, kind, current),
        "page_title": application.display_title,
        **extra,
    }


@login_required
def step(request, pk, step):
    application = application_or_404(request.user, pk)
    kind = services.kind_of(application)
    entry = kind.step(step)
    if entry is None:
        raise Http404
    if not permissions.can_edit_step(request.user, application, entry.code):
        return redirect(application)
    if request.htmx and entry.is_formset and f"{entry.code}-TOTAL_FORMS" in request.GET:
        return _new_row(request, entry)
    if request.method == "POST":
        form = answers.bind(entry, request.POST)
        if form.is_valid():
            saved = call_service(
                request,
                services.save_step,
                success=_("Saved."),
                application=application,
                step=entry.code,
                data=request.POST,
            )
            if saved is not REFUSED:
                return redirect(_after_step(application, kind, entry, "continue" in request.GET))
    else:
        form = answers.unbound(entry, application.answers.get(entry.code))
    # What the page was loaded with travels with the form, so a refused save stays refused until a reload.
    loaded = (
        request.POST.get("loaded", "")
        if request.method == "POST"
        else services.step_fingerprint(application, entry.code)
    )
    context = _draft_context(application, kind, entry.code, entry=entry, form=form, loaded=loaded)
    return render(request, "applications/step.html", context)


def _after_step(application, kind, entry, go_on):
    if not go_on:
        return reverse("applications:step", args=[application.pk, entry.code])
    codes = [step.code for step in kind.steps]
    following = codes[codes.index(entry.code) + 1 :]
    if following and application.is_draft:
        return reverse("applications:step", args=[application.pk, following[0]])
    if application.is_draft:
        return reverse("applications:attachments", args=[application.pk])
    return application.get_absolute_url()


def _new_row(request, entry):
    """One more empty row for a repeating step (htmx): the row and the formset's new count, swapped in place."""
    formset = entry.form_class(prefix=entry.code)
    try:  # the row's index is the count of rows on the page so far, which htmx sends along
        index = max(0, min(int(request.GET[f"{entry.code}-TOTAL_FORMS"]), answers.FORMSET_MAX - 1))
    except ValueError:
        index = 0
    form = formset.form(prefix=f"{entry.code}-{index}", empty_permitted=True, use_required_attribute=False)
    formset.add_fields(form, index)  # the formset's own extra fields (a "remove" box when it allows removal)
    context = {"row": form, "index": index, "total": index + 1, "entry": entry}
    return render(request, "applications/_row.html", context)


@login_required
def attachments(request, pk):
    application = application_or_404(request.user, pk)
    if not permissions.can_edit(request.user, application):
        return redirect(application)
    kind = services.kind_of(application)
    items = services.checklist_items(application)
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES, items=items)
        result, errors = call_in_place(
            request,
            form,
            services.add_attachment,
            values=lambda form: {"item": form.cleaned_data["item"], "upload": form.cleaned_data["file"]},
            application=application,
        )
        tell(request, errors, "" if result is REFUSED else _("The file is uploaded."))
        return redirect("applications:attachments", pk=application.pk)
    files = list(application.attachments.select_related("item").prefetch_related("submissions"))
    slots = [
        {
            "item": item,
            "files": [f for f in files if f.item_id == item.pk],
            "form": AttachmentForm(initial={"item": item.pk}, items=items),
        }
        for item in items
    ]
    slots.append({"item": None, "files": [f for f in files if f.item_id is None], "form": AttachmentForm(items=items)})
    request_open = services.open_request(application)
    context = _draft_context(application, kind, "", slots=slots, request_open=request_open, current_documents=True)
    return render(request, "applications/attachments.html", context)


@login_required
@require_POST
def remove_attachment(request, pk, attachment_pk):
    attachment = attachment_or_404(
        request.user, pk, attachment_pk, lambda user, file: permissions.can_edit(user, file.application)
    )
    call_service(request, services.remove_attachment, success=_("The file is removed."), attachment=attachment)
    return redirect("applications:attachments", pk=pk)


@login_required
def review(request, pk):
    """Everything entered, read-only, with what is still missing; POST submits."""
    application = application_or_404(request.user, pk, permissions.is_applicant)
    if not application.is_draft:
        return redirect(application)
    kind = services.kind_of(application)
    if request.method == "POST":
        sent = call_service(request, services.submit, application=application)
        if sent is not REFUSED:
            messages.success(
                request, _("Your application %(reference)s has been submitted.") % {"reference": sent.reference}
            )
            return redirect(sent)
        return redirect("applications:review", pk=application.pk)
    summaries = [answers.summarize(step, application.answers.get(step.code)) for step in kind.steps]
    files = application.attachments.select_related("item")
    context = _draft_context(
        application,
        kind,
        "",
        summaries=summaries,
        files=files,
        problems=services.missing(application),
        may_submit=permissions.can_submit(request.user, application),
        is_open=kind.is_open(application.owner),
        current_review=True,
    )
    return render(request, "applications/review.html", context)
