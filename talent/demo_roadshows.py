"""The roadshows' demo data: a roadshow held last week (the admitted teams pitched, four investors scored them, one
follow-up introduction made) and one to come (registration open, one pitch confirmed, one waiting for the office).
Everything goes through the services; the clock of the past roadshow is set back afterwards (registration closed).
Idempotent: a roadshow that exists is left alone."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from portal.demo import DEMO_PASSWORD
from themes.models import Theme

from .models import (
    BaseApplication,
    BaseStage,
    Interest,
    InvestorRegistration,
    Programme,
    Roadshow,
    RoadshowFeedback,
    RoadshowProject,
)
from .services import roadshows

PROGRAMME_SLUG = "offshore-base"
# username, real name, institution, interests
INVESTORS = (
    ("investor1", "钱立投", "深创投生物医药基金", "生物医药、医疗器械；A 轮前后；单笔 1,000–3,000 万元"),
    ("investor2", "Grace Lin", "Lakeside Ventures", "Deep tech and new energy; seed to Series A"),
    ("investor3", "孙慧文", "坪山区引导基金", "集成电路、新能源汽车产业链"),
    ("investor4", "赵一鸣", "华南天使投资联盟", "早期硬科技项目"),
)
# (score, interest) each investor gives the pitches, in pitch order.
SCORES = (
    ((9, Interest.INVEST), (7, Interest.FOLLOW), (5, Interest.NONE)),
    ((8, Interest.FOLLOW), (8, Interest.FOLLOW), (6, Interest.NONE)),
    ((7, Interest.FOLLOW), (6, Interest.NONE), (7, Interest.FOLLOW)),
    ((6, Interest.NONE), (9, Interest.INVEST), (4, Interest.NONE)),
)
ADMITTED = (BaseStage.ONBOARDING, BaseStage.ACTIVE, BaseStage.GRADUATED)
# Pitch titles in both languages for the demo's admitted teams (talent/demo.py TEAMS); others use their project title.
PITCHES = {
    "CellForge Bio": ("全自动 CAR-T 细胞制备平台", "Automated CAR-T manufacturing platform"),
    "氢启能源团队": ("低铱 PEM 电解槽催化剂", "Low-iridium PEM electrolyser catalysts"),
    "Robotix Vision": ("视觉引导的柔性装配机器人", "Vision-guided flexible assembly robots"),
    "智驾感知团队": ("车规级 4D 毫米波雷达感知", "Automotive-grade 4D radar perception"),
}


def _investor(username, real_name):
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "real_name": real_name,
            "email": f"{username}@demo.pingshan-portal.cn",
            "password": make_password(DEMO_PASSWORD),
        },
    )
    return user


def _roadshow(programme, slug, title, title_en, starts_at, closes_on, description, description_en):
    roadshow = Roadshow.objects.create(
        programme=programme,
        slug=slug,
        title=title,
        title_en=title_en,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        venue="坪山区创新广场 B 座路演厅",
        venue_en="Roadshow hall, Block B, Pingshan Innovation Plaza",
        description=description,
        description_en=description_en,
        registration_closes_on=closes_on,
        capacity=40,
    )
    roadshow.themes.set(Theme.objects.filter(code__in=("biomed", "ic", "nev")))
    return roadshow


def _pitch(officer, roadshow, base, *, confirm=True):
    title = str(base.application.display_title)
    pitch_title, pitch_title_en = PITCHES.get(base.team_name, (title, title))
    project = roadshows.register_project(
        actor=base.application.applicant,
        roadshow=roadshow,
        base=base,
        pitch_title=pitch_title,
        pitch_title_en=pitch_title_en,
    )
    if confirm:
        project = roadshows.confirm_project(actor=officer, project=project)
    return project


def seed_roadshows(log):
    """A demo step (registered in talent/demo.py, after the base applications it pitches)."""
    programme = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    officer = get_user_model().objects.filter(username="talent_officer").first()
    if programme is None or officer is None or Roadshow.objects.filter(programme=programme).exists():
        return
    teams = list(
        BaseApplication.objects.filter(call__programme=programme, stage__in=ADMITTED)
        .select_related("application__applicant")
        .order_by("pk")
    )
    if len(teams) < 2:
        return
    now = timezone.now()
    today = timezone.localdate()
    # Held last week: registered and scored with its window open, then its registration closed.
    past = _roadshow(
        programme,
        "2026-spring-roadshow",
        "2026年春季海外项目路演",
        "2026 spring overseas project roadshow",
        now - datetime.timedelta(days=7),
        today,
        "离岸基地入驻团队向投资机构集中路演，会后由基地安排对接。",
        "Teams of the offshore base pitch to investors; the base arranges follow-up meetings afterwards.",
    )
    projects = [_pitch(officer, past, base) for base in teams[:3]]
    for (username, name, institution, interests), scores in zip(INVESTORS, SCORES, strict=True):
        investor = _investor(username, name)
        registration = roadshows.register_investor(
            actor=investor, roadshow=past, organization_name=institution, interests=interests
        )
        roadshows.mark_attended(actor=officer, registration=registration)
        for project, (score, interest) in zip(projects, scores, strict=False):
            answer = roadshows.give_feedback(actor=investor, project=project, score=score, interest=interest)
            if username == "investor1" and interest == Interest.INVEST:
                roadshows.follow_up(
                    actor=officer,
                    feedback=answer,
                    note="投资人在路演中表示考虑投资，请双方约定尽调会谈时间。",
                )
    # Its clock set back: registration closed ten days before, answers given during the pitches.
    Roadshow.objects.filter(pk=past.pk).update(registration_closes_on=today - datetime.timedelta(days=10))
    days = datetime.timedelta(days=1)
    RoadshowProject.objects.filter(roadshow=past).update(registered_at=past.starts_at - 14 * days)
    InvestorRegistration.objects.filter(roadshow=past).update(registered_at=past.starts_at - 12 * days)
    RoadshowFeedback.objects.filter(project__roadshow=past).update(given_at=past.starts_at + days / 12)
    # To come: registration open; one pitch confirmed, one waiting for the office.
    coming = _roadshow(
        programme,
        "2026-summer-roadshow",
        "2026年夏季海外项目路演",
        "2026 summer overseas project roadshow",
        now + datetime.timedelta(days=14),
        today + datetime.timedelta(days=10),
        "面向生物医药、集成电路和新能源汽车领域的海外团队，欢迎投资机构报名。",
        "For overseas teams in biomedicine, integrated circuits and new-energy vehicles; investors are welcome.",
    )
    _pitch(officer, coming, teams[0])
    _pitch(officer, coming, teams[1], confirm=False)
    for username, name, institution, interests in INVESTORS[:2]:
        roadshows.register_investor(
            actor=_investor(username, name), roadshow=coming, organization_name=institution, interests=interests
        )
    log(f"talent: 2 roadshows, {len(projects)} pitches scored by {len(INVESTORS)} investors")
