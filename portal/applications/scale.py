"""Applications for the scale data (``portal.scale``): a domain's step describes each application (who, for what,
in which state, when) and this writes them in bulk statements as the engine would have left them: the title the
kind draws from the answers, gap-free references per prefix and year from the same counters, the first submission
frozen, and the time of the last change."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models.functions import Coalesce

from portal.scale import BATCH, SHANGHAI

from . import kinds
from .models import Application, ReferenceCounter, Submission


@dataclass
class Planned:
    applicant: object
    organization: object
    answers: dict
    state: str  # ApplicationState
    status: str  # a code of the kind's statuses
    created_at: object
    submitted_at: object = None  # None for a draft


def make_applications(kind_code: str, owner, planned: list) -> list:
    """The ``planned`` applications of kind ``kind_code`` to ``owner`` (in the same order), saved."""
    kind = kinds.get(kind_code)
    owner_type = ContentType.objects.get_for_model(owner)
    references = _references(kind, [plan.submitted_at for plan in planned])
    applications = [
        Application(
            kind=kind.code,
            owner_type=owner_type,
            owner_id=str(owner.pk),
            applicant=plan.applicant,
            organization=plan.organization,
            reference=reference,
            title=(kind.title_from(plan.answers) if kind.title_from else "")[:200],
            answers=plan.answers,
            state=plan.state,
            status=plan.status,
            created_at=plan.created_at,
            submitted_at=plan.submitted_at,
        )
        for plan, reference in zip(planned, references, strict=True)
    ]
    Application.objects.bulk_create(applications, batch_size=BATCH)
    Submission.objects.bulk_create(
        (
            Submission(
                application=application,
                number=1,
                submitted_at=application.submitted_at,
                submitted_by=application.applicant,
                answers=application.answers,
            )
            for application in applications
            if application.submitted_at is not None
        ),
        batch_size=BATCH,
    )
    # ``updated_at`` is auto_now (the bulk insert stamped this moment): the last change was the sending, or the start.
    for chunk in range(0, len(applications), BATCH):
        pks = [application.pk for application in applications[chunk : chunk + BATCH]]
        Application.objects.filter(pk__in=pks).update(updated_at=Coalesce("submitted_at", "created_at"))
    return applications


def _references(kind, moments) -> list:
    """A reference for each sent application (None for a draft), numbered on from each year's counter in the order
    they were sent, the counters moved past them."""
    by_year = defaultdict(list)
    for index, moment in enumerate(moments):
        if moment is not None:
            by_year[moment.astimezone(SHANGHAI).year].append((moment, index))
    references = [None] * len(moments)
    for year, sent in by_year.items():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
            prefix=kind.reference_prefix, year=year
        )
        for number, (_moment, index) in enumerate(sorted(sent), start=counter.last_number + 1):
            references[index] = f"{kind.reference_prefix}-{year}-{number:04d}"
        counter.last_number += len(sent)
        counter.save(update_fields=["last_number"])
    return references
