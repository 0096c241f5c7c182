"""Council and committee workspaces: access read from the dated rows, the permission matrix of every URL,
document uploads (validation, versions, downloads) and query budgets."""

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from councils import permissions, services
from councils.models import (
    CommitteeKind,
    CommitteeMembership,
    Council,
    Document,
    DocumentVersion,
)
from portal.accounts.roles import RoleCode
from portal.files.uploads import DOCUMENTS
from portal.notifications.models import Notification
from tests.councils_world import new_council
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
TEXT = "会议纪要：讨论产业促进工作安排。\n".encode()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files():
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "councils" / "documents"
    return sorted(path.name for path in root.glob("*")) if root.exists() else []


@pytest.fixture
def world():
    secretary = UserFactory(username="ws_secretary", roles=[RoleCode.SECRETARIAT])
    council = new_council(secretary)
    committee_a = services.add_committee(actor=secretary, council=council, kind=CommitteeKind.INDUSTRY_PROMOTION)
    committee_b = services.add_committee(actor=secretary, council=council, kind=CommitteeKind.STRATEGIC_PLANNING)
    users = {
        "council_member": UserFactory(username="ws_council_member"),  # plenary and committee A
        "plenary_only": UserFactory(username="ws_plenary_only"),  # plenary, no committee
        "member_b": UserFactory(username="ws_member_b"),  # committee B only
        "external": UserFactory(username="ws_external"),  # committee A, organization not on the council
        "secretary": secretary,
        "outsider": UserFactory(username="ws_outsider", roles=[RoleCode.COUNCIL_MEMBER]),
        "superuser": UserFactory(username="ws_root", is_superuser=True),
    }
    org_member = OrganizationFactory()
    org_plenary = OrganizationFactory()
    services.add_membership(
        actor=secretary, council=council, organization=org_member, representative=users["council_member"]
    )
    services.add_membership(
        actor=secretary, council=council, organization=org_plenary, representative=users["plenary_only"]
    )
    services.add_committee_member(
        actor=secretary, committee=committee_a, user=users["council_member"], organization=org_member
    )
    services.add_committee_member(
        actor=secretary, committee=committee_a, user=users["external"], organization=OrganizationFactory()
    )
    services.add_committee_member(
        actor=secretary, committee=committee_b, user=users["member_b"], organization=org_member
    )
    folders, documents, versions = {}, {}, {}
    for key, workspace in (("plenary", council), ("a", committee_a), ("b", committee_b)):
        folders[key] = services.create_folder(actor=secretary, workspace=workspace, name="会议材料")
        documents[key] = services.upload_document(
            actor=secretary, folder=folders[key], title=f"议程{key}", upload=upload("议程.txt", TEXT)
        )
        versions[key] = documents[key].current_version
    return {
        "council": council,
        "committees": {"a": committee_a, "b": committee_b},
        "users": users,
        "folders": folders,
        "documents": documents,
        "versions": versions,
    }


# Permission matrix -----------------------------------------------------------------------------------------

CAN_OPEN = {
    "plenary": {"council_member", "plenary_only", "secretary", "superuser"},
    "a": {"council_member", "external", "secretary", "superuser"},
    "b": {"member_b", "secretary", "superuser"},
}
USERS = ["council_member", "plenary_only", "member_b", "external", "secretary", "outsider", "superuser", "anonymous"]


def endpoints(world, key):
    """(label, method, url, data) for every URL of one workspace."""
    slug = world["council"].slug
    folder, document, version = world["folders"][key], world["documents"][key], world["versions"][key]
    if key == "plenary":
        home = reverse("councils:council", kwargs={"slug": slug})
        new_folder = reverse("councils:folder_create", kwargs={"slug": slug})
    else:
        committee = world["committees"][key]
        home = reverse("councils:committee", kwargs={"slug": slug, "pk": committee.pk})
        new_folder = reverse("councils:committee_folder_create", kwargs={"slug": slug, "committee_pk": committee.pk})
    folder_url = reverse("councils:folder", kwargs={"slug": slug, "pk": folder.pk})
    upload_url = reverse("councils:document_upload", kwargs={"slug": slug, "pk": folder.pk})
    document_url = reverse("councils:document", kwargs={"slug": slug, "pk": document.pk})
    version_url = reverse("councils:version_upload", kwargs={"slug": slug, "pk": document.pk})
    download_url = reverse("councils:download", kwargs={"slug": slug, "pk": version.pk})
    return [
        ("workspace", "get", home, None),
        ("new folder", "post", new_folder, lambda: {"name": "新文件夹"}),
        ("folder", "get", folder_url, None),
        ("upload form", "get", upload_url, None),
        ("upload", "post", upload_url, lambda: {"title": "新文件", "file": upload("新文件.txt", TEXT)}),
        ("document", "get", document_url, None),
        ("version form", "get", version_url, None),
        ("new version", "post", version_url, lambda: {"file": upload("新版本.txt", TEXT), "note": "修订"}),
        ("download", "get", download_url, None),
    ]


VERSION_ENDPOINTS = {"version form", "new version"}


@pytest.mark.parametrize("workspace", ["plenary", "a", "b"])
@pytest.mark.parametrize("who", USERS)
def test_permission_matrix(client, world, who, workspace):
    if who != "anonymous":
        client.force_login(world["users"][who])
    allowed = who in CAN_OPEN[workspace]
    # The secretariat uploaded the documents: only it adds their versions (the uploader would too).
    adds_versions = allowed and who in {"secretary", "superuser"}
    versions_before = DocumentVersion.objects.count()
    for label, method, url, data in endpoints(world, workspace):
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data())
        if who == "anonymous":
            assert response.status_code == 302, label
            assert "/accounts/login/" in response["Location"], label
        elif not allowed or (label in VERSION_ENDPOINTS and not adds_versions):
            assert response.status_code == 404, f"{who} {workspace} {label}"
        elif method == "get":
            assert response.status_code == 200, f"{who} {workspace} {label}"
        else:
            assert response.status_code == 302, f"{who} {workspace} {label}"
            assert "/accounts/login/" not in response["Location"]
    expected = versions_before + allowed + adds_versions  # a new document, and a new version
    assert DocumentVersion.objects.count() == expected


@pytest.mark.parametrize("who", ["outsider", "member_b", "external"])
def test_unknown_and_forbidden_council_look_the_same(client, world, who):
    client.force_login(world["users"][who])
    forbidden = client.get(reverse("councils:council", kwargs={"slug": "biomed"}))
    unknown = client.get(reverse("councils:council", kwargs={"slug": "no-such-council"}))
    assert forbidden.status_code == unknown.status_code == 404
    token = re.compile(rb'[A-Za-z0-9]{32,}|nonce="[^"]*"')  # CSRF tokens and CSP nonces differ per response
    unknown_content = unknown.content.replace(b"no-such-council", b"biomed")  # the language links name the path
    assert token.sub(b"", forbidden.content) == token.sub(b"", unknown_content)


def test_unknown_committee_and_wrong_slug_are_404(client, world):
    client.force_login(world["users"]["superuser"])
    committee = world["committees"]["a"]
    assert client.get(reverse("councils:committee", kwargs={"slug": "biomed", "pk": 99999})).status_code == 404
    other = Council.objects.create(
        theme=world["council"].theme, name_zh="另一理事会", slug="other", leading_bureau=world["council"].leading_bureau
    )
    assert client.get(reverse("councils:committee", kwargs={"slug": other.slug, "pk": committee.pk})).status_code == 404
    folder = world["folders"]["a"]
    assert client.get(reverse("councils:folder", kwargs={"slug": other.slug, "pk": folder.pk})).status_code == 404
    version = world["versions"]["plenary"]
    assert client.get(reverse("councils:download", kwargs={"slug": other.slug, "pk": version.pk})).status_code == 404


@pytest.mark.parametrize("who", USERS[:-1])
def test_my_workspaces_lists_exactly_what_the_user_may_open(client, world, who):
    client.force_login(world["users"][who])
    response = client.get(reverse("councils:workspaces"))
    assert response.status_code == 200
    councils, committees = response.context["councils"], response.context["committees"]
    assert (world["council"] in councils) is (who in CAN_OPEN["plenary"])
    for key in ("a", "b"):
        assert (world["committees"][key] in committees) is (who in CAN_OPEN[key])


def test_my_workspaces_needs_login(client):
    response = client.get(reverse("councils:workspaces"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", USERS[:-1])
def test_permission_functions_are_plain_bools(world, who):
    user = world["users"][who]
    answers = [
        permissions.can_open_council_workspace(user, world["council"]),
        permissions.can_open_committee_workspace(user, world["committees"]["a"]),
        permissions.can_open_committee_workspace(user, world["committees"]["b"]),
        permissions.can_open_workspace_of(user, world["folders"]["b"]),
        permissions.shows_workspaces_panel(user),
    ]
    assert all(type(answer) is bool for answer in answers)
    assert answers[0] is (who in CAN_OPEN["plenary"])
    assert answers[1] is (who in CAN_OPEN["a"])
    assert answers[2] is answers[3] is (who in CAN_OPEN["b"])
    assert answers[4] is (who != "outsider")


def test_inactive_member_cannot_open(world):
    user = world["users"]["council_member"]
    user.is_active = False
    user.save()
    assert permissions.can_open_council_workspace(user, world["council"]) is False


# Access follows the rows (the dated cases are in test_councils_terms.py) ----------------------------------


def _fresh(obj):
    """A new instance: the permission functions memoise their answers on the instance for one request."""
    return type(obj).objects.get(pk=obj.pk)


def test_permissions_follow_council_membership(world):
    council, secretary = world["council"], world["users"]["secretary"]
    newcomer = UserFactory()
    assert permissions.can_open_council_workspace(newcomer, _fresh(council)) is False
    membership = services.add_membership(
        actor=secretary, council=council, organization=OrganizationFactory(), representative=newcomer
    )
    assert permissions.can_open_council_workspace(newcomer, _fresh(council)) is True
    assert permissions.can_open_committee_workspace(newcomer, _fresh(world["committees"]["a"])) is False

    successor = UserFactory()
    services.change_membership(actor=secretary, membership=membership, representative=successor)
    assert permissions.can_open_council_workspace(newcomer, _fresh(council)) is False
    assert permissions.can_open_council_workspace(successor, _fresh(council)) is True

    services.end_membership(actor=secretary, membership=membership)
    assert permissions.can_open_council_workspace(successor, _fresh(council)) is False


def test_permissions_follow_committee_membership(world):
    committee_a, committee_b = world["committees"]["a"], world["committees"]["b"]
    secretary = world["users"]["secretary"]
    person = UserFactory()
    member = services.add_committee_member(
        actor=secretary, committee=committee_a, user=person, organization=OrganizationFactory()
    )
    assert permissions.can_open_committee_workspace(person, _fresh(committee_a)) is True
    assert permissions.can_open_committee_workspace(person, _fresh(committee_b)) is False
    assert permissions.can_open_council_workspace(person, _fresh(world["council"])) is False

    services.end_committee_membership(actor=secretary, member=member, reason="工作调整")
    assert permissions.can_open_committee_workspace(person, _fresh(committee_a)) is False
    assert not CommitteeMembership.objects.filter(pk=member.pk).exists()
    entry = ModelLogEntry.objects.get(action="councils.end_committee_member")
    assert entry.data["user"] == person.pk and entry.data["reason"] == "工作调整"


def test_only_the_secretariat_ends_committee_memberships(world):
    member = CommitteeMembership.objects.get(user=world["users"]["external"])
    with pytest.raises(PermissionDenied):
        services.end_committee_membership(actor=world["users"]["council_member"], member=member)
    assert CommitteeMembership.objects.filter(pk=member.pk).exists()


def test_secretariat_staff_open_every_workspace_and_lose_it_when_removed(world):
    council = world["council"]
    staff = UserFactory(roles=[RoleCode.SECRETARIAT])
    council.secretariat_users.add(staff)
    assert permissions.can_open_council_workspace(staff, _fresh(council)) is True
    assert all(permissions.can_open_committee_workspace(staff, _fresh(c)) for c in world["committees"].values())
    council.secretariat_users.remove(staff)
    assert permissions.can_open_council_workspace(staff, _fresh(council)) is False
    assert not any(permissions.can_open_committee_workspace(staff, _fresh(c)) for c in world["committees"].values())


def test_new_committee_opens_to_the_secretariat(world):
    secretary = world["users"]["secretary"]
    committee = services.add_committee(actor=secretary, council=world["council"], kind=CommitteeKind.RISK_PREVENTION)
    assert permissions.can_open_committee_workspace(secretary, committee) is True
    assert permissions.can_open_committee_workspace(world["users"]["council_member"], committee) is False


# Uploads ---------------------------------------------------------------------------------------------------


def test_valid_pdf_is_accepted_and_members_are_notified(world):
    secretary, folder = world["users"]["secretary"], world["folders"]["a"]
    Notification.objects.all().delete()
    document = services.upload_document(
        actor=secretary, folder=folder, title="调研报告", upload=upload("调研报告.pdf", PDF), note="初稿"
    )
    version = document.current_version
    assert version.number == 1 and version.content_type == "application/pdf"
    assert version.original_name == "调研报告.pdf" and version.size == len(PDF)
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()
    assert version.file.name.startswith("councils/documents/") and "调研" not in version.file.name
    assert len(Path(version.file.name).name) >= 32
    with version.file.open("rb") as handle:
        assert handle.read() == PDF
    entry = ModelLogEntry.objects.get(action="councils.upload_document", object_id=str(document.pk))
    assert entry.user == secretary
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"ws_council_member", "ws_external"}  # committee A's other members, not the uploader


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("图片.pdf", PNG, "extension"),  # a PNG renamed .pdf
        ("setup.exe", EXE, "type"),
        ("setup.txt", EXE, "type"),  # an executable renamed .txt
        ("notes.txt", "会议纪要".encode("gb18030"), "encoding"),  # text that is not UTF-8
        ("archive.bin", b"\x00\x01\x02plain bytes", "type"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_refused_uploads_change_nothing(world, name, data, code):
    secretary, folder, document = world["users"]["secretary"], world["folders"]["a"], world["documents"]["a"]
    rows = (Document.objects.count(), DocumentVersion.objects.count(), ModelLogEntry.objects.count())
    files = stored_files()
    with pytest.raises(ValidationError) as error:
        services.upload_document(actor=secretary, folder=folder, title="文件", upload=upload(name, data))
    assert error.value.error_dict["file"][0].code == code
    with pytest.raises(ValidationError):
        services.upload_version(actor=secretary, document=document, upload=upload(name, data))
    assert (Document.objects.count(), DocumentVersion.objects.count(), ModelLogEntry.objects.count()) == rows
    assert stored_files() == files


def test_too_large_file_is_refused(world, monkeypatch):
    monkeypatch.setattr(DOCUMENTS, "max_size", 50)
    secretary, folder = world["users"]["secretary"], world["folders"]["a"]
    rows, files = DocumentVersion.objects.count(), stored_files()
    with pytest.raises(ValidationError) as error:
        services.upload_document(actor=secretary, folder=folder, title="大文件", upload=upload("big.pdf", PDF))
    assert error.value.error_dict["file"][0].code == "too_large"
    assert DocumentVersion.objects.count() == rows and stored_files() == files
    services.upload_document(actor=secretary, folder=folder, title="小文件", upload=upload("small.txt", b"ok"))


def test_refused_upload_in_the_view_shows_the_message_in_chinese(client, world):
    client.force_login(world["users"]["external"])
    folder = world["folders"]["a"]
    url = reverse("councils:document_upload", kwargs={"slug": "biomed", "pk": folder.pk})
    count = Document.objects.count()
    response = client.post(url, {"title": "伪装文件", "file": upload("图片.pdf", PNG)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert "PNG" in response.content.decode()
    assert Document.objects.count() == count


def test_outsider_cannot_upload_through_the_service(world):
    with pytest.raises(PermissionDenied):
        services.upload_document(
            actor=world["users"]["member_b"], folder=world["folders"]["a"], title="x", upload=upload("x.pdf", PDF)
        )
    with pytest.raises(PermissionDenied):
        services.create_folder(actor=world["users"]["external"], workspace=world["council"], name="x")


def test_folder_names_are_unique_per_workspace(world):
    secretary = world["users"]["secretary"]
    with pytest.raises(ValidationError):
        services.create_folder(actor=secretary, workspace=world["committees"]["a"], name="会议材料")
    with pytest.raises(ValidationError):
        services.create_folder(actor=secretary, workspace=world["council"], name="  ")


def test_version_history_keeps_earlier_versions(client, world):
    member, document = world["users"]["secretary"], world["documents"]["a"]
    second = services.upload_version(actor=member, document=document, upload=upload("议程v2.pdf", PDF), note="定稿")
    third = services.upload_version(actor=member, document=document, upload=upload("议程v3.txt", TEXT))
    assert [second.number, third.number] == [2, 3]
    document.refresh_from_db()
    assert document.current_version == third
    assert list(document.versions.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    assert all(Path(settings.PRIVATE_MEDIA_ROOT, v.file.name).exists() for v in document.versions.all())
    assert ModelLogEntry.objects.filter(action="councils.upload_version", object_id=str(document.pk)).count() == 2
    client.force_login(member)
    response = client.get(reverse("councils:document", kwargs={"slug": "biomed", "pk": document.pk}))
    assert [v.number for v in response.context["versions"]] == [3, 2, 1]
    assert "议程v2.pdf" in response.content.decode()


def test_download_headers_and_audit_entry(client, world):
    member = world["users"]["council_member"]
    version = world["versions"]["plenary"]
    client.force_login(member)
    response = client.get(reverse("councils:download", kwargs={"slug": "biomed", "pk": version.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TEXT
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''%E8%AE%AE%E7%A8%8B.txt"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("text/plain")
    entry = ModelLogEntry.objects.get(action="councils.download_document")
    assert entry.user == member and entry.data["number"] == 1


# Query budgets ---------------------------------------------------------------------------------------------


def _add_documents(world, key, count):
    secretary = world["users"]["secretary"]
    for index in range(count):
        services.upload_document(
            actor=secretary, folder=world["folders"][key], title=f"文件{index:03}", upload=upload("a.txt", TEXT)
        )


@pytest.mark.parametrize("list_page", ["folder", "workspace", "committee", "list"])
def test_list_pages_have_constant_query_counts(client, world, list_page):
    client.force_login(world["users"]["council_member"])
    key = "a" if list_page == "committee" else "plenary"
    urls = {
        "folder": reverse("councils:folder", kwargs={"slug": "biomed", "pk": world["folders"][key].pk}),
        "workspace": reverse("councils:council", kwargs={"slug": "biomed"}),
        "committee": reverse("councils:committee", kwargs={"slug": "biomed", "pk": world["committees"]["a"].pk}),
        "list": reverse("councils:workspaces"),
    }
    _add_documents(world, key, 2)  # 3 documents
    client.get(urls[list_page])  # warm caches (session, locale)
    with CaptureQueriesContext(connection) as few:
        response = client.get(urls[list_page])
    assert response.status_code == 200
    _add_documents(world, key, 27)  # 30 documents
    secretary = world["users"]["secretary"]
    for _index in range(3):
        folder_name = f"文件夹{_index}"
        services.create_folder(actor=secretary, workspace=world["council"], name=folder_name)
    with CaptureQueriesContext(connection) as many:
        response = client.get(urls[list_page])
    if list_page == "folder":
        assert "文件026" in response.content.decode()
    print(f"{list_page}: {len(few)} queries with 3 documents, {len(many)} with 30")
    assert len(many) == len(few)


# Dashboard panel and demo ---------------------------------------------------------------------------------


def test_dashboard_panel_only_for_workspace_members(client, world):
    client.force_login(world["users"]["external"])
    response = client.get(reverse("workspace:dashboard"))
    content = response.content.decode()
    assert "councils.workspaces" not in content
    assert reverse("councils:committee", kwargs={"slug": "biomed", "pk": world["committees"]["a"].pk}) in content
    plenary = reverse("councils:council", kwargs={"slug": "biomed"})
    assert f'href="{plenary}"' not in content
    client.force_login(world["users"]["outsider"])
    response = client.get(reverse("workspace:dashboard"))
    assert reverse("councils:workspaces") not in response.content.decode()
