"""Turn off a person's two-factor sign-in (a lost phone and lost recovery codes): they set it up again at their next
sign-in. Run by an administrator who has checked who is asking; recorded in the person's audit log."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.history.record import record


class Command(BaseCommand):
    help = "Remove a person's authenticator and recovery codes, so that they set up two-factor sign-in again."

    def add_arguments(self, parser):
        parser.add_argument("username")

    @transaction.atomic
    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is named {username!r}.")
        removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
        record("accounts.two_factor_reset", actor=None, instance=user, data={"devices": removed})
        self.stdout.write(f"Two-factor sign-in of {username} reset ({removed} devices removed).")
