"""The applications engine's permission matrix (applications_table.py): every /apply/ and /workspace/applications/
URL, GET and POST, as each person of its small world. Each request runs in a rolled-back transaction, so every
cell starts from the same world; a refused request must change nothing, a permitted POST must change something
(unless its row says ``writes=False``)."""

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal import authority
from portal.applications import kinds, services
from portal.history.models import Event
from portal.notifications.models import Notification
from portal.organizations.models import Organization
from tests.applications_kind import COMPANY, build_grant_world, filled_draft, submitted, upload
from tests.factories import UserFactory
from tests.owners import OwnerGrants

from . import applications_table as table
from .runner import Fingerprint, check_row, check_shape, login_paths, send
from .test_matrix import pattern_names

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Probe:
    kwargs: dict
    data: object = None  # dict, or a callable (who) -> dict (uploads are read once)

    def body(self, who):
        data = self.data(who) if callable(self.data) else self.data
        return data or {}


def _probes(w):
    draft, sent, asked = w.draft, w.sent, w.asked
    return {
        "applications:open": Probe({}),
        "applications:start": Probe(
            {"slug": "grant", "owner_pk": w.grant.owner.pk},
            lambda who: {"organization": (w.grant.firm_b if who == "applicant_b" else w.grant.firm_a).pk},
        ),
        "applications:step": Probe({"pk": draft.pk, "step": "company"}, {**COMPANY, "name": "新名称"}),
        "applications:attachments": Probe(
            {"pk": draft.pk}, lambda who: {"item": w.grant.items["ip"].pk, "file": upload("证书.pdf")}
        ),
        "applications:remove_attachment": Probe({"pk": draft.pk, "attachment_pk": w.draft_file.pk}),
        "applications:review": Probe({"pk": draft.pk}),
        "applications:list": Probe({}),
        "applications:detail": Probe({"pk": sent.pk}),
        "applications:download": Probe({"pk": sent.pk, "attachment_pk": w.sent_file.pk}),
        "applications:withdraw": Probe({"pk": sent.pk}, {"reason": "不再需要"}),
        "applications:answer": Probe({"pk": asked.pk}, {"answer": "已补充"}),
        "applications:request_supplement": Probe(
            {"pk": sent.pk},
            {"message": "请补充", "deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
        ),
        "applications:note": Probe({"pk": sent.pk}, {"text": "需核实"}),
        "applications:reveal": Probe({"pk": sent.pk}),
    }


def _build():
    grants = OwnerGrants()
    authority.register(Organization, holders=grants.holders, held_by=grants.held_by)
    w = type("World", (), {})()
    w.grant = grant = build_grant_world(grants)
    # Sent first: starting again while a draft is open for the same owner would resume that draft.
    w.sent = submitted(grant)
    w.sent_file = w.sent.attachments.first()
    w.asked = submitted(grant)
    services.request_supplement(
        actor=grant.officer,
        application=w.asked,
        message="请说明",
        deadline=timezone.localdate() + datetime.timedelta(days=3),
    )
    w.draft = filled_draft(grant)
    w.draft_file = w.draft.attachments.first()
    superuser = UserFactory(username="am_superuser")
    superuser.is_superuser = True
    superuser.save()
    w.users = {
        "anonymous": None,
        "applicant_a": grant.applicant_a,
        "applicant_b": grant.applicant_b,
        "officer": grant.officer,
        "other_officer": grant.other_officer,
        "superuser": superuser,
    }
    return w


def _fingerprint():
    return Fingerprint(
        ("applications",),
        models=(ModelLogEntry, Event, Notification),
        stateful=("applications.Application", "applications.Attachment"),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build()
        built.probes = _probes(built)
        built.fingerprint = _fingerprint()
        built.login_paths = login_paths()
        yield built
        transaction.set_rollback(True)
        kinds.unregister(built.grant.kind.code)
        authority.unregister(Organization)


def test_every_applications_url_is_in_the_table():
    found = {name for name in pattern_names() if name.startswith("applications:")}
    assert found == set(table.TABLE)


def test_every_row_has_one_cell_per_user_and_a_probe(world):
    check_shape(table, world.probes)


def _run(world, who, method, url, probe):
    return send(world, who, method, url, probe.body(who) if method == "post" else None)


@pytest.mark.parametrize("name", sorted(table.TABLE))
def test_cells(world, name):
    probe = world.probes[name]
    with translation.override("zh-hans"):
        url = reverse(name, kwargs=probe.kwargs)
    check_row(name, table.TABLE[name], table.USERS, url, lambda who, method: _run(world, who, method, url, probe))
