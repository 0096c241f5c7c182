"""The councils' side of portal.authority (issue 8, finding 1): who runs a council's votes and opinions, and who
signs them, comes from that council's own rows — never from the secretariat role.

The reproduction: a user with the ``secretariat`` role who sits on another council's secretariat opened this
council's written vote (turnout and the names of who had not voted), closed it early, created an opinion under
its issuer naming themself as signatory, signed and issued it, and revoked the council's issued opinion.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from councils import services
from councils.models import Council, MembershipRole
from councils.services import motions
from portal import authority
from portal.authority import Power
from portal.opinions import services as opinion_services
from portal.opinions.models import Issuer, Opinion, OpinionState
from portal.voting.models import PollState
from tests.councils_world import build_world
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

TINY_PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def worlds(monkeypatch):
    monkeypatch.setattr(opinion_services, "render_signed_pdf", lambda opinion: TINY_PDF + opinion.number.encode())
    return build_world(), build_world(slug="nev", theme_code="nev")


def issuer_of(council, prefix):
    return Issuer.objects.create(
        name=f"{council.name_zh}（{prefix}）",
        number_prefix=prefix,
        owner_type=ContentType.objects.get_for_model(Council),
        owner_id=str(council.pk),
    )


def test_holders_come_from_the_councils_rows(worlds):
    biomed, nev = worlds
    council, users = biomed["council"], biomed["users"]
    assert set(authority.holders(council, Power.MANAGE)) == {users["secretary"]}
    assert set(authority.holders(council, Power.SIGN)) == {users["chair"]}
    committee = biomed["committees"]["a"]
    assert set(authority.holders(committee, Power.MANAGE)) == {users["secretary"]}
    assert set(authority.holders(committee, Power.SIGN)) == set()
    other_secretary = nev["users"]["secretary"]
    assert not authority.holds(other_secretary, council, Power.MANAGE)
    assert not authority.holds(UserFactory(is_staff=True), council, Power.MANAGE)
    assert authority.holds(users["superuser"], council, Power.MANAGE)
    assert not authority.holds(users["superuser"], council, Power.SIGN)


def test_a_vice_chair_signs_and_an_ended_term_signs_nothing(worlds):
    biomed, _nev = worlds
    council, secretary = biomed["council"], biomed["users"]["secretary"]
    vice = UserFactory()
    membership = services.add_membership(
        actor=secretary,
        council=council,
        organization=OrganizationFactory(),
        representative=vice,
        role=MembershipRole.VICE_CHAIR,
        term_start=datetime.date(2025, 1, 1),
    )
    assert authority.holds(vice, Council.objects.get(pk=council.pk), Power.SIGN)
    services.end_membership(actor=secretary, membership=membership, on=timezone.localdate())
    assert not authority.holds(vice, Council.objects.get(pk=council.pk), Power.SIGN)


def test_another_councils_secretariat_cannot_touch_this_councils_vote_or_opinions(worlds, client):
    biomed, nev = worlds
    council, users = biomed["council"], biomed["users"]
    intruder = nev["users"]["secretary"]  # the secretariat role, and the secretariat of another council
    motion = motions.draft_motion(actor=users["council_member"], workspace=council, title="设立专项工作组", text="议案")
    motions.submit_motion(actor=users["council_member"], motion=motion)
    motions.open_written_vote(
        actor=users["secretary"], motion=motion, closes_at=timezone.now() + datetime.timedelta(days=3)
    )
    motion.refresh_from_db()
    poll = motion.poll
    issuer = issuer_of(council, "坪测共治")
    issued = opinion_services.create_opinion(
        actor=users["secretary"], issuer=issuer, title="已印发的意见", body="<p>正文</p>", signatories=[users["chair"]]
    )
    opinion_services.submit_for_review(actor=users["secretary"], opinion=issued)
    opinion_services.sign_off(actor=users["chair"], opinion=issued, approve=True)
    issued = opinion_services.issue_now(opinion_id=issued.pk, actor_id=users["secretary"].pk)
    opinions_before = Opinion.objects.count()

    client.force_login(intruder)
    assert client.get(poll.get_absolute_url()).status_code == 404  # no turnout, no names of who has not voted
    assert client.post(f"/workspace/voting/{poll.uuid}/close/").status_code == 404
    assert client.get(f"/workspace/opinions/new/{issuer.pk}/").status_code == 404
    response = client.post(
        f"/workspace/opinions/new/{issuer.pk}/",
        {"title": "冒名意见", "kind": "evaluation", "body": "正文", "signatory_1": intruder.pk},
    )
    assert response.status_code == 404
    assert client.post(f"/workspace/opinions/{issued.pk}/revoke/", {"reason": "冒名撤销"}).status_code == 404

    poll.refresh_from_db()
    issued.refresh_from_db()
    assert poll.state == PollState.OPEN
    assert issued.state == OpinionState.ISSUED
    assert Opinion.objects.count() == opinions_before
    assert client.get(f"/verify/{issued.verification_code}/").content.decode().count("已撤销") == 0

    # The council's own secretariat may do each of those things.
    client.force_login(users["secretary"])
    assert client.get(poll.get_absolute_url()).status_code == 200
    assert client.post(f"/workspace/voting/{poll.uuid}/close/").status_code == 302
    poll.refresh_from_db()
    assert poll.state == PollState.CLOSED
