"""The world the offshore base's matrix asks about (tests/talent_world.py), and the request for each URL."""

from dataclasses import dataclass, field

from talent.models import BaseStage
from talent.services.schedule import save_roadshow
from tests.factories import UserFactory
from tests.talent_world import base_application, build_world, issue_letter, roadshow_values


@dataclass
class Probe:
    kwargs: dict = field(default_factory=dict)
    data: object = None

    def body(self):
        return self.data or {}


def build():
    w = build_world()
    w.check = base_application(w, w.team, team_name="Check Team")
    w.review = base_application(w, w.team, stage=BaseStage.REVIEW, team_name="Review Team")
    w.onboarding = issue_letter(w, base_application(w, w.team, stage=BaseStage.ONBOARDING, team_name="Onboarding"))
    w.active = base_application(w, w.team, stage=BaseStage.ACTIVE, team_name="Active Team")
    w.roadshow = save_roadshow(actor=w.officer, programme=w.programme, values=roadshow_values())
    w.superuser = UserFactory(username="talent_matrix_root", is_superuser=True, is_staff=True)
    w.users = {
        "anonymous": None,
        "outsider": w.outsider,
        "team": w.team,
        "other_team": w.other_team,
        "expert": w.experts[0].user,
        "director": w.director,
        "other_officer": w.other_officer,
        "officer": w.officer,
        "superuser": w.superuser,
    }
    return w


def probes(w):
    on = lambda base: {"pk": base.pk}  # noqa: E731
    return {
        "talent:index": Probe(),
        "talent:programme": Probe({"programme": w.programme.slug}),
        "talent:call": Probe({"slug": w.call.slug}),
        "talent:office": Probe(),
        "talent:base_applications": Probe({"programme": w.programme.slug}),
        "talent:base_application": Probe(on(w.check)),
        "talent:base_to_review": Probe(on(w.check)),
        "talent:base_start_review": Probe(on(w.review)),
        "talent:base_decide": Probe({"pk": w.check.pk, "transition": "reject"}),
        "talent:base_onboarding": Probe(on(w.onboarding)),
        "talent:base_activate": Probe(on(w.onboarding)),
        "talent:base_end": Probe({"pk": w.active.pk, "transition": "graduate"}),
        "talent:base_letter": Probe(on(w.onboarding)),
        "talent:office_calls": Probe({"programme": w.programme.slug}),
        "talent:call_new": Probe({"programme": w.programme.slug}),
        "talent:call_edit": Probe({"pk": w.call.pk}),
        "talent:roadshow_new": Probe({"programme": w.programme.slug}),
        "talent:roadshow_edit": Probe({"slug": w.roadshow.slug}),
    }
