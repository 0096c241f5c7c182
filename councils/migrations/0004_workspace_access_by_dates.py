from django.db import migrations


def drop_workspace_permissions(apps, schema_editor):
    """Workspace access is read from the dated membership rows now: the object permissions that used to mirror
    them would only mislead (deleting the permission deletes its guardian rows with it)."""
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="councils", codename="open_workspace").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("councils", "0003_workspace_collaboration"),
        ("guardian", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="committee",
            options={
                "ordering": ["council", "order", "pk"],
                "verbose_name": "committee",
                "verbose_name_plural": "committees",
            },
        ),
        migrations.AlterModelOptions(
            name="council",
            options={
                "ordering": ["theme__order", "name_zh"],
                "permissions": [("override_composition", "Can override the industry share rule")],
                "verbose_name": "council",
                "verbose_name_plural": "councils",
            },
        ),
        migrations.RunPython(drop_workspace_permissions, migrations.RunPython.noop),
    ]
