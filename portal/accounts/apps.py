from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from .signals import grant_editor_permissions

        post_migrate.connect(grant_editor_permissions, dispatch_uid="accounts.grant_editor_permissions")
