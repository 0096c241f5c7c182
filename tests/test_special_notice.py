"""Public notice (公示) of special-talent candidates and objections (issue 13, part C): the period's boundaries, the
public page (both languages, no identifier, gone after the period), the objection form (rate-limited, evidence
checked, double submits), the officers' investigation and resolution, filing blocked by an open objection, and an
upheld objection as the ground for rejection."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.applications.models import ApplicationState
from portal.notifications.models import Notification
from talent.jobs import notices_ended
from talent.models import Objection, ObjectionOutcome, ObjectionState, SpecialStage
from talent.services import filing, notices
from tests.special_notice_helpers import (
    evidence,
    investigated,
    lodge,
    objection_values,
    on_day,
    past_notice,
    resolved,
)
from tests.special_world import BIRTH_DATE, RESIDENT_ID, build_special_world, reload, special_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_special_world()


@pytest.fixture
def on_notice(world):
    return special_application(world, stage=SpecialStage.NOTICE)


def _url(name, language="zh-hans", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def _messages(error):
    return " ".join(str(message) for message in error.value.messages)


# --- the period -------------------------------------------------------------------------------------------------


def test_the_meeting_puts_the_candidate_on_notice_for_the_programmes_days_from_today(world, on_notice):
    today = timezone.localdate()
    assert on_notice.notice_starts_on == today
    assert on_notice.notice_ends_on == today + datetime.timedelta(days=world.programme.notice_days - 1)
    assert on_notice.is_on_public_notice


def test_objections_are_taken_from_the_first_day_to_the_last_day_and_not_a_day_outside(monkeypatch, on_notice):
    start, end = on_notice.notice_starts_on, on_notice.notice_ends_on

    on_day(monkeypatch, start - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        lodge(on_notice, grounds="前一天")
    assert _messages(error) == f"公示期自 {start.isoformat()} 开始，自该日起受理异议。"

    on_day(monkeypatch, start)
    lodge(on_notice, grounds="第一天")
    on_day(monkeypatch, end)
    lodge(on_notice, grounds="最后一天")

    on_day(monkeypatch, end + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        lodge(on_notice, grounds="后一天")
    with translation.override("en"):
        assert f"The public notice period ended on {end.isoformat()}" in _messages(error)
    assert sorted(Objection.objects.values_list("grounds", flat=True)) == sorted(["第一天", "最后一天"])


def test_after_the_period_the_public_form_says_when_it_ended_and_takes_nothing(client, monkeypatch, on_notice):
    end = on_notice.notice_ends_on
    on_day(monkeypatch, end + datetime.timedelta(days=1))
    url = _url("talent:notice_objection", pk=on_notice.pk)
    page = client.get(url).content.decode()
    assert end.isoformat() in page and "公示期已于" in page
    response = client.post(url, objection_values())
    assert response.status_code == 200
    assert end.isoformat() in response.content.decode()
    assert not Objection.objects.exists()
    english = client.post(_url("talent:notice_objection", "en", pk=on_notice.pk), objection_values())
    assert f"The public notice period ended on {end.isoformat()}" in english.content.decode()


def test_a_candidate_never_on_notice_has_no_public_objection_page(client, world):
    in_panel = special_application(world, stage=SpecialStage.PANEL)
    assert client.get(_url("talent:notice_objection", pk=in_panel.pk)).status_code == 404
    assert client.post(_url("talent:notice_objection", pk=in_panel.pk), objection_values()).status_code == 404
    with pytest.raises(ValidationError) as error:
        lodge(in_panel)
    assert "公示" in _messages(error)


# --- the public page --------------------------------------------------------------------------------------------


def _secrets(special):
    """What must never be on the public page: the ID number, its masked form, the birth date. The two digits the
    masked form shows are no needle alone: a page's random CSRF token holds any two digits now and then."""
    return [
        RESIDENT_ID,
        RESIDENT_ID[:17],
        special.masked_id_number,
        BIRTH_DATE,
        BIRTH_DATE.replace("-", ""),
        "1958年3月7日",
    ]


def test_the_public_page_lists_the_candidate_in_both_languages_without_identifiers(client, world, on_notice):
    in_panel = special_application(world, stage=SpecialStage.PANEL, name="王未公示")
    start, end = on_notice.notice_starts_on.isoformat(), on_notice.notice_ends_on.isoformat()
    chinese = client.get(_url("talent:notices")).content.decode()
    for expected in ("张工", world.organization.name, "生物药连续流生产工艺", "生物医药", start, end, "提出异议"):
        assert expected in chinese, expected
    english = client.get(_url("talent:notices", "en")).content.decode()
    for expected in ("Zhang Gong", "Biomedicine", start, end, "Lodge an objection", "Public notice of special talent"):
        assert expected in english, expected
    for page, language in ((chinese, "zh-hans"), (english, "en")):
        for secret in _secrets(on_notice):
            assert secret not in page, secret
        assert in_panel.candidate_name not in page
        # The list is kept for every visitor: each candidate links to the objection page, which holds the form.
        assert _url("talent:notice_objection", language, pk=on_notice.pk) in page
        assert "csrfmiddlewaretoken" not in page


def test_the_objection_page_holds_the_form_and_is_never_kept(client, on_notice):
    url = _url("talent:notice_objection", pk=on_notice.pk)
    for _visit in range(2):
        response = client.get(url)
        assert "X-Page-Cache" not in response
        page = response.content.decode()
        assert "csrfmiddlewaretoken" in page and 'enctype="multipart/form-data"' in page


def test_the_objection_page_shows_no_identifier_either(client, on_notice):
    page = client.get(_url("talent:notice_objection", pk=on_notice.pk)).content.decode()
    assert "张工" in page
    for secret in _secrets(on_notice):
        assert secret not in page, secret


def test_after_the_period_the_entry_leaves_the_public_page(client, monkeypatch, on_notice):
    on_day(monkeypatch, on_notice.notice_ends_on)
    assert "张工" in client.get(_url("talent:notices")).content.decode()
    on_day(monkeypatch, on_notice.notice_ends_on + datetime.timedelta(days=1))
    page = client.get(_url("talent:notices")).content.decode()
    assert "张工" not in page and "目前没有" in page


def test_the_public_page_asks_the_same_number_of_queries_for_one_candidate_or_three(client, settings, world, on_notice):
    settings.PAGE_CACHE_ENABLED = False  # a render's queries: the second visit would come from the page cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(_url("talent:notices"))  # what the site caches on its first page (the site, its settings)
    with CaptureQueriesContext(connection) as one:
        client.get(_url("talent:notices"))
    special_application(world, stage=SpecialStage.NOTICE, name="李工")
    special_application(world, stage=SpecialStage.NOTICE, name="赵工")
    with CaptureQueriesContext(connection) as three:
        page = client.get(_url("talent:notices")).content.decode()
    assert "李工" in page and "赵工" in page
    assert len(three) == len(one)


# --- lodging an objection ---------------------------------------------------------------------------------------


def test_anyone_lodges_an_objection_and_reads_a_thank_you_that_repeats_nothing(client, world, on_notice):
    before = Notification.objects.filter(recipient=world.officer).count()
    values = objection_values(name="独特的名字", grounds="独特的异议理由")
    response = client.post(_url("talent:notice_objection", pk=on_notice.pk), {**values, "evidence": evidence()})
    assert response.status_code == 302 and response["Location"] == _url("talent:notice_received")
    objection = Objection.objects.get()
    assert objection.application == on_notice and objection.state == ObjectionState.RECEIVED
    assert objection.evidence.name.endswith(".pdf") and objection.evidence.storage.exists(objection.evidence.name)
    thanks = client.get(response["Location"]).content.decode()
    assert "异议已收到" in thanks and "独特的名字" not in thanks and "独特的异议理由" not in thanks
    # The programme's officers are told, without the grounds or the candidate's identifiers.
    assert Notification.objects.filter(recipient=world.officer).count() == before + 1
    told = Notification.objects.filter(recipient=world.officer).latest("pk")
    assert "张工" in told.title and "异议" in told.title
    for text in (told.title, told.body):
        assert "独特的异议理由" not in text and RESIDENT_ID not in text
    entry = ModelLogEntry.objects.get(action="talent.lodge_objection")
    assert entry.data == {"objection": objection.pk, "evidence": True}


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"phone": "", "email": ""}, "phone", "电话"),
        ({"grounds": "   "}, "grounds", "异议理由"),
        ({"name": ""}, "name", "姓名"),
        ({"email": "not-an-email", "phone": ""}, "email", "电子邮件"),
        ({"phone": "call me maybe"}, "phone", "电话"),
    ],
)
def test_an_objection_without_contact_or_grounds_is_refused_with_a_message(on_notice, changes, field, expected):
    with pytest.raises(ValidationError) as error:
        lodge(on_notice, **changes)
    assert field in error.value.message_dict
    assert expected in " ".join(error.value.message_dict[field])
    assert not Objection.objects.exists()


def test_evidence_is_sniffed_and_a_disguised_file_is_refused(client, on_notice):
    response = client.post(
        _url("talent:notice_objection", pk=on_notice.pk),
        {**objection_values(), "evidence": evidence("evidence.pdf", b"MZ\x90\x00 not a pdf at all" * 10)},
    )
    assert response.status_code == 200
    assert "不接受" in response.content.decode() or "类型" in response.content.decode()
    assert not Objection.objects.exists()


def test_the_same_objection_sent_twice_is_received_once(client, on_notice):
    url = _url("talent:notice_objection", pk=on_notice.pk)
    assert client.post(url, objection_values()).status_code == 302
    again = client.post(url, objection_values())
    assert again.status_code == 200 and "已经收到" in again.content.decode()
    assert Objection.objects.count() == 1


def test_objections_are_rate_limited_per_address_with_a_message(client, on_notice, one_rate_window):
    url = _url("talent:notice_objection", pk=on_notice.pk)
    for number in range(5):
        assert client.post(url, objection_values(grounds=f"理由{number}")).status_code == 302
    limited = client.post(url, objection_values(grounds="第六条"))
    assert limited.status_code == 429
    assert "太多" in limited.content.decode()
    assert Objection.objects.count() == 5
    # Reading the page is not limited.
    assert client.get(url).status_code == 200


def test_the_form_is_csrf_protected(on_notice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(_url("talent:notice_objection", pk=on_notice.pk), objection_values())
    assert response.status_code == 403
    assert not Objection.objects.exists()


# --- investigating and resolving --------------------------------------------------------------------------------


def test_an_officer_investigates_then_resolves_once(world, on_notice):
    objection = investigated(world, lodge(on_notice))
    assert objection.state == ObjectionState.INVESTIGATING
    with translation.override("en"), pytest.raises(ValidationError) as error:
        notices.investigate(actor=world.officer, objection=objection, investigation="再次")
    with translation.override("en"):
        expected = "The investigation of this objection is already recorded; it is now: Under investigation."
        assert _messages(error) == expected
    with pytest.raises(ValidationError) as error:
        notices.resolve(actor=world.officer, objection=objection, outcome=ObjectionOutcome.DISMISSED, resolution=" ")
    assert "resolution" in error.value.message_dict
    objection = notices.resolve(
        actor=world.officer, objection=objection, outcome=ObjectionOutcome.DISMISSED, resolution="不成立。"
    )
    assert objection.is_resolved and objection.resolved_by == world.officer and objection.resolved_at
    with pytest.raises(ValidationError) as error:
        notices.resolve(actor=world.officer, objection=objection, outcome=ObjectionOutcome.UPHELD, resolution="改判")
    assert "已于" in _messages(error)
    assert Objection.objects.get().outcome == ObjectionOutcome.DISMISSED


def test_an_objection_is_resolved_only_after_it_was_investigated(world, on_notice):
    objection = lodge(on_notice)
    with pytest.raises(ValidationError) as error:
        notices.resolve(actor=world.officer, objection=objection, outcome=ObjectionOutcome.UPHELD, resolution="成立")
    assert "先记录" in _messages(error)
    with pytest.raises(ValidationError) as error:
        notices.investigate(actor=world.officer, objection=objection, investigation="")
    assert "investigation" in error.value.message_dict
    assert Objection.objects.get().state == ObjectionState.RECEIVED


@pytest.mark.parametrize("who", ["other_officer", "reviewer", "employer", "director"])
def test_only_the_programmes_officers_handle_objections(world, on_notice, who):
    objection = lodge(on_notice)
    with pytest.raises(PermissionDenied):
        notices.investigate(actor=getattr(world, who), objection=objection, investigation="查")
    investigated(world, objection)
    with pytest.raises(PermissionDenied):
        notices.resolve(
            actor=getattr(world, who), objection=objection, outcome=ObjectionOutcome.UPHELD, resolution="成立"
        )
    assert Objection.objects.get().state == ObjectionState.INVESTIGATING


def test_the_officers_forms_record_the_investigation_and_resolution(client, world, on_notice):
    objection = lodge(on_notice)
    client.force_login(world.officer)
    url = _url("talent:objection_investigate", pk=objection.pk)
    assert objection.grounds in client.get(url).content.decode()  # what the officer answers, above the form
    empty = client.post(url, {"investigation": ""})
    assert empty.status_code == 200 and "调查" in empty.content.decode()
    assert client.post(url, {"investigation": "已核实"}).status_code == 302
    resolve_url = _url("talent:objection_resolve", pk=objection.pk)
    assert client.post(resolve_url, {"outcome": "upheld", "resolution": "成立"}).status_code == 302
    objection.refresh_from_db()
    assert (objection.state, objection.outcome, objection.investigation) == ("resolved", "upheld", "已核实")


def test_the_evidence_is_downloaded_by_the_officers_only_and_each_read_is_audited(client, world, on_notice):
    objection = notices.lodge_objection(special=on_notice, **objection_values(), evidence=evidence())
    url = _url("talent:objection_evidence", pk=objection.pk)
    for who in (world.other_officer, world.reviewer, world.employer, world.director):
        client.force_login(who)
        assert client.get(url).status_code == 404
    client.force_login(world.officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = ModelLogEntry.objects.get(action="talent.download_objection_evidence")
    assert entry.user == world.officer and entry.data == {"objection": objection.pk}


# --- filing blocked, rejection allowed --------------------------------------------------------------------------


def test_an_open_objection_blocks_filing_with_a_message_that_says_so(world, on_notice):
    objection = lodge(on_notice)
    special = past_notice(on_notice)
    with pytest.raises(ValidationError) as error:
        notices.send_to_filing(actor=world.officer, special=special)
    with translation.override("en"):
        assert _messages(error) == "An objection is still open: record how it was resolved first."
    assert reload(special).stage == SpecialStage.NOTICE and reload(special).filing_form_id is None
    investigated(world, objection)
    with pytest.raises(ValidationError):
        notices.send_to_filing(actor=world.officer, special=reload(special))
    resolved_objection = notices.resolve(
        actor=world.officer, objection=objection, outcome=ObjectionOutcome.DISMISSED, resolution="不成立"
    )
    assert resolved_objection.is_resolved
    special = notices.send_to_filing(actor=world.officer, special=reload(special))
    assert special.stage == SpecialStage.FILING and special.filing_form_id


def test_filing_waits_for_the_end_of_the_period(world, on_notice):
    with pytest.raises(ValidationError) as error:
        notices.send_to_filing(actor=world.officer, special=on_notice)
    with translation.override("en"):
        assert "The public notice period has not ended yet." in _messages(error)
    assert reload(on_notice).stage == SpecialStage.NOTICE


def test_the_office_button_to_filing_shows_the_open_objection_message(client, world, on_notice):
    lodge(on_notice)
    special = past_notice(on_notice)
    client.force_login(world.officer)
    response = client.post(_url("talent:special_to_filing", "en", pk=special.pk), follow=True)
    assert "An objection is still open: record how it was resolved first." in response.content.decode()
    assert reload(special).stage == SpecialStage.NOTICE


def test_an_upheld_objection_lets_the_officers_reject_and_a_dismissed_one_does_not(world, on_notice):
    other = special_application(world, stage=SpecialStage.NOTICE, name="李工")
    resolved(world, lodge(other), ObjectionOutcome.DISMISSED)
    with pytest.raises(ValidationError) as error:
        filing.decide(actor=world.officer, special=reload(other), decision="reject", reason="异议")
    with translation.override("en"):
        assert "Rejection needs a ground" in _messages(error)
    assert reload(other).stage == SpecialStage.NOTICE

    resolved(world, lodge(on_notice), ObjectionOutcome.UPHELD)
    special = filing.decide(actor=world.officer, special=reload(on_notice), decision="reject", reason="异议成立。")
    assert special.stage == SpecialStage.REJECTED and special.decision_reason == "异议成立。"
    application = reload(special).application
    assert (application.status, application.state) == ("rejected", ApplicationState.CLOSED)
    # Off the public page at once.
    assert not special.is_on_public_notice


def test_nothing_of_the_objection_stage_writes_the_id_number_anywhere(world, on_notice):
    objection = notices.lodge_objection(special=on_notice, **objection_values(), evidence=evidence())
    resolved(world, objection)
    special = notices.send_to_filing(actor=world.officer, special=past_notice(on_notice))
    for entry in ModelLogEntry.objects.all():
        assert RESIDENT_ID not in str(entry.data) and BIRTH_DATE not in str(entry.data), entry.action
    for told in Notification.objects.all():
        assert RESIDENT_ID not in f"{told.title} {told.body}"
    assert RESIDENT_ID not in special.filing_form.body and BIRTH_DATE not in special.filing_form.body


def test_the_special_talent_programmes_page_leads_to_the_public_notice(client, world):
    page = client.get(_url("talent:programme", programme=world.programme.slug)).content.decode()
    assert _url("talent:notices") in page and "特殊人才公示" in page


def test_the_morning_after_the_notice_ends_the_officers_hear_what_is_left(world, on_notice):
    lodge(on_notice)
    day_after = on_notice.notice_ends_on + datetime.timedelta(days=1)
    assert notices.announce_ended_notices(on_notice.notice_ends_on) == []  # still running that day
    slot = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time(0, 10)))
    assert notices_ended(slot) == "1 ended notice(s) announced"
    told = Notification.objects.get(title__startswith="公示期结束")
    assert told.recipient == world.officer and told.url == on_notice.get_absolute_url()
    assert "1" in told.body and "异议" in told.body
