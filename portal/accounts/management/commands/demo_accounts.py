from django.conf import settings
from django.core.management.base import BaseCommand

from portal.accounts.demo import DEMO_USERS
from portal.accounts.roles import RoleCode
from portal.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo accounts and their shared password."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default=None,
            help="where the portal is served (default: PORTAL_BASE_URL, which `make run` sets to its host and port)",
        )

    def handle(self, *args, **options):
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for username, (real_name, roles, _language) in DEMO_USERS.items():
            # Only admin is a superuser; the fund's IC members have no role (the fund's rows give them power).
            label = ", ".join(RoleCode(code).value for code in roles) or ("superuser" if username == "admin" else "-")
            self.stdout.write(f"  {username:<16} {label:<16} {real_name}")
        url = (options["url"] or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
        self.stdout.write(f"Portal: {url}/  ·  English: {url}/en/  ·  CMS: {url}/admin/")
        self.stdout.write("")
