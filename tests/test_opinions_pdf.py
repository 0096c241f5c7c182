"""The opinion PDF: layout facts read back from real PDFs, the shipped font, the QR code, signing."""

from __future__ import annotations

import asyncio
import datetime
import importlib.util
import io
import re
import stat
import subprocess
import threading
from pathlib import Path

import numpy
import pypdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTFont
from PIL import Image

from portal.opinions.rendering import (
    FONTS_DIR,
    SHIPPED_FONT_FAMILY,
    OpinionDocument,
    _LocalOnlyFetcher,
    harfbuzz_subset_available,
    letterhead_font_size,
    qr_matrix,
    render_opinion_pdf,
)
from portal.opinions.signing import SignatureCheck, sign_pdf, verify_pdf_signature

ROOT = Path(__file__).resolve().parent.parent

SAMPLE_BODY_HTML = """
<p>受坪山区科技创新局委托，本委员会组织专业评价小组，对坪山生物医药加速器二期孵化载体投资项目（以下简称“项目”）开展了专业评价。现将评价意见函告如下。</p>
<h2>一、项目基本情况</h2>
<p>项目由深圳坪山生物医药产业运营有限公司申报，拟在聚龙山片区改造厂房约二万四千平方米，建设中试车间、公共实验平台和孵化单元，计划总投资三亿二千万元，其中申请基金投资八千万元。项目建设期二年，重点服务细胞与基因治疗、高端医疗器械和创新制剂方向。</p>
<h2>二、评价依据与过程</h2>
<p>评价小组由七名成员组成。一名成员因所在机构与申报单位存在股权关系主动回避，实际参加评分六名。评价小组审阅了可行性研究报告、财务测算和入驻意向协议并听取了答辩。评分满分一百分，去掉一个最高分和一个最低分后取平均值：</p>
<table>
<tr><th>评价维度</th><th>权重</th><th>平均得分</th></tr>
<tr><td>产业契合度</td><td>30%</td><td>26.5</td></tr>
<tr><td>技术与运营能力</td><td>25%</td><td>20.8</td></tr>
<tr><td>投资方案与财务可行性</td><td>25%</td><td>19.6</td></tr>
<tr><td>风险防控</td><td>20%</td><td>15.9</td></tr>
<tr><td><strong>合计</strong></td><td>100%</td><td><strong>82.8</strong></td></tr>
</table>
<h2>三、产业契合度评价</h2>
<p>项目定位与坪山区生物医药产业集聚发展的方向一致。中试能力是区内初创企业最突出的短板，项目建成后可以明显缩短从实验室到临床样品的周期。</p>
<h2>四、技术与运营能力评价</h2>
<p>运营团队具有五年以上产业园区管理经验，但在细胞治疗质量体系方面的经验仍显不足，部分关键设备的选型尚未完成比选论证。</p>
<h3>（一）需要补充的材料</h3>
<ol>
<li>洁净区分级与人流物流设计的第三方论证意见；</li>
<li>公共平台设备的比选报告和维护保障方案。</li>
</ol>
<h2>五、投资方案与风险评价</h2>
<p>财务测算期十年，内部收益率约为百分之六点八。评价小组认为租金上涨和入驻率假设偏乐观；入驻率下调十五个百分点后，项目仍可覆盖运营成本，但股权投资的回收期将延长二至三年。</p>
<h2>六、综合评价结论</h2>
<p>项目综合得分八十二点八分，评价等级为“良好”。项目符合基金的投资方向，具备实施条件，<strong>建议予以支持</strong>。</p>
<h2>七、意见建议</h2>
<p>一是分两期出资，第二期以中试车间通过第三方验证为前提。二是在投资协议中明确公共平台对区内企业的开放比例和收费上限。三是建立季度运营报告制度，报本委员会秘书处备案。</p>
<p>本意见仅供投资决策参考，不代替基金投资决策委员会的决定。</p>
"""


def sample_opinion(**overrides):
    """A realistic three-page 专业评价意见 (shared with tests/benchmarks/bench_opinion_pdf.py)."""
    fields = {
        "issuer_name": "坪山区生物医药产业共治委员会",
        "issuer_name_en": "Pingshan Biomedicine Industry Co-Governance Council",
        "number": "坪生医共治〔2026〕3号",
        "kind_label": "专业评价意见",
        "title": "关于坪山生物医药加速器二期孵化载体投资项目的专业评价意见",
        "addressee": "坪山区科技创新局",
        "body_html": SAMPLE_BODY_HTML,
        "signatories": ("坪山区生物医药产业共治委员会",),
        "issued_on": datetime.date(2026, 11, 21),
        "verification_code": "K7Q2-9XMD",
        "verify_url": "https://portal.example.gov.cn/verify/K7Q2-9XMD/",
    }
    fields.update(overrides)
    return OpinionDocument(**fields)


# -- helpers ----------------------------------------------------------------------------------------

A4_HEIGHT_MM = 297
BOTTOM_MARGIN_MM = 35  # opinion.css @page margin-bottom: the footer band
DPI = 200


def _compact(text: str) -> str:
    """Extracted text without whitespace (extractors differ in where they put spaces and line breaks)."""
    return re.sub(r"\s+", "", text)


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _rasterize(pdf: bytes, folder: Path, dpi: int = DPI) -> list[Image.Image]:
    source = folder / "opinion.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(folder / "page")], check=True)
    return [Image.open(path).convert("RGB") for path in sorted(folder.glob("page-*.png"))]


def _read_qr_modules(image: Image.Image, size: int, dpi: int = DPI) -> list[list[bool]]:
    """Read the QR symbol printed in the footer band back into a module matrix.

    The footer band is the bottom margin; the QR code is the first dark thing from the left, separated
    from the text after it by a clear gap. Its bounding box is the symbol (finder patterns sit in three
    corners, so the outermost rows and columns all hold dark modules); sampling each module's centre
    gives the matrix. Comparing that with segno's matrix for the URL is as strong as decoding it.
    """
    grey = numpy.asarray(image.convert("L"))
    band = grey[grey.shape[0] - round(BOTTOM_MARGIN_MM / 25.4 * dpi) :, :] < 128
    columns = band.any(axis=0)
    x0 = int(numpy.argmax(columns))
    gap = round(2 / 25.4 * dpi)  # 2 mm of white ends the symbol (a module is about 0.6 mm)
    x1 = x0
    blank = 0
    for x in range(x0, band.shape[1]):
        if columns[x]:
            x1, blank = x, 0
        else:
            blank += 1
            if blank >= gap:
                break
    rows = band[:, x0 : x1 + 1].any(axis=1)
    y0 = int(numpy.argmax(rows))
    y1 = len(rows) - 1 - int(numpy.argmax(rows[::-1]))
    width, height = x1 - x0 + 1, y1 - y0 + 1
    assert abs(width - height) <= 2, f"QR bounding box is not square: {width}x{height}px"
    module = width / size
    assert module >= 3, f"QR modules too small to read back at {dpi} dpi: {module:.1f}px"
    return [
        [bool(band[y0 + int((r + 0.5) * module), x0 + int((c + 0.5) * module)]) for c in range(size)]
        for r in range(size)
    ]


def _embedded_fonts(pdf: bytes) -> list[tuple[str, str]]:
    """(BaseFont, family in the embedded font program's name table) of every font on every page."""
    fonts = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            family = TTFont(io.BytesIO(program.get_object().get_data()))["name"].getDebugName(1)
            fonts.append((str(font["/BaseFont"]), family))
    return fonts


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_cjk_font", ROOT / "scripts" / "build-cjk-font.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- rendering ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def opinion_pdf():
    return render_opinion_pdf(sample_opinion())


@pytest.fixture(scope="module")
def opinion_pages(opinion_pdf, tmp_path_factory):
    return _rasterize(opinion_pdf, tmp_path_factory.mktemp("opinion-png"))


def test_three_page_opinion_is_a_small_pdf(opinion_pdf):
    assert opinion_pdf.startswith(b"%PDF-")
    assert len(pypdf.PdfReader(io.BytesIO(opinion_pdf)).pages) == 3
    assert len(opinion_pdf) < 300 * 1024


def test_first_page_has_letterhead_number_title_and_addressee(opinion_pdf):
    doc = sample_opinion()
    first = _compact(_page_texts(opinion_pdf)[0])
    assert doc.issuer_name in first
    assert doc.number in first
    assert _compact(doc.title) in first
    assert "坪山区科技创新局：" in first
    assert "受坪山区科技创新局委托" in first  # body text, not just the headline parts
    # pdftotext (poppler) reads the same Chinese text back
    poppler = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=opinion_pdf, capture_output=True)
    assert _compact(doc.title) in _compact(poppler.stdout.decode())


def test_last_page_has_signature_date_and_verification(opinion_pdf):
    doc = sample_opinion()
    last = _compact(_page_texts(opinion_pdf)[-1])
    assert "建议予以支持" in last
    assert last.index("坪山区生物医药产业共治委员会") < last.index("2026年11月21日")
    assert doc.verification_code in last
    assert doc.verify_url in last


def test_every_page_is_numbered_and_carries_the_code(opinion_pdf):
    texts = [_compact(text) for text in _page_texts(opinion_pdf)]
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页/共3页" in text
        assert "K7Q2-9XMD" in text
    # the numbers are real counters, not one string repeated
    assert "第1页" not in texts[1] and "第2页" not in texts[0]


def test_qr_code_on_every_page_encodes_the_verify_url(opinion_pages):
    expected = [list(row) for row in qr_matrix(sample_opinion().verify_url)]
    assert len(opinion_pages) == 3
    for image in opinion_pages:
        assert _read_qr_modules(image, len(expected)) == expected


def test_qr_code_of_another_url_does_not_match(opinion_pages):
    # The read-back is discriminating: a different code gives a different matrix.
    other = [list(row) for row in qr_matrix("https://portal.example.gov.cn/verify/K7Q2-9XMA/")]
    assert _read_qr_modules(opinion_pages[0], len(other)) != other


def test_letterhead_is_red_with_a_red_rule(opinion_pages):
    rgb = numpy.asarray(opinion_pages[0]).astype(int)
    red = (rgb[:, :, 0] > 150) & (rgb[:, :, 1] < 90) & (rgb[:, :, 2] < 90)
    top = red[: rgb.shape[0] // 3]
    assert top.sum() > 5000  # the issuer's name
    text_width_px = 156 / 25.4 * DPI
    assert top.sum(axis=1).max() > 0.95 * text_width_px  # the full-width rule under the number
    assert red[rgb.shape[0] // 3 :].sum() == 0  # nothing else is red


def test_only_the_shipped_subset_font_is_embedded(opinion_pdf):
    fonts = _embedded_fonts(opinion_pdf)
    assert fonts
    for base_font, family in fonts:
        assert re.fullmatch(r"/[A-Z]{6}\+Pingshan-Serif-SC(-Bold)?", base_font), base_font
        assert family == SHIPPED_FONT_FAMILY


def test_pdf_metadata():
    doc = sample_opinion()
    reader = pypdf.PdfReader(io.BytesIO(render_opinion_pdf(doc)))
    assert reader.metadata.title == doc.title
    assert reader.metadata.author == doc.issuer_name
    assert doc.number in reader.metadata.subject


def test_same_document_same_bytes(opinion_pdf):
    assert render_opinion_pdf(sample_opinion()) == opinion_pdf


def test_english_document():
    doc = sample_opinion(
        language="en",
        title="Professional evaluation of the Pingshan accelerator phase II project",
        addressee="Pingshan Science and Technology Innovation Bureau",
        body_html="<p>The council supports the project, subject to the conditions below.</p>",
        signatories=("Pingshan Biomedicine Industry Co-Governance Council",),
    )
    text = _compact(_page_texts(render_opinion_pdf(doc))[0])
    assert "Page1of1" in text
    assert "21November2026" in text
    assert "Verificationcode" in text and "K7Q2-9XMD" in text


def test_character_outside_the_subset_still_renders():
    rare = "龘"  # U+9F98: in GBK, not in GB 2312
    shipped = TTFont(FONTS_DIR / "PingshanSerifSC-Regular.woff2")
    assert ord(rare) not in shipped.getBestCmap()  # so this really exercises the fallback
    pdf = render_opinion_pdf(sample_opinion(body_html=f"<p>评价小组成员：张{rare}（回避）。</p>"))
    assert pdf.startswith(b"%PDF-")
    system_has_it = subprocess.run(["fc-list", f":charset={ord(rare):x}"], capture_output=True, text=True).stdout
    if system_has_it.strip():
        # fontconfig supplies the glyph from an installed CJK font, which is then embedded as well
        assert rare in _compact(_page_texts(pdf)[0])
        assert any("Pingshan" not in base_font for base_font, _ in _embedded_fonts(pdf))


def test_shipped_fonts_cover_gb2312_and_stay_small():
    build = _load_build_script()
    gb2312 = {ord(ch) for ch in build.gb2312_characters()}
    assert len(gb2312) == 7445
    total = 0
    for name in ("PingshanSerifSC-Regular.woff2", "PingshanSerifSC-Bold.woff2"):
        path = FONTS_DIR / name
        total += path.stat().st_size
        font = TTFont(path)
        assert font["name"].getDebugName(1) == SHIPPED_FONT_FAMILY
        missing = gb2312 - set(font.getBestCmap())
        # Noto has every GB 2312 character; the codec maps a few row-1 symbols to code points it lacks
        assert len(missing) <= 4, sorted(hex(cp) for cp in missing)
        assert {ord(ch) for ch in "〔〕“”《》、。，：；（）！？—…·①⑩"} <= set(font.getBestCmap())
        assert {ord(ch) for ch in build.EXTRA_HANZI} <= set(font.getBestCmap())
    assert total < 6 * 1024 * 1024
    assert (FONTS_DIR / "OFL.txt").read_text().startswith("Copyright")
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS_DIR / "OFL.txt").read_text()


def test_weasyprint_subsets_with_harfbuzz():
    # Without libharfbuzz-subset WeasyPrint falls back to fontTools: ~4 s per opinion instead of ~0.2 s.
    # Debian: libharfbuzz-subset0 (here it may only be present as a dependency of chromium).
    assert harfbuzz_subset_available(), "install libharfbuzz-subset0 (HarfBuzz >= 4.1)"


def test_letterhead_size_fits_long_issuer_names():
    assert letterhead_font_size("坪山区生物医药产业共治委员会") == 29
    assert letterhead_font_size("坪山区新能源汽车产业共治委员会产业促进专门委员会") < 20
    assert letterhead_font_size("理事会") == 30


def test_rendering_reads_no_files_or_urls_outside_the_app():
    fetcher = _LocalOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/hostname")
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/x.png")
    pdf = render_opinion_pdf(sample_opinion(body_html='<p>正文。</p><img src="file:///etc/hostname">'))
    assert pdf.startswith(b"%PDF-")


# -- signing ------------------------------------------------------------------------------------------


@pytest.fixture
def dev_signing(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.OPINIONS_SIGNING_KEY = None
    settings.OPINIONS_SIGNING_CERT = None
    return tmp_path / "private" / "signing"


def _signed_byte_range(data: bytes) -> tuple[int, int, int, int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    return tuple(int(n) for n in match.groups())


def test_signed_pdf_verifies(dev_signing, opinion_pdf):
    signed = sign_pdf(opinion_pdf)
    check = verify_pdf_signature(signed)
    assert check.signed and check.intact and check.covers_whole_document and check.trusted
    assert check.ok
    assert check.signer_common_name == "坪山产业共治与创新基金门户（开发用）"
    # still the same readable three pages, still small
    assert signed.startswith(opinion_pdf)  # an incremental update: the rendered bytes are untouched
    assert len(signed) < 300 * 1024
    texts = _page_texts(signed)
    assert len(texts) == 3
    assert _compact(sample_opinion().title) in _compact(texts[0])


def test_flipped_byte_inside_signed_range_breaks_integrity(dev_signing, opinion_pdf):
    signed = bytearray(sign_pdf(opinion_pdf))
    start, length, _, _ = _signed_byte_range(bytes(signed))
    # a byte in the middle of the first content stream, well inside the first signed range
    offset = signed.index(b"stream\n", 1000) + 100
    assert start <= offset < start + length
    signed[offset] ^= 0x01
    check = verify_pdf_signature(bytes(signed))
    assert check.signed
    assert not check.intact
    assert not check.ok


def test_appended_bytes_are_not_covered(dev_signing, opinion_pdf):
    check = verify_pdf_signature(sign_pdf(opinion_pdf) + b"\n%% appended later\n")
    assert check.signed and check.intact
    assert not check.covers_whole_document


def test_unsigned_pdf_and_garbage(dev_signing, opinion_pdf):
    assert verify_pdf_signature(opinion_pdf) == SignatureCheck(
        signed=False, intact=False, covers_whole_document=False, signer_common_name=""
    )
    assert not verify_pdf_signature(b"not a pdf").signed


def test_dev_certificate_is_created_once_and_reused(dev_signing, opinion_pdf):
    assert not dev_signing.exists()
    sign_pdf(opinion_pdf)
    key = dev_signing / "dev-signing-key.pem"
    cert = dev_signing / "dev-signing-cert.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    first_key, first_cert, first_mtime = key.read_bytes(), cert.read_bytes(), key.stat().st_mtime_ns
    signed_again = sign_pdf(opinion_pdf)
    assert key.read_bytes() == first_key and cert.read_bytes() == first_cert
    assert key.stat().st_mtime_ns == first_mtime
    assert verify_pdf_signature(signed_again).ok


def test_signing_and_checking_work_inside_an_event_loop(dev_signing, opinion_pdf):
    async def in_loop():
        return verify_pdf_signature(sign_pdf(opinion_pdf))

    # A thread of its own: in a full run, Playwright's loop is already running on the main thread.
    outcome = {}
    runner = threading.Thread(target=lambda: outcome.update(check=asyncio.run(in_loop())))
    runner.start()
    runner.join()
    assert outcome["check"].ok


def _write_key_pair(folder: Path, common_name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = folder / "key.pem", folder / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def test_production_certificate_from_settings(settings, tmp_path, opinion_pdf):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    key_path, cert_path = _write_key_pair(tmp_path / "prod", "坪山区产业共治委员会秘书处")
    settings.OPINIONS_SIGNING_KEY = str(key_path)
    settings.OPINIONS_SIGNING_CERT = str(cert_path)
    signed = sign_pdf(opinion_pdf)
    check = verify_pdf_signature(signed)
    assert check.ok and check.signer_common_name == "坪山区产业共治委员会秘书处"
    assert not (tmp_path / "private" / "signing").exists()  # no development certificate made

    # Trust is pinned to the configured certificate: another key's signature is intact but not trusted.
    other_key, other_cert = _write_key_pair(tmp_path / "other", "某个其他机构")
    settings.OPINIONS_SIGNING_KEY, settings.OPINIONS_SIGNING_CERT = str(other_key), str(other_cert)
    check = verify_pdf_signature(signed)
    assert check.signed and check.intact and check.covers_whole_document
    assert not check.trusted and not check.ok


def test_half_configured_signing_is_an_error(settings, tmp_path, opinion_pdf):
    settings.OPINIONS_SIGNING_KEY = str(tmp_path / "key.pem")
    settings.OPINIONS_SIGNING_CERT = None
    with pytest.raises(ImproperlyConfigured):
        sign_pdf(opinion_pdf)
