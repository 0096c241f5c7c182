from django.core.management.base import BaseCommand
from django.db import transaction

from councils.models import Council
from councils.services import sync_workspace_permissions


class Command(BaseCommand):
    help = "Rebuild the workspace object permissions of every council and committee (idempotent)."

    def handle(self, *args, **options):
        granted = revoked = 0
        with transaction.atomic():
            for council in Council.objects.order_by("pk"):
                added, removed = sync_workspace_permissions(council)
                granted += added
                revoked += removed
        self.stdout.write(f"workspace permissions: {granted} granted, {revoked} revoked")
