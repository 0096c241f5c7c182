"""The fund's whole journey in Chromium, from a stranger to a verified decision (issue 10, "Tests and done").

A new person registers in English, confirms by mail, attaches a new organization by its USCC and applies for
financing step by step with the required business plan; they read "Under review", never the stage's name. The manager
(in Chinese) finds the deal on the board, moves it through 立项 to due diligence, uploads the DD report and starts a
review round that exposes it to an invited expert; the expert accepts, declares no conflict, downloads the report and
scores every criterion. The manager closes the round and submits the deal to the investment committee, convenes a
meeting, opens the vote; the chair and a member vote; the manager records the decision and drafts the 投资决策意见,
the chair signs it, the manager issues it. The PDF is downloaded, read with pdftotext and verified at /verify/ by its
code and byte for byte. Only the world (fund, committee, rubric, checklist, expert) is made in the database.

Screenshots: /tmp/shots10/journey/.
"""

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_uscc

from .helpers import log_in, log_out, path_of

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots10/journey")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
COMPANY = "深圳坪山启航生物医药有限公司"
COMPANY_EN = "Pingshan Qihang Biopharma Co., Ltd."


def tiny_pdf(text: str) -> bytes:
    """A small valid one-page PDF (pypdf writes it) whose bytes we can recognise after a download."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def fund_site(django_db_serialized_rollback, live_server, transactional_db, migrated_rows_snapshot, settings, tmp_path):
    """A fund that accepts applications (a checklist asking for the business plan, the biomedicine rubric), its
    committee and an expert of its theme in the pool, on the live server (see demo_site for the snapshot)."""
    from django.db import connection
    from wagtail.models import Site

    from funds.rubrics import biomedicine_rubric
    from portal.accounts.roles import RoleCode
    from portal.applications.models import Checklist, ChecklistItem
    from portal.reviews.testing import make_expert
    from tests.factories import UserFactory
    from tests.funds_world import FundWorld

    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = migrated_rows_snapshot
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    parts = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=parts.hostname, port=parts.port)

    world = FundWorld.build()
    checklist = Checklist.objects.create(name="融资申请材料", name_en="Financing application documents")
    ChecklistItem.objects.create(
        checklist=checklist, code="business-plan", name="商业计划书", name_en="Business plan", required=True
    )
    ChecklistItem.objects.create(
        checklist=checklist, code="ip", name="知识产权证书", name_en="IP certificates", required=False
    )
    world.fund.checklist = checklist
    world.fund.rubric = biomedicine_rubric()
    world.fund.save()
    evaluator = UserFactory(username="expert-journey", real_name="周评审", roles=[RoleCode.EVALUATOR])
    expert = make_expert(user=evaluator, name="周评审")
    expert.themes.add(world.fund.theme)
    SHOTS.mkdir(parents=True, exist_ok=True)
    return live_server.url, world, evaluator


def go(page, action):
    with page.expect_navigation():
        action()


def snap(page, name):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fetch(page, base, link):
    """What a link hands over, fetched with the page's session cookies."""
    answer = page.request.get(base + link.get_attribute("href"))
    assert answer.ok, (answer.status, answer.url)
    return answer


def log_in_to(page, base, user, path):
    page.goto(f"{base}/accounts/login/?next={path}")
    log_in(page, user.username, PASSWORD)


def fill_and_continue(page, values: dict):
    """Fill one step of the application (name → value; selects and checkboxes too) and save it, going on."""
    form = page.locator("main form.card")
    for name, value in values.items():
        field = form.locator(f"[name='{name}']")
        kind = field.evaluate("el => el.tagName + ':' + (el.type || '')")
        if kind.startswith("SELECT"):
            field.select_option(value)
        elif kind.endswith(":checkbox"):
            field.check()
        else:
            field.fill(value)
    go(page, lambda: form.get_by_role("button", name="Save and continue").click())
    errors = page.locator("main form .field__error, main .form-errors").all_inner_texts()
    assert not errors, (page.url, errors)


def move(page, label, note):
    """Take a step offered under "Next steps" on the deal page: open it, write the required note, confirm."""
    step = page.locator("#steps details.move").filter(has=page.locator("summary", has_text=re.compile(f"^{label}$")))
    step.locator("summary").click()
    step.locator("textarea[name=note]").fill(note)
    go(page, lambda: step.get_by_role("button", name="确认").click())


def applicant_registers_and_applies(page, base, fund):
    """Steps 1 and 2, in English: register, confirm, attach the organization, apply; returns the application's URL."""
    from portal.organizations.models import Organization

    mail.outbox.clear()
    page.goto(f"{base}/en/apply/")
    expect(page.locator("h1")).to_have_text("Apply")
    go(page, lambda: page.locator("main").get_by_role("link", name=fund.name_en).click())
    start_path = path_of(page)
    assert start_path == f"/en/apply/financing/{fund.pk}/"
    expect(page.locator("main")).to_contain_text("Business plan")
    snap(page, "01-apply-start-en")
    go(page, lambda: page.locator("main").get_by_role("link", name="Register").click())
    assert path_of(page) == "/en/accounts/register/", page.url

    form = page.locator("main form")
    form.locator("input[name=username]").fill("qihang.li")
    form.locator("input[name=email]").fill("li.qihang@example.org")
    form.locator("input[name=real_name]").fill("Li Qihang")
    form.locator("input[name=password]").fill("Qihang-Bio-2026")
    form.locator("input[name=password_again]").fill("Qihang-Bio-2026")
    go(page, lambda: form.locator("button[type=submit]").click())
    assert path_of(page) == "/en/accounts/register/sent/"
    assert len(mail.outbox) == 1, mail.outbox
    link = re.search(r"https?://\S+?(/en/accounts/register/confirm/\S+/)", mail.outbox[0].body).group(1)
    page.goto(base + link)
    go(page, lambda: page.get_by_role("button", name="Confirm my account").click())
    expect(page.locator(".messages")).to_contain_text("Your account is confirmed")

    # Back on the fund's page, which asks for an organization first: attach a new one by its USCC, come back.
    assert path_of(page) == start_path
    go(page, lambda: page.locator("main").get_by_role("link", name="Attach an organization").click())
    assert path_of(page) == "/en/accounts/organization/"
    code = make_uscc()
    form = page.locator("main form").filter(has=page.locator("input[name=uscc]"))
    form.locator("input[name=uscc]").fill(code)
    form.locator("input[name=name]").fill(COMPANY)
    form.locator("input[name=name_en]").fill(COMPANY_EN)
    snap(page, "02-organization-attach-en")
    go(page, lambda: form.locator("button[type=submit]").click())
    expect(page.locator(".messages")).to_contain_text("you are its contact person")
    assert Organization.objects.filter(uscc=code).count() == 1
    assert path_of(page) == start_path

    # Apply: every step, in order, saved and continued.
    go(page, lambda: page.locator("main").get_by_role("button", name="Start the application").click())
    expect(page.locator("h2.section-title")).to_have_text("Company")
    fill_and_continue(
        page,
        {
            "subsector": "innovative_drugs",
            "founded_on": "2021-03-15",
            "headcount": "42",
            "description": "专注KRAS靶点小分子抑制剂的创新药企业",
            "description_en": "Small-molecule KRAS inhibitors.",
        },
    )
    fill_and_continue(
        page,
        {
            "lead_asset": "QH-201",
            "indication": "Non-small cell lung cancer",
            "development_stage": "phase_1",
            "mechanism": "A covalent KRAS G12D inhibitor with brain penetration.",
            "milestones": "IND cleared 2025-06 (CXHL2500456); first patient in 2025-11.",
        },
    )
    snap(page, "03-apply-team-step-en")
    fill_and_continue(
        page,
        {"team-0-name": "Dr. Li Qihang", "team-0-role": "CEO", "team-0-background": "20 years in oncology R&D."},
    )
    fill_and_continue(page, {"patents_granted": "6", "patents_pending": "4", "key_patents": "ZL202110123456.7"})
    fill_and_continue(
        page,
        {"revenue_last_year": "0", "rd_spend_last_year": "28000000", "cash": "61000000", "monthly_burn": "2500000"},
    )
    fill_and_continue(
        page,
        {
            "round": "a",
            "amount_requested": "30000000",
            "round_size": "120000000",
            "pre_money": "450000000",
            "use_of_funds": "Phase I/II trial and CMC scale-up.",
        },
    )
    fill_and_continue(
        page,
        {
            "registered_in_pingshan": "on",
            "registered_in_pingshan_on": "2025-09-01",
            "landing_plan": "R&D centre in Pingshan from 2026-09.",
            "jobs_planned": "60",
        },
    )

    # The documents: the required business plan, a small valid PDF.
    expect(page.locator("h2.section-title")).to_have_text("Documents")
    slot = page.locator("ul.checklist > li").filter(has=page.get_by_role("heading", name=re.compile("Business plan")))
    slot.locator("input[type=file]").set_input_files(
        {"name": "business-plan.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf("Qihang business plan")}
    )
    go(page, lambda: slot.get_by_role("button", name="Upload").click())
    expect(page.locator(".messages")).to_contain_text("The file is uploaded.")
    expect(slot.locator(".checklist__files")).to_contain_text("business-plan.pdf")
    snap(page, "04-apply-documents-en")

    go(page, lambda: page.get_by_role("link", name="Continue to review").click())
    expect(page.locator(".form-errors")).to_have_count(0)
    snap(page, "05-apply-review-en")
    go(page, lambda: page.get_by_role("button", name="Submit the application").click())
    expect(page.locator(".messages")).to_contain_text("has been submitted")
    expect(page.locator(".status-line .tag")).to_have_text("Submitted")
    application_path = path_of(page)
    assert application_path.startswith("/en/workspace/applications/")
    snap(page, "06-application-submitted-en")
    log_out(page)
    return application_path


def applicant_reads(page, base, applicant, application_path, label, *, hidden, name):
    """The applicant reads their application's status: ``label``, never the internal stage names ``hidden``."""
    # From the English login page, as this reader would. Logging in on the Chinese one with an /en/ next sends an
    # English-preferring person to /en/en/… (a 404): accounts/views/accounts.py LoginView, reported, not ours to fix.
    page.goto(f"{base}/en/accounts/login/?next={application_path}")
    log_in(page, applicant.username, "Qihang-Bio-2026")
    expect(page.locator(".status-line .tag")).to_have_text(label)
    text = page.locator("main").inner_text()
    for stage in hidden:
        assert stage not in text, f"the applicant reads the internal stage {stage!r}"
    snap(page, name)
    log_out(page)


def test_a_firm_applies_and_the_fund_decides(page, fund_site):
    from funds.models import AgendaItem, Deal, DealStage
    from portal.opinions.models import OpinionState
    from portal.reviews.models import Assignment, AssignmentState, RoundState

    base, world, evaluator = fund_site
    fund = world.fund
    page.set_viewport_size(DESKTOP)

    # 1-2. The applicant, in English.
    application_path = applicant_registers_and_applies(page, base, fund)
    deal = Deal.objects.get(company__organization__name=COMPANY)
    assert deal.stage == DealStage.SCREENING and deal.fund == fund
    applicant = deal.application.applicant

    # 3. The manager finds the deal on the board (screening) and moves it through 立项 to due diligence.
    log_in_to(page, base, world.manager, f"/workspace/funds/{fund.slug}/")
    card = page.locator(".deal-card").filter(has_text=COMPANY)
    expect(card).to_have_count(1)
    snap(page, "10-pipeline-board-zh")
    # 立项 from the card itself: one note, a button per step, each posting to its own step (formaction).
    card.locator("summary", has_text="变更阶段").click()
    card.locator("textarea[name=note]").fill("初筛通过：靶点清晰，团队完整")
    snap(page, "10b-pipeline-board-card-open-zh")
    go(page, lambda: card.get_by_role("button", name="立项", exact=True).click())
    assert path_of(page) == f"/workspace/funds/{fund.slug}/"  # back on the board
    expect(page.locator(".board__column").filter(has_text="立项").locator(".deal-card")).to_have_count(1)
    go(page, lambda: page.locator(".deal-card").filter(has_text=COMPANY).locator(".deal-card__title").click())
    assert path_of(page) == deal.get_absolute_url()
    move(page, "开始尽职调查", "立项会同意，启动尽职调查")
    deal.refresh_from_db()
    assert deal.stage == DealStage.DUE_DILIGENCE
    assert list(deal.stage_changes.order_by("at").values_list("note", flat=True))[-2:] == [
        "初筛通过：靶点清晰，团队完整",
        "立项会同意，启动尽职调查",
    ]
    # The step to the committee waits for a closed review round and the DD report, and says so.
    expect(page.locator("#steps .deal-steps__missing")).to_contain_text("尽职调查报告")
    snap(page, "11-deal-due-diligence-zh")
    log_out(page)

    # The applicant reads "Under review" on a phone, never 立项 or due diligence.
    page.set_viewport_size(PHONE)
    applicant_reads(
        page,
        base,
        applicant,
        application_path,
        "Under review",
        hidden=("Due diligence", "Approved for due diligence", "Screening"),
        name="12-application-under-review-en-phone",
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)

    # The manager uploads the DD report into the deal room.
    log_in_to(page, base, world.manager, deal.get_absolute_url())
    report = tiny_pdf("QH-201 due diligence report")
    room = page.locator("#deal-room")
    upload = room.locator("#deal-room-upload")
    if upload.get_attribute("open") is None:
        upload.locator("summary").click()
    upload.locator("select[name=folder]").select_option(label="尽职调查")
    upload.locator("select[name=kind]").select_option("dd_report")
    upload.locator("input[name=title]").fill("QH-201尽职调查报告")
    upload.locator("input[name=file]").set_input_files(
        {"name": "dd-report.pdf", "mimeType": "application/pdf", "buffer": report}
    )
    go(page, lambda: upload.get_by_role("button", name="上传").click())
    expect(page.locator("#deal-room .deal-document")).to_contain_text(["QH-201尽职调查报告"])

    # ... and starts a review round exposing only that document, inviting the expert.
    go(page, lambda: page.get_by_role("link", name="发起评审").click())
    form = page.locator("#review-start")
    form.locator("input[name=deadline]").fill("2026-12-31")
    form.locator("input[name=min_scores]").fill("1")
    form.get_by_label("周评审").check()
    for box in form.locator("#review-material input[type=checkbox]").all():
        box.uncheck()
    form.locator("#review-material label", has_text="QH-201尽职调查报告").locator("input").check()
    expect(form.locator("input[name=open_now]")).to_be_checked()
    snap(page, "13-review-start-zh")
    go(page, lambda: form.get_by_role("button", name="创建评审").click())
    review_round_path = path_of(page)
    assert review_round_path.startswith("/workspace/reviews/rounds/")
    assignment = Assignment.objects.get(expert__user=evaluator, round__object_id=deal.pk)
    assert assignment.round.state == RoundState.OPEN
    assert [row.display_label for row in assignment.round.material.all()] == ["QH-201尽职调查报告"]
    log_out(page)

    # 4. The expert accepts, declares no conflict, downloads the exposed report and scores every criterion.
    log_in_to(page, base, evaluator, "/workspace/reviews/")
    go(page, lambda: page.locator("main").get_by_role("link", name=re.compile(COMPANY)).first.click())
    go(page, lambda: page.get_by_role("button", name="接受").click())
    page.locator("#declaration input[value=none]").check()
    go(page, lambda: page.get_by_role("button", name="提交申报").click())
    exposed = page.locator("#exposed-material .exposed-item")
    expect(exposed).to_have_count(1)
    with page.expect_download() as download:
        exposed.get_by_role("link").click()
    assert download.value.suggested_filename == "dd-report.pdf"
    assert Path(download.value.path()).read_bytes() == report
    page.set_viewport_size(PHONE)
    snap(page, "20-expert-material-zh-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    scores = page.locator("#scoring fieldset.criterion input[type=number]")
    expect(scores).to_have_count(10)
    for field in scores.all():
        field.fill("7")
    page.locator("#scoring textarea[name=comment]").fill("机制新颖，临床路径清晰；CMC需关注。")
    go(page, lambda: page.get_by_role("button", name="提交评分表").click())
    expect(page.locator("#own-total")).to_have_text(re.compile(r"^7"))
    snap(page, "21-expert-scored-zh")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SUBMITTED
    log_out(page)

    # 5. The manager closes the round and submits the deal to the investment committee.
    log_in_to(page, base, world.manager, review_round_path)
    go(page, lambda: page.locator("button[name=action][value=close]").click())
    expect(page.locator(".messages")).to_contain_text("评审轮次已结束")
    page.goto(f"{base}{deal.get_absolute_url()}")
    expect(page.locator("#deal-reviews")).to_contain_text("机制新颖")
    move(page, "提交投决会", "评审均分7.0，尽调无重大问题，提请投决会审议")
    deal.refresh_from_db()
    assert deal.stage == DealStage.COMMITTEE
    snap(page, "30-deal-to-committee-zh")

    # The manager convenes a meeting with the deal on its agenda and opens the vote (as the IC journey does).
    page.goto(f"{base}/workspace/funds/{fund.slug}/committee/")
    go(page, lambda: page.get_by_role("link", name="召集会议").click())
    page.fill("input[name=title]", "2026年第7次投决会")
    page.fill("input[name=starts_at]", "2026-12-15T09:30")
    page.fill("input[name=location]", "坪山区金融服务中心")
    go(page, lambda: page.locator("main form button[type=submit]").click())
    page.select_option("select[name=deal]", str(deal.pk))
    go(page, lambda: page.get_by_role("button", name="加入议程").click())
    expect(page.locator(".ic-agenda__item")).to_contain_text(COMPANY)
    expect(page.locator(".ic-agenda__item")).to_contain_text("3,000.00万元")
    go(page, lambda: page.get_by_role("button", name="开始会议").click())
    go(page, lambda: page.get_by_role("button", name="启动表决").click())
    meeting_path = path_of(page)
    snap(page, "31-ic-meeting-vote-open-zh")
    log_out(page)

    # The IC members vote from the meeting page.
    for voter in (world.ic_chair, world.ic_member):
        log_in_to(page, base, voter, meeting_path)
        go(page, lambda: page.locator(".ic-agenda__item .actions a", has_text="表决").first.click())
        page.get_by_label("赞成").check()
        page.get_by_role("button", name="投票").click()
        expect(page.locator("main")).to_contain_text("赞成")
        log_out(page)

    # The manager closes the vote and records the decision, drafts the opinion and sends it for sign-off.
    log_in_to(page, base, world.manager, meeting_path)
    go(page, lambda: page.get_by_role("button", name="结束表决并登记决策").click())
    expect(page.locator(".ic-agenda__item")).to_contain_text("同意投资")
    deal.refresh_from_db()
    assert deal.stage == DealStage.SIGNING
    go(page, lambda: page.get_by_role("link", name="起草投资决策意见").click())
    page.fill("textarea[name=conditions]", "首期出资后六个月内在坪山设立研发中心")
    go(page, lambda: page.locator("main form button[type=submit]").click())
    opinion_path = path_of(page)
    go(page, lambda: page.get_by_role("button", name="提交审签").click())
    log_out(page)

    # The chair signs it off; the manager issues it.
    log_in_to(page, base, world.ic_chair, opinion_path)
    page.select_option("select[name=decision]", "approve")
    go(page, lambda: page.locator("form.card button[type=submit]").click())
    log_out(page)
    log_in_to(page, base, world.manager, opinion_path)
    go(page, lambda: page.get_by_role("button", name="印发").click())
    opinion = AgendaItem.objects.select_related("opinion").get(deal=deal).opinion
    assert opinion.state == OpinionState.ISSUED, opinion.render_error
    snap(page, "40-opinion-issued-zh")

    # 6. The PDF, downloaded from the opinion's page: a PDF whose text names its number and the company.
    # The PDF is served inline (Chromium would show it in its viewer): fetched in the manager's session instead.
    answer = fetch(page, base, page.get_by_role("link", name="下载 PDF"))
    assert answer.headers["content-type"] == "application/pdf"
    pdf = answer.body()
    assert pdf.startswith(b"%PDF-")
    pdf_path = SHOTS / "decision.pdf"
    pdf_path.write_bytes(pdf)
    assert shutil.which("pdftotext"), "poppler-utils' pdftotext is needed"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, check=True).stdout
    text = re.sub(r"\s+", "", text.decode())
    assert opinion.number.replace(" ", "") in text, text[:500]
    assert COMPANY in text and "投资决策意见" in text
    code = page.locator("a[href*='/verify/']").first.inner_text().strip()
    log_out(page)

    # Anyone verifies it with its code, and the downloaded copy is exactly the issued file.
    page.goto(f"{base}/verify/")
    page.fill("#verify-code", code)
    go(page, lambda: page.get_by_role("button", name="核验").click())
    expect(page.locator("main .message")).to_contain_text("有效")
    expect(page.locator("main .facts")).to_contain_text(opinion.number)
    page.locator("main form input[type=file]").set_input_files(str(pdf_path))
    go(page, lambda: page.get_by_role("button", name="比对").click())
    expect(page.locator("main")).to_contain_text("完全一致")
    snap(page, "50-verified-zh")

    # The applicant now reads the decision, still in their own words.
    applicant_reads(
        page,
        base,
        applicant,
        application_path,
        "Investment approved",
        hidden=("Signing", "Investment committee"),
        name="51-application-approved-en",
    )
