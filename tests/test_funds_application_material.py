"""A review round on a deal that came from a firm's financing application exposes that application: its steps as
sent (the frozen submission, never a later draft) and its submitted attachments, chosen one by one."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from funds.material import application_material, deal_material
from funds.models import Deal
from funds.services import scoring
from portal.applications import services as applications
from portal.reviews import material as review_material
from tests.applications_kind import PDF, upload
from tests.funds_world import FundWorld, make_deal
from tests.test_funds_financing import filled
from tests.test_funds_scoring import clear, expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return FundWorld.with_rubric()


@pytest.fixture
def applied(world):
    draft = filled(world)
    attachment = applications.add_attachment(
        actor=world.firm, application=draft, item=None, upload=upload("商业计划书.pdf", PDF + b"plan")
    )
    application = applications.submit(actor=world.firm, application=draft)
    return {"application": application, "deal": Deal.objects.get(application=application), "file": attachment}


def keys(items):
    return [item.key for item in items]


def test_a_deal_without_an_application_has_none(world):
    assert application_material(make_deal(world)) == []


def test_the_candidates_list_the_submitted_steps_and_files_after_the_summary(applied):
    found = keys(deal_material(applied["deal"]))
    assert found[0] == "deal:summary"
    assert "application:section:product" in found and "application:section:landing" in found
    assert f"application:file:{applied['file'].pk}" in found
    files = [item for item in application_material(applied["deal"]) if item.is_file]
    assert [item.label for item in files] == ["商业计划书.pdf"]
    sections = [item for item in application_material(applied["deal"]) if not item.is_file]
    assert {item.group for item in sections} == {"融资申请"} and {item.group_en for item in sections} == {
        "Financing application"
    }
    assert all(item.label and item.label_en and item.label != item.label_en for item in sections)


def test_an_evaluator_reads_exactly_the_exposed_steps_and_files(client, world, applied):
    panelist = expert(theme=world.fund.theme, name="甲专家")
    exposed = ["application:section:product", f"application:file:{applied['file'].pk}"]
    review_round = scoring.start_review(
        actor=world.manager,
        deal=applied["deal"],
        experts=[panelist],
        keys=exposed,
        title="项目评审",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        spread_threshold=Decimal("2"),
        min_scores=2,
        open_now=True,
    )
    assignment = review_round.assignments.get(expert=panelist)
    clear(assignment)
    client.force_login(panelist.user)
    page = client.get(f"/en/workspace/reviews/assignments/{assignment.pk}/").content.decode()
    assert "商业计划书.pdf" in page and "Financing application: Product and development stage" in page
    rows = {row.key: row for row in review_round.material.all()}
    assert set(rows) == set(exposed)
    section = client.get(rows["application:section:product"].get_absolute_url()).content.decode()
    assert "KRAS G12D" in section and "PS-101" in section
    assert "30000000" not in section  # the round step (amounts) was not exposed
    download = client.get(rows[exposed[1]].get_absolute_url())
    assert download.status_code == 200 and b"".join(download) == PDF + b"plan"


def test_the_section_shows_what_was_sent_not_a_later_draft(world, applied):
    application = applied["application"]
    applications.request_supplement(
        actor=world.manager,
        application=application,
        message="请补充产品信息",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        sections=["product"],
    )
    application.refresh_from_db()
    product = {**application.answers["product"], "mechanism": "改写中的机制"}
    applications.save_step(actor=world.firm, application=application, step="product", data=product)
    item = next(i for i in application_material(applied["deal"]) if i.key == "application:section:product")
    html = review_material.provider_for(applied["deal"]).render(None, applied["deal"], item)
    assert "KRAS G12D" in html and "改写中的机制" not in html


def test_the_deal_page_links_its_application_for_the_managers_only(client, world, applied):
    deal, reference = applied["deal"], applied["application"].reference
    client.force_login(world.manager)
    page = client.get(deal.get_absolute_url()).content.decode()
    link = f'<a href="{applied["application"].get_absolute_url()}">融资申请 {reference}</a>'
    assert link in page
    sourced = make_deal(world)  # a deal without an application shows no link
    assert "/workspace/applications/" not in client.get(sourced.get_absolute_url()).content.decode()
    client.force_login(world.other_manager)
    assert client.get(deal.get_absolute_url()).status_code == 404
