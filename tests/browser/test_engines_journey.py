"""Journeys 30–49: the review, voting and opinion engines end to end.

1. An expert declares no conflict, then scores; a second expert declares a conflict and is recused.
2. A council member casts a named ballot through the htmx ballot box.
3. A visitor verifies an issued opinion, downloads its PDF and compares an intact and a tampered copy.
"""

import hashlib
import re
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from .helpers import log_in, log_out, path_of

pytestmark = pytest.mark.browser

ASSIGNMENT_URL = "/workspace/reviews/assignments/{}/"


def zh(message, **params):
    """A UI message as the Chinese site renders it (falls back to the English msgid like the site would)."""
    with translation.override("zh-hans"):
        text = str(message) if not isinstance(message, str) else gettext(message)
    return text % params if params else text


def submit(page, selector):
    """Click a submit button and wait for the resulting page load."""
    with page.expect_navigation():
        page.locator(selector).click()


def assert_no_scoring(page):
    expect(page.locator("#scoring")).to_have_count(0)
    expect(page.locator("input[name^=score_]")).to_have_count(0)
    expect(page.locator("button[name=action][value=submit]")).to_have_count(0)


# --- 1. Conflict declaration and scoring -----------------------------------------------------------------


def test_conflict_declaration_then_scoring_and_recusal(page, demo_site, shot):
    from portal.reviews.demo import ROUND_TITLE
    from portal.reviews.models import Assignment, AssignmentState, ConflictDeclaration, Scorecard

    base = demo_site
    assignments = {
        a.expert.user.username: a
        for a in Assignment.objects.select_related("expert__user", "round__rubric").filter(round__title=ROUND_TITLE)
    }
    mine, recusing, other = assignments["evaluator1"], assignments["evaluator3"], assignments["evaluator2"]
    assert mine.state == AssignmentState.INVITED
    assert recusing.state == AssignmentState.INVITED
    assert other.state == AssignmentState.SUBMITTED
    criteria = list(mine.round.rubric.criteria.all())
    assert len(criteria) == 4

    # evaluator1: the assignment list behind the login.
    page.goto(f"{base}/workspace/reviews/")
    assert path_of(page) == "/accounts/login/", page.url
    log_in(page, "evaluator1")
    page.wait_for_url(re.compile(r"/workspace/reviews/$"))
    link = page.locator(f'a[href="{ASSIGNMENT_URL.format(mine.pk)}"]')
    expect(link).to_have_text(ROUND_TITLE)
    shot(page, "30-review-assignments-evaluator1")

    # The invitation: accept it.
    with page.expect_navigation():
        link.click()
    assert path_of(page) == ASSIGNMENT_URL.format(mine.pk)
    expect(page.locator("h1")).to_have_text(ROUND_TITLE)
    assert_no_scoring(page)
    expect(page.locator("#material")).to_have_count(0)
    accept = page.locator("button[name=action][value=accept]")
    if accept.count():
        shot(page, "31-review-invitation")
        submit(page, "button[name=action][value=accept]")
    assert path_of(page) == ASSIGNMENT_URL.format(mine.pk)

    # The conflict declaration comes first: no material, no scoring form yet.
    declaration = page.locator("#declaration")
    expect(declaration).to_be_visible()
    expect(declaration.locator("input[name=answer]")).to_have_count(2)
    assert_no_scoring(page)
    expect(page.locator("#material")).to_have_count(0)
    expect(page.locator("#other-scores")).to_have_count(0)
    shot(page, "32-review-declaration-first")

    # No conflict → material and scoring form.
    declaration.locator("input[name=answer][value=none]").check()
    submit(page, "#declaration button[name=action][value=declare]")
    assert path_of(page) == ASSIGNMENT_URL.format(mine.pk)
    expect(page.locator("#declaration")).to_have_count(0)
    expect(page.locator("#material")).to_be_visible()
    expect(page.locator("#material .subject-summary")).not_to_be_empty()
    scoring = page.locator("#scoring")
    expect(scoring).to_be_visible()
    expect(page.locator("#other-scores")).to_have_count(0)  # not before submitting
    score_inputs = scoring.locator("input[name^=score_]")
    expect(score_inputs).to_have_count(len(criteria))
    shot(page, "33-review-scoring-form")

    values = [Decimal("8"), Decimal("7.5"), Decimal("7"), Decimal("8")]
    for criterion, value in zip(criteria, values, strict=True):
        field = scoring.locator(f"input[name=score_{criterion.pk}]")
        expect(field).to_be_enabled()
        assert Decimal(field.get_attribute("min")) == criterion.scale_min == 0
        assert Decimal(field.get_attribute("max")) == criterion.scale_max == 10
        field.fill(str(value))
        scoring.locator(f"textarea[name=reason_{criterion.pk}]").fill(f"{criterion.name_zh}：依据申报材料评分。")
    scoring.locator("textarea[name=comment]").fill("项目与产业方向契合，建议支持，注意分期建设的风险。")
    shot(page, "34-review-scores-filled")
    submit(page, "#scoring button[name=action][value=submit]")

    # Submitted and locked; the other expert's scores are visible now.
    assert path_of(page) == ASSIGNMENT_URL.format(mine.pk)
    expect(page.locator(".form-errors")).to_have_count(0)
    expect(page.locator("#assignment-state")).to_have_text(zh("Scorecard submitted"))
    assert_no_scoring(page)
    expect(page.locator("input[name^=score_]:enabled")).to_have_count(0)
    expected_total = sum(c.weight * v for c, v in zip(criteria, values, strict=True)) / sum(c.weight for c in criteria)
    expect(page.locator("#own-scorecard")).to_be_visible()
    expect(page.locator("#own-total")).to_have_text(f"{expected_total.quantize(Decimal('0.01'))}")
    others = page.locator("#other-scores tr.other-scorecard")
    expect(others).to_have_count(1)
    other.scorecard.refresh_from_db()
    expect(others.first.locator("td").last).to_have_text(str(other.scorecard.total))
    shot(page, "35-review-submitted-with-other-scores")

    # evaluator3: accept, declare a conflict, recused.
    log_out(page)
    page.goto(f"{base}/workspace/reviews/")
    log_in(page, "evaluator3")
    page.wait_for_url(re.compile(r"/workspace/reviews/$"))
    recusing_url = ASSIGNMENT_URL.format(recusing.pk)
    with page.expect_navigation():
        page.locator(f'a[href="{recusing_url}"]').click()
    assert path_of(page) == recusing_url
    assert_no_scoring(page)
    if page.locator("button[name=action][value=accept]").count():
        submit(page, "button[name=action][value=accept]")
    declaration = page.locator("#declaration")
    expect(declaration).to_be_visible()
    assert_no_scoring(page)
    expect(page.locator("#material")).to_have_count(0)
    declaration.locator("input[name=answer][value=conflict]").check()
    declaration.locator("select[name=kind]").select_option("employment")
    declaration.locator("textarea[name=text]").fill("本人近三年曾在申报单位的关联公司兼职担任法律顾问。")
    shot(page, "36-review-declare-conflict-evaluator3")
    submit(page, "#declaration button[name=action][value=declare]")

    # Back on the list; the round is no longer a link and its page answers 404.
    assert path_of(page) == "/workspace/reviews/", page.url
    assert_no_scoring(page)
    expect(page.locator(f'a[href="{recusing_url}"]')).to_have_count(0)
    # evaluator3 also sits on the fund's demo rounds: read the row of this round.
    row = page.locator("tr.assignment-row", has_text=ROUND_TITLE)
    expect(row.locator(".assignment-status")).to_have_text(zh("Recused"))
    shot(page, "37-review-recused-list")
    response = page.goto(f"{base}{recusing_url}")
    assert response.status == 404, response.status
    assert_no_scoring(page)
    shot(page, "38-review-recused-404")

    # The database agrees.
    mine.refresh_from_db()
    recusing.refresh_from_db()
    assert mine.state == AssignmentState.SUBMITTED
    assert mine.scorecard.submitted_at is not None
    assert {s.criterion_id: s.value for s in mine.scorecard.scores.all()} == {
        c.pk: v for c, v in zip(criteria, values, strict=True)
    }
    assert recusing.state == AssignmentState.RECUSED
    assert not Scorecard.objects.filter(assignment=recusing).exists()
    declarations = list(ConflictDeclaration.objects.filter(assignment=recusing))
    assert [(d.has_conflict, d.kind) for d in declarations] == [(True, "employment")]
    assert [d.has_conflict for d in ConflictDeclaration.objects.filter(assignment=mine)] == [False]


# --- 2. Vote ---------------------------------------------------------------------------------------------


def test_named_vote_through_htmx_ballot_box(page, demo_site, shot):
    from django.contrib.auth import get_user_model

    from councils.demo_engines import POLL_TITLE
    from portal.voting.models import Ballot, Choice, ElectorateEntry, Poll, PollState

    base = demo_site
    poll = Poll.objects.get(title=POLL_TITLE)
    assert poll.state == PollState.OPEN
    assert not poll.secret  # a named vote: one Ballot row per electorate entry
    member = get_user_model().objects.get(username="member_biomed")
    entry = ElectorateEntry.objects.get(poll=poll, user=member)
    assert not Ballot.objects.filter(entry=entry).exists()
    poll_path = f"/workspace/voting/{poll.uuid}/"

    # The dashboard lists the open vote, still to be cast.
    page.goto(f"{base}/workspace/")
    log_in(page, "member_biomed")
    page.wait_for_url(re.compile(r"/workspace/$"))
    # The "open votes" panel links the poll by its title (a notification may link it too, with more text).
    title_link = page.locator(f'a[href="{poll_path}"]').filter(has_text=re.compile(rf"^\s*{re.escape(POLL_TITLE)}\s*$"))
    poll_item = page.locator(".panel li").filter(has=title_link)
    expect(poll_item).to_have_count(1)
    expect(poll_item.locator(".tag:not(.tag--plain)")).to_have_count(1)  # "to vote", not "voted"
    poll_link = poll_item.locator(f'a[href="{poll_path}"]')
    shot(page, "40-vote-dashboard-open-vote")

    # The poll page with the ballot box.
    with page.expect_navigation():
        poll_link.click()
    assert path_of(page) == poll_path
    expect(page.locator("h1")).to_have_text(POLL_TITLE)
    box = page.locator(f"#ballot-{entry.pk}")
    expect(box.locator("form")).to_have_count(1)
    radios = box.locator("input[type=radio][name=choice]")
    expect(radios).to_have_count(3)
    assert sorted(radios.evaluate_all("els => els.map(e => e.value)")) == ["abstain", "no", "yes"]
    shot(page, "41-vote-poll-page")

    # Yes → the htmx swap replaces the ballot box in place.
    box.locator("input[name=choice][value=yes]").check()
    with page.expect_response(lambda r: r.url.endswith(f"{poll_path}ballot/") and r.request.method == "POST") as info:
        box.locator("button[type=submit]").click()
    response = info.value
    assert response.status == 200
    assert response.request.header_value("hx-request") == "true"
    box = page.locator(f"#ballot-{entry.pk}")
    yes = zh(Choice.YES.label)
    confirmation = zh("Your ballot has been cast: %(choice)s.", choice=yes)
    expect(box.locator(".message[role=status]")).to_have_text(confirmation)
    expect(box.locator("form")).to_have_count(0)
    expect(page.locator("input[name=choice]:enabled")).to_have_count(0)
    expect(page.locator(".form-errors")).to_have_count(0)
    # The turnout is swapped in out of band: member_nev's demo ballot and this one.
    expect(page.locator("#turnout p").first).to_contain_text(
        zh(
            "%(voted)s of %(electorate)s ballots cast; %(present)s members taking part in person or by proxy.",
            voted=2,
            electorate=4,
            present=4,
        )
    )
    assert path_of(page) == poll_path  # no full page load
    shot(page, "42-vote-ballot-cast")

    # Reloading offers no second ballot.
    page.reload()
    box = page.locator(f"#ballot-{entry.pk}")
    expect(box).to_be_visible()
    expect(box.locator("form")).to_have_count(0)
    expect(page.locator("input[name=choice]")).to_have_count(0)
    expect(box).to_contain_text(zh("Voted: %(choice)s.", choice=yes))
    shot(page, "43-vote-after-reload")

    # One named ballot, "yes", for member_biomed's entry.
    ballots = list(Ballot.objects.filter(entry=entry))
    assert [b.choice for b in ballots] == ["yes"]


# --- 3. Verify and download an opinion -------------------------------------------------------------------


def test_verify_download_and_compare_opinion(page, demo_site, shot):
    from portal.opinions.models import Opinion

    base = demo_site
    # The council's issued opinion (with the fund's demo seeded, its investment decisions are issued too).
    opinion = Opinion.objects.get(state="issued", number__startswith="坪生医共治")
    assert re.fullmatch(r"坪生医共治〔\d{4}〕1号", opinion.number), opinion.number
    assert opinion.is_public and len(opinion.sha256) == 64
    typed = opinion.formatted_code.lower()
    assert "-" in typed

    # Type the code the way people do.
    page.goto(f"{base}/verify/")
    code_input = page.locator("main form input[name=code]")
    expect(code_input).to_be_visible()
    code_input.fill(typed)
    shot(page, "44-verify-start")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert path_of(page) == f"/verify/{opinion.verification_code}/", page.url

    # Number, valid status, SHA-256.
    main = page.locator("main")
    expect(main).to_contain_text(opinion.number)
    expect(main).to_contain_text(opinion.title)
    expect(page.locator("p.message[role=status]").first).to_have_text(
        zh("This opinion is valid: it was issued on this portal and has not been revoked.")
    )
    expect(page.locator("code.hash")).to_have_text(opinion.sha256)
    expect(main.locator(".form-errors")).to_have_count(0)
    shot(page, "45-verify-valid")

    # Download the issued PDF (served inline, so fetch it with the page's request context).
    download = page.locator(f'a[href="/verify/{opinion.verification_code}/pdf/"]')
    expect(download).to_have_count(1)
    response = page.request.get(f"{base}{download.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    data = response.body()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == opinion.sha256

    # Compare: the intact copy matches.
    upload_form = page.locator('form[enctype="multipart/form-data"]')
    upload_form.locator("input[type=file][name=file]").set_input_files(
        {"name": "x.pdf", "mimeType": "application/pdf", "buffer": data}
    )
    with page.expect_navigation():
        upload_form.locator("button[type=submit]").click()
    assert path_of(page) == f"/verify/{opinion.verification_code}/"
    match = page.locator('form[enctype="multipart/form-data"] ~ p.message[role=status]')
    expect(match).to_have_text(zh("Your file is exactly the issued opinion."))
    expect(page.locator('form[enctype="multipart/form-data"] ~ p.form-errors')).to_have_count(0)
    shot(page, "46-verify-compare-match")

    # A tampered copy does not.
    upload_form = page.locator('form[enctype="multipart/form-data"]')
    upload_form.locator("input[type=file][name=file]").set_input_files(
        {"name": "x.pdf", "mimeType": "application/pdf", "buffer": data + b"\n% tampered\n"}
    )
    with page.expect_navigation():
        upload_form.locator("button[type=submit]").click()
    mismatch = page.locator('form[enctype="multipart/form-data"] ~ p.form-errors[role=alert]')
    expect(mismatch).to_have_text(
        zh("Your file differs from the issued opinion: it is not the original, or it was changed.")
    )
    expect(page.locator('form[enctype="multipart/form-data"] ~ p.message[role=status]')).to_have_count(0)
    shot(page, "47-verify-compare-mismatch")
