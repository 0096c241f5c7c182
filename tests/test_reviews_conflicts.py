"""Conflicts of interest: suggestions, the declaration before any material, and recusal."""

import pytest
from django.core.exceptions import ValidationError

from portal.accounts.roles import RoleCode
from portal.experts.models import DeclaredRelationship, RelationshipKind
from portal.reviews import services
from portal.reviews.conflicts import NAME_SIMILARITY_THRESHOLD, name_similarity, normalize_name, suggest_conflicts
from portal.reviews.models import AssignmentState
from portal.reviews.testing import cleared_assignment, make_expert, open_round, submit
from tests import reviews_fixtures
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

KANGYUAN = "深圳坪山康源生物医药有限公司"


owner = reviews_fixtures.owner
manager = reviews_fixtures.manager


@pytest.fixture
def subject_org():
    return OrganizationFactory(name=KANGYUAN, name_en="Shenzhen Pingshan Kangyuan Biomedicine Co., Ltd.")


def evaluator():
    return UserFactory(roles=[RoleCode.EVALUATOR])


def codes(expert, organization):
    return [conflict.code for conflict in suggest_conflicts(expert, organization)]


# --- suggestions -----------------------------------------------------------------------------------------


def test_same_organization(subject_org):
    expert = make_expert(affiliation=subject_org)
    assert codes(expert, subject_org) == ["same_organization"]


def test_same_uscc_written_by_the_expert(subject_org):
    expert = make_expert(affiliation_name="某单位", affiliation_uscc=subject_org.uscc.lower())
    expert.refresh_from_db()
    assert expert.affiliation_uscc == subject_org.uscc  # normalised when saved
    assert codes(expert, subject_org) == ["same_uscc"]


def test_fuzzy_chinese_name_match(subject_org):
    assert normalize_name(KANGYUAN) == normalize_name("康源生物医药（深圳）有限公司") == "康源生物医药"
    assert name_similarity(KANGYUAN, "康源生物医药（深圳）有限公司") >= NAME_SIMILARITY_THRESHOLD
    expert = make_expert(affiliation_name="康源生物医药（深圳）有限公司")
    assert codes(expert, subject_org) == ["similar_name"]


def test_fuzzy_english_name_match(subject_org):
    expert = make_expert(affiliation_name="Kangyuan Biomedicine (Shenzhen) Co. Ltd")
    assert codes(expert, subject_org) == ["similar_name"]


def test_dissimilar_names_are_not_suggested(subject_org):
    for name in ("深圳坪山华星光电有限公司", "康泰医疗器械有限公司", "深圳坪山测试科技有限公司"):
        assert codes(make_expert(affiliation_name=name), subject_org) == [], name
    # Two companies told apart only by a number are different companies.
    assert name_similarity("深圳坪山测试科技有限公司12", "深圳坪山测试科技有限公司13") == 0
    # An unrelated affiliation in the portal.
    other = OrganizationFactory(name="深圳市坪山区新能源汽车研究院", name_en="Pingshan NEV Institute")
    assert codes(make_expert(affiliation=other), subject_org) == []


def test_declared_relationship_by_organization_or_name(subject_org):
    expert = make_expert(affiliation_name="某大学")
    DeclaredRelationship.objects.create(expert=expert, organization=subject_org, kind=RelationshipKind.EQUITY)
    assert codes(expert, subject_org) == ["declared_relationship"]

    by_name = make_expert(affiliation_name="某研究所")
    DeclaredRelationship.objects.create(
        expert=by_name, organization_name="康源生物医药(深圳)有限公司", kind=RelationshipKind.FAMILY
    )
    conflicts = suggest_conflicts(by_name, subject_org)
    assert [c.code for c in conflicts] == ["declared_relationship"]
    assert "Family" in str(conflicts[0].message) or "家庭" in str(conflicts[0].message)


def test_expert_account_acting_for_the_organization(subject_org):
    user = evaluator()
    user.organization_links.create(organization=subject_org, role="contact")
    assert codes(make_expert(user=user), subject_org) == ["acts_for_organization"]


def test_no_subject_organization_means_no_suggestion(subject_org):
    assert suggest_conflicts(make_expert(affiliation=subject_org), None) == []


def test_declared_relationship_needs_an_organization():
    relationship = DeclaredRelationship(expert=make_expert(), kind=RelationshipKind.OTHER)
    with pytest.raises(ValidationError):
        relationship.full_clean()


# --- assigning despite a suggestion ----------------------------------------------------------------------


def test_assigning_a_suggested_conflict_needs_a_staff_reason(manager, subject_org, owner):
    review_round = open_round(manager, owner, subject_organization=subject_org)
    expert = make_expert(user=evaluator(), affiliation_name="康源生物医药（深圳）有限公司")
    with pytest.raises(ValidationError) as refused:
        services.assign_expert(actor=manager, review_round=review_round, expert=expert)
    assert "conflict" in " ".join(refused.value.messages).lower() or "冲突" in " ".join(refused.value.messages)
    assert not review_round.assignments.exists()
    assignment = services.assign_expert(
        actor=manager, review_round=review_round, expert=expert, override_reason="唯一的合成生物学专家，已书面说明"
    )
    assert assignment.conflict_override_reason == "唯一的合成生物学专家，已书面说明"


# --- declaration before material, recusal ----------------------------------------------------------------


def test_material_only_after_no_conflict_declaration(manager, subject_org, owner):
    from portal.reviews import permissions

    review_round = open_round(manager, owner, subject_organization=subject_org)
    user = evaluator()
    expert = make_expert(user=user)
    assignment = services.assign_expert(actor=manager, review_round=review_round, expert=expert)
    assert permissions.can_open_assignment(user, assignment)
    assert not permissions.can_see_material(user, assignment)
    services.accept_assignment(actor=user, assignment=assignment)
    assert not permissions.can_see_material(user, assignment)
    assert not permissions.can_score(user, assignment)
    with pytest.raises(ValidationError):
        services.save_scores(actor=user, assignment=assignment, values={})
    services.declare_conflict(actor=user, assignment=assignment, has_conflict=False)
    assert assignment.state == AssignmentState.CLEARED
    assert permissions.can_see_material(user, assignment)
    assert permissions.can_score(user, assignment)


def test_conflict_kind_is_required(manager, owner):
    review_round = open_round(manager, owner)
    user = evaluator()
    assignment = services.assign_expert(actor=manager, review_round=review_round, expert=make_expert(user=user))
    services.accept_assignment(actor=user, assignment=assignment)
    with pytest.raises(ValidationError) as refused:
        services.declare_conflict(actor=user, assignment=assignment, has_conflict=True)
    assert "kind" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.declare_conflict(actor=user, assignment=assignment, has_conflict=True, kind="other")
    assert "text" in refused.value.error_dict
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED
    assert not assignment.declarations.exists()


def test_declared_conflict_recuses_removes_access_and_is_not_counted(manager, subject_org, owner):
    from portal.reviews import permissions

    review_round = open_round(manager, owner, subject_organization=subject_org, min_scores=1)
    scorers = [cleared_assignment(manager, review_round, make_expert(user=evaluator())) for _ in range(2)]
    submit(scorers[0], 8, 8, 8)

    # One declares a conflict before scoring; the other after submitting is recused by staff.
    late = scorers[1]
    services.declare_conflict(actor=late.expert.user, assignment=late, has_conflict=True, kind="equity", text="持股")
    assert late.state == AssignmentState.RECUSED
    assert not permissions.can_open_assignment(late.expert.user, late)
    assert not permissions.can_see_material(late.expert.user, late)
    assert not permissions.can_score(late.expert.user, late)

    third = cleared_assignment(manager, review_round, make_expert(user=evaluator()))
    submit(third, 2, 2, 2)
    assert services.round_result(review_round).aggregate.count == 2
    services.recuse_assignment(actor=manager, assignment=third, reason="发现其为申请单位顾问")
    result = services.round_result(review_round)
    assert result.aggregate.count == 1
    assert result.aggregate.value == 8
    assert not permissions.can_see_material(third.expert.user, third)
    closed = services.close_round(actor=manager, review_round=review_round)
    assert closed.aggregate.count == 1
    review_round.refresh_from_db()
    assert review_round.result_value == 8
    assert review_round.result_count == 1
