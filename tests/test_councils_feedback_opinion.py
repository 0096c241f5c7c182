"""Policy feedback: the feedback opinion drafted from a campaign."""

# ruff: noqa: F811 (the shared fixtures are imported by name and requested as arguments)

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from councils.models import ActivityVerb
from councils.services import feedback as services
from portal.history.models import Event
from portal.opinions.models import Opinion, OpinionKind
from portal.opinions.services import detail_url
from tests.councils_feedback_world import (  # noqa: F401
    answer,
    english_messages,
    new_campaign,
    owned_issuer,
    rows,
    user,
    world,
    zh,
)
from tests.councils_world import login

pytestmark = pytest.mark.django_db


# The feedback opinion ---------------------------------------------------------------------------------------


def test_draft_feedback_opinion(world):
    campaign = new_campaign(world, opened=True)
    answer(world, "council_member", campaign, 5, problems="审批慢<script>alert(1)</script>", suggestions="建议简化")
    answer(world, "plenary_only", campaign, 4, suggestions="加大资助")
    services.close_campaign(actor=user(world, "secretary"), campaign=campaign)
    issuer = owned_issuer(world["council"])
    owned_issuer(world["committees"]["a"], prefix="坪生医促进")  # another workspace's issuer is not used

    opinion = services.draft_feedback_opinion(actor=user(world, "secretary"), campaign=campaign)

    assert opinion.issuer == issuer and opinion.kind == OpinionKind.POLICY_FEEDBACK and opinion.state == "draft"
    assert opinion.subject == campaign and opinion.created_by == user(world, "secretary")
    assert opinion.addressee == "坪山区工业和信息化局"
    assert [entry.user for entry in opinion.sign_offs.all()] == [user(world, "chair")]
    body = opinion.body
    assert "50.0%" in body and "4.50" in body  # response rate (2 of 4), mean rating
    assert "<table>" in body and "<td>5</td><td>1</td>" in body and "<td>4</td><td>1</td>" in body
    assert world["organizations"]["council_member"].name in body and "建议简化" in body and "加大资助" in body
    assert "<script>" not in body and "审批慢" in body
    campaign.refresh_from_db()
    assert campaign.opinion == opinion
    line = Event.objects.get(verb=ActivityVerb.DRAFTED_OPINION)
    assert line.url == detail_url(opinion) and line.summary == opinion.title
    assert ModelLogEntry.objects.filter(action="councils.draft_feedback_opinion").count() == 1

    before = rows()
    with pytest.raises(ValidationError):  # one opinion per campaign
        services.draft_feedback_opinion(actor=user(world, "secretary"), campaign=campaign)
    assert rows() == before


@pytest.mark.usefixtures("english_messages")
def test_draft_opinion_without_an_issuer_or_from_a_draft_is_refused(world):
    campaign = new_campaign(world, opened=True)
    before = rows()
    with pytest.raises(ValidationError) as error:
        services.draft_feedback_opinion(actor=user(world, "secretary"), campaign=campaign)
    assert error.value.messages == ["This workspace has no opinion issuer yet. Ask the portal staff to set one up."]
    owned_issuer(world["council"])
    draft = new_campaign(world)
    before = rows()
    with pytest.raises(ValidationError):
        services.draft_feedback_opinion(actor=user(world, "secretary"), campaign=draft)
    assert rows() == before
    campaign.refresh_from_db()
    assert campaign.opinion is None


def test_draft_opinion_view_redirects_to_the_opinion_or_explains(client, world):
    campaign = new_campaign(world, opened=True)
    login(client, world, "secretary")
    url = reverse("councils:campaign_opinion", kwargs={"slug": "biomed", "pk": campaign.pk})
    response = client.post(url, follow=True)
    assert response.status_code == 200 and Opinion.objects.count() == 0
    assert (
        zh("This workspace has no opinion issuer yet. Ask the portal staff to set one up.") in response.content.decode()
    )
    owned_issuer(world["council"])
    response = client.post(url)
    opinion = Opinion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("opinions:detail", kwargs={"pk": opinion.pk})
