"""The world the roadshows' permission matrix asks about, and the request each roadshow URL pattern is probed with.

Built on tests/talent_world.py and tests/talent_roadshows_helpers.py: a started roadshow of the base with registration
still open, the admitted team's confirmed pitch, a registered investor who scored it and would like to follow up, and
a team still in expert review.
"""

from dataclasses import dataclass, field

from talent.models import BaseStage, Interest
from tests.factories import UserFactory
from tests.talent_roadshows_helpers import admitted_team, feedback, investor, make_roadshow, pitch, register
from tests.talent_world import base_application, build_world


@dataclass
class Probe:
    kwargs: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)

    def body(self):
        return self.data


def build():
    w = build_world()
    w.base = admitted_team(w)
    w.other_base = base_application(w, w.other_team, stage=BaseStage.REVIEW)
    w.roadshow = make_roadshow(w, "matrix-roadshow")
    w.project = pitch(w, w.roadshow, w.base)
    w.investor = investor(username="rs_investor", real_name="钱投资")
    w.registration = register(w.roadshow, w.investor)
    w.feedback = feedback(w.project, w.investor, score=8, interest=Interest.FOLLOW)
    w.superuser = UserFactory(username="rs_superuser", is_superuser=True, is_staff=True)
    w.users = {
        "anonymous": None,
        "outsider": w.outsider,
        "team": w.team,
        "other_team": w.other_team,
        "investor": w.investor,
        "other_officer": w.other_officer,
        "officer": w.officer,
        "superuser": w.superuser,
    }
    return w


def probes(w):
    slug = {"slug": w.roadshow.slug}
    return {
        "talent:roadshows": Probe(),
        "talent:roadshow": Probe(slug),
        "talent:roadshow_pitch": Probe(slug),
        "talent:roadshow_register": Probe(slug),
        "talent:roadshow_feedback": Probe(slug),
        "talent:roadshow_give_feedback": Probe({**slug, "project": w.project.pk}),
        "talent:office_roadshows": Probe({"programme": w.programme.slug}),
        "talent:roadshow_office": Probe(slug),
        "talent:roadshow_confirm": Probe({**slug, "project": w.project.pk}),
        "talent:roadshow_order": Probe(slug),
        "talent:roadshow_attended": Probe({**slug, "registration": w.registration.pk}),
        "talent:roadshow_answers": Probe(slug),
        "talent:roadshow_follow_up": Probe({**slug, "feedback": w.feedback.pk}),
        "talent:roadshow_export": Probe(slug),
    }
