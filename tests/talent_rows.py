"""Many talent rows at once, written with bulk_create (the lists' query budgets and the lists' benchmark): base and
special-talent applications with their engine rows, service requests, library entries, roadshows and calls. The
rows are what the services would leave in the database, without the audit, timeline and notifications around them
(no list reads those).

    bases = base_applications(call, [team], 1_000, themes=[biomed])
"""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from portal.applications.models import Application, ApplicationState
from talent.base_kind import BASE_APPLICATION
from talent.models import (
    BaseApplication,
    BaseStage,
    Call,
    EnterpriseDemand,
    ListingState,
    PatentListing,
    ProjectListing,
    Roadshow,
    ServiceKind,
    ServiceRequest,
    ServiceState,
    SpecialStage,
    SpecialTalentApplication,
)
from talent.special_kind import SPECIAL_APPLICATION

BATCH = 500
# Each kind of row cycles through these, so any filter finds some rows whatever the count.
BASE_STAGES = tuple(BaseStage.values)
SPECIAL_STAGES = tuple(SpecialStage.values)
SERVICE_STATES = tuple(ServiceState.values)
SERVICE_KINDS = tuple(ServiceKind.values)
LIBRARY_STATES = (ListingState.PUBLISHED, ListingState.PUBLISHED, ListingState.PENDING, ListingState.RETURNED)
OWN_FIELDS = {
    ProjectListing: {"stage": "prototype", "seeking": "partners", "country": "Japan"},
    EnterpriseDemand: {"demand_kind": "research"},
    PatentListing: {"patent_kind": "invention", "licensing": "either", "patent_number": "ZL202310000001.X"},
}
_serial = itertools.count(1)


def _engine_rows(kind, owner, applicants, count, title):
    """``count`` submitted Application rows of ``kind`` owned by ``owner``, the applicants taken in turn."""
    owner_type = ContentType.objects.get_for_model(owner)
    now = timezone.now()
    batch = next(_serial)
    rows = [
        Application(
            kind=kind.code,
            owner_type=owner_type,
            owner_id=str(owner.pk),
            applicant=applicants[number % len(applicants)],
            reference=f"BULK-{batch}-{number + 1:06d}",
            title=title.format(number=number + 1),
            state=ApplicationState.SUBMITTED,
            status="submitted",
            submitted_at=now - datetime.timedelta(minutes=number),
        )
        for number in range(count)
    ]
    return Application.objects.bulk_create(rows, batch_size=BATCH)


def base_applications(call, applicants, count, *, themes, stages=BASE_STAGES):
    """``count`` base applications to ``call`` in every stage of ``stages``, each sent a minute before the next."""
    engine = _engine_rows(BASE_APPLICATION, call, applicants, count, "批量测试项目{number}")
    now = timezone.now()
    rows = [
        BaseApplication(
            application=application,
            call=call,
            team_name=f"Bulk Team {number + 1}",
            theme=themes[number % len(themes)],
            project_stage="prototype",
            stage=stages[number % len(stages)],
            stage_changed_at=now - datetime.timedelta(minutes=number),
        )
        for number, application in enumerate(engine)
    ]
    return BaseApplication.objects.bulk_create(rows, batch_size=BATCH)


def special_applications(call, applicants, employers, count, *, themes, authority=None, stages=SPECIAL_STAGES):
    """``count`` special-talent applications to ``call``, employers, sectors and stages taken in turn."""
    engine = _engine_rows(SPECIAL_APPLICATION, call, applicants, count, "批量特殊人才{number}")
    now = timezone.now()
    today = timezone.localdate()
    rows = []
    for number, application in enumerate(engine):
        stage = stages[number % len(stages)]
        on_notice = stage == SpecialStage.NOTICE
        rows.append(
            SpecialTalentApplication(
                application=application,
                call=call,
                employer=employers[number % len(employers)],
                candidate_name=f"候选人{number + 1}",
                field="生物医药研发",
                theme=themes[number % len(themes)],
                id_kind="passport",
                id_number=f"E{number + 1:08d}",
                birth_date="1980-01-01",
                authority=authority,
                stage=stage,
                stage_changed_at=now - datetime.timedelta(minutes=number),
                notice_starts_on=today - datetime.timedelta(days=2) if on_notice else None,
                notice_ends_on=today + datetime.timedelta(days=5) if on_notice else None,
            )
        )
    return SpecialTalentApplication.objects.bulk_create(rows, batch_size=BATCH)


def service_requests(bases, count, *, requested_by, officers=()):
    """``count`` service requests over ``bases``: every kind and state, some late, some assigned."""
    today = timezone.localdate()
    now = timezone.now()
    assignees = [None, *officers]
    rows = [
        ServiceRequest(
            base_application=bases[number % len(bases)],
            kind=SERVICE_KINDS[number % len(SERVICE_KINDS)],
            details=f"批量服务申请{number + 1}",
            state=SERVICE_STATES[number % len(SERVICE_STATES)],
            requested_by=requested_by,
            requested_at=now - datetime.timedelta(hours=number),
            due_on=today + datetime.timedelta(days=number % 30 - 10),
            assigned_to=assignees[number % len(assignees)],
        )
        for number in range(count)
    ]
    return ServiceRequest.objects.bulk_create(rows, batch_size=BATCH)


def listings(model, programme, submitters, count, *, themes, states=LIBRARY_STATES):
    """``count`` entries of one library, states, submitters and themes taken in turn (themes set in bulk too)."""
    now = timezone.now()
    rows = []
    for number in range(count):
        state = states[number % len(states)]
        rows.append(
            model(
                programme=programme,
                title=f"批量资源条目{number + 1}",
                title_en=f"Bulk entry {number + 1}",
                summary="用于列表性能测试的资源库条目：单细胞测序、抗体药物、医疗器械。",
                keywords="测序,抗体",
                holder_name=f"坪山批量团队{number % 50}",
                contact_name="张联系",
                contact_email="contact@example.cn",
                submitted_by=submitters[number % len(submitters)],
                state=state,
                published_at=now - datetime.timedelta(minutes=number) if state == ListingState.PUBLISHED else None,
                created_at=now - datetime.timedelta(minutes=number),
                **OWN_FIELDS[model],
            )
        )
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    through = model.themes.through
    links = [
        through(**{f"{model._meta.model_name}_id": row.pk, "theme_id": themes[number % len(themes)].pk})
        for number, row in enumerate(created)
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    return created


def roadshows(programme, count, *, themes):
    """``count`` published roadshows, half past and half to come."""
    now = timezone.now()
    batch = next(_serial)
    rows = []
    for number in range(count):
        starts = now + datetime.timedelta(days=(number % 2 * 2 - 1) * (number + 1))
        rows.append(
            Roadshow(
                programme=programme,
                title=f"批量路演{number + 1}",
                title_en=f"Bulk roadshow {number + 1}",
                slug=f"bulk-roadshow-{batch}-{number + 1}",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3),
                venue="坪山会堂",
                registration_closes_on=(starts - datetime.timedelta(days=1)).date(),
            )
        )
    created = Roadshow.objects.bulk_create(rows, batch_size=BATCH)
    through = Roadshow.themes.through
    through.objects.bulk_create(
        [through(roadshow_id=row.pk, theme_id=themes[n % len(themes)].pk) for n, row in enumerate(created)],
        batch_size=BATCH,
    )
    return created


def calls(programme, count, *, themes):
    """``count`` published calls of ``programme``, each open for a month, one a week back in time."""
    today = timezone.localdate()
    batch = next(_serial)
    rows = [
        Call(
            programme=programme,
            title=f"批量申请批次{number + 1}",
            title_en=f"Bulk call {number + 1}",
            slug=f"bulk-call-{batch}-{number + 1}",
            opens_on=today - datetime.timedelta(days=7 * number + 10),
            closes_on=today - datetime.timedelta(days=7 * number - 20),
        )
        for number in range(count)
    ]
    created = Call.objects.bulk_create(rows, batch_size=BATCH)
    through = Call.themes.through
    through.objects.bulk_create(
        [through(call_id=row.pk, theme_id=themes[n % len(themes)].pk) for n, row in enumerate(created)],
        batch_size=BATCH,
    )
    return created
