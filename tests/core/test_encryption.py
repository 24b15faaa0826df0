import pytest
from cryptography.fernet import Fernet

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from vik.core.encryption import CANARY_PLAINTEXT, _fernet, assert_canary_decrypts, blind_index, ensure_canary
from vik.core.models import EncryptionCanary

pytestmark = pytest.mark.django_db


def _raw(pk):
    with connection.cursor() as cur:
        cur.execute("SELECT value FROM core_encryptioncanary WHERE id = %s", [pk])
        return cur.fetchone()[0]


def test_raw_sql_shows_no_plaintext():
    row = EncryptionCanary.objects.create(value="Narratief over Jan de Vries, BSN 111222333")
    raw = _raw(row.pk)
    assert "Jan de Vries" not in raw and "111222333" not in raw
    assert EncryptionCanary.objects.get(pk=row.pk).value.startswith("Narratief over Jan")


def test_rotation_keeps_old_rows_readable_and_reencrypt_moves_them(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    row = EncryptionCanary.objects.create(value="oud geheim")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    _fernet.cache_clear()
    assert EncryptionCanary.objects.get(pk=row.pk).value == "oud geheim"
    call_command("reencrypt", stdout=open("/dev/null", "w"))
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone: rows still decrypt
    _fernet.cache_clear()
    assert EncryptionCanary.objects.get(pk=row.pk).value == "oud geheim"
    _fernet.cache_clear()


def test_wrong_key_stops_start_up(settings):
    ensure_canary()
    assert_canary_decrypts()
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    _fernet.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="canary"):
        assert_canary_decrypts()
    _fernet.cache_clear()


def test_wrong_key_never_shows_ciphertext_as_data(settings):
    row = EncryptionCanary.objects.create(value=CANARY_PLAINTEXT)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    _fernet.cache_clear()
    with pytest.raises(ImproperlyConfigured):
        EncryptionCanary.objects.get(pk=row.pk)
    _fernet.cache_clear()


def test_blind_index_is_keyed_and_normalised(settings):
    assert blind_index("111 222 333") == blind_index("111222333")
    first = blind_index("111222333")
    settings.BLIND_INDEX_KEY = "another key"
    assert blind_index("111222333") != first
    assert "111222333" not in first
