"""Thin views over the poll services. Every view asks permissions.py; a poll the user may not see is a 404.

What a voter sees of their own ballot: in a named poll, their choice ("You voted: yes"); in a secret poll only
that the ballot has been cast — the choice is not shown back, not even right after casting, because nothing
stored links it to the voter and a screen or a shared computer should not reveal it either.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe
from wagtail.log_actions import log

from portal import subjects
from portal.calls import REFUSED, call_service

from . import permissions, services
from .forms import BallotForm
from .models import Base, Choice, ElectorateEntry, Majority, Poll
from .queries import electorate_counts, entries_with_status, named_choices, voted_entry_ids
from .tally import required_present

MAJORITY_EXPLANATIONS = {
    Majority.SIMPLE: lambda: _("Passes when the yes votes are more than half of the base."),
    Majority.TWO_THIRDS: lambda: _("Passes when the yes votes are at least two thirds of the base."),
    Majority.THREE_QUARTERS: lambda: _("Passes when the yes votes are at least three quarters of the base."),
    Majority.UNANIMOUS: lambda: _("Passes only when every vote counted in the base is a yes."),
}


@dataclass
class BallotBox:
    """One ballot the user casts (their own, or an absent member's by proxy) and its state on the page."""

    entry: ElectorateEntry | None
    on_behalf: bool = False
    voted: bool = False
    choice_label: str = ""
    form: BallotForm | None = None
    errors: list = field(default_factory=list)
    confirmation: str = ""
    closed_reason: str = ""

    @property
    def dom_id(self):
        return f"ballot-{self.entry.pk}" if self.entry else "ballot"


def _poll_or_404(request, poll_uuid):
    poll = Poll.objects.filter(uuid=poll_uuid).first()
    if poll is None or not permissions.can_view_poll(request.user, poll):
        raise Http404
    return poll


def _ballot_boxes(user, poll):
    """The ballots this user casts in this poll, while it is open."""
    if not poll.is_open:
        return []
    entries = permissions.castable_entries(user, poll)
    voted = voted_entry_ids(poll, entries)
    choices = named_choices(poll, entries)
    open_now = permissions.can_vote(user, poll)
    boxes = []
    for entry in entries:
        box = BallotBox(entry=entry, on_behalf=entry.user_id != user.pk, voted=entry.pk in voted)
        if box.voted and entry.pk in choices:
            box.choice_label = Choice(choices[entry.pk]).label
        if not box.voted:
            if open_now:
                box.form = BallotForm(initial={"entry": entry.pk}, auto_id=f"ballot-{entry.pk}-%s")
            else:
                box.closed_reason = _("The voting deadline has passed.")
        boxes.append(box)
    return boxes


def _own_status(user, poll):
    """A line for a member who does not cast their own ballot: absent, with or without a proxy."""
    own = next((entry for entry in permissions.related_entries(user, poll) if entry.user_id == user.pk), None)
    if own is None or own.present or not poll.is_open:
        return ""
    if own.proxy_holder_id is None:
        return _("You are recorded as absent and have no ballot in this vote.")
    voted = bool(voted_entry_ids(poll, [own]))
    holder = own.proxy_holder.display_name
    if not voted:
        return _("You are absent; %(holder)s holds your proxy and casts your ballot. Not cast yet.") % {
            "holder": holder
        }
    choice = named_choices(poll, [own]).get(own.pk)
    if choice:
        return _("You are absent; %(holder)s cast your ballot as your proxy: %(choice)s.") % {
            "holder": holder,
            "choice": Choice(choice).label,
        }
    return _("You are absent; %(holder)s has cast your ballot as your proxy.") % {"holder": holder}


def _rules(poll, electorate):
    quorum = poll.quorum
    if quorum == 0:
        quorum_text = _("No quorum is needed.")
    elif electorate is None:
        quorum_text = _("At least %(fraction)s of the electorate must take part.") % {"fraction": str(quorum)}
    else:
        quorum_text = _("At least %(fraction)s of the electorate must take part: %(required)s of %(electorate)s.") % {
            "fraction": str(quorum),
            "required": required_present(quorum, electorate),
            "electorate": electorate,
        }
    if poll.max_proxies_per_holder == 0:
        proxy_text = _("Proxies are not allowed.")
    else:
        proxy_text = ngettext(
            "An absent member may give a proxy to a member who is present; a member holds at most %(count)s proxy.",
            "An absent member may give a proxy to a member who is present; a member holds at most %(count)s proxies.",
            poll.max_proxies_per_holder,
        ) % {"count": poll.max_proxies_per_holder}
    rules = [
        (
            _("Majority"),
            _("%(majority)s of %(base)s. %(explanation)s")
            % {
                "majority": Majority(poll.majority).label,
                "base": Base(poll.base).label,
                "explanation": MAJORITY_EXPLANATIONS[Majority(poll.majority)](),
            },
        ),
        (_("Quorum"), quorum_text),
        (
            _("Ballot"),
            _("Secret: nobody, managers included, can see how anyone voted.")
            if poll.secret
            else _("Named: once the vote closes, everyone taking part sees who voted how."),
        ),
        (_("Proxies"), proxy_text),
    ]
    return rules


def _results(poll):
    result = poll.result()
    if result is None:
        return None
    rows = [
        (Choice.YES.label, result.yes, result.share(result.yes)),
        (Choice.NO.label, result.no, result.share(result.no)),
        (
            Choice.ABSTAIN.label,
            result.abstain,
            None if result.base_name == Base.YES_NO else result.share(result.abstain),
        ),
    ]
    if result.base_name in (Base.PRESENT, Base.ELECTORATE):
        silent = result.base - result.cast
        rows.append((_("Did not vote"), silent, result.share(silent)))
    return {"result": result, "rows": rows, "base_label": Base(poll.base).label}


def _detail_context(request, poll, *, boxes=None):
    user = request.user
    electorate = present = None
    if not poll.is_draft:
        electorate, present = electorate_counts(poll)
    context = {
        "poll": poll,
        "page_title": poll.title,
        "rules": _rules(poll, electorate),
        "boxes": _ballot_boxes(user, poll) if boxes is None else boxes,
        "own_status": _own_status(user, poll),
        "subject": poll.subject,
        "subject_url": subjects.link(poll.subject, user),
    }
    if permissions.can_see_turnout(user, poll) and poll.is_open:
        entries = list(entries_with_status(poll))
        context["turnout"] = {
            "voted": sum(1 for entry in entries if entry.has_voted),
            "electorate": electorate,
            "present": present,
        }
        if permissions.can_see_who_has_not_voted(user, poll):
            context["not_voted"] = [entry for entry in entries if not entry.has_voted and entry.represented]
            context["absent_without_proxy"] = [entry for entry in entries if not entry.represented]
    if permissions.can_see_results(user, poll):
        context["results"] = _results(poll)
    if permissions.can_see_named_votes(user, poll):
        context["named_votes"] = [
            (entry, Choice(entry.choice).label if entry.choice else "") for entry in entries_with_status(poll)
        ]
    return context


@login_required
@require_safe
def poll_detail(request, poll_uuid):
    poll = _poll_or_404(request, poll_uuid)
    context = _detail_context(request, poll)
    if context.get("named_votes") or context.get("not_voted") is not None:
        # Who voted how, or who has not voted yet: a read of named voting behaviour, kept in the audit log.
        log(
            instance=poll,
            action="voting.view_named",
            user=request.user,
            data={"named_votes": bool(context.get("named_votes")), "not_voted": context.get("not_voted") is not None},
        )
    return render(request, "voting/poll_detail.html", context)


def _posted_entry(request, poll):
    """The entry named in the form (None: the user's own); ``False`` if it names nothing the user casts."""
    raw = request.POST.get("entry", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        return False
    entry = ElectorateEntry.objects.filter(poll=poll, pk=int(raw)).select_related("user", "proxy_holder").first()
    if entry is None or not permissions.can_cast_for(request.user, entry):
        return False
    return entry


@login_required
@require_POST
def cast(request, poll_uuid):
    """Cast one ballot. Works as a normal form post (redirect) and as an htmx partial (the ballot box)."""
    poll = _poll_or_404(request, poll_uuid)
    form = BallotForm(request.POST)
    entry = _posted_entry(request, poll)
    errors, confirmation = [], ""
    if entry is False:
        errors = [_("You have no ballot to cast here.")]
        entry = None
    elif not form.is_valid():
        errors = form.errors.get("choice") or [_("Choose yes, no or abstain.")]
    else:
        choice = form.cleaned_data["choice"]
        try:
            cast = call_service(
                request,
                services.cast_ballot,
                on_error=lambda error: errors.extend(error.messages),
                poll=poll,
                choice=choice,
                entry=entry,
            )
        except Http404:  # the poll is visible, so say plainly that there is no ballot of theirs here
            errors = [_("You have no ballot to cast here.")]
        else:
            if cast is not REFUSED:
                confirmation = _confirmation(poll, entry, choice)

    if entry is None:  # the user's own ballot
        entry = next(
            (item for item in permissions.castable_entries(request.user, poll) if item.user_id == request.user.pk), None
        )
    boxes = _ballot_boxes(request.user, poll)
    box = next((item for item in boxes if entry is not None and item.entry.pk == entry.pk), None)
    if box is None:
        box = BallotBox(entry=entry)
    box.errors, box.confirmation = list(errors), confirmation
    if box.form is not None and errors:
        box.form = BallotForm(request.POST, auto_id=f"ballot-{box.entry.pk}-%s")
        box.form.is_valid()  # binds the posted values so the radio buttons keep them

    if request.htmx:
        # The ballot box, and the turnout swapped in out of band so it counts this ballot too.
        detail = _detail_context(request, poll)
        context = {
            "poll": poll,
            "box": box,
            **{key: detail.get(key) for key in ("turnout", "not_voted", "absent_without_proxy")},
        }
        return render(request, "voting/includes/ballot_response.html", context)
    if not errors:
        messages.success(request, confirmation)
        return redirect(poll)
    if not any(item is box for item in boxes):
        for error in errors:
            messages.error(request, error)
    return render(request, "voting/poll_detail.html", _detail_context(request, poll, boxes=boxes))


def _confirmation(poll, entry, choice):
    on_behalf = entry is not None and entry.proxy_holder_id is not None
    if poll.secret:
        if on_behalf:
            return _("The ballot of %(member)s has been cast.") % {"member": entry.user.display_name}
        return _("Your ballot has been cast.")
    if on_behalf:
        return _("The ballot of %(member)s has been cast: %(choice)s.") % {
            "member": entry.user.display_name,
            "choice": Choice(choice).label,
        }
    return _("Your ballot has been cast: %(choice)s.") % {"choice": Choice(choice).label}


@login_required
@require_POST
def close(request, poll_uuid):
    poll = _poll_or_404(request, poll_uuid)
    if not permissions.can_manage_poll(request.user, poll):
        raise Http404
    result = call_service(request, services.close_poll, poll=poll)
    if result is not REFUSED:
        messages.success(
            request, _("The vote is closed: passed.") if result.passed else _("The vote is closed: not passed.")
        )
    return redirect(poll)
