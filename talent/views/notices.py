"""Public notice (公示): the public page of the candidates on notice with anyone's objection form (rate-limited, no
JavaScript needed), and the officers' side — each objection's investigation, resolution and evidence, and the step
to filing. The office's page of an application shows all of it through ``section_context`` and the partial
talent/notices/_office_section.html; the filing and the decision are in views/filing.py."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from portal.calls import REFUSED, call_service, call_with_form
from portal.files.downloads import serve_private
from portal.opinions.services import detail_url
from portal.pagecache import tags
from portal.pagecache.public import cache_public

from .. import cache_tags, permissions
from ..forms import notices as forms
from ..models import Objection, SpecialStage, SpecialTalentApplication
from ..services import notices as services
from .common import special_for

# Per client address (RATELIMIT_IP_META_KEY), every candidate together: enough for an office behind one address to
# object to several candidates, too few to flood the officers.
OBJECTION_RATE = "5/h"
PER_PAGE = 25


def objection_rate(group, request):
    """Read when a request comes (django-ratelimit calls it), so the rate is set in one place."""
    return OBJECTION_RATE


def on_notice(today=None):
    """The candidates on public notice today (stage notice, today within the period, both days inclusive)."""
    today = today or timezone.localdate()
    return SpecialTalentApplication.objects.filter(
        stage=SpecialStage.NOTICE, notice_starts_on__lte=today, notice_ends_on__gte=today
    )


def notices(request):
    """Who is on public notice now: name, employer, field, sector and the period; never an identifier or a score.
    Kept for every visitor (a period starts or ends at midnight, when every kept page goes): each candidate links to
    the objection page, which holds the form."""
    cache_public(request, cache_tags.NOTICES, tags.ORGANIZATIONS, tags.THEMES)
    rows = on_notice().select_related("employer", "theme").order_by("notice_ends_on", "candidate_name", "pk")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"entries": page.object_list, "page_obj": page, "page_title": _("Public notice of special talent")}
    return render(request, "talent/notices/list.html", context)


def _limited(request):
    return render(request, "talent/notices/limited.html", {"page_title": _("Too many objections")}, status=429)


@ratelimit(key="ip", rate=objection_rate, method="POST", block=False)
def notice_objection(request, pk):
    """Anyone's objection to one candidate. A candidate never put on notice, or not yet, is not public: 404."""
    special = get_object_or_404(
        SpecialTalentApplication.objects.select_related("employer", "theme", "call__programme"),
        pk=pk,
        notice_starts_on__lte=timezone.localdate(),
    )
    if request.method == "POST" and request.limited:
        return _limited(request)
    form = forms.ObjectionForm(request.POST or None, request.FILES or None)
    closed = services.period_problem(special)
    if closed is None:
        lodged = call_with_form(request, form, services.lodge_objection, special=special)
        if lodged is not REFUSED:
            return redirect("talent:notice_received")
        closed = services.period_problem(special)  # the period may have ended while the form was open
    context = {"special": special, "form": form, "closed": closed, "page_title": _("Lodge an objection")}
    return render(request, "talent/notices/objection.html", context)


def notice_received(request):
    """Said to whoever lodged an objection, without repeating anything they wrote."""
    return render(request, "talent/notices/received.html", {"page_title": _("Objection received")})


# --- the officers' side -----------------------------------------------------------------------------------------


def _objection_for(request, pk, may) -> Objection:
    objection = get_object_or_404(
        Objection.objects.select_related("application__call__programme", "application__application"), pk=pk
    )
    if not may(request.user, objection):
        raise Http404
    return objection


def _objection_form(request, objection, form, title, submit_label):
    """The officer's form about one objection, with the grounds it answers above it."""
    context = {
        "special": objection.application,
        "form": form,
        "page_title": title,
        "submit_label": submit_label,
        "help": f"{objection.name}: {objection.grounds}",
    }
    return render(request, "talent/office/special_form.html", context)


@login_required
def objection_investigate(request, pk):
    objection = _objection_for(request, pk, permissions.handles_objection)
    form = forms.InvestigationForm(request.POST or None)
    done = call_with_form(
        request, form, services.investigate, success=_("The investigation is recorded."), objection=objection
    )
    if done is not REFUSED:
        return redirect(objection.application.get_absolute_url())
    return _objection_form(request, objection, form, _("Investigate the objection"), _("Record the investigation"))


@login_required
def objection_resolve(request, pk):
    objection = _objection_for(request, pk, permissions.handles_objection)
    form = forms.ResolutionForm(request.POST or None)
    done = call_with_form(request, form, services.resolve, success=_("The objection is resolved."), objection=objection)
    if done is not REFUSED:
        return redirect(objection.application.get_absolute_url())
    return _objection_form(request, objection, form, _("Resolve the objection"), _("Resolve"))


@login_required
def objection_evidence(request, pk):
    """The objector's evidence, for the officers only; every reading is kept in the audit log."""
    objection = _objection_for(request, pk, permissions.handles_objection)
    if not objection.evidence:
        raise Http404
    return serve_private(
        request,
        objection.evidence,
        name=objection.evidence.name.rsplit("/", 1)[-1],
        content_type=services.evidence_type(objection.evidence.name),
        instance=objection.application,
        action="talent.download_objection_evidence",
        data={"objection": objection.pk},
    )


@login_required
def special_to_filing(request, pk):
    special = special_for(request, pk, permissions.runs_special_application)
    if request.method == "POST":
        call_service(
            request,
            services.send_to_filing,
            special=special,
            success=_("The application is in filing: its filing form waits for the director's signature."),
        )
    return redirect(special.get_absolute_url())


def section_context(request, special) -> dict:
    """What talent/notices/_office_section.html shows on the office's page: the objections with their handling (to
    the officers only: they name their authors), the filing form and the filing record. The page itself offers the
    steps (send for filing, approve, reject) and says what blocks them."""
    user = request.user
    runs = permissions.runs_special_application(user, special)
    context = {
        "runs": runs,
        "on_notice": special.is_on_public_notice,
        "objections": [],
        "filing_form_url": "",
        "filing_form_download": "",
        "filing": None,
    }
    if runs and special.notice_starts_on is not None:
        context["objections"] = [
            {
                "objection": objection,
                "investigate": permissions.can_investigate_objection(user, objection),
                "resolve": permissions.can_resolve_objection(user, objection),
            }
            for objection in special.objections.select_related("resolved_by").order_by("lodged_at", "pk")
        ]
        if special.filing_form_id:
            context["filing_form_url"] = detail_url(special.filing_form)
        if permissions.can_record_filing(user, special):
            context["filing"] = forms.FilingForm(initial={"filed_on": timezone.localdate()})
    if permissions.can_download_filing_form(user, special):
        context["filing_form_download"] = reverse("talent:special_filing_form", args=[special.pk])
    return context


urlpatterns = [
    path("notices/", notices, name="notices"),
    path("notices/received/", notice_received, name="notice_received"),
    path("notices/<int:pk>/objection/", notice_objection, name="notice_objection"),
    path("office/objections/<int:pk>/investigate/", objection_investigate, name="objection_investigate"),
    path("office/objections/<int:pk>/resolve/", objection_resolve, name="objection_resolve"),
    path("office/objections/<int:pk>/evidence/", objection_evidence, name="objection_evidence"),
    path("office/special/<int:pk>/to-filing/", special_to_filing, name="special_to_filing"),
]
