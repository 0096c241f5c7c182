"""Issued PDFs: the verification URL and QR code follow the configured base URL (and `make run` configures
it to the port it serves on); a short opinion fits on one page; a title never ends on a lone character."""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command

from councils.demo_engines import PENDING_BODY, PENDING_TITLE
from portal.opinions import services
from portal.opinions.models import OpinionState
from portal.opinions.rendering import (
    PDF_TEMPLATE_DIR,
    TITLE_MEASURE_EM,
    OpinionDocument,
    _LocalOnlyFetcher,
    _text_width,
    build_html,
    qr_matrix,
    qr_svg_data_uri,
    render_opinion_pdf,
    shipped_fonts,
    title_lines,
)
from tests.opinions.conftest import approve, make_opinion
from tests.test_opinions_pdf import _rasterize, _read_qr_modules

ROOT = Path(__file__).resolve().parents[2]

# The demo's policy-feedback opinion: a three-line title and two sections, which used to push the second
# section and the signature to page 2.
FEEDBACK_TITLE = PENDING_TITLE
FEEDBACK_BODY = PENDING_BODY
# Nineteen characters: one more than a line holds, so greedy wrapping left 见 alone on the second line.
NINETEEN = "关于某孵化器招商引资项目的专业评价意见"
ENGLISH_TITLE = "Opinion on the Pingshan Biomedicine Accelerator Phase II Incubator Investment Project"


def document(
    title=FEEDBACK_TITLE, body=FEEDBACK_BODY, language="zh-hans", url="http://127.0.0.1:8123/verify/K7Q29XMD/"
):
    return OpinionDocument(
        issuer_name="坪山区生物医药产业共治委员会",
        issuer_name_en="Pingshan Biomedicine Industry Co-Governance Council",
        number="坪生医共治〔2026〕3号",
        kind_label="政策评议意见",
        title=title,
        addressee="坪山区科技创新局",
        body_html=body,
        signatories=("坪山区生物医药产业共治委员会",),
        issued_on=datetime.date(2026, 11, 21),
        verification_code="K7Q2-9XMD",
        verify_url=url,
        language=language,
    )


def _page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _laid_out_title_lines(doc: OpinionDocument) -> list[str]:
    """The text of each line box of the title as WeasyPrint lays it out (what is printed, not what was asked)."""
    from weasyprint import HTML

    fonts = shipped_fonts()
    html = HTML(string=build_html(doc), base_url=str(PDF_TEMPLATE_DIR), url_fetcher=_LocalOnlyFetcher())
    with fonts.lock:
        rendered = html.render(stylesheets=fonts.stylesheets, font_config=fonts.font_config)

    def texts(box):
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from texts(child)

    def line_boxes(box, in_title=False):
        element = getattr(box, "element", None)
        in_title = in_title or (element is not None and element.get("class") == "title")
        if in_title and type(box).__name__ == "LineBox":
            yield "".join(texts(box)).strip()
            return
        for child in getattr(box, "children", ()):
            yield from line_boxes(child, in_title)

    return [line for line in line_boxes(rendered.pages[0]._page_box) if line]


# -- the base URL ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("base", ["http://127.0.0.1:8123", "https://portal.example.gov.cn/"])
def test_issued_pdf_prints_and_encodes_the_configured_base_url(
    base, issuer, people, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = base
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    opinion = make_opinion(issuer, people)
    approve(opinion, people)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_issue(actor=people["editor"], opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.ISSUED, opinion.render_error

    expected = base.rstrip("/") + f"/verify/{opinion.verification_code}/"
    assert services.document_for(opinion).verify_url == expected
    pdf = opinion.pdf.read()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert expected in "".join(text.split())
    assert ":8000" not in text
    # The QR symbol printed in the footer is the one for that URL, module for module.
    page = _rasterize(pdf, tmp_path)[0]
    modules = qr_matrix(expected)
    assert _read_qr_modules(page, len(modules)) == [list(row) for row in modules]


def test_html_carries_the_qr_code_of_the_documents_url():
    doc = document(url="http://127.0.0.1:8123/verify/K7Q29XMD/")
    html = build_html(doc)
    assert qr_svg_data_uri("http://127.0.0.1:8123/verify/K7Q29XMD/") in html
    assert qr_svg_data_uri("http://127.0.0.1:8000/verify/K7Q29XMD/") not in html


def _make_run(port: str, **env) -> list[str]:
    environment = {key: value for key, value in os.environ.items() if key != "PORTAL_BASE_URL"} | env
    result = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_points_links_at_the_port_it_serves_on():
    lines = _make_run("8123")
    for command in ("manage.py seed_demo", "manage.py demo_accounts", "manage.py runserver 127.0.0.1:8123"):
        [line] = [line for line in lines if command in line]
        assert "PORTAL_BASE_URL='http://127.0.0.1:8123'" in line, line
    [accounts] = [line for line in lines if "demo_accounts" in line]
    assert "--url 'http://127.0.0.1:8123'" in accounts


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_keeps_a_base_url_the_user_set():
    lines = _make_run("8123", PORTAL_BASE_URL="https://portal.example.gov.cn")
    [server] = [line for line in lines if "runserver" in line]
    assert "PORTAL_BASE_URL='https://portal.example.gov.cn'" in server
    assert server.endswith("runserver 127.0.0.1:8123")


def test_demo_accounts_prints_the_configured_base_url(settings, capsys):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    call_command("demo_accounts")
    assert "Portal: http://127.0.0.1:8123/  ·  English: http://127.0.0.1:8123/en/" in capsys.readouterr().out


# -- page fill ------------------------------------------------------------------------------------------


def test_short_two_section_opinion_is_one_page():
    pdf = render_opinion_pdf(document())
    assert _page_count(pdf) == 1
    text = "".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    for expected in ("一、总体评价", "二、修改建议", "纳入配套措施。", "2026年11月21日"):
        assert expected in text


def test_nineteen_character_title_with_two_sections_is_one_page():
    body = (
        "<h2>一、项目概况</h2><p>该孵化器招商引资项目拟引进创新药企业三家。</p>"
        "<h2>二、评价意见</h2><p>项目符合坪山生物医药产业集聚发展方向，建议予以支持。</p>"
    )
    assert _page_count(render_opinion_pdf(document(title=NINETEEN, body=body))) == 1


def test_a_longer_opinion_still_moves_on_to_page_two_with_the_signature():
    # The signature never stands alone on a page: it takes at least the last lines of the body with it.
    more = "<h2>三、其他意见</h2><p>建议加强政策宣传解读，及时回应成员单位关切，定期评估措施实施效果。</p>"
    body = FEEDBACK_BODY + more * 3
    pdf = render_opinion_pdf(document(body=body))
    assert _page_count(pdf) == 2
    last = "".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[1].extract_text().split())
    assert "定期评估措施实施效果。" in last.split("坪山区生物医药产业共治委员会")[0]


# -- titles -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "language"), [(NINETEEN, "zh-hans"), (FEEDBACK_TITLE, "zh-hans"), (ENGLISH_TITLE, "en")]
)
def test_printed_title_has_balanced_lines_and_no_lone_last_character(title, language):
    printed = _laid_out_title_lines(document(title=title, language=language))
    assert printed == title_lines(title, language)  # WeasyPrint kept the lines it was given
    assert "".join(printed).replace(" ", "") == title.replace(" ", "")
    if language == "en":
        assert len(printed[-1].split()) >= 2
    else:
        assert len(printed[-1]) >= 2
        widths = [_text_width(line) for line in printed]
        assert max(widths) - min(widths) <= 3


def test_template_sets_each_title_line_apart():
    html = build_html(document(title=NINETEEN))
    lines = '<span class="line">关于某孵化器招商引资</span><span class="line">项目的专业评价意见</span>'
    assert f'<h1 class="title">{lines}</h1>' in html


def test_title_that_fits_stays_one_line():
    assert title_lines("关于某项目的专业评价意见") == ["关于某项目的专业评价意见"]
    assert title_lines("  关于某项目的\n专业评价意见 ") == ["关于某项目的 专业评价意见"]
    assert title_lines("") == []


@pytest.mark.parametrize(
    "title",
    [
        NINETEEN,
        FEEDBACK_TITLE,
        "关于坪山生物医药加速器二期孵化载体招商引资项目的专业评价意见",
        "关于CAR-T细胞治疗中试平台2026年度建设项目（第二批）的投资决策意见",
        "关于“坪山区生物医药产业集聚发展若干措施”的意见",
        "关于" + "生物医药产业" * 19 + "的意见",  # 120 characters, the longest a title may be
    ],
)
def test_title_lines_keep_every_character_and_the_line_breaking_rules(title):
    lines = title_lines(title)
    assert "".join(lines) == title
    assert len(lines[-1]) >= 2
    assert all(_text_width(line) <= TITLE_MEASURE_EM for line in lines)
    for line in lines[1:]:
        assert line[0] not in "》）”’〕】」，。、；：！？", line  # no closing mark starts a line
    for line in lines[:-1]:
        assert line[-1] not in "《（“‘〔【「", line  # no opening mark ends one
    joined = "|".join(lines)
    for word in ("CAR-T", "2026"):
        if word in title:
            assert word in joined


def test_title_lines_do_not_add_lines():
    # Balancing keeps the fewest lines greedy filling needs; it only moves the breaks.
    assert len(title_lines(NINETEEN)) == 2
    assert len(title_lines(FEEDBACK_TITLE)) == 3
