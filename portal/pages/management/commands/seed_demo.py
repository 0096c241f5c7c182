from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import autodiscover_modules

from portal.demo import DEMO_PASSWORD, steps


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refuses to run with production settings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without",
            action="append",
            default=[],
            metavar="PACKAGE",
            help="Leave out one domain's demo data (e.g. --without funds); repeatable. The browser tests use it to "
            "seed only what they walk through.",
        )

    def handle(self, *args, **options):
        if getattr(settings, "PORTAL_ENVIRONMENT", "") == "production":
            raise CommandError(
                "seed_demo refuses to run with production settings: it creates accounts with a shared password."
            )
        autodiscover_modules("demo")
        # Demo notifications stay in the portal; nobody needs their mail on the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            for step in steps(without=options["without"]):
                step(self._log)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo account's password: {DEMO_PASSWORD}"))

    def _log(self, message):
        self.stdout.write(f"  · {message}")
