"""Privacy of special-talent candidates (issue 13): the full ID or passport number and the date of birth never reach
anyone but the officers who reveal them, audited.

One world holds applications in every stage (tests/special_world.py): waiting for pre-review, returned for supplement,
declined, withdrawn, with the expert panel (a passport holder; experts with assignments, one scored), before a talent
work meeting in session (members with a vote to cast; the panel's opinion issued), on public notice with an objection
under investigation, at filing, approved (the filing form issued) and rejected by the meeting. Every build step runs
through the services, with SQL and every logger captured at DEBUG and the mail the commits send.

Then each kind of person crawls what they can reach — every link, htmx partial, export and download from their
dashboard, the office's lists, the public notice page and each application's URLs, in Chinese and English — and no
response (HTML, PDF text, workbook cells) may hold a needle: the numbers, the ID's run of digits and the date of birth
in the ways it is written. The same holds for the database at rest (every table, raw SQL), the audit log, the history
lines, the notifications, the mail and the logs. The employer's own application pages are the one exception: the
engine shows the employer what it typed (portal/applications/views/workspace.py); they are checked apart.
"""

import datetime
import html
import io
import json
import logging
import re
from collections import deque
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.applications import services as applications
from portal.history.models import Event
from portal.notifications.models import Notification
from portal.reviews import testing as review_testing
from talent.models import SpecialStage
from tests.special_world import (
    BIRTH_DATE,
    RESIDENT_ID,
    build_special_world,
    reload,
    reload_item,
    special_application,
)

PASSPORT = "PE7654321"
PASSPORT_BIRTH = "1961-11-23"
PASSWORD_FREE = ("/accounts/logout", "/admin", "/django-admin", "/static/", "/__")
CRAWLED = ("/workspace", "/talent", "/apply", "/verify", "/en/workspace", "/en/talent", "/en/apply", "/en/verify")
PAGE_LIMIT = 400


def date_forms(iso):
    day = datetime.date.fromisoformat(iso)
    return [
        iso,
        day.strftime("%Y%m%d"),
        day.strftime("%Y/%m/%d"),
        day.strftime("%d/%m/%Y"),
        day.strftime("%m/%d/%Y"),
        day.strftime("%Y.%m.%d"),
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}年{day.month:02d}月{day.day:02d}日",
        f"{day:%B} {day.day}, {day.year}",
        f"{day:%b}. {day.day}, {day.year}",
        f"{day.day} {day:%B} {day.year}",
    ]


NEEDLES = [
    RESIDENT_ID,
    RESIDENT_ID[:17],
    RESIDENT_ID[6:14],
    PASSPORT,
    *date_forms(BIRTH_DATE),
    *date_forms(PASSPORT_BIRTH),
]


def leaks(text) -> list:
    """The needles found in ``text``, also with its white space taken out (a number printed in groups)."""
    if not text:
        return []
    squeezed = re.sub(r"\s+", "", text)
    return [needle for needle in NEEDLES if needle in text or needle.replace(" ", "") in squeezed]


# --- the world ----------------------------------------------------------------------------------------------------


class Collected(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines = []

    def emit(self, record):
        try:
            self.lines.append(f"{record.name} {record.getMessage()} {record.args!r}")
        except Exception:  # noqa: BLE001  (a record that cannot be formatted is kept as its template)
            self.lines.append(f"{record.name} {record.msg!r} {record.args!r}")


LOGGERS = ("", "django", "django.db.backends", "django.request", "django.template", "portal", "talent", "axes")


class all_logs:  # noqa: N801  (a context manager named for what it does)
    """Every logger at DEBUG into ``handler``, SQL with its parameters included."""

    def __init__(self, handler):
        self.handler = handler

    def __enter__(self):
        self.levels = {name: logging.getLogger(name).level for name in LOGGERS}
        for name in LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)
        # The console keeps printing warnings only; the collector takes everything.
        self.handler_levels = {handler: handler.level for handler in logging.getLogger().handlers}
        for handler in self.handler_levels:
            handler.setLevel(max(handler.level, logging.WARNING))
        logging.getLogger().addHandler(self.handler)
        self.debug_cursor = connection.force_debug_cursor
        connection.force_debug_cursor = True
        return self.handler

    def __exit__(self, *exc):
        connection.force_debug_cursor = self.debug_cursor
        logging.getLogger().removeHandler(self.handler)
        for handler, level in self.handler_levels.items():
            handler.setLevel(level)
        for name, level in self.levels.items():
            logging.getLogger(name).setLevel(level)


def open_panel(world, special):
    """A panel round exposing all the application's material, the three experts cleared to score; one has scored."""
    from portal.applications.material import application_material
    from talent.services import panel

    review_round = panel.start_panel(
        actor=world.officer,
        special=special,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        keys=[item.key for item in application_material(special.application)],
    )
    assignments = [review_testing.cleared_assignment(world.officer, review_round, expert) for expert in world.experts]
    review_testing.submit(assignments[0], 8, 9, 8, 7)
    return review_round


def issue(world, opinion):
    from portal.opinions import services as opinions

    opinions.sign_off(actor=world.director, opinion=opinion, approve=True)
    opinions.issue_now(opinion_id=opinion.pk, actor_id=world.officer.pk)
    return type(opinion).objects.get(pk=opinion.pk)


def meeting_in_session(world, special):
    from talent.services import deliberations

    meeting = deliberations.convene(
        actor=world.officer,
        programme=world.programme,
        title="2026年第五次区人才工作会议",
        starts_at=timezone.now(),
        members=world.members,
    )
    item = deliberations.add_item(actor=world.officer, deliberation=meeting, special=special)
    deliberations.record_attendance(actor=world.officer, deliberation=meeting, present=world.members)
    deliberations.open_session(actor=world.officer, deliberation=meeting)
    return meeting, reload_item(item)  # the members have still to vote


def build():
    from talent.services import notices, panel

    world = build_special_world()
    app = SimpleNamespace()
    app.pre_review = special_application(world, name="钱待审")
    app.supplement = special_application(world, name="刘补正")
    applications.request_supplement(
        actor=world.reviewer,
        application=app.supplement.application,
        message="请补充推荐信原件扫描件。",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        sections=("candidate",),
    )
    app.declined = special_application(world, SpecialStage.DECLINED, name="赵婉拒")
    app.withdrawn = special_application(world, SpecialStage.WITHDRAWN, name="孙撤回")
    app.panel = special_application(
        world, SpecialStage.PANEL, name="Maria Rossi", id_kind="passport", id_number=PASSPORT, birth_date=PASSPORT_BIRTH
    )
    world.panel_round = open_panel(world, reload(app.panel))
    app.deliberation = special_application(world, SpecialStage.DELIBERATION, name="周待议")
    opinion = panel.draft_panel_opinion(
        actor=world.officer,
        special=reload(app.deliberation),
        conclusion="专家组同意推荐。",
        conclusion_en="Recommended.",
    )
    world.panel_opinion = issue(world, opinion)
    world.meeting, world.item = meeting_in_session(world, reload(app.deliberation))
    app.notice = special_application(world, SpecialStage.NOTICE, name="吴公示")
    world.objection = notices.lodge_objection(
        special=reload(app.notice), name="匿名群众", phone="13800138000", email="", grounds="其业绩材料存疑。"
    )
    notices.investigate(actor=world.officer, objection=world.objection, investigation="已向用人单位核实。")
    app.filing = special_application(world, SpecialStage.FILING, name="郑备案")
    app.approved = special_application(world, SpecialStage.APPROVED, name="王批准")
    if reload(app.approved).filing_form_id:
        world.filing_form = issue(world, reload(app.approved).filing_form)
    app.rejected = special_application(world, SpecialStage.REJECTED, name="陈否决")
    world.app = app
    world.specials = [reload(special) for special in vars(app).values()]
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    handler = Collected()
    with django_db_blocker.unblock(), transaction.atomic():
        mail.outbox = []
        # The notifications' mail goes out when the services' transactions commit.
        with all_logs(handler), TestCase.captureOnCommitCallbacks(execute=True):
            built = build()
        built.mails = list(mail.outbox)
        built.logs = handler
        yield built
        transaction.set_rollback(True)


# --- crawling -----------------------------------------------------------------------------------------------------

LINK = re.compile(r"""(?:href|hx-get|hx-post|action|src|data-url)\s*=\s*["']([^"']+)["']""")


def text_of(response) -> tuple[str, str]:
    """(kind, text) of a response: HTML as served, a PDF's extracted text, a workbook's cells, anything else decoded."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "").split(";")[0]
    if kind == "application/pdf" or body.startswith(b"%PDF"):
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            return "pdf", "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
        except PdfReadError:  # the tests' minimal attachments: their bytes are their text
            return "pdf", body.decode("latin-1")
    if "spreadsheetml" in kind or body.startswith(b"PK"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        cells = [str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
        return "xlsx", "\n".join(cells)
    return kind, html.unescape(body.decode("utf-8", errors="replace"))


def links(url, text) -> list:
    found = []
    for link in LINK.findall(text):
        link = html.unescape(link)
        if link.startswith(("mailto:", "javascript:", "#", "tel:")):
            continue
        parts = urlsplit(urljoin(url, link))
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.startswith(CRAWLED) and not parts.path.startswith(PASSWORD_FREE):
            found.append(path)
    return found


def crawl(user, seeds, *, exempt=()) -> dict:
    """Every URL reachable from ``seeds`` by GET as ``user`` (None: anonymous): {url: (status, kind, text)}. URLs
    matching one of ``exempt`` (regular expressions) are followed but their text is kept apart, under ``exempt``."""
    client = Client()
    if user is not None:
        client.force_login(user)
    seen, pages, kept_apart = set(), {}, {}
    queue = deque(seeds)
    while queue and len(seen) < PAGE_LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.extend(links(url, f'href="{response["Location"]}"'))
            continue
        kind, text = text_of(response)
        target = kept_apart if any(re.search(pattern, url) for pattern in exempt) else pages
        target[url] = (response.status_code, kind, text)
        if kind == "text/html":
            queue.extend(links(url, text))
    return {"pages": pages, "exempt": kept_apart}


def urls_of(special) -> list:
    """Every URL of one application, with its documents: what a person might type or be sent."""
    names = [
        ("talent:special_application", special.pk),
        ("talent:special_filing_form", special.pk),
        ("talent:special_panel_opinion", special.pk),
        ("applications:detail", special.application_id),
    ]
    return [reverse(name, args=[pk]) for name, pk in names]


def seeds(world, *extra) -> list:
    common = [
        reverse("workspace:dashboard"),
        reverse("notifications:list"),
        reverse("applications:list"),
        reverse("talent:special_applications"),
        reverse("talent:notices"),
        reverse("reviews:list"),
        reverse("opinions:list"),
        reverse("talent:deliberations", args=[world.programme.slug]),
        reverse("talent:special_reports", args=[world.programme.slug]),
        reverse("talent:special_reports_export", args=[world.programme.slug]),
        reverse("talent:deliberation", args=[world.meeting.pk]),
        *[url for special in world.specials for url in urls_of(special)],
        *extra,
    ]
    return common + ["/en" + url for url in common]


def assert_no_leak(result, who):
    found = {url: leaks(text) for url, (_status, _kind, text) in result["pages"].items()}
    found = {url: needles for url, needles in found.items() if needles}
    assert not found, f"{who} reads a candidate's identifiers at {found}"


# --- the scans, person by person --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_employer_reads_no_identifier_outside_the_draft_it_edits(world):
    own_drafts = [r"^(/en)?/apply/\d+/"]
    result = crawl(world.employer, seeds(world), exempt=own_drafts)
    assert len(result["pages"]) > 20
    # Its sent applications' pages mask them too: only the draft it edits shows what it typed.
    own = [reverse("applications:detail", args=[special.application_id]) for special in world.specials]
    assert set(own) <= set(result["pages"])
    assert_no_leak(result, "the employer")


@pytest.mark.django_db
def test_the_sector_reviewer_reads_masked_identifiers_only(world):
    result = crawl(world.reviewer, seeds(world))
    reached = [url for url, (status, _kind, _text) in result["pages"].items() if status == 200]
    assert reverse("talent:special_application", args=[world.app.pre_review.pk]) in reached
    assert reverse("applications:detail", args=[world.app.pre_review.application_id]) in reached
    assert_no_leak(result, "the sector's pre-reviewer")


@pytest.mark.django_db
def test_an_expert_with_an_assignment_reads_no_identifier(world):
    assignments = world.panel_round.assignments.all()
    extra = [reverse("reviews:assignment", args=[assignment.pk]) for assignment in assignments]
    for expert in world.experts:
        result = crawl(expert.user, seeds(world, *extra))
        reached = [url for url, (status, _kind, _text) in result["pages"].items() if status == 200]
        material = reverse("reviews:material", args=[0]).replace("/0/", "/")
        assert any(url.startswith(material) for url in reached), "the expert reads the exposed material"
        assert_no_leak(result, f"the expert {expert}")


@pytest.mark.django_db
def test_a_member_of_the_talent_work_meeting_reads_no_identifier(world):
    result = crawl(world.members[0], seeds(world, reverse("voting:detail", args=[world.item.poll.uuid])))
    reached = [url for url, (status, _kind, _text) in result["pages"].items() if status == 200]
    assert reverse("voting:detail", args=[world.item.poll.uuid]) in reached
    assert_no_leak(result, "a member of the meeting")


@pytest.mark.django_db
def test_an_officer_of_another_programme_reads_no_identifier(world):
    extra = [reverse("talent:special_reports", args=[world.other_programme.slug])]
    result = crawl(world.other_officer, seeds(world, *extra))
    assert_no_leak(result, "another programme's officer")


@pytest.mark.django_db
def test_the_public_reads_no_identifier_on_the_notice_page_or_the_verification_pages(world):
    codes = [world.panel_opinion.verification_code]
    if getattr(world, "filing_form", None) is not None:
        codes.append(world.filing_form.verification_code)
    verify = [f"/verify/{code}/" for code in codes]
    notice = reverse("talent:notice_objection", args=[world.app.notice.pk])
    result = crawl(None, [reverse("talent:notices"), "/en" + reverse("talent:notices"), notice, *verify, *seeds(world)])
    status, _kind, text = result["pages"][reverse("talent:notices")]
    assert status == 200 and "吴公示" in text  # the candidate on notice is listed …
    assert_no_leak(result, "the public")  # … without a number or a birth date


@pytest.mark.django_db
def test_the_officers_lists_pages_exports_and_documents_hold_no_full_identifier_until_revealed(world):
    result = crawl(world.officer, seeds(world, reverse("opinions:pdf", args=[world.panel_opinion.pk])))
    kinds = {kind for _status, kind, _text in result["pages"].values()}
    assert {"text/html", "pdf", "xlsx"} <= kinds, kinds  # pages, the issued opinions and the reports' workbook
    page = result["pages"][reverse("talent:special_application", args=[world.app.filing.pk])][2]
    assert world.app.filing.masked_id_number in page  # what the officer sees until they reveal it
    assert_no_leak(result, "the officer (without revealing)")


# --- at rest and in the records ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_table_holds_an_identifier_in_plain_text(world):
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"select * from {connection.ops.quote_name(table)}")  # noqa: S608  (names from the database)
            rows = "\n".join(repr(row) for row in cursor.fetchall())
            if leaks(rows):
                found[table] = leaks(rows)
    assert not found, f"identifiers in plain text at rest: {found}"
    with connection.cursor() as cursor:
        cursor.execute("select id_number, birth_date from talent_specialtalentapplication")
        assert all(value.startswith("enc:") for row in cursor.fetchall() for value in row)


@pytest.mark.django_db
def test_the_audit_log_the_history_and_the_notifications_name_no_identifier(world):
    entries = [
        f"{entry.action} {entry.label} {json.dumps(entry.data, ensure_ascii=False, default=str)}"
        for entry in ModelLogEntry.objects.all()
    ]
    lines = [f"{event.summary} {event.url}" for event in Event.objects.all()]
    notes = [f"{note.title} {note.body} {note.url}" for note in Notification.objects.all()]
    assert len(entries) > 30 and len(lines) > 10 and len(notes) > 5
    for kind, texts in (("audit log", entries), ("history", lines), ("notifications", notes)):
        assert not [text for text in texts if leaks(text)], kind


@pytest.mark.django_db
def test_the_mail_sent_names_no_identifier(world):
    assert world.mails, "the build sends mail when its transactions commit"
    for message in world.mails:
        bodies = [
            message.subject,
            message.body,
            *[str(content) for content, _type in getattr(message, "alternatives", [])],
        ]
        assert not leaks("\n".join(bodies)), message.subject


@pytest.mark.django_db
def test_the_logs_at_debug_name_no_identifier(world):
    assert any("talent_specialtalentapplication" in line for line in world.logs.lines)  # SQL was captured
    handler = Collected()
    with all_logs(handler):
        crawl(world.officer, seeds(world)[:12])
        crawl(None, [reverse("talent:notices")])
    found = [line for line in [*world.logs.lines, *handler.lines] if leaks(line)]
    assert not found, found[:3]


# --- the officers' reveal ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_officers_reveal_shows_the_values_once_and_is_audited_without_them(world):
    special = world.app.filing
    url = reverse("talent:special_reveal", args=[special.pk])
    before = ModelLogEntry.objects.filter(action="talent.reveal_identity").count()
    client = Client()
    client.force_login(world.officer)
    response = client.post(url)
    assert response.status_code == 200
    assert RESIDENT_ID in response.content.decode()
    assert "no-store" in response.get("Cache-Control", "")
    entries = ModelLogEntry.objects.filter(action="talent.reveal_identity").order_by("-pk")
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry.user_id == world.officer.pk and entry.object_id == str(special.pk)
    assert not leaks(json.dumps(entry.data, ensure_ascii=False)) and not leaks(entry.label)
    client.post(url)
    assert entries.count() == before + 2  # one entry per reveal


@pytest.mark.django_db
def test_nobody_else_may_reveal(world):
    special = world.app.filing
    before = ModelLogEntry.objects.filter(action__in=["talent.reveal_identity", "applications.reveal_private"]).count()
    for user in (world.employer, world.reviewer, world.other_officer, world.members[0], world.experts[0].user, None):
        client = Client()
        if user is not None:
            client.force_login(user)
        for url in (
            reverse("talent:special_reveal", args=[special.pk]),
            reverse("applications:reveal", args=[special.application_id]),
        ):
            response = client.post(url)
            assert response.status_code in (302, 404), (user, url)
            assert not leaks(response.content.decode())
    after = ModelLogEntry.objects.filter(action__in=["talent.reveal_identity", "applications.reveal_private"]).count()
    assert after == before


@pytest.mark.django_db
def test_the_engines_reveal_for_the_officer_is_audited_too(world):
    special = world.app.notice
    client = Client()
    client.force_login(world.officer)
    response = client.post(reverse("applications:reveal", args=[special.application_id]))
    assert response.status_code == 200 and RESIDENT_ID in response.content.decode()
    entry = ModelLogEntry.objects.filter(action="applications.reveal_private").order_by("-pk").first()
    assert entry is not None and entry.user_id == world.officer.pk
    assert not leaks(json.dumps(entry.data, ensure_ascii=False))
