"""record_many: the audit entries and history lines of many instances in bulk, as record() writes them one by one."""

import pytest
from wagtail.models import ModelLogEntry

from portal.history.models import Event
from portal.history.record import Entry, Line, record, record_many, timeline
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_many_entries_are_written_in_bulk_like_record_writes_one(django_assert_max_num_queries):
    actor, scope = UserFactory(), OrganizationFactory()
    organizations = OrganizationFactory.create_batch(30)
    entries = [
        Entry("wagtail.edit", org, {"n": index}, Line(scope, "tests:touched", org.name))
        for index, org in enumerate(organizations)
    ]
    entries.append(Entry("wagtail.create", scope, {}))
    with django_assert_max_num_queries(6):
        record_many(entries, actor=actor)
    audit = ModelLogEntry.objects.filter(action="wagtail.edit")
    assert audit.count() == 30 and len(set(audit.values_list("uuid", flat=True))) == 1
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(scope.pk)).exists()
    first = timeline(organizations[0])
    assert [(line.verb, line.summary, line.actor) for line in first] == [
        ("tests:touched", organizations[0].name, actor)
    ]
    assert Event.objects.in_scope(scope).count() == 30
    # The same line record() would write for one of them.
    single = record("wagtail.edit", actor=actor, instance=organizations[1], line=Line(scope, "tests:touched", "x"))
    bulk = timeline(organizations[1])[0]
    assert (single.scope_type_id, single.subject_type_id) == (bulk.scope_type_id, bulk.subject_type_id)
