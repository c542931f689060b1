"""Encryption at rest for secrets (escrowed credentials, TOTP seeds).

A small TextField over MultiFernet: the newest key in ``settings.ESCROW_KEYS``
encrypts, every listed key decrypts, and ``rotate_escrow_keys`` rewrites each
stored token under the newest key. Ciphertext differs on every write, so these
fields are never filtered on, indexed or unique.
"""

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=8)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        # Never echo the key material itself.
        raise ImproperlyConfigured("ESCROW_KEYS holds a value that is not a Fernet key.") from exc


def fernet() -> MultiFernet:
    return _multifernet(tuple(settings.ESCROW_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured("A stored secret cannot be decrypted with ESCROW_KEYS.") from exc


def rotate(token: str) -> str:
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class Secret(str):
    """A decrypted value whose repr never shows it (tracebacks, debug pages, logs)."""

    def __repr__(self) -> str:
        return "Secret('********')"


class EncryptedTextField(models.TextField):
    """Stores Fernet tokens; Python sees plaintext wrapped in ``Secret``.

    Exclude every such field from django-simple-history, or the old ciphertext
    outlives key rotation in the history table.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return Secret(decrypt(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        return encrypt(str(value))
