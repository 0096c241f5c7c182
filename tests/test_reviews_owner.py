"""Review rounds belong to an owner: only who holds MANAGE over it runs the round (issue 8, finding 1).

A role, ``is_staff`` or the old model permission grants nothing; a holder of another owner gets 404 like anyone.
"""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from portal.accounts.roles import RoleCode
from portal.authority import Power
from portal.notifications.models import Notification
from portal.reviews import permissions, services
from portal.reviews.models import ReviewRound, RoundState
from portal.reviews.testing import cleared_assignment, make_expert, make_round, make_rubric, open_round, submit
from tests import reviews_fixtures
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


owner = reviews_fixtures.owner
manager = reviews_fixtures.manager


@pytest.fixture
def other_owner(owner_grants):
    return OrganizationFactory(name="坪山区乙评审主办单位")


def _old_model_permission_holder():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="reviews", codename__in=["change_reviewround", "add_reviewround"]
        )
    )
    return user


@pytest.fixture
def outsiders(owner_grants, other_owner):
    """People with a role, staff status or power elsewhere, but none over the round's owner."""
    holder_elsewhere = UserFactory(roles=[RoleCode.SECRETARIAT])
    owner_grants.grant(holder_elsewhere, other_owner, Power.MANAGE)
    signer = UserFactory(roles=[RoleCode.COUNCIL_MEMBER])
    return {
        "secretariat role": UserFactory(roles=[RoleCode.SECRETARIAT]),
        "fund_manager role": UserFactory(roles=[RoleCode.FUND_MANAGER]),
        "talent_officer role": UserFactory(roles=[RoleCode.TALENT_OFFICER]),
        "is_staff": UserFactory(is_staff=True),
        "model permission": _old_model_permission_holder(),
        "holder of another owner": holder_elsewhere,
        "signer of the owner": signer,
    }


@pytest.fixture
def review_round(manager, owner, owner_grants, outsiders):
    owner_grants.grant(outsiders["signer of the owner"], owner, Power.SIGN)  # SIGN is not MANAGE
    return open_round(manager, owner, min_scores=1)


def round_url(review_round):
    return f"/en/workspace/reviews/rounds/{review_round.pk}/"


def assignment_url(assignment):
    return f"/en/workspace/reviews/assignments/{assignment.pk}/"


def test_creating_a_round_needs_manage_over_that_owner(manager, owner, other_owner, outsiders):
    for who, user in outsiders.items():
        with pytest.raises(PermissionDenied):
            make_round(user, owner)
        assert permissions.can_create_round(user, owner) is False, who
    with pytest.raises(PermissionDenied):  # the manager of one owner cannot create for another
        make_round(manager, other_owner)
    unregistered = make_rubric()  # any model nobody registered as an owner: nobody holds power over it
    superuser = UserFactory(is_superuser=True)
    with pytest.raises(PermissionDenied):
        make_round(superuser, unregistered)
    assert not ReviewRound.objects.exists()
    review_round = make_round(manager, owner)
    assert review_round.owner == owner
    assert make_round(superuser, owner).owner == owner  # superusers hold MANAGE to repair what is stuck


def test_outsiders_get_404_on_the_round_page_and_every_manager_action(client, manager, review_round, outsiders):
    assignment = cleared_assignment(manager, review_round, make_expert(user=UserFactory(roles=[RoleCode.EVALUATOR])))
    submit(assignment, 7, 7, 7)
    spare_expert = make_expert(user=UserFactory(roles=[RoleCode.EVALUATOR]))
    draft = make_round(manager, review_round.owner)
    posts = [
        (round_url(review_round), {"action": "assign", "expert": spare_expert.pk, "override_reason": "x"}),
        (round_url(review_round), {"action": "close", "reason": "测试"}),
        (round_url(draft), {"action": "open"}),
        (round_url(draft), {"action": "assign", "expert": spare_expert.pk}),
    ]
    for who, user in outsiders.items():
        client.force_login(user)
        assert client.get(round_url(review_round)).status_code == 404, who
        assert client.get(round_url(draft)).status_code == 404, who
        assert client.get(assignment_url(assignment)).status_code == 404, who
        for address, data in posts:
            assert client.post(address, data).status_code == 404, (who, data)
        assert permissions.can_manage_round(user, review_round) is False, who
        for action, arguments in (
            (services.open_round, {"review_round": draft}),
            (services.close_round, {"review_round": review_round, "reason": "x"}),
            (services.assign_expert, {"review_round": review_round, "expert": spare_expert}),
            (services.recuse_assignment, {"assignment": assignment, "reason": "x"}),
        ):
            with pytest.raises(PermissionDenied):
                action(actor=user, **arguments)
    review_round.refresh_from_db()
    draft.refresh_from_db()
    assert (review_round.state, draft.state) == (RoundState.OPEN, RoundState.DRAFT)
    assert review_round.assignments.count() == 1 and not draft.assignments.exists()

    # The holder runs it.
    client.force_login(manager)
    assert client.get(round_url(review_round)).status_code == 200
    assert client.get(assignment_url(assignment)).status_code == 200
    assert client.post(round_url(draft), {"action": "open"}).status_code == 302
    draft.refresh_from_db()
    assert draft.state == RoundState.OPEN


def test_power_follows_the_owner_at_once(client, manager, review_round, owner_grants, owner):
    newcomer = UserFactory()
    assert permissions.can_manage_round(newcomer, review_round) is False
    owner_grants.grant(newcomer, owner, Power.MANAGE)
    review_round = ReviewRound.objects.get(pk=review_round.pk)  # a fresh instance asks the owner again
    assert permissions.can_manage_round(newcomer, review_round) is True
    client.force_login(newcomer)
    assert client.get(round_url(review_round)).status_code == 200


def test_manager_notifications_go_to_the_owners_holders(manager, owner, owner_grants, review_round, outsiders):
    colleague = UserFactory()
    owner_grants.grant(colleague, owner, Power.MANAGE)
    user = UserFactory(roles=[RoleCode.EVALUATOR])
    assignment = services.assign_expert(actor=manager, review_round=review_round, expert=make_expert(user=user))
    services.accept_assignment(actor=user, assignment=assignment)
    for holder in (manager, colleague):
        assert Notification.objects.filter(recipient=holder, url=round_url(review_round).removeprefix("/en")).exists()
    for who, outsider in outsiders.items():
        assert not Notification.objects.filter(recipient=outsider).exists(), who


def test_dashboard_panel_and_opinion_sources_list_only_rounds_of_owners_one_holds(
    client, manager, owner, other_owner, owner_grants, review_round, outsiders
):
    elsewhere = outsiders["holder of another owner"]
    their_round = make_round(elsewhere, other_owner, title="乙单位的评审轮次")
    assert list(permissions.managed_rounds(manager)) == [review_round]
    assert list(permissions.managed_rounds(elsewhere)) == [their_round]
    client.force_login(manager)
    html = client.get("/en/workspace/").content.decode()
    assert "Review rounds I manage" in html and round_url(review_round) in html
    assert round_url(their_round) not in html
    for who in ("secretariat role", "fund_manager role", "is_staff", "model permission"):
        client.force_login(outsiders[who])
        assert "Review rounds I manage" not in client.get("/en/workspace/").content.decode(), who
        assert permissions.manages_any_round(outsiders[who]) is False, who


def test_rubrics_are_shared_configuration_not_a_role_power(outsiders):
    for who in ("secretariat role", "fund_manager role", "talent_officer role", "is_staff"):
        assert permissions.can_edit_rubrics(outsiders[who]) is False, who
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="change_rubric", content_type__app_label="reviews"))
    assert permissions.can_edit_rubrics(editor) is True
    assert permissions.can_edit_rubrics(UserFactory(is_superuser=True)) is True
