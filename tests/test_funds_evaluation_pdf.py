"""The annual evaluation report as a PDF and as an opinion: the fund of tests/funds_performance_world.py (2024: total
84, 良) computed and approved; the PDF's text in Chinese and English, its charts drawn, who may read it; the approved
report drafted as the investment committee's opinion, once, by a manager only, with nothing half-saved."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from funds.models import PerformanceEvaluation
from funds.performance import pdf
from funds.services import performance as services
from portal.opinions.models import Opinion, OpinionKind, OpinionState
from portal.organizations.models import OrganizationContactRole, OrganizationUser
from tests import funds_performance_world as perf
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def approved(world):
    evaluation = services.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    evaluation = services.compute_evaluation(actor=world.manager, evaluation=evaluation)
    services.write_recommendations(
        actor=world.manager, evaluation=evaluation, recommendations="保持基金规模。\n加大对早期项目的投入。"
    )
    return services.approve_evaluation(actor=world.ic_chair, evaluation=evaluation)


@pytest.fixture
def world():
    return perf.build()


def url(world, name="funds:evaluation_report"):
    return reverse(name, kwargs={"fund": world.fund.slug, "year": perf.YEAR})


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def lp_contact(world):
    user = UserFactory(username="perf-lp")
    OrganizationUser.objects.create(organization=world.social.investor, user=user, role=OrganizationContactRole.CONTACT)
    return user


def test_the_report_reads_in_chinese_with_its_charts(client, world):
    approved(world)
    client.force_login(world.manager)
    response = client.get(url(world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    reader, text = pdf_text(response.content)
    compact = re.sub(r"\s+", "", text)
    for expected in (world.fund.name, "绩效评价报告", "良", "84.00", "1.70×", "0.80×", "4.00×", "2024年12月31日"):
        assert expected in compact, expected
    # The per-deal appendix: both companies, the exit's 2.00× and the money in 万元/亿元.
    for expected in ("坪山甲生物科技有限公司", "乙医疗器械有限公司", "2.00×", "万元"):
        assert expected in compact, expected
    assert "保持基金规模。" in compact  # the recommendations
    # The charts are vector drawings: the pages after the tables carry many paths (the labels are glyph paths),
    # where a page of text only has a few rules.
    drawn = [_curves(page) for page in reader.pages]
    assert max(drawn) > 200, drawn
    # Set in the shipped subset, nothing else.
    fonts = {font for page in reader.pages for font in _fonts(page)}
    assert fonts and all("Pingshan-Serif-SC" in font for font in fonts), fonts


def _curves(page):
    data = page.get_contents().get_data()
    return data.count(b" c\n") + data.count(b" re\n")


def _fonts(page):
    resources = page.get("/Resources") or {}
    for font in (resources.get("/Font") or {}).values():
        yield str(font.get_object().get("/BaseFont"))


def test_the_report_reads_in_english_under_en(client, world):
    approved(world)
    client.force_login(world.manager)
    response = client.get("/en" + url(world))
    assert response.status_code == 200
    _reader, text = pdf_text(response.content)
    compact = " ".join(text.split())
    for expected in ("2024 performance evaluation report", "Good", "84.00", "1.70×", "Total score", "Recommendations"):
        assert expected in compact, expected
    assert "RMB" in compact and "million" in compact


def test_the_lp_reads_the_approved_report_and_others_get_404(client, world):
    evaluation = services.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    lp = lp_contact(world)
    client.force_login(world.manager)
    assert client.get(url(world)).status_code == 404  # started, not computed
    services.compute_evaluation(actor=world.manager, evaluation=evaluation)
    assert client.get(url(world)).status_code == 200
    client.force_login(lp)
    assert client.get(url(world)).status_code == 404  # computed, not approved: not the LP's yet
    evaluation.refresh_from_db()
    services.write_recommendations(actor=world.manager, evaluation=evaluation, recommendations="保持规模。")
    services.approve_evaluation(actor=world.ic_chair, evaluation=evaluation)
    assert client.get(url(world)).status_code == 200
    for stranger in (world.outsider, world.other_manager):
        client.force_login(stranger)
        assert client.get(url(world)).status_code == 404
    client.logout()
    assert client.get(url(world)).status_code == 302  # to the login page
    client.force_login(world.manager)
    assert client.post(url(world)).status_code == 405
    missing = reverse("funds:evaluation_report", kwargs={"fund": world.fund.slug, "year": 2023})
    assert client.get(missing).status_code == 404


def test_the_report_compares_with_the_last_computed_year(world):
    evaluation = approved(world)
    earlier = services.set_indicators(
        actor=world.manager, fund=world.fund, year=2023, name="2023年度绩效评价指标", indicators=perf.INDICATORS
    )
    earlier_evaluation = services.start_evaluation(
        actor=world.manager, indicator_set=earlier, as_of=perf.day(2023, 12, 31)
    )
    earlier_evaluation = services.compute_evaluation(actor=world.manager, evaluation=earlier_evaluation)
    assert pdf.earlier_evaluation(evaluation.indicator_set) == earlier_evaluation
    context = pdf.summary(evaluation, earlier_evaluation)
    assert context["previous"]["year"] == 2023
    assert context["previous"]["total"] == f"{earlier_evaluation.total:.2f}"
    html = pdf.build_html(evaluation, earlier_evaluation)
    assert "2023" in html and context["previous"]["total"] in html
    assert pdf.earlier_evaluation(earlier) is None


def test_a_manager_drafts_the_approved_report_as_the_committees_opinion(world):
    evaluation = approved(world)
    opinion = services.draft_report_opinion(actor=world.manager, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.opinion == opinion
    assert opinion.kind == OpinionKind.EVALUATION and opinion.state == OpinionState.DRAFT
    assert opinion.subject == evaluation
    assert opinion.issuer == world.committee.issuer
    assert opinion.title == f"{world.fund.name}2024年度绩效评价报告"
    assert list(opinion.sign_offs.values_list("user", flat=True)) == [world.ic_chair.pk]
    body = re.sub(r"\s+", "", opinion.body)
    for expected in ("84.00", "良", "财政资金放大倍数", "1.70×", "保持基金规模。", "<table>"):
        assert expected in body, expected
    assert "<svg" not in opinion.body


def test_the_drafted_opinion_goes_through_the_engine(world, settings, tmp_path, django_capture_on_commit_callbacks):
    from portal.opinions import services as opinion_services

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    opinion = services.draft_report_opinion(actor=world.manager, evaluation=approved(world))
    opinion_services.submit_for_review(actor=world.manager, opinion=opinion)
    opinion_services.sign_off(actor=world.ic_chair, opinion=opinion, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        opinion_services.request_issue(actor=world.manager, opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.ISSUED, opinion.render_error
    _reader, text = pdf_text(opinion.pdf.read())
    compact = re.sub(r"\s+", "", text)
    assert "84.00" in compact and "良" in compact and opinion.number in compact


def test_drafting_twice_or_by_a_non_manager_or_before_approval_is_refused(world):
    evaluation = services.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    evaluation = services.compute_evaluation(actor=world.manager, evaluation=evaluation)
    with pytest.raises(ValidationError):
        services.draft_report_opinion(actor=world.manager, evaluation=evaluation)  # not approved yet
    services.write_recommendations(actor=world.manager, evaluation=evaluation, recommendations="保持规模。")
    evaluation = services.approve_evaluation(actor=world.ic_chair, evaluation=evaluation)
    for outsider in (world.ic_chair, world.other_manager, world.outsider):
        with pytest.raises(PermissionDenied):
            services.draft_report_opinion(actor=outsider, evaluation=evaluation)
    assert not Opinion.objects.exists()
    first = services.draft_report_opinion(actor=world.manager, evaluation=evaluation)
    with pytest.raises(ValidationError):
        services.draft_report_opinion(actor=world.manager, evaluation=evaluation)
    assert list(Opinion.objects.all()) == [first]
    assert PerformanceEvaluation.objects.get(pk=evaluation.pk).opinion == first


def test_without_a_chair_nothing_is_half_saved(world):
    evaluation = approved(world)
    world.committee.chair = None
    world.committee.save()
    issuers_before = world.committee.issuer_id
    with pytest.raises(ValidationError):
        services.draft_report_opinion(actor=world.manager, evaluation=evaluation)
    assert not Opinion.objects.exists()
    evaluation.refresh_from_db()
    assert evaluation.opinion is None
    world.committee.refresh_from_db()
    assert world.committee.issuer_id == issuers_before


def test_the_page_offers_the_pdf_the_button_then_the_opinion(client, world):
    approved(world)
    client.force_login(world.manager)
    page = client.get(url(world, "funds:evaluation")).content.decode()
    assert url(world) in page and url(world, "funds:evaluation_opinion") in page
    response = client.post(url(world, "funds:evaluation_opinion"))
    opinion = Opinion.objects.get()
    assert response.status_code == 302 and response["Location"] == opinion.get_absolute_url()
    page = client.get(url(world, "funds:evaluation")).content.decode()
    assert url(world, "funds:evaluation_opinion") not in page and opinion.get_absolute_url() in page
    response = client.post(url(world, "funds:evaluation_opinion"), follow=True)  # a second time: a message
    assert Opinion.objects.count() == 1
    assert any("already" in str(m) or "已" in str(m) for m in response.context["messages"])
    lp = lp_contact(world)
    client.force_login(lp)
    page = client.get(url(world, "funds:evaluation")).content.decode()
    assert url(world) in page and url(world, "funds:evaluation_opinion") not in page
    assert client.post(url(world, "funds:evaluation_opinion")).status_code == 404
