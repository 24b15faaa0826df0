"""Monthly partitions of the access log. Rows fall into the default partition when no month
partition exists; every ``migrate`` creates this month's and the next month's partition, and the
beat job creates partitions for this month and the next three. Every partition gets the TRUNCATE
guard (``core_accesslog_guard_partition``, migration core 0008) in the statement that creates it."""

from __future__ import annotations

from datetime import date

from django.db import connection


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def ensure_partition(year: int, month: int) -> str:
    start, end = month_bounds(year, month)
    name = f"core_accesslog_{year:04d}{month:02d}"
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", [name])
        if cur.fetchone()[0] is not None:
            return name
        # Move any rows of this month out of the default partition first (rare: only when the
        # job did not run ahead of time).
        cur.execute("SELECT count(*) FROM core_accesslog_default WHERE at >= %s AND at < %s", [start, end])
        if cur.fetchone()[0]:
            return "core_accesslog_default"
        cur.execute(
            f"CREATE TABLE {name} PARTITION OF core_accesslog FOR VALUES FROM ('{start}') TO ('{end}')"
        )
        cur.execute("SELECT core_accesslog_guard_partition(%s::regclass)", [name])
    return name


def ensure_partitions(months_ahead: int = 3, today: date | None = None) -> list[str]:
    today = today or date.today()
    names = []
    y, m = today.year, today.month
    for _ in range(months_ahead + 1):
        names.append(ensure_partition(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return names


def unguarded_partitions() -> list[str]:
    """Partitions of the access log (and the chain head) that lack the TRUNCATE guard."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT c.oid::regclass::text FROM pg_class c
            WHERE (c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'core_accesslog'::regclass)
                   OR c.oid IN ('core_accesslog'::regclass, 'core_accesslog_head'::regclass))
              AND NOT EXISTS (
                SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgenabled <> 'D'
                  AND (t.tgtype & 32) <> 0  -- TRUNCATE
              )
            ORDER BY 1
            """
        )
        return [row[0] for row in cur.fetchall()]


def on_post_migrate(sender, **kwargs) -> None:
    """Every migrate leaves this month's and next month's partitions in place."""
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('core_accesslog'), to_regproc('core_accesslog_guard_partition')")
        table, guard = cur.fetchone()
    if table is not None and guard is not None:
        ensure_partitions(months_ahead=1)
