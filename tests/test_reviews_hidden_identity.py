"""A round that hides the applicant names it nowhere a reviewer can look (issue 8, finding 5).

An evaluator is walked through invite → accept → declare → save → submit → explain an outlier → the round
closes; every page and partial they can reach, in both languages, and every notification and mail they were
sent is scanned for the organization's names, their short forms and its unified social credit code.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.accounts.roles import RoleCode
from portal.notifications.models import Notification
from portal.reviews import services
from portal.reviews.identity import identifying_forms, names_organization
from portal.reviews.models import AssignmentState
from portal.reviews.testing import cleared_assignment, make_expert, make_round, make_subject, submit, values_for
from tests import reviews_fixtures
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ORG = "深圳坪山翠鸟星辰生物医药有限公司"
ORG_EN = "Shenzhen Kingfisher Stellar Biomedicine Co., Ltd."
# The short forms people write: the core of the name and the trade name, in both languages.
SHORT_FORMS = ["翠鸟星辰生物医药", "翠鸟星辰", "Kingfisher Stellar", "Kingfisher"]
SUBJECT = "翠鸟星辰 CAR-T 细胞治疗项目融资申请"  # the subject's own name carries the firm's
TITLE = "CAR-T 细胞治疗项目融资专业评审"
_numbers = itertools.count(1)


@pytest.fixture
def organization():
    return OrganizationFactory(name=ORG, name_en=ORG_EN)


owner = reviews_fixtures.owner
manager = reviews_fixtures.manager


def hidden_round(manager, owner, organization, **options):
    options = {
        "subject": make_subject(f"{SUBJECT}（{next(_numbers)}）"),
        "subject_organization": organization,
        "hide_applicant_identity": True,
        "title": TITLE,
        **options,
    }
    return make_round(manager, owner, **options)


def leaks(text, organization):
    """The identifying strings found in ``text`` (case-insensitive)."""
    folded = text.casefold()
    needles = [ORG, ORG_EN, organization.uscc, *SHORT_FORMS]
    return [needle for needle in needles if needle.casefold() in folded]


def test_the_forms_that_name_the_organization(organization):
    forms = identifying_forms(organization)
    for form in (ORG, ORG_EN, organization.uscc, "翠鸟星辰生物医药", "翠鸟星辰", "kingfisher"):
        assert form.casefold() in forms
    assert names_organization("关于翠鸟星辰的评审", organization)
    assert names_organization(f"统一社会信用代码 {organization.uscc.lower()}", organization)
    assert names_organization("KINGFISHER project", organization)
    assert not names_organization("生物医药项目专业评审", organization)  # the industry alone names nobody
    assert not names_organization(TITLE, organization)


def test_a_title_or_label_naming_the_organization_is_refused(manager, owner, organization):
    for field, options in (
        ("title", {"title": "翠鸟星辰融资评审"}),
        ("title", {"title": f"{organization.uscc} 融资评审"}),
        ("assignee_title", {"assignee_title": "Kingfisher 项目"}),
    ):
        with pytest.raises(ValidationError) as refused:
            hidden_round(manager, owner, organization, **options)
        assert field in refused.value.error_dict
    # A round that does not hide the applicant may name it.
    named = make_round(manager, owner, subject_organization=organization, title="翠鸟星辰融资评审")
    assert named.assignee_label == "翠鸟星辰融资评审"


def test_a_recusal_reason_sent_to_the_expert_may_not_name_the_organization(manager, owner, organization):
    review_round = hidden_round(manager, owner, organization)
    services.open_round(actor=manager, review_round=review_round)
    assignment = cleared_assignment(manager, review_round, make_expert(user=UserFactory()))
    with pytest.raises(ValidationError) as refused:
        services.recuse_assignment(actor=manager, assignment=assignment, reason="发现其为翠鸟星辰顾问")
    assert "reason" in refused.value.error_dict
    services.recuse_assignment(actor=manager, assignment=assignment, reason="发现其为申请单位顾问")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_evaluator_finds_no_trace_of_the_hidden_organization(
    client, manager, owner, organization, language, django_capture_on_commit_callbacks
):
    prefix = "/en" if language == "en" else ""
    evaluator = UserFactory(roles=[RoleCode.EVALUATOR], preferred_language=language)
    peers = [UserFactory(roles=[RoleCode.EVALUATOR]) for _ in range(2)]
    seen = []  # (where, text) of everything the evaluator was shown or sent

    def look(*paths):
        client.force_login(evaluator)
        for path in paths:
            response = client.get(prefix + path)
            assert response.status_code == 200, path
            seen.append((path, response.content.decode()))

    with django_capture_on_commit_callbacks(execute=True):
        review_round = hidden_round(
            manager,
            owner,
            organization,
            outlier_threshold=Decimal(1),
            reviewers_see_scores_after_submit=True,
            min_scores=2,
        )
        services.open_round(actor=manager, review_round=review_round)
        for peer in peers:  # two colleagues score high first, so the evaluator's low total is an outlier
            submit(cleared_assignment(manager, review_round, make_expert(user=peer)), 9, 9, 9)
        assignment = services.assign_expert(
            actor=manager, review_round=review_round, expert=make_expert(user=evaluator, name="王评审")
        )
        address = f"/workspace/reviews/assignments/{assignment.pk}/"
        look(address, "/workspace/reviews/", "/workspace/", "/workspace/notifications/")

        client.force_login(evaluator)
        assert client.post(prefix + address, {"action": "accept"}).status_code == 302
        look(address)
        assert client.post(prefix + address, {"action": "declare", "answer": "none"}).status_code == 302
        look(address, "/workspace/reviews/", "/workspace/")

        # Overdue: the reminder names the round the way the evaluator sees it.
        review_round.deadline = timezone.now() - datetime.timedelta(hours=1)
        review_round.save(update_fields=["deadline"])
        assert services.send_overdue_reminders()

        values = values_for(review_round, 3, 3, 3)
        form = {"action": "save", "comment": "方案可行性存疑"}
        form |= {f"score_{pk}": str(value) for pk, value in values.items()}
        client.force_login(evaluator)
        assert client.post(prefix + address, form).status_code == 302
        look(address)
        assert client.post(prefix + address, form | {"action": "submit"}).status_code == 302
        assignment.refresh_from_db()
        assert assignment.state == AssignmentState.SUBMITTED
        look(address)  # the outlier follow-up and the other experts' scores
        assert 'id="outlier-reason"' in seen[-1][1] and 'id="other-scores"' in seen[-1][1]
        assert (
            client.post(prefix + address, {"action": "explain", "outlier_reason": "临床前数据不足"}).status_code == 302
        )
        services.close_round(actor=manager, review_round=review_round)
        look(address, "/workspace/reviews/", "/workspace/", "/workspace/notifications/")

    label = f"R-{review_round.pk}"
    assert all(label in html for path, html in seen if path.startswith("/workspace/reviews/")), "the neutral label"
    for path, html in seen:
        assert leaks(html, organization) == [], path
        assert SUBJECT not in html and TITLE not in html, path

    notifications = list(Notification.objects.filter(recipient=evaluator))
    assert len(notifications) == 4  # invited, may score, reminder, closed
    for notification in notifications:
        assert leaks(f"{notification.title}\n{notification.body}", organization) == [], notification.title
        assert TITLE not in notification.title
    mails = [message for message in mail.outbox if evaluator.email in message.to]
    assert mails  # invitation and reminder are mailed
    for message in mails:
        assert leaks(f"{message.subject}\n{message.body}", organization) == [], message.subject

    # The managers still see who is under review.
    client.force_login(manager)
    html = client.get(f"/en/workspace/reviews/rounds/{review_round.pk}/").content.decode()
    assert ORG_EN in html and TITLE in html
    html = client.get(f"/workspace/reviews/assignments/{assignment.pk}/").content.decode()
    assert ORG in html and SUBJECT in html


def test_a_suggested_conflict_is_shown_without_the_look_alike_name(client, manager, owner, organization):
    review_round = hidden_round(manager, owner, organization)
    services.open_round(actor=manager, review_round=review_round)
    evaluator = UserFactory(roles=[RoleCode.EVALUATOR])
    expert = make_expert(user=evaluator, affiliation_name="翠鸟星辰生物医药（深圳）有限公司")
    assignment = services.assign_expert(
        actor=manager, review_round=review_round, expert=expert, override_reason="唯一的细胞治疗专家"
    )
    services.accept_assignment(actor=evaluator, assignment=assignment)
    client.force_login(evaluator)
    html = client.get(f"/en/workspace/reviews/assignments/{assignment.pk}/").content.decode()
    assert "has a name similar to the organization under review" in html  # still told, so they can recuse
    assert leaks(html, organization) == []
    client.force_login(manager)
    html = client.get(f"/en/workspace/reviews/rounds/{review_round.pk}/").content.decode()
    assert "翠鸟星辰生物医药（深圳）有限公司" in html  # the managers see whom it resembles
