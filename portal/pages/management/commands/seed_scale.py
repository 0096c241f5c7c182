import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from portal import scale
from portal.pagecache import store as pagecache_store


class Command(BaseCommand):
    help = (
        "Add data at scale on top of the demo (issue 14): 10,000 deals with their histories, 50,000 applications, "
        "100,000 scorecards, 20,000 news articles, 10,000 library entries, 100,000 audit-log entries. A step whose "
        "rows are there already is skipped. Refuses to run with production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--factor", type=float, default=1.0, help="Multiply every count (0.01 writes 1%%); default 1."
        )
        parser.add_argument(
            "--only", default="", metavar="NAME,...", help="Run only these steps or apps (e.g. funds.deals,talent)."
        )

    def handle(self, *args, **options):
        if getattr(settings, "PORTAL_ENVIRONMENT", "") == "production":
            raise CommandError("seed_scale refuses to run with production settings: it writes made-up data.")
        if options["factor"] <= 0:
            raise CommandError("--factor must be greater than 0.")
        # The scale data builds on the demo's fund, programmes, experts and pages.
        if not get_user_model().objects.filter(username="fundmgr").exists():
            raise CommandError("No demo data: run `manage.py seed_demo` first, then seed_scale.")
        only = {name.strip() for name in options["only"].split(",") if name.strip()}
        chosen = scale.steps(only)
        if not chosen:
            raise CommandError(f"No step is called {options['only']}. Steps: {', '.join(s.key for s in scale.steps())}")
        context = scale.Context(now=timezone.now(), factor=options["factor"], log=self._log)
        started = time.perf_counter()
        for step in chosen:
            if step.done():
                self.stdout.write(f"{step.key:<24} already there: skipped (seed_scale ran before)")
                continue
            step_started = time.perf_counter()
            try:
                with transaction.atomic():
                    written = step.run(context.scaled(step.size), context)
            except scale.MissingDemo as missing:
                raise CommandError(f"{step.key}: {missing} Run `manage.py seed_demo` first.") from missing
            self.stdout.write(
                f"{step.key:<24} {written:>9,} {step.noun:<28} {time.perf_counter() - step_started:7.1f} s"
            )
        # Bulk rows send no signal: no kept public page may go on showing the lists before them.
        pagecache_store.purge_now(pagecache_store.ALL)
        self.stdout.write(self.style.SUCCESS(f"Scale data ready in {time.perf_counter() - started:.1f} s."))

    def _log(self, message):
        self.stdout.write(f"  · {message}")
