"""Password rules beyond Django's own validators (AUTH_PASSWORD_VALIDATORS)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHARACTER_CLASSES = (str.islower, str.isupper, str.isdigit, lambda char: not char.isalnum())


class CharacterClassValidator:
    """At least ``min_classes`` of the four kinds of character: lower-case, upper-case, digits, symbols.

    Letters without case (Chinese characters) count as none of them, so they add length but not variety.
    """

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def classes_in(self, password):
        return sum(any(is_kind(char) for char in password) for is_kind in CHARACTER_CLASSES)

    def validate(self, password, user=None):
        if self.classes_in(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _(
            "Your password must use at least %(min_classes)d of these four kinds of character: lower-case letters, "
            "upper-case letters, digits and symbols."
        ) % {"min_classes": self.min_classes}
