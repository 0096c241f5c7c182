"""The world the permission matrix asks about, built once through the real services, and the request each URL
pattern is probed with.

The council ``biomed`` (tests/councils_world.py) holds every object; the matrix's people look at objects they do
not own. Object URLs point at the **plenary**'s objects (the committee-A member and the external member sit in no
plenary); list and create URLs that exist per committee point at **committee B**, and a few ``#committee_b``
variants open committee B's own document, thread and meeting. Another council (``other``) gives a
``secretariat``-role user who is the secretariat somewhere else.

A probe named ``pattern#variant`` asks the same URL pattern about another object (see table.py).
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from councils import services as councils
from councils.models import Attendance
from councils.services import discussions, feedback, meetings, motions
from councils.services import opinions as council_opinions
from portal.accounts import services as accounts
from portal.accounts.roles import RoleCode
from portal.accounts.tokens import make_token
from portal.opinions import services as opinions
from portal.organizations import services as organizations
from portal.organizations.models import OrganizationContactRole, OrganizationUser
from portal.reviews import services as reviews
from portal.reviews.models import ConflictKind
from portal.reviews.services import SCORE_FIELD
from portal.reviews.testing import cleared_assignment, make_expert, make_rubric, make_subject, submit
from portal.voting import services as voting
from tests.councils_world import build_world
from tests.factories import PASSWORD, OrganizationFactory, UserFactory, build_site, make_uscc

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TEXT = "会议纪要：讨论产业促进工作安排。\n".encode()
TINY_PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
MOTION_TEXT = "建议设立生物医药产业专项工作组，研究产业集聚发展措施。"


def _later(days):
    return timezone.now() + datetime.timedelta(days=days)


def _minute(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _round(actor, owner, **options):
    """A review round owned by ``owner`` (the council), scored by one expert at least."""
    return reviews.create_round(
        actor=actor,
        owner=owner,
        subject=make_subject(),
        rubric=make_rubric(),
        deadline=_later(7),
        min_scores=1,
        **options,
    )


def _people(base, other):
    """The matrix's columns (see table.USERS) as users; ``anonymous`` is None."""
    secretary = base["users"]["secretary"]
    applicant = UserFactory(username="pm_applicant", roles=[RoleCode.APPLICANT])
    firm = OrganizationFactory(name="深圳坪山矩阵申请企业有限公司")
    OrganizationUser.objects.create(organization=firm, user=applicant, role=OrganizationContactRole.CONTACT)
    member_a = UserFactory(username="pm_member_a", roles=[RoleCode.COUNCIL_MEMBER])
    councils.add_committee_member(
        actor=secretary,
        committee=base["committees"]["a"],
        user=member_a,
        organization=base["organizations"]["plenary_only"],
    )
    staff_fund = UserFactory(username="pm_staff_fund", roles=[RoleCode.FUND_MANAGER])
    staff_fund.is_staff = True
    staff_fund.save()
    return {
        "anonymous": None,
        "applicant": applicant,
        "evaluator": UserFactory(username="pm_evaluator", roles=[RoleCode.EVALUATOR]),
        "evaluator_assigned": UserFactory(username="pm_evaluator_assigned", roles=[RoleCode.EVALUATOR]),
        "evaluator_recused": UserFactory(username="pm_evaluator_recused", roles=[RoleCode.EVALUATOR]),
        "member_a": member_a,
        "external": base["users"]["external"],
        "other_secretariat": other["users"]["secretary"],
        "secretariat": secretary,
        "editor": UserFactory(username="pm_editor", roles=[RoleCode.EDITOR]),
        "staff_fund": staff_fund,
        "superuser": base["users"]["superuser"],
    }


def _documents(w):
    folder = councils.create_folder(actor=w.secretary, workspace=w.council, name="理事会文件")
    document = councils.upload_document(
        actor=w.secretary, folder=folder, title="年度工作计划", upload=upload("计划.pdf", PDF)
    )
    councils.upload_version(actor=w.secretary, document=document, upload=upload("计划v2.pdf", PDF), note="修订")
    document.refresh_from_db()
    w.folder, w.document = folder, document
    w.version = document.versions.order_by("-pk").first()


def _discussion(w):
    w.thread = discussions.start_thread(
        actor=w.base["users"]["council_member"],
        workspace=w.council,
        title="产业政策讨论",
        body="请各位理事发表意见。",
        attachments=[upload("纪要.txt", TEXT)],
    )
    w.attachment = w.thread.posts.first().attachments.first()


def _attend_and_open(w, meeting, present):
    invitations = {invitation.user_id: invitation for invitation in meeting.invitations.all()}
    users = w.base["users"]
    records = {invitations[users[name].pk]: (Attendance.PRESENT, None) for name in present}
    meetings.record_attendance(actor=w.secretary, meeting=meeting, records=records)
    return meetings.open_meeting(actor=w.secretary, meeting=meeting)


def _meetings(w):
    s = w.secretary
    present = ("chair", "council_member", "plenary_only")
    held = meetings.schedule_meeting(
        actor=s, workspace=w.council, title="上次会议", starts_at=_later(1), location="会议室"
    )
    _attend_and_open(w, held, present)
    meetings.close_meeting(actor=s, meeting=held)
    minutes = meetings.save_minutes(actor=s, meeting=held, body="会议讨论了产业促进。")
    w.minutes_circulated = meetings.circulate_minutes(actor=s, minutes=minutes)
    w.held = held
    drafted = meetings.schedule_meeting(
        actor=s, workspace=w.council, title="纪要待发会议", starts_at=_later(2), location="会议室"
    )
    _attend_and_open(w, drafted, present)
    meetings.close_meeting(actor=s, meeting=drafted)
    w.minutes_draft = meetings.save_minutes(actor=s, meeting=drafted, body="纪要初稿。")
    w.held_draft = drafted
    w.running = meetings.schedule_meeting(
        actor=s, workspace=w.council, title="进行中的会议", starts_at=_later(3), location="会议室"
    )
    w.running = _attend_and_open(w, w.running, present)
    w.scheduled = meetings.schedule_meeting(
        actor=s, workspace=w.council, title="计划中的会议", starts_at=_later(4), location="会议室"
    )
    w.item = meetings.add_agenda_item(actor=s, meeting=w.scheduled, title="议题一")
    meetings.add_agenda_item(actor=s, meeting=w.scheduled, title="议题二")
    w.action = meetings.add_action_item(
        actor=s, workspace=w.council, title="起草报告", owner=w.base["users"]["council_member"], meeting=w.running
    )


def _motions(w):
    s, proposer = w.secretary, w.base["users"]["council_member"]

    def drafted(title):
        return motions.draft_motion(actor=proposer, workspace=w.council, title=title, text=MOTION_TEXT)

    def submitted(title):
        return motions.submit_motion(actor=proposer, motion=drafted(title))

    w.motion_draft = drafted("草稿议案")
    w.motion_submitted = submitted("待排期议案")
    w.motion_on_agenda = motions.put_on_agenda(actor=s, motion=submitted("会议表决议案"), meeting=w.running)
    w.motion_voting = motions.open_written_vote(actor=s, motion=submitted("书面表决议案"), closes_at=_later(3))
    w.poll = w.motion_voting.poll
    closed = motions.open_written_vote(actor=s, motion=submitted("已在投票页关闭"), closes_at=_later(3))
    voting.close_poll(actor=s, poll=closed.poll)
    w.motion_closed_elsewhere = closed


def _feedback(w):
    fields = {
        "policy_name": "坪山区促进生物医药产业发展若干措施",
        "issuing_department": "坪山区工业和信息化局",
        "closes_on": timezone.localdate() + datetime.timedelta(days=30),
        "questions": [("企业获得感如何？", "rating", True)],
    }
    w.campaign_draft = feedback.create_campaign(actor=w.secretary, workspace=w.council, title="草稿评议", **fields)
    opened = feedback.create_campaign(actor=w.secretary, workspace=w.council, title="开放评议", **fields)
    w.campaign_open = feedback.open_campaign(actor=w.secretary, campaign=opened)
    w.campaign_question = w.campaign_open.questions.get()


def _opinions(w):
    s, chair = w.secretary, w.base["users"]["chair"]
    # Setting up an issuer is the portal staff's job (opinions.add_issuer); the superuser stands in for them.
    w.issuer = council_opinions.set_up_issuer(
        actor=w.users["superuser"], workspace=w.council, name="矩阵理事会专业评价", number_prefix="坪矩阵共治"
    )

    def drafted(title, is_public=True):
        return opinions.create_opinion(
            actor=s,
            issuer=w.issuer,
            title=title,
            body="<p>经评审，项目符合产业发展方向。</p>",
            is_public=is_public,
            signatories=[chair],
        )

    def issued(title, is_public=True):
        opinion = opinions.submit_for_review(actor=s, opinion=drafted(title, is_public))
        opinions.sign_off(actor=chair, opinion=opinion, approve=True)
        return opinions.issue_now(opinion_id=opinion.pk, actor_id=s.pk)

    w.opinion_draft = drafted("草稿意见")
    w.opinion_in_review = opinions.submit_for_review(actor=s, opinion=drafted("待签意见"))
    approved = opinions.submit_for_review(actor=s, opinion=drafted("已批准意见"))
    w.opinion_approved = opinions.sign_off(actor=chair, opinion=approved, approve=True)
    w.opinion_issued = issued("已签发意见")
    w.opinion_private = issued("不公开的意见", is_public=False)


def _reviews(w):
    s = w.secretary
    w.round = _round(s, w.council, title="某孵化器项目专业评价")
    reviews.open_round(actor=s, review_round=w.round)
    w.expert_free = make_expert(user=w.users["evaluator"], name="未受邀专家")
    w.assignment = cleared_assignment(s, w.round, make_expert(user=w.users["evaluator_assigned"], name="受邀专家"))
    recused = reviews.assign_expert(
        actor=s, review_round=w.round, expert=make_expert(user=w.users["evaluator_recused"], name="回避专家")
    )
    reviews.accept_assignment(actor=recused.expert.user, assignment=recused)
    w.assignment_recused = reviews.declare_conflict(
        actor=recused.expert.user,
        assignment=recused,
        has_conflict=True,
        kind=ConflictKind.EQUITY,
        text="持有该企业股份。",
    )
    closed = _round(s, w.council, title="已结束的专业评价")
    reviews.open_round(actor=s, review_round=closed)
    submit(cleared_assignment(s, closed, w.assignment.expert), 8, 6, 9, comment="技术路线清晰。")
    reviews.close_round(actor=s, review_round=closed)
    w.round_closed = closed


def _committee_b(w):
    """A few of committee B's own objects, for the committee-A member looking across."""
    b, member_b = w.committee_b, w.base["users"]["member_b"]
    folder = councils.create_folder(actor=w.secretary, workspace=b, name="委员会文件")
    w.b_document = councils.upload_document(
        actor=w.secretary, folder=folder, title="委员会计划", upload=upload("b.pdf", PDF)
    )
    w.b_thread = discussions.start_thread(actor=member_b, workspace=b, title="委员会议题", body="请发表意见。")
    w.b_meeting = meetings.schedule_meeting(
        actor=w.secretary, workspace=b, title="委员会会议", starts_at=_later(5), location="会议室"
    )


def _wagtail_document(w):
    from wagtail.documents import get_document_model

    document = get_document_model()(title="公开文件")
    document.file.save("public.pdf", ContentFile(PDF), save=True)
    w.wagtail_document = document


def _registration(w):
    """An account waiting for confirmation (its link), and claims on the applicant's firm: one by somebody outside
    the matrix (the applicant, its contact, decides it), one by the uninvited evaluator (who may withdraw it)."""
    w.pending = accounts.register(
        actor=AnonymousUser(),
        username="pm_pending",
        email="pm_pending@example.cn",
        real_name="待确认用户",
        password="Pending-pass-2026",
    )
    w.confirmation_token = make_token(w.pending)
    firm = OrganizationUser.objects.get(user=w.users["applicant"]).organization
    claimant = UserFactory(username="pm_claimant")
    w.claim = organizations.attach_organization(actor=claimant, uscc=firm.uscc).claim
    w.claim_by_evaluator = organizations.attach_organization(actor=w.users["evaluator"], uscc=firm.uscc).claim


def build():
    """Everything the matrix needs; returns a namespace of users and objects. Runs inside the caller's
    transaction (the test module rolls it back at the end)."""
    base = build_world()
    other = build_world(slug="other", theme_code="ic")
    w = SimpleNamespace(base=base, council=base["council"], committee_b=base["committees"]["b"])
    w.secretary = base["users"]["secretary"]
    w.users = _people(base, other)
    w.pages = build_site()
    _documents(w)
    _discussion(w)
    _meetings(w)
    _motions(w)
    _feedback(w)
    _opinions(w)
    _reviews(w)
    _committee_b(w)
    _wagtail_document(w)
    _registration(w)
    w.council_type = ContentType.objects.get_for_model(type(w.council))
    return w


# The request each pattern is probed with -----------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """How to call one URL pattern: its kwargs (or a literal path), the POST body for a permitted user, and
    whether it is an htmx partial. ``query`` is appended to GETs."""

    kwargs: dict = field(default_factory=dict)
    data: object = None  # dict, or a callable returning one (uploads are read once)
    htmx: bool = False
    path: str | None = None
    query: str = ""

    def body(self):
        data = self.data() if callable(self.data) else self.data
        return data or {}


def probes(w):
    """{pattern name: Probe}. Names are the URL names the resolver walk yields (see test_matrix)."""
    slug = w.council.slug
    b = w.committee_b.pk

    def on(pk, **extra):
        return {"slug": slug, "pk": pk, **extra}

    def both(name, **probe):
        """A list or create URL exists for the plenary (``name``) and per committee (``committee_name``)."""
        return {
            f"councils:{name}": Probe(kwargs={"slug": slug}, **probe),
            f"councils:committee_{name}": Probe(kwargs={"slug": slug, "committee_pk": b}, **probe),
        }

    plenary = {"slug": slug}
    committee = {"slug": slug, "committee_pk": b}
    meeting_form = {"title": "新会议", "starts_at": _minute(_later(10)), "location": "会议室"}
    motion_form = {"title": "新议案", "text": MOTION_TEXT, "rationale": ""}
    campaign_form = {
        "title": "新评议",
        "policy_name": "政策",
        "issuing_department": "部门",
        "policy_summary": "",
        "policy_link": "",
        "policy_document": "",
        "closes_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "30",
        "questions-0-text": "企业获得感如何？",
        "questions-0-kind": "rating",
        "questions-0-required": "on",
    }
    opinion_form = {
        "title": "新的专业评价意见",
        "kind": "evaluation",
        "addressee": "",
        "body": "<p>经评审，项目可行。</p>",
        "signatory_1": w.base["users"]["chair"].pk,
    }
    criteria = list(w.round.rubric.criteria.all())
    scores = {SCORE_FIELD.format(criterion.pk): "7" for criterion in criteria}
    attendance = {}
    for invitation in w.scheduled.invitations.all():
        attendance[f"attendance_{invitation.pk}"] = Attendance.PRESENT
        attendance[f"proxy_{invitation.pk}"] = ""
    code = w.opinion_issued.verification_code
    return {
        # portal
        "search": Probe(query="?q=生物医药"),
        "health": Probe(),
        # Two-factor sign-in: a wrong code, so a permitted POST changes nothing (the rows say writes=False).
        "accounts:two_factor": Probe(),
        "accounts:two_factor_setup": Probe(data={"code": "000000"}),
        "accounts:two_factor_verify": Probe(data={"code": "000000"}),
        "accounts:two_factor_recovery_codes": Probe(),
        "accounts:two_factor_replace": Probe(),
        "accounts:login": Probe(data={"username": "pm_applicant", "password": PASSWORD}),
        "accounts:logout": Probe(),
        "accounts:profile": Probe(
            data={
                "real_name": "改名的用户",
                "email": "renamed@example.cn",
                "phone": "",
                "preferred_language": "zh-hans",
            }
        ),
        "accounts:password_change": Probe(
            data={"old_password": PASSWORD, "new_password1": "a-new-Secret-987", "new_password2": "a-new-Secret-987"}
        ),
        "accounts:password_reset": Probe(data={"email": "pm_applicant@example.cn"}),
        "accounts:password_reset_done": Probe(),
        "accounts:password_reset_confirm": Probe(
            kwargs={"uidb64": "MQ", "token": "bad-token"},
            data={"new_password1": "a-new-Secret-987", "new_password2": "a-new-Secret-987"},
        ),
        "accounts:password_reset_complete": Probe(),
        "accounts:register": Probe(
            data={
                "username": "pm_newcomer",
                "email": "pm_newcomer@example.cn",
                "real_name": "新注册用户",
                "phone": "",
                "preferred_language": "zh-hans",
                "password": "Newcomer-pass-2026",
                "password_again": "Newcomer-pass-2026",
            }
        ),
        "accounts:register_sent": Probe(),
        "accounts:register_confirm": Probe(kwargs={"token": w.confirmation_token}),
        "accounts:register_resend": Probe(data={"email": "pm_pending@example.cn"}),
        "accounts:organization": Probe(
            data={"uscc": make_uscc(), "name": "深圳坪山矩阵新登记有限公司", "kind": "enterprise"}
        ),
        "accounts:organization_claims": Probe(),
        "accounts:claim_approve": Probe(kwargs={"pk": w.claim.pk}),
        "accounts:claim_refuse": Probe(kwargs={"pk": w.claim.pk}, data={"reason": "本公司无此员工。"}),
        "accounts:claim_withdraw": Probe(kwargs={"pk": w.claim_by_evaluator.pk}),
        "reviews:list": Probe(),
        "reviews:assignment": Probe(kwargs={"pk": w.assignment.pk}, data={"action": "save", **scores}),
        "reviews:assignment#recused": Probe(kwargs={"pk": w.assignment_recused.pk}, data={"action": "accept"}),
        "reviews:round": Probe(kwargs={"pk": w.round.pk}, data={"action": "assign", "expert": w.expert_free.pk}),
        "voting:detail": Probe(kwargs={"poll_uuid": w.poll.uuid}),
        "voting:cast": Probe(kwargs={"poll_uuid": w.poll.uuid}, data={"choice": "yes"}, htmx=True),
        "voting:close": Probe(kwargs={"poll_uuid": w.poll.uuid}),
        "opinions:list": Probe(),
        "opinions:create": Probe(kwargs={"issuer_id": w.issuer.pk}, data=opinion_form),
        "opinions:detail": Probe(kwargs={"pk": w.opinion_draft.pk}),
        "opinions:detail#issued": Probe(kwargs={"pk": w.opinion_issued.pk}),
        "opinions:edit": Probe(kwargs={"pk": w.opinion_draft.pk}, data={**opinion_form, "title": "改过的意见"}),
        "opinions:status": Probe(kwargs={"pk": w.opinion_approved.pk}, htmx=True),
        "opinions:submit": Probe(kwargs={"pk": w.opinion_draft.pk}),
        "opinions:sign": Probe(kwargs={"pk": w.opinion_in_review.pk}, data={"decision": "approve", "comment": ""}),
        "opinions:issue": Probe(kwargs={"pk": w.opinion_approved.pk}),
        "opinions:revoke": Probe(kwargs={"pk": w.opinion_issued.pk}, data={"reason": "依据有误，予以撤销。"}),
        "opinions:pdf": Probe(kwargs={"pk": w.opinion_issued.pk}),
        "opinions:pdf#private": Probe(kwargs={"pk": w.opinion_private.pk}),
        "opinions:detail#private": Probe(kwargs={"pk": w.opinion_private.pk}),
        "notifications:list": Probe(),
        "workspace:dashboard": Probe(),
        "verify:start": Probe(query=""),
        "verify:detail": Probe(kwargs={"code": code}, data=lambda: {"file": upload("a.pdf", TINY_PDF)}),
        "verify:pdf": Probe(kwargs={"code": code}),
        "verify:pdf#private": Probe(kwargs={"code": w.opinion_private.verification_code}),
        # Wagtail, one entry per include (see test_matrix.COLLAPSED)
        "wagtail-admin": Probe(path="/admin/"),
        "wagtail-documents": Probe(path=f"/documents/{w.wagtail_document.pk}/public.pdf"),
        "wagtail-pages": Probe(path="/"),
        # councils: workspaces, documents
        "councils:workspaces": Probe(),
        "councils:council": Probe(kwargs=plenary),
        "councils:folder_create": Probe(kwargs=plenary, data={"name": "新文件夹"}),
        "councils:committee": Probe(kwargs={"slug": slug, "pk": b}),
        "councils:committee#a": Probe(kwargs={"slug": slug, "pk": w.base["committees"]["a"].pk}),
        "councils:committee_folder_create": Probe(kwargs={"slug": slug, "committee_pk": b}, data={"name": "新文件夹"}),
        "councils:folder": Probe(kwargs=on(w.folder.pk)),
        "councils:document_upload": Probe(
            kwargs=on(w.folder.pk), data=lambda: {"title": "新文件", "file": upload("新.pdf", PDF), "note": ""}
        ),
        "councils:document": Probe(kwargs=on(w.document.pk)),
        "councils:document#committee_b": Probe(kwargs=on(w.b_document.pk)),
        "councils:version_upload": Probe(
            kwargs=on(w.document.pk), data=lambda: {"file": upload("计划v3.pdf", PDF), "note": "三稿"}
        ),
        "councils:download": Probe(kwargs=on(w.version.pk)),
        # discussions
        **both("threads"),
        **both("thread_new", data={"title": "新议题", "body": "内容"}),
        "councils:thread": Probe(kwargs=on(w.thread.pk)),
        "councils:thread#committee_b": Probe(kwargs=on(w.b_thread.pk)),
        "councils:thread_reply": Probe(kwargs=on(w.thread.pk), data={"body": "同意。"}),
        "councils:attachment_download": Probe(kwargs=on(w.attachment.pk)),
        # meetings
        **both("meetings"),
        **both("meeting_new", data=meeting_form),
        "councils:meeting": Probe(kwargs=on(w.scheduled.pk)),
        "councils:meeting#committee_b": Probe(kwargs=on(w.b_meeting.pk)),
        "councils:meeting_edit": Probe(kwargs=on(w.scheduled.pk), data={**meeting_form, "title": "改名"}),
        "councils:meeting_rsvp": Probe(kwargs=on(w.scheduled.pk), data={"answer": "attending"}, htmx=True),
        "councils:meeting_invite": Probe(kwargs=on(w.scheduled.pk), data={"user": w.secretary.pk}),
        "councils:meeting_agenda_add": Probe(kwargs=on(w.scheduled.pk), data={"title": "议题三"}),
        "councils:meeting_agenda_remove": Probe(kwargs=on(w.item.pk)),
        "councils:meeting_agenda_move": Probe(kwargs=on(w.item.pk), data={"direction": "down"}),
        "councils:meeting_attendance": Probe(kwargs=on(w.scheduled.pk), data=attendance),
        "councils:meeting_open": Probe(kwargs=on(w.scheduled.pk)),
        "councils:meeting_close": Probe(kwargs=on(w.running.pk)),
        "councils:meeting_cancel": Probe(kwargs=on(w.scheduled.pk), data={"reason": "改期"}),
        "councils:minutes_edit": Probe(kwargs=on(w.held_draft.pk), data={"body": "修订后的纪要"}),
        "councils:minutes_circulate": Probe(kwargs=on(w.minutes_draft.pk)),
        "councils:minutes_approve": Probe(kwargs=on(w.minutes_circulated.pk), data={"at_meeting": w.running.pk}),
        **both("action_items"),
        "councils:action_item_new": Probe(
            kwargs=plenary, data={"title": "调研", "owner": w.base["users"]["plenary_only"].pk}
        ),
        "councils:committee_action_item_new": Probe(
            kwargs=committee, data={"title": "调研", "owner": w.base["users"]["member_b"].pk}
        ),
        "councils:action_item_status": Probe(kwargs=on(w.action.pk), data={"status": "done"}, htmx=True),
        # motions
        "councils:motion": Probe(kwargs=on(w.motion_submitted.pk)),
        **both("motions"),
        **both("motion_new", data=motion_form),
        "councils:motion_edit": Probe(kwargs=on(w.motion_draft.pk), data={**motion_form, "title": "改过"}),
        "councils:motion_submit": Probe(kwargs=on(w.motion_draft.pk)),
        "councils:motion_withdraw": Probe(kwargs=on(w.motion_submitted.pk), data={"reason": "不再需要"}),
        "councils:motion_agenda": Probe(kwargs=on(w.motion_submitted.pk), data={"meeting": w.scheduled.pk}),
        "councils:motion_agenda_remove": Probe(kwargs=on(w.motion_on_agenda.pk)),
        "councils:motion_vote_meeting": Probe(kwargs=on(w.motion_on_agenda.pk)),
        "councils:motion_vote_written": Probe(kwargs=on(w.motion_submitted.pk), data={"closes_at": _minute(_later(3))}),
        "councils:motion_vote_close": Probe(kwargs=on(w.motion_voting.pk)),
        "councils:motion_record_result": Probe(kwargs=on(w.motion_closed_elsewhere.pk)),
        # policy feedback
        **both("feedback"),
        **both("feedback_new", data=campaign_form),
        "councils:campaign": Probe(kwargs=on(w.campaign_open.pk)),
        "councils:campaign_edit": Probe(kwargs=on(w.campaign_draft.pk), data={**campaign_form, "title": "改过"}),
        "councils:campaign_open": Probe(kwargs=on(w.campaign_draft.pk)),
        "councils:campaign_close": Probe(kwargs=on(w.campaign_open.pk)),
        "councils:campaign_answer": Probe(
            kwargs=on(w.campaign_open.pk), data={"effect_rating": "4", f"question_{w.campaign_question.pk}": "4"}
        ),
        "councils:campaign_export": Probe(kwargs=on(w.campaign_open.pk)),
        "councils:campaign_opinion": Probe(kwargs=on(w.campaign_open.pk)),
        # opinions and activity in the workspaces
        **both("opinions"),
        "councils:issuer_set_up": Probe(kwargs=plenary, data={"name": "另一个发文机关", "number_prefix": "坪另"}),
        "councils:committee_issuer_set_up": Probe(
            kwargs=committee, data={"name": "战略规划委员会", "number_prefix": "坪战规"}
        ),
        **both("review_opinion", data={"review_round": w.round_closed.pk}),
        **both("activity"),
    }
