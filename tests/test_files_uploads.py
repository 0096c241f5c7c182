"""portal.files: uploads checked by content (not by name), files removed when the action fails, and private
downloads that name the file in UTF-8, forbid sniffing and leave an audit entry."""

import hashlib
import io
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.files.downloads import private_response, serve_private
from portal.files.storage import private_storage
from portal.files.uploads import DOCUMENTS, Accepted, StoredFiles, clean_name, inspect_upload
from portal.opinions.models import Issuer, Opinion
from tests.factories import UserFactory

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8")


def upload(name, data):
    return SimpleUploadedFile(name, data)


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def refusal_code(error):
    return error.value.error_dict["file"][0].code


# Sniffing ----------------------------------------------------------------------------------------------------


def test_a_pdf_is_sniffed_and_described():
    checked = inspect_upload(upload("议程.pdf", PDF))
    assert checked.content_type == "application/pdf"
    assert checked.size == len(PDF)
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
    assert checked.name == "议程.pdf"
    assert checked.fields() == {
        "original_name": "议程.pdf",
        "size": len(PDF),
        "content_type": "application/pdf",
        "sha256": hashlib.sha256(PDF).hexdigest(),
    }


def test_a_png_named_jpeg_is_refused_and_a_png_named_png_accepted():
    assert inspect_upload(upload("photo.png", PNG)).content_type == "image/png"
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("photo.jpg", PNG))
    assert refusal_code(error) == "extension"


def test_a_pdf_that_is_really_a_png_is_refused_in_the_users_language():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            inspect_upload(upload("合同.pdf", PNG))
        message = str(error.value.error_dict["file"][0].message)
    assert refusal_code(error) == "extension"
    assert "PNG" in message and "pdf" in message
    assert "但" in message  # the Chinese sentence, not the English source


def test_a_docx_is_sniffed_from_its_zip_content():
    checked = inspect_upload(upload("报告.docx", docx_bytes()))
    assert checked.content_type.endswith("wordprocessingml.document")


def test_an_accepted_type_outside_the_list_is_refused():
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00"
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("a.gif", gif))
    assert refusal_code(error) == "type"


def test_an_unknown_binary_is_refused_even_named_txt_when_it_is_not_utf8():
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("notes.txt", "会议纪要".encode("gb18030")))
    assert refusal_code(error) == "encoding"


def test_utf8_text_and_csv_are_accepted_by_extension():
    assert inspect_upload(upload("纪要.txt", "会议纪要".encode())).content_type == "text/plain"
    assert inspect_upload(upload("名单.csv", "姓名,单位\n".encode())).content_type == "text/csv"


def test_a_name_without_a_known_extension_is_refused():
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("script.sh", b"echo hi\n"))
    assert refusal_code(error) == "type"


def test_empty_missing_and_too_large_uploads_are_refused():
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("empty.pdf", b""))
    assert refusal_code(error) == "empty"
    with pytest.raises(ValidationError) as error:
        inspect_upload(None)
    assert refusal_code(error) == "required"
    small = Accepted(types=DOCUMENTS.types, text=DOCUMENTS.text, max_size=len(PDF) - 1, described="")
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("big.pdf", PDF), small)
    assert refusal_code(error) == "too_large"
    assert inspect_upload(upload("fits.pdf", PDF), Accepted(types=DOCUMENTS.types, max_size=len(PDF)))


def test_the_size_limit_of_documents_is_twenty_megabytes_and_can_be_lowered_in_a_test(monkeypatch):
    assert DOCUMENTS.max_size == 20 * 1024 * 1024
    monkeypatch.setattr(DOCUMENTS, "max_size", 10)
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("a.pdf", PDF))
    assert refusal_code(error) == "too_large"
    assert "1 MB" in " ".join(error.value.messages)


def test_the_refusal_names_the_field_the_form_shows():
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload("empty.pdf", b""), field_name="attachment")
    assert list(error.value.error_dict) == ["attachment"]


def test_the_upload_is_rewound_for_storing():
    file = upload("a.pdf", PDF)
    inspect_upload(file)
    assert file.read() == PDF


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("C:\\Users\\王\\桌面\\议程.pdf", "议程.pdf"),
        ("../../etc/passwd", "passwd"),
        ("", "document"),
        (None, "document"),
        ("a" * 300 + ".pdf", "a" * 255),
    ],
)
def test_clean_name_keeps_only_the_files_own_name(raw, clean):
    assert clean_name(raw) == clean


# Stored files ------------------------------------------------------------------------------------------------


def _stored_names():
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _unsaved_opinion(code):
    """An opinion's PDF field names its file by issue year and verification code."""
    return Opinion(issued_at=timezone.now(), verification_code=code)


@pytest.mark.django_db
def test_stored_files_are_removed_when_the_action_fails():
    before = _stored_names()
    opinion = _unsaved_opinion("FAILED22")
    with pytest.raises(RuntimeError), StoredFiles() as stored:
        stored.save(opinion.pdf, SimpleUploadedFile("x.pdf", PDF), name="x.pdf")
        assert _stored_names() != before
        raise RuntimeError("the action failed after the file was written")
    assert _stored_names() == before


@pytest.mark.django_db
def test_stored_files_stay_when_the_action_succeeds():
    before = _stored_names()
    storage = private_storage()
    opinion = _unsaved_opinion("KEPT2222")
    with StoredFiles() as stored:
        stored.save(opinion.pdf, SimpleUploadedFile("y.pdf", PDF), name="y.pdf")
    assert storage.exists(opinion.pdf.name)
    storage.delete(opinion.pdf.name)
    assert _stored_names() == before


# Downloads ---------------------------------------------------------------------------------------------------


@pytest.fixture
def stored_pdf(db):
    issuer = Issuer.objects.create(name="下载测试", number_prefix="下载测")
    opinion = Opinion.objects.create(
        issuer=issuer, title="意见", body="<p>x</p>", issued_at=timezone.now(), verification_code="DNLD2345"
    )
    opinion.pdf.save("a.pdf", SimpleUploadedFile("a.pdf", PDF), save=False)
    yield opinion
    opinion.pdf.storage.delete(opinion.pdf.name)


def test_serve_private_names_the_file_in_utf8_forbids_sniffing_and_audits(stored_pdf):
    user = UserFactory()
    request = RequestFactory().get("/")
    request.user = user
    response = serve_private(
        request,
        stored_pdf.pdf,
        name="会议 纪要.pdf",
        content_type="application/pdf",
        instance=stored_pdf,
        action="opinions.download",
        data={"sha256": "x"},
    )
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote('会议 纪要.pdf', safe='')}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    entry = ModelLogEntry.objects.get(action="opinions.download")
    assert entry.user_id == user.pk and entry.object_id == str(stored_pdf.pk) and entry.data == {"sha256": "x"}


def test_inline_disposition(stored_pdf):
    response = private_response(stored_pdf.pdf, name="a.pdf", content_type="application/pdf", inline=True)
    assert response["Content-Disposition"] == "inline; filename*=UTF-8''a.pdf"
    response.close()


def test_a_file_missing_from_storage_is_a_404_and_no_audit_entry(stored_pdf):
    stored_pdf.pdf.storage.delete(stored_pdf.pdf.name)
    request = RequestFactory().get("/")
    request.user = UserFactory()
    with pytest.raises(Http404):
        serve_private(
            request,
            stored_pdf.pdf,
            name="a.pdf",
            content_type="application/pdf",
            instance=stored_pdf,
            action="opinions.download",
        )
    assert not ModelLogEntry.objects.filter(action="opinions.download").exists()
