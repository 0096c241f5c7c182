"""Services: the investment committee (投决会). A fund's managers convene meetings of its IC, put deals that are in
the committee stage on the agenda with their review summary, open and close the meeting, and put each deal to a
poll of the voting engine (owner: the fund's InvestmentCommittee; subject: the deal; the committee's rules). Members
with a conflict recuse themselves before the vote. Closing the vote records the decision on the agenda item and moves
the deal (passed → signing, else rejected). A manager then drafts the investment decision opinion (投资决策意见) from a
template; the opinions engine takes it through the chair's sign-off, numbering, the signed PDF and verification.
"""

from fractions import Fraction

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import lifecycle
from portal.history.record import Line, Tell, record
from portal.opinions import services as opinion_services
from portal.opinions.models import Issuer, OpinionKind
from portal.opinions.services import detail_url
from portal.reviews.scoring import AggregationMethod
from portal.reviews.services.results import round_result
from portal.text import clean_text, fmt, max_length
from portal.voting import services as voting
from portal.voting.models import Base, Majority, Poll, PollState

from .. import permissions
from ..models import AgendaItem, CommitteeMeeting, Deal, DealStage, Decision, InvestmentCommittee, MeetingState
from ..verbs import FundVerb

# Audit-log actions of this module: {action: (label, message)}; registered in wagtail_hooks.
ACTIONS = {
    "funds.convene_meeting": (_("Convene IC meeting"), _("IC meeting convened")),
    "funds.open_meeting": (_("Open IC meeting"), _("IC meeting opened")),
    "funds.close_meeting": (_("Close IC meeting"), _("IC meeting closed")),
    "funds.cancel_meeting": (_("Cancel IC meeting"), _("IC meeting cancelled")),
    "funds.save_meeting_minutes": (_("Save IC minutes"), _("IC minutes saved")),
    "funds.add_to_agenda": (_("Put deal on IC agenda"), _("Deal put on IC agenda")),
    "funds.remove_from_agenda": (_("Take deal off IC agenda"), _("Deal taken off IC agenda")),
    "funds.recuse": (_("Record IC recusal"), _("IC recusal recorded")),
    "funds.open_vote": (_("Open IC vote"), _("IC vote opened")),
    "funds.record_decision": (_("Record IC decision"), _("IC decision recorded")),
    "funds.set_up_committee_issuer": (_("Set up IC opinion issuer"), _("IC opinion issuer set up")),
    "funds.draft_decision_opinion": (_("Draft investment decision opinion"), _("Investment decision opinion drafted")),
}

DEFAULT_PREFIX = "坪生医基投决"
TAKES_AGENDA = (MeetingState.SCHEDULED, MeetingState.IN_PROGRESS)


def _lock_meeting(meeting):
    return CommitteeMeeting.objects.select_for_update(of=("self",)).select_related("committee__fund").get(pk=meeting.pk)


def _lock_item(item):
    """Lock the agenda item and its meeting (the meeting first, as every service here does), and reload both."""
    meeting = _lock_meeting(item.meeting)
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("deal__company__organization", "poll")
        .get(pk=item.pk)
    )
    item.meeting = meeting
    return item


def _members(committee):
    """The committee's voting members, chair included, in a stable order."""
    people = {user.pk: user for user in committee.members.filter(is_active=True).order_by("pk")}
    if committee.chair_id and committee.chair.is_active:
        people.setdefault(committee.chair_id, committee.chair)
    return list(people.values())


def _others(people, actor):
    return [user for user in people if user.pk != actor.pk]


def _everyone(committee, actor):
    """Members and managers of the fund, but not the actor: whom a meeting's news concerns."""
    people = {user.pk: user for user in _members(committee)}
    for user in committee.fund.managers.filter(is_active=True):
        people.setdefault(user.pk, user)
    return _others(people.values(), actor)


def _line(meeting, verb, summary, url=None):
    return Line(meeting.committee.fund, verb, summary, url or meeting.get_absolute_url())


# --- meetings ----------------------------------------------------------------------------------------------------


@transaction.atomic
def convene_meeting(*, actor, fund, title, starts_at, location=""):
    """A scheduled meeting of the fund's investment committee; its members are told."""
    if not permissions.can_convene_committee(actor, fund):
        raise PermissionDenied
    committee = InvestmentCommittee.objects.filter(fund=fund).first()
    errors = {}
    if committee is None:
        errors["title"] = _("This fund has no investment committee yet; staff set it up in the admin.")
    try:
        text = clean_text(
            CommitteeMeeting,
            {"title": title, "location": location},
            required={"title": _("Give the meeting a title.")},
        )
    except ValidationError as error:
        errors.update(error.error_dict)
    if starts_at is None:
        errors["starts_at"] = _("Give the date and time the meeting starts.")
    if errors:
        raise ValidationError(errors)
    meeting = CommitteeMeeting.objects.create(
        committee=committee,
        title=text["title"],
        location=text["location"],
        starts_at=starts_at,
        created_by=actor,
    )
    meeting.committee = committee
    url = meeting.get_absolute_url()
    record(
        "funds.convene_meeting",
        actor=actor,
        instance=meeting,
        data={"title": meeting.title, "starts_at": starts_at.isoformat()},
        line=_line(meeting, FundVerb.CONVENED_MEETING, meeting.title, url),
        tell=Tell(
            _everyone(committee, actor),
            title=fmt(_("Investment committee meeting: %(title)s"), title=meeting.title),
            body=fmt(
                _("Starts %(when)s at %(place)s."),
                when=timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
                place=meeting.location or "—",
            ),
            url=url,
        ),
    )
    return meeting


def _take(actor, meeting, name, action, verb, title):
    """Take the meeting transition ``name``, then audit it, write the fund's line and tell the committee."""
    lifecycle.take(meeting, name, actor)
    meeting.save()
    record(
        action,
        actor=actor,
        instance=meeting,
        data={"title": meeting.title},
        line=_line(meeting, verb, meeting.title),
        tell=Tell(
            _everyone(meeting.committee, actor),
            title=fmt(title, title=meeting.title),
            url=meeting.get_absolute_url(),
        ),
    )
    return meeting


@transaction.atomic
def open_meeting(*, actor, meeting):
    meeting = _lock_meeting(meeting)
    return _take(
        actor, meeting, "open", "funds.open_meeting", FundVerb.OPENED_MEETING, _("The IC meeting has opened: %(title)s")
    )


@transaction.atomic
def close_meeting(*, actor, meeting):
    """Close the meeting; refused while one of its votes is still open (close it and record the decision first)."""
    meeting = _lock_meeting(meeting)
    if not permissions.can_run_committee_meeting(actor, meeting):
        raise PermissionDenied
    if meeting.items.filter(poll__state=PollState.OPEN).exists():
        raise ValidationError(
            _("A vote of this meeting is still open: close it and record the decision first."), code="open_vote"
        )
    return _take(
        actor,
        meeting,
        "close",
        "funds.close_meeting",
        FundVerb.CLOSED_MEETING,
        _("The IC meeting has closed: %(title)s"),
    )


@transaction.atomic
def cancel_meeting(*, actor, meeting):
    """Cancel a meeting that has not opened; its deals stay in the committee stage for another meeting."""
    meeting = _lock_meeting(meeting)
    return _take(
        actor,
        meeting,
        "cancel",
        "funds.cancel_meeting",
        FundVerb.CANCELLED_MEETING,
        _("The IC meeting is cancelled: %(title)s"),
    )


@transaction.atomic
def save_minutes(*, actor, meeting, minutes):
    """The minutes text of a meeting that has opened."""
    meeting = _lock_meeting(meeting)
    if not permissions.can_run_committee_meeting(actor, meeting):
        raise PermissionDenied
    if meeting.state not in (MeetingState.IN_PROGRESS, MeetingState.CLOSED):
        raise ValidationError(
            {"minutes": ValidationError(_("Minutes are written once the meeting has opened."), code="state")}
        )
    meeting.minutes = clean_text(CommitteeMeeting, {"minutes": minutes})["minutes"]
    meeting.save(update_fields=["minutes"])
    record("funds.save_meeting_minutes", actor=actor, instance=meeting, data={"length": len(meeting.minutes)})
    return meeting


# --- the agenda --------------------------------------------------------------------------------------------------


def _agenda_open(meeting):
    if meeting.state not in TAKES_AGENDA:
        raise lifecycle.refused(meeting)


@transaction.atomic
def add_to_agenda(*, actor, meeting, deal):
    """Put a deal of the fund that is in the investment committee stage on the meeting's agenda, last."""
    meeting = _lock_meeting(meeting)
    if not permissions.can_run_committee_meeting(actor, meeting):
        raise PermissionDenied
    _agenda_open(meeting)
    if deal is None:
        raise ValidationError({"deal": ValidationError(_("Choose a deal."), code="required")})
    deal = Deal.objects.select_for_update(of=("self",)).select_related("company__organization").get(pk=deal.pk)
    if deal.fund_id != meeting.committee.fund_id:
        raise ValidationError({"deal": ValidationError(_("The deal belongs to another fund."), code="fund")})
    if deal.stage != DealStage.COMMITTEE:
        raise ValidationError(
            {
                "deal": ValidationError(
                    fmt(
                        _("Only a deal in the investment committee stage goes on the agenda; this one is %(stage)s."),
                        stage=lifecycle.state_label(deal),
                    ),
                    code="stage",
                )
            }
        )
    if meeting.items.filter(deal=deal).exists():
        raise ValidationError({"deal": ValidationError(_("The deal is already on this agenda."), code="twice")})
    order = (meeting.items.aggregate(last=Max("order"))["last"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, deal=deal, order=order)
    record(
        "funds.add_to_agenda",
        actor=actor,
        instance=meeting,
        data={"deal": deal.pk, "item": item.pk, "order": order},
        line=Line(meeting.committee.fund, FundVerb.PUT_ON_AGENDA, str(deal), meeting.get_absolute_url(), subject=deal),
        tell=Tell(
            _others(_members(meeting.committee), actor),
            title=fmt(_("On the agenda of %(meeting)s: %(deal)s"), meeting=meeting.title, deal=str(deal)),
            body=_("Declare a conflict of interest on the meeting page before the vote if you have one."),
            url=meeting.get_absolute_url(),
        ),
    )
    return item


@transaction.atomic
def remove_from_agenda(*, actor, item):
    """Take a deal off the agenda before its vote opens."""
    item = _lock_item(item)
    if not permissions.can_run_committee_meeting(actor, item.meeting):
        raise PermissionDenied
    _agenda_open(item.meeting)
    if item.poll_id is not None:
        raise ValidationError(_("The vote on this deal has opened; it stays on the agenda."), code="voting")
    deal = item.deal
    item.delete()
    record("funds.remove_from_agenda", actor=actor, instance=item.meeting, data={"deal": deal.pk})
    return item.meeting


@transaction.atomic
def recuse(*, actor, item, member=None):
    """Record that ``member`` (default: the actor) has a conflict of interest in the item's deal: they get no vote on
    it. A member declares their own; a manager records anyone's. Only before the item's vote opens."""
    item = _lock_item(item)
    member = member or actor
    if member.pk == actor.pk:
        allowed = permissions.can_declare_own_conflict(actor, item) or permissions.can_record_conflict(actor, item)
    else:
        allowed = permissions.can_record_conflict(actor, item)
    if not allowed:
        raise PermissionDenied
    _agenda_open(item.meeting)
    if item.poll_id is not None:
        raise ValidationError(_("The vote on this deal has opened; recusals are recorded before it."), code="voting")
    if member.pk not in {user.pk for user in _members(item.meeting.committee)}:
        raise ValidationError(
            {"member": ValidationError(_("Only a member of the committee can recuse themselves."), code="member")}
        )
    if item.recused.filter(pk=member.pk).exists():
        raise ValidationError({"member": ValidationError(_("This recusal is already recorded."), code="twice")})
    item.recused.add(member)
    record(
        "funds.recuse",
        actor=actor,
        instance=item.meeting,
        data={"item": item.pk, "deal": item.deal_id, "member": member.pk, "own": member.pk == actor.pk},
        tell=Tell(
            _others([member, *item.meeting.committee.fund.managers.filter(is_active=True)], actor),
            title=fmt(_("Recusal recorded: %(deal)s"), deal=str(item.deal)),
            body=fmt(_("%(name)s has no vote on this deal."), name=member.display_name),
            url=item.meeting.get_absolute_url(),
        ),
    )
    return item


# --- the vote and the decision -------------------------------------------------------------------------------------


@transaction.atomic
def open_vote(*, actor, item, absent=()):
    """Put the item's deal to the committee's vote while the meeting is in progress: a poll the committee owns, about
    the deal, under the committee's rules. Its members (chair included) vote in person, minus the recused; members
    recorded ``absent`` count against the quorum and have no ballot (the committee takes no proxies)."""
    item = _lock_item(item)
    meeting = item.meeting
    if not permissions.can_run_committee_meeting(actor, meeting):
        raise PermissionDenied
    if meeting.state != MeetingState.IN_PROGRESS:
        raise ValidationError(_("The vote is held while the meeting is in progress."), code="meeting_state")
    if item.poll_id is not None:
        raise ValidationError(_("The vote on this deal has already opened."), code="twice")
    if item.deal.stage != DealStage.COMMITTEE:
        raise ValidationError(
            fmt(
                _("The deal is no longer before the committee: it is %(stage)s."),
                stage=lifecycle.state_label(item.deal),
            ),
            code="stage",
        )
    committee = meeting.committee
    voters = _members(committee)
    with translation.override(settings.LANGUAGE_CODE):  # the poll's title is stored: in the portal's language
        title = gettext("Investment decision: %(deal)s") % {"deal": item.deal}
    poll = voting.create_poll(
        actor=actor,
        owner=committee,
        subject=item.deal,
        title=title[: max_length(Poll, "title")],
        majority=committee.majority,
        base=committee.base,
        quorum=Fraction(committee.quorum_numerator, committee.quorum_denominator),
        secret=committee.secret,
        max_proxies_per_holder=0,
    )
    away = {user.pk for user in absent or ()}
    present = [user for user in voters if user.pk not in away]
    voting.open_poll(actor=actor, poll=poll, voters=voters, present=present, recused=list(item.recused.all()))
    item.poll = poll
    item.save(update_fields=["poll"])
    record(
        "funds.open_vote",
        actor=actor,
        instance=meeting,
        data={"item": item.pk, "deal": item.deal_id, "poll": str(poll.uuid), "absent": sorted(away)},
        line=Line(committee.fund, FundVerb.OPENED_VOTE, str(item.deal), meeting.get_absolute_url(), subject=item.deal),
    )
    return item


def vote_summary(poll, on) -> str:
    """The recorded result in one sentence, in the active language: the history note of the deal's move."""
    values = {
        "date": on.isoformat(),
        "yes": poll.yes_count,
        "no": poll.no_count,
        "abstain": poll.abstain_count,
        "present": poll.present_count,
        "electorate": poll.electorate_count,
        "majority": Majority(poll.majority).label,
    }
    if poll.passed:
        return (
            gettext(
                "Approved by the investment committee on %(date)s: %(yes)s yes, %(no)s no, %(abstain)s abstentions; "
                "%(present)s of %(electorate)s members voted (%(majority)s)."
            )
            % values
        )
    if not poll.quorum_met:
        return (
            gettext(
                "Declined by the investment committee on %(date)s: the quorum was not met "
                "(%(present)s of %(electorate)s members voted)."
            )
            % values
        )
    return (
        gettext(
            "Declined by the investment committee on %(date)s: %(yes)s yes, %(no)s no, %(abstain)s abstentions; "
            "%(present)s of %(electorate)s members voted (%(majority)s)."
        )
        % values
    )


def _decide(*, actor, item):
    """The closed poll's outcome on the agenda item, and the deal moved by it: passed → signing, else rejected."""
    from .deals import move_deal

    poll = item.poll
    passed = bool(poll.passed)
    item.decision = Decision.APPROVED if passed else Decision.DECLINED
    item.decided_at = timezone.now()
    item.save(update_fields=["decision", "decided_at"])
    with translation.override(settings.LANGUAGE_CODE):  # the deal's history is kept in the portal's language
        note = vote_summary(poll, timezone.localdate(item.decided_at))
    deal = Deal.objects.get(pk=item.deal_id)
    moved = deal.stage == DealStage.COMMITTEE  # withdrawn meanwhile: the decision stands, the deal stays where it is
    if moved:
        transition = "proceed_to_signing" if passed else "reject"
        move_deal(actor=actor, deal=deal, transition=transition, note=note, expected_stage=DealStage.COMMITTEE)
    meeting = item.meeting
    url = meeting.get_absolute_url()
    title = (
        fmt(_("The investment committee approved %(deal)s"), deal=str(item.deal))
        if passed
        else fmt(_("The investment committee declined %(deal)s"), deal=str(item.deal))
    )
    record(
        "funds.record_decision",
        actor=actor,
        instance=meeting,
        data={
            "item": item.pk,
            "deal": item.deal_id,
            "poll": str(poll.uuid),
            "decision": item.decision,
            "yes": poll.yes_count,
            "no": poll.no_count,
            "abstain": poll.abstain_count,
            "electorate": poll.electorate_count,
            "quorum_met": poll.quorum_met,
            "moved": moved,
        },
        line=Line(
            meeting.committee.fund,
            FundVerb.APPROVED_INVESTMENT if passed else FundVerb.DECLINED_INVESTMENT,
            str(item.deal),
            url,
            subject=item.deal,
        ),
        tell=Tell(_everyone(meeting.committee, actor), title=title, body=note, url=url),
    )
    return item


@transaction.atomic
def decide(*, actor, item):
    """Close the item's vote (if still open) and record the decision; also records a vote closed on the voting page."""
    item = _lock_item(item)
    if not permissions.can_run_committee_meeting(actor, item.meeting):
        raise PermissionDenied
    if item.decision != Decision.PENDING:
        raise ValidationError(
            fmt(_("The decision is already recorded: %(decision)s."), decision=item.get_decision_display()),
            code="decided",
        )
    poll = item.poll
    if poll is None:
        raise ValidationError(_("The vote on this deal has not opened yet."), code="no_vote")
    if poll.state == PollState.OPEN:
        voting.close_poll(actor=actor, poll=poll)  # reloads the poll with its result
    elif poll.state != PollState.CLOSED:
        raise ValidationError(_("The vote on this deal has not opened yet."), code="no_vote")
    return _decide(actor=actor, item=item)


# --- the review summary --------------------------------------------------------------------------------------------


def review_summary(deal):
    """The deal's latest closed review round and its aggregate (value, count, spread, dispersion), or None.
    For those who may see the deal: the aggregate names nobody."""
    review_round = deal.closed_review_rounds().order_by("-closed_at", "-pk").first()
    if review_round is None:
        return None
    result = round_result(review_round)
    return {
        "round": review_round,
        "aggregate": result.aggregate,
        "method": AggregationMethod(result.aggregate.method).label,
        "sufficient": result.sufficient,
    }


# --- the investment decision opinion -------------------------------------------------------------------------------


@transaction.atomic
def committee_issuer(committee, *, actor=None, prefix=DEFAULT_PREFIX):
    """The issuer of the committee's decisions (the demo calls this too): the one it has, else one it owns, else a
    new one named after the fund's committee and numbered ``坪生医基投决〔year〕n号``. Its owner is the committee, so
    the chair signs and the fund's managers edit and issue (funds/authority.py)."""
    committee = (
        InvestmentCommittee.objects.select_for_update(of=("self",)).select_related("fund__manager").get(pk=committee.pk)
    )
    if committee.issuer_id:
        return committee.issuer
    owner_type = ContentType.objects.get_for_model(InvestmentCommittee)
    issuer = Issuer.objects.filter(owner_type=owner_type, owner_id=str(committee.pk)).order_by("pk").first()
    if issuer is None:
        fund = committee.fund
        name = opinion_services.unused_issuer_value(
            "name", f"{fund.name}投资决策委员会"[: max_length(Issuer, "name") - 3]
        )
        name_en = f"Investment Committee of the {fund.name_en}" if fund.name_en else ""
        issuer = Issuer.objects.create(
            name=name,
            name_en=name_en[: max_length(Issuer, "name_en")],
            number_prefix=opinion_services.unused_issuer_value("number_prefix", prefix),
            addressee_default=fund.manager.name[: max_length(Issuer, "addressee_default")],
            signatory_lines=name,
            owner_type=owner_type,
            owner_id=str(committee.pk),
        )
    committee.issuer = issuer
    committee.save(update_fields=["issuer"])
    record(
        "funds.set_up_committee_issuer",
        actor=actor,
        instance=issuer,
        data={"committee": committee.pk, "number_prefix": issuer.number_prefix},
    )
    return issuer


def decision_opinion_body(item, conditions="") -> str:
    """Sanitizable HTML for the draft: the deal, the company, the amount, the review and the vote's figures, the
    decision and its conditions. Rendered in the active language (the caller picks the portal's)."""
    poll = item.poll
    recused = list(item.recused.all())
    context = {
        "item": item,
        "meeting": item.meeting,
        "deal": item.deal,
        "company": item.deal.company,
        "poll": poll,
        "majority": Majority(poll.majority).label,
        "base": Base(poll.base).label,
        "quorum": f"{poll.quorum_numerator}/{poll.quorum_denominator}",
        "recused": len(recused),
        "review": review_summary(item.deal),
        "approved": item.decision == Decision.APPROVED,
        "conditions": [line.strip() for line in (conditions or "").splitlines() if line.strip()],
    }
    return render_to_string("funds/committee/opinion_body.html", context).strip()


@transaction.atomic
def draft_committee_opinion(*, actor, committee, kind, subject, text):
    """A draft opinion of the committee's issuer about ``subject``, the chair its signatory; ``text()`` gives its
    title and body, written in the portal's language (an official text). The caller has checked the chair."""
    issuer = committee_issuer(committee, actor=actor)
    with translation.override(settings.LANGUAGE_CODE):
        title, body = text()
    return opinion_services.create_opinion(
        actor=actor,
        issuer=issuer,
        title=title[: opinion_services.TITLE_MAX],
        body=body,
        kind=kind,
        subject=subject,
        signatories=[committee.chair],
    )


@transaction.atomic
def draft_decision_opinion(*, actor, item, conditions=""):
    """A draft investment decision opinion of the committee's issuer on the decided item, with the chair as its
    signatory; the engine's pages take it on (send for sign-off, the chair signs, a manager issues)."""
    item = _lock_item(item)
    if not permissions.can_run_committee_meeting(actor, item.meeting):
        raise PermissionDenied
    if item.decision == Decision.PENDING:
        raise ValidationError(_("Draft the opinion once the committee has decided."), code="pending")
    if item.opinion_id is not None:
        raise ValidationError(_("This decision already has its opinion."), code="twice")
    committee = item.meeting.committee
    if committee.chair_id is None:
        raise ValidationError(_("The committee has no chair to sign its opinion."), code="no_chair")
    conditions = (conditions or "").strip()
    deal = item.deal

    def text():
        title = gettext("Investment decision opinion on %(company)s (%(round)s)") % {
            "company": deal.company,
            "round": deal.get_round_display(),
        }
        return title, decision_opinion_body(item, conditions)

    opinion = draft_committee_opinion(
        actor=actor, committee=committee, kind=OpinionKind.INVESTMENT_DECISION, subject=deal, text=text
    )
    item.opinion = opinion
    item.save(update_fields=["opinion"])
    record(
        "funds.draft_decision_opinion",
        actor=actor,
        instance=opinion,
        data={"item": item.pk, "deal": deal.pk},
        line=Line(committee.fund, FundVerb.DRAFTED_DECISION, opinion.title, detail_url(opinion), subject=deal),
    )
    return opinion


def meetings_of(fund):
    """The fund's IC meetings, newest first, with their item counts (one query)."""
    return CommitteeMeeting.objects.filter(committee__fund=fund).annotate(item_count=Count("items"))
