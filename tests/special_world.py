"""A special-talent world for tests: the programme with its officers and director, a sector authority with its
pre-reviewer, an employer (a user of a registered organization) and another, experts, members of the talent work
meeting, an open call — and applications taken through the services up to any stage, as real use would.

    world = build_special_world()
    special = special_application(world, stage=SpecialStage.PANEL)

Stages after the panel use the services of talent/services/deliberations.py, notices.py and filing.py; until each
exists, asking for a stage that needs it fails loudly (ImportError), never silently.
"""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from portal.accounts.roles import RoleCode
from portal.applications import services as applications
from portal.applications.models import Checklist, ChecklistItem
from portal.organizations.models import OrganizationContactRole, OrganizationKind, OrganizationUser
from portal.pagecache import store
from portal.reviews import testing as review_testing
from portal.reviews.models import Criterion, Rubric
from talent.models import Call, Programme, ProgrammeKind, SectorAuthority, SpecialStage
from talent.special_kind import SPECIAL_APPLICATION
from tests.factories import OrganizationFactory, UserFactory, make_uscc
from tests.talent_world import PDF, theme

RUBRIC = (
    ("社会经济效益", "Social-economic benefit", 30),
    ("行业影响力", "Industry influence", 30),
    ("不可替代性", "Irreplaceability", 20),
    ("发展潜力", "Development potential", 20),
)

# A resident ID number with a correct check character (GB 11643): born 1958-03-07, over the age limit.
RESIDENT_ID = "440308195803070013"
BIRTH_DATE = "1958-03-07"


def make_rubric():
    rubric = Rubric.objects.create(name="特殊人才评审表", name_en="Special-talent review form")
    for order, (name, name_en, weight) in enumerate(RUBRIC):
        Criterion.objects.create(
            rubric=rubric, sort_order=order, name_zh=name, name_en=name_en, weight=weight, scale_min=0, scale_max=10
        )
    return rubric


def make_checklist():
    checklist = Checklist.objects.create(name="特殊人才申报材料", name_en="Special-talent documents")
    ChecklistItem.objects.create(
        checklist=checklist, code="recommendations", name="推荐信", name_en="Recommendation letters"
    )
    ChecklistItem.objects.create(
        checklist=checklist, code="evidence", name="贡献证明材料", name_en="Evidence of contribution", required=False
    )
    return checklist


def employer_user(username, organization_name):
    user = UserFactory(username=username, roles=[RoleCode.APPLICANT], real_name="杨人事")
    organization = OrganizationFactory(
        name=organization_name, uscc=make_uscc(), kind=OrganizationKind.ENTERPRISE, registered_in_pingshan=True
    )
    OrganizationUser.objects.create(organization=organization, user=user, role=OrganizationContactRole.CONTACT)
    return user, organization


def build_special_world():
    officer = UserFactory(username="special_officer_t", roles=[RoleCode.TALENT_OFFICER], real_name="黄人才")
    other_officer = UserFactory(username="special_other_t", roles=[RoleCode.TALENT_OFFICER], real_name="李别处")
    director = UserFactory(username="special_director_t", real_name="周主任")
    reviewer = UserFactory(username="authority_t", roles=[RoleCode.AUTHORITY], real_name="马主管")
    other_reviewer = UserFactory(username="authority_other_t", roles=[RoleCode.AUTHORITY], real_name="钱主管")
    biomed = theme()
    other_theme = theme("nev", "新能源汽车", "New energy vehicles")
    rubric = make_rubric()
    checklist = make_checklist()
    programme = Programme.objects.create(
        name="坪山区特殊人才认定",
        name_en="Pingshan special-talent recognition",
        slug="special",
        kind=ProgrammeKind.SPECIAL_TALENT,
        director=director,
        rubric=rubric,
        notice_days=7,
    )
    programme.officers.set([officer])
    other_programme = Programme.objects.create(
        name="另一特殊人才计划",
        name_en="Another special-talent programme",
        slug="special-other",
        kind=ProgrammeKind.SPECIAL_TALENT,
        rubric=rubric,
    )
    other_programme.officers.set([other_officer])
    bureau = OrganizationFactory(
        name="深圳市坪山区工业和信息化局", uscc=make_uscc("11440310"), kind=OrganizationKind.GOVERNMENT
    )
    other_bureau = OrganizationFactory(
        name="深圳市坪山区发展和改革局", uscc=make_uscc("11440310"), kind=OrganizationKind.GOVERNMENT
    )
    authority = SectorAuthority.objects.create(programme=programme, organization=bureau)
    authority.themes.set([biomed])
    authority.reviewers.set([reviewer])
    other_authority = SectorAuthority.objects.create(programme=programme, organization=other_bureau)
    other_authority.themes.set([other_theme])
    other_authority.reviewers.set([other_reviewer])
    today = timezone.localdate()
    call = Call.objects.create(
        programme=programme,
        title="2026年特殊人才认定申报",
        title_en="2026 special-talent applications",
        slug="special-2026",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=60),
        checklist=checklist,
    )
    call.themes.set([biomed, other_theme])
    employer, organization = employer_user("employer_t", "深圳坪山生物制药有限公司")
    other_employer, other_organization = employer_user("employer_other_t", "深圳另一家制药有限公司")
    world = SimpleNamespace(
        officer=officer,
        other_officer=other_officer,
        director=director,
        reviewer=reviewer,
        other_reviewer=other_reviewer,
        theme=biomed,
        other_theme=other_theme,
        rubric=rubric,
        checklist=checklist,
        programme=programme,
        other_programme=other_programme,
        authority=authority,
        other_authority=other_authority,
        call=call,
        employer=employer,
        organization=organization,
        other_employer=other_employer,
        other_organization=other_organization,
        outsider=UserFactory(username="special_outsider_t", roles=[RoleCode.APPLICANT]),
        experts=[],
        members=[],
    )
    for number in range(3):
        user = UserFactory(username=f"special_expert{number}_t", roles=[RoleCode.EVALUATOR])
        world.experts.append(review_testing.make_expert(user=user, name=f"特殊人才专家{number}"))
    for number in range(5):
        world.members.append(UserFactory(username=f"talent_meeting{number}_t", real_name=f"会议成员{number}"))
    return world


def answers(theme_pk, *, name="张工", id_kind="resident_id", id_number=RESIDENT_ID, birth_date=BIRTH_DATE):
    return {
        "candidate": {
            "name": name,
            "name_en": "Zhang Gong",
            "id_kind": id_kind,
            "id_number": id_number,
            "birth_date": birth_date,
            "education": "高中，深圳市第二高级中学",
            "titles": "",
            "current_role": "首席工艺工程师",
            "field": "生物药连续流生产工艺",
            "theme": theme_pk,
            "achievements": "主持建成国内首条单抗连续流生产线，良率提升12%。",
        },
        "case": {
            "missed_criteria": ["age", "degree"],
            "missed_explanation": "年龄超过55周岁，无本科学历。",
            "need": "公司新建连续流车间投产在即，其工艺经验无人可替代。",
        },
        "contribution": {
            "revenue": "320000000.00",
            "tax": "18000000.00",
            "patents": "ZL202110012345.6 等发明专利5项",
            "awards": "广东省科技进步奖二等奖",
            "influence": "参与起草行业标准2项。",
            "recommenders": "王院士，中国工程院；李教授，南方科技大学",
        },
    }


def draft(world, employer=None, organization=None, **answer_options):
    """A filled-in draft with its recommendation letters attached."""
    employer = employer or world.employer
    organization = organization or world.organization
    application = applications.start(
        actor=employer, kind=SPECIAL_APPLICATION, owner=world.call, organization=organization
    )
    answer_options.setdefault("theme_pk", world.theme.pk)
    for code, data in answers(**answer_options).items():
        applications.save_step(actor=employer, application=application, step=code, data=data)
    item = world.call.checklist.items.get(code="recommendations")
    upload = SimpleUploadedFile("recommendations.pdf", PDF, content_type="application/pdf")
    applications.add_attachment(actor=employer, application=application, item=item, upload=upload)
    return application


def reload(special):
    return type(special).objects.get(pk=special.pk)


def scored_panel(world, special):
    """A panel round on ``special``, scored by the world's three experts and closed."""
    from portal.reviews import services as reviews
    from talent.services import panel

    review_round = panel.start_panel(
        actor=world.officer, special=special, deadline=timezone.localdate() + datetime.timedelta(days=7)
    )
    for expert in world.experts:
        assignment = review_testing.cleared_assignment(world.officer, review_round, expert)
        review_testing.submit(assignment, 8, 9, 8, 7)
    reviews.close_round(actor=world.officer, review_round=review_round)
    return review_round


def special_application(world, stage=SpecialStage.PRE_REVIEW, *, employer=None, organization=None, **answer_options):
    """An application taken through the services up to ``stage``."""
    from talent.services import special as services

    application = applications.submit(
        actor=employer or world.employer, application=draft(world, employer, organization, **answer_options)
    )
    special = application.special_application
    if stage == SpecialStage.PRE_REVIEW:
        return special
    if stage == SpecialStage.WITHDRAWN:
        applications.withdraw(actor=application.applicant, application=application)
        return reload(special)
    if stage == SpecialStage.DECLINED:
        return services.pre_review(
            actor=world.reviewer, special=special, outcome="decline", opinion="不符合本行业急需紧缺方向。"
        )
    special = services.pre_review(
        actor=world.reviewer, special=special, outcome="pass_pre_review", opinion="符合产业急需，同意推荐。"
    )
    if stage == SpecialStage.PANEL:
        return special
    scored_panel(world, special)
    special = services.send_to_deliberation(actor=world.officer, special=reload(special))
    if stage == SpecialStage.DELIBERATION:
        return special
    return _after_deliberation(world, special, stage)


def _after_deliberation(world, special, stage):
    """The meeting votes (yes, unless ``stage`` is REJECTED); then the notice, the filing, the decision."""
    from talent.services import deliberations

    passes = stage != SpecialStage.REJECTED
    meeting = deliberations.convene(
        actor=world.officer,
        programme=world.programme,
        title="2026年第四次区人才工作会议",
        starts_at=timezone.now(),
        members=world.members,
    )
    item = deliberations.add_item(actor=world.officer, deliberation=meeting, special=special)
    deliberations.record_attendance(actor=world.officer, deliberation=meeting, present=world.members)
    deliberations.open_session(actor=world.officer, deliberation=meeting)
    vote(world, reload_item(item), "yes" if passes else "no")
    deliberations.close_item(actor=world.officer, item=reload_item(item))
    special = reload(special)
    if stage in (SpecialStage.NOTICE, SpecialStage.REJECTED):
        return special
    end_notice(special)
    from talent.services import filing, notices

    notices.send_to_filing(actor=world.officer, special=reload(special))
    special = reload(special)
    if stage == SpecialStage.FILING:
        return special
    filing.record_filing(
        actor=world.officer, special=special, filing_number="深人社特备〔2026〕0012号", filed_on=timezone.localdate()
    )
    return filing.decide(
        actor=world.officer,
        special=reload(special),
        decision="approve",
        reason="经备案同意认定。",
        quota_reference="坪人才指标〔2026〕3号",
    )


def reload_item(item):
    return type(item).objects.get(pk=item.pk)


def vote(world, item, choice):
    """Every member present casts ``choice`` on the item's poll (portal.voting)."""
    from portal.voting import services as voting

    for member in world.members:
        if item.recused.filter(pk=member.pk).exists():
            continue
        voting.cast_ballot(actor=member, poll=item.poll, choice=choice)


def end_notice(special):
    """Move the notice period into the past (as if its days had gone by): a test's clock, not a service. Midnight
    went by too: every kept public page expired then."""
    today = timezone.localdate()
    type(special).objects.filter(pk=special.pk).update(
        notice_starts_on=today - datetime.timedelta(days=10), notice_ends_on=today - datetime.timedelta(days=1)
    )
    store.purge(store.ALL)
