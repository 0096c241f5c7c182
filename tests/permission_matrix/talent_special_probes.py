"""The world the special-talent office's matrix asks about (tests/special_world.py), and the request for each URL."""

from dataclasses import dataclass, field

from portal.opinions import services as opinions
from talent.models import SpecialStage
from talent.services import panel
from tests.special_world import build_special_world, reload, scored_panel, special_application

from .talent_special_columns import people


@dataclass
class Probe:
    kwargs: dict = field(default_factory=dict)
    data: object = None

    def body(self):
        return self.data or {}


def build():
    w = build_special_world()
    w.pre = special_application(w, name="初审中")
    w.panel = special_application(w, SpecialStage.PANEL, name="待评审")
    w.scored = special_application(w, SpecialStage.PANEL, name="评审完")
    scored_panel(w, w.scored)
    w.opined = special_application(w, SpecialStage.PANEL, name="已出具意见")
    scored_panel(w, w.opined)
    opinion = panel.draft_panel_opinion(actor=w.officer, special=reload(w.opined), conclusion="同意推荐。")
    opinions.sign_off(actor=w.director, opinion=opinion, approve=True)
    opinions.issue_now(opinion_id=opinion.pk, actor_id=w.officer.pk)
    w.users = people(w, "special_matrix_root")
    return w


def probes(w):
    on = lambda special: {"pk": special.pk}  # noqa: E731
    return {
        "talent:special_applications": Probe(),
        "talent:special_application": Probe(on(w.pre)),
        "talent:special_reveal": Probe(on(w.pre)),
        "talent:special_pre_review": Probe({"pk": w.pre.pk, "transition": "decline"}),
        "talent:special_to_deliberation": Probe(on(w.scored)),
        "talent:special_start_panel": Probe(on(w.panel)),
        "talent:special_panel_opinion_draft": Probe(on(w.scored)),
        "talent:special_panel_opinion": Probe(on(w.opined)),
    }
