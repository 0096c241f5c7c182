"""The world the public notice's matrix asks about (tests/special_world.py, tests/special_notice_helpers.py), and
the request for each URL."""

from dataclasses import dataclass, field

from talent.models import SpecialStage
from talent.services import notices
from tests.special_notice_helpers import (
    evidence,
    in_filing,
    investigated,
    issue_filing_form,
    objection_values,
    past_notice,
)
from tests.special_world import build_special_world, special_application

from .talent_special_columns import people


@dataclass
class Probe:
    kwargs: dict = field(default_factory=dict)
    data: object = None

    def body(self):
        return self.data or {}


def build():
    w = build_special_world()
    w.notice = special_application(w, SpecialStage.NOTICE, name="公示中")
    w.received = notices.lodge_objection(special=w.notice, **objection_values(), evidence=evidence())
    w.investigating = investigated(
        w, notices.lodge_objection(special=w.notice, **objection_values(name="另一位市民", grounds="另一条理由"))
    )
    w.notice_over = past_notice(special_application(w, SpecialStage.NOTICE, name="公示期满"))
    w.filing = in_filing(w, name="备案中")
    w.issued = issue_filing_form(w, in_filing(w, name="备案表已印发"))
    w.users = people(w, "notice_matrix_root")
    return w


def probes(w):
    on = lambda obj: {"pk": obj.pk}  # noqa: E731
    return {
        "talent:notices": Probe(),
        "talent:notice_received": Probe(),
        "talent:notice_objection": Probe(on(w.notice), objection_values(name="矩阵市民", grounds="矩阵中的异议")),
        "talent:objection_investigate": Probe(on(w.received)),
        "talent:objection_resolve": Probe(on(w.investigating)),
        "talent:objection_evidence": Probe(on(w.received)),
        "talent:special_to_filing": Probe(on(w.notice_over)),
        "talent:special_filing_record": Probe(on(w.filing)),
        "talent:special_decide": Probe({"pk": w.filing.pk, "transition": "approve"}),
        "talent:special_filing_form": Probe(on(w.issued)),
    }
