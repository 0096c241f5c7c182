"""The world the service requests' matrix asks about (tests/talent_world.py), and the request for each URL."""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from talent.models import BaseStage, ServiceKind
from talent.services import service_requests as services
from tests.factories import UserFactory
from tests.talent_world import PDF, base_application, build_world


@dataclass
class Probe:
    kwargs: dict = field(default_factory=dict)
    data: object = None

    def body(self):
        return self.data or {}


def build():
    w = build_world()
    w.base = base_application(w, w.team, stage=BaseStage.ACTIVE)
    w.other_base = base_application(w, w.other_team, stage=BaseStage.ACTIVE, team_name="Other Team")
    upload = SimpleUploadedFile("invitation.pdf", PDF, content_type="application/pdf")
    w.requested = services.request_service(
        actor=w.team, base=w.base, kind=ServiceKind.VISA, details="R-visa invitations.", files=[upload]
    )
    financing = services.request_service(
        actor=w.team, base=w.base, kind=ServiceKind.FINANCING, details="A Series A introduction."
    )
    w.in_progress = services.move(actor=w.officer, service_request=financing, transition="start")
    services.request_service(actor=w.other_team, base=w.other_base, kind=ServiceKind.HOUSING, details="A flat.")
    w.superuser = UserFactory(username="talent_services_root", is_superuser=True, is_staff=True)
    w.users = {
        "anonymous": None,
        "outsider": w.outsider,
        "team": w.team,
        "other_team": w.other_team,
        "director": w.director,
        "other_officer": w.other_officer,
        "officer": w.officer,
        "superuser": w.superuser,
    }
    return w


def probes(w):
    on = {"pk": w.requested.pk}
    return {
        "talent:my_services": Probe(),
        "talent:service_new": Probe({"pk": w.base.pk}),
        "talent:service_request": Probe(on),
        "talent:service_download": Probe({"pk": w.requested.pk, "file": w.requested.attachments.get().pk}),
        "talent:service_move": Probe({"pk": w.in_progress.pk, "transition": "complete"}),
        "talent:service_queue": Probe({"programme": w.programme.slug}),
        "talent:service_assign": Probe(on),
        "talent:service_due": Probe(on),
        "talent:service_hand_off": Probe({"pk": w.in_progress.pk}),
    }
