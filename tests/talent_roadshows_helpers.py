"""Roadshows for tests, on top of tests/talent_world.py: a roadshow of the world's programme, an admitted team's
pitch, investors with places, and feedback — each step through the services, as real use would."""

import datetime
from itertools import count

from django.utils import timezone

from portal.accounts.roles import RoleCode
from talent.models import BaseStage, Interest, Roadshow
from talent.services import roadshows
from tests.factories import UserFactory
from tests.talent_world import base_application

_numbers = count(1)


def make_roadshow(world, slug="spring-roadshow", *, starts_in_hours=-1, closes_in_days=0, capacity=60, **extra):
    """A published roadshow of the world's programme. By default it has started an hour ago and registration is
    still open today, so every step can be tried; shift the clock with the keyword arguments."""
    starts_at = timezone.now() + datetime.timedelta(hours=starts_in_hours)
    roadshow = Roadshow.objects.create(
        programme=extra.pop("programme", world.programme),
        title="海外人才项目路演",
        title_en="Overseas talent project roadshow",
        slug=slug,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        venue="坪山创新广场",
        venue_en="Pingshan Innovation Plaza",
        description="海外团队向投资机构路演。",
        description_en="Overseas teams pitch to investors.",
        registration_closes_on=timezone.localdate() + datetime.timedelta(days=closes_in_days),
        capacity=capacity,
        **extra,
    )
    roadshow.themes.set([world.theme])
    return roadshow


def admitted_team(world, applicant=None, stage=BaseStage.ACTIVE):
    return base_application(world, applicant or world.team, stage=stage)


def pitch(world, roadshow, base, *, title="单细胞蛋白测序", title_en="Single-cell protein sequencing", confirm=True):
    project = roadshows.register_project(
        actor=base.application.applicant, roadshow=roadshow, base=base, pitch_title=title, pitch_title_en=title_en
    )
    if confirm:
        project = roadshows.confirm_project(actor=world.officer, project=project)
    return project


def investor(username=None, real_name="钱投资"):
    number = next(_numbers)
    return UserFactory(username=username or f"investor{number}_t", real_name=real_name, roles=[RoleCode.APPLICANT])


def register(roadshow, user, institution="深创投"):
    return roadshows.register_investor(
        actor=user, roadshow=roadshow, organization_name=institution, interests="生物医药 早期"
    )


def feedback(project, user, score=8, interest=Interest.FOLLOW, comment=""):
    return roadshows.give_feedback(actor=user, project=project, score=score, interest=interest, comment=comment)
