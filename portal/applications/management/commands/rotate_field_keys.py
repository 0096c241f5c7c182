from django.core.management.base import BaseCommand, CommandError

from portal.applications import sealing
from portal.applications.models import Application, Submission


class Command(BaseCommand):
    help = (
        "Re-encrypt every personal identifier kept encrypted (encrypted model fields and the private fields of "
        "applications' answers, drafts and submissions) with the first of FIELD_ENCRYPTION_KEYS, and seal any "
        "value stored before encryption. Safe to run again: values already under the first key are left alone. "
        "Afterwards the older keys can be removed from FIELD_ENCRYPTION_KEYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows locked and written per transaction.")

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        unreadable = 0
        targets = [(model, field) for model, field in sealing.encrypted_columns()]
        targets += [(model, None) for model in (Application, Submission)]
        for model, field in targets:
            if field is None:
                label = f"{model._meta.label}.answers"
                counts = sealing.reseal_model(model, sealing.rotate_value, batch_size)
            else:
                label = f"{model._meta.label}.{field.name}"
                counts = sealing.reseal_column(model, field, sealing.rotate_value, batch_size)
            unreadable += counts[sealing.UNREADABLE]
            figures = ", ".join(
                f"{counts[outcome]} {outcome}"
                for outcome in (sealing.ROTATED, sealing.SEALED, sealing.CURRENT, sealing.UNREADABLE)
            )
            if counts["unknown_kind"]:
                figures += f", {counts['unknown_kind']} row(s) of a kind no longer registered skipped"
            self.stdout.write(f"{label}: {figures}")
        if unreadable:
            raise CommandError(
                f"{unreadable} value(s) could not be decrypted with any key in FIELD_ENCRYPTION_KEYS and were left "
                "as they are: put the key they were written with back in the list (after the first) and run again."
            )
