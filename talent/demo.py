"""The offshore base's demo data: the programme run by ``talent_officer`` and signed for by ``talent_director``, two
calls (the first of 2026 closed, the second open), and seventeen base applications in every stage, in English and
Chinese — ``overseas1``'s waiting on a supplement it must answer, others in expert review, waiting for a decision,
for the director's signature, onboarding, in incubation, graduated, exited, rejected, expired, withdrawn, a draft.
Everything goes through the services, as real use would; steps are idempotent (nothing is made twice).
"""

import datetime
import zlib

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.accounts.roles import RoleCode, group_for
from portal.applications import services as applications
from portal.applications.models import Application, Checklist, ChecklistItem
from portal.demo import DEMO_PASSWORD, demo_step, tiny_pdf
from portal.experts.models import Expert
from portal.opinions import services as opinions
from portal.reviews import services as reviews
from portal.reviews.models import Criterion, Rubric
from themes.models import Theme

from .base_kind import BASE_APPLICATION
from .demo_libraries import seed_libraries
from .demo_quiet import read_finished_notifications
from .demo_roadshows import seed_roadshows
from .demo_services import seed_service_requests
from .demo_special import seed_special_applications, seed_special_programme
from .models import BaseApplication, Call, Programme, ProgrammeKind
from .services import admissions, review

PROGRAMME_SLUG = "offshore-base"
RUBRIC_NAME = "海外人才离岸基地入驻评审表"
CRITERIA = (
    ("团队", "Team", 20, "核心成员背景、分工与全职投入。", "The core members' background, roles and commitment."),
    ("技术", "Technology", 20, "技术先进性与可行性。", "How advanced and feasible the technology is."),
    ("知识产权", "IP", 15, "专利布局与自由实施。", "Patents filed or granted and freedom to operate."),
    ("市场", "Market", 15, "目标市场、客户与商业模式。", "Target market, customers and business model."),
    (
        "产业契合度",
        "Fit with Pingshan industries",
        15,
        "与坪山主导产业的契合。",
        "Fit with Pingshan's leading industries.",
    ),
    (
        "落地计划",
        "Landing plan",
        15,
        "在坪山注册、研发与用人的计划。",
        "Plans to register, do R&D and hire in Pingshan.",
    ),
)


def _users(*usernames):
    return {user.username: user for user in get_user_model().objects.filter(username__in=usernames)}


# username, real name, language, nationality/residence, team, project title, theme, stage reached
TEAMS = (
    (
        "overseas1",
        "Dr. Kenji Sato",
        "en",
        "Japan",
        "Aurora Proteomics",
        "Single-cell protein sequencing",
        "biomed",
        "supplement",
    ),
    (
        "team_lopez",
        "Dr. Maria Lopez",
        "en",
        "Spain",
        "Helix Gene Therapies",
        "AAV capsids for retinal gene therapy",
        "biomed",
        "check",
    ),
    ("team_chen", "陈海归", "zh-hans", "美国", "芯光科技团队", "硅光子芯片光互连模块", "ic", "check"),
    (
        "team_muller",
        "Dr. Anna Müller",
        "en",
        "Germany",
        "Voltaic Solid-State",
        "Sulfide solid-state battery cells",
        "nev",
        "review",
    ),
    (
        "team_kim",
        "Dr. Min-jun Kim",
        "en",
        "Korea",
        "NeuroLink Diagnostics",
        "EEG wearable for early dementia screening",
        "biomed",
        "review",
    ),
    ("team_liu", "刘博士", "zh-hans", "新加坡", "新材智造团队", "碳化硅功率器件封装材料", "materials", "scored"),
    (
        "team_patel",
        "Dr. Priya Patel",
        "en",
        "United Kingdom",
        "CellForge Bio",
        "Automated CAR-T manufacturing",
        "biomed",
        "letter",
    ),
    ("team_wang", "王思远", "zh-hans", "加拿大", "氢启能源团队", "PEM 电解槽催化剂", "clean_energy", "onboarding"),
    (
        "team_garcia",
        "Dr. Lucas Garcia",
        "en",
        "France",
        "Robotix Vision",
        "Vision-guided assembly robots",
        "smart_mfg",
        "active",
    ),
    ("team_zhao", "赵一凡", "zh-hans", "澳大利亚", "智驾感知团队", "4D 毫米波成像雷达", "nev", "active"),
    (
        "team_ito",
        "Dr. Yui Ito",
        "en",
        "Japan",
        "OrganoidWorks",
        "Liver organoids for toxicity testing",
        "biomed",
        "active",
    ),
    (
        "team_smith",
        "Dr. James Smith",
        "en",
        "United States",
        "QuantumEdge Photonics",
        "Quantum random number chips",
        "ngit",
        "graduated",
    ),
    ("team_sun", "孙海鹏", "zh-hans", "德国", "精密医械团队", "手术机器人力反馈模块", "biomed", "exited"),
    (
        "team_novak",
        "Dr. Eva Novak",
        "en",
        "Czech Republic",
        "GreenPolymer Labs",
        "Biodegradable medical polymers",
        "materials",
        "rejected",
    ),
    ("team_huang", "黄嘉欣", "zh-hans", "英国", "数智药研团队", "AI 辅助小分子药物筛选平台", "biomed", "expired"),
    (
        "team_rossi",
        "Dr. Marco Rossi",
        "en",
        "Italy",
        "Sensa Materials",
        "Printed flexible pressure sensors",
        "materials",
        "withdrawn",
    ),
    ("team_tanaka", "Dr. Hiro Tanaka", "en", "Japan", "MicroFluidX", "Organ-on-chip microfluidics", "biomed", "draft"),
)


@demo_step(order=300)
def seed_programme(log):
    users = _users("talent_officer", "talent_director")
    if "talent_officer" not in users:
        return
    rubric = Rubric.objects.filter(name=RUBRIC_NAME).order_by("-version").first()
    if rubric is None:
        rubric = Rubric.objects.create(name=RUBRIC_NAME, name_en="Offshore base review form")
        for order, (name, name_en, weight, guidance, guidance_en) in enumerate(CRITERIA):
            Criterion.objects.create(
                rubric=rubric,
                sort_order=order,
                name_zh=name,
                name_en=name_en,
                weight=weight,
                scale_min=0,
                scale_max=10,
                guidance=guidance,
                guidance_en=guidance_en,
            )
    programme, _created = Programme.objects.get_or_create(
        slug=PROGRAMME_SLUG,
        defaults={
            "name": "坪山区海外人才离岸创新创业基地",
            "name_en": "Pingshan Offshore Innovation and Entrepreneurship Base for Overseas Talent",
            "kind": ProgrammeKind.OFFSHORE_BASE,
            "director": users.get("talent_director"),
            "rubric": rubric,
            "description": (
                "“海外注册、全球孵化、坪山落地”：海外人才团队在基地注册入驻，享受孵化空间、专业服务与科技项目库、"
                "企业需求库、专利技术库等信息服务平台，可在海外与坪山两地工作。"
            ),
            "description_en": (
                "Register here, work at home and abroad: overseas talent teams join the base for incubation, "
                "professional services (company registration, visas, housing, financing introductions) and an "
                "information platform of project, demand and patent libraries."
            ),
        },
    )
    programme.officers.add(users["talent_officer"])
    checklist, created = Checklist.objects.get_or_create(
        name="离岸基地入驻申请材料", defaults={"name_en": "Offshore base application documents"}
    )
    if created:
        for order, (code, name, name_en, required) in enumerate(
            (
                ("business-plan", "商业计划书", "Business plan", True),
                ("cvs", "团队成员简历", "Team members' CVs", True),
                ("ip-evidence", "知识产权证明", "Evidence of IP", False),
            )
        ):
            ChecklistItem.objects.create(
                checklist=checklist, code=code, name=name, name_en=name_en, required=required, sort_order=order
            )
    today = timezone.localdate()
    calls = (
        ("2026-first-call", "2026年第一批入驻申请", "2026 first call for applications", -270, -180),
        ("2026-second-call", "2026年第二批入驻申请", "2026 second call for applications", -30, 45),
    )
    themes = list(Theme.objects.all())
    for slug, title, title_en, opens, closes in calls:
        call, created = Call.objects.get_or_create(
            slug=slug,
            defaults={
                "programme": programme,
                "title": title,
                "title_en": title_en,
                "opens_on": today + datetime.timedelta(days=opens),
                "closes_on": today + datetime.timedelta(days=closes),
                "checklist": checklist,
                "description": "面向海外高层次人才团队，重点支持坪山主导产业方向的项目。申请可用中文或英文填写。",
                "description_en": (
                    "For overseas high-level talent teams; projects in Pingshan's leading industries are preferred. "
                    "You may apply in English or Chinese."
                ),
            },
        )
        if created:
            call.themes.set(themes)
    log(f"talent: programme “{programme.name}”, {Call.objects.filter(programme=programme).count()} calls")


def _team_user(username, real_name, language, password_hash):
    """A team's account (every demo account shares the demo password)."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "real_name": real_name,
            "email": f"{username}@demo.pingshan-portal.cn",
            "preferred_language": language,
            "password": password_hash,
        },
    )
    if created:
        user.groups.add(group_for(RoleCode.APPLICANT))
    return user


def _answers(entry, theme):
    username, real_name, language, country, team, title, _code, _stage = entry
    chinese = language == "zh-hans"
    return {
        "team": [
            {
                "name": real_name,
                "role": "首席执行官" if chinese else "CEO",
                "nationality": "中国" if chinese else country,
                "residence": country,
                "degree": "phd",
                "institution": "",
                "passport_number": f"E{zlib.crc32(username.encode()) % 10**8:08d}",
                "comes_to_pingshan": True,
            },
            {
                "name": "李明" if chinese else "Sam Taylor",
                "role": "首席技术官" if chinese else "CTO",
                "nationality": "中国" if chinese else country,
                "residence": country,
                "degree": "master",
                "institution": "",
                "passport_number": "",
                "comes_to_pingshan": False,
            },
        ],
        "project": {
            "team_name": team,
            "title": title,
            "theme": theme.pk,
            "stage": "prototype",
            "technology": (
                f"{title}：核心技术已完成原型验证。"
                if chinese
                else f"{title}: the core technology is proven on a prototype."
            ),
            "ip": "已申请 PCT 专利 2 项。" if chinese else "Two PCT applications filed.",
            "market": "面向国内外龙头企业与科研机构。"
            if chinese
            else "Leading firms and research labs in Asia and Europe.",
            "funding_need": "5000000",
        },
        "services": {
            "services": ["company_registration", "visa", "financing"],
            "landing_plan": "三个月内在坪山注册公司，一年内组建十人研发团队。"
            if chinese
            else "Register a company in Pingshan within three months and build a ten-person R&D team within a year.",
        },
    }


def _draft(entry, call, user):
    theme = Theme.objects.filter(code=entry[6]).first() or Theme.objects.first()
    application = applications.start(actor=user, kind=BASE_APPLICATION, owner=call)
    for code, data in _answers(entry, theme).items():
        applications.save_step(actor=user, application=application, step=code, data=data)
    for item in call.checklist.items.filter(required=True):
        upload = SimpleUploadedFile(
            f"{item.code}.pdf", tiny_pdf(entry[5], item.name_en), content_type="application/pdf"
        )
        applications.add_attachment(actor=user, application=application, item=item, upload=upload)
    return application


def _score(officer, base, experts, *, close):
    review_round = review.start_review(
        actor=officer,
        base=base,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        keys=["application:section:team", "application:section:project", "application:section:services"],
    )
    criteria = list(review_round.rubric.criteria.order_by("sort_order", "pk"))
    for index, expert in enumerate(experts):
        assignment = reviews.assign_expert(actor=officer, review_round=review_round, expert=expert)
        reviews.accept_assignment(actor=expert.user, assignment=assignment)
        reviews.declare_conflict(actor=expert.user, assignment=assignment, has_conflict=False)
        if close or index < len(experts) - 1:
            values = {
                criterion.pk: criterion.scale_max - 2 - (index + position) % 3
                for position, criterion in enumerate(criteria)
            }
            reviews.submit_scorecard(actor=expert.user, assignment=assignment, values=values)
    if close:
        reviews.close_round(actor=officer, review_round=review_round)
    return review_round


def _take(entry, base, people, experts):
    """Move the sent application on to the stage its entry names."""
    officer, director = people["talent_officer"], people["talent_director"]
    stage = entry[7]
    if stage == "check":
        return
    if stage == "supplement":
        applications.request_supplement(
            actor=officer,
            application=base.application,
            message=(
                "The business plan has no financial forecast. Please add a three-year forecast (revenue, costs, "
                "headcount) and revise the project section.\n请补充三年财务预测并修改项目信息。"
            ),
            deadline=timezone.localdate() + datetime.timedelta(days=7),
            items=list(base.call.checklist.items.filter(code="business-plan")),
            sections=["project"],
        )
        return
    if stage == "expired":
        applications.request_supplement(
            actor=officer,
            application=base.application,
            message="请补充团队成员简历原件扫描件。",
            deadline=timezone.localdate(),
        )
        applications.expire_overdue_supplements(now=timezone.now() + datetime.timedelta(days=1))
        return
    if stage == "withdrawn":
        applications.withdraw(
            actor=base.application.applicant, application=base.application, reason="团队决定暂缓回国。"
        )
        return
    if stage == "rejected":
        admissions.decide(
            actor=officer,
            base=base,
            decision="reject",
            reason="项目方向与坪山主导产业契合度不足，团队尚无全职成员。",
            reason_en="The project fits Pingshan's leading industries poorly and the team has no full-time member yet.",
        )
        return
    base = admissions.send_to_review(actor=officer, base=base)
    if stage == "review":
        _score(officer, base, experts, close=False)
        return
    _score(officer, base, experts, close=True)
    if stage == "scored":
        return
    base = admissions.decide(
        actor=officer,
        base=BaseApplication.objects.get(pk=base.pk),
        decision="admit",
        reason="团队背景扎实，技术具有国际先进水平，落地计划清晰，同意入驻。",
        reason_en="A strong team with internationally advanced technology and a clear landing plan: admitted.",
    )
    if stage == "letter":
        return  # the letter waits for the director's signature
    opinions.sign_off(actor=director, opinion=base.letter, approve=True)
    opinions.issue_now(opinion_id=base.letter_id, actor_id=officer.pk)
    if stage == "onboarding":
        return
    base = BaseApplication.objects.get(pk=base.pk)
    admissions.record_onboarding(
        actor=officer,
        base=base,
        company_name=f"深圳{base.team_name}科技有限公司"[:60],
        uscc=_uscc(base.pk),
        registered_on=timezone.localdate() - datetime.timedelta(days=60),
        incubation_seat=f"基地 B 栋 {300 + base.pk % 40} 室",
    )
    base = admissions.activate(actor=officer, base=BaseApplication.objects.get(pk=base.pk))
    if stage == "active":
        return
    ending = "graduate" if stage == "graduated" else "leave"
    reason = "完成孵化目标，迁入坪山产业园。" if ending == "graduate" else "团队核心成员变动，主动申请退出。"
    admissions.end(actor=officer, base=base, ending=ending, reason=reason)


def _uscc(number):
    from portal.organizations.validators import uscc_check_character

    first17 = f"91440310MA5{number:06d}".replace("I", "1")[:17]
    return first17 + uscc_check_character(first17)


@demo_step(order=305)
def seed_base_applications(log):
    programme = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    people = _users("talent_officer", "talent_director")
    if programme is None or len(people) < 2:
        return
    first, second = Call.objects.get(slug="2026-first-call"), Call.objects.get(slug="2026-second-call")
    experts = list(
        Expert.objects.filter(user__username__in=("evaluator1", "evaluator2", "evaluator5")).select_related("user")
    )
    made = 0
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: each hash costs ~0.4 s
    for entry in TEAMS:
        user = _team_user(entry[0], entry[1], entry[2], password_hash)
        # Teams admitted long ago applied to the first call (the window was open then); the rest to the open one.
        call = first if entry[7] in ("active", "graduated", "exited") else second
        if Application.objects.filter(applicant=user, kind=BASE_APPLICATION.code).exists():
            continue
        if call == first:
            # The first call is closed now: its applications are replayed with the window open, then it closes.
            Call.objects.filter(pk=first.pk).update(closes_on=timezone.localdate())
            call.refresh_from_db()
        application = _draft(entry, call, user)
        if entry[7] != "draft":
            application = applications.submit(actor=user, application=application)
            _take(entry, application.base_application, people, experts)
        if call == first:
            Call.objects.filter(pk=first.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=180))
        made += 1
    log(f"talent: {made} base applications made, {BaseApplication.objects.count()} in all")


demo_step(order=308)(seed_libraries)
demo_step(order=310)(seed_roadshows)
demo_step(order=312)(seed_service_requests)
demo_step(order=320)(seed_special_programme)
demo_step(order=322)(seed_special_applications)
demo_step(order=330)(read_finished_notifications)
