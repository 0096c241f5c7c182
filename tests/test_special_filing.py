"""Filing with the city (备案) and the decision on a special-talent application (issue 13, part C): the filing form
drafted when the application goes to filing, signed, issued and downloaded (officers and employer only; the ID
number masked in the PDF, never in full, no birth date), the filing record's validation, approve and reject, double
submits and wrong states, and the office's forms."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from portal.applications.models import ApplicationState
from portal.opinions import services as opinion_services
from portal.opinions.models import OpinionState
from talent.models import ObjectionOutcome, SpecialStage
from talent.services import filing, notices
from tests.special_notice_helpers import in_filing, issue_filing_form, lodge, past_notice, resolved
from tests.special_world import BIRTH_DATE, RESIDENT_ID, build_special_world, reload, special_application

pytestmark = pytest.mark.django_db

NUMBER = "深人社特备〔2026〕0031号"


@pytest.fixture
def world():
    return build_special_world()


@pytest.fixture
def filed(world):
    """An application in filing (its notice ended yesterday) whose filing is recorded today."""
    special = in_filing(world)
    return filing.record_filing(
        actor=world.officer,
        special=special,
        filing_number=NUMBER,
        filed_on=timezone.localdate(),
    )


def _url(name, language="zh-hans", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def _messages(error):
    return " ".join(str(message) for message in error.value.messages)


# --- the filing form --------------------------------------------------------------------------------------------


def test_sending_to_filing_drafts_the_filing_form_for_the_director_with_the_id_masked(world):
    special = special_application(world, stage=SpecialStage.NOTICE)
    resolved(world, lodge(special), ObjectionOutcome.DISMISSED)
    special = notices.send_to_filing(actor=world.officer, special=past_notice(special))
    assert special.stage == SpecialStage.FILING
    form = special.filing_form
    assert form.state == OpinionState.IN_REVIEW
    assert list(form.sign_offs.values_list("user", flat=True)) == [world.director.pk]
    assert form.issuer_id == type(world.programme).objects.get(pk=world.programme.pk).issuer_id
    assert form.subject == special
    body = form.body
    for expected in (
        "特殊人才认定备案表",
        "Special-talent filing form",
        "张工",
        world.organization.name,
        "生物药连续流生产工艺",
        special.masked_id_number,
        "Over the age limit",
        special.notice_starts_on.isoformat(),
        special.notice_ends_on.isoformat(),
        "收到异议 1 件，均已处理",
        "1 objection received, resolved",
    ):
        assert expected in form.title + body, expected
    assert RESIDENT_ID not in body and BIRTH_DATE not in body and BIRTH_DATE.replace("-", "") not in body
    assert ModelLogEntry.objects.filter(action="talent.draft_filing_form", object_id=str(special.pk)).exists()


def test_without_a_director_nothing_moves_and_the_officer_is_told_why(world):
    special = past_notice(special_application(world, stage=SpecialStage.NOTICE))
    world.programme.director = None
    world.programme.save(update_fields=["director"])
    with translation.override("en"), pytest.raises(ValidationError) as error:
        notices.send_to_filing(actor=world.officer, special=special)
    with translation.override("en"):
        assert "no director to sign its filing forms" in _messages(error)
    special = reload(special)
    assert special.stage == SpecialStage.NOTICE and special.filing_form_id is None


@pytest.mark.parametrize("who", ["other_officer", "reviewer", "employer", "director"])
def test_only_the_programmes_officers_send_to_filing(world, who):
    special = past_notice(special_application(world, stage=SpecialStage.NOTICE))
    with pytest.raises(PermissionDenied):
        notices.send_to_filing(actor=getattr(world, who), special=special)
    assert reload(special).stage == SpecialStage.NOTICE


def test_the_issued_filing_form_pdf_shows_the_masked_id_never_the_full_one(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    special = in_filing(world)
    opinion_services.sign_off(actor=world.director, opinion=special.filing_form, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        opinion_services.request_issue(actor=world.officer, opinion=special.filing_form)
    form = reload(special).filing_form
    assert form.state == OpinionState.ISSUED, form.render_error
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(form.pdf.read())).pages)
    squeezed = "".join(text.split())
    shown = special.masked_id_number.lstrip("•")  # the characters the mask leaves (the last few)
    assert shown and len(shown) < len(RESIDENT_ID) // 2
    for expected in (form.number, "特殊人才认定备案表", "张工", special.application.reference, shown, "Procedure"):
        assert expected in squeezed, expected
    for secret in (RESIDENT_ID, BIRTH_DATE, BIRTH_DATE.replace("-", ""), RESIDENT_ID[:14]):
        assert secret not in squeezed, secret


def test_the_filing_form_is_downloaded_by_the_officers_and_the_employer_only_each_read_audited(client, world):
    special = in_filing(world)
    url = _url("talent:special_filing_form", pk=special.pk)
    client.force_login(world.officer)
    assert client.get(url).status_code == 404  # not issued yet
    special = issue_filing_form(world, special)
    for who in (world.officer, world.employer):
        client.force_login(who)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        entry = ModelLogEntry.objects.filter(action="opinions.download", user=who).latest("pk")
        assert entry.object_id == str(special.filing_form_id)
    for who in (world.other_employer, world.other_officer, world.reviewer, world.director, world.outsider):
        client.force_login(who)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_employer_finds_the_issued_filing_form_on_its_application(client, world):
    special = issue_filing_form(world, in_filing(world))
    client.force_login(world.employer)
    page = client.get(special.application.get_absolute_url()).content.decode()
    assert _url("talent:special_filing_form", pk=special.pk) in page


# --- the filing record ------------------------------------------------------------------------------------------


def test_the_filing_is_recorded_once_with_its_number_and_date(world):
    special = in_filing(world)
    today = timezone.localdate()
    special = filing.record_filing(actor=world.officer, special=special, filing_number=f"  {NUMBER} ", filed_on=today)
    assert (special.filing_number, special.filed_on) == (NUMBER, today)
    entry = ModelLogEntry.objects.get(action="talent.record_filing")
    assert entry.data == {"filing_number": NUMBER, "filed_on": today.isoformat()}
    for number in ("深人社特备〔2026〕0099号", NUMBER):  # another number, or the same form sent twice
        with pytest.raises(ValidationError) as error:
            filing.record_filing(actor=world.officer, special=reload(special), filing_number=number, filed_on=today)
        assert f"备案已于 {today.isoformat()} 登记，备案号 {NUMBER}，不能更改" in _messages(error)
    assert reload(special).filing_number == NUMBER


@pytest.mark.parametrize(
    ("number", "days_ago", "field", "expected"),
    [
        ("", 1, "filing_number", "请填写市人力资源和社会保障局给出的备案号"),
        ("X" * 61, 1, "filing_number", "61"),
        (NUMBER, None, "filed_on", "请填写市级备案日期"),
        (NUMBER, -1, "filed_on", "备案日期不能晚于今天"),
        (NUMBER, 3, "filed_on", "备案日期应在公示期结束之后"),  # the notice's last day
        (NUMBER, 5, "filed_on", "备案日期应在公示期结束之后"),
    ],
)
def test_a_filing_with_a_bad_number_or_date_is_refused_with_a_message(world, number, days_ago, field, expected):
    special = in_filing(world)
    type(special).objects.filter(pk=special.pk).update(notice_ends_on=timezone.localdate() - datetime.timedelta(days=3))
    filed_on = None if days_ago is None else timezone.localdate() - datetime.timedelta(days=days_ago)
    with pytest.raises(ValidationError) as error:
        filing.record_filing(actor=world.officer, special=reload(special), filing_number=number, filed_on=filed_on)
    assert expected in " ".join(error.value.message_dict[field])
    assert reload(special).filing_number == ""


def test_the_filing_is_recorded_only_in_filing_and_only_by_the_programmes_officers(world):
    on_notice = special_application(world, stage=SpecialStage.NOTICE)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        filing.record_filing(
            actor=world.officer, special=on_notice, filing_number=NUMBER, filed_on=timezone.localdate()
        )
    with translation.override("en"):
        assert _messages(error) == "This cannot be done now: it is Public notice."
    special = in_filing(world, name="李工")
    with pytest.raises(PermissionDenied):
        filing.record_filing(
            actor=world.other_officer, special=special, filing_number=NUMBER, filed_on=timezone.localdate()
        )
    assert reload(special).filing_number == ""


# --- the decision -----------------------------------------------------------------------------------------------


def test_approval_needs_the_filing_recorded_then_a_quota_reference(world):
    special = in_filing(world)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        filing.decide(actor=world.officer, special=special, decision="approve", reason="", quota_reference="坪3号")
    with translation.override("en"):
        assert _messages(error) == "Record the filing number and date first."
    special = filing.record_filing(
        actor=world.officer, special=reload(special), filing_number=NUMBER, filed_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as error:
        filing.decide(actor=world.officer, special=special, decision="approve", reason="", quota_reference=" ")
    assert "请填写认定所用的指标或调动文号" in " ".join(error.value.message_dict["quota_reference"])
    assert reload(special).stage == SpecialStage.FILING


def test_approving_closes_the_employers_application_and_a_second_submit_is_told_it_is_done(world, filed):
    special = filing.decide(
        actor=world.officer,
        special=filed,
        decision="approve",
        reason="同意认定。",
        quota_reference="坪人才指标〔2026〕7号",
    )
    special = reload(special)
    assert special.stage == SpecialStage.APPROVED and special.quota_reference == "坪人才指标〔2026〕7号"
    assert special.decided_at is not None
    application = special.application
    assert (application.state, application.status) == (ApplicationState.CLOSED, "approved")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        filing.decide(actor=world.officer, special=special, decision="approve", reason="", quota_reference="坪8号")
    with translation.override("en"):
        assert _messages(error) == "This cannot be done now: it is Approved."
    assert reload(special).quota_reference == "坪人才指标〔2026〕7号"


def test_the_city_refusing_is_a_rejection_with_reasons(world, filed):
    with pytest.raises(ValidationError) as error:
        filing.decide(actor=world.officer, special=filed, decision="reject", reason="  ")
    assert "请填写不予认定的理由" in " ".join(error.value.message_dict["decision_reason"])
    special = filing.decide(actor=world.officer, special=reload(filed), decision="reject", reason="市级备案未通过。")
    assert special.stage == SpecialStage.REJECTED and special.quota_reference == ""
    assert reload(special).application.status == "rejected"


@pytest.mark.parametrize("who", ["other_officer", "reviewer", "employer", "director"])
def test_only_the_programmes_officers_decide(world, filed, who):
    with pytest.raises(PermissionDenied):
        filing.decide(actor=getattr(world, who), special=filed, decision="approve", reason="", quota_reference="q")
    assert reload(filed).stage == SpecialStage.FILING


def test_an_unknown_decision_is_refused(world, filed):
    with pytest.raises(ValidationError):
        filing.decide(actor=world.officer, special=filed, decision="withdraw", reason="x", quota_reference="q")
    assert reload(filed).stage == SpecialStage.FILING


def test_the_whole_procedure_leaves_the_id_number_out_of_every_log_and_notification(world):
    from portal.notifications.models import Notification

    special_application(world, stage=SpecialStage.APPROVED)
    for entry in ModelLogEntry.objects.all():
        assert RESIDENT_ID not in str(entry.data) and BIRTH_DATE not in str(entry.data), entry.action
        assert RESIDENT_ID not in entry.label
    for told in Notification.objects.all():
        assert RESIDENT_ID not in f"{told.title} {told.body} {told.url}"


# --- the office's pages -----------------------------------------------------------------------------------------


def test_the_decision_form_says_what_is_missing_then_records_the_approval(client, world):
    special = in_filing(world)
    client.force_login(world.officer)
    url = _url("talent:special_decide", "en", pk=special.pk, transition="approve")
    page = client.get(url).content.decode()
    assert "Record the filing number and date first." in page and 'name="quota_reference"' in page
    refused = client.post(url, {"quota_reference": "q", "reason": ""})
    assert refused.status_code == 200 and "Record the filing number and date first." in refused.content.decode()
    record_url = _url("talent:special_filing_record", pk=special.pk)
    bad = client.post(record_url, {"filing_number": "", "filed_on": ""})
    assert bad.status_code == 200 and "备案号" in bad.content.decode()
    today = timezone.localdate().isoformat()
    assert client.post(record_url, {"filing_number": NUMBER, "filed_on": today}).status_code == 302
    done = client.post(url, {"quota_reference": "坪人才指标〔2026〕9号", "reason": ""})
    assert done.status_code == 302 and done["Location"] == special.get_absolute_url()
    assert reload(special).stage == SpecialStage.APPROVED
    again = client.post(url, {"quota_reference": "坪人才指标〔2026〕9号", "reason": ""})
    assert again.status_code == 200 and "This cannot be done now" in again.content.decode()


def test_the_reject_form_has_no_quota_field_and_an_unknown_transition_is_404(client, world):
    special = in_filing(world)
    client.force_login(world.officer)
    page = client.get(_url("talent:special_decide", pk=special.pk, transition="reject")).content.decode()
    assert 'name="reason"' in page and 'name="quota_reference"' not in page
    assert client.get(_url("talent:special_decide", pk=special.pk, transition="withdraw")).status_code == 404
    client.force_login(world.other_officer)
    assert client.get(_url("talent:special_decide", pk=special.pk, transition="reject")).status_code == 404


def test_the_office_page_shows_the_objections_the_filing_form_and_the_filing_record(client, world):
    special = special_application(world, stage=SpecialStage.NOTICE)
    objection = notices.lodge_objection(
        special=special, name="陈市民", phone="13800000000", email="", grounds="异议内容：生产线并非其主持。"
    )
    client.force_login(world.officer)
    page = client.get(special.get_absolute_url()).content.decode()
    assert "陈市民" in page and "异议内容" in page
    assert _url("talent:objection_investigate", pk=objection.pk) in page
    client.force_login(world.reviewer)  # the sector's authority sees the page, never who objected
    page = client.get(special.get_absolute_url()).content.decode()
    assert "陈市民" not in page and "13800000000" not in page and "异议内容" not in page
    resolved(world, reload(objection))
    special = notices.send_to_filing(actor=world.officer, special=past_notice(special))
    client.force_login(world.officer)
    page = client.get(special.get_absolute_url()).content.decode()
    assert special.filing_form.title.split(" / ")[0] in page
    assert _url("talent:special_filing_record", pk=special.pk) in page
