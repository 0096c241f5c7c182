from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit
from wagtail.log_actions import log

from portal import authority
from portal.authority import Power
from portal.calls import REFUSED, call_service, call_with_form
from portal.files.downloads import private_response, serve_private
from portal.pagecache.public import cache_public

from . import permissions, services
from .forms import OpinionForm, RevokeForm, SignOffForm, VerifyUploadForm
from .models import Issuer, Opinion, OpinionState, normalize_verification_code

VERIFY_RATE = "30/m"


def _opinion_for(user, pk, check=permissions.can_view):
    """The opinion if the user may see it; 404 otherwise, so its existence does not leak."""
    opinion = get_object_or_404(Opinion.objects.select_related("issuer"), pk=pk)
    if not check(user, opinion):
        raise Http404
    return opinion


@login_required
def opinion_list(request):
    user = request.user
    edited = Issuer.objects.filter(authority.owner_q(user, Power.MANAGE))
    opinions = (
        Opinion.objects.select_related("issuer")
        .filter(Q(issuer__in=edited) | (Q(sign_offs__user=user) & ~Q(state=OpinionState.DRAFT)))
        .distinct()
    )
    return render(
        request,
        "opinions/list.html",
        {"opinions": opinions[:200], "issuers": edited, "page_title": _("Opinions")},
    )


def _save_draft(request, form, service, **target):
    """Create or update a draft from the posted form; the service's refusals land on the form."""
    return call_with_form(request, form, service, values=_draft, success=_("The draft is saved."), **target)


def _draft(form):
    """The opinion form's values under the service's names (the signatories in their order)."""
    values = {key: form.cleaned_data[key] for key in ("title", "body", "kind", "addressee", "is_public")}
    return {**values, "signatories": form.signatories()}


@login_required
def opinion_create(request, issuer_id):
    issuer = get_object_or_404(Issuer, pk=issuer_id)
    if not permissions.can_create(request.user, issuer):
        raise Http404
    form = OpinionForm(request.POST or None, issuer=issuer, initial={"addressee": issuer.addressee_default})
    opinion = _save_draft(request, form, services.create_opinion, issuer=issuer)
    if opinion is not REFUSED:
        return redirect("opinions:detail", pk=opinion.pk)
    return render(request, "opinions/form.html", {"form": form, "issuer": issuer, "page_title": _("New opinion")})


@login_required
def opinion_edit(request, pk):
    opinion = _opinion_for(request.user, pk, permissions.can_edit)
    initial = {
        "title": opinion.title,
        "kind": opinion.kind,
        "addressee": opinion.addressee,
        "body": opinion.body,
        "is_public": opinion.is_public,
        **{f"signatory_{entry.position}": entry.user_id for entry in opinion.sign_offs.all()},
    }
    form = OpinionForm(request.POST or None, issuer=opinion.issuer, initial=initial)
    if _save_draft(request, form, services.update_draft, opinion=opinion) is not REFUSED:
        return redirect("opinions:detail", pk=opinion.pk)
    context = {"form": form, "issuer": opinion.issuer, "opinion": opinion, "page_title": _("Edit opinion")}
    return render(request, "opinions/form.html", context)


@login_required
def opinion_detail(request, pk):
    opinion = _opinion_for(request.user, pk)
    user = request.user
    if not opinion.is_public:  # a sensitive read: who read the full text of a non-public opinion, and when
        log(instance=opinion, action="opinions.view", user=user)
    context = {
        "opinion": opinion,
        "sign_offs": opinion.sign_offs.select_related("user"),
        "can_edit": permissions.can_edit(user, opinion),
        "can_sign": permissions.can_sign(user, opinion),
        "can_issue": permissions.can_issue(user, opinion),
        "can_revoke": permissions.can_revoke(user, opinion),
        "can_download": permissions.can_download(user, opinion),
        "sign_off_form": SignOffForm(),
        "revoke_form": RevokeForm(),
        "page_title": opinion.title,
    }
    return render(request, "opinions/detail.html", context)


@login_required
def opinion_status(request, pk):
    """The htmx partial that shows "rendering…" and then the issued file."""
    opinion = _opinion_for(request.user, pk)
    context = {
        "opinion": opinion,
        "can_download": permissions.can_download(request.user, opinion),
        "can_issue": permissions.can_issue(request.user, opinion),
    }
    return render(request, "opinions/_status.html", context)


def _run_action(request, opinion, action, success_message, **kwargs):
    call_service(request, action, success=success_message, opinion=opinion, **kwargs)
    return redirect("opinions:detail", pk=opinion.pk)


@login_required
@require_POST
def opinion_submit(request, pk):
    opinion = _opinion_for(request.user, pk)
    return _run_action(request, opinion, services.submit_for_review, _("The opinion is sent for sign-off."))


@login_required
@require_POST
def opinion_sign(request, pk):
    opinion = _opinion_for(request.user, pk)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to sign off or to return the opinion."))
        return redirect("opinions:detail", pk=opinion.pk)
    approve = form.cleaned_data["decision"] == "approve"
    message = _("You signed the opinion off.") if approve else _("The opinion was returned to its editors.")
    return _run_action(
        request, opinion, services.sign_off, message, approve=approve, comment=form.cleaned_data["comment"]
    )


@login_required
@require_POST
def opinion_issue(request, pk):
    opinion = _opinion_for(request.user, pk)
    return _run_action(request, opinion, services.request_issue, _("The opinion is being numbered and rendered."))


@login_required
@require_POST
def opinion_revoke(request, pk):
    opinion = _opinion_for(request.user, pk)
    form = RevokeForm(request.POST)
    reason = form.data.get("reason", "")
    return _run_action(request, opinion, services.revoke, _("The opinion is revoked."), reason=reason)


def _pdf_response(request, opinion):
    """The issued PDF, shown in the browser; a non-public one is a sensitive read, kept in the audit log."""
    name, kind = f"{opinion.verification_code}.pdf", "application/pdf"
    if opinion.is_public:
        return private_response(opinion.pdf, name=name, content_type=kind, inline=True)
    return serve_private(
        request, opinion.pdf, name=name, content_type=kind, instance=opinion, action="opinions.download", inline=True
    )


@login_required
def opinion_pdf(request, pk):
    opinion = _opinion_for(request.user, pk, permissions.can_download)
    return _pdf_response(request, opinion)


# Public verification -------------------------------------------------------------------------------------


def _limited(request):
    return render(request, "opinions/verify_limited.html", {"page_title": _("Too many requests")}, status=429)


@ratelimit(key="ip", rate=VERIFY_RATE, block=False)
def verify_start(request):
    if request.limited:
        return _limited(request)
    code = normalize_verification_code(request.GET.get("code", ""))
    if code:
        return redirect("verify:detail", code=code)
    cache_public(request)  # the same form for everyone (a GET form: no token); a lookup by code is never kept
    return render(request, "opinions/verify_start.html", {"page_title": _("Verify an opinion")})


@ratelimit(key="ip", rate=VERIFY_RATE, block=False)
def verify_detail(request, code):
    if request.limited:
        return _limited(request)
    normalized = normalize_verification_code(code)
    opinion = (
        Opinion.objects.select_related("issuer")
        .filter(verification_code=normalized, state__in=[OpinionState.ISSUED, OpinionState.REVOKED])
        .first()
    )
    if opinion is None:
        context = {"code": code, "page_title": _("Verify an opinion")}
        return render(request, "opinions/verify_unknown.html", context, status=404)
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        outcome = _check_upload(form)
        if outcome == "checked":
            data = form.cleaned_data["file"].read()
            outcome = "match" if services.matches_issued_file(opinion, data) else "mismatch"
    context = {
        "opinion": opinion,
        "form": form,
        "outcome": outcome,
        "can_download": permissions.can_download(request.user, opinion),
        "page_title": _("Verify an opinion"),
    }
    return render(request, "opinions/verify_detail.html", context)


def _check_upload(form):
    upload = form.cleaned_data["file"]
    if upload.size > services.MAX_PDF_UPLOAD:
        form.add_error("file", _("The file is larger than 20 MB; an issued opinion is much smaller."))
        return None
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        form.add_error("file", _("This file is not a PDF."))
        return None
    return "checked"


@ratelimit(key="ip", rate=VERIFY_RATE, block=False)
def verify_pdf(request, code):
    if request.limited:
        return _limited(request)
    opinion = Opinion.objects.filter(verification_code=normalize_verification_code(code)).first()
    if opinion is None or not permissions.can_download(request.user, opinion):
        raise Http404
    return _pdf_response(request, opinion)  # the same read as opinion_pdf, by another door
