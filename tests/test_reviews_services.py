"""Panel review services: each state change, its validation, audit log and notifications."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.accounts.roles import RoleCode
from portal.authority import Power
from portal.notifications.models import Notification
from portal.reviews import services
from portal.reviews.models import (
    Assignment,
    AssignmentState,
    Criterion,
    ReviewRound,
    RoundState,
    Scorecard,
)
from portal.reviews.testing import (
    cleared_assignment,
    make_expert,
    make_round,
    make_rubric,
    make_subject,
    open_round,
    submit,
    values_for,
)
from tests import reviews_fixtures
from tests.factories import OrganizationFactory, UserFactory
from themes.models import Theme

pytestmark = pytest.mark.django_db


owner = reviews_fixtures.owner
manager = reviews_fixtures.manager


@pytest.fixture
def rubric_editor():
    """Rubrics are shared configuration: the model permission, given in the CMS, lets one edit them."""
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="change_rubric", content_type__app_label="reviews"))
    return user


def evaluator():
    return UserFactory(roles=[RoleCode.EVALUATOR])


def scorer(manager, review_round):
    return cleared_assignment(manager, review_round, make_expert(user=evaluator()))


def logged(action, instance):
    return ModelLogEntry.objects.filter(
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
    )


# --- rubrics ---------------------------------------------------------------------------------------------


def test_rubric_is_frozen_once_a_round_uses_it_and_revising_makes_a_new_version(manager, owner, rubric_editor):
    rubric = make_rubric()
    assert not rubric.is_frozen
    rubric.full_clean()  # editable while unused
    technology = rubric.criteria.get(name_en="Technology")
    with pytest.raises(PermissionDenied):  # managing rounds is no licence to change the shared rubrics
        services.update_criterion(actor=manager, criterion=technology, weight=Decimal(4))
    services.update_criterion(actor=rubric_editor, criterion=technology, weight=Decimal(4))

    make_round(manager, owner, rubric=rubric)
    assert rubric.is_frozen
    with pytest.raises(ValidationError):
        rubric.full_clean()
    technology.refresh_from_db()
    technology.weight = Decimal(5)
    with pytest.raises(ValidationError):
        technology.full_clean()
    with pytest.raises(ValidationError):
        services.update_criterion(actor=rubric_editor, criterion=technology, weight=Decimal(5))
    assert Criterion.objects.get(pk=technology.pk).weight == Decimal(4)

    revised = services.revise_rubric(actor=rubric_editor, rubric=rubric)
    assert (revised.version, revised.previous, revised.name) == (2, rubric, rubric.name)
    assert [(c.name_en, c.weight) for c in revised.criteria.all()] == [
        (c.name_en, c.weight) for c in rubric.criteria.all()
    ]
    assert not revised.is_frozen
    services.update_criterion(
        actor=rubric_editor, criterion=revised.criteria.get(name_en="Technology"), weight=Decimal(5)
    )
    assert rubric.criteria.get(name_en="Technology").weight == Decimal(4)  # the old version is untouched
    assert logged("reviews.revise_rubric", revised).count() == 1

    with pytest.raises(ValidationError):  # only the latest version is revised
        services.revise_rubric(actor=rubric_editor, rubric=rubric)
    with pytest.raises(ValidationError):  # and new rounds use the latest
        make_round(manager, owner, rubric=rubric)
    with pytest.raises(PermissionDenied):
        services.revise_rubric(actor=evaluator(), rubric=revised)


def test_rubric_weights_may_be_zero_but_not_all(rubric_editor):
    rubric = make_rubric()
    criteria = list(rubric.criteria.all())
    services.update_criterion(actor=rubric_editor, criterion=criteria[0], weight=Decimal(0))
    services.update_criterion(actor=rubric_editor, criterion=criteria[1], weight=Decimal(0))
    with pytest.raises(ValidationError):
        services.update_criterion(actor=rubric_editor, criterion=criteria[2], weight=Decimal(0))


def test_criterion_scale_must_make_sense():
    rubric = make_rubric()
    criterion = rubric.criteria.first()
    criterion.scale_min, criterion.scale_max = Decimal(10), Decimal(5)
    with pytest.raises(ValidationError) as refused:
        criterion.full_clean()
    assert "scale_max" in refused.value.error_dict


# --- rounds and transitions ------------------------------------------------------------------------------


def test_only_holders_of_the_owner_create_rounds_and_bad_input_is_refused(manager, owner):
    with pytest.raises(PermissionDenied):
        make_round(UserFactory(roles=[RoleCode.APPLICANT]), owner)
    with pytest.raises(ValidationError) as refused:
        make_round(manager, owner, deadline=timezone.now() - datetime.timedelta(days=1), title=" ")
    assert {"deadline", "title"} <= set(refused.value.error_dict)
    assert not ReviewRound.objects.exists()


def test_round_and_assignment_state_transitions(manager, owner, owner_grants):
    other_manager = UserFactory(roles=[RoleCode.FUND_MANAGER])
    owner_grants.grant(other_manager, owner, Power.MANAGE)
    review_round = make_round(manager, owner)
    assert review_round.state == RoundState.DRAFT
    assert review_round.owner == owner
    assert Notification.objects.filter(recipient=other_manager).count() == 1  # the owner's other holders
    assert Notification.objects.filter(recipient=manager).count() == 0

    user = evaluator()
    assignment = services.assign_expert(actor=manager, review_round=review_round, expert=make_expert(user=user))
    assert assignment.state == AssignmentState.INVITED
    with pytest.raises(AttributeError):
        assignment.state = AssignmentState.SUBMITTED  # only transitions change state
    with pytest.raises(ValidationError):  # the same expert twice
        services.assign_expert(actor=manager, review_round=review_round, expert=assignment.expert)

    services.open_round(actor=manager, review_round=review_round)
    assert review_round.state == RoundState.OPEN
    with pytest.raises(ValidationError):
        services.open_round(actor=manager, review_round=review_round)

    with pytest.raises(PermissionDenied):  # someone else cannot answer for the expert
        services.accept_assignment(actor=evaluator(), assignment=assignment)
    services.accept_assignment(actor=user, assignment=assignment)
    assert assignment.state == AssignmentState.ACCEPTED
    with pytest.raises(ValidationError):  # accepting twice
        services.accept_assignment(actor=user, assignment=assignment)
    services.declare_conflict(actor=user, assignment=assignment, has_conflict=False)
    assert assignment.state == AssignmentState.CLEARED
    submit(assignment, 7, 7, 7)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SUBMITTED

    declined = services.assign_expert(actor=manager, review_round=review_round, expert=make_expert(user=evaluator()))
    services.decline_assignment(actor=declined.expert.user, assignment=declined, reason="出差")
    assert declined.state == AssignmentState.DECLINED
    with pytest.raises(ValidationError):
        services.declare_conflict(actor=declined.expert.user, assignment=declined, has_conflict=False)
    with pytest.raises(PermissionDenied):
        services.declare_conflict(actor=user, assignment=declined, has_conflict=False)

    with pytest.raises(PermissionDenied):
        services.close_round(actor=evaluator(), review_round=review_round)
    services.close_round(actor=manager, review_round=review_round, reason="仅一位专家评分，经主任同意")
    assert review_round.state == RoundState.CLOSED
    with pytest.raises(ValidationError):
        services.assign_expert(actor=manager, review_round=review_round, expert=make_expert())


def test_close_round_needs_minimum_scores_or_a_reason(manager, owner):
    review_round = open_round(manager, owner, min_scores=2, aggregation="median")
    submit(scorer(manager, review_round), 6, 6, 6)
    with pytest.raises(ValidationError) as refused:
        services.close_round(actor=manager, review_round=review_round)
    assert "reason" in refused.value.error_dict
    review_round.refresh_from_db()
    assert review_round.state == RoundState.OPEN
    submit(scorer(manager, review_round), 8, 8, 8)
    result = services.close_round(actor=manager, review_round=review_round)
    assert result.aggregate.value == Decimal("7.00")
    review_round.refresh_from_db()
    assert (review_round.result_value, review_round.result_count) == (Decimal("7.00"), 2)
    assert review_round.result_spread == Decimal("2.00")
    entry = logged("reviews.close_round", review_round).get()
    assert entry.data["value"] == "7.00"
    assert entry.user == manager


# --- scorecards ------------------------------------------------------------------------------------------


def test_score_outside_scale_is_refused_and_nothing_saved(manager, owner):
    review_round = open_round(manager, owner)
    assignment = scorer(manager, review_round)
    user = assignment.expert.user
    technology = review_round.rubric.criteria.get(name_en="Technology")
    services.save_scores(actor=user, assignment=assignment, values=values_for(review_round, 5, 5, 5))

    for bad in ("11", "-1", "5.555", "abc"):
        values = values_for(review_round, 6, 6, 6) | {technology.pk: bad}
        with pytest.raises(ValidationError) as refused:
            services.save_scores(actor=user, assignment=assignment, values=values, comment="改了")
        assert f"score_{technology.pk}" in refused.value.error_dict, bad
        with pytest.raises(ValidationError):
            services.submit_scorecard(actor=user, assignment=assignment, values=values)
    message = None
    try:
        services.submit_scorecard(actor=user, assignment=assignment, values=values_for(review_round, 11, 5, 5))
    except ValidationError as error:
        message = " ".join(error.message_dict[f"score_{technology.pk}"])
    assert "0" in message and "10" in message and "11" in message  # says the scale and what was entered

    scorecard = Scorecard.objects.get(assignment=assignment)
    assert sorted(s.value for s in scorecard.scores.all()) == [5, 5, 5]  # the draft is unchanged
    assert scorecard.comment == ""
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.CLEARED


def test_missing_score_is_refused_on_submit_but_allowed_in_a_draft(manager, owner):
    review_round = open_round(manager, owner)
    assignment = scorer(manager, review_round)
    user = assignment.expert.user
    values = values_for(review_round, 5, 5, 5)
    market = review_round.rubric.criteria.get(name_en="Market")
    values[market.pk] = None
    services.save_scores(actor=user, assignment=assignment, values=values)
    with pytest.raises(ValidationError) as refused:
        services.submit_scorecard(actor=user, assignment=assignment, values=values)
    assert f"score_{market.pk}" in refused.value.error_dict
    with pytest.raises(ValidationError):  # submitting the incomplete draft
        services.submit_scorecard(actor=user, assignment=assignment)
    assert Scorecard.objects.get(assignment=assignment).submitted_at is None


def test_reason_required_below_or_above_the_criterion_limit(manager, owner):
    rubric = make_rubric(Technology={"reason_required_below": Decimal(3)}, Team={"reason_required_above": Decimal(9)})
    review_round = open_round(manager, owner, rubric=rubric)
    assignment = scorer(manager, review_round)
    technology = rubric.criteria.get(name_en="Technology")
    team = rubric.criteria.get(name_en="Team")
    with pytest.raises(ValidationError) as refused:
        submit(assignment, 2, 10, 5)
    assert set(refused.value.error_dict) == {f"reason_{technology.pk}", f"reason_{team.pk}"}
    with pytest.raises(ValidationError) as refused:
        submit(assignment, 2, 10, 5, reasons={technology.pk: "技术路线已被证伪", team.pk: "  "})
    assert set(refused.value.error_dict) == {f"reason_{team.pk}"}
    submit(assignment, 3, 9, 5)  # at the limits: no reason needed
    assert Scorecard.objects.get(assignment=assignment).total == Decimal("5.33")  # (9 + 18 + 5) / 6


def test_an_outlier_is_flagged_after_locking_and_explained_afterwards(manager, owner):
    review_round = open_round(manager, owner, outlier_threshold=Decimal(2))
    first, second, third = (scorer(manager, review_round) for _ in range(3))
    assert submit(first, 9, 9, 9).is_outlier is False  # nothing to compare with yet
    assert submit(second, 8, 8, 8).is_outlier is False  # 1 point from 9
    card = submit(third, 3, 3, 3)  # 5.5 points from the median 8.5 of the others: accepted, locked, flagged
    assert card.is_locked and card.is_outlier is True and card.awaits_outlier_reason
    third.refresh_from_db()
    assert third.state == AssignmentState.SUBMITTED
    assert logged("reviews.submit", third).get().data["outlier"] is True
    flagged = Notification.objects.filter(recipient=manager, url=f"/workspace/reviews/rounds/{review_round.pk}/")
    assert sum("outlier" in n.title or "偏离" in n.title for n in flagged) == 1  # the managers see the flag

    user = third.expert.user
    with pytest.raises(ValidationError) as refused:
        services.explain_outlier(actor=user, assignment=third, reason="  ")
    assert "outlier_reason" in refused.value.error_dict
    with pytest.raises(PermissionDenied):  # nobody else explains for the expert
        services.explain_outlier(actor=second.expert.user, assignment=third, reason="代写")
    with pytest.raises(ValidationError):  # an expert who is not flagged has nothing to explain
        services.explain_outlier(actor=second.expert.user, assignment=second, reason="无")
    services.explain_outlier(actor=user, assignment=third, reason="临床数据不足以支持估值")
    card.refresh_from_db()
    assert card.outlier_reason == "临床数据不足以支持估值" and not card.awaits_outlier_reason
    assert sorted(s.value for s in card.scores.all()) == [3, 3, 3]  # the scores stay as submitted
    assert logged("reviews.explain_outlier", third).get().user == user
    with pytest.raises(ValidationError):  # given once
        services.explain_outlier(actor=user, assignment=third, reason="再说一次")
    rows = {row.assignment.pk: row for row in services.round_result(review_round).rows}
    assert rows[third.pk].outlier is True
    assert rows[third.pk].deviation == Decimal("-5.50")
    assert rows[second.pk].outlier is False


def test_submit_locks_the_scorecard(manager, owner):
    review_round = open_round(manager, owner)
    assignment = scorer(manager, review_round)
    user = assignment.expert.user
    card = submit(assignment, 8, 6, 10, comment="总体良好")
    assert card.total == Decimal("7.67")  # (3·8 + 2·6 + 1·10) / 6
    assert card.is_locked
    for action in (services.save_scores, services.submit_scorecard):
        with pytest.raises(ValidationError) as refused:
            action(actor=user, assignment=assignment, values=values_for(review_round, 1, 1, 1))
        assert refused.value.code == "locked"
    card.refresh_from_db()
    assert sorted(s.value for s in card.scores.all()) == [6, 8, 10]
    assert card.comment == "总体良好"


def test_audit_log_and_notifications(manager, owner):
    review_round = make_round(manager, owner)
    assert logged("reviews.create_round", review_round).count() == 1
    user = evaluator()
    assignment = services.assign_expert(actor=manager, review_round=review_round, expert=make_expert(user=user))
    assert logged("reviews.assign", review_round).get().user == manager
    invitation = Notification.objects.get(recipient=user)
    assert invitation.url == f"/workspace/reviews/assignments/{assignment.pk}/"
    services.open_round(actor=manager, review_round=review_round)
    assert logged("reviews.open_round", review_round).count() == 1
    services.accept_assignment(actor=user, assignment=assignment)
    services.declare_conflict(actor=user, assignment=assignment, has_conflict=False)
    submit(assignment, 5, 5, 5)
    for action in ("reviews.accept", "reviews.declare_conflict", "reviews.submit"):
        entry = logged(action, assignment).get()
        assert entry.user == user, action
    assert logged("reviews.submit", assignment).get().data["total"] == "5.00"
    assert Notification.objects.filter(recipient=manager).count() >= 2  # accepted, submitted

    conflicted = services.assign_expert(actor=manager, review_round=review_round, expert=make_expert(user=evaluator()))
    services.accept_assignment(actor=conflicted.expert.user, assignment=conflicted)
    before = Notification.objects.filter(recipient=manager).count()
    services.declare_conflict(
        actor=conflicted.expert.user, assignment=conflicted, has_conflict=True, kind="family", text="配偶任职"
    )
    assert Notification.objects.filter(recipient=manager).count() == before + 1
    assert logged("reviews.declare_conflict", conflicted).get().data["has_conflict"] is True


# --- suggestions and reminders ---------------------------------------------------------------------------


def test_suggest_experts_theme_first_then_lightest_load_and_no_conflicts(manager, owner):
    biomed = Theme.objects.get(code="biomed")
    other_theme = Theme.objects.exclude(code="biomed").first()
    subject_org = OrganizationFactory(name="深圳坪山康源生物医药有限公司")
    busy_round = open_round(manager, owner)

    def expert(name, themes=(), load=0, **fields):
        person = make_expert(user=evaluator(), name=name, **fields)
        person.themes.set(themes)
        for _ in range(load):
            services.assign_expert(actor=manager, review_round=open_round(manager, owner), expert=person)
        return person

    busy_match = expert("甲-主题-忙", [biomed], load=2)
    idle_match = expert("乙-主题-闲", [biomed], load=0)
    idle_other = expert("丙-无关主题-闲", [other_theme], load=0)
    busy_other = expert("丁-无关主题-忙", [], load=1)
    expert("戊-冲突", [biomed], affiliation_name="康源生物医药（深圳）有限公司")
    inactive = expert("己-停用", [biomed], is_active=False)
    assert inactive.is_active is False
    # A closed round's assignments are not open load.
    services.assign_expert(actor=manager, review_round=busy_round, expert=idle_match)
    submit_round = ReviewRound.objects.get(pk=busy_round.pk)
    services.close_round(actor=manager, review_round=submit_round, reason="测试")

    review_round = make_round(manager, owner, subject_organization=subject_org, themes=[biomed])
    assert services.suggest_experts(review_round, 10) == [idle_match, busy_match, idle_other, busy_other]
    assert services.suggest_experts(review_round, 2) == [idle_match, busy_match]
    services.assign_expert(actor=manager, review_round=review_round, expert=idle_match)
    assert services.suggest_experts(review_round, 1) == [busy_match]  # already assigned ones are left out


def test_overdue_reminders_are_sent_once_a_day(manager, owner):
    review_round = open_round(manager, owner)
    waiting = scorer(manager, review_round)
    invited = services.assign_expert(actor=manager, review_round=review_round, expert=make_expert(user=evaluator()))
    done = scorer(manager, review_round)
    submit(done, 5, 5, 5)
    not_due = scorer(manager, open_round(manager, owner))

    # Noon in Shanghai: "two hours later" must stay the same calendar day whenever the suite runs (at 22:00 it
    # crossed midnight and the reminders were rightly sent again).
    now = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))
    assert services.send_overdue_reminders(now) == []  # nothing is overdue yet
    ReviewRound.objects.filter(pk=review_round.pk).update(deadline=now - datetime.timedelta(hours=1))

    def reminders(user):
        return (
            Notification.objects.filter(recipient=user, title__contains="Reminder").count()
            + Notification.objects.filter(recipient=user, title__contains="提醒").count()
        )

    reminded = services.send_overdue_reminders(now)
    assert {a.pk for a in reminded} == {waiting.pk, invited.pk}
    assert Assignment.objects.get(pk=waiting.pk).reminded_at == now
    assert reminders(waiting.expert.user) == 1
    assert reminders(done.expert.user) == 0
    assert reminders(not_due.expert.user) == 0
    assert logged("reviews.remind", waiting).count() == 1

    assert services.send_overdue_reminders(now + datetime.timedelta(hours=2)) == []  # same day: idempotent
    assert reminders(waiting.expert.user) == 1

    tomorrow = now + datetime.timedelta(days=1)
    assert {a.pk for a in services.send_overdue_reminders(tomorrow)} == {waiting.pk, invited.pk}
    assert reminders(waiting.expert.user) == 2


def test_reminder_command(manager, owner):
    review_round = open_round(manager, owner)
    waiting = scorer(manager, review_round)
    ReviewRound.objects.filter(pk=review_round.pk).update(deadline=timezone.now() - datetime.timedelta(days=1))
    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    assert "1" in out.getvalue()
    assert Assignment.objects.get(pk=waiting.pk).reminded_at is not None
    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    assert out.getvalue().startswith("0")


def test_round_on_any_subject(manager, owner):
    subject = make_subject("坪山生物医药孵化项目A")
    review_round = make_round(manager, owner, subject=subject)
    assert review_round.subject == subject
    assert ReviewRound.objects.get(pk=review_round.pk).subject == subject


# --- the Wagtail admin -----------------------------------------------------------------------------------


def test_admin_pages_for_experts_and_rubrics(client, manager, owner):
    from portal.experts.models import DeclaredRelationship

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    biomed = Theme.objects.get(code="biomed")
    expert = make_expert(name="陈海外专家", region="overseas", affiliation_name="Karolinska Institutet")
    expert.themes.set([biomed])
    DeclaredRelationship.objects.create(expert=expert, organization_name="某公司", kind="competitor")
    make_expert(name="李国内专家")
    html = client.get("/admin/snippets/experts/expert/").content.decode()
    assert "陈海外专家" in html and "李国内专家" in html
    filtered = client.get(f"/admin/snippets/experts/expert/?region=overseas&themes={biomed.pk}").content.decode()
    assert "陈海外专家" in filtered and "李国内专家" not in filtered
    assert client.get("/admin/snippets/experts/expert/add/").status_code == 200
    assert client.get(f"/admin/snippets/experts/expert/edit/{expert.pk}/").status_code == 200
    rubric = make_rubric()
    assert client.get("/admin/snippets/reviews/rubric/").status_code == 200
    assert client.get(f"/admin/snippets/reviews/rubric/edit/{rubric.pk}/").status_code == 200
    # The audit log shows the review actions with their labels.
    review_round = make_round(manager, owner, rubric=rubric)
    with translation.override("en"):
        assert logged("reviews.create_round", review_round).get().message == "Review round created"
