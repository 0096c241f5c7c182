from django.core.management.base import BaseCommand

from portal.reviews.services import send_overdue_reminders


class Command(BaseCommand):
    help = "Remind experts whose review deadline has passed (at most once a day per assignment)."

    def handle(self, *args, **options):
        reminded = send_overdue_reminders()
        self.stdout.write(f"{len(reminded)} reminder(s) sent.")
