"""Re-encrypt every encrypted field under the first key of FIELD_ENCRYPTION_KEYS (key rotation).
Rows encrypted under an older key stay readable until then; afterwards the old key can go."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from vik.core.encryption import EncryptedCharField, EncryptedDateField, EncryptedTextField, rotate_token

ENCRYPTED = (EncryptedCharField, EncryptedTextField, EncryptedDateField)


class Command(BaseCommand):
    help = "Move all encrypted values to the current (first) key."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, ENCRYPTED)]
            if not fields or not model._meta.managed:
                continue
            table = model._meta.db_table
            pk = model._meta.pk.column
            for field in fields:
                col = field.column
                with connection.cursor() as cur:
                    cur.execute(f'SELECT "{pk}", "{col}" FROM "{table}" WHERE "{col}" IS NOT NULL')  # noqa: S608
                    rows = cur.fetchall()
                with transaction.atomic(), connection.cursor() as cur:
                    for row_pk, token in rows:
                        cur.execute(
                            f'UPDATE "{table}" SET "{col}" = %s WHERE "{pk}" = %s',
                            [rotate_token(token), row_pk],
                        )  # noqa: S608
                total += len(rows)
                self.stdout.write(f"{table}.{col}: {len(rows)} values re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"done: {total} values under the current key"))
