"""Workspace section: policy feedback (政策评议). Members answer open campaigns; the secretariat runs them."""

import re
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.accounts.twofactor import reverify_first
from portal.calls import REFUSED, add_service_errors, call_service, call_with_form
from portal.charts.figures import Bar, Format, bar_chart
from portal.opinions import permissions as opinion_permissions
from portal.opinions.services import detail_url

from .. import permissions
from ..forms.feedback import CampaignForm, ResponseForm, question_formset, questions_of
from ..models import CampaignState, FeedbackResponse, PolicyFeedback
from ..services import feedback as services
from ..services.opinions import issuer_for
from ..workspace import Workspace
from .common import object_or_404, workspace_context, workspace_or_404, workspace_paths

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_LENGTH = 200


def _campaign_or_404(request, slug, pk):
    queryset = PolicyFeedback.objects.select_related("created_by", "policy_document", "opinion")
    return object_or_404(queryset, request.user, slug, pk, can_see=permissions.can_see_campaign)


def _managed_campaign_or_404(request, slug, pk):
    campaign = _campaign_or_404(request, slug, pk)
    if not permissions.can_manage_feedback(request.user, campaign.workspace):
        raise Http404
    return campaign


def _to_campaign(campaign):
    return redirect("councils:campaign", slug=campaign.council.slug, pk=campaign.pk)


# List and create --------------------------------------------------------------------------------------------


@login_required
def campaign_list(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    is_manager = permissions.can_manage_feedback(request.user, workspace)
    is_member = permissions.is_workspace_member(request.user, workspace)
    campaigns = (
        PolicyFeedback.objects.filter(**Workspace.of(workspace).filter())
        .select_related("council")
        .order_by("-created_at", "-pk")
    )
    if is_manager:
        campaigns = campaigns.annotate(response_count=Count("responses"))
    else:
        campaigns = campaigns.exclude(state=CampaignState.DRAFT)
    answered = FeedbackResponse.objects.filter(campaign=OuterRef("pk"), respondent=request.user)
    campaigns = campaigns.annotate(answered=Exists(answered))
    context = workspace_context(
        workspace,
        campaigns=list(campaigns[:LIST_LENGTH]),
        is_manager=is_manager,
        is_member=is_member,
        page_title=_("Policy feedback"),
    )
    return render(request, "councils/workspace/feedback/list.html", context)


def _campaign_arguments(form, formset):
    data = form.cleaned_data
    return {
        "title": data["title"],
        "policy_name": data["policy_name"],
        "issuing_department": data["issuing_department"],
        "policy_summary": data["policy_summary"],
        "policy_link": data["policy_link"],
        "policy_document": data["policy_document"],
        "closes_on": data["closes_on"],
        "questions": questions_of(formset),
    }


def _save_campaign(request, form, formset, action, success, **target):
    """Create or change a campaign from the posted form and questions; a refusal lands on them (see _add_errors).
    Returns the service's result, or REFUSED when nothing was posted, either is invalid or the service refused."""
    if request.method != "POST" or not (form.is_valid() and formset.is_valid()):
        return REFUSED
    return call_service(
        request,
        action,
        on_error=lambda error: _add_errors(form, formset, error),
        success=success,
        **target,
        **_campaign_arguments(form, formset),
    )


def _add_errors(form, formset, error):
    """A service error on the form; the questions' error (on the formset's field) above the questions."""
    if hasattr(error, "error_dict") and "questions" in error.error_dict:
        formset.service_errors = [message for item in error.error_dict["questions"] for message in item.messages]
        error = ValidationError({key: value for key, value in error.error_dict.items() if key != "questions"})
        if not error.error_dict:
            return
    add_service_errors(form, error)


@login_required
def campaign_create(request, slug, committee_pk=None):
    workspace = workspace_or_404(request.user, slug, committee_pk)
    if not permissions.can_manage_feedback(request.user, workspace):
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, workspace=workspace)
    formset = question_formset(data)
    success = _("The campaign is saved as a draft. Open it when it is ready.")
    campaign = _save_campaign(request, form, formset, services.create_campaign, success, workspace=workspace)
    if campaign is not REFUSED:
        return _to_campaign(campaign)
    context = workspace_context(
        workspace, form=form, formset=formset, campaign=None, page_title=_("New policy feedback campaign")
    )
    return render(request, "councils/workspace/feedback/form.html", context)


@login_required
def campaign_edit(request, slug, pk):
    campaign = _managed_campaign_or_404(request, slug, pk)
    if campaign.state != CampaignState.DRAFT:
        messages.error(request, _("Only a draft campaign can be changed."))
        return _to_campaign(campaign)
    workspace = campaign.workspace
    if request.method == "POST":
        form = CampaignForm(request.POST, workspace=workspace)
        formset = question_formset(request.POST)
    else:
        initial = {
            name: getattr(campaign, name)
            for name in ("title", "policy_name", "issuing_department", "policy_summary", "policy_link", "closes_on")
        }
        initial["policy_document"] = campaign.policy_document_id
        form = CampaignForm(initial=initial, workspace=workspace)
        formset = question_formset(campaign=campaign)
    success = _("The campaign is saved.")
    if _save_campaign(request, form, formset, services.update_campaign, success, campaign=campaign) is not REFUSED:
        return _to_campaign(campaign)
    context = workspace_context(
        workspace, form=form, formset=formset, campaign=campaign, page_title=_("Change the campaign")
    )
    return render(request, "councils/workspace/feedback/form.html", context)


# One campaign -----------------------------------------------------------------------------------------------


def _rating_chart(summary):
    """How many answers gave each rating of the policy's effect, as bars; the numbers table stays beside it."""
    return bar_chart(
        [Bar(str(rating), count) for rating, count, _share in summary.distribution_rows],
        title=_("Ratings of the policy's effect"),
        value_format=Format.COUNT,
        label_heading=_("Rating"),
        value_heading=_("Answers"),
    )


def _render_campaign(request, campaign, response_form=None, status=200):
    workspace = campaign.workspace
    user = request.user
    is_manager = permissions.can_manage_feedback(user, workspace)
    is_member = permissions.is_workspace_member(user, workspace)
    questions = list(campaign.questions.all())
    own = services.own_response(campaign, user) if is_member else None
    can_answer = permissions.can_answer_feedback(user, campaign)
    if response_form is None and can_answer:
        response_form = ResponseForm(initial=ResponseForm.initial_for(own), questions=questions)
    own_answers = []
    if own is not None:
        by_question = {answer.question_id: answer for answer in own.answers.all()}
        own_answers = [(question, by_question.get(question.pk)) for question in questions]
    summary = issuer = None
    can_draft_opinion = False
    if is_manager:
        # Figures, all answers and who has not answered: the secretariat's only, never a member's.
        summary = services.read_answers(actor=user, campaign=campaign)
        if campaign.state != CampaignState.DRAFT and not campaign.opinion_id:
            issuer = issuer_for(workspace)
            can_draft_opinion = bool(issuer and opinion_permissions.can_create(user, issuer))
    context = workspace_context(
        workspace,
        campaign=campaign,
        questions=questions,
        is_manager=is_manager,
        is_member=is_member,
        can_answer=can_answer,
        response_form=response_form,
        own=own,
        own_answers=own_answers,
        summary=summary,
        rating_chart=_rating_chart(summary) if summary else None,
        issuer=issuer,
        can_draft_opinion=can_draft_opinion,
        opinion_url=detail_url(campaign.opinion) if is_manager and campaign.opinion_id else "",
        page_title=campaign.title,
    )
    return render(request, "councils/workspace/feedback/campaign.html", context, status=status)


@login_required
def campaign_detail(request, slug, pk):
    return _render_campaign(request, _campaign_or_404(request, slug, pk))


def _answer(form):
    """The answer form's values under the service's names: the questions' in one ``answers`` mapping."""
    values = {name: form.cleaned_data[name] for name in ("effect_rating", "problems", "suggestions")}
    return {**values, "answers": form.answers()}


@login_required
@require_POST
def campaign_answer(request, slug, pk):
    campaign = _campaign_or_404(request, slug, pk)
    if not permissions.is_workspace_member(request.user, campaign.workspace):
        raise Http404
    form = ResponseForm(request.POST, questions=list(campaign.questions.all()))
    if not permissions.can_answer_feedback(request.user, campaign):
        messages.error(request, _("This campaign is closed: answers can no longer be given or changed."))
        return _to_campaign(campaign)
    success = _("Thank you. Your answer is saved; you can change it while the campaign is open.")
    answered = call_with_form(
        request, form, services.submit_response, values=_answer, success=success, campaign=campaign
    )
    if answered is not REFUSED:
        return _to_campaign(campaign)
    return _render_campaign(request, campaign, response_form=form)


def _state_change(request, slug, pk, action, success):
    campaign = _managed_campaign_or_404(request, slug, pk)
    call_service(request, action, success=success, campaign=campaign)
    return _to_campaign(campaign)


@login_required
@require_POST
def campaign_open(request, slug, pk):
    return _state_change(
        request, slug, pk, services.open_campaign, _("The campaign is open. The members have been told.")
    )


@login_required
@require_POST
def campaign_close(request, slug, pk):
    return _state_change(request, slug, pk, services.close_campaign, _("The campaign is closed."))


@login_required
@require_POST
def campaign_opinion(request, slug, pk):
    campaign = _managed_campaign_or_404(request, slug, pk)
    opinion = call_service(
        request,
        services.draft_feedback_opinion,
        success=_("The feedback opinion is drafted. Check and complete it before it goes for sign-off."),
        campaign=campaign,
    )
    if opinion is REFUSED:
        return _to_campaign(campaign)
    return redirect(reverse("opinions:detail", kwargs={"pk": opinion.pk}))


UNSAFE_FILE_CHARACTERS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def export_filename(campaign):
    """政策评议-<title>-<date>.xlsx (the prefix in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        prefix = _("Policy feedback")
    title = UNSAFE_FILE_CHARACTERS.sub("_", campaign.title).strip(" ._") or str(campaign.pk)
    return f"{prefix}-{title[:80]}-{timezone.localdate():%Y%m%d}.xlsx"


@login_required
@reverify_first  # personal data leaves the portal: a recent second factor for who uses one
def campaign_export(request, slug, pk):
    campaign = _managed_campaign_or_404(request, slug, pk)
    try:
        data = services.export_campaign(actor=request.user, campaign=campaign)
    except PermissionDenied:
        raise Http404 from None
    response = HttpResponse(data, content_type=XLSX)
    fallback = f"policy-feedback-{campaign.pk}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(export_filename(campaign), safe='')}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    *workspace_paths("feedback/", campaign_list, "feedback"),
    *workspace_paths("feedback/new/", campaign_create, "feedback_new"),
    path("<slug:slug>/feedback/<int:pk>/", campaign_detail, name="campaign"),
    path("<slug:slug>/feedback/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("<slug:slug>/feedback/<int:pk>/open/", campaign_open, name="campaign_open"),
    path("<slug:slug>/feedback/<int:pk>/close/", campaign_close, name="campaign_close"),
    path("<slug:slug>/feedback/<int:pk>/answer/", campaign_answer, name="campaign_answer"),
    path("<slug:slug>/feedback/<int:pk>/export/", campaign_export, name="campaign_export"),
    path("<slug:slug>/feedback/<int:pk>/opinion/", campaign_opinion, name="campaign_opinion"),
]
