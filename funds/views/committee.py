"""The investment committee's pages: the fund's IC meetings, a meeting with its agenda (each deal's review summary,
recusals, the vote, the decision and its opinion), minutes. Thin views: who may is in funds/permissions.py, changes
in funds/services/committee.py. Managers and the IC's members see the meetings; everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from portal.calls import REFUSED, call_in_place, call_service, call_with_form, tell
from portal.opinions import permissions as opinion_permissions
from portal.voting import permissions as voting_permissions

from .. import permissions
from ..forms.committee import AgendaForm, DecisionOpinionForm, MeetingForm, MinutesForm, OpenVoteForm, RecusalForm
from ..models import AgendaItem, CommitteeMeeting, Deal, DealStage, Decision, MeetingState
from ..services import committee as services
from .common import fund_for

TAKES_AGENDA = services.TAKES_AGENDA
PAGE_SIZE = 30


# Finding things (404 when the user may not) ------------------------------------------------------------------


def _meeting(request, fund, pk, may=permissions.can_view_committee_meeting):
    meeting = get_object_or_404(
        CommitteeMeeting.objects.select_related("committee__fund", "committee__chair", "created_by"), pk=pk
    )
    if meeting.committee.fund.slug != fund or not may(request.user, meeting):
        raise Http404
    return meeting


def _run_meeting(request, fund, pk):
    return _meeting(request, fund, pk, may=permissions.can_run_committee_meeting)


def _item(request, fund, pk, may=permissions.can_view_committee_meeting):
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__committee__fund", "deal__company__organization"), pk=pk
    )
    if item.meeting.committee.fund.slug != fund or not may(request.user, item.meeting):
        raise Http404
    return item


def _to_meeting(meeting, anchor=""):
    return redirect(meeting.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _members(committee):
    User = get_user_model()
    return (
        User.objects.filter(Q(investment_committees=committee) | Q(chaired_investment_committees=committee))
        .filter(is_active=True)
        .distinct()
        .order_by("real_name", "username")
    )


DECISION_TONES = {Decision.APPROVED: "good", Decision.DECLINED: "bad"}
# "Pending" alone reads as a pending sign-off in Chinese; an undecided item waits for the committee's decision.
UNDECIDED = pgettext_lazy("investment decision", "Pending")


def mark_links(item, user):
    """What the item links to for this user (only what they may open) and its decision's colour."""
    poll, opinion = item.poll, item.opinion
    item.poll_url = poll.get_absolute_url() if poll and voting_permissions.can_view_poll(user, poll) else ""
    item.opinion_url = opinion.get_absolute_url() if opinion and opinion_permissions.can_view(user, opinion) else ""
    item.decision_tone = DECISION_TONES.get(item.decision, "")
    item.decision_label = item.get_decision_display() if item.decision_tone else UNDECIDED
    return item


def _context(fund, **values):
    return {"fund": fund, **values}


# Meetings ---------------------------------------------------------------------------------------------------


@login_required
def committee(request, fund):
    fund = fund_for(request, fund, permissions.can_see_fund)
    meetings = services.meetings_of(fund)
    upcoming = list(meetings.filter(state__in=TAKES_AGENDA).order_by("starts_at", "pk"))
    # The past grows by a meeting or two a month for the fund's whole life: it is paged, newest first.
    past = meetings.exclude(state__in=TAKES_AGENDA).order_by("-starts_at", "-pk")
    page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
    ic = getattr(fund, "committee", None)
    context = _context(
        fund,
        committee=ic,
        members=list(_members(ic)) if ic else [],
        upcoming=upcoming,
        past=page.object_list,
        page_obj=page,
        can_convene=bool(ic and permissions.can_convene_committee(request.user, fund)),
        may_see_pipeline=permissions.can_view_pipeline(request.user, fund),
        page_title=_("Investment committee"),
    )
    return render(request, "funds/committee/list.html", context)


@login_required
def meeting_new(request, fund):
    fund = fund_for(request, fund, permissions.can_convene_committee)
    form = MeetingForm(request.POST or None)
    success = _("The meeting is convened and the committee's members are told.")
    meeting = call_with_form(request, form, services.convene_meeting, success=success, fund=fund)
    if meeting is not REFUSED:
        return _to_meeting(meeting)
    context = _context(fund, form=form, may_see_pipeline=True, page_title=_("Convene an IC meeting"))
    return render(request, "funds/committee/form.html", context)


def _agenda(request, meeting):
    """The agenda items, each with its review summary and what this user may do with it now."""
    user = request.user
    items = list(
        meeting.items.select_related("deal__company__organization", "deal__fund", "poll", "opinion")
        .prefetch_related("recused")
        .order_by("order", "pk")
    )
    members = _members(meeting.committee)
    open_agenda = meeting.state in TAKES_AGENDA
    runs = permissions.can_run_committee_meeting(user, meeting)
    for item in items:
        item.meeting = meeting
        item.summary = services.review_summary(item.deal)
        recused = {member.pk for member in item.recused.all()}
        item.is_recused = user.pk in recused
        before_vote = open_agenda and item.poll_id is None
        item.may_declare = bool(
            before_vote and not item.is_recused and permissions.can_declare_own_conflict(user, item)
        )
        item.may_record = before_vote and permissions.can_record_conflict(user, item)
        if item.may_record:
            item.recusal_form = RecusalForm(members=members.exclude(pk__in=recused), auto_id=f"recuse-{item.pk}-%s")
        item.may_remove = bool(runs and open_agenda and item.poll_id is None)
        item.may_open_vote = bool(
            runs
            and meeting.state == MeetingState.IN_PROGRESS
            and item.poll_id is None
            and item.deal.stage == DealStage.COMMITTEE
        )
        if item.may_open_vote:
            item.vote_form = OpenVoteForm(members=members, auto_id=f"vote-{item.pk}-%s")
        item.may_decide = bool(runs and item.poll_id and item.decision == Decision.PENDING)
        item.may_draft = permissions.can_draft_decision_opinion(user, item)
        mark_links(item, user)
        item.may_vote = bool(item.poll and voting_permissions.can_vote(user, item.poll))
        item.deal_url = item.deal.get_absolute_url() if permissions.can_view_deal(user, item.deal) else ""
    return items


@login_required
def meeting_detail(request, fund, pk):
    meeting = _meeting(request, fund, pk)
    user = request.user
    runs = permissions.can_run_committee_meeting(user, meeting)
    fund = meeting.committee.fund
    context = _context(
        fund,
        meeting=meeting,
        committee=meeting.committee,
        members=list(_members(meeting.committee)),
        items=_agenda(request, meeting),
        can_run=runs,
        may_see_pipeline=permissions.can_view_pipeline(user, fund),
        page_title=meeting.title,
    )
    if runs and meeting.state in TAKES_AGENDA:
        on_agenda = meeting.items.values("deal")
        deals = (
            Deal.objects.filter(fund=fund, stage=DealStage.COMMITTEE)
            .exclude(pk__in=on_agenda)
            .select_related("company__organization")
            .order_by("company__organization__name", "pk")
        )
        context["agenda_form"] = AgendaForm(deals=deals)
    if runs and meeting.state in (MeetingState.IN_PROGRESS, MeetingState.CLOSED):
        context["minutes_form"] = MinutesForm(initial={"minutes": meeting.minutes})
    return render(request, "funds/committee/meeting.html", context)


def _transition(service, success):
    @login_required
    @require_POST
    def view(request, fund, pk):
        meeting = _run_meeting(request, fund, pk)
        done = call_service(request, service, success=success, meeting=meeting)
        return _to_meeting(meeting if done is REFUSED else done)

    view.__name__ = service.__name__
    return view


meeting_open = _transition(services.open_meeting, gettext_lazy("The meeting is open."))
meeting_close = _transition(services.close_meeting, gettext_lazy("The meeting is closed."))
meeting_cancel = _transition(services.cancel_meeting, gettext_lazy("The meeting is cancelled."))


@login_required
@require_POST
def minutes(request, fund, pk):
    meeting = _run_meeting(request, fund, pk)
    saved, errors = call_in_place(request, MinutesForm(request.POST), services.save_minutes, meeting=meeting)
    tell(request, errors, "" if saved is REFUSED else _("The minutes are saved."))
    return _to_meeting(meeting, "minutes")


# The agenda, recusals, the vote and the decision ----------------------------------------------------------------


@login_required
@require_POST
def agenda_add(request, fund, pk):
    meeting = _run_meeting(request, fund, pk)
    deals = Deal.objects.filter(fund=meeting.committee.fund)
    added, errors = call_in_place(
        request, AgendaForm(request.POST, deals=deals), services.add_to_agenda, meeting=meeting
    )
    tell(request, errors, "" if added is REFUSED else _("The deal is on the agenda."))
    return _to_meeting(meeting, "agenda")


def _item_action(service, success, may=permissions.can_view_committee_meeting):
    @login_required
    @require_POST
    def view(request, fund, pk):
        item = _item(request, fund, pk, may)
        call_service(request, service, success=success, item=item)
        return _to_meeting(item.meeting, f"item-{item.pk}")

    view.__name__ = service.__name__
    return view


agenda_remove = _item_action(
    services.remove_from_agenda, gettext_lazy("The deal is off the agenda."), permissions.can_run_committee_meeting
)
declare_conflict = _item_action(
    services.recuse, gettext_lazy("Your recusal is recorded: you do not vote on this deal.")
)
decide = _item_action(services.decide, gettext_lazy("The decision is recorded."), permissions.can_run_committee_meeting)


def _item_form(form_class, service, success):
    """A manager's POST about an agenda item whose form picks among the committee's members (recusal, absentees)."""

    @login_required
    @require_POST
    def view(request, fund, pk):
        item = _item(request, fund, pk, permissions.can_run_committee_meeting)
        form = form_class(request.POST, members=_members(item.meeting.committee))
        done, errors = call_in_place(request, form, service, item=item)
        tell(request, errors, "" if done is REFUSED else success)
        return _to_meeting(item.meeting, f"item-{item.pk}")

    view.__name__ = service.__name__
    return view


record_recusal = _item_form(RecusalForm, services.recuse, gettext_lazy("The recusal is recorded."))
open_vote = _item_form(OpenVoteForm, services.open_vote, gettext_lazy("The vote is open."))


@login_required
def decision_opinion(request, fund, pk):
    """Draft the investment decision opinion of a decided item; the engine's opinion page takes it on."""
    item = _item(request, fund, pk, permissions.can_run_committee_meeting)
    if request.method != "POST" and not permissions.can_draft_decision_opinion(request.user, item):
        messages.error(request, _("No decision of this item waits for its opinion."))
        return _to_meeting(item.meeting, f"item-{item.pk}")
    form = DecisionOpinionForm(request.POST or None)
    success = _("The opinion is drafted. Check it, then send it to the chair for sign-off.")
    opinion = call_with_form(request, form, services.draft_decision_opinion, success=success, item=item)
    if opinion is not REFUSED:
        return redirect(opinion)
    meeting = item.meeting
    context = _context(
        meeting.committee.fund,
        meeting=meeting,
        item=mark_links(item, request.user),
        form=form,
        may_see_pipeline=True,
        page_title=_("Draft the investment decision opinion"),
    )
    return render(request, "funds/committee/opinion_form.html", context)


urlpatterns = [
    path("<slug:fund>/committee/", committee, name="committee"),
    path("<slug:fund>/committee/new/", meeting_new, name="committee_meeting_new"),
    path("<slug:fund>/committee/<int:pk>/", meeting_detail, name="committee_meeting"),
    path("<slug:fund>/committee/<int:pk>/open/", meeting_open, name="committee_meeting_open"),
    path("<slug:fund>/committee/<int:pk>/close/", meeting_close, name="committee_meeting_close"),
    path("<slug:fund>/committee/<int:pk>/cancel/", meeting_cancel, name="committee_meeting_cancel"),
    path("<slug:fund>/committee/<int:pk>/minutes/", minutes, name="committee_minutes"),
    path("<slug:fund>/committee/<int:pk>/agenda/", agenda_add, name="committee_agenda_add"),
    path("<slug:fund>/committee/items/<int:pk>/remove/", agenda_remove, name="committee_agenda_remove"),
    path("<slug:fund>/committee/items/<int:pk>/conflict/", declare_conflict, name="committee_declare_conflict"),
    path("<slug:fund>/committee/items/<int:pk>/recusal/", record_recusal, name="committee_record_recusal"),
    path("<slug:fund>/committee/items/<int:pk>/vote/", open_vote, name="committee_open_vote"),
    path("<slug:fund>/committee/items/<int:pk>/decide/", decide, name="committee_decide"),
    path("<slug:fund>/committee/items/<int:pk>/opinion/", decision_opinion, name="committee_opinion"),
]
