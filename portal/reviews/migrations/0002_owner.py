import django.db.models.deletion
from django.db import migrations, models


def forget_ownerless_rounds(apps, schema_editor):
    # A round without an owner could be run by nobody; there is no production data yet, and the demo makes its
    # round again with an owner.
    apps.get_model("reviews", "ReviewRound").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forget_ownerless_rounds, migrations.RunPython.noop),
        migrations.RemoveField(model_name="reviewround", name="managers"),
        migrations.AddField(
            model_name="reviewround",
            name="owner_id",
            field=models.CharField(max_length=64, null=True, verbose_name="owner id"),
        ),
        migrations.AddField(
            model_name="reviewround",
            name="owner_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="owner type",
            ),
        ),
        migrations.AlterField(
            model_name="reviewround",
            name="owner_id",
            field=models.CharField(max_length=64, verbose_name="owner id"),
        ),
        migrations.AlterField(
            model_name="reviewround",
            name="owner_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="owner type",
            ),
        ),
        migrations.AddField(
            model_name="reviewround",
            name="assignee_title",
            field=models.CharField(
                blank=True,
                help_text="Only when the applicant's identity is hidden: what reviewers see instead of the title. "
                "Empty: a neutral label with the round's number.",
                max_length=200,
                verbose_name="title shown to reviewers",
            ),
        ),
        migrations.AddField(
            model_name="scorecard",
            name="outlier_explained_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="outlier reason given"),
        ),
    ]
