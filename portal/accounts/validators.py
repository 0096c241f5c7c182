from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_CHARACTERS = set("0123456789+- ()")


def validate_phone(value):
    if value and not set(value) <= PHONE_CHARACTERS:
        raise ValidationError(_("A phone number may contain only digits, spaces, +, - and brackets."), code="phone")
