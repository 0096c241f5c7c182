import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from wagtail.models import ModelLogEntry

from portal.notifications.models import Notification
from portal.opinions import services
from portal.opinions.models import DocumentCounter, Opinion, OpinionState, SignOffDecision
from portal.opinions.sanitize import clean_body
from tests.opinions.conftest import approve, make_opinion

pytestmark = pytest.mark.django_db


def issue(opinion, people):
    services.request_issue(actor=people["editor"], opinion=opinion)
    return services.issue_now(opinion_id=opinion.pk, actor_id=people["editor"].pk)


def test_body_is_sanitized():
    dirty = '<p onclick="x()">正文<script>alert(1)</script><a href="javascript:x">链接</a></p><img src=x>'
    assert clean_body(dirty) == "<p>正文链接</p>"


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "<p>正文</p>", "title"),
        ("题" * 121, "<p>正文</p>", "title"),
        ("标题", "<p> </p>", "body"),
        ("标题", "<script>x</script>", "body"),
    ],
)
def test_bad_content_is_refused_and_nothing_is_saved(issuer, people, title, body, field):
    with pytest.raises(ValidationError) as error:
        make_opinion(issuer, people, title=title, body=body)
    assert field in error.value.message_dict
    assert Opinion.objects.count() == 0


def test_sign_off_list_must_name_people_once(issuer, people):
    with pytest.raises(ValidationError):
        make_opinion(issuer, people, signatories=[])
    with pytest.raises(ValidationError):
        make_opinion(issuer, people, signatories=[people["first"], people["first"]])
    assert Opinion.objects.count() == 0


def test_only_editors_create(issuer, people):
    with pytest.raises(PermissionDenied):
        services.create_opinion(
            actor=people["outsider"], issuer=issuer, title="t", body="<p>b</p>", signatories=[people["first"]]
        )


def test_ordered_sign_off_then_issue(issuer, people, fast_pdf):
    opinion = make_opinion(issuer, people)
    services.submit_for_review(actor=people["editor"], opinion=opinion)
    # The second signatory cannot sign before the first.
    with pytest.raises(PermissionDenied):
        services.sign_off(actor=people["second"], opinion=opinion, approve=True)
    with pytest.raises(PermissionDenied):
        services.sign_off(actor=people["outsider"], opinion=opinion, approve=True)
    services.sign_off(actor=people["first"], opinion=opinion, approve=True)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.IN_REVIEW
    services.sign_off(actor=people["second"], opinion=opinion, approve=True)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.APPROVED

    issued = issue(opinion, people)
    assert issued.state == OpinionState.ISSUED
    assert issued.number == f"坪生医共治〔{issued.year}〕1号"
    assert len(issued.verification_code) == 8
    assert len(issued.sha256) == 64
    assert issued.pdf.read().startswith(b"%PDF")
    actions = set(ModelLogEntry.objects.filter(object_id=str(opinion.pk)).values_list("action", flat=True))
    assert {"opinions.create", "opinions.submit", "opinions.sign", "opinions.approve", "opinions.issue"} <= actions
    assert Notification.objects.filter(recipient=people["editor"], title__icontains="").exists()


def test_returning_needs_a_reason_and_goes_back_to_draft(issuer, people):
    opinion = make_opinion(issuer, people)
    services.submit_for_review(actor=people["editor"], opinion=opinion)
    with pytest.raises(ValidationError):
        services.sign_off(actor=people["first"], opinion=opinion, approve=False, comment="")
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.IN_REVIEW
    services.sign_off(actor=people["first"], opinion=opinion, approve=False, comment="请补充风险分析")
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.DRAFT
    assert set(opinion.sign_offs.values_list("decision", flat=True)) == {SignOffDecision.PENDING}


def test_numbers_are_sequential_per_issuer_and_year(issuer, people, fast_pdf):
    numbers = []
    for index in range(3):
        opinion = make_opinion(issuer, people, title=f"意见{index}")
        approve(opinion, people)
        numbers.append(issue(opinion, people).sequence)
    assert numbers == [1, 2, 3]
    assert DocumentCounter.objects.get(issuer=issuer).last_number == 3


def test_issuing_twice_is_refused(issuer, people, fast_pdf):
    opinion = make_opinion(issuer, people)
    approve(opinion, people)
    issued = issue(opinion, people)
    with pytest.raises(ValidationError) as refused:
        services.request_issue(actor=people["editor"], opinion=issued)
    assert refused.value.code == "already_issued"
    # Running the task again changes nothing either.
    again = services.issue_now(opinion_id=opinion.pk, actor_id=people["editor"].pk)
    assert (again.number, again.sha256) == (issued.number, issued.sha256)
    assert len(fast_pdf) == 1


def test_a_failed_rendering_leaves_the_opinion_approved_and_uses_no_number(issuer, people, monkeypatch, fast_pdf):
    opinion = make_opinion(issuer, people)
    approve(opinion, people)

    def broken(opinion):
        raise RuntimeError("font missing")

    monkeypatch.setattr(services, "render_signed_pdf", broken)
    services.request_issue(actor=people["editor"], opinion=opinion)
    with pytest.raises(RuntimeError):
        services.issue_now(opinion_id=opinion.pk, actor_id=people["editor"].pk)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.APPROVED
    assert "font missing" in opinion.render_error
    assert opinion.number is None and not opinion.pdf
    assert not DocumentCounter.objects.filter(issuer=issuer, last_number__gt=0).exists()

    monkeypatch.setattr(services, "render_signed_pdf", lambda opinion: b"%PDF-1.7 retry")
    retried = issue(opinion, people)
    assert retried.sequence == 1 and retried.render_error == ""


def test_revoking_needs_a_reason(issuer, people, fast_pdf):
    opinion = make_opinion(issuer, people)
    approve(opinion, people)
    issued = issue(opinion, people)
    with pytest.raises(ValidationError):
        services.revoke(actor=people["editor"], opinion=issued, reason=" ")
    with pytest.raises(PermissionDenied):
        services.revoke(actor=people["outsider"], opinion=issued, reason="错误")
    revoked = services.revoke(actor=people["editor"], opinion=issued, reason="依据的数据有误")
    assert revoked.state == OpinionState.REVOKED and revoked.revoked_at is not None
    assert revoked.sha256 == issued.sha256


def test_upload_comparison(issuer, people, fast_pdf):
    opinion = make_opinion(issuer, people)
    approve(opinion, people)
    issued = issue(opinion, people)
    data = issued.pdf.read()
    assert services.matches_issued_file(issued, data)
    assert not services.matches_issued_file(issued, data[:-1] + b"X")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL matter; SQLite serializes")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issues_get_distinct_gap_free_numbers(issuer, people, fast_pdf):
    # Transactional tests before this one (the browser journeys) flush the database: start from the migrated
    # rows again (serialized rollback) with content type ids read afresh.
    ContentType.objects.clear_cache()
    opinions = []
    for index in range(8):
        opinion = make_opinion(issuer, people, title=f"并发意见{index}")
        approve(opinion, people)
        services.request_issue(actor=people["editor"], opinion=opinion)
        opinions.append(opinion)
    barrier = threading.Barrier(len(opinions))
    errors = []

    def worker(opinion_id):
        try:
            barrier.wait()
            services.issue_now(opinion_id=opinion_id, actor_id=people["editor"].pk)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(opinion.pk,)) for opinion in opinions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(Opinion.objects.filter(issuer=issuer).values_list("sequence", flat=True))
    assert sequences == list(range(1, 9))


def vote_through(secretary, poll, ballots):
    """Cast the ``ballots`` ({member: choice}) and close the poll; the poll re-read with its result."""
    from portal.voting import services as voting

    for member, choice in ballots.items():
        voting.cast_ballot(actor=member, poll=poll, choice=choice)
    voting.close_poll(actor=secretary, poll=poll)
    poll.refresh_from_db()
    return poll


def test_approval_by_a_passed_vote(issuer, owner, owner_grants, people):
    from portal.voting import services as voting
    from tests.factories import OrganizationFactory

    opinion = make_opinion(issuer, people, approval_mode="poll", signatories=[])
    services.submit_for_review(actor=people["editor"], opinion=opinion)
    secretary = people["editor"]  # who runs the body's votes: its MANAGE holder
    members = [people["first"], people["second"], people["outsider"]]
    other = make_opinion(issuer, people, title="另一份意见")
    wrong_poll = voting.create_poll(actor=secretary, owner=owner, subject=other, title="关于另一份意见的表决")
    poll = voting.create_poll(actor=secretary, owner=owner, subject=opinion, title="关于印发意见的表决")
    other_body = owner_grants.grant(secretary, OrganizationFactory(name="另一机构"))
    foreign_poll = voting.create_poll(actor=secretary, owner=other_body, subject=opinion, title="另一机构的表决")
    for ballot_poll in (poll, wrong_poll, foreign_poll):
        voting.open_poll(actor=secretary, poll=ballot_poll, voters=members, present=members)
    with pytest.raises(ValidationError) as other_subject:
        services.approve_by_poll(actor=people["editor"], opinion=opinion, poll=wrong_poll)
    assert other_subject.value.code == "other_subject"
    vote_through(secretary, foreign_poll, dict.fromkeys(members, "yes"))
    with pytest.raises(ValidationError) as other_owner:  # a vote of another body approves nothing here
        services.approve_by_poll(actor=people["editor"], opinion=opinion, poll=foreign_poll)
    assert other_owner.value.code == "other_owner"
    with pytest.raises(ValidationError) as still_open:
        services.approve_by_poll(actor=people["editor"], opinion=opinion, poll=poll)
    assert still_open.value.code == "not_passed"
    vote_through(secretary, poll, dict.fromkeys(members, "yes"))
    with pytest.raises(PermissionDenied):
        services.approve_by_poll(actor=people["outsider"], opinion=opinion, poll=poll)
    approved = services.approve_by_poll(actor=people["editor"], opinion=opinion, poll=poll)
    assert approved.state == OpinionState.APPROVED and approved.approval_poll == poll


def test_a_failed_vote_does_not_approve(issuer, owner, people):
    from portal.voting import services as voting

    opinion = make_opinion(issuer, people, approval_mode="poll", signatories=[])
    services.submit_for_review(actor=people["editor"], opinion=opinion)
    secretary = people["editor"]
    members = [people["first"], people["second"]]
    poll = voting.create_poll(actor=secretary, owner=owner, subject=opinion, title="关于印发意见的表决")
    voting.open_poll(actor=secretary, poll=poll, voters=members, present=members)
    vote_through(secretary, poll, {people["first"]: "yes", people["second"]: "no"})
    assert poll.passed is False
    with pytest.raises(ValidationError):
        services.approve_by_poll(actor=people["editor"], opinion=opinion, poll=poll)
    opinion.refresh_from_db()
    assert opinion.state == OpinionState.IN_REVIEW
