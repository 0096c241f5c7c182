"""A person's organizations (/accounts/organization/) and the claims they decide (…/claims/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.redirects import safe_next
from portal.calls import REFUSED, call_in_place, call_service, call_with_form, tell

from . import permissions, services
from .forms import AttachOrganizationForm, RefuseClaimForm
from .models import OrganizationClaim


@login_required
def organization(request):
    next_url = safe_next(request)
    form = AttachOrganizationForm(request.POST or None)
    attached = call_with_form(request, form, services.attach_organization)
    if attached is not REFUSED:
        name = attached.organization.display_name
        if attached.claim is None:
            messages.success(request, _("%(name)s is registered and you are its contact person.") % {"name": name})
        else:
            messages.success(
                request,
                _(
                    "%(name)s is already registered. Your request to act for it has been sent to the people who act "
                    "for it; you will be told when they decide."
                )
                % {"name": name},
            )
        return redirect(next_url or reverse("accounts:organization"))
    user = request.user
    context = {
        "form": form,
        "next": next_url,
        "links": user.organization_links.select_related("organization"),
        "claims": user.organization_claims.select_related("organization", "decided_by"),
        "has_claims_to_decide": permissions.has_claims_to_decide(user),
    }
    return render(request, "organizations/mine.html", context)


@login_required
@require_GET
def claims(request):
    pending = permissions.claims_to_decide(request.user).select_related("organization", "user")
    # One refusal form per claim, each with its own field ids.
    rows = [(claim, RefuseClaimForm(auto_id=f"claim{claim.pk}_%s")) for claim in pending]
    return render(request, "organizations/claims.html", {"rows": rows})


def _claim(request, pk):
    claim = get_object_or_404(OrganizationClaim.objects.select_related("organization", "user"), pk=pk)
    if not permissions.can_see_claim(request.user, claim):
        raise Http404
    return claim


@login_required
@require_POST
def claim_approve(request, pk):
    claim = _claim(request, pk)
    call_service(
        request,
        services.approve_claim,
        success=_("%(person)s now acts for %(name)s.")
        % {"person": claim.user.display_name, "name": claim.organization.display_name},
        claim=claim,
    )
    return redirect("accounts:organization_claims")


@login_required
@require_POST
def claim_refuse(request, pk):
    claim = _claim(request, pk)
    _refused, errors = call_in_place(request, RefuseClaimForm(request.POST), services.refuse_claim, claim=claim)
    tell(request, errors, "" if errors else _("The request is refused and the person who asked is told why."))
    return redirect("accounts:organization_claims")


@login_required
@require_POST
def claim_withdraw(request, pk):
    claim = _claim(request, pk)
    call_service(request, services.withdraw_claim, success=_("Your request is withdrawn."), claim=claim)
    return redirect("accounts:organization")
