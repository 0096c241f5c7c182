"""The deal room: folders, uploads checked by portal.files, the room on the deal page, audited downloads; 404 for
everyone who may not see the deal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import ModelLogEntry

from funds.models import CommitteeMeeting, DealDocument, DealFolder, DealStage, DocumentKind
from funds.services import room
from portal.files.storage import private_storage
from tests.funds_world import FundWorld, make_deal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8")


@pytest.fixture
def world():
    return FundWorld.build()


@pytest.fixture
def deal(world):
    return make_deal(world, stage=DealStage.DUE_DILIGENCE)


def codes(error) -> set:
    """The codes of a ValidationError's messages (tests read codes, not one language's words)."""
    if hasattr(error, "error_dict"):
        return {item.code for items in error.error_dict.values() for item in items}
    return {item.code for item in error.error_list}


def pdf(name="尽调报告.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def folder_of(deal, name="尽职调查"):
    return deal.folders.get(name=name)


def upload(world, deal, **kwargs):
    kwargs.setdefault("folder", folder_of(deal))
    kwargs.setdefault("kind", DocumentKind.DD_REPORT)
    kwargs.setdefault("upload", pdf())
    return room.upload_document(actor=kwargs.pop("actor", world.manager), deal=deal, **kwargs)


def on_agenda(world, deal):
    meeting = CommitteeMeeting.objects.create(
        committee=world.committee,
        title="投决会",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        created_by=world.manager,
    )
    meeting.items.create(deal=deal, order=1)


def stored_files():
    try:
        return set(private_storage().listdir("funds/deals")[1])
    except FileNotFoundError:
        return set()


def base(deal):
    return f"/en/workspace/funds/{deal.fund.slug}/deals/{deal.pk}"


# --- services --------------------------------------------------------------------------------------------------


def test_a_manager_uploads_a_document_with_its_kind(world, deal):
    document = upload(world, deal, title="")
    assert document.kind == DocumentKind.DD_REPORT and document.title == "尽调报告"
    assert document.original_name == "尽调报告.pdf" and document.size == len(PDF)
    assert document.content_type == "application/pdf" and len(document.sha256) == 64
    assert document.uploaded_by == world.manager
    assert document.file.read() == PDF
    entry = ModelLogEntry.objects.get(action="funds.upload_document")
    assert entry.data["document"] == document.pk and entry.data["kind"] == "dd_report"
    # The guard to the investment committee reads the room.
    from funds.models.deals import has_dd_report

    assert has_dd_report(deal)


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(world, deal):
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        upload(world, deal, upload=pdf("报告.pdf", PNG))
    assert refused.value.error_dict["file"][0].code == "extension"  # the name says PDF, the content is a PNG
    assert not DealDocument.objects.exists() and stored_files() == before
    assert not ModelLogEntry.objects.filter(action="funds.upload_document").exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kind": "secret_kind"}, "kind"),
        ({"folder": None}, "folder"),
        ({"title": "标" * 201}, "title"),
    ],
)
def test_bad_fields_are_refused_with_a_message(world, deal, change, field):
    with pytest.raises(ValidationError) as refused:
        upload(world, deal, **change)
    assert field in refused.value.message_dict
    assert not DealDocument.objects.exists()


def test_a_folder_of_another_deal_is_refused(world, deal):
    other = make_deal(world)
    with pytest.raises(ValidationError):
        upload(world, deal, folder=folder_of(other))
    assert not DealDocument.objects.exists()


@pytest.mark.parametrize("who", ["other_manager", "role_only", "ic_member", "ic_chair", "firm", "outsider"])
def test_only_the_funds_managers_upload(world, deal, who):
    folders = deal.folders.count()
    with pytest.raises(PermissionDenied):
        upload(world, deal, actor=getattr(world, who))
    with pytest.raises(PermissionDenied):
        room.create_folder(actor=getattr(world, who), deal=deal, name="补充材料")
    assert not DealDocument.objects.exists() and deal.folders.count() == folders


def test_a_manager_adds_a_folder_once(world, deal):
    standard = list(deal.folders.values_list("order", flat=True))
    folder = room.create_folder(actor=world.manager, deal=deal, name=" 补充材料 ", name_en="Supplements")
    assert folder.name == "补充材料" and folder.order > max(standard)
    with pytest.raises(ValidationError) as refused:
        room.create_folder(actor=world.manager, deal=deal, name="补充材料")
    assert codes(refused.value) == {"duplicate"}
    with pytest.raises(ValidationError):
        room.create_folder(actor=world.manager, deal=deal, name="  ")
    assert DealFolder.objects.filter(deal=deal, name="补充材料").count() == 1


# --- downloads -------------------------------------------------------------------------------------------------


def test_the_manager_downloads_and_the_read_is_audited(client, world, deal):
    document = upload(world, deal)
    client.force_login(world.manager)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200 and b"".join(response) == PDF
    assert "attachment" in response["Content-Disposition"] and response["X-Content-Type-Options"] == "nosniff"
    entry = ModelLogEntry.objects.get(action="funds.download_document")
    assert entry.user_id == world.manager.pk and entry.data["document"] == document.pk


def test_an_ic_member_reads_the_room_of_a_deal_on_the_agenda_only(client, world, deal):
    document = upload(world, deal)
    client.force_login(world.ic_member)
    assert client.get(document.get_absolute_url()).status_code == 404
    on_agenda(world, deal)
    assert client.get(document.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["other_manager", "role_only", "ic_member", "firm", "outsider"])
def test_everyone_else_gets_404_and_nothing_is_logged(client, world, deal, who):
    document = upload(world, deal)
    client.force_login(getattr(world, who))
    assert client.get(document.get_absolute_url()).status_code == 404
    assert not ModelLogEntry.objects.filter(action="funds.download_document").exists()


def test_a_document_under_another_deals_address_is_404(client, world, deal):
    document = upload(world, deal)
    other = make_deal(world)
    client.force_login(world.manager)
    assert client.get(f"{base(other)}/documents/{document.pk}/").status_code == 404
    other_fund_deal = make_deal(world.other_fund)
    client.force_login(world.other_manager)
    assert client.get(f"{base(other_fund_deal)}/documents/{document.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world, deal):
    document = upload(world, deal)
    for address in (
        document.get_absolute_url(),
        f"{base(deal)}/documents/upload/",
        f"{base(deal)}/folders/new/",
        f"{base(deal)}/reviews/new/",
    ):
        assert "/accounts/login/" in client.get(address)["Location"]


# --- the views that change the room ---------------------------------------------------------------------------


def test_uploading_through_the_page(client, world, deal):
    client.force_login(world.manager)
    address = f"{base(deal)}/documents/upload/"
    assert client.get(address).status_code == 200
    response = client.post(
        address, {"folder": folder_of(deal).pk, "kind": DocumentKind.DD_REPORT, "title": "尽调报告", "file": pdf()}
    )
    assert response.status_code == 302 and response["Location"].endswith("#deal-room")
    assert DealDocument.objects.get().title == "尽调报告"


def test_a_refused_upload_shows_the_message_in_the_users_language_and_stores_nothing(client, world, deal):
    client.force_login(world.manager)
    before = stored_files()
    response = client.post(
        f"/workspace/funds/{deal.fund.slug}/deals/{deal.pk}/documents/upload/",
        {"folder": folder_of(deal).pk, "kind": DocumentKind.OTHER, "file": pdf("报告.pdf", PNG)},
    )
    assert response.status_code == 200
    assert "PNG" in response.content.decode() and "文件" in response.content.decode()
    assert not DealDocument.objects.exists() and stored_files() == before


@pytest.mark.parametrize("who", ["other_manager", "role_only", "ic_member", "firm", "outsider"])
def test_a_refused_post_changes_nothing(client, world, deal, who):
    on_agenda(world, deal)  # even an IC member who may read the room may not change it
    folders = deal.folders.count()
    client.force_login(getattr(world, who))
    assert client.get(f"{base(deal)}/documents/upload/").status_code == 404
    response = client.post(
        f"{base(deal)}/documents/upload/", {"folder": folder_of(deal).pk, "kind": DocumentKind.OTHER, "file": pdf()}
    )
    assert response.status_code == 404
    assert client.post(f"{base(deal)}/folders/new/", {"folder-name": "补充"}).status_code == 404
    assert not DealDocument.objects.exists() and deal.folders.count() == folders


def test_adding_a_folder_through_the_page(client, world, deal):
    client.force_login(world.manager)
    response = client.post(f"{base(deal)}/folders/new/", {"folder-name": "补充材料", "folder-name_en": "More"})
    assert response.status_code == 302 and deal.folders.filter(name="补充材料", name_en="More").exists()
    response = client.post(f"{base(deal)}/folders/new/", {"folder-name": "补充材料"}, follow=True)
    assert "already has a folder" in response.content.decode()
    assert client.get(f"{base(deal)}/folders/new/").status_code == 405


# --- the block on the deal page -------------------------------------------------------------------------------


def block(user, deal, language="en"):
    from django.utils import translation

    request = RequestFactory().get("/")
    request.user = user
    with translation.override(language):
        return render_to_string("funds/deals/_room.html", {"deal": deal, "fund": deal.fund}, request=request)


def test_the_deal_page_block_lists_documents_and_offers_upload_to_managers(world, deal):
    document = upload(world, deal, title="尽调报告终稿")
    html = block(world.manager, deal)
    assert "尽调报告终稿" in html and document.get_absolute_url().removeprefix("/en") in html.replace("/en/", "/")
    assert "Due diligence report" in html and str(world.manager) in html
    assert 'action="/en/workspace/funds/' in html and 'name="file"' in html and 'name="folder-name"' in html
    assert "Empty folders" in html
    zh = block(world.manager, deal, "zh-hans")
    assert "尽职调查报告" in zh or "尽调" in zh


def test_the_block_shows_an_ic_member_the_documents_without_forms(world, deal):
    upload(world, deal, title="尽调报告终稿")
    on_agenda(world, deal)
    html = block(world.ic_member, deal)
    assert "尽调报告终稿" in html
    assert 'name="file"' not in html and 'name="folder-name"' not in html
