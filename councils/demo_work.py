"""Demo of what happens in the 生物医药 council's workspaces: three past plenary meetings with approved minutes,
one coming meeting, an adopted motion and a motion in a written vote, action items, a policy feedback campaign
with answers and a discussion (``demo_engines`` makes the council's issuers and opinions; issuing one writes
its activity line).

Past events are made through the services (so they are complete and consistent) and then moved back in time.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from portal.history.models import Event
from portal.voting import services as voting
from portal.voting.models import Ballot, Poll

from .models import (
    Attendance,
    Council,
    Invitation,
    Meeting,
    Minutes,
    Motion,
    QuestionKind,
)
from .services import discussions, feedback, meetings, motions

PLACE = "坪山区政务服务中心三楼第一会议室"
ONLINE = "https://meeting.example.cn/j/2026-pingshan"

PAST_MEETINGS = [
    # (title, days ago, agenda items, minutes)
    (
        "第一届理事会第一次全体会议",
        150,
        ["审议委员会年度工作计划", "听取生物医药科技产业创新基金运行情况报告", "讨论专业委员会组成方案"],
        "一、会议审议通过委员会2026年度工作计划。\n二、会议听取了创新基金运行情况报告，成员单位建议加快项目退出评估。\n"
        "三、会议同意设立国际推广、战略规划、产业促进、营商环境、产业风险防控五个专业委员会。",
    ),
    (
        "第一届理事会第二次全体会议",
        90,
        ["听取产业促进专业委员会工作汇报", "讨论临床试验资源对接机制"],
        "一、会议审议通过第一次全体会议纪要。\n二、会议表决通过《关于建立临床试验资源对接机制的议案》。\n"
        "三、会议要求秘书处在三个月内汇总成员单位对临床试验审批流程的意见。",
    ),
    (
        "第一届理事会第三次全体会议",
        30,
        ["听取政策评议工作安排", "讨论四季度重点工作"],
        "一、会议审议通过第二次全体会议纪要。\n二、会议听取了政策评议工作安排，同意就集聚发展若干措施开展评议。\n"
        "三、会议讨论了四季度重点工作，请成员单位在两周内反馈意见。",
    ),
]
ADOPTED_MOTION = (
    "关于建立临床试验资源对接机制的议案",
    "建议由委员会秘书处牵头，联合区内医疗机构建立临床试验资源对接机制，每季度发布一次可承接项目清单。",
    "区内创新药企业普遍反映临床试验机构资源紧张，立项排队时间长。",
)
WRITTEN_MOTION = (
    "关于建议将跨境研发物品通关便利纳入配套政策的议案",
    "建议委员会向区科技创新局提出意见，将跨境研发用物品通关便利措施纳入生物医药产业配套政策。",
    "成员单位反映研发用试剂、样本进口通关周期长，影响研发进度。",
)
# Yes votes already cast in the written vote: one short of the absolute majority of 15 (8), so member_biomed's
# ballot decides it.
WRITTEN_YES_BEFORE = 7
CAMPAIGN = {
    "title": "《坪山区促进生物医药产业集聚发展若干措施（征求意见稿）》政策评议",
    "policy_name": "坪山区促进生物医药产业集聚发展若干措施（征求意见稿）",
    "issuing_department": "坪山区科技创新局",
    "policy_summary": "措施涵盖研发投入奖励、临床试验支持、中试平台共享、创新产品首发应用等十二条内容。",
    "questions": [
        ("措施对贵单位研发投入的激励作用如何？", QuestionKind.RATING, True),
        ("贵单位最希望优先落实哪一条措施？", QuestionKind.TEXT, False),
    ],
}
ANSWERS = [
    (5, "临床试验机构排队时间长。", "建议设立临床试验绿色通道。", "研发投入奖励"),
    (4, "中试平台收费标准不明确。", "建议公布中试平台服务价格目录。", "中试平台共享"),
    (4, "创新产品首发应用的认定程序不清楚。", "建议明确首发应用认定流程和时限。", "首发应用"),
    (3, "奖励申报材料较多。", "建议简化申报材料，实行告知承诺。", "研发投入奖励"),
    (5, "", "建议将跨境研发物品通关便利纳入配套措施。", "通关便利"),
    (4, "人才住房配套不足。", "建议增加人才公寓供给。", "人才配套"),
    (2, "措施对医疗器械企业覆盖不足。", "建议增加医疗器械注册人制度相关支持。", "医疗器械支持"),
]


def _moved(since_pk, when):
    """Move the activity lines written since ``since_pk`` back to ``when``."""
    Event.objects.filter(pk__gt=since_pk).update(created_at=when)


def _last_activity_pk():
    return Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _attendance(meeting, absent_every=5, proxy=True):
    """Most present; every ``absent_every``-th voting invitee excused, one absent member represented by proxy."""
    invitations = list(meeting.invitations.select_related("user").order_by("pk"))
    present = [inv for index, inv in enumerate(invitations) if index % absent_every != absent_every - 1]
    records = dict.fromkeys(present, (Attendance.PRESENT, None))
    missing = [inv for inv in invitations if inv not in present]
    for index, inv in enumerate(missing):
        if proxy and index == 0 and inv.has_vote:
            holder = next(p for p in present if p.has_vote)
            records[inv] = (Attendance.PROXY, holder.user)
        else:
            records[inv] = (Attendance.EXCUSED, None)
    return records


def _held_meeting(secretariat, council, title, days_ago, items, now):
    starts = (now - datetime.timedelta(days=days_ago)).replace(hour=9, minute=30, second=0, microsecond=0)
    mark = _last_activity_pk()
    meeting = meetings.schedule_meeting(
        actor=secretariat,
        workspace=council,
        title=title,
        starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1, hours=3),
        location=PLACE,
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))
    meeting.refresh_from_db()
    for item in items:
        meetings.add_agenda_item(actor=secretariat, meeting=meeting, title=item)
    Invitation.objects.filter(meeting=meeting).update(
        rsvp="attending", responded_at=starts - datetime.timedelta(days=3)
    )
    meetings.record_attendance(actor=secretariat, meeting=meeting, records=_attendance(meeting))
    meetings.open_meeting(actor=secretariat, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(opened_at=starts)
    meeting.refresh_from_db()
    _moved(mark, starts)
    return meeting


def seed_council_work(log):
    council = Council.objects.filter(slug="biomed").first()
    User = get_user_model()
    secretariat = User.objects.filter(username="secretariat").first()
    member = User.objects.filter(username="member_biomed").first()
    if council is None or secretariat is None or member is None:
        return
    if Meeting.objects.filter(council=council).exists():
        log("council work: already there")
        return

    now = timezone.localtime()  # Asia/Shanghai: meetings start at 09:30 local time
    held = []
    for title, days_ago, items, _minutes in PAST_MEETINGS:
        held.append(_held_meeting(secretariat, council, title, days_ago, items, now))

    # Meeting 2 votes the adopted motion, proposed by member_biomed before it.
    mark = _last_activity_pk()
    title, text, rationale = ADOPTED_MOTION
    motion = motions.draft_motion(actor=member, workspace=council, title=title, text=text, rationale=rationale)
    motions.submit_motion(actor=member, motion=motion)
    motions.put_on_agenda(actor=secretariat, motion=motion, meeting=held[1])
    motions.open_meeting_vote(actor=secretariat, motion=motion)
    motion.refresh_from_db()
    for entry in motion.poll.entries.select_related("user", "proxy_holder"):
        hand = entry.proxy_holder or entry.user
        if entry.present or entry.proxy_holder_id:
            choice = "no" if entry.pk % 7 == 0 else "yes"
            voting.cast_ballot(actor=hand, poll=motion.poll, choice=choice, entry=entry)
    motions.close_vote(actor=secretariat, motion=motion)
    Motion.objects.filter(pk=motion.pk).update(
        created_at=held[1].starts_at - datetime.timedelta(days=20),
        submitted_at=held[1].starts_at - datetime.timedelta(days=18),
        decided_at=held[1].starts_at + datetime.timedelta(hours=2),
    )
    _moved(mark, held[1].starts_at + datetime.timedelta(hours=2))
    motion.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):  # the resolution carries the day of the meeting
        resolution = motions.resolution_text(motion, motion.poll, timezone.localtime(held[1].starts_at).date())()
    Motion.objects.filter(pk=motion.pk).update(resolution=resolution)
    voted_at = held[1].starts_at + datetime.timedelta(hours=1, minutes=30)
    Poll.objects.filter(pk=motion.poll_id).update(
        created_at=voted_at, opened_at=voted_at, closed_at=voted_at + datetime.timedelta(minutes=15)
    )
    Ballot.objects.filter(entry__poll_id=motion.poll_id).update(cast_at=voted_at + datetime.timedelta(minutes=5))

    # Minutes: each meeting's minutes are approved at the next one; the third meeting's wait for the coming one.
    for index, meeting in enumerate(held):
        mark = _last_activity_pk()
        minutes = meetings.save_minutes(actor=secretariat, meeting=meeting, body=PAST_MEETINGS[index][3])
        meetings.circulate_minutes(actor=secretariat, minutes=minutes)
        when = meeting.starts_at + datetime.timedelta(days=7)
        Minutes.objects.filter(pk=minutes.pk).update(updated_at=when, circulated_at=when)
        _moved(mark, when)
        if index + 1 < len(held):
            following = held[index + 1]
            mark = _last_activity_pk()
            meetings.add_minutes_to_agenda(actor=secretariat, meeting=following, minutes=minutes)
            meetings.approve_minutes(actor=secretariat, minutes=minutes, at_meeting=following)
            Minutes.objects.filter(pk=minutes.pk).update(approved_at=following.starts_at + datetime.timedelta(hours=1))
            _moved(mark, following.starts_at + datetime.timedelta(hours=1))
    for meeting in held:
        mark = _last_activity_pk()
        meetings.close_meeting(actor=secretariat, meeting=meeting)
        closed = meeting.starts_at + datetime.timedelta(hours=3)
        Meeting.objects.filter(pk=meeting.pk).update(closed_at=closed)
        _moved(mark, closed)

    # Action items from the third meeting: one for member_biomed, one done.
    mark = _last_activity_pk()
    today = timezone.localdate()
    meetings.add_action_item(
        actor=secretariat,
        workspace=council,
        title="汇总本单位对临床试验审批流程的意见并提交秘书处",
        owner=member,
        due_on=today + datetime.timedelta(days=10),
        meeting=held[2],
    )
    done = meetings.add_action_item(
        actor=secretariat,
        workspace=council,
        title="印发第三次全体会议纪要",
        owner=secretariat,
        due_on=today + datetime.timedelta(days=3),
        meeting=held[2],
    )
    meetings.set_action_item_status(actor=secretariat, item=done, status="done")
    _moved(mark, held[2].starts_at + datetime.timedelta(hours=4))

    # The coming meeting, with the third meeting's minutes to approve; member_biomed has not answered yet.
    starts = (now + datetime.timedelta(days=14)).replace(hour=14, minute=30, second=0, microsecond=0)
    coming = meetings.schedule_meeting(
        actor=secretariat,
        workspace=council,
        title="第一届理事会第四次全体会议",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2, minutes=30),
        location=PLACE,
        online_link=ONLINE,
        notes="请各成员单位代表提前十分钟签到；无法出席的，可书面委托其他成员单位代表出席。",
    )
    meetings.add_minutes_to_agenda(actor=secretariat, meeting=coming, minutes=held[2].minutes)
    meetings.add_agenda_item(actor=secretariat, meeting=coming, title="审议委员会2027年度工作计划")
    meetings.add_agenda_item(actor=secretariat, meeting=coming, title="听取政策评议结果报告")
    for invitation in coming.invitations.exclude(user=member).select_related("user").order_by("pk")[:9]:
        meetings.rsvp(actor=invitation.user, invitation=invitation, answer="attending")

    # A motion in a written vote, open for two weeks; member_biomed has not voted yet.
    title, text, rationale = WRITTEN_MOTION
    written = motions.draft_motion(actor=member, workspace=council, title=title, text=text, rationale=rationale)
    motions.submit_motion(actor=member, motion=written)
    motions.open_written_vote(actor=secretariat, motion=written, closes_at=now + datetime.timedelta(days=12))
    written.refresh_from_db()
    for entry in written.poll.entries.select_related("user").exclude(user=member).order_by("pk")[:WRITTEN_YES_BEFORE]:
        voting.cast_ballot(actor=entry.user, poll=written.poll, choice="yes", entry=entry)

    # Policy feedback: open, seven answers, member_biomed's still missing.
    campaign = feedback.create_campaign(
        actor=secretariat,
        workspace=council,
        title=CAMPAIGN["title"],
        policy_name=CAMPAIGN["policy_name"],
        issuing_department=CAMPAIGN["issuing_department"],
        policy_summary=CAMPAIGN["policy_summary"],
        closes_on=today + datetime.timedelta(days=20),
        questions=CAMPAIGN["questions"],
    )
    feedback.open_campaign(actor=secretariat, campaign=campaign)
    questions = list(campaign.questions.order_by("position"))
    respondents = [
        invitation.user for invitation in coming.invitations.exclude(user=member).select_related("user").order_by("pk")
    ][: len(ANSWERS)]
    for user, (rating, problems, suggestions, priority) in zip(respondents, ANSWERS, strict=False):
        feedback.submit_response(
            actor=user,
            campaign=campaign,
            effect_rating=rating,
            problems=problems,
            suggestions=suggestions,
            answers={questions[0].pk: rating, questions[1].pk: priority},
        )

    # A discussion in the plenary workspace that mentions member_biomed.
    colleague = respondents[0] if respondents else secretariat
    thread = discussions.start_thread(
        actor=secretariat,
        workspace=council,
        title="关于第四次全体会议议程的建议",
        body="各位理事：第四次全体会议拟审议2027年度工作计划，请在本讨论中提出议程建议。",
    )
    discussions.reply(
        actor=colleague,
        thread=thread,
        body=f"建议增加临床试验资源对接机制运行情况的汇报。@{member.real_name} 您牵头的议案是否可以一并汇报？",
    )
    discussions.reply(actor=member, thread=thread, body="同意，我单位可以准备十分钟的汇报材料。")

    log(
        f"council work: {len(held) + 1} meetings, 2 motions, 2 action items, "
        f"{campaign.responses.count()} feedback answers, 1 discussion"
    )
