from django.core.management.base import BaseCommand

from portal.applications.services import expire_overdue_supplements


class Command(BaseCommand):
    help = "Expire the requests for supplement whose deadline day has ended, and their applications (run daily)."

    def handle(self, *args, **options):
        count = expire_overdue_supplements()
        self.stdout.write(f"{count} application(s) expired.")
