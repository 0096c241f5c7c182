"""The world the special-talent reports' matrix asks about (tests/special_world.py: the programme, its officers and
director, the sector authority's reviewer, an employer with an application in pre-review, another programme's
officer), and the request each report URL is probed with."""

from dataclasses import dataclass, field

from tests.factories import UserFactory
from tests.special_world import build_special_world, special_application


@dataclass
class Probe:
    kwargs: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)

    def body(self):
        return self.data


def build():
    w = build_special_world()
    w.special = special_application(w)
    w.superuser = UserFactory(username="sr_superuser", is_superuser=True, is_staff=True)
    w.users = {
        "anonymous": None,
        "outsider": w.outsider,
        "employer": w.employer,
        "reviewer": w.reviewer,
        "director": w.director,
        "other_officer": w.other_officer,
        "officer": w.officer,
        "superuser": w.superuser,
    }
    return w


def probes(w):
    programme = {"programme": w.programme.slug}
    return {
        "talent:special_reports": Probe(programme),
        "talent:special_reports_export": Probe(programme),
    }
