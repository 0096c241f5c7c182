"""Seal the personal identifiers that were stored in plain text before answers were encrypted (the offshore base's
passport numbers in existing drafts and submissions): the private fields of every registered kind
(``Kind.private_fields``), in Application.answers and Submission.answers. Values already sealed are left alone;
``manage.py rotate_field_keys`` does the same and re-encrypts with the newest key."""

from django.db import migrations


def seal_plain_answers(apps, schema_editor):
    from portal.applications import sealing

    for name in ("Application", "Submission"):
        sealing.reseal_model(apps.get_model("applications", name), sealing.seal_value)


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    # Migrating back leaves the values sealed: the answers' readers unseal them whichever migration is applied.
    operations = [migrations.RunPython(seal_plain_answers, migrations.RunPython.noop, elidable=True)]
