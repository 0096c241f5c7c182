"""Regressions found by the offshore base's browser journey (tests/browser/test_talent_base_journey.py)."""

import pytest
from django.utils import translation

from portal.applications import services as applications
from tests.talent_world import build_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_call_page_sends_a_newcomer_to_registration_and_back_to_the_call(client, prefix):
    # The call's "Register" link had no next: once confirmed, the newcomer landed on the organization page (which an
    # overseas team does not need) instead of the call they came to apply to.
    world = build_world()
    page = f"{prefix}/talent/calls/{world.call.slug}/"
    text = client.get(page).content.decode()
    assert f'href="{prefix}/accounts/register/?next={page}"' in text


def test_the_team_steps_untouched_extra_row_is_left_out_not_refused():
    # The extra row's degree was preselected, so an untouched row counted as filled in and asked for a name, role,
    # nationality and residence the applicant never meant to give.
    world = build_world()
    application = applications.start(actor=world.team, kind="talent.base", owner=world.call)
    member = {
        "form-0-name": "Dr. Noor Haddad",
        "form-0-role": "CEO",
        "form-0-nationality": "Jordan",
        "form-0-residence": "Germany",
        "form-0-degree": "phd",
    }
    from talent.forms.application import TeamStep

    # What a browser sends for an untouched row is what its select shows first: it must be the blank choice.
    extra_row = str(TeamStep()[1]["degree"])
    assert extra_row.index('<option value=""') < extra_row.index('<option value="phd"')
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", **member, "form-1-degree": ""}
    assert TeamStep(data).is_valid()
    refused = TeamStep({**data, "form-1-degree": "phd"})  # a row someone did touch is still checked
    with translation.override("en"):
        assert not refused.is_valid()
    applications.save_step(
        actor=world.team,
        application=application,
        step="team",
        data=[{key.removeprefix("form-0-"): value for key, value in member.items()}],
    )
    application.refresh_from_db()
    assert [row["name"] for row in application.answers["team"]] == ["Dr. Noor Haddad"]


def test_the_base_applications_office_page_reads_in_chinese(client):
    # None of the base application's office strings had a Chinese translation: the officer read English labels.
    from tests.talent_world import base_application

    world = build_world()
    base = base_application(world, world.team)
    client.force_login(world.officer)
    text = client.get(base.get_absolute_url()).content.decode()
    for label in ("团队与项目", "完整性审查", "材料齐全：提交专家评审", "已受理 — 完整性审查中"):
        assert label in text
