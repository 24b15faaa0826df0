"""Checks of a restored VIK database (``make restore-drill``, scripts/services.sh).

    python scripts/restore_check.py RESTORED_URL SOURCE_URL|- COUNTS_AT_BACKUP.tsv

Run with DATABASE_URL=RESTORED_URL and the same FIELD_ENCRYPTION_KEYS as the source. It
1. runs ``verify_access_log`` (the hash chain intact after the restore),
2. decrypts the encryption canary and a sample of every encrypted column (up to 200 values each),
3. compares the row count of every table with the source database (when it still runs) and with
   the counts written at backup time (the restore must hold at least those).
Exit 0 when all hold; prints one line per check.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SAMPLE = 200


def main() -> int:
    restored_url, source_url, counts_file = sys.argv[1], sys.argv[2], sys.argv[3]
    os.environ["DATABASE_URL"] = restored_url
    # Nothing here needs Redis; the cache degrades when this does not answer.
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:1/0")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vik.settings.dev")
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from vik.core.encryption import (
        EncryptedCharField,
        EncryptedDateField,
        EncryptedTextField,
        assert_canary_decrypts,
    )

    ok = True
    try:
        call_command("verify_access_log")
        print("[drill] verify_access_log: chain intact")
    except SystemExit:
        print("[drill] verify_access_log: BROKEN")
        ok = False

    try:
        assert_canary_decrypts()
        print("[drill] encryption canary decrypts with the configured keys")
    except Exception as exc:  # noqa: BLE001
        print(f"[drill] encryption canary FAILED: {type(exc).__name__}")
        ok = False
    encrypted = (EncryptedCharField, EncryptedDateField, EncryptedTextField)
    decrypted = failed = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, encrypted):
                continue
            qs = model._base_manager.exclude(**{f"{field.name}__isnull": True}).order_by("?")
            try:
                values = list(qs.values_list(field.name, flat=True)[:SAMPLE])
                decrypted += sum(1 for v in values if v not in (None, ""))
            except Exception as exc:  # noqa: BLE001 - a value that does not decrypt
                failed += 1
                print(f"[drill] decrypt FAILED: {model._meta.label}.{field.name} ({type(exc).__name__})")
    print(f"[drill] decrypted a sample of {decrypted} encrypted values; {failed} columns failed")
    ok = ok and failed == 0

    def counts(conn) -> dict[str, int]:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
                "ORDER BY 1"
            )
            tables = [r[0] for r in cur.fetchall()]
            out = {}
            for t in tables:
                # Table names come from pg_class, quoted by PostgreSQL itself.
                cur.execute("SELECT quote_ident(%s)", [t])
                cur.execute(f"SELECT count(*) FROM {cur.fetchone()[0]}")  # noqa: S608
                out[t] = cur.fetchone()[0]
            return out

    restored = counts(connection)
    at_backup = {}
    if Path(counts_file).is_file():
        for line in Path(counts_file).read_text().splitlines():
            name, _, n = line.partition("\t")
            if n:
                at_backup[name] = int(n)
    short = {t: (n, restored.get(t, 0)) for t, n in at_backup.items() if restored.get(t, 0) < n}
    for t, (n, r) in sorted(short.items()):
        print(f"[drill] rows MISSING: {t} had {n} at backup time, restored {r}")
    print(
        f"[drill] row counts: {len(restored)} tables, {sum(restored.values())} rows; "
        f"{len(at_backup) - len(short)}/{len(at_backup)} tables hold at least their rows at backup time"
    )
    ok = ok and not short
    if source_url != "-":
        import psycopg

        try:
            with psycopg.connect(source_url, connect_timeout=5) as src:
                live = counts(src)
        except psycopg.OperationalError:
            print("[drill] source database not reachable: compared with the backup-time counts only")
        else:
            diff = {
                t: (live.get(t), restored.get(t))
                for t in set(live) | set(restored)
                if live.get(t) != restored.get(t)
            }
            for t, (a, b) in sorted(diff.items()):
                print(f"[drill] differs from the running source: {t} source {a}, restored {b}")
            print(
                f"[drill] compared with the running source: {len(live) - len(diff)}/{len(live)} tables equal"
                + (" (differences are writes after the last archived WAL segment)" if diff else "")
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
