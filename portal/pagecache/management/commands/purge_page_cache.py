from django.core.management.base import BaseCommand

from portal.pagecache import store


class Command(BaseCommand):
    help = "Drop every cached public page (after a deploy that changed templates or code, or bulk writes)."

    def handle(self, *args, **options):
        store.purge_now(store.ALL)
        self.stdout.write("Every cached public page will be rendered afresh.")
