"""The deal page, moving a deal with a note, and changing its fields. The deal room, review rounds, IC items and
portfolio records render in blocks other parts fill (funds/templates/funds/deals/_room.html and the others)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from portal import lifecycle
from portal.calls import REFUSED, call_in_place, call_with_form, tell
from portal.edits import fingerprint

from .. import permissions
from ..forms.deals import DealEditForm, MoveForm
from ..models import MOVING_STAGES, PIPELINE, Deal, DealStage
from ..services import deals as services
from .common import deal_for

STAGE = Deal._meta.get_field("stage")


# The steps a person may take from where a deal is ----------------------------------------------------------------


def _transition(name, stage):
    """The declared transition ``name`` from ``stage`` (None when it does not start there)."""
    return getattr(Deal, name)._django_fsm.get_transition(stage)


def _may_take(transition, deal, user) -> bool:
    return transition.permission is None or bool(transition.permission(deal, user))


def _steps_from(deal, user):
    """(transition, name) for every offered transition from the deal's stage that ``user`` may take, in the order
    they are declared — whatever the guards say (asking them costs queries; the page lists them separately)."""
    steps = []
    for name in DECLARED_ORDER:
        transition = _transition(name, deal.stage)
        if transition is not None and transition.custom.get("label") and _may_take(transition, deal, user):
            steps.append(transition)
    return steps


# The transitions in the order the model declares them: the lifecycle's own order, forward steps first.
DECLARED_ORDER = [name for name, attribute in vars(Deal).items() if hasattr(attribute, "_django_fsm")]


def board_moves(deal, user):
    """The buttons a board card offers: the steps ``user`` may take from the deal's stage. Guards are left to the
    service, which says what is missing, so a card costs no query."""
    return [lifecycle.Action(deal, transition) for transition in _steps_from(deal, user)]


def deal_steps(deal, user):
    """The deal page's steps: each with its button, or with what is missing (the guards' messages) instead."""
    return [
        {"action": lifecycle.Action(deal, transition), "missing": lifecycle.blockers(deal, transition.name)}
        for transition in _steps_from(deal, user)
    ]


def stage_path(deal, changes):
    """The board's stages in order, each marked reached / present, from the deal's history."""
    reached = {change.to_stage for change in changes} | {change.from_stage for change in changes}
    return [
        {"label": DealStage(stage).label, "present": stage == deal.stage, "reached": stage in reached}
        for stage in PIPELINE
    ]


# Pages ----------------------------------------------------------------------------------------------------------


@login_required
def deal_detail(request, fund, pk):
    deal = deal_for(request, fund, pk, permissions.can_view_deal)
    user = request.user
    changes = list(deal.stage_changes.select_related("actor").order_by("-at", "-pk"))
    company = deal.company
    context = {
        "deal": deal,
        "fund": deal.fund,
        "company": company,
        "milestones": list(company.milestones.all()[:8]),
        "changes": changes,
        "path": stage_path(deal, changes),
        "days": deal.days_in_stage(),
        # A holding stays in the portfolio for years: only a stage a deal should move on from gets stuck.
        "stuck": deal.days_in_stage() > deal.fund.stuck_after_days and deal.stage in MOVING_STAGES,
        "steps": deal_steps(deal, user),
        "move_form": MoveForm(),
        "can_edit": permissions.can_edit_deal(user, deal) and not deal.is_ended,
        "manages": permissions.manages_fund(user, deal.fund),
        "application": deal.application if permissions.can_open_deal_application(user, deal) else None,
        "page_title": str(deal),
        "now": timezone.now(),
    }
    return render(request, "funds/deals/detail.html", context)


def _back(request, deal):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return deal.get_absolute_url()


@login_required
def deal_move(request, fund, pk, transition):
    """Take one step with its note: GET shows the note form, POST moves the deal (a refusal shows why)."""
    if transition not in services.TRANSITIONS:
        raise Http404
    deal = deal_for(request, fund, pk, permissions.can_withdraw_deal)
    declared = lifecycle.declared(Deal, transition)
    if not _may_take(declared, deal, request.user):
        raise Http404
    form = MoveForm(request.POST or None, initial={"expected_stage": deal.stage, "next": _back(request, deal)})
    if request.method == "POST":
        moved, errors = call_in_place(
            request,
            form,
            services.move_deal,
            values=lambda f: {"note": f.cleaned_data["note"], "expected_stage": f.cleaned_data["expected_stage"]},
            deal=deal,
            transition=transition,
        )
        if moved is not REFUSED:
            tell(request, [], _("The deal is now in the stage “%(stage)s”.") % {"stage": moved.get_stage_display()})
            return redirect(_back(request, deal))
        deal.refresh_from_db()
    else:
        errors = []
    step = _transition(transition, deal.stage)
    context = {
        "deal": deal,
        "fund": deal.fund,
        "form": form,
        "errors": errors,
        "label": declared.custom.get("label", ""),
        "takes_place": step is not None,
        "missing": lifecycle.blockers(deal, transition) if step is not None else [],
        "back_url": _back(request, deal),
        "manages": permissions.manages_fund(request.user, deal.fund),
        "page_title": str(deal),
    }
    return render(request, "funds/deals/move.html", context)


@login_required
def deal_edit(request, fund, pk):
    deal = deal_for(request, fund, pk, permissions.can_edit_deal)
    initial = {
        "round": deal.round,
        "amount_requested": deal.amount_requested,
        "pre_money": deal.pre_money if deal.pre_money is not None else "",
        "owner": deal.owner_id,
        "summary": deal.summary,
        "loaded": fingerprint(deal, services.EDITABLE),
    }
    form = DealEditForm(request.POST or None, initial=initial, fund=deal.fund)
    changed = call_with_form(request, form, services.update_deal, success=_("The deal is changed."), deal=deal)
    if changed is not REFUSED:
        return redirect(changed.get_absolute_url())
    context = {"deal": deal, "fund": deal.fund, "form": form, "page_title": _("Change the deal")}
    return render(request, "funds/deals/edit.html", context)


urlpatterns = [
    path("<slug:fund>/deals/<int:pk>/", deal_detail, name="deal"),
    path("<slug:fund>/deals/<int:pk>/edit/", deal_edit, name="deal_edit"),
    path("<slug:fund>/deals/<int:pk>/move/<str:transition>/", deal_move, name="deal_move"),
]
