"""Talent at scale (``manage.py seed_scale``, issue 14): on top of the demo's programmes, a call every half-year since
2021 for the offshore base and a yearly one for special talent, 20,000 base applications of overseas teams, 20,000
special-talent applications of 500 employers (with their stage visits), 40,000 scorecards of the rounds that
reviewed them, and 10,000 library entries (``scale_libraries.py``). Written in bulk statements: no service,
signal, notification or mail per row. Registered in ``TalentConfig.ready()``."""

import datetime
from functools import partial

from django.contrib.contenttypes.models import ContentType

from portal import scale
from portal.accounts.roles import RoleCode
from portal.accounts.scale import make_people
from portal.applications.models import Application, ApplicationState
from portal.applications.scale import Planned, make_applications
from portal.applications.sealing import reseal, seal_value
from portal.id_numbers import resident_id_check_character
from portal.organizations.scale import link_contacts, make_organizations, scale_uscc
from portal.reviews.models import ReviewRound
from portal.reviews.scale import PlannedRound, expert_pool, make_rounds
from themes.models import Theme

from . import scale_libraries
from .base_kind import BASE_APPLICATION
from .demo import PROGRAMME_SLUG as BASE_SLUG
from .demo_special import PROGRAMME_SLUG as SPECIAL_SLUG
from .models import (
    BaseApplication,
    BaseStage,
    Call,
    IdKind,
    MissedCriterion,
    Programme,
    ProjectStage,
    SpecialStage,
    SpecialTalentApplication,
    StageVisit,
)
from .special_kind import SPECIAL_APPLICATION
from .statuses import DECIDED, SPECIAL_DECIDED, special_status_for, status_for

EMPLOYERS = "XT"  # the scaled employers' credit codes: 91440310XT…
COMPANIES = "XB"  # the companies the admitted teams registered in Pingshan: 91440310XB…
FIRST_YEAR = 2021
BASE_WHERE = (
    (BaseStage.CHECK, 10),
    (BaseStage.REVIEW, 10),
    (BaseStage.ONBOARDING, 5),
    (BaseStage.ACTIVE, 15),
    (BaseStage.GRADUATED, 8),
    (BaseStage.EXITED, 4),
    (BaseStage.REJECTED, 30),
    (BaseStage.EXPIRED, 8),
    (BaseStage.WITHDRAWN, 10),
)
BASE_PATH = (BaseStage.CHECK, BaseStage.REVIEW, BaseStage.ONBOARDING, BaseStage.ACTIVE)
SPECIAL_WHERE = (
    (SpecialStage.PRE_REVIEW, 10),
    (SpecialStage.PANEL, 8),
    (SpecialStage.DELIBERATION, 5),
    (SpecialStage.NOTICE, 4),
    (SpecialStage.FILING, 4),
    (SpecialStage.APPROVED, 30),
    (SpecialStage.DECLINED, 15),
    (SpecialStage.REJECTED, 12),
    (SpecialStage.EXPIRED, 5),
    (SpecialStage.WITHDRAWN, 7),
)
SPECIAL_PATH = (
    SpecialStage.PRE_REVIEW,
    SpecialStage.PANEL,
    SpecialStage.DELIBERATION,
    SpecialStage.NOTICE,
    SpecialStage.FILING,
    SpecialStage.APPROVED,
)
# Where an application was when it ended otherwise than at the end of its path.
SPECIAL_LEFT_FROM = {
    SpecialStage.DECLINED: SpecialStage.PRE_REVIEW,
    SpecialStage.REJECTED: SpecialStage.DELIBERATION,
    SpecialStage.EXPIRED: SpecialStage.PRE_REVIEW,
    SpecialStage.WITHDRAWN: SpecialStage.PANEL,
}
PROJECTS = (
    ("固态电池电解质材料", "Solid-state battery electrolyte"),
    ("肿瘤早筛液体活检", "Liquid biopsy for early cancer screening"),
    ("车规级功率芯片", "Automotive power semiconductors"),
    ("工业视觉检测平台", "Machine-vision inspection platform"),
    ("合成生物香料", "Synthetic-biology flavours"),
    ("氢燃料电池电堆", "Hydrogen fuel-cell stack"),
    ("可穿戴心电监测", "Wearable ECG monitoring"),
    ("低空物流无人机", "Low-altitude delivery drones"),
)
FIELDS = ("新能源汽车动力系统", "创新药研发", "集成电路设计", "智能制造", "新材料", "生物医药临床研究")
DRAFT_SHARE = 0.12


def _weighted(context, table):
    return context.rng.choices([value for value, _weight in table], weights=[weight for _value, weight in table])[0]


def _programme(slug) -> Programme:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        raise scale.MissingDemo(f"The demo programme {slug} is missing.")
    return programme


def _calls(context, programme, *, per_year: int, template_slug: str) -> list:
    """The programme's calls since 2021 (``per_year`` a year), made like its demo call (checklist, themes)."""
    template = Call.objects.filter(programme=programme).order_by("pk").first()
    if template is None:
        raise scale.MissingDemo(f"The demo programme {programme.slug} has no call.")
    calls = []
    for year in range(FIRST_YEAR, context.now.year + 1):
        for half in range(per_year):
            opens = datetime.date(year, 1 + 6 * half, 10)
            if opens >= context.now.date():
                break
            calls.append(
                Call(
                    programme=programme,
                    title=f"{year}年{'第二批' if half else '第一批' if per_year > 1 else ''}{programme.name}申报",
                    title_en=f"{programme.name_en or programme.name} {year}"
                    + (f" ({half + 1})" if per_year > 1 else ""),
                    slug=f"{scale.MARK}-{template_slug}-{year}-{half + 1}",
                    opens_on=opens,
                    closes_on=opens + datetime.timedelta(days=150 if per_year > 1 else 330),
                    checklist=template.checklist,
                    description=template.description,
                    description_en=template.description_en,
                    is_published=True,
                )
            )
    Call.objects.bulk_create(calls, batch_size=scale.BATCH)
    Themes = Call.themes.through
    themes = list(template.themes.all()) or list(Theme.objects.all())
    Themes.objects.bulk_create(
        (Themes(call_id=call.pk, theme_id=theme.pk) for call in calls for theme in themes), batch_size=scale.BATCH
    )
    return calls


def _call_of(context, calls):
    """A call, and a moment while it was open (not after now)."""
    call = context.rng.choice(calls)
    start = datetime.datetime.combine(call.opens_on, datetime.time(9), tzinfo=scale.SHANGHAI)
    sent = context.later(start, days=max(1, (call.closes_on - call.opens_on).days))
    return call, min(sent, context.now - datetime.timedelta(hours=1))


def _engine_state(stage, decided, *, expired, withdrawn) -> str:
    if stage == expired:
        return ApplicationState.EXPIRED
    if stage == withdrawn:
        return ApplicationState.WITHDRAWN
    return ApplicationState.CLOSED if stage in decided else ApplicationState.SUBMITTED


# --- the offshore base --------------------------------------------------------------------------------------------


def seed_base(count, context) -> int:
    programme = _programme(BASE_SLUG)
    calls = _calls(context, programme, per_year=2, template_slug="base")
    themes = list(Theme.objects.order_by("pk"))
    teams = make_people(context, kind="team", count=max(1, count // 2), role=RoleCode.APPLICANT, english_share=0.7)
    officers = list(programme.officers.order_by("pk")) or teams[:1]
    drafts, sent = [], []
    for n in range(count):
        team = teams[n % len(teams)]
        call, moment = _call_of(context, calls)
        zh, en = context.rng.choice(PROJECTS)
        theme = context.rng.choice(themes)
        english = team.preferred_language == "en"
        answers = {
            "project": {
                "team_name": f"{team.real_name} Team" if english else f"{team.real_name}团队",
                "title": f"{en} ({n + 1})" if english else f"{zh}（{n + 1}）",
                "theme": theme.pk,
                "stage": context.rng.choice(ProjectStage.values),
                "technology": en if english else zh,
                "market": "Global" if english else "国内与海外市场",
            },
            "team": [{"name": team.real_name, "role": "Founder", "passport_number": f"E{n:08d}"}],
        }
        answers, _counts = reseal(answers, BASE_APPLICATION.private_fields, seal_value)
        if context.rng.random() < DRAFT_SHARE:
            drafts.append((call, Planned(team, None, answers, ApplicationState.DRAFT, "draft", moment)))
            continue
        stage = _weighted(context, BASE_WHERE)
        state = _engine_state(stage, DECIDED, expired=BaseStage.EXPIRED, withdrawn=BaseStage.WITHDRAWN)
        created = moment - datetime.timedelta(days=context.rng.randrange(1, 20))
        sent.append((call, Planned(team, None, answers, state, status_for(stage), created, moment), stage, theme))
    written = 0
    for call in calls:
        own_drafts = [plan for owner, plan in drafts if owner is call]
        own_sent = [(plan, stage, theme) for owner, plan, stage, theme in sent if owner is call]
        applications = make_applications(BASE_APPLICATION.code, call, own_drafts + [plan for plan, *_ in own_sent])
        written += len(applications)
        bases = []
        for application, (plan, stage, theme) in zip(applications[len(own_drafts) :], own_sent, strict=True):
            bases.append(_base(context, application, call, plan, stage, theme, officers))
        BaseApplication.objects.bulk_create(bases, batch_size=scale.BATCH)
    context.log(f"{len(calls)} calls, {len(teams):,} overseas teams")
    return written


def _base(context, application, call, plan, stage, theme, officers) -> BaseApplication:
    project = plan.answers["project"]
    changed = context.later(plan.submitted_at, days=200 if stage in (BaseStage.GRADUATED, BaseStage.EXITED) else 60)
    decided = stage not in (BaseStage.CHECK, BaseStage.REVIEW, BaseStage.EXPIRED, BaseStage.WITHDRAWN)
    admitted = stage in BASE_PATH[2:] or stage in (BaseStage.GRADUATED, BaseStage.EXITED)
    registered = admitted and stage != BaseStage.ONBOARDING
    base = BaseApplication(
        application=application,
        call=call,
        team_name=project["team_name"],
        theme=theme,
        project_stage=project["stage"],
        stage=stage,
        stage_changed_at=changed,
        decided_at=changed if decided else None,
        decided_by=context.rng.choice(officers) if decided else None,
        decision_reason="专家评审综合得分达到入驻标准。" if admitted else "综合得分未达入驻标准。" if decided else "",
    )
    if registered:
        base.company_name = f"深圳坪山{project['team_name'][:20]}科技有限公司"
        base.uscc = scale_uscc(COMPANIES, application.pk)
        base.registered_on = changed.date()
        base.incubation_seat = f"坪山海外人才基地 {context.rng.randrange(1, 6)}栋{context.rng.randrange(101, 999)}"
    if stage in (BaseStage.GRADUATED, BaseStage.EXITED):
        base.ended_on = changed.date()
        base.end_reason = "完成孵化，迁入产业园区。" if stage == BaseStage.GRADUATED else "团队调整，退出基地。"
    return base


# --- special talent ------------------------------------------------------------------------------------------------


def seed_special(count, context) -> int:
    programme = _programme(SPECIAL_SLUG)
    calls = _calls(context, programme, per_year=1, template_slug="special")
    authorities = list(programme.sector_authorities.prefetch_related("themes"))
    covered = [(authority, theme) for authority in authorities for theme in authority.themes.all()]
    if not covered:
        raise scale.MissingDemo("The special-talent programme has no sector authority.")
    employers = max(1, min(500, count // 40))
    names = [(f"深圳坪山{context.rng.choice(FIELDS)[:4]}科技有限公司（{n:04d}）", "") for n in range(1, employers + 1)]
    organizations = make_organizations(context, series=EMPLOYERS, names=names)
    people = make_people(context, kind="employer", count=len(organizations), role=RoleCode.APPLICANT)
    link_contacts(zip(organizations, people, strict=True))
    drafts, sent = [], []
    for n in range(count):
        employer, contact = organizations[n % len(organizations)], people[n % len(people)]
        call, moment = _call_of(context, calls)
        authority, theme = context.rng.choice(covered)
        candidate = _candidate(context, n, theme)
        answers, _counts = reseal(
            {"candidate": candidate, "case": _case(context)}, SPECIAL_APPLICATION.private_fields, seal_value
        )
        if context.rng.random() < DRAFT_SHARE:
            drafts.append((call, Planned(contact, employer, answers, ApplicationState.DRAFT, "draft", moment)))
            continue
        stage = _weighted(context, SPECIAL_WHERE)
        state = _engine_state(stage, SPECIAL_DECIDED, expired=SpecialStage.EXPIRED, withdrawn=SpecialStage.WITHDRAWN)
        created = moment - datetime.timedelta(days=context.rng.randrange(1, 20))
        planned = Planned(contact, employer, answers, state, special_status_for(stage), created, moment)
        sent.append((call, planned, stage, authority, theme, candidate))
    written, visits = 0, 0
    for call in calls:
        own_drafts = [plan for owner, plan in drafts if owner is call]
        own_sent = [row[1:] for row in sent if row[0] is call]
        applications = make_applications(SPECIAL_APPLICATION.code, call, own_drafts + [row[0] for row in own_sent])
        written += len(applications)
        specials, stays = [], []
        for application, row in zip(applications[len(own_drafts) :], own_sent, strict=True):
            special, special_visits = _special(context, application, call, *row)
            specials.append(special)
            stays.append(special_visits)
        SpecialTalentApplication.objects.bulk_create(specials, batch_size=scale.BATCH)
        rows = [
            (special.pk, visit.stage, visit.entered_at, visit.left_at)
            for special, special_visits in zip(specials, stays, strict=True)
            for visit in special_visits
        ]
        scale.insert_values(StageVisit, ("application", "stage", "entered_at", "left_at"), rows)
        visits += len(rows)
    context.log(f"{len(calls)} calls, {len(organizations):,} employers, {visits:,} stage visits")
    return written


def _candidate(context, n, theme) -> dict:
    foreign = context.rng.random() < 0.15
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=context.rng.randrange(365 * 35))
    if foreign:
        number, kind = f"P{n:08d}", IdKind.PASSPORT
    else:
        first17 = f"440310{birth:%Y%m%d}{n % 1000:03d}"
        number, kind = first17 + resident_id_check_character(first17), IdKind.RESIDENT_ID
    name = context.english_name() if foreign else context.chinese_name()
    return {
        "name": name,
        "name_en": name if foreign else "",
        "id_kind": kind,
        "id_number": number,
        "birth_date": birth.isoformat(),
        "field": context.rng.choice(FIELDS),
        "theme": theme.pk,
        "current_role": "首席科学家" if n % 3 else "研发总监",
    }


def _case(context) -> dict:
    missed = context.rng.sample(MissedCriterion.values, context.rng.randrange(1, 3))
    return {"missed_criteria": missed, "missed_explanation": "候选人长期从事产业一线研发，业绩突出。"}


def _special(context, application, call, plan, stage, authority, theme, candidate):
    if stage in SPECIAL_PATH:
        path = SPECIAL_PATH[: SPECIAL_PATH.index(stage) + 1]
    else:
        before = SPECIAL_LEFT_FROM[stage]
        path = (*SPECIAL_PATH[: SPECIAL_PATH.index(before) + 1], stage)
    visits, at = [], plan.submitted_at
    for index, visited in enumerate(path):
        if index:
            at = context.later(at, days=40)
            visits[-1].left_at = at
        visits.append(StageVisit(stage=visited, entered_at=at))
    reached = set(path)
    special = SpecialTalentApplication(
        application=application,
        call=call,
        employer=plan.organization,
        candidate_name=candidate["name"],
        candidate_name_en=candidate["name_en"],
        field=candidate["field"],
        theme=theme,
        missed_criteria=plan.answers["case"]["missed_criteria"],
        id_kind=candidate["id_kind"],
        id_number=candidate["id_number"],
        birth_date=candidate["birth_date"],
        authority=authority,
        stage=stage,
        stage_changed_at=at,
        decided_at=at if stage in SPECIAL_DECIDED else None,
        decision_reason="经人才工作会议集体商议，同意认定。" if stage == SpecialStage.APPROVED else "",
    )
    if len(path) > 1 and stage not in (SpecialStage.EXPIRED, SpecialStage.WITHDRAWN):
        special.pre_review_opinion = (
            "材料齐全，符合行业需求，同意推荐。" if stage != SpecialStage.DECLINED else "不符合本行业推荐条件。"
        )
        special.pre_reviewed_at = visits[1].entered_at
    if SpecialStage.NOTICE in reached:
        notice = visits[path.index(SpecialStage.NOTICE)].entered_at.date()
        special.notice_starts_on, special.notice_ends_on = notice, notice + datetime.timedelta(days=7)
    if stage == SpecialStage.APPROVED:
        special.filing_number = f"深人社备〔{at.year}〕{context.rng.randrange(1, 9999)}号"
        special.filed_on = at.date()
    return special, visits


# --- review rounds ----------------------------------------------------------------------------------------------


def seed_reviews(count, context) -> int:
    """Rounds on the base applications that reached the expert review and on the special-talent ones that reached
    the panel (closed unless the application is there now), half the scorecards each."""
    experts = expert_pool(context)
    per_round = min(5, len(experts))
    written = 0
    for slug, subjects, waiting in (
        (BASE_SLUG, _reviewed_bases(), BaseStage.REVIEW),
        (SPECIAL_SLUG, _reviewed_specials(), SpecialStage.PANEL),
    ):
        programme = _programme(slug)
        if programme.rubric is None or not subjects:
            continue
        officers = list(programme.officers.order_by("pk")) or [None]
        plan_round = partial(_plan_round, context, programme, officers, subjects, waiting)
        share = count // 2 if slug == BASE_SLUG else count - count // 2
        written += make_rounds(
            context, plan_round, count=share, rubric=programme.rubric, experts=experts, per_round=per_round
        )
    return written


def _plan_round(context, programme, officers, subjects, waiting, n) -> PlannedRound:
    """The ``n``-th round: one per application in turn, then a second one for each (closed), and so on."""
    subject, again = subjects[n % len(subjects)], n // len(subjects)
    return PlannedRound(
        subject=subject,
        owner=programme,
        title=f"{subject.application.reference} 专家评审" + (f"（第{again + 1}轮）" if again else ""),
        title_en=f"{subject.application.reference} expert review",
        created_by=officers[n % len(officers)],
        opened_at=context.later(subject.application.submitted_at, days=20),
        closed=subject.stage != waiting or bool(again),
        themes=[subject.theme] if subject.theme_id else [],
    )


def _reviewed_bases() -> list:
    stages = [s for s in BaseStage.values if s not in (BaseStage.CHECK, BaseStage.EXPIRED, BaseStage.WITHDRAWN)]
    scaled = BaseApplication.objects.filter(application__applicant__username__startswith=f"{scale.MARK}-team-")
    return list(scaled.filter(stage__in=stages).select_related("application", "theme").order_by("pk"))


def _reviewed_specials() -> list:
    stages = [
        s
        for s in SpecialStage.values
        if s not in (SpecialStage.PRE_REVIEW, SpecialStage.DECLINED, SpecialStage.EXPIRED)
    ]
    employers = f"{scale.MARK}-employer-"
    scaled = SpecialTalentApplication.objects.filter(application__applicant__username__startswith=employers)
    return list(scaled.filter(stage__in=stages).select_related("application", "theme").order_by("pk"))


# --- registration -----------------------------------------------------------------------------------------------


def _applied(kind) -> bool:
    return Application.objects.filter(kind=kind, applicant__username__startswith=f"{scale.MARK}-").exists()


def _reviews_there() -> bool:
    model = ContentType.objects.get_for_model(BaseApplication)
    bases = BaseApplication.objects.filter(application__applicant__username__startswith=f"{scale.MARK}-")
    return ReviewRound.objects.filter(content_type=model, object_id__in=bases.values("pk")).exists()


def register() -> None:
    for step in (
        scale.ScaleStep(
            "talent.base", 300, 20_000, "base applications", seed_base, lambda: _applied(BASE_APPLICATION.code)
        ),
        scale.ScaleStep(
            "talent.special",
            310,
            20_000,
            "special-talent applications",
            seed_special,
            lambda: _applied(SPECIAL_APPLICATION.code),
        ),
        scale.ScaleStep("talent.reviews", 320, 40_000, "scorecards", seed_reviews, _reviews_there),
        scale.ScaleStep(
            "talent.libraries", 330, 10_000, "library entries", scale_libraries.seed_listings, scale_libraries.done
        ),
    ):
        scale.register(step)
