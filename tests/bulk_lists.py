"""Rows for the list budgets and benchmarks, written in bulk: the rows the services would leave (without their audit
entries and notifications), fast enough for 1,000 rows in a test and 100,000 in a benchmark.

Each function takes what the rows hang on (an owner, a folder, an expert…) and a count, and spreads dates, states and
people over the rows so that filters and sorts have something to do.
"""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from councils.models import Document, DocumentVersion
from funds.models import CommitteeMeeting, MeetingState
from portal.applications.models import Application, ApplicationState, SupplementRequest, SupplementState
from portal.experts.models import Expert
from portal.history.models import Event
from portal.reviews.models import Assignment, AssignmentState, ReviewRound, RoundState

BATCH = 500
_batches = itertools.count(1)


def _ago(n, days=400):
    return timezone.now() - datetime.timedelta(days=n % days, minutes=n % 1440)


def many_applications(kind, owner, applicants, count, *, officer, organizations=(), statuses=("submitted",)):
    """``count`` submitted applications of ``kind`` to ``owner`` by ``applicants`` in turn (every seventh a draft,
    every fifth with an open request for supplement from ``officer``)."""
    batch = next(_batches)
    owner_type = ContentType.objects.get_for_model(owner)
    rows = Application.objects.bulk_create(
        (
            Application(
                kind=kind,
                owner_type=owner_type,
                owner_id=str(owner.pk),
                applicant=applicants[n % len(applicants)],
                organization=organizations[n % len(organizations)] if organizations else None,
                reference=f"BULK{batch}-{n:06d}",
                title=f"批量测试申请{batch}-{n}",
                state=ApplicationState.DRAFT if n % 7 == 0 else ApplicationState.SUBMITTED,
                status="draft" if n % 7 == 0 else statuses[n % len(statuses)],
                created_at=_ago(n),
                submitted_at=None if n % 7 == 0 else _ago(n),
            )
            for n in range(count)
        ),
        batch_size=BATCH,
    )
    # auto_now gives every row the same updated_at: spread them, so the list's order is a real sort.
    Application.objects.filter(reference__startswith=f"BULK{batch}-").update(updated_at=F("created_at"))
    SupplementRequest.objects.bulk_create(
        (
            SupplementRequest(
                application=row,
                message="请补充材料。",
                deadline=timezone.localdate() + datetime.timedelta(days=7),
                requested_by=officer,
                state=SupplementState.OPEN,
                status_before=row.status,
            )
            for n, row in enumerate(rows)
            if n % 5 == 1
        ),
        batch_size=BATCH,
    )
    return rows


def many_rounds(owner, subject, rubric, count, *, created_by=None):
    """``count`` open review rounds owned by ``owner`` on ``subject``, deadlines spread over a year."""
    batch = next(_batches)
    now = timezone.now()
    return ReviewRound.objects.bulk_create(
        (
            ReviewRound(
                content_type=ContentType.objects.get_for_model(subject),
                object_id=subject.pk,
                title=f"批量评审轮次{batch}-{n}",
                rubric=rubric,
                deadline=now + datetime.timedelta(days=n % 365 - 180),
                owner_type=ContentType.objects.get_for_model(owner),
                owner_id=str(owner.pk),
                state=RoundState.OPEN,
                hide_applicant_identity=n % 3 == 0,
                created_by=created_by,
            )
            for n in range(count)
        ),
        batch_size=BATCH,
    )


def many_experts(users):
    """An expert for each user."""
    return Expert.objects.bulk_create(
        (Expert(user=user, name=f"批量专家{user.pk}") for user in users), batch_size=BATCH
    )


ASSIGNMENT_STATES = (
    AssignmentState.INVITED,
    AssignmentState.ACCEPTED,
    AssignmentState.CLEARED,
    AssignmentState.SUBMITTED,
    AssignmentState.DECLINED,
    AssignmentState.RECUSED,
)


def many_assignments(rounds, experts):
    """Every expert on every round (the states in turn): len(rounds) × len(experts) assignments."""
    return Assignment.objects.bulk_create(
        (
            Assignment(round=review_round, expert=expert, state=ASSIGNMENT_STATES[(n + m) % len(ASSIGNMENT_STATES)])
            for n, review_round in enumerate(rounds)
            for m, expert in enumerate(experts)
        ),
        batch_size=BATCH,
    )


def many_documents(folder, uploaders, count, *, versions=2):
    """``count`` documents in ``folder``, each with ``versions`` versions, the last one current."""
    batch = next(_batches)
    documents = Document.objects.bulk_create(
        (
            Document(
                folder=folder,
                title=f"批量会议材料{batch}-{n}",
                created_by=uploaders[n % len(uploaders)],
                created_at=_ago(n),
            )
            for n in range(count)
        ),
        batch_size=BATCH,
    )
    rows = DocumentVersion.objects.bulk_create(
        (
            DocumentVersion(
                document=document,
                number=number,
                file=f"councils/bulk/{document.pk}-{number}.pdf",
                original_name=f"材料{number}.pdf",
                size=1024 * (n + number),
                content_type="application/pdf",
                sha256="0" * 64,
                uploaded_by=uploaders[(n + number) % len(uploaders)],
                uploaded_at=_ago(n),
            )
            for n, document in enumerate(documents)
            for number in range(1, versions + 1)
        ),
        batch_size=BATCH,
    )
    latest = {row.document_id: row for row in rows}  # the last one written per document is its highest number
    for document in documents:
        document.current_version = latest[document.pk]
    Document.objects.bulk_update(documents, ["current_version"], batch_size=BATCH)
    return documents


def many_lines(scope, actors, count, verbs, *, hidden_every=0, hidden_verb=""):
    """``count`` lines of ``scope``'s activity stream by ``actors`` in turn (every ``hidden_every``-th one with
    ``hidden_verb``, a line some readers may not see)."""
    scope_type = ContentType.objects.get_for_model(scope)
    return Event.objects.bulk_create(
        (
            Event(
                scope_type=scope_type,
                scope_id=str(scope.pk),
                actor=actors[n % len(actors)],
                verb=hidden_verb if hidden_every and n % hidden_every == 0 else verbs[n % len(verbs)],
                summary=f"批量动态{n}",
                url="",
                created_at=_ago(n),
            )
            for n in range(count)
        ),
        batch_size=BATCH,
    )


def many_meetings(committee, convener, count):
    """``count`` past IC meetings (closed, a few cancelled) and one to come."""
    now = timezone.now()
    past = (
        CommitteeMeeting(
            committee=committee,
            title=f"第{n + 1}次投资决策委员会会议",
            starts_at=now - datetime.timedelta(days=7 * (n + 1)),
            location="坪山区会议中心",
            state=MeetingState.CANCELLED if n % 9 == 0 else MeetingState.CLOSED,
            created_by=convener,
        )
        for n in range(count)
    )
    coming = CommitteeMeeting(
        committee=committee,
        title="即将召开的投资决策委员会会议",
        starts_at=now + datetime.timedelta(days=10),
        created_by=convener,
    )
    return CommitteeMeeting.objects.bulk_create([*past, coming], batch_size=BATCH)
