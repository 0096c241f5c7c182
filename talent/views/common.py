"""Finding the object a URL names for someone a permissions function says may see it (else 404)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import BaseApplication, Programme


def base_for(request, pk, may) -> BaseApplication:
    base = get_object_or_404(
        BaseApplication.objects.select_related("application__applicant", "call__programme", "theme", "letter"), pk=pk
    )
    if not may(request.user, base):
        raise Http404
    return base


def programme_for(request, slug, may) -> Programme:
    programme = get_object_or_404(Programme, slug=slug)
    if not may(request.user, programme):
        raise Http404
    return programme


def special_for(request, pk, may):
    from ..models import SpecialTalentApplication

    special = get_object_or_404(
        SpecialTalentApplication.objects.select_related(
            "application__applicant", "call__programme", "theme", "employer", "authority__organization"
        ),
        pk=pk,
    )
    if not may(request.user, special):
        raise Http404
    return special


def issued_pdf(request, opinion):
    """An issued opinion's PDF (a decision letter, a panel's review opinion, a filing form), for whom the view's
    permission check let through; a sensitive read, kept in the audit log."""
    from portal.files.downloads import serve_private

    return serve_private(
        request,
        opinion.pdf,
        name=f"{opinion.verification_code}.pdf",
        content_type="application/pdf",
        instance=opinion,
        action="opinions.download",
        inline=True,
    )
