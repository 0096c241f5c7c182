"""The whole path with the real renderer and signer: approve, issue (task after commit), verify."""

import hashlib
import io

import pytest
from pypdf import PdfReader

from portal.opinions import services
from portal.opinions.models import OpinionState
from portal.opinions.signing import verify_pdf_signature
from tests.opinions.conftest import approve, make_opinion

pytestmark = pytest.mark.django_db


def test_issued_pdf_carries_number_code_and_a_valid_signature(
    client, issuer, people, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    opinion = make_opinion(
        issuer, people, body="<h2>一、项目概况</h2><p>该孵化器招商引资项目拟引进创新药企业三家。</p>"
    )
    approve(opinion, people)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_issue(actor=people["editor"], opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.ISSUED, opinion.render_error

    data = opinion.pdf.read()
    assert hashlib.sha256(data).hexdigest() == opinion.sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for expected in [opinion.number, opinion.formatted_code, "坪山区科技创新局", "一、项目概况", "招商引资"]:
        assert expected in text, expected
    check = verify_pdf_signature(data)
    assert check.signed and check.intact and check.covers_whole_document

    # The verify page confirms the file byte for byte.
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/verify/{opinion.verification_code}/", {"file": SimpleUploadedFile("x.pdf", data, "application/pdf")}
    )
    assert response.context["outcome"] == "match"
