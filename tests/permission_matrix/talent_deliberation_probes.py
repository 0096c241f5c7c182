"""The world the talent work meeting's matrix asks about (tests/special_world.py) and the request for each URL: an
application waiting for a meeting, a scheduled meeting with its agenda and attendance, one in session with a vote
open, and one in session with every vote closed."""

from portal.voting import services as voting
from talent.services import deliberations
from tests.factories import UserFactory
from tests.special_deliberation_helpers import in_session, waiting, with_agenda
from tests.special_world import build_special_world, reload

from .talent_base_probes import Probe


def build():
    w = build_special_world()
    w.waiting, scheduled, open_vote, closed_vote = waiting(w, 4)
    w.scheduled, [w.scheduled_item] = with_agenda(w, [scheduled])
    w.session, [w.open_item] = in_session(w, [open_vote])
    w.done, [done_item] = in_session(w, [closed_vote])
    for member in w.members:
        voting.cast_ballot(actor=member, poll=done_item.poll, choice="yes")
    deliberations.close_item(actor=w.officer, item=reload(done_item))
    w.superuser = UserFactory(username="talent_meeting_root", is_superuser=True, is_staff=True)
    w.users = {
        "anonymous": None,
        "outsider": w.outsider,
        "employer": w.employer,
        "reviewer": w.reviewer,
        "expert": w.experts[0].user,
        "member": w.members[0],
        "director": w.director,
        "other_officer": w.other_officer,
        "officer": w.officer,
        "superuser": w.superuser,
    }
    return w


def probes(w):
    programme = {"programme": w.programme.slug}
    members = [member.pk for member in w.members]
    return {
        "talent:deliberations": Probe(programme),
        "talent:deliberation_new": Probe(programme),
        "talent:deliberation": Probe({"pk": w.session.pk}),
        "talent:deliberation_edit": Probe({"pk": w.scheduled.pk}),
        "talent:deliberation_add_item": Probe({"pk": w.scheduled.pk}, {"special": w.waiting.pk}),
        "talent:deliberation_remove_item": Probe({"pk": w.scheduled_item.pk}),
        "talent:deliberation_recusals": Probe({"pk": w.scheduled_item.pk}, {"recused": members[:1]}),
        "talent:deliberation_attendance": Probe({"pk": w.scheduled.pk}, {"present": members[:4]}),
        "talent:deliberation_open": Probe({"pk": w.scheduled.pk}),
        "talent:deliberation_close_item": Probe({"pk": w.open_item.pk}),
        "talent:deliberation_close": Probe({"pk": w.done.pk}, {"minutes": "会议审议一名候选人，表决通过。"}),
    }
