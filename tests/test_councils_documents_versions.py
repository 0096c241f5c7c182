"""Official documents keep their versions (issue 8, finding 8): a new version of a document is added only by the
document's uploader and the workspace's secretariat; other members may still upload new documents."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from councils import permissions, services
from councils.models import Document, DocumentVersion, Membership
from tests.councils_world import build_world

pytestmark = pytest.mark.django_db

TEXT = "第一次全体会议议程（定稿）。\n".encode()
WHO_ADDS_VERSIONS = "New versions of this document are added by the person who uploaded it and by the secretariat."


def upload(name="议程.txt"):
    return SimpleUploadedFile(name, TEXT)


@pytest.fixture
def world():
    world = build_world()
    secretary, member = world["users"]["secretary"], world["users"]["council_member"]
    folder = services.create_folder(actor=secretary, workspace=world["council"], name="会议材料")
    official = services.upload_document(actor=secretary, folder=folder, title="议程", upload=upload())
    services.upload_version(actor=secretary, document=official, upload=upload("议程v2.txt"), note="定稿")
    own = services.upload_document(actor=member, folder=folder, title="企业建议", upload=upload("建议.txt"))
    return {**world, "folder": folder, "official": official, "own": own}


def _state(document):
    document.refresh_from_db()
    return {
        "versions": list(document.versions.order_by("number").values_list("number", flat=True)),
        "current": document.current_version_id,
        "log": ModelLogEntry.objects.filter(action="councils.upload_version").count(),
    }


def test_a_member_cannot_add_a_version_above_the_secretariats_final(world):
    member, official = world["users"]["council_member"], world["official"]
    before = _state(official)
    assert permissions.can_add_version(member, official) is False
    with pytest.raises(PermissionDenied):
        services.upload_version(actor=member, document=official, upload=upload("议程v3.txt"))
    assert _state(official) == before == {**before, "versions": [1, 2]}


@pytest.mark.parametrize("who", ["plenary_only", "chair", "observer"])
def test_other_members_are_refused_by_the_view_and_see_no_form(client, world, who):
    official = world["official"]
    client.force_login(world["users"][who])
    before = _state(official)
    document_url = reverse("councils:document", args=["biomed", official.pk])
    version_url = reverse("councils:version_upload", args=["biomed", official.pk])
    page = client.get(document_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert version_url not in content
    with translation.override("zh-hans"):
        assert translation.gettext(WHO_ADDS_VERSIONS) in content
    assert client.get(version_url).status_code == 404
    assert client.post(version_url, {"file": upload("议程v3.txt"), "note": "改"}).status_code == 404
    assert _state(official) == before


def test_the_uploader_adds_versions_of_their_own_document(client, world):
    member, own = world["users"]["council_member"], world["own"]
    client.force_login(member)
    version_url = reverse("councils:version_upload", args=["biomed", own.pk])
    assert version_url in client.get(reverse("councils:document", args=["biomed", own.pk])).content.decode()
    response = client.post(version_url, {"file": upload("建议v2.txt"), "note": "补充"})
    assert response.status_code == 302
    assert _state(own)["versions"] == [1, 2]


def test_the_secretariat_adds_versions_of_a_members_document(world):
    secretary, own = world["users"]["secretary"], world["own"]
    assert permissions.can_add_version(secretary, own) is True
    version = services.upload_version(actor=secretary, document=own, upload=upload("建议v2.txt"))
    assert version.number == 2 and version.uploaded_by == secretary


def test_the_uploader_may_not_version_the_secretariats_document_nor_another_members(world):
    assert permissions.can_add_version(world["users"]["plenary_only"], world["own"]) is False
    assert permissions.can_add_version(world["users"]["council_member"], world["official"]) is False


def test_members_still_upload_new_documents(client, world):
    client.force_login(world["users"]["plenary_only"])
    url = reverse("councils:document_upload", args=["biomed", world["folder"].pk])
    response = client.post(url, {"title": "会议建议", "file": upload("会议建议.txt")})
    assert response.status_code == 302
    document = Document.objects.get(title="会议建议")
    assert document.created_by == world["users"]["plenary_only"]
    assert permissions.can_add_version(world["users"]["plenary_only"], document) is True


def test_outsiders_and_former_members_cannot_add_versions_even_of_their_own_uploads(world):
    member, own = world["users"]["council_member"], world["own"]
    assert permissions.can_add_version(world["users"]["outsider"], own) is False
    assert permissions.can_add_version(world["users"]["member_b"], own) is False
    membership = Membership.objects.get(council=world["council"], representative=member)
    services.end_membership(actor=world["users"]["secretary"], membership=membership)
    fresh = Document.objects.select_related("folder__council").get(pk=own.pk)
    assert permissions.can_add_version(member, fresh) is False
    with pytest.raises(PermissionDenied):
        services.upload_version(actor=member, document=fresh, upload=upload("建议v2.txt"))
    assert DocumentVersion.objects.filter(document=own).count() == 1
