"""Web import: the uploaded file is kept encrypted on disk between the preview and the import,
and removed once the import has run. Progress goes to the cache (the import itself runs in one
transaction, so the database cannot show it)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from vik.core.encryption import decrypt_bytes, encrypt_bytes
from vik.core.exceptions import ApplicationError
from vik.core.models import User

from .constants import ImportStatus
from .importing import ImportResult, parse_rows, run_import
from .models import ImportBatch

MAX_IMPORT_BYTES = 50 * 1024 * 1024


def _dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_key(batch_id: int) -> str:
    return f"signals:import:{batch_id}:progress"


def import_batch_upload(
    *, actor: User, filename: str, data: bytes, skip_invalid: bool = False
) -> tuple[ImportBatch, ImportResult]:
    """Store the upload and check it (preview). Nothing is imported yet."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ApplicationError(_("Het bestand is te groot (ten hoogste 50 MB)."), field="file")
    if actor.org_unit is None:
        raise ApplicationError(_("U hoort bij geen team."))
    storage = f"{uuid.uuid4().hex}.bin"
    (_dir() / storage).write_bytes(encrypt_bytes(data))
    _rows, result = parse_rows(data, filename)
    batch = ImportBatch.objects.create(
        created_by=actor,
        owner_team=actor.org_unit,
        filename=Path(filename).name[:255] or "import",
        stored_file=storage,
        status=ImportStatus.PREVIEW if not result.file_error else ImportStatus.FAILED,
        skip_invalid=skip_invalid,
        total_rows=result.total,
        valid_rows=result.valid,
        already_present=len(result.already_present),
        errors=([result.file_error] if result.file_error else []) + result.errors[:1000],
    )
    if result.file_error:
        _remove_file(batch)
    return batch, result


def import_batch_confirm(*, actor: User, batch: ImportBatch, skip_invalid: bool) -> ImportBatch:
    if batch.status != ImportStatus.PREVIEW:
        raise ApplicationError(_("Dit bestand is al verwerkt."))
    if batch.errors and not skip_invalid:
        raise ApplicationError(
            _(
                "Het bestand bevat ongeldige regels. Kies 'ongeldige regels overslaan' of verbeter het bestand."
            ),
            field="skip_invalid",
        )
    batch.skip_invalid = skip_invalid
    batch.status = ImportStatus.QUEUED
    batch.save(update_fields=["skip_invalid", "status", "updated_at"])
    from .tasks import import_batch as import_batch_task

    transaction.on_commit(lambda: import_batch_task.delay(batch.pk))
    return batch


def import_batch_run(batch: ImportBatch) -> str:
    if batch.status != ImportStatus.QUEUED:
        return "skipped"
    batch.status = ImportStatus.RUNNING
    batch.save(update_fields=["status", "updated_at"])
    try:
        data = decrypt_bytes((_dir() / batch.stored_file).read_bytes())
    except (OSError, ValueError):
        batch.status = ImportStatus.FAILED
        batch.message = _("Het geüploade bestand is niet meer beschikbaar.")
        batch.save(update_fields=["status", "message", "updated_at"])
        return "missing"

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "write":
            cache.set(progress_key(batch.pk), (done, total), 3600)

    result = run_import(
        actor=batch.created_by,
        data=data,
        filename=batch.filename,
        skip_invalid=batch.skip_invalid,
        owner_team=batch.owner_team,
        batch=batch,
        progress=progress,
    )
    _remove_file(batch)
    cache.delete(progress_key(batch.pk))
    return f"{result.imported} imported"


def import_batch_progress(batch: ImportBatch) -> tuple[int, int]:
    value = cache.get(progress_key(batch.pk))
    if value:
        return value
    if batch.status == ImportStatus.DONE:
        return batch.imported, batch.imported
    return 0, batch.valid_rows


def _remove_file(batch: ImportBatch) -> None:
    if batch.stored_file:
        (_dir() / batch.stored_file).unlink(missing_ok=True)
        batch.stored_file = ""
        batch.save(update_fields=["stored_file", "updated_at"])
