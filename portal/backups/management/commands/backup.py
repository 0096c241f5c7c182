"""manage.py backup FOLDER: the database and the files, with a manifest (portal/backups/archive.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...archive import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (the engine's own dump) and the public and private files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder, **options):
        try:
            manifest = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = sum(len(hashes) for hashes in manifest["files"].values())
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"Backed up {rows} rows in {len(manifest['rows'])} tables and {files} files to {folder}.")
