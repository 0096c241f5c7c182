"""The offshore base's whole journey in Chromium (issue 12, "Tests and done").

An overseas person registers in English from the base's public call page, confirms by mail and applies: team (with
a passport number), project, services and landing plan, the required business plan, review and submit; the
application reads "Received — completeness check". The officer (in Chinese) opens it from the talent office and asks
for a supplement with a deadline; the applicant uploads a revised plan and sends the supplement. The officer sends
it to expert review and starts a round inviting three experts with the material exposed; each expert accepts,
declares no conflict, reads the team section (the passport number masked) and scores; the officer closes the round,
admits the team with reasons; the director signs the letter, the officer issues it; the applicant reads
"Admitted — onboarding" and downloads the bilingual letter, whose first page is rendered to PNG and looked at.
Only the world (programme, officer, director, rubric, checklist, call, experts) is made in the database.

Screenshots: /tmp/shots12/journey/ (and test-artifacts/browser/ through ``shot``).
"""

import datetime
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from portal.demo import tiny_pdf
from tests.factories import PASSWORD

from .helpers import log_in, log_out, path_of

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots12/journey")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
APPLICANT = "noor.haddad"
APPLICANT_PASSWORD = "Lumen-Sepsis-2026"
PASSPORT = "N12345678"
TITLE = "Photonic biosensors for point-of-care sepsis tests"
TEAM = "LumenDx Photonics"


@pytest.fixture
def base_site(django_db_serialized_rollback, live_server, transactional_db, migrated_rows_snapshot, settings, tmp_path):
    """The offshore base (its officer, director, rubric, checklist, an open call) and three experts in the pool, on
    the live server (see demo_site for the snapshot)."""
    from django.db import connection
    from wagtail.models import Site

    from tests.talent_world import build_world

    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = migrated_rows_snapshot
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    parts = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=parts.hostname, port=parts.port)
    world = build_world()
    SHOTS.mkdir(parents=True, exist_ok=True)
    return live_server.url, world


def go(page, action):
    with page.expect_navigation():
        action()


def snap(page, name, *, phone=False):
    """A full-page screenshot; at 390 px wide too when ``phone``, checking nothing scrolls sideways."""
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    if phone:
        size = page.viewport_size
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.set_viewport_size(size)
        assert width <= PHONE["width"], f"{name} scrolls sideways at 390 px ({width} px)"


def log_in_to(page, base, username, path, password=PASSWORD, language=""):
    page.goto(f"{base}{language}/accounts/login/?next={path}")
    log_in(page, username, password)


def fill(form, values: dict):
    """Fill fields by name (selects and checkboxes too)."""
    for name, value in values.items():
        field = form.locator(f"[name='{name}']")
        if field.count() > 1:  # a group of checkboxes: ``value`` lists the ones to tick
            for each in value:
                form.locator(f"[name='{name}'][value='{each}']").check()
            continue
        kind = field.evaluate("el => el.tagName + ':' + (el.type || '')")
        if kind.startswith("SELECT"):
            field.select_option(value)
        elif kind.endswith(":checkbox"):
            field.check()
        else:
            field.fill(value)


def save_and_continue(page, values: dict):
    form = page.locator("main form.card")
    fill(form, values)
    go(page, lambda: form.get_by_role("button", name="Save and continue").click())
    errors = page.locator("main form .field__error, main .form-errors").all_inner_texts()
    assert not errors, (page.url, errors)


def upload(page, item_name, filename, content):
    slot = page.locator("ul.checklist > li").filter(has=page.get_by_role("heading", name=re.compile(item_name)))
    slot.locator("input[type=file]").set_input_files(
        {"name": filename, "mimeType": "application/pdf", "buffer": content}
    )
    go(page, lambda: slot.get_by_role("button", name="Upload").click())
    expect(page.locator(".messages")).to_contain_text("The file is uploaded.")
    expect(slot.locator(".checklist__files")).to_contain_text(filename)


def registers_and_applies(page, base, world):
    """Step 1, in English: the public page, the call, register and confirm, apply; returns the application's path."""
    mail.outbox.clear()
    page.goto(f"{base}/en/talent/")
    go(page, lambda: page.locator("main").get_by_role("link", name=world.programme.name_en).click())
    expect(page.locator("#open-calls + ul")).to_contain_text(world.call.title_en)
    snap(page, "01-base-public-en", phone=True)
    go(page, lambda: page.locator("main").get_by_role("link", name=world.call.title_en).click())
    call_path = path_of(page)
    assert call_path == f"/en/talent/calls/{world.call.slug}/"
    expect(page.locator("#documents ~ ul")).to_contain_text("Business plan")
    snap(page, "02-call-en", phone=True)

    page.goto(f"{base}/talent/calls/{world.call.slug}/")  # the same page in Chinese, for the local teams
    expect(page.locator("#documents")).to_have_text("申请材料")
    snap(page, "02-call-zh", phone=True)
    page.goto(f"{base}{call_path}")

    # Register from the call's page and come back to it once confirmed.
    go(page, lambda: page.locator("main aside").get_by_role("link", name="Register").click())
    assert path_of(page) == "/en/accounts/register/", page.url
    form = page.locator("main form")
    form.locator("input[name=username]").fill(APPLICANT)
    form.locator("input[name=email]").fill("noor.haddad@example.org")
    form.locator("input[name=real_name]").fill("Dr. Noor Haddad")
    expect(form.locator("select[name=preferred_language]")).to_have_value("en")
    form.locator("input[name=password]").fill(APPLICANT_PASSWORD)
    form.locator("input[name=password_again]").fill(APPLICANT_PASSWORD)
    go(page, lambda: form.locator("button[type=submit]").click())
    assert path_of(page) == "/en/accounts/register/sent/", page.locator(".field__error").all_inner_texts()
    assert len(mail.outbox) == 1, mail.outbox
    link = re.search(r"https?://\S+?(/en/accounts/register/confirm/\S+/)", mail.outbox[0].body).group(1)
    page.goto(base + link)
    go(page, lambda: page.get_by_role("button", name="Confirm my account").click())
    expect(page.locator(".messages")).to_contain_text("Your account is confirmed")
    assert path_of(page) == call_path, "after confirming, the applicant is back on the call they registered from"

    # Apply: no organization is asked of an overseas team.
    go(page, lambda: page.locator("main aside").get_by_role("link", name="Apply to this call").click())
    go(page, lambda: page.locator("main").get_by_role("button", name="Start the application").click())
    expect(page.locator("h2.section-title")).to_have_text("Team")
    snap(page, "03-apply-team-en", phone=True)
    save_and_continue(
        page,
        {
            "team-0-name": "Dr. Noor Haddad",
            "team-0-role": "CEO",
            "team-0-nationality": "Jordan",
            "team-0-residence": "Germany",
            "team-0-degree": "phd",
            "team-0-institution": "TU Munich",
            "team-0-passport_number": PASSPORT,
            "team-0-comes_to_pingshan": "on",
        },
    )
    expect(page.locator("h2.section-title")).to_have_text("Project")
    save_and_continue(
        page,
        {
            "team_name": TEAM,
            "title": TITLE,
            "theme": str(world.theme.pk),
            "stage": "prototype",
            "technology": "Silicon-nitride ring resonators read procalcitonin in whole blood in ten minutes.",
            "ip": "EP4123456 granted; PCT/EP2025/061234 filed.",
            "market": "Emergency departments and ICUs in China and the EU.",
            "funding_need": "8000000",
        },
    )
    expect(page.locator("h2.section-title")).to_have_text("Services and landing plan")
    snap(page, "03-apply-services-en", phone=True)
    save_and_continue(
        page,
        {
            "services": ["company_registration", "visa"],
            "landing_plan": "Register the company in Pingshan in Q1 2027, then a pilot line with a local hospital.",
        },
    )

    expect(page.locator("h2.section-title")).to_have_text("Documents")
    upload(page, "Business plan", "business-plan.pdf", tiny_pdf("LumenDx business plan"))
    snap(page, "04-apply-documents-en", phone=True)
    go(page, lambda: page.get_by_role("link", name="Continue to review").click())
    expect(page.locator(".form-errors")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(PASSPORT)  # the applicant reads their own answers in full
    snap(page, "05-apply-review-en", phone=True)
    go(page, lambda: page.get_by_role("button", name="Submit the application").click())
    expect(page.locator(".messages")).to_contain_text("has been submitted")
    expect(page.locator(".status-line .tag")).to_have_text("Received — completeness check")
    expect(page.locator(".lede")).to_contain_text(re.compile(r"HC-\d{4}-\d{4}"))
    application_path = path_of(page)
    assert application_path.startswith("/en/workspace/applications/")
    snap(page, "06-application-received-en", phone=True)
    log_out(page)
    return application_path


def test_an_overseas_team_applies_and_is_admitted(page, base_site):
    from portal.applications.models import Application, SupplementState
    from portal.opinions.models import OpinionState
    from portal.reviews.models import Assignment, AssignmentState
    from talent.models import BaseApplication, BaseStage

    base, world = base_site
    page.set_viewport_size(DESKTOP)

    # 1. The applicant, in English.
    application_path = registers_and_applies(page, base, world)
    application = Application.objects.get(applicant__username=APPLICANT)
    base_app = BaseApplication.objects.get(application=application)
    assert base_app.stage == BaseStage.CHECK and base_app.team_name == TEAM

    # 2. The officer, in Chinese, opens it from the talent office and asks for a supplement.
    log_in_to(page, base, world.officer.username, "/talent/office/")
    assert path_of(page) == f"/talent/office/{world.programme.slug}/applications/"
    go(page, lambda: page.locator("main").get_by_role("link", name=TITLE).click())
    assert path_of(page) == base_app.get_absolute_url()
    expect(page.locator("main")).to_contain_text("完整性审查")
    snap(page, "10-office-application-zh")
    go(page, lambda: page.get_by_role("link", name="答复、材料、补正与备注").click())
    request = page.locator("details.card").filter(has=page.locator("summary", has_text="要求申请人补正"))
    request.locator("summary").click()
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    request.locator("textarea[name=message]").fill("请补充商业计划书中的财务预测（三年）。")
    request.locator("input[name=deadline]").fill(deadline)
    request.get_by_label("商业计划书").check()
    snap(page, "11-request-supplement-zh")
    go(page, lambda: request.get_by_role("button", name="发出补正通知").click())
    expect(page.locator(".messages")).to_contain_text("补正通知已发送")
    log_out(page)

    # 3. The applicant (English) reads the request, uploads a revised plan and sends the supplement.
    log_in_to(page, base, APPLICANT, application_path, password=APPLICANT_PASSWORD, language="/en")
    expect(page.locator(".status-line .tag")).to_have_text("Supplement requested")
    expect(page.locator("#request-heading + p")).to_contain_text("财务预测")
    expect(page.locator("main")).to_contain_text(deadline)
    snap(page, "20-supplement-requested-en", phone=True)
    go(page, lambda: page.get_by_role("link", name="Upload documents").click())
    upload(page, "Business plan", "business-plan-v2.pdf", tiny_pdf("LumenDx business plan with forecasts"))
    snap(page, "20b-supplement-upload-en", phone=True)
    go(page, lambda: page.get_by_role("link", name="Back to the application").click())
    assert path_of(page) == application_path
    page.locator("textarea[name=answer]").fill("The revised plan adds a three-year financial forecast.")
    go(page, lambda: page.get_by_role("button", name="Send the supplement").click())
    expect(page.locator(".messages")).to_contain_text("Your supplement has been sent.")
    expect(page.locator(".status-line .tag")).to_have_text("Received — completeness check")
    snap(page, "21-supplement-sent-en", phone=True)
    assert application.supplement_requests.get().state == SupplementState.ANSWERED
    log_out(page)

    # 4. The officer completes the check and starts a review round: three experts, the material exposed.
    log_in_to(page, base, world.officer.username, base_app.get_absolute_url())
    go(page, lambda: page.get_by_role("button", name="材料齐全：提交专家评审").click())
    expect(page.locator(".messages")).to_contain_text("专家评审")
    go(page, lambda: page.get_by_role("link", name="发起专家评审").click())
    form = page.locator("main form.card")
    for expert in world.experts:
        form.get_by_label(expert.name).check()
    expect(form.locator("input[name=keys]:checked")).to_have_count(form.locator("input[name=keys]").count())
    snap(page, "30-start-review-zh")
    go(page, lambda: form.get_by_role("button", name="邀请专家").click())
    expect(page.locator(".messages")).to_contain_text("评审轮次已开启")
    round_link = page.locator("#review ~ p a").first
    round_path = round_link.get_attribute("href")
    log_out(page)

    # 5. Each expert accepts, declares no conflict, reads the team section (passport masked) and scores.
    for number, expert in enumerate(world.experts):
        log_in_to(page, base, expert.user.username, "/workspace/reviews/")
        go(page, lambda: page.locator("main").get_by_role("link", name=re.compile(TEAM)).first.click())
        go(page, lambda: page.get_by_role("button", name="接受").click())
        page.locator("#declaration input[value=none]").check()
        go(page, lambda: page.get_by_role("button", name="提交申报").click())
        exposed = page.locator("#exposed-material .exposed-item")
        expect(exposed.filter(has_text="business-plan-v2.pdf")).to_have_count(1)
        assignment_path = path_of(page)
        if number == 0:
            team_section = exposed.get_by_role("link", name=re.compile("团队"))
            go(page, team_section.click)
            text = page.locator("main").inner_text()
            assert "Dr. Noor Haddad" in text and PASSPORT not in text, text
            assert "•" * (len(PASSPORT) - 2) + PASSPORT[-2:] in text, text  # masked: only its last two characters
            snap(page, "40-expert-team-section-zh", phone=True)
            page.goto(f"{base}{assignment_path}")
        scores = page.locator("#scoring fieldset.criterion input[type=number]")
        expect(scores).to_have_count(6)
        for field in scores.all():
            field.fill(str(7 + number % 2))
        page.locator("#scoring textarea[name=comment]").fill("技术新颖，落地计划清晰。")
        go(page, lambda: page.get_by_role("button", name="提交评分表").click())
        expect(page.locator("#own-scorecard")).to_have_count(1)
        if number == 0:
            snap(page, "41-expert-scored-zh")
        log_out(page)
    assert set(Assignment.objects.filter(expert__in=world.experts).values_list("state", flat=True)) == {
        AssignmentState.SUBMITTED
    }

    # The officer closes the round and admits the team with reasons.
    log_in_to(page, base, world.officer.username, round_path)
    go(page, lambda: page.locator("button[name=action][value=close]").click())
    expect(page.locator(".messages")).to_contain_text("评审轮次已结束")
    page.goto(f"{base}{base_app.get_absolute_url()}")
    expect(page.locator("#review ~ dl")).to_contain_text("3")
    go(page, lambda: page.get_by_role("link", name="准予入驻").click())
    page.locator("textarea[name=reason]").fill("团队技术领先，知识产权清晰，落地计划可行。")
    page.locator("textarea[name=reason_en]").fill("A leading team with clear IP and a feasible landing plan.")
    go(page, lambda: page.get_by_role("button", name="准予入驻").click())
    expect(page.locator(".messages")).to_contain_text("决定已记录")
    base_app.refresh_from_db()
    assert base_app.stage == BaseStage.ONBOARDING
    letter_path = page.locator("#decision ~ p a, #decision ~ * a").first.get_attribute("href")
    snap(page, "50-admitted-zh")
    log_out(page)

    # 6. The director signs the letter (the opinions engine's page); the officer issues it.
    log_in_to(page, base, world.director.username, letter_path)
    page.select_option("select[name=decision]", "approve")
    go(page, lambda: page.locator("form.card button[type=submit]").click())
    log_out(page)
    log_in_to(page, base, world.officer.username, letter_path)
    go(page, lambda: page.get_by_role("button", name="印发").click())
    base_app.letter.refresh_from_db()
    assert base_app.letter.state == OpinionState.ISSUED, base_app.letter.render_error
    snap(page, "60-letter-issued-zh")
    log_out(page)

    # 7. The applicant reads "Admitted — onboarding" on the timeline and downloads the letter.
    log_in_to(page, base, APPLICANT, application_path, password=APPLICANT_PASSWORD, language="/en")
    expect(page.locator(".status-line .tag")).to_have_text("Admitted — onboarding")
    expect(page.locator("ol.timeline")).to_contain_text("Admitted — onboarding")
    snap(page, "70-admitted-en", phone=True)
    letter = page.locator("main").get_by_role("link", name="Decision letter (PDF)")
    answer = page.request.get(base + letter.get_attribute("href"))
    assert answer.ok and answer.headers["content-type"] == "application/pdf", answer.status
    pdf = answer.body()
    assert pdf.startswith(b"%PDF-")
    pdf_path = SHOTS / "letter.pdf"
    pdf_path.write_bytes(pdf)
    assert shutil.which("pdftotext") and shutil.which("pdftoppm"), "poppler-utils is needed"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, check=True)
    text = text.stdout.decode()
    flat = re.sub(r"\s+", "", text)
    assert TEAM.replace(" ", "") in flat and "团队技术领先" in flat, text[:800]
    assert "A leading team with clear IP" in re.sub(r"\s+", " ", text), text[:800]
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf_path), str(SHOTS / "80-letter-page")],
        check=True,
    )
    log_out(page)
