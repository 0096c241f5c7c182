"""Council opinions (through portal.opinions), the activity stream, the section navigation and the dashboard panel."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils import activity
from councils.models import ActivityVerb
from councils.public import council_section
from councils.services import opinions as council_opinions
from councils.templatetags.councils_workspace import SECTIONS
from councils.views.common import workspace_url
from portal.opinions import services as opinion_services
from portal.opinions.models import Issuer, OpinionState
from tests.councils_feedback_world import owned_issuer
from tests.councils_world import CAN_OPEN, USERS, build_world, login

pytestmark = pytest.mark.django_db

TINY_PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def fast_pdf(monkeypatch):
    monkeypatch.setattr(opinion_services, "render_signed_pdf", lambda opinion: TINY_PDF + opinion.number.encode())


def issue(issuer, actor, signer, *, title, is_public=True):
    opinion = opinion_services.create_opinion(
        actor=actor,
        issuer=issuer,
        title=title,
        body="<p>经评审，项目符合产业发展方向。</p>",
        is_public=is_public,
        signatories=[signer],
    )
    opinion_services.submit_for_review(actor=actor, opinion=opinion)
    opinion_services.sign_off(actor=signer, opinion=opinion, approve=True)
    return opinion_services.issue_now(opinion_id=opinion.pk, actor_id=actor.pk)


def test_issuing_an_owned_opinion_writes_the_workspace_activity_and_shows_on_the_public_page(world, fast_pdf):
    users, council, committee = world["users"], world["council"], world["committees"]["a"]
    issuer = owned_issuer(committee, "坪测产促", users["chair"])
    opinion = issue(issuer, users["secretary"], users["chair"], title="关于孵化器项目的专业评价意见")
    assert opinion.state == OpinionState.ISSUED
    lines = activity.stream(committee, users["council_member"])
    assert [(line.verb, line.summary) for line in lines][:1] == [
        (ActivityVerb.ISSUED_OPINION, f"{opinion.number} 关于孵化器项目的专业评价意见")
    ]
    assert activity.stream(council, users["secretary"]) == []  # the committee's line stays in the committee's stream
    hidden = issue(issuer, users["secretary"], users["chair"], title="内部意见", is_public=False)
    section = council_section(council.theme, None, None)
    assert [item.pk for item in section["opinions"]] == [opinion.pk]
    assert hidden.pk not in [item.pk for item in council_opinions.public_opinions(council)]


def test_an_issuer_owned_elsewhere_writes_no_council_activity(world, fast_pdf, owner_grants):
    from portal.authority import Power
    from tests.factories import OrganizationFactory

    users = world["users"]
    fund = owner_grants.grant(users["secretary"], OrganizationFactory(name="基金投资决策委员会"))
    owner_grants.grant(users["chair"], fund, Power.SIGN)
    issuer = Issuer.objects.create(
        name="基金投资决策委员会",
        number_prefix="坪基投",
        owner_type=ContentType.objects.get_for_model(fund),
        owner_id=str(fund.pk),
    )
    issue(issuer, users["secretary"], users["chair"], title="投资决策意见")
    assert not activity.stream(world["council"], users["secretary"])


def test_public_theme_page_lists_issued_public_opinions(world, fast_pdf, site_pages, client):
    users, council = world["users"], world["council"]
    issuer = owned_issuer(council, "坪测共治")
    opinion = issue(issuer, users["secretary"], users["chair"], title="关于政策草案的评议意见")
    section = council_section(council.theme, None, None)
    assert section["opinions"] == [opinion]
    assert reverse("verify:detail", args=[opinion.verification_code])


def test_workspace_opinion_list_members_see_issued_editors_see_drafts(world, fast_pdf, client):
    users, council = world["users"], world["council"]
    issuer = owned_issuer(council, "坪测共治")
    issued = issue(issuer, users["secretary"], users["chair"], title="已印发的意见")
    opinion_services.create_opinion(
        actor=users["secretary"], issuer=issuer, title="起草中的意见", body="<p>草稿</p>", signatories=[users["chair"]]
    )
    url = workspace_url(council, "opinions")
    body = login(client, world, "council_member").get(url).content.decode()
    assert issued.number in body and "起草中的意见" not in body
    assert reverse("verify:detail", args=[issued.verification_code]) in body
    body = login(client, world, "secretary").get(url).content.decode()
    assert "起草中的意见" in body and reverse("opinions:create", args=[issuer.pk]) in body


def test_workspace_without_issuer_says_so(world, client):
    response = login(client, world, "council_member").get(workspace_url(world["council"], "opinions"))
    assert response.status_code == 200
    assert response.context["issuer"] is None


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("key", ["plenary", "a", "b"])
@pytest.mark.parametrize("section", ["opinions", "activity"])
def test_opinion_and_activity_pages_open_only_to_the_workspace(world, client, who, key, section):
    url = workspace_url(world["workspaces"][key], section)
    response = login(client, world, who).get(url)
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif who in CAN_OPEN[key]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def test_activity_stream_lists_document_uploads_newest_first_in_constant_queries(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from councils import services

    users, council = world["users"], world["council"]
    folder = services.create_folder(actor=users["secretary"], workspace=council, name="材料")

    def upload(title):
        data = SimpleUploadedFile("a.txt", "会议材料".encode(), content_type="text/plain")
        return services.upload_document(actor=users["secretary"], folder=folder, title=title, upload=data)

    upload("第一份")
    url = workspace_url(council, "activity")
    login(client, world, "council_member")
    client.get(url)  # warm up: the first request of a session loads it
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for index in range(5):
        upload(f"第{index + 2}份材料")
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert len(more) == len(first)
    summaries = [line.summary for line in response.context["activities"]]
    assert summaries[0] == "第6份材料" and summaries[-1] == "第一份"
    assert response.context["activities"][0].verb == ActivityVerb.UPLOADED_DOCUMENT


def test_every_workspace_section_is_in_the_navigation(world, client):
    """All sections are mounted: a section missing its URLs would silently drop out of the tabs."""
    response = login(client, world, "secretary").get(workspace_url(world["committees"]["a"]))
    body = response.content.decode()
    for name, _label in SECTIONS:
        assert f'href="{workspace_url(world["committees"]["a"], name)}"' in body


def _council_business(world, number=1):
    """A coming meeting, a motion in a written vote, an open feedback campaign and an action item, for the
    plenary, each ``number`` times."""
    import datetime

    from django.utils import timezone

    from councils.services import feedback, meetings, motions

    users, council = world["users"], world["council"]
    secretary, member = users["secretary"], users["council_member"]
    soon = timezone.now() + datetime.timedelta(days=7)
    for index in range(number):
        meetings.schedule_meeting(
            actor=secretary, workspace=council, title=f"第{index + 1}次全体会议", starts_at=soon, location="会议室"
        )
        motion = motions.draft_motion(actor=users["chair"], workspace=council, title=f"议案{index + 1}", text="同意。")
        motions.submit_motion(actor=users["chair"], motion=motion)
        motions.open_written_vote(actor=secretary, motion=motion, closes_at=soon)
        campaign = feedback.create_campaign(
            actor=secretary,
            workspace=council,
            title=f"政策评议{index + 1}",
            policy_name="若干措施",
            issuing_department="区科技创新局",
        )
        feedback.open_campaign(actor=secretary, campaign=campaign)
        meetings.add_action_item(actor=secretary, workspace=council, title=f"提交意见{index + 1}", owner=member)


def test_dashboard_panel_lists_my_meetings_votes_feedback_and_action_items(world, client):
    _council_business(world)
    login(client, world, "council_member")
    client.get("/workspace/")  # warm up the session
    with CaptureQueriesContext(connection) as one:
        response = client.get("/workspace/")
    body = response.content.decode()
    for text in ("第1次全体会议", "议案1", "政策评议1", "提交意见1"):
        assert text in body
    # The council panel answers the council member's "what you will find here" hint.
    from portal.workspace.panels import ROLE_EMPTY_STATES

    assert str(ROLE_EMPTY_STATES["council_member"]) not in body
    _council_business(world, number=4)
    with CaptureQueriesContext(connection) as five:
        body = client.get("/workspace/").content.decode()
    assert len(five) == len(one)
    assert "议案4" in body


def test_dashboard_panel_forgets_what_is_done(world, client):
    from councils.models import ActionItem, Motion, PolicyFeedback
    from councils.services import feedback, meetings
    from portal.voting import services as voting

    _council_business(world)
    member = world["users"]["council_member"]
    motion = Motion.objects.get(title="议案1")
    voting.cast_ballot(actor=member, poll=motion.poll, choice="yes")
    campaign = PolicyFeedback.objects.get(title="政策评议1")
    feedback.submit_response(actor=member, campaign=campaign, effect_rating=4)
    meetings.set_action_item_status(actor=member, item=ActionItem.objects.get(title="提交意见1"), status="done")
    response = login(client, world, "council_member").get("/workspace/")
    council_panel = {panel.key: context for panel, context in response.context["panels"]}["councils.workspaces"]
    assert [invitation.meeting.title for invitation in council_panel["invitations"]] == ["第1次全体会议"]
    assert council_panel["campaigns"] == []
    assert council_panel["action_items"] == []


# Setting up a workspace's issuer ----------------------------------------------------------------------------


def test_staff_set_up_a_committee_issuer_and_bad_input_changes_nothing(world):
    from django.core.exceptions import PermissionDenied, ValidationError

    users, committee = world["users"], world["committees"]["a"]
    with pytest.raises(PermissionDenied):  # the secretariat edits opinions but does not create issuers
        council_opinions.set_up_issuer(
            actor=users["secretary"], workspace=committee, name="产促委", number_prefix="坪测产促"
        )
    Issuer.objects.create(name="已有发文机关", number_prefix="坪测已用")
    for name, prefix, field in [
        ("", "坪测产促", "name"),
        ("已有发文机关", "坪测产促", "name"),
        ("产促委", "", "number_prefix"),
        ("产促委", "坪测〔产促〕", "number_prefix"),
        ("产促委", "坪测已用", "number_prefix"),
    ]:
        with pytest.raises(ValidationError) as error:
            council_opinions.set_up_issuer(
                actor=users["superuser"], workspace=committee, name=name, number_prefix=prefix
            )
        assert field in error.value.error_dict
    assert Issuer.objects.count() == 1

    issuer = council_opinions.set_up_issuer(
        actor=users["superuser"], workspace=committee, name="产业促进专业委员会", number_prefix="坪测产促"
    )
    assert council_opinions.issuer_for(committee) == issuer
    assert council_opinions.issuer_for(world["council"]) is None
    assert issuer.owner == committee  # so the council's secretariat edits its opinions (councils.authority)
    assert issuer.addressee_default == world["council"].leading_bureau.name
    with pytest.raises(ValidationError):  # one issuer per workspace
        council_opinions.set_up_issuer(
            actor=users["superuser"], workspace=committee, name="第二个", number_prefix="坪测第二"
        )


@pytest.mark.parametrize("who", USERS)
def test_issuer_set_up_url_only_for_opinions_staff_who_open_the_workspace(world, client, who):
    committee = world["committees"]["a"]
    url = workspace_url(committee, "issuer_set_up")
    data = {"name": "产业促进专业委员会", "number_prefix": "坪测产促"}
    response = login(client, world, who).post(url, data)
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif who == "superuser":
        assert response.status_code == 302 and response["Location"] == workspace_url(committee, "opinions")
    else:
        assert response.status_code == 404
    assert Issuer.objects.filter(number_prefix="坪测产促").exists() is (who == "superuser")


def test_issuer_set_up_form_shows_errors_in_place(world, client):
    committee = world["committees"]["a"]
    login(client, world, "superuser")
    page = client.get(workspace_url(committee, "opinions")).content.decode()
    assert workspace_url(committee, "issuer_set_up") in page
    response = client.post(workspace_url(committee, "issuer_set_up"), {"name": "产促委", "number_prefix": "坪 测"})
    assert response.status_code == 200 and response.context["set_up_form"].errors["number_prefix"]
    assert not Issuer.objects.exists()
    member_page = login(client, world, "council_member").get(workspace_url(committee, "opinions")).content.decode()
    assert workspace_url(committee, "issuer_set_up") not in member_page


# An opinion drafted from an expert review round -------------------------------------------------------------


def _closed_round(world, comments=("技术路线清晰。", "")):
    from portal.reviews import services as review_services
    from portal.reviews.testing import cleared_assignment, make_expert, make_round, submit

    secretary = world["users"]["secretary"]
    committee = world["committees"]["a"]  # the committee commissions the review; its secretariat runs it
    review_round = make_round(secretary, committee, title="某孵化器招商引资项目专业评价", min_scores=2)
    review_services.open_round(actor=secretary, review_round=review_round)
    for index, (scores, comment) in enumerate(zip(((8, 6, 9), (6, 8, 7)), comments, strict=True)):
        expert = make_expert(user=world["users"]["outsider"] if index == 0 else None)
        if expert.user is None:
            from tests.factories import UserFactory

            expert.user = UserFactory()
            expert.save()
        assignment = cleared_assignment(secretary, review_round, expert)
        submit(assignment, *scores, comment=comment)
    review_services.close_round(actor=secretary, review_round=review_round)
    review_round.refresh_from_db()
    return review_round


def test_a_committee_drafts_its_opinion_from_a_closed_review_round(world, client):
    from django.core.exceptions import PermissionDenied, ValidationError

    from portal.opinions.models import Opinion, OpinionKind

    users, committee = world["users"], world["committees"]["a"]
    review_round = _closed_round(world)
    with pytest.raises(ValidationError):  # no issuer yet
        council_opinions.draft_opinion_from_review(
            actor=users["secretary"], workspace=committee, review_round=review_round
        )
    issuer = owned_issuer(committee, "坪测产促", users["chair"])
    with pytest.raises(PermissionDenied):  # a member is not an editor of the issuer
        council_opinions.draft_opinion_from_review(
            actor=users["council_member"], workspace=committee, review_round=review_round
        )
    assert not Opinion.objects.exists()

    opinion = council_opinions.draft_opinion_from_review(
        actor=users["secretary"], workspace=committee, review_round=review_round
    )
    assert opinion.issuer == issuer and opinion.kind == OpinionKind.EVALUATION
    assert opinion.subject == review_round.subject
    assert "某孵化器招商引资项目专业评价" in opinion.title
    assert "技术路线清晰。" in opinion.body  # the experts' comment, numbered
    assert "7.00" in opinion.body or "7.0" in opinion.body  # technology: mean of 8 and 6
    assert users["outsider"].real_name not in opinion.body  # experts are not named
    assert activity.stream(committee, users["secretary"])[0].verb == ActivityVerb.DRAFTED_OPINION
    # The members read no line about a draft (test_councils_stream_and_reads scans the page for the title).
    assert ActivityVerb.DRAFTED_OPINION not in {
        line.verb for line in activity.stream(committee, users["council_member"])
    }


def test_drafting_from_a_round_still_open_is_refused(world):
    from django.core.exceptions import ValidationError

    from portal.reviews.testing import open_round

    users, committee = world["users"], world["committees"]["a"]
    owned_issuer(committee, "坪测产促", users["chair"])
    review_round = open_round(users["secretary"], committee)
    with pytest.raises(ValidationError) as error:
        council_opinions.draft_opinion_from_review(
            actor=users["secretary"], workspace=committee, review_round=review_round
        )
    assert error.value.code == "open"


@pytest.mark.parametrize("who", USERS)
def test_review_opinion_url_only_for_the_issuers_editors_in_the_workspace(world, client, who):
    from portal.opinions.models import Opinion

    users, committee = world["users"], world["committees"]["a"]
    review_round = _closed_round(world)
    owned_issuer(committee, "坪测产促", users["chair"])
    response = login(client, world, who).post(
        workspace_url(committee, "review_opinion"), {"review_round": review_round.pk}
    )
    drafted = Opinion.objects.first()
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif who in ("secretary", "superuser"):
        assert drafted is not None and response["Location"] == reverse("opinions:detail", args=[drafted.pk])
    elif who in CAN_OPEN["a"]:  # may open the workspace, but the round is not theirs to draft from
        assert response.status_code == 302 and drafted is None
    else:
        assert response.status_code == 404 and drafted is None
