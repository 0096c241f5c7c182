"""The special-talent journey in Chromium (issue 13, "Tests and done").

An employer (in Chinese) applies from the programme's call: the candidate with a mistyped resident ID number first
(the check-character message shows in Chinese), then the right one; why it needs them; the contribution; the
recommendation letters attached; submit. The sector's authority passes the pre-review; the officer starts the expert
panel; the three experts declare no conflict and score; the officer closes the round and sends the application to the
talent work meeting, convenes a meeting, puts it on the agenda, records the attendance and opens the session; the
members vote and the officer closes the item: the candidate is on the public notice page (anonymous, in Chinese and
English). Someone lodges an objection; the officer investigates and dismisses it. The notice period is moved into
the past (the clock only: a direct update), the officer sends it for filing, records the filing and approves. The
employer reads "Approved as special talent" with the dates, and no score or vote.

Only the world (tests/special_world.py: programme, officers, director, sector authority, employer, experts, meeting
members, an open call with its checklist) is made in the database. Screenshots: /tmp/shots13/E/ (desktop and 390 px,
Chinese and English); each checks that nothing scrolls sideways at 390 px.
"""

import datetime
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.demo import tiny_pdf
from tests.factories import PASSWORD

from .helpers import go, log_in, log_out, path_of, snapper

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots13/E")
DESKTOP = {"width": 1280, "height": 900}
CANDIDATE = "林振华"
GOOD_ID = "440308195803070013"  # GB 11643 check character right (tests/special_world.py)
BAD_ID = "440308195803070012"  # one digit mistyped: the check character no longer matches
BIRTH_DATE = "1958-03-07"


@pytest.fixture
def special_site(
    django_db_serialized_rollback, live_server, transactional_db, migrated_rows_snapshot, settings, tmp_path
):
    """The special-talent world on the live server (see tests/browser/conftest.py demo_site for the snapshot)."""
    from django.db import connection
    from wagtail.models import Site

    from tests.special_world import build_special_world

    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = migrated_rows_snapshot
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    parts = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=parts.hostname, port=parts.port)
    world = build_special_world()
    SHOTS.mkdir(parents=True, exist_ok=True)
    return live_server.url, world


snap = snapper(SHOTS)


def log_in_to(page, base, user, path, language=""):
    path = path.removeprefix("/en")  # a path read off an English page
    page.goto(f"{base}{language}/accounts/login/?next={language}{path}")
    log_in(page, user.username, PASSWORD)


def fill(form, values: dict):
    """Fill fields by name: text, selects, a group of checkboxes (``value`` lists those to tick), radios."""
    for name, value in values.items():
        field = form.locator(f"[name='{name}']")
        kind = field.first.evaluate("el => el.tagName + ':' + (el.type || '')")
        if kind.endswith(":checkbox") or kind.endswith(":radio"):
            for each in value if isinstance(value, list | tuple) else [value]:
                form.locator(f"[name='{name}'][value='{each}']").check()
        elif kind.startswith("SELECT"):
            field.select_option(value)
        else:
            field.fill(value)


def errors_on(page):
    # A required document not uploaded yet is a reminder on the documents page, not an error of the form sent.
    return page.locator("main form .field__error, main .form-errors, main .errorlist").all_inner_texts()


def submit(page, form, button, values=None):
    """Fill ``form`` and press ``button`` (its name); the page that follows shows no form error."""
    if values:
        fill(form, values)
    go(page, lambda: form.get_by_role("button", name=button).click())
    assert not errors_on(page), (page.url, errors_on(page))


def label_in(language, status):
    """What the employer reads for ``status`` (a SpecialStatus name) in ``language``."""
    from django.utils import translation

    from talent.statuses import SpecialStatus

    with translation.override(language):
        return str(SpecialStatus[status].label)


def no_identifier(page):
    text = page.content()
    assert GOOD_ID not in text and BIRTH_DATE not in text and "19580307" not in text, page.url


# --- the steps ----------------------------------------------------------------------------------------------------


def employer_applies(page, base, world):
    """In Chinese: the call, the three steps (a mistyped ID number first), the letters, submit; the engine's page."""
    log_in_to(page, base, world.employer, f"/talent/calls/{world.call.slug}/")
    snap(page, "01-call-zh")
    go(page, lambda: page.locator("main").get_by_role("link", name="申请本批次").click())
    go(page, lambda: page.locator("main").get_by_role("button", name="开始申请").click())
    form = page.locator("main form.card")
    candidate = {
        "name": CANDIDATE,
        "name_en": "Lin Zhenhua",
        "id_kind": "resident_id",
        "id_number": BAD_ID,
        "birth_date": BIRTH_DATE,
        "education": "中专，深圳市第一职业技术学校",
        "titles": "",
        "current_role": "首席工艺工程师",
        "field": "生物药连续流生产工艺",
        "theme": str(world.theme.pk),
        "achievements": "主持建成国内首条单抗连续流生产线，良率提升12%。",
    }
    fill(form, candidate)
    go(page, lambda: form.get_by_role("button", name="保存并继续").click())
    expect(page.locator("main")).to_contain_text("该居民身份证号码的校验位有误")
    snap(page, "02-candidate-bad-id-zh")
    form = page.locator("main form.card")
    submit(page, form, "保存并继续", {"id_number": GOOD_ID})
    submit(
        page,
        page.locator("main form.card"),
        "保存并继续",
        {
            "missed_criteria": ["age", "degree"],
            "missed_explanation": "年龄超过55周岁，无本科学历。",
            "need": "公司新建连续流车间投产在即，其工艺经验无人可替代。",
        },
    )
    submit(
        page,
        page.locator("main form.card"),
        "保存并继续",
        {
            "revenue": "320000000",
            "tax": "18000000",
            "patents": "发明专利5项",
            "awards": "广东省科技进步奖二等奖",
            "influence": "参与起草行业标准2项。",
            "recommenders": "王院士，中国工程院；李教授，南方科技大学",
        },
    )
    slot = page.locator("ul.checklist > li").filter(has=page.get_by_role("heading", name=re.compile("推荐信")))
    slot.locator("input[type=file]").set_input_files(
        {"name": "recommendations.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf("Recommendation letters")}
    )
    go(page, lambda: slot.get_by_role("button", name="上传").click())
    expect(slot).to_contain_text("recommendations.pdf")
    snap(page, "03-documents-zh")
    go(page, lambda: page.get_by_role("link", name="下一步：核对").click())
    expect(page.locator(".form-errors")).to_have_count(0)
    go(page, lambda: page.get_by_role("button", name="提交申请").click())
    expect(page.locator(".status-line .tag")).to_have_text(label_in("zh-hans", "SUBMITTED"))
    snap(page, "04-submitted-zh")
    application_path = path_of(page)
    log_out(page)
    return application_path


def authority_passes(page, base, world, special):
    log_in_to(page, base, world.reviewer, special.get_absolute_url(), language="/en")
    expect(page.locator("[data-masked-id]")).to_have_text(special.masked_id_number)
    assert special.masked_id_number.startswith("••••") and GOOD_ID not in special.masked_id_number
    no_identifier(page)
    snap(page, "10-pre-review-en")
    go(page, lambda: page.get_by_role("link", name="Pre-review passed: send to the expert panel").click())
    form = page.locator("main form").filter(has=page.locator("textarea[name=opinion]"))
    submit(
        page,
        form,
        re.compile("Pre-review passed|send to the expert panel|Pass"),
        {"opinion": "符合产业急需，同意推荐。"},
    )
    log_out(page)


def officer_starts_panel(page, base, world, special):
    log_in_to(page, base, world.officer, special.get_absolute_url(), language="/en")
    go(page, lambda: page.get_by_role("link", name="Start the expert panel").click())
    form = page.locator("main form.card")
    for expert in world.experts:
        form.get_by_label(expert.name).check()
    if form.locator("input[name=deadline]").count():
        form.locator("input[name=deadline]").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    snap(page, "20-start-panel-en")
    go(page, lambda: form.locator("button[type=submit]").click())
    assert not errors_on(page), errors_on(page)
    from talent.review import rounds_of

    log_out(page)
    return rounds_of(special).get().get_absolute_url()


def experts_score(page, base, world):
    for number, expert in enumerate(world.experts):
        log_in_to(page, base, expert.user, "/workspace/reviews/")
        go(page, lambda: page.locator("main").get_by_role("link", name=re.compile(CANDIDATE)).first.click())
        go(page, lambda: page.get_by_role("button", name="接受").click())
        page.locator("#declaration input[value=none]").check()
        go(page, lambda: page.get_by_role("button", name="提交申报").click())
        no_identifier(page)
        exposed = page.locator("#exposed-material .exposed-item")
        if number == 0 and exposed.count():
            section = exposed.get_by_role("link", name=re.compile("候选人")).first
            if section.count():
                assignment = page.url
                go(page, section.click)
                no_identifier(page)
                snap(page, "30-expert-candidate-section-zh")
                page.goto(assignment)
        scores = page.locator("#scoring fieldset.criterion input[type=number]")
        for field in scores.all():
            field.fill(str(8 + number % 2))
        page.locator("#scoring textarea[name=comment]").fill("贡献突出，不可替代性强。")
        go(page, lambda: page.get_by_role("button", name="提交评分表").click())
        expect(page.locator("#own-scorecard")).to_have_count(1)
        log_out(page)


def officer_closes_round_and_sends_on(page, base, world, special, round_path):
    log_in_to(page, base, world.officer, round_path, language="/en")
    go(page, lambda: page.locator("button[name=action][value=close]").click())
    page.goto(f"{base}/en{special.get_absolute_url()}")
    expect(page.locator("#panel").locator("xpath=..")).to_contain_text("3")
    go(page, lambda: page.get_by_role("button", name="Send to the talent work meeting").click())
    assert not errors_on(page), errors_on(page)
    snap(page, "40-sent-to-meeting-en")


def officer_runs_the_meeting(page, base, world, special):
    """Convene, put it on the agenda, record the attendance, open the session (the officer is logged in)."""
    page.goto(f"{base}/en/talent/office/{world.programme.slug}/meetings/")
    go(page, lambda: page.locator("main").get_by_role("link", name=re.compile("Convene|New")).first.click())
    form = page.locator("main form").filter(has=page.locator("[name=title]"))
    starts = timezone.localtime() + datetime.timedelta(hours=1)
    fill(form, {"title": "2026年第四次区人才工作会议", "title_en": "Fourth district talent work meeting of 2026"})
    fill(form, {"location": "坪山区人才工作局301会议室"})
    starts_at = form.locator("[name=starts_at]")
    kind = starts_at.get_attribute("type")
    starts_at.fill(starts.strftime("%Y-%m-%dT%H:%M" if kind == "datetime-local" else "%Y-%m-%d %H:%M"))
    for member in world.members:
        form.get_by_label(member.display_name, exact=True).check()
    go(page, lambda: form.locator("button[type=submit]").click())
    assert not errors_on(page), errors_on(page)
    meeting_path = path_of(page)
    agenda = page.locator("main form").filter(has=page.locator("[name=special]"))
    agenda.locator("[name=special]").select_option(str(special.pk))
    go(page, lambda: agenda.get_by_role("button", name="Add to the agenda").click())
    attendance = page.locator("main form").filter(has=page.locator("[name=present]"))
    for box in attendance.locator("input[name=present]").all():
        box.check()
    go(page, lambda: attendance.get_by_role("button", name="Record the attendance").click())
    expect(page.locator("main")).to_contain_text("5 of 5 present")
    snap(page, "50-meeting-scheduled-en")
    go(page, lambda: page.get_by_role("button", name="Open the session: start the votes").click())
    assert not errors_on(page), errors_on(page)
    log_out(page)
    return meeting_path


def members_vote(page, base, world, meeting_path):
    for number, member in enumerate(world.members):
        log_in_to(page, base, member, meeting_path, language="/en")
        no_identifier(page)
        if number == 0:
            snap(page, "51-member-meeting-en")
        go(page, lambda: page.locator("main").get_by_role("link", name="Vote", exact=True).first.click())
        no_identifier(page)
        if number == 0:
            snap(page, "51-member-vote-en")
        ballot = page.locator("main form").filter(has=page.locator("[name=choice]"))
        ballot.locator("[name=choice][value=yes]").check()
        ballot.locator("button[type=submit]").click()  # htmx swaps the ballot box in place
        expect(page.locator("main form").filter(has=page.locator("[name=choice]"))).to_have_count(0)
        if number == 0:
            snap(page, "52-member-voted-en")
        log_out(page)


def public_sees_the_notice_and_objects(page, base, special):
    page.goto(f"{base}/talent/notices/")
    entry = page.locator(f"#candidate-{special.pk}")
    expect(entry).to_contain_text(CANDIDATE)
    no_identifier(page)
    snap(page, "60-notice-zh")
    page.goto(f"{base}/en/talent/notices/")
    expect(page.locator(f"#candidate-{special.pk}")).to_contain_text(CANDIDATE)
    expect(page.locator("h1")).to_have_text("Public notice of special talent")
    no_identifier(page)
    snap(page, "60-notice-en")
    page.goto(f"{base}/talent/notices/")
    entry = page.locator(f"#candidate-{special.pk}")
    # The list is kept for every visitor: each candidate links to the objection page, which holds the form.
    go(page, lambda: entry.get_by_role("link", name="提出异议").click())
    form = page.locator("form.objection-form")
    fill(form, {"name": "陈先生", "phone": "13800138000", "grounds": "据我所知，申报的专利并非其本人主持完成。"})
    snap(page, "61-objection-form-zh")
    go(page, lambda: form.locator("button[type=submit]").click())
    assert not errors_on(page), errors_on(page)
    snap(page, "62-objection-received-zh")


def officer_dismisses_the_objection(page, base, world, special):
    log_in_to(page, base, world.officer, special.get_absolute_url(), language="/en")
    go(page, lambda: page.get_by_role("link", name="Record the investigation").click())
    form = page.locator("main form").filter(has=page.locator("[name=investigation]"))
    fill(form, {"investigation": "已向用人单位与专利权人核实：该专利由候选人作为第一发明人完成。"})
    go(page, lambda: form.locator("button[type=submit]").click())
    assert not errors_on(page), errors_on(page)
    page.goto(f"{base}/en{special.get_absolute_url()}")
    go(page, lambda: page.get_by_role("link", name="Resolve the objection").click())
    form = page.locator("main form").filter(has=page.locator("[name=resolution]"))
    fill(form, {"outcome": "dismissed", "resolution": "经核实，异议所述与事实不符，不予采纳。"})
    go(page, lambda: form.locator("button[type=submit]").click())
    assert not errors_on(page), errors_on(page)
    page.goto(f"{base}/en{special.get_absolute_url()}")
    expect(page.locator("#notice-section").locator("xpath=..")).to_contain_text("Dismissed")
    snap(page, "70-objection-dismissed-en")


def officer_files_and_approves(page, base, world, special):
    page.goto(f"{base}/en{special.get_absolute_url()}")
    go(page, lambda: page.get_by_role("button", name="Notice over: send for filing").click())
    assert not errors_on(page), errors_on(page)
    page.goto(f"{base}/en{special.get_absolute_url()}")
    form = page.locator("main form").filter(has=page.locator("[name=filing_number]"))
    fill(form, {"filing_number": "深人社特备〔2026〕0012号", "filed_on": timezone.localdate().isoformat()})
    go(page, lambda: form.get_by_role("button", name="Record the filing").click())
    assert not errors_on(page), errors_on(page)
    page.goto(f"{base}/en{special.get_absolute_url()}")
    go(page, lambda: page.locator("main").get_by_role("link", name="Approve").click())
    form = page.locator("main form").filter(has=page.locator("[name=quota_reference]"))
    fill(form, {"quota_reference": "坪人才指标〔2026〕3号", "reason": "经备案同意认定。"})
    go(page, lambda: form.locator("button[type=submit]").click())
    assert not errors_on(page), errors_on(page)
    page.goto(f"{base}/en{special.get_absolute_url()}")
    no_identifier(page)
    snap(page, "80-approved-office-en")
    page.goto(f"{base}{special.get_absolute_url()}")
    snap(page, "80-approved-office-zh")
    log_out(page)


def employer_reads_the_outcome(page, base, world, application_path):
    log_in_to(page, base, world.employer, application_path.removeprefix("/en"), language="/en")
    expect(page.locator(".status-line .tag")).to_have_text("Approved as special talent")
    timeline = page.locator("ol.timeline")
    for label in ("Under expert panel review", "Before the district talent work meeting", "On public notice"):
        expect(timeline).to_contain_text(label)
    expect(timeline).to_contain_text(timezone.localdate().isoformat())
    text = page.locator("main").inner_text()
    for word in ("score", "Score", "vote", "Vote", "yes–no", "8.5"):
        assert word not in text, f"the employer reads “{word}”"
    snap(page, "90-employer-approved-en")
    page.goto(f"{base}{application_path.removeprefix('/en')}")
    expect(page.locator(".status-line .tag")).to_have_text(label_in("zh-hans", "APPROVED"))
    text = page.locator("main").inner_text()
    for word in ("评分", "得分", "投票", "表决"):
        assert word not in text, f"the employer reads “{word}”"
    snap(page, "90-employer-approved-zh")
    log_out(page)


def test_an_employer_applies_and_the_candidate_is_approved_after_notice(page, special_site):
    from talent.models import SpecialStage, SpecialTalentApplication
    from tests.special_world import end_notice

    base, world = special_site
    page.set_viewport_size(DESKTOP)

    application_path = employer_applies(page, base, world)
    special = SpecialTalentApplication.objects.get(candidate_name=CANDIDATE)
    assert special.stage == SpecialStage.PRE_REVIEW and special.id_number == GOOD_ID

    authority_passes(page, base, world, special)
    special.refresh_from_db()
    assert special.stage == SpecialStage.PANEL

    round_path = officer_starts_panel(page, base, world, special)
    experts_score(page, base, world)
    officer_closes_round_and_sends_on(page, base, world, special, round_path)
    special.refresh_from_db()
    assert special.stage == SpecialStage.DELIBERATION

    meeting_path = officer_runs_the_meeting(page, base, world, special)
    members_vote(page, base, world, meeting_path)
    log_in_to(page, base, world.officer, meeting_path, language="/en")
    go(page, lambda: page.get_by_role("button", name="Close the vote and decide").click())
    assert not errors_on(page), errors_on(page)
    snap(page, "55-meeting-decided-en")
    log_out(page)
    special.refresh_from_db()
    assert special.stage == SpecialStage.NOTICE and special.notice_starts_on == timezone.localdate()

    public_sees_the_notice_and_objects(page, base, special)
    assert special.objections.count() == 1
    officer_dismisses_the_objection(page, base, world, special)

    end_notice(special)  # the notice period's days go by: the clock, not a service
    page.goto(f"{base}/talent/notices/")
    expect(page.locator(f"#candidate-{special.pk}")).to_have_count(0)  # the entry has left the public page
    officer_files_and_approves(page, base, world, special)
    special.refresh_from_db()
    assert special.stage == SpecialStage.APPROVED and special.filing_number

    employer_reads_the_outcome(page, base, world, application_path)
