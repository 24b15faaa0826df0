"""Field and file encryption under VIK's own keys, the BSN blind index, and the start-up canary.

ADR 0002 explains why django-fernet-encrypted-fields replaced django-cryptography. The library
derives its keys from SECRET_KEY; VIK's subclasses use ``FIELD_ENCRYPTION_KEYS`` instead (Fernet
keys, the first encrypts, all decrypt), so that rotating SECRET_KEY never touches stored data and
rotating the data key is ``manage.py reencrypt``.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from encrypted_fields import fields as ef

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CANARY_PLAINTEXT = "vik-canary-v1"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (urlsafe base64 of 32 bytes), comma separated."
        )


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return fernet().decrypt(token)


def rotate_token(token: str) -> str:
    return fernet().rotate(token.encode()).decode()


class _VikKeys:
    @property
    def f(self):
        return fernet()

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        try:
            plain = self.f.decrypt(value.encode()).decode("utf-8")
        except InvalidToken:
            # A wrong key must never pass silently as ciphertext shown to a user.
            raise ImproperlyConfigured("Encrypted value does not decrypt: FIELD_ENCRYPTION_KEYS is wrong.")
        return super(ef.EncryptedFieldMixin, self).to_python(plain)


class EncryptedTextField(_VikKeys, ef.EncryptedTextField):
    pass


class EncryptedCharField(_VikKeys, ef.EncryptedCharField):
    pass


class EncryptedDateField(_VikKeys, ef.EncryptedDateField):
    pass


def blind_index(value: str) -> str:
    """HMAC-SHA256 of a normalised identifier under its own key: exact lookup without plaintext."""
    normalised = "".join(ch for ch in value if ch.isalnum()).upper()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def ensure_canary() -> None:
    from .models import EncryptionCanary

    if not EncryptionCanary.objects.exists():
        EncryptionCanary.objects.create(value=CANARY_PLAINTEXT)


def assert_canary_decrypts() -> None:
    """Refuse to start when the stored canary does not decrypt to its known value."""
    from django.db import connection
    from django.db.utils import DatabaseError

    try:
        with connection.cursor() as cur:
            cur.execute("SELECT value FROM core_encryptioncanary ORDER BY id LIMIT 1")
            row = cur.fetchone()
    except DatabaseError:
        return  # not migrated yet: nothing encrypted exists
    if row is None:
        return
    try:
        plain = fernet().decrypt(row[0].encode()).decode()
    except InvalidToken:
        plain = None
    if plain != CANARY_PLAINTEXT:
        raise ImproperlyConfigured(
            "Encryption canary does not decrypt: FIELD_ENCRYPTION_KEYS does not hold the key the data was "
            "written with. VIK refuses to start."
        )
