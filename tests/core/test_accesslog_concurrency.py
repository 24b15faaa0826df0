"""Two requests that log the same records in opposite order never deadlock (issue #26: the
100-user load test found one: a list page held the chain head while it went on to the next
record's reference row, which a detail page held while it waited for the head)."""

import threading
import time

import psycopg
import pytest

from django.db import connection

from vik.core.accesslog import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)

APPEND = (
    "SELECT core_accesslog_append(now(), NULL, %s, '', 'read', 'subjects.person', %s, '', 'test',"
    " '', 'allowed', '', NULL::bigint, NULL::integer)"
)


def _connect() -> psycopg.Connection:
    s = connection.settings_dict
    conn = psycopg.connect(
        dbname=s["NAME"], user=s["USER"], host=s["HOST"], port=s["PORT"] or 5432, password=s["PASSWORD"]
    )
    conn.execute("SET lock_timeout = '20s'")  # a regression fails the test instead of hanging it
    conn.commit()
    return conn


def _waiting_on_lock(pid: int) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cur.fetchone()
    return bool(row and row[0] == "Lock")


def test_list_page_and_detail_page_logging_in_opposite_order_both_commit():
    a, b = _connect(), _connect()
    try:
        # Both records were logged before: their reference rows exist.
        for pk in (910_001, 910_002):
            a.execute(APPEND, ["setup", pk])
        a.commit()
        before = a.execute("SELECT length FROM core_accesslog_head WHERE id = 1").fetchone()[0]
        a.commit()

        # A (a list page) logs record 1 and keeps its transaction open.
        a.execute(APPEND, ["list", 910_001])
        errors: list[BaseException] = []

        def detail_page() -> None:
            try:
                b.execute(APPEND, ["detail", 910_002])
                b.commit()
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
                b.rollback()

        t = threading.Thread(target=detail_page)
        t.start()
        deadline = time.monotonic() + 20
        while not _waiting_on_lock(b.info.backend_pid):  # B queues behind A
            assert time.monotonic() < deadline, "the second writer never waited for the first"
            time.sleep(0.01)
        # A goes on to record 2, the one B is logging: it must not wait for B.
        a.execute(APPEND, ["list", 910_002])
        a.commit()
        t.join(timeout=30)
        assert not t.is_alive()
        assert errors == []
        after = a.execute("SELECT length FROM core_accesslog_head WHERE id = 1").fetchone()[0]
        a.commit()
        assert after == before + 3
    finally:
        a.close()
        b.close()
    assert verify_chain() is None
