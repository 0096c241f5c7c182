"""Council opinions (through portal.opinions), the activity stream, the section navigation and the dashboard panel."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils import activity
from councils.models import ActivityVerb, Committee, Council
from councils.public import council_section
from councils.services import opinions as council_opinions
from councils.templatetags.councils_workspace import SECTIONS
from councils.views.common import workspace_url
from portal.opinions import services as opinion_services
from portal.opinions.models import Issuer, OpinionState
from tests.councils_world import CAN_OPEN, USERS, build_world, login

pytestmark = pytest.mark.django_db

TINY_PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def fast_pdf(monkeypatch):
    monkeypatch.setattr(opinion_services, "render_signed_pdf", lambda opinion: TINY_PDF + opinion.number.encode())


def owned_issuer(workspace, prefix, editor):
    model = Committee if isinstance(workspace, Committee) else Council
    issuer = Issuer.objects.create(
        name=f"{workspace.name}（{prefix}）",
        number_prefix=prefix,
        owner_type=ContentType.objects.get_for_model(model),
        owner_id=str(workspace.pk),
    )
    issuer.editors.add(editor)
    return issuer


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
    issuer = owned_issuer(committee, "坪测产促", users["secretary"])
    opinion = issue(issuer, users["secretary"], users["chair"], title="关于孵化器项目的专业评价意见")
    assert opinion.state == OpinionState.ISSUED
    lines = activity.stream(committee)
    assert [(line.verb, line.summary) for line in lines][:1] == [
        (ActivityVerb.ISSUED_OPINION, f"{opinion.number} 关于孵化器项目的专业评价意见")
    ]
    assert activity.stream(council) == []  # the committee's line stays in the committee's stream
    hidden = issue(issuer, users["secretary"], users["chair"], title="内部意见", is_public=False)
    section = council_section(council.theme, None, None)
    assert [item.pk for item in section["opinions"]] == [opinion.pk]
    assert hidden.pk not in [item.pk for item in council_opinions.public_opinions(council)]


def test_an_unowned_issuer_writes_no_activity(world, fast_pdf):
    users = world["users"]
    issuer = Issuer.objects.create(name="基金投资决策委员会", number_prefix="坪基投")
    issuer.editors.add(users["secretary"])
    issue(issuer, users["secretary"], users["chair"], title="投资决策意见")
    assert not activity.stream(world["council"])


def test_public_theme_page_lists_issued_public_opinions(world, fast_pdf, site_pages, client):
    users, council = world["users"], world["council"]
    issuer = owned_issuer(council, "坪测共治", users["secretary"])
    opinion = issue(issuer, users["secretary"], users["chair"], title="关于政策草案的评议意见")
    section = council_section(council.theme, None, None)
    assert section["opinions"] == [opinion]
    assert reverse("verify:detail", args=[opinion.verification_code])


def test_workspace_opinion_list_members_see_issued_editors_see_drafts(world, fast_pdf, client):
    users, council = world["users"], world["council"]
    issuer = owned_issuer(council, "坪测共治", users["secretary"])
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
