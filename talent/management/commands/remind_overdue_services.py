from django.core.management.base import BaseCommand

from talent.services.service_requests import remind_overdue


class Command(BaseCommand):
    help = "Remind officers of the service requests past their due date, once a day per request (run daily)."

    def handle(self, *args, **options):
        reminded = remind_overdue()
        self.stdout.write(f"{len(reminded)} overdue service request(s) reminded.")
