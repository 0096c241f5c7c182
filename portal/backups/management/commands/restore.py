"""manage.py restore FOLDER: a backup made by manage.py backup, checked against its manifest afterwards."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...archive import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and the file folders, then check rows and files against it."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="Replace a database that holds data, and the files folders."
        )

    def handle(self, *args, folder, replace, **options):
        try:
            found = restore(folder, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if found:
            raise CommandError("Restored, but it differs from the backup:\n" + "\n".join(found[:50]))
        self.stdout.write(f"Restored {folder}: every table's rows and every file's SHA-256 match the backup.")
