"""The investment decision opinion end to end with the real renderer: drafted from the decision, signed by the chair,
issued by a manager; the PDF's text is Chinese and names the company and the document number; /verify/ confirms it."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from funds.models import AgendaItem, DealStage
from funds.services import committee as services
from portal.opinions import services as opinion_services
from portal.opinions.models import OpinionState
from portal.voting import services as voting
from portal.voting.models import Choice
from tests.funds_world import FundWorld, make_company, make_deal

pytestmark = pytest.mark.django_db


def test_the_issued_decision_opinion_pdf(client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    world = FundWorld.build()
    unused = world.committee.issuer  # the committee's own issuer is set up on first use
    world.committee.issuer = None
    world.committee.save()
    unused.delete()
    deal = make_deal(
        world, company=make_company(name="深圳坪山细胞治疗科技有限公司"), stage=DealStage.COMMITTEE, amount="50000000"
    )
    meeting = services.convene_meeting(
        actor=world.manager,
        fund=world.fund,
        title="2026年第5次投决会",
        starts_at=timezone.now() + datetime.timedelta(hours=1),
    )
    item = services.add_to_agenda(actor=world.manager, meeting=meeting, deal=deal)
    services.open_meeting(actor=world.manager, meeting=meeting)
    item = services.open_vote(actor=world.manager, item=AgendaItem.objects.get(pk=item.pk))
    for user in (world.ic_chair, world.ic_member):
        voting.cast_ballot(actor=user, poll=item.poll, choice=Choice.YES)
    item = services.decide(actor=world.manager, item=item)
    opinion = services.draft_decision_opinion(actor=world.manager, item=item, conditions="分两期出资")
    opinion_services.submit_for_review(actor=world.manager, opinion=opinion)
    opinion_services.sign_off(actor=world.ic_chair, opinion=opinion, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        opinion_services.request_issue(actor=world.manager, opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.ISSUED, opinion.render_error
    assert opinion.number.startswith("坪生医基投决〔")

    data = opinion.pdf.read()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for expected in (
        opinion.number,
        opinion.formatted_code,
        "深圳坪山细胞治疗科技有限公司",
        "投资决策意见",
        "5,000.00万元",
        "分两期出资",
        "同意投资",
    ):
        assert expected in text, expected

    # The manager downloads it and anyone verifies it by its code, byte for byte.
    client.force_login(world.manager)
    download = client.get(f"/workspace/opinions/{opinion.pk}/pdf/")
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert download.status_code == 200 and body == data
    client.logout()
    response = client.post(
        f"/verify/{opinion.verification_code}/", {"file": SimpleUploadedFile("x.pdf", data, "application/pdf")}
    )
    assert response.context["outcome"] == "match"


def hold_meeting(*, manager, fund, title, starts_at, location, ballots):
    """A whole meeting through the committee's services: ``ballots`` is ``[(deal, {member: choice})]`` (a member left
    out is absent); each decision gets its opinion, signed by the chair and issued. Returns the closed meeting."""
    meeting = services.convene_meeting(actor=manager, fund=fund, title=title, starts_at=starts_at, location=location)
    items = [services.add_to_agenda(actor=manager, meeting=meeting, deal=deal) for deal, _choices in ballots]
    services.open_meeting(actor=manager, meeting=meeting)
    committee = meeting.committee
    members = {user.pk: user for user in committee.members.all()} | {committee.chair_id: committee.chair}
    for item, (_deal, choices) in zip(items, ballots, strict=True):
        voters = {user.pk for user in choices}
        absent = [user for pk, user in members.items() if pk not in voters]
        item = services.open_vote(actor=manager, item=item, absent=absent)
        for user, choice in choices.items():
            voting.cast_ballot(actor=user, poll=item.poll, choice=choice)
        item = services.decide(actor=manager, item=item)
        opinion = services.draft_decision_opinion(actor=manager, item=item)
        opinion_services.submit_for_review(actor=manager, opinion=opinion)
        opinion_services.sign_off(actor=committee.chair, opinion=opinion, approve=True)
        opinion_services.request_issue(actor=manager, opinion=opinion)
    return services.close_meeting(actor=manager, meeting=meeting)


def test_a_whole_meeting_decides_and_issues_each_opinion(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    world = FundWorld.build()
    approved = make_deal(world, company=make_company(name="演示通过公司"), stage=DealStage.COMMITTEE)
    declined = make_deal(world, company=make_company(name="演示否决公司"), stage=DealStage.COMMITTEE)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = hold_meeting(
            manager=world.manager,
            fund=world.fund,
            title="2026年第1次投决会",
            starts_at=timezone.now() - datetime.timedelta(days=30),
            location="坪山",
            ballots=[
                (approved, {world.ic_chair: Choice.YES, world.ic_member: Choice.YES}),
                (declined, {world.ic_chair: Choice.NO, world.ic_member: Choice.YES}),
            ],
        )
    assert meeting.closed_at is not None
    approved.refresh_from_db()
    declined.refresh_from_db()
    assert (approved.stage, declined.stage) == (DealStage.SIGNING, DealStage.REJECTED)
    states = set(AgendaItem.objects.filter(meeting=meeting).values_list("opinion__state", flat=True))
    assert states == {OpinionState.ISSUED}
