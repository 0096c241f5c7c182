"""The workspace activity stream moves to the portal's one history mechanism (portal.history.Event): each line
is copied with its scope (the committee, or the council for the plenary workspace), then the old table goes."""

from django.db import migrations


def copy_lines(apps, schema_editor):
    Activity = apps.get_model("councils", "Activity")
    Event = apps.get_model("history", "Event")
    ContentType = apps.get_model("contenttypes", "ContentType")
    council_type, _ = ContentType.objects.get_or_create(app_label="councils", model="council")
    committee_type, _ = ContentType.objects.get_or_create(app_label="councils", model="committee")
    lines = [
        Event(
            scope_type=committee_type if line.committee_id else council_type,
            scope_id=str(line.committee_id or line.council_id),
            actor_id=line.actor_id,
            verb=line.verb,
            summary=line.summary,
            url=line.url,
            created_at=line.created_at,
        )
        for line in Activity.objects.order_by("pk").iterator()
    ]
    Event.objects.bulk_create(lines, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0004_workspace_access_by_dates"),
        ("history", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_lines, migrations.RunPython.noop),
        migrations.DeleteModel(name="Activity"),
    ]
