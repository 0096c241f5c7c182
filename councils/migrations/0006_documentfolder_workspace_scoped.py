"""DocumentFolder becomes WorkspaceScoped like every other workspace item: ``council`` is always set (for a
committee's folders, the committee's council) and ``committee`` is empty for the plenary workspace."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_council(apps, schema_editor):
    DocumentFolder = apps.get_model("councils", "DocumentFolder")
    Committee = apps.get_model("councils", "Committee")
    DocumentFolder.objects.filter(committee__isnull=False).update(
        council=Subquery(Committee.objects.filter(pk=OuterRef("committee_id")).values("council_id")[:1])
    )


def clear_council(apps, schema_editor):
    """Back to the old shape, where a committee's folder named no council."""
    DocumentFolder = apps.get_model("councils", "DocumentFolder")
    DocumentFolder.objects.filter(committee__isnull=False).update(council=None)


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0005_activity_to_history"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="documentfolder", name="councils_folder_one_workspace"),
        migrations.RemoveConstraint(model_name="documentfolder", name="councils_folder_name_unique_committee"),
        migrations.AlterField(
            model_name="documentfolder",
            name="committee",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for the council's plenary workspace.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="councils.committee",
                verbose_name="committee",
            ),
        ),
        migrations.AlterField(
            model_name="documentfolder",
            name="council",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="councils.council",
                verbose_name="council",
            ),
        ),
        migrations.RunPython(fill_council, clear_council),
        migrations.AlterField(
            model_name="documentfolder",
            name="council",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="councils.council",
                verbose_name="council",
            ),
        ),
        migrations.AddConstraint(
            model_name="documentfolder",
            constraint=models.UniqueConstraint(
                condition=models.Q(("committee__isnull", False)),
                fields=("committee", "name"),
                name="councils_folder_name_unique_committee",
                violation_error_message="This workspace already has a folder with this name.",
            ),
        ),
    ]
