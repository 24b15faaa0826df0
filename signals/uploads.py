"""Web import: the uploaded file is kept encrypted on disk between the preview and the import,
and removed once the import has run. Progress goes to the cache (the import itself runs in one
transaction, so the database cannot show it)."""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.encryption import decrypt_bytes, encrypt_bytes
from vik.core.exceptions import ApplicationError
from vik.core.models import User
from vik.core.outbox import enqueue

from .constants import IMPORT_CLAIMING_STATES, ImportStatus
from .importing import parse_rows, run_import
from .models import ImportBatch

log = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 50 * 1024 * 1024


def _dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_key(batch_id: int) -> str:
    return f"signals:import:{batch_id}:progress"


def file_fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _imported_before(*, team, fingerprint: str, exclude_pk: int | None = None) -> ImportBatch | None:
    qs = ImportBatch.objects.filter(owner_team=team, sha256=fingerprint, status__in=IMPORT_CLAIMING_STATES)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("created_at").first()


def _already_imported_error(earlier: ImportBatch) -> ApplicationError:
    return ApplicationError(
        _(
            "Dit bestand is al eerder aangeboden om te importeren (%(name)s, %(when)s); "
            "het wordt niet nog eens geïmporteerd."
        )
        % {
            "name": earlier.filename,
            "when": timezone.localtime(earlier.created_at).strftime("%d-%m-%Y %H:%M"),
        },
        field="file",
    )


def import_batch_upload(
    *, actor: User, filename: str, data: bytes, skip_invalid: bool = False
) -> ImportBatch:
    """Store the upload (encrypted) and queue its check; nothing is parsed in the request and
    nothing is imported yet. A file whose exact content this team already imported (or queued)
    is refused: the fingerprint guards re-uploads of files without ``extern_kenmerk``."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ApplicationError(_("Het bestand is te groot (ten hoogste 50 MB)."), field="file")
    if actor.org_unit is None:
        raise ApplicationError(_("U hoort bij geen team."))
    fingerprint = file_fingerprint(data)
    earlier = _imported_before(team=actor.org_unit, fingerprint=fingerprint)
    if earlier is not None:
        raise _already_imported_error(earlier)
    storage = f"{uuid.uuid4().hex}.bin"
    (_dir() / storage).write_bytes(encrypt_bytes(data))
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            created_by=actor,
            owner_team=actor.org_unit,
            filename=Path(filename).name[:255] or "import",
            stored_file=storage,
            sha256=fingerprint,
            status=ImportStatus.UPLOADED,
            skip_invalid=skip_invalid,
        )
        entry = enqueue("signals.check_import_batch", batch.pk)
    batch.deferred = entry.deferred
    return batch


def import_batch_check(batch_id: int) -> str:
    """Check (preview) an uploaded batch in a worker: parse the file with progress, store the
    counts and the bad rows. Locked like the import, so a redelivered task does it once."""
    try:
        return _check(batch_id)
    except Exception as exc:
        _mark_interrupted(batch_id, exc)
        raise


def _check(batch_id: int) -> str:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update(skip_locked=True).filter(pk=batch_id).first()
        if batch is None:
            return "busy"
        if batch.status != ImportStatus.UPLOADED:
            return "skipped"
        try:
            data = decrypt_bytes((_dir() / batch.stored_file).read_bytes())
        except (OSError, ValueError):
            batch.status = ImportStatus.FAILED
            batch.message = _("Het geüploade bestand is niet meer beschikbaar.")
            batch.save(update_fields=["status", "message", "updated_at"])
            return "missing"

        def progress(phase: str, done: int, total: int) -> None:
            if phase == "check":
                cache.set(progress_key(batch.pk), (done, total), 3600)

        _rows, result = parse_rows(data, batch.filename, progress=progress)
        batch.status = ImportStatus.PREVIEW if not result.file_error else ImportStatus.FAILED
        batch.total_rows = result.total
        batch.valid_rows = result.valid
        batch.already_present = len(result.already_present)
        batch.errors = ([result.file_error] if result.file_error else []) + result.errors[:1000]
        batch.save()
        if result.file_error:
            transaction.on_commit(lambda: _remove_file(batch))
    cache.delete(progress_key(batch_id))
    return batch.status


def import_batch_confirm(*, actor: User, batch: ImportBatch, skip_invalid: bool) -> ImportBatch:
    """Queue a previewed batch. The batch row is locked, so a double confirmation (two tabs, a
    double click) queues it once; the task goes through the outbox, so a Redis outage keeps it
    (``batch.deferred`` tells the view)."""
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.status != ImportStatus.PREVIEW:
                raise ApplicationError(_("Dit bestand is al verwerkt."))
            if batch.errors and not skip_invalid:
                raise ApplicationError(
                    _(
                        "Het bestand bevat ongeldige regels. Kies 'ongeldige regels overslaan' of verbeter het bestand."
                    ),
                    field="skip_invalid",
                )
            if batch.sha256:
                earlier = _imported_before(
                    team=batch.owner_team, fingerprint=batch.sha256, exclude_pk=batch.pk
                )
                if earlier is not None:
                    raise _already_imported_error(earlier)
            batch.skip_invalid = skip_invalid
            batch.status = ImportStatus.QUEUED
            batch.save(update_fields=["skip_invalid", "status", "updated_at"])
            entry = enqueue("signals.import_batch", batch.pk)
    except IntegrityError:
        # The same file confirmed at the same instant from another batch (unique fingerprint).
        raise ApplicationError(
            _(
                "Dit bestand is zojuist al in een andere import bevestigd; het wordt niet nog eens geïmporteerd."
            )
        )
    batch.deferred = entry.deferred
    return batch


def import_batch_is_stale(batch: ImportBatch, *, now=None) -> bool:
    """A queued batch that no worker holds long after any run would have hit its time limit:
    the worker died, or the task was lost. Shown as failed with "opnieuw proberen"."""
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.QUEUED, ImportStatus.RUNNING):
        return False
    now = now or timezone.now()
    if batch.updated_at > now - stale_after():
        return False
    with transaction.atomic():
        free = ImportBatch.objects.select_for_update(skip_locked=True).filter(pk=batch.pk).exists()
    return free


def stale_after() -> timedelta:
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 300)


def import_batch_can_retry(batch: ImportBatch) -> bool:
    if batch.status == ImportStatus.FAILED and batch.stored_file and batch.interrupted:
        return True
    return import_batch_is_stale(batch)


def import_batch_retry(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Queue an interrupted or stale batch again. The run is all-or-nothing and locks the batch,
    so a retry never imports anything twice."""
    if not import_batch_can_retry(batch):
        raise ApplicationError(_("Deze import kan niet opnieuw worden gestart."))
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        checking = batch.status == ImportStatus.UPLOADED or (batch.interrupted and batch.total_rows == 0)
        batch.status = ImportStatus.UPLOADED if checking else ImportStatus.QUEUED
        batch.interrupted = False
        batch.message = ""
        batch.save(update_fields=["status", "interrupted", "message", "updated_at"])
        entry = enqueue("signals.check_import_batch" if checking else "signals.import_batch", batch.pk)
    batch.deferred = entry.deferred
    return batch


def import_batch_run(batch_or_id: ImportBatch | int) -> str:
    """Run a queued batch. The batch row is locked for the whole run and its final state is
    written in the same transaction as the signals: a worker killed halfway leaves the batch
    queued with nothing imported, and the redelivered task starts it cleanly. A redelivery while
    another worker still runs it finds the row locked and leaves it."""
    batch_id = batch_or_id.pk if isinstance(batch_or_id, ImportBatch) else batch_or_id
    try:
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("created_by", "owner_team")
                .filter(pk=batch_id)
                .first()
            )
            if batch is None:
                return "busy"
            if batch.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
                return "skipped"
            try:
                data = decrypt_bytes((_dir() / batch.stored_file).read_bytes())
            except (OSError, ValueError):
                batch.status = ImportStatus.FAILED
                batch.message = _("Het geüploade bestand is niet meer beschikbaar.")
                batch.save(update_fields=["status", "message", "updated_at"])
                return "missing"

            def progress(phase: str, done: int, total: int) -> None:
                if phase == "write":  # rows read of the file; the preview counted them already
                    cache.set(progress_key(batch.pk), (done, max(total, batch.total_rows or 0)), 3600)

            result = run_import(
                actor=batch.created_by,
                data=data,
                filename=batch.filename,
                skip_invalid=batch.skip_invalid,
                owner_team=batch.owner_team,
                batch=batch,
                progress=progress,
            )
            transaction.on_commit(lambda: _remove_file(batch))
    except Exception as exc:
        _mark_interrupted(batch_id, exc)
        raise
    cache.delete(progress_key(batch_id))
    return f"{result.imported} imported"


def _mark_interrupted(batch_id: int, exc: Exception) -> None:
    """Best effort after a failed run (the database may be what failed): show the batch as
    failed with "opnieuw proberen". When even this fails the batch shows as stale later."""
    try:
        ImportBatch.objects.filter(
            pk=batch_id, status__in=[ImportStatus.UPLOADED, ImportStatus.QUEUED, ImportStatus.RUNNING]
        ).update(
            status=ImportStatus.FAILED,
            interrupted=True,
            message=_("De import is onderbroken (%(e)s); er is niets geïmporteerd.")
            % {"e": type(exc).__name__},
            updated_at=timezone.now(),
        )
        cache.delete(progress_key(batch_id))
    except Exception:  # noqa: BLE001
        log.warning("could not mark import batch %s as interrupted", batch_id)


def import_batch_progress(batch: ImportBatch) -> tuple[int, int]:
    value = cache.get(progress_key(batch.pk))
    if value and batch.status in (ImportStatus.UPLOADED, ImportStatus.QUEUED, ImportStatus.RUNNING):
        return value
    if batch.status == ImportStatus.DONE:
        return batch.imported, batch.imported
    return 0, batch.valid_rows


def _remove_file(batch: ImportBatch) -> None:
    if batch.stored_file:
        (_dir() / batch.stored_file).unlink(missing_ok=True)
        batch.stored_file = ""
        ImportBatch.objects.filter(pk=batch.pk).update(stored_file="")


ABANDONED_AFTER = timedelta(hours=24)


def import_uploads_cleanup(*, now=None) -> str:
    """Nightly: delete the stored files of uploads nobody confirmed within a day and of failed
    batches (their rows stay as the record), and files no batch refers to. Returns a summary for
    the functional admin's page (Geplande taken)."""
    now = now or timezone.now()
    cutoff = now - ABANDONED_AFTER
    abandoned = failed = orphans = 0
    with transaction.atomic():
        stale = ImportBatch.objects.select_for_update(skip_locked=True).filter(
            status__in=[ImportStatus.UPLOADED, ImportStatus.PREVIEW], updated_at__lt=cutoff
        )
        for batch in stale:
            batch.status = ImportStatus.FAILED
            batch.message = _("Niet bevestigd binnen een dag; het bestand is verwijderd.")
            batch.save(update_fields=["status", "message", "updated_at"])
            _remove_file(batch)
            abandoned += 1
        for batch in (
            ImportBatch.objects.select_for_update(skip_locked=True)
            .filter(status=ImportStatus.FAILED, updated_at__lt=cutoff)
            .exclude(stored_file="")
        ):
            _remove_file(batch)
            failed += 1
    known = set(ImportBatch.objects.exclude(stored_file="").values_list("stored_file", flat=True))
    for path in _dir().glob("*.bin"):
        if path.name not in known and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            orphans += 1
    return f"{abandoned} verlaten uploads, {failed} mislukte uploads, {orphans} losse bestanden verwijderd"


def import_batch_rows(batch: ImportBatch) -> list:
    """The rows a previewed batch would import (``importing.ParsedRow``), read again from the
    encrypted file, for the matching report of the preview. Empty when the file is gone."""
    if batch.status != ImportStatus.PREVIEW or not batch.stored_file:
        return []
    try:
        data = decrypt_bytes((_dir() / batch.stored_file).read_bytes())
    except (OSError, ValueError):
        return []
    rows, _result = parse_rows(data, batch.filename)
    return rows
