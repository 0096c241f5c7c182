"""The special-talent reviews' demo data (特殊人才): the programme run by ``talent_officer`` and signed for by
``talent_director``, its rubric and checklist, the open call of 2026, the bureaus that pre-review its sectors
(``authority1`` for 工业和信息化局, ``authority2`` for 发展和改革局), three employers (``employer1``, ``employer2``,
``employer3``: their accounts and links are portal's demo) and ten applications in every stage:

- 周国强 waits for ``authority1``'s pre-review; 林晓峰's employer (``employer1``) must answer a request for supplement;
  黄德明 was declined at pre-review;
- Dr. Hans Weber is with the expert panel (``evaluator1`` has accepted and still has to score); 吴桂兰's panel has
  finished and waits for ``talent_officer`` to send her to the talent work meeting; 郑伟 is on the agenda of the
  coming meeting;
- the meeting of a month ago passed 马建华 (filed with the city and approved: filing form issued) and 陈志远 (his
  filing form waits for ``talent_director``'s signature) and rejected 孙立新; the meeting of three days ago passed
  Dr. Sarah Mitchell, now on public notice with an objection under investigation. 郑伟's panel opinion also waits
  for the director. The notifications of what is past are read.

Every step goes through the services, as real use would; the dates are moved back afterwards (UPDATE of timestamps
only, as funds/demo_deals.py does), so the reports' time in each stage reads like a real year. The ID numbers carry a
correct GB 11643 check character; they are stored encrypted like any other. The step runs once: a programme that
already has applications is left as it is.
"""

import datetime
from bisect import bisect_right

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.applications import services as applications
from portal.applications.models import Application, Checklist, ChecklistItem, Submission, SupplementRequest
from portal.demo import tiny_pdf
from portal.experts.models import Expert
from portal.history.models import Event
from portal.notifications.models import Notification
from portal.opinions import services as opinions
from portal.organizations.models import Organization
from portal.reviews import services as reviews
from portal.reviews.models import Rubric
from portal.reviews.rubrics import build_rubric
from portal.voting import services as voting
from portal.voting.models import Poll
from themes.models import Theme

from .demo_special_people import CANDIDATES, MEETINGS
from .models import (
    Call,
    Deliberation,
    DeliberationItem,
    Objection,
    Programme,
    ProgrammeKind,
    SectorAuthority,
    SpecialTalentApplication,
    StageVisit,
)
from .services import deliberations, filing, notices, panel
from .services import special as special_services
from .special_kind import SPECIAL_APPLICATION

PROGRAMME_SLUG = "special-talent"
CALL_SLUG = "special-talent-2026"
RUBRIC_NAME = "坪山区特殊人才认定评审表"
CRITERIA = (
    (
        "社会经济效益",
        "Social-economic benefit",
        30,
        "带来的产值、税收与就业。",
        "Revenue, tax and jobs the candidate brings.",
    ),
    (
        "行业影响力",
        "Industry influence",
        30,
        "标准、奖项与行业地位。",
        "Standards, awards and standing in the industry.",
    ),
    (
        "不可替代性",
        "Irreplaceability",
        20,
        "岗位是否无人可替。",
        "Whether anyone meeting the standard criteria could fill the post.",
    ),
    (
        "发展潜力",
        "Development potential",
        20,
        "未来三年的贡献预期。",
        "What the candidate is expected to contribute in three years.",
    ),
)
CHECKLIST = (
    ("recommendations", "推荐信", "Recommendation letters", True),
    ("evidence", "贡献证明材料", "Evidence of contribution", True),
    ("employer-statement", "用人单位情况说明", "Employer's statement", False),
)
# username → the organization it applies for (accounts: portal/accounts/demo.py; links: portal/organizations/demo.py)
EMPLOYERS = {
    "employer1": "深圳坪山智途汽车电子有限公司",
    "employer2": "深圳市坑梓新元抗体药业有限公司",
    "employer3": "深圳坪山华芯功率器件有限公司",
}
# bureau → (its sectors, its pre-reviewer)
AUTHORITIES = {
    "深圳市坪山区工业和信息化局": (("biomed", "nev", "ic"), "authority1"),
    "深圳市坪山区发展和改革局": (("clean_energy", "materials"), "authority2"),
}
MEMBERS = ("talent_director", "member_biomed", "member_nev", "member_ic", "external_member")
EXPERTS = {
    "biomed": ("evaluator5", "evaluator1", "evaluator3"),  # a panel still scoring: evaluator1 still to score
    "nev": ("evaluator2", "evaluator3", "evaluator5"),
    "ic": ("evaluator2", "evaluator3", "evaluator5"),
}
MATERIAL = ("application:section:candidate", "application:section:case", "application:section:contribution")


def _users(*usernames):
    return {user.username: user for user in get_user_model().objects.filter(username__in=usernames)}


def moment(days_ago, hour=10, minute=0):
    """``days_ago`` days before today at ``hour``:``minute``, Asia/Shanghai."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# --- the programme ------------------------------------------------------------------------------------------------


def _rubric():
    rubric = Rubric.objects.filter(name=RUBRIC_NAME).order_by("-version").first()
    if rubric is None:
        rubric = build_rubric(name=RUBRIC_NAME, name_en="Pingshan special-talent review form", criteria=CRITERIA)
    return rubric


def _checklist():
    checklist, created = Checklist.objects.get_or_create(
        name="特殊人才认定申报材料", defaults={"name_en": "Special-talent application documents"}
    )
    if created:
        for order, (code, name, name_en, required) in enumerate(CHECKLIST):
            ChecklistItem.objects.create(
                checklist=checklist, code=code, name=name, name_en=name_en, required=required, sort_order=order
            )
    return checklist


def seed_special_programme(log):
    people = _users("talent_officer", "talent_director")
    if "talent_officer" not in people:
        return
    programme, _created = Programme.objects.get_or_create(
        slug=PROGRAMME_SLUG,
        defaults={
            "name": "坪山区特殊人才认定",
            "name_en": "Pingshan special-talent recognition",
            "kind": ProgrammeKind.SPECIAL_TALENT,
            "director": people.get("talent_director"),
            "rubric": _rubric(),
            "notice_days": 7,
            "description": (
                "用人单位急需紧缺、但年龄、学历或职称不符合常规人才认定标准的人才，以社会经济效益和行业影响力为主要"
                "评价依据：行业主管部门初审、专家评审、区人才工作会议集体商议、公示、报市人力资源部门备案。"
            ),
            "description_en": (
                "For people an employer urgently needs who miss the standard criteria (age, degree or professional "
                "title), judged on social-economic benefit and industry influence: the sector's authority "
                "pre-reviews, experts score, the district talent work meeting decides, the candidate is put on "
                "public notice, then filed with the city's HR bureau."
            ),
        },
    )
    programme.officers.add(people["talent_officer"])
    checklist = _checklist()
    today = timezone.localdate()
    call, created = Call.objects.get_or_create(
        slug=CALL_SLUG,
        defaults={
            "programme": programme,
            "title": "2026年坪山区特殊人才认定申报",
            "title_en": "2026 Pingshan special-talent applications",
            "opens_on": today - datetime.timedelta(days=150),
            "closes_on": today + datetime.timedelta(days=60),
            "checklist": checklist,
            "description": "面向在坪山注册的用人单位，申报其急需紧缺、但不符合常规认定标准的人才。",
            "description_en": (
                "For employers registered in Pingshan applying for someone they urgently need who misses the "
                "standard talent criteria."
            ),
        },
    )
    if created:
        call.themes.set(Theme.objects.filter(code__in=("biomed", "nev", "ic", "clean_energy", "materials")))
    for organization_name, (codes, username) in AUTHORITIES.items():
        organization = Organization.objects.filter(name=organization_name).first()
        reviewer = _users(username).get(username)
        if organization is None or reviewer is None:
            continue
        authority, created = SectorAuthority.objects.get_or_create(programme=programme, organization=organization)
        if created:
            authority.themes.set(Theme.objects.filter(code__in=codes))
            authority.reviewers.set([reviewer])
    log(f"talent: programme “{programme.name}”, {programme.sector_authorities.count()} sector authorities")


# --- the applications ---------------------------------------------------------------------------------------------


def _answers(candidate, theme):
    return {
        "candidate": {
            "name": candidate.name,
            "name_en": candidate.name_en,
            "id_kind": candidate.id_kind,
            "id_number": candidate.id_number,
            "birth_date": candidate.born.isoformat(),
            "education": candidate.education,
            "titles": candidate.titles,
            "current_role": candidate.role,
            "field": candidate.field,
            "theme": theme.pk,
            "achievements": candidate.achievements,
        },
        "case": {
            "missed_criteria": list(candidate.missed),
            "missed_explanation": candidate.explanation,
            "need": candidate.need,
        },
        "contribution": {
            "revenue": candidate.revenue,
            "tax": candidate.tax,
            "patents": candidate.patents,
            "awards": candidate.awards,
            "influence": candidate.influence,
            "recommenders": candidate.recommenders,
        },
    }


def _send(candidate, call, employer):
    organization = Organization.objects.get(name=EMPLOYERS[candidate.employer])
    theme = Theme.objects.get(code=candidate.theme)
    application = applications.start(actor=employer, kind=SPECIAL_APPLICATION, owner=call, organization=organization)
    for code, data in _answers(candidate, theme).items():
        applications.save_step(actor=employer, application=application, step=code, data=data)
    for item in call.checklist.items.filter(required=True):
        upload = SimpleUploadedFile(
            f"{item.code}.pdf",
            tiny_pdf(candidate.name_en or item.name_en, item.name_en),
            content_type="application/pdf",
        )
        applications.add_attachment(actor=employer, application=application, item=item, upload=upload)
    return applications.submit(actor=employer, application=application).special_application


def _reload(special):
    return SpecialTalentApplication.objects.get(pk=special.pk)


def _panel(special, people, experts, *, finished=True):
    """The expert panel's round: every expert scores and the officer closes it; unless ``finished``: the first
    expert has scored, the second accepted and cleared (still to score), the third is invited."""
    officer = people["talent_officer"]
    review_round = panel.start_panel(
        actor=officer, special=special, deadline=timezone.localdate() + datetime.timedelta(days=5), keys=MATERIAL
    )
    criteria = list(review_round.rubric.criteria.order_by("sort_order", "pk"))
    for index, expert in enumerate(experts):
        assignment = reviews.assign_expert(actor=officer, review_round=review_round, expert=expert)
        if not finished and index == 2:
            continue  # invited, not answered yet
        reviews.accept_assignment(actor=expert.user, assignment=assignment)
        reviews.declare_conflict(actor=expert.user, assignment=assignment, has_conflict=False)
        if not finished and index == 1:
            continue  # cleared: the scorecard is still to fill in
        base = len(special.candidate_name) % 2  # two strengths of case, deterministic
        values = {criterion.pk: 9 - base - (index + position) % 3 for position, criterion in enumerate(criteria)}
        reviews.submit_scorecard(actor=expert.user, assignment=assignment, values=values)
    if finished:
        reviews.close_round(actor=officer, review_round=review_round)
    return review_round


def _issue(opinion, people):
    opinions.sign_off(actor=people["talent_director"], opinion=opinion, approve=True)
    opinions.issue_now(opinion_id=opinion.pk, actor_id=people["talent_officer"].pk)


def _before_meeting(candidate, special, people, experts):
    """Move the sent application on as far as it goes before a meeting: pre-review, supplement, panel."""
    reviewer, officer = people["authority1"], people["talent_officer"]
    outcome = candidate.outcome
    if outcome == "pre_review":
        return special
    if outcome == "supplement":
        applications.request_supplement(
            actor=reviewer,
            application=special.application,
            message=candidate.supplement,
            deadline=timezone.localdate() + datetime.timedelta(days=7),
            items=list(special.call.checklist.items.filter(code="evidence")),
            sections=["contribution"],
        )
        return special
    if outcome == "declined":
        return special_services.pre_review(
            actor=reviewer, special=special, outcome="decline", opinion=candidate.pre_review
        )
    special = special_services.pre_review(
        actor=reviewer, special=special, outcome="pass_pre_review", opinion=candidate.pre_review
    )
    finished = outcome != "panel_scoring"
    _panel(special, people, experts, finished=finished)
    if outcome in ("panel_scoring", "panel_done"):
        return _reload(special)
    special = _reload(special)
    if candidate.conclusion:  # the panel's review opinion (each issued PDF costs ~0.8 s of seeding: a few only)
        opinion = panel.draft_panel_opinion(
            actor=officer, special=special, conclusion=candidate.conclusion, conclusion_en=candidate.conclusion_en
        )
        if outcome != "agenda":  # the coming meeting's opinion still waits for the director
            _issue(opinion, people)
    return special_services.send_to_deliberation(actor=officer, special=_reload(special))


# --- the talent work meetings -------------------------------------------------------------------------------------


def _notice_from(special, days_ago, programme):
    """The notice period the meeting started ``days_ago`` days back (both days inclusive)."""
    starts = timezone.localdate() - datetime.timedelta(days=days_ago)
    SpecialTalentApplication.objects.filter(pk=special.pk).update(
        notice_starts_on=starts, notice_ends_on=starts + datetime.timedelta(days=programme.notice_days - 1)
    )
    return _reload(special)


def _meeting(meeting, specials, people, programme):
    """Convene, put the applications on the agenda, take attendance, vote, close each item and the meeting (a
    coming meeting stops once its agenda is set)."""
    officer = people["talent_officer"]
    members = [people[username] for username in MEMBERS]
    deliberation = deliberations.convene(
        actor=officer,
        programme=programme,
        title=meeting.title,
        title_en=meeting.title_en,
        starts_at=moment(meeting.days_ago, 9, 30),
        location=meeting.location,
        members=members,
    )
    items = {}
    for candidate, special in specials:
        recused = [people[username] for username in candidate.recused]
        items[candidate.name] = deliberations.add_item(
            actor=officer, deliberation=deliberation, special=special, recused=recused
        )
    if meeting.days_ago < 0:
        return deliberation
    deliberations.record_attendance(actor=officer, deliberation=deliberation, present=members)
    deliberations.open_session(actor=officer, deliberation=deliberation)
    for candidate, _special in specials:
        item = DeliberationItem.objects.select_related("poll").get(pk=items[candidate.name].pk)
        voters = [username for username in MEMBERS if username not in candidate.recused]
        for username, choice in zip(voters, candidate.votes, strict=True):
            voting.cast_ballot(actor=people[username], poll=item.poll, choice=choice)
        deliberations.close_item(actor=officer, item=item)
    deliberations.close_meeting(actor=officer, deliberation=deliberation, minutes=meeting.minutes)
    # The meeting's day: its closing, its votes and its lines in the programme's stream.
    Deliberation.objects.filter(pk=deliberation.pk).update(closed_at=moment(meeting.days_ago, 12))
    Poll.objects.filter(talent_deliberation_item__deliberation=deliberation).update(
        opened_at=moment(meeting.days_ago, 10), closed_at=moment(meeting.days_ago, 11, 30)
    )
    lines = {"subject_type": ContentType.objects.get_for_model(Deliberation), "subject_id": str(deliberation.pk)}
    Event.objects.filter(**lines).update(created_at=moment(meeting.days_ago, 11))
    return deliberation


def _after_meeting(candidate, special, meeting, people, programme):
    """Public notice, objections, filing and the decision, as far as the candidate's outcome goes."""
    officer = people["talent_officer"]
    outcome = candidate.outcome
    if outcome == "rejected":
        return special
    special = _notice_from(special, meeting.days_ago, programme)
    if outcome == "objection":
        objection = notices.lodge_objection(special=special, **candidate.objection)
        notices.investigate(actor=officer, objection=objection, investigation=candidate.investigation)
        Objection.objects.filter(pk=objection.pk).update(lodged_at=moment(meeting.days_ago - 1, 16, 20))
        return _reload(special)
    special = notices.send_to_filing(actor=officer, special=special)
    if outcome == "filing":
        return special  # its filing form waits for the director's signature
    _issue(_reload(special).filing_form, people)
    filed_on = timezone.localdate() - datetime.timedelta(days=candidate.days[-1] + 4)
    special = filing.record_filing(
        actor=officer, special=_reload(special), filing_number=candidate.filing_number, filed_on=filed_on
    )
    return filing.decide(
        actor=officer,
        special=_reload(special),
        decision="approve",
        reason=candidate.decision,
        quota_reference=candidate.quota_reference,
    )


# --- dates ---------------------------------------------------------------------------------------------------------


def _backdate(special, days, since):
    """Give the application's stays the planned days (``days``: days ago each stage was entered, oldest first), its
    sending and its history lines the day of the stay they were written in (lines after ``since`` only)."""
    visits = list(StageVisit.objects.filter(application=special).order_by("pk"))
    assert len(visits) == len(days), f"{special.candidate_name}: {len(visits)} stays, {len(days)} days planned"
    real = [visit.entered_at for visit in visits]
    planned = [moment(days_ago, 10 + index % 6, 15) for index, days_ago in enumerate(days)]
    for index, visit in enumerate(visits):
        left = planned[index + 1] if index + 1 < len(planned) else None
        StageVisit.objects.filter(pk=visit.pk).update(entered_at=planned[index], left_at=left)

    def when(at):
        return planned[max(bisect_right(real, at) - 1, 0)]

    for model, pk in ((SpecialTalentApplication, special.pk), (Application, special.application_id)):
        subject = {"subject_type": ContentType.objects.get_for_model(model), "subject_id": str(pk)}
        for offset, event in enumerate(Event.objects.filter(created_at__gte=since, **subject).order_by("pk")):
            Event.objects.filter(pk=event.pk).update(
                created_at=when(event.created_at) + datetime.timedelta(minutes=offset)
            )
    first = planned[0]
    Application.objects.filter(pk=special.application_id).update(
        created_at=first - datetime.timedelta(days=2), submitted_at=first
    )
    Submission.objects.filter(application_id=special.application_id, number=1).update(submitted_at=first)
    for request in SupplementRequest.objects.filter(application_id=special.application_id):
        SupplementRequest.objects.filter(pk=request.pk).update(requested_at=when(request.requested_at))
    special_fields = {"stage_changed_at": planned[-1]}
    if special.pre_reviewed_at:
        special_fields["pre_reviewed_at"] = planned[1]
    if special.decided_at:
        special_fields["decided_at"] = planned[-1]
    SpecialTalentApplication.objects.filter(pk=special.pk).update(**special_fields)


WAITING = ("pre_review", "supplement", "objection")  # their notifications stay unread: somebody has to act


def _read_the_past(made, since):
    """The demo's notifications are read, but those about an application somebody must act on now."""
    waiting = set()
    for candidate, special in made:
        if candidate.outcome in WAITING:
            waiting |= {special.get_absolute_url(), special.application.get_absolute_url()}
    past = Notification.objects.filter(created_at__gte=since, read_at__isnull=True).exclude(url__in=waiting)
    past.update(read_at=timezone.now())


def seed_special_applications(log):
    programme = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    usernames = ("talent_officer", "talent_director", "authority1", *MEMBERS, *EMPLOYERS)
    people = _users(*usernames)
    if programme is None or len(people) < len(set(usernames)):
        return
    if SpecialTalentApplication.objects.filter(call__programme=programme).exists():
        log("talent: special-talent applications already there")
        return
    since = timezone.now()
    call = Call.objects.select_related("checklist").get(slug=CALL_SLUG)
    pool = {expert.user.username: expert for expert in Expert.objects.filter(user__isnull=False).select_related("user")}
    if not {username for names in EXPERTS.values() for username in names} <= set(pool):
        return
    experts = {theme: [pool[username] for username in names] for theme, names in EXPERTS.items()}
    made = {}
    # Oldest first, so the references run in the order the applications came in.
    for candidate in sorted(CANDIDATES, key=lambda candidate: -candidate.days[0]):
        special = _send(candidate, call, people[candidate.employer])
        made[candidate.name] = (candidate, _before_meeting(candidate, special, people, experts[candidate.theme]))
    for meeting in sorted(MEETINGS, key=lambda meeting: -meeting.days_ago):
        on_agenda = [made[name] for name in meeting.agenda]
        _meeting(meeting, on_agenda, people, programme)
        if meeting.days_ago < 0:
            continue
        for candidate, special in on_agenda:
            made[candidate.name] = (candidate, _after_meeting(candidate, _reload(special), meeting, people, programme))
    for candidate, special in made.values():
        _backdate(_reload(special), candidate.days, since)
    _read_the_past(made.values(), since)
    log(f"talent: {len(made)} special-talent applications made")
