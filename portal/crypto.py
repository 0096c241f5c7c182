"""Encryption at rest of personal identifiers (ID and passport numbers, dates of birth), with ``cryptography``'s
Fernet (AES-128-CBC + HMAC-SHA256, a timestamped token).

Keys come from ``FIELD_ENCRYPTION_KEYS`` in the environment: comma-separated Fernet keys, the first encrypts and
every one decrypts (rotate by putting a new key first, then re-save). Production refuses to start without it
(portal/settings/production.py); elsewhere a key is derived from SECRET_KEY so that development and tests run.

Stored values carry a prefix, ``enc:``, so a reader can tell a token from a value written before encryption (read
as is, encrypted when next saved). ``EncryptedCharField`` is a text column of tokens; values inside JSON answers
(portal.applications, ``Kind.private_fields``) go through ``seal``/``unseal``. A token is never shown: templates and
lists read the masked value (portal.id_numbers.mask) unless a permission says otherwise. A token no key opens reads
as empty (``Unreadable``), never as the token, and a save writes it back unchanged.

``manage.py rotate_field_keys`` re-encrypts every sealed value with the first key (and seals any value stored before
encryption); after it, the old keys can be removed.
"""

import base64
import functools
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

PREFIX = "enc:"

logger = logging.getLogger(__name__)


@functools.cache
def _keys() -> tuple:
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or [])
    if not keys:
        if not settings.SECRET_KEY:
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS (or, outside production, SECRET_KEY) must be set.")
        keys = [base64.urlsafe_b64encode(hashlib.sha256(b"portal.crypto:" + settings.SECRET_KEY.encode()).digest())]
    try:
        return tuple(Fernet(key) for key in keys)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key.") from error


@functools.cache
def _fernet() -> MultiFernet:
    return MultiFernet(list(_keys()))


def reset_keys():
    """Forget the keys read (tests that change FIELD_ENCRYPTION_KEYS)."""
    _keys.cache_clear()
    _fernet.cache_clear()


@receiver(setting_changed)
def _forget_keys(*, setting, **kwargs):
    # override_settings(FIELD_ENCRYPTION_KEYS=…) must not keep encrypting with the keys read before it.
    if setting in ("FIELD_ENCRYPTION_KEYS", "SECRET_KEY"):
        reset_keys()


class Unreadable(str):
    """A sealed value that no key opens (its key was dropped from FIELD_ENCRYPTION_KEYS before the values were
    rotated): it reads as empty, but keeps its token, so that saving the row does not destroy the only copy."""

    token = ""

    def __new__(cls, token=""):
        value = super().__new__(cls, "")
        value.token = token
        return value


def is_sealed(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def seal(value):
    """``value`` (text) encrypted and prefixed; empty and already sealed values as they are."""
    if value in (None, "") or is_sealed(value):
        return value
    return PREFIX + _fernet().encrypt(str(value).encode()).decode()


def unseal(value):
    """The plain text of a sealed value; a value stored before encryption as it is. A token no key opens reads as
    empty (a rotated-out key): never as the token."""
    if not is_sealed(value):
        return value
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        logger.warning("A sealed value could not be decrypted with any of FIELD_ENCRYPTION_KEYS.")
        return Unreadable(value)


def is_current(value) -> bool:
    """Whether ``value`` needs no rotation: empty, or sealed with the first key."""
    if value in (None, ""):
        return True
    if not is_sealed(value):
        return False
    try:
        _keys()[0].decrypt(value[len(PREFIX) :].encode())
    except InvalidToken:
        return False
    return True


def rotate(value):
    """A value sealed with the first key (``manage.py rotate_field_keys``): a sealed value re-encrypted, a value
    stored before encryption sealed. Raises ``InvalidToken`` when no key opens it."""
    if not is_sealed(value):
        return seal(value)
    return PREFIX + _fernet().rotate(value[len(PREFIX) :].encode()).decode()


class EncryptedCharField(models.TextField):
    """Text kept encrypted in the database; Python code reads the plain text. It cannot be filtered or sorted on
    (each token differs): keep what lists filter by in other columns."""

    def from_db_value(self, value, expression, connection):
        return unseal(value)

    def to_python(self, value):
        return unseal(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if isinstance(value, Unreadable):
            return value.token  # written back as it was read: a missing key must not erase the value
        return seal(value)
