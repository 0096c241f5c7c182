"""The demo's investment committee: two closed meetings that decided fifteen deals by the committee's vote, each
decision with its issued 投资决策意见 (signed by ic_chair), and an upcoming meeting with two deals on its agenda.

Everything goes through funds.services.committee, portal.voting and portal.opinions. Opinions are issued at once
(``issue_now``, as councils' demo does): seed_demo runs in one transaction, and a task queued for after the commit
would leave them unissued in the tests. The meetings, votes and the deals' moves then get their dates.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from portal.opinions import services as opinions
from portal.voting import services as voting
from portal.voting.models import Poll

from .demo_companies import CHAIR, MEMBERS
from .demo_deals import backdate, moment, people
from .models import AgendaItem, CommitteeMeeting, DealStage, StageChange
from .services import committee as ic

TITLES = {
    1: "2026年第一次投资决策委员会会议",
    2: "2026年第二次投资决策委员会会议",
}
UPCOMING = "2026年第三次投资决策委员会会议"
PLACE = "坪山区金融大厦十二楼会议室"
CONDITIONS = "投资款分两期拨付，第二期以完成坪山注册或产线落地为前提。\n被投企业应按季度报送经营数据。"
# At meeting 2, ic_member3 recuses on 华屿 (her former employer).
RECUSAL = ("华屿", "ic_member3")


def _ballots(result, electorate, recused):
    """Who votes how: approved deals carry four or five yes; declined ones fall short of two thirds."""
    voters = [user for user in electorate if user not in recused]
    if result == "declined":
        choices = ("yes", "no", "no", "abstain", "yes")
    else:
        choices = ("yes", "yes", "yes", "yes", "abstain")
    return dict(zip(voters, choices, strict=False))


def _meeting(fund, number, entries, on, chair, electorate, manager):
    meeting = ic.convene_meeting(
        actor=manager, fund=fund, title=TITLES[number], starts_at=moment(on, 14, 30), location=PLACE
    )
    items = [(ic.add_to_agenda(actor=manager, meeting=meeting, deal=deal), result) for deal, result, _t in entries]
    ic.open_meeting(actor=manager, meeting=meeting)
    issued = 0
    for item, result in items:
        recused = []
        if RECUSAL[0] in item.deal.company.organization.name:
            member = next((user for user in electorate if user.username == RECUSAL[1]), None)
            if member is not None:
                ic.recuse(actor=member, item=item)
                recused.append(member)
        choices = _ballots(result, electorate, recused)
        item = ic.open_vote(actor=manager, item=item)
        for user, choice in choices.items():
            voting.cast_ballot(actor=user, poll=item.poll, choice=choice)
        item = ic.decide(actor=manager, item=item)
        opinion = ic.draft_decision_opinion(actor=manager, item=item, conditions=CONDITIONS)
        opinions.submit_for_review(actor=manager, opinion=opinion)
        opinions.sign_off(actor=chair, opinion=opinion, approve=True)
        opinions.request_issue(actor=manager, opinion=opinion)
        with transaction.atomic():
            opinions.issue_now(opinion_id=opinion.pk, actor_id=manager.pk)
        issued += 1
    with translation.override(settings.LANGUAGE_CODE):
        ic.save_minutes(
            actor=manager,
            meeting=meeting,
            minutes=f"{TITLES[number]}应到委员五名，实到五名，审议项目{len(items)}个，表决结果见各议题。",
        )
    ic.close_meeting(actor=manager, meeting=meeting)
    return meeting, issued


def _date_the_meeting(meeting, on):
    """The meeting, its votes and the decisions happened on ``on``: the deal's move out of the committee too, and
    the date its history note names."""
    today = timezone.localdate().isoformat()
    CommitteeMeeting.objects.filter(pk=meeting.pk).update(
        created_at=moment(on - datetime.timedelta(days=10), 9), closed_at=moment(on, 17, 20)
    )
    for item in AgendaItem.objects.filter(meeting=meeting).select_related("poll"):
        AgendaItem.objects.filter(pk=item.pk).update(decided_at=moment(on, 16))
        Poll.objects.filter(pk=item.poll_id).update(
            created_at=moment(on, 15), opened_at=moment(on, 15), closed_at=moment(on, 16)
        )
        change = StageChange.objects.filter(deal=item.deal, from_stage=DealStage.COMMITTEE).order_by("-pk").first()
        if change is not None:
            StageChange.objects.filter(pk=change.pk).update(note=change.note.replace(today, on.isoformat()))


def hold_meetings(fund, decided, days):
    """Meetings 1 and 2 with the deals ``decided`` (number -> [(deal, result, timeline)]), unless already held."""
    members = people(CHAIR, *MEMBERS, "fundmgr")
    chair, manager = members.get(CHAIR), members.get("fundmgr")
    if chair is None or manager is None:
        return
    electorate = [members[name] for name in (CHAIR, *MEMBERS) if name in members]
    for number, entries in sorted(decided.items()):
        if not entries or CommitteeMeeting.objects.filter(committee__fund=fund, title=TITLES[number]).exists():
            continue
        meeting, _issued = _meeting(fund, number, entries, days[number], chair, electorate, manager)
        _date_the_meeting(meeting, days[number])
        for deal, _result, timeline in entries:
            timeline.dates.append(days[number])
            if deal.stage_changes.exists():
                backdate(deal, timeline.dates)


def schedule_upcoming(fund):
    """The next meeting, ten days ahead, with the deals waiting on the agenda (立晟 and 百岳)."""
    manager = people("fundmgr").get("fundmgr")
    if manager is None or CommitteeMeeting.objects.filter(committee__fund=fund, title=UPCOMING).exists():
        return None
    meeting = ic.convene_meeting(
        actor=manager,
        fund=fund,
        title=UPCOMING,
        starts_at=moment(timezone.localdate() + datetime.timedelta(days=10), 14, 30),
        location=PLACE,
    )
    for deal in fund.deals.filter(stage=DealStage.COMMITTEE).select_related("company__organization"):
        if any(part in deal.company.organization.name for part in ("立晟", "百岳")):
            ic.add_to_agenda(actor=manager, meeting=meeting, deal=deal)
    return meeting
