"""The fund panel of the dashboard tells the managers which evaluations are under way and the IC chair which one
waits for their approval (computed, with recommendations), and nobody else."""

import pytest
from django.test import RequestFactory

from funds import panels
from funds.services import performance as services
from tests import funds_performance_world as perf

pytestmark = pytest.mark.django_db


def panel_for(user):
    request = RequestFactory().get("/workspace/")
    request.user = user
    return panels.fund_context(request)


def rows(user):
    return [(row["evaluation"].year, row["to_approve"]) for row in panel_for(user)["evaluations"]]


def test_the_chair_sees_an_evaluation_once_it_awaits_approval_and_the_managers_all_along():
    world = perf.build()
    evaluation = services.start_evaluation(actor=world.manager, indicator_set=world.indicator_set, as_of=perf.AS_OF)
    assert rows(world.manager) == [(perf.YEAR, False)]
    assert rows(world.ic_chair) == []
    evaluation = services.compute_evaluation(actor=world.manager, evaluation=evaluation)
    assert rows(world.ic_chair) == []  # no recommendations yet
    services.write_recommendations(actor=world.manager, evaluation=evaluation, recommendations="保持规模。")
    assert rows(world.ic_chair) == [(perf.YEAR, True)]
    assert rows(world.manager) == [(perf.YEAR, False)]
    assert rows(world.ic_member) == [] and rows(world.other_manager) == []
    services.approve_evaluation(actor=world.ic_chair, evaluation=evaluation)
    assert rows(world.ic_chair) == [] and rows(world.manager) == []
