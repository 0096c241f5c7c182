"""The world the libraries' matrix asks about (tests/talent_world.py and talent_libraries_helpers.py), and the
request for each URL: a pending, a returned and a published project of the team, a published demand of a firm, and
the introduction between the demand and the published project."""

from dataclasses import dataclass, field

from portal.accounts.roles import RoleCode
from talent.models import IntroductionSource, ListingState
from talent.services import introductions
from tests.factories import UserFactory
from tests.talent_libraries_helpers import listing
from tests.talent_world import build_world


@dataclass
class Probe:
    kwargs: dict = field(default_factory=dict)
    data: object = None

    def body(self):
        return self.data or {}


def build():
    w = build_world()
    w.firm = UserFactory(username="talent_lib_firm", roles=[RoleCode.APPLICANT], real_name="坪山药企")
    w.superuser = UserFactory(username="talent_lib_root", is_superuser=True, is_staff=True)
    w.pending = listing(w, "projects", w.team, title="待审核项目")
    w.returned = listing(w, "projects", w.team, ListingState.RETURNED, title="退回项目")
    w.project = listing(w, "projects", w.team, ListingState.PUBLISHED, title="慢病毒载体GMP生产平台")
    w.demand = listing(w, "demands", w.firm, ListingState.PUBLISHED, title="需要慢病毒载体GMP生产")
    w.introduction = introductions.introduce(
        actor=w.officer,
        programme=w.programme,
        left=w.demand,
        left_person=w.firm,
        right=w.project,
        right_person=w.team,
        note="请对接。",
        source=IntroductionSource.MATCHING,
    )
    w.users = {
        "anonymous": None,
        "outsider": w.outsider,
        "team": w.team,
        "firm": w.firm,
        "other_team": w.other_team,
        "other_officer": w.other_officer,
        "officer": w.officer,
        "superuser": w.superuser,
    }
    return w


def probes(w):
    pending = {"library": "projects", "pk": w.pending.pk}
    demand = {"library": "demands", "pk": w.demand.pk}
    return {
        "talent:library": Probe({"library": "projects"}),
        "talent:experts": Probe(),
        "talent:listing": Probe(pending),
        "talent:listing_move": Probe({**pending, "transition": "publish"}),
        "talent:my_listings": Probe(),
        "talent:listing_new": Probe({"library": "demands"}),
        "talent:listing_edit": Probe({"library": "projects", "pk": w.returned.pk}),
        "talent:listing_queue": Probe(),
        "talent:listing_return": Probe(pending),
        "talent:listing_matches": Probe(demand),
        "talent:listing_introduce": Probe({**demand, "kind": "projects", "other": w.project.pk}),
        "talent:my_introductions": Probe(),
        "talent:introduction": Probe({"pk": w.introduction.pk}),
        "talent:introduction_answer": Probe({"pk": w.introduction.pk, "answer": "accept"}),
        "talent:introduction_close": Probe({"pk": w.introduction.pk}),
    }
