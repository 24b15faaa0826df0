"""Interrupted web imports (issue #17 item 1): a worker killed halfway, a double confirmation,
a re-upload of the same file and a stale batch. The kill is real: a separate Python process
runs the import against the test database and gets SIGKILL while it writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

from signals.models import ImportBatch, Signal
from signals.uploads import import_batch_confirm, import_batch_run, import_batch_upload, progress_key
from tests.faults.concurrency import run_at_once
from vik.core.exceptions import ApplicationError

pytestmark = [pytest.mark.fault]
ROOT = Path(__file__).resolve().parents[2]


def _csv(n: int, tag: str = "") -> bytes:
    lines = ["ontvangen_op;bron;fenomeen;omschrijving"]
    lines += [f"2026-01-02;intern;drugs;Melding {tag}{i}" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def _previewed(analyst, data: bytes) -> ImportBatch:
    batch = import_batch_upload(actor=analyst, filename="s.csv", data=data)  # check runs on commit (eager)
    batch.refresh_from_db()
    assert batch.status == "preview", batch.errors[:3]
    return batch


def _locked(batch_id: int) -> bool:
    try:
        with transaction.atomic():
            ImportBatch.objects.select_for_update(nowait=True).get(pk=batch_id)
    except OperationalError:
        return True
    return False


@pytest.mark.django_db(transaction=True)
def test_worker_killed_during_an_import_leaves_nothing_and_the_redelivery_imports_once(users):
    analyst = users["analyst"]
    batch = _previewed(analyst, _csv(4000))
    ImportBatch.objects.filter(pk=batch.pk).update(status="queued")  # confirmed, task delivered
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "VIK_FILE_STORE": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "vik.settings.test",
    }
    code = (
        "import django; django.setup()\n"
        "from signals.uploads import import_batch_run\n"
        f"print(import_batch_run({batch.pk}))\n"
    )
    worker = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and worker.poll() is None:
            progress = cache.get(progress_key(batch.pk))
            if progress and progress[0] > 0 and _locked(batch.pk):
                break  # it holds the batch and has written part of the signals
            time.sleep(0.02)
        assert worker.poll() is None, "the import finished before it could be killed"
        worker.send_signal(signal.SIGKILL)  # the worker dies mid-task
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
    # The killed worker's PostgreSQL backend first finishes the statements it already received
    # (a pipelined batch: up to five INSERT … SELECTs) before it notices its client is gone and
    # rolls back; a real redelivery comes later still (visibility timeout, worker restart).
    deadline = time.monotonic() + 30
    while _locked(batch.pk) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _locked(batch.pk), "the dead worker's transaction still holds the batch"
    batch.refresh_from_db()
    assert Signal.objects.count() == 0  # all or nothing
    assert batch.status == "queued" and batch.imported == 0 and batch.stored_file  # ready for redelivery
    assert import_batch_run(batch.pk) == "4000 imported"  # the redelivered task
    assert import_batch_run(batch.pk) == "skipped"  # a second redelivery does nothing
    batch.refresh_from_db()
    assert batch.status == "done" and Signal.objects.count() == 4000 and batch.stored_file == ""


@pytest.mark.django_db(transaction=True)
def test_double_confirmation_imports_once(users):
    analyst = users["analyst"]
    batch = _previewed(analyst, _csv(20))

    def confirm():
        return import_batch_confirm(actor=analyst, batch=batch, skip_invalid=False)

    results = run_at_once(confirm, confirm)
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1 and "al verwerkt" in refused[0].message, results
    assert Signal.objects.count() == 20


@pytest.mark.django_db
def test_the_same_file_is_never_imported_twice(users, django_capture_on_commit_callbacks):
    analyst = users["analyst"]
    data = _csv(3)
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_batch_upload(actor=analyst, filename="s.csv", data=data)
    batch.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        import_batch_confirm(actor=analyst, batch=batch, skip_invalid=False)
    assert Signal.objects.count() == 3
    with pytest.raises(ApplicationError, match="al eerder aangeboden"):
        import_batch_upload(actor=analyst, filename="kopie.csv", data=data)
    assert Signal.objects.count() == 3


@pytest.mark.django_db
def test_a_stale_batch_shows_as_failed_with_retry_and_the_retry_imports_once(
    users, login, django_capture_on_commit_callbacks
):
    analyst = users["analyst"]
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_batch_upload(actor=analyst, filename="s.csv", data=_csv(5))
    # Confirmed an hour ago; the worker died and the message was lost with it.
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="queued", updated_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 600)
    )
    client = login(analyst)
    detail = reverse("signals:import_detail", kwargs={"pk": batch.pk})
    html = client.get(detail).content.decode()
    assert "Niet geïmporteerd" in html and "Opnieuw proberen" in html and "hx-trigger" not in html
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(detail, {"retry": "1"}).status_code == 302
    batch.refresh_from_db()
    assert batch.status == "done" and Signal.objects.count() == 5
    assert "Opnieuw proberen" not in client.get(detail).content.decode()
