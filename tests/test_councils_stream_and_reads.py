"""Draft titles stay out of the members' activity stream (issue 8, finding 10), and reading a policy-feedback
campaign's named answers is audited (finding 7, for campaigns)."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from councils.models import Council
from councils.services import discussions, feedback, meetings, motions
from portal.opinions.models import Issuer
from tests.councils_world import build_world

pytestmark = pytest.mark.django_db

POLICY = "坪山区细胞治疗临床转化专项扶持办法"


@pytest.fixture
def world():
    world = build_world()
    users, council = world["users"], world["council"]
    Issuer.objects.create(
        name="生物医药理事会",
        number_prefix="坪测生",
        owner_type=ContentType.objects.get_for_model(Council),
        owner_id=str(council.pk),
    )
    campaign = feedback.create_campaign(
        actor=users["secretary"],
        workspace=council,
        title="细胞治疗政策评议",
        policy_name=POLICY,
        issuing_department="坪山区科技创新局",
    )
    feedback.open_campaign(actor=users["secretary"], campaign=campaign)
    feedback.submit_response(actor=users["council_member"], campaign=campaign, effect_rating=4, problems="审批周期长。")
    return {**world, "campaign": campaign}


def activity_page(client, user):
    client.force_login(user)
    response = client.get(reverse("councils:activity", args=["biomed"]))
    assert response.status_code == 200
    return response.content.decode()


# Draft titles ------------------------------------------------------------------------------------------------


def test_a_drafted_opinion_stays_out_of_the_members_stream(client, world):
    users = world["users"]
    opinion = feedback.draft_feedback_opinion(actor=users["secretary"], campaign=world["campaign"])
    assert POLICY in opinion.title
    for who in ("council_member", "chair", "observer", "plenary_only"):
        assert opinion.title not in activity_page(client, users[who]), who
        assert POLICY not in activity_page(client, users[who]), who
    assert opinion.title in activity_page(client, users["secretary"])


def test_every_line_a_member_reads_leads_to_something_they_may_open(client, world):
    users, council = world["users"], world["council"]
    member = users["plenary_only"]
    discussions.start_thread(actor=users["council_member"], workspace=council, title="议题", body="请讨论。")
    meetings.schedule_meeting(
        actor=users["secretary"],
        workspace=council,
        title="第二次全体会议",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        location="坪山区会议中心",
    )
    motions.draft_motion(actor=users["council_member"], workspace=council, title="草稿议案甲", text="尚未提交。")
    submitted = motions.draft_motion(actor=users["council_member"], workspace=council, title="议案乙", text="提交。")
    motions.submit_motion(actor=users["council_member"], motion=submitted)
    feedback.create_campaign(
        actor=users["secretary"], workspace=council, title="草稿评议丙", policy_name="某办法", issuing_department="某局"
    )
    feedback.draft_feedback_opinion(actor=users["secretary"], campaign=world["campaign"])
    content = activity_page(client, member)
    assert "草稿议案甲" not in content and "草稿评议丙" not in content
    links = re.findall(r'<li><time[^>]*>[^<]*</time>.*?<a href="([^"]+)"', content)
    assert len(links) >= 4  # thread, meeting, submitted motion, opened campaign
    for url in links:
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


# Audited reads ------------------------------------------------------------------------------------------------


def reads():
    return ModelLogEntry.objects.filter(action="councils.read_campaign_answers")


def test_the_secretariat_reading_named_answers_is_audited(client, world):
    campaign, secretary = world["campaign"], world["users"]["secretary"]
    client.force_login(secretary)
    response = client.get(reverse("councils:campaign", args=["biomed", campaign.pk]))
    assert response.status_code == 200
    assert "审批周期长。" in response.content.decode()  # the named answers are on the page
    entry = reads().get()
    assert entry.user_id == secretary.pk
    assert entry.object_id == str(campaign.pk)
    assert entry.data["responses"] == 1
    assert registry.get_action_label("councils.read_campaign_answers")


def test_members_reading_the_campaign_write_no_read_entry_and_see_no_named_answers(client, world):
    campaign = world["campaign"]
    client.force_login(world["users"]["plenary_only"])
    response = client.get(reverse("councils:campaign", args=["biomed", campaign.pk]))
    assert response.status_code == 200
    assert "审批周期长。" not in response.content.decode()
    assert not reads().exists()


def test_the_excel_export_is_audited(client, world):
    campaign, secretary = world["campaign"], world["users"]["secretary"]
    client.force_login(secretary)
    response = client.get(reverse("councils:campaign_export", args=["biomed", campaign.pk]))
    assert response.status_code == 200
    entry = ModelLogEntry.objects.get(action="councils.export_campaign")
    assert entry.user_id == secretary.pk and entry.object_id == str(campaign.pk)
    client.force_login(world["users"]["council_member"])
    assert client.get(reverse("councils:campaign_export", args=["biomed", campaign.pk])).status_code == 404
    assert ModelLogEntry.objects.filter(action="councils.export_campaign").count() == 1
