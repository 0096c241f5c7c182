from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .names import validate_real_name
from .roles import RoleCode


class User(AbstractUser):
    """A person who logs in. Swappable from the very first migration."""

    real_name = models.CharField(_("real name"), max_length=100, blank=True, validators=[validate_real_name])
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Email is a login name too, so it must be unambiguous (case-insensitive).
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("A user with this email address already exists."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        """The real name people are known by (Wagtail's admin shows this), else first and last name."""
        return (self.real_name or "").strip() or super().get_full_name()

    @property
    def display_name(self):
        return str(self)


class Role(models.Model):
    """Gives a Django group a stable code that permission checks use."""

    code = models.CharField(_("code"), max_length=40, unique=True, choices=RoleCode.choices)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role", verbose_name=_("group"))

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self):
        return str(RoleCode(self.code).label)
