"""Access-log integrity (issue #15 item 8): TRUNCATE guard on every partition and on the chain
head, month partitions from migrate time on, and a verifier that also counts rows."""

from datetime import date

import pytest

from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError

from vik.core.accesslog import log_access, verify_chain
from vik.core.constants import AccessAction
from vik.core.partitions import ensure_partition

pytestmark = pytest.mark.django_db


def _next_month(d: date) -> tuple[int, int]:
    return (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)


def _partitions() -> list[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'core_accesslog'::regclass"
        )
        return sorted(r[0] for r in cur.fetchall())


def _rejected(sql: str, params=None) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, params)
    except (InternalError, ProgrammingError):
        return True
    return False


def test_current_and_next_month_partitions_exist_after_migrate():
    today = date.today()
    y, m = _next_month(today)
    names = _partitions()
    assert f"core_accesslog_{today:%Y%m}" in names
    assert f"core_accesslog_{y:04d}{m:02d}" in names


def test_a_read_today_lands_in_this_months_partition(make_user):
    row_id = log_access(user=make_user("analyst"), action=AccessAction.READ)
    with connection.cursor() as cur:
        cur.execute("SELECT tableoid::regclass::text FROM core_accesslog WHERE id = %s", [row_id])
        assert cur.fetchone()[0] == f"core_accesslog_{date.today():%Y%m}"


def test_truncate_is_rejected_on_every_partition_present_and_future_and_on_the_head(make_user):
    log_access(user=make_user("analyst"), action=AccessAction.READ)
    later = ensure_partition(2031, 7)  # created after migrate, as the beat job does
    tables = [*_partitions(), "core_accesslog_head"]
    assert later in tables and "core_accesslog_default" in tables
    for table in tables:
        assert _rejected(f"TRUNCATE {table}"), table
    assert verify_chain() is None


def test_the_head_cannot_be_deleted_or_rewound(make_user):
    log_access(user=make_user("analyst"), action=AccessAction.READ)
    assert _rejected("DELETE FROM core_accesslog_head")
    assert _rejected("UPDATE core_accesslog_head SET hash = repeat('0', 64)")
    assert _rejected("UPDATE core_accesslog_head SET length = 0")
    assert verify_chain() is None


def test_verifier_finds_an_emptied_partition_even_with_the_head_rewound(make_user, capsys):
    user = make_user("analyst")
    for i in range(5):
        log_access(user=user, action=AccessAction.READ, purpose=f"zaak {i}")
    with connection.cursor() as cur:  # a database superuser switches the triggers off
        cur.execute("SET session_replication_role = replica")
        cur.execute(f"TRUNCATE core_accesslog_{date.today():%Y%m}")
        cur.execute("UPDATE core_accesslog_head SET hash = repeat('0', 64)")
        cur.execute("SET session_replication_role = DEFAULT")
    broken = verify_chain()
    # (rows committed by browser tests of the same database may also sit in this month's partition)
    assert broken is not None and "rows but 0 are present" in broken.reason
    with pytest.raises(SystemExit):
        call_command("verify_access_log")
    assert "partition was emptied" in capsys.readouterr().out


def test_verifier_reports_a_partition_created_without_the_guard():
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE core_accesslog_203201 PARTITION OF core_accesslog "
            "FOR VALUES FROM ('2032-01-01') TO ('2032-02-01')"
        )
    broken = verify_chain()
    assert broken is not None and "core_accesslog_203201" in broken.reason


def test_migration_moves_rows_out_of_the_default_partition_keeping_the_chain(make_user):
    """Existing installations logged everything into the default partition: core 0008 moves those
    rows into month partitions without touching ids or hashes."""
    import importlib
    from datetime import UTC, datetime

    import time_machine

    user = make_user("analyst")
    with time_machine.travel(datetime(2025, 3, 14, 10, 0, tzinfo=UTC), tick=False):
        ids = [log_access(user=user, action=AccessAction.READ, purpose=f"zaak {i}") for i in range(3)]
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM core_accesslog_default")
        assert cur.fetchone()[0] == 3
    migration = importlib.import_module("vik.core.migrations.0008_access_log_integrity")
    with connection.schema_editor() as editor:
        migration.move_default_rows_and_create_months(None, editor)
    with connection.cursor() as cur:
        cur.execute("SELECT DISTINCT tableoid::regclass::text FROM core_accesslog WHERE id = ANY(%s)", [ids])
        assert [r[0] for r in cur.fetchall()] == ["core_accesslog_202503"]
        cur.execute("SELECT count(*) FROM core_accesslog_default")
        assert cur.fetchone()[0] == 0
    assert _rejected("TRUNCATE core_accesslog_202503") and _rejected("TRUNCATE core_accesslog_default")
    assert verify_chain() is None
