"""Monthly partitions of the access log. Rows fall into the default partition when no month
partition exists; the beat job creates partitions for this month and the next three."""

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
    return name


def ensure_partitions(months_ahead: int = 3, today: date | None = None) -> list[str]:
    today = today or date.today()
    names = []
    y, m = today.year, today.month
    for _ in range(months_ahead + 1):
        names.append(ensure_partition(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return names
