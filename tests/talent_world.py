"""A talent world for tests: the offshore base programme with its officers and director, another programme, an open
and a closed call, teams and their base applications in any stage — every step taken through the services, as
real use would. Reused by the talent test files and permission matrices.

    world = build_world()
    base = base_application(world, world.team, stage=BaseStage.ONBOARDING)
"""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.accounts.roles import RoleCode
from portal.applications import services as applications
from portal.applications.models import Checklist, ChecklistItem
from portal.reviews import testing as review_testing
from portal.reviews.models import Criterion, Rubric
from talent.base_kind import BASE_APPLICATION
from talent.models import BaseStage, Call, Programme, ProgrammeKind
from talent.services import admissions, review
from tests.factories import UserFactory
from themes.models import Theme

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

RUBRIC = (
    ("团队", "Team", 20),
    ("技术", "Technology", 20),
    ("知识产权", "IP", 15),
    ("市场", "Market", 15),
    ("产业契合度", "Fit with Pingshan industries", 15),
    ("落地计划", "Landing plan", 15),
)


def theme(code="biomed", name="生物医药", name_en="Biomedicine"):
    theme, _created = Theme.objects.get_or_create(code=code, defaults={"name_zh": name, "name_en": name_en})
    return theme


def make_rubric():
    rubric = Rubric.objects.create(name="海外人才项目评审表", name_en="Offshore base review form")
    for order, (name, name_en, weight) in enumerate(RUBRIC):
        Criterion.objects.create(
            rubric=rubric, sort_order=order, name_zh=name, name_en=name_en, weight=weight, scale_min=0, scale_max=10
        )
    return rubric


def make_checklist():
    checklist = Checklist.objects.create(name="入驻申请材料", name_en="Base application documents")
    ChecklistItem.objects.create(checklist=checklist, code="business-plan", name="商业计划书", name_en="Business plan")
    ChecklistItem.objects.create(
        checklist=checklist, code="passports", name="团队护照复印件", name_en="Team passports", required=False
    )
    return checklist


def make_programme(slug="offshore", *, officers=(), director=None, rubric=None):
    programme = Programme.objects.create(
        name=f"海外人才离岸创新创业基地{slug}",
        name_en=f"Offshore Talent Base {slug}",
        slug=slug,
        kind=ProgrammeKind.OFFSHORE_BASE,
        director=director,
        rubric=rubric,
    )
    programme.officers.set(officers)
    return programme


def make_call(programme, slug, *, opens=-10, closes=20, themes=(), checklist=None):
    today = timezone.localdate()
    call = Call.objects.create(
        programme=programme,
        title=f"{slug} 入驻申请批次",
        title_en=f"{slug} call for applications",
        slug=slug,
        opens_on=today + datetime.timedelta(days=opens),
        closes_on=today + datetime.timedelta(days=closes),
        checklist=checklist,
        description="面向海外人才团队。",
        description_en="For overseas talent teams.",
    )
    call.themes.set(themes)
    return call


def answers(theme_pk, *, team_name="Aurora Bio Team", title="Single-cell protein sequencing"):
    return {
        "team": [
            {
                "name": "Dr. Kenji Sato",
                "role": "CEO",
                "nationality": "Japan",
                "residence": "Japan",
                "degree": "phd",
                "institution": "Kyoto University",
                "passport_number": "TK1234567",
                "comes_to_pingshan": True,
            }
        ],
        "project": {
            "team_name": team_name,
            "title": title,
            "theme": theme_pk,
            "stage": "prototype",
            "technology": "Nanopore single-cell protein sequencing with machine-learning base calling.",
            "ip": "PCT/JP2025/001234 filed.",
            "market": "Proteomics core labs and biotech companies in Asia.",
            "funding_need": "5000000.00",
        },
        "services": {"services": ["company_registration", "visa"], "landing_plan": "Register in Pingshan in Q1."},
    }


def build_world():
    officer = UserFactory(username="talent_officer_t", roles=[RoleCode.TALENT_OFFICER], real_name="黄人才")
    other_officer = UserFactory(username="talent_other_t", roles=[RoleCode.TALENT_OFFICER], real_name="李别处")
    director = UserFactory(username="talent_director_t", real_name="周主任")
    biomed = theme()
    rubric = make_rubric()
    checklist = make_checklist()
    programme = make_programme(officers=[officer], director=director, rubric=rubric)
    other_programme = make_programme("elsewhere", officers=[other_officer], rubric=rubric)
    world = SimpleNamespace(
        officer=officer,
        other_officer=other_officer,
        director=director,
        theme=biomed,
        rubric=rubric,
        checklist=checklist,
        programme=programme,
        other_programme=other_programme,
        call=make_call(programme, "open-call", themes=[biomed], checklist=checklist),
        closed_call=make_call(programme, "closed-call", opens=-60, closes=-30, themes=[biomed], checklist=checklist),
        team=team_user("team_t", "Dr. Kenji Sato"),
        other_team=team_user("team_other_t", "Dr. Anna Müller"),
        outsider=UserFactory(username="outsider_t", roles=[RoleCode.APPLICANT]),
        experts=[],
    )
    for number in range(3):
        user = UserFactory(username=f"talent_expert{number}_t", roles=[RoleCode.EVALUATOR])
        world.experts.append(review_testing.make_expert(user=user, name=f"评审专家{number}"))
    return world


def team_user(username, real_name):
    return UserFactory(username=username, roles=[RoleCode.APPLICANT], real_name=real_name, preferred_language="en")


def draft(world, applicant, call=None, **answer_options):
    """A filled-in draft with its business plan attached."""
    call = call or world.call
    application = applications.start(actor=applicant, kind=BASE_APPLICATION, owner=call)
    for code, data in answers(world.theme.pk, **answer_options).items():
        applications.save_step(actor=applicant, application=application, step=code, data=data)
    plan = call.checklist.items.get(code="business-plan")
    upload = SimpleUploadedFile("business-plan.pdf", PDF, content_type="application/pdf")
    applications.add_attachment(actor=applicant, application=application, item=plan, upload=upload)
    return application


def scored_review(world, base):
    """A review round on ``base``, scored by the world's three experts and closed."""
    review_round = review.start_review(
        actor=world.officer, base=base, deadline=timezone.localdate() + datetime.timedelta(days=7)
    )
    from portal.reviews import services as reviews

    for expert in world.experts:
        assignment = review_testing.cleared_assignment(world.officer, review_round, expert)
        review_testing.submit(assignment, 8, 7, 7, 8, 9, 8)
    reviews.close_round(actor=world.officer, review_round=review_round)
    return review_round


def base_application(world, applicant, stage=BaseStage.CHECK, **answer_options):
    """A base application taken through the services up to ``stage``."""
    application = applications.submit(actor=applicant, application=draft(world, applicant, **answer_options))
    base = application.base_application
    if stage == BaseStage.CHECK:
        return base
    if stage == BaseStage.EXPIRED:
        raise ValueError("expire through applications.expire_overdue_supplements")
    if stage == BaseStage.WITHDRAWN:
        applications.withdraw(actor=applicant, application=application)
        return reload(base)
    if stage == BaseStage.REJECTED:
        return admissions.decide(
            actor=world.officer, base=base, decision="reject", reason="材料不完整且不符合产业方向。"
        )
    base = admissions.send_to_review(actor=world.officer, base=base)
    if stage == BaseStage.REVIEW:
        return base
    scored_review(world, base)
    base = admissions.decide(actor=world.officer, base=reload(base), decision="admit", reason="团队与技术优秀。")
    if stage == BaseStage.ONBOARDING:
        return base
    admissions.record_onboarding(
        actor=world.officer,
        base=base,
        company_name="深圳极光生物科技有限公司",
        uscc=_uscc(),
        registered_on=timezone.localdate(),
        incubation_seat="A栋 3楼 301",
    )
    base = admissions.activate(actor=world.officer, base=reload(base))
    if stage == BaseStage.ACTIVE:
        return base
    ending = "graduate" if stage == BaseStage.GRADUATED else "leave"
    return admissions.end(actor=world.officer, base=base, ending=ending, reason="完成孵化。")


def reload(base):
    return type(base).objects.get(pk=base.pk)


def _uscc():
    from tests.factories import make_uscc

    return make_uscc()


def issue_letter(world, base):
    """The director signs the decision letter and it is issued now (the task's work, done in place)."""
    from portal.opinions import services as opinions

    opinions.sign_off(actor=world.director, opinion=base.letter, approve=True)
    opinions.issue_now(opinion_id=base.letter_id, actor_id=world.officer.pk)
    return reload(base)


def roadshow_values(**changes):
    """What an officer posts to announce a roadshow in twenty days."""
    day = timezone.localdate() + datetime.timedelta(days=20)
    data = {
        "title": "2027年春季海外项目路演",
        "title_en": "Spring 2027 overseas project roadshow",
        "slug": "spring-2027",
        "starts_at": f"{day.isoformat()}T14:00",
        "ends_at": f"{day.isoformat()}T17:30",
        "venue": "坪山会堂",
        "venue_en": "Pingshan Hall",
        "registration_closes_on": (day - datetime.timedelta(days=3)).isoformat(),
        "capacity": "40",
        "description": "",
        "description_en": "",
        "is_published": "on",
    }
    data.update(changes)
    return data


def call_values(world, opens_in=-1, **changes):
    """The office's call form for a call of the world's programme, opening ``opens_in`` days from today."""
    today = timezone.localdate()
    data = {
        "title": "2027年第一批入驻申请",
        "title_en": "2027 first call",
        "slug": "2027-first",
        "opens_on": (today + datetime.timedelta(days=opens_in)).isoformat(),
        "closes_on": (today + datetime.timedelta(days=90)).isoformat(),
        "themes": [world.theme.pk],
        "checklist": world.checklist.pk,
        "description": "面向海外人才团队。",
        "description_en": "For overseas teams.",
        "is_published": "on",
    }
    data.update(changes)
    return data
