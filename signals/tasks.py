from celery import shared_task


@shared_task(name="signals.import_batch", acks_late=True)
def import_batch(batch_id: int) -> str:
    """Run a confirmed web import (the same code path as ``manage.py import_signals``). Safe to
    deliver twice: the run locks the batch row and writes its state with the signals."""
    from auditlog.context import set_actor

    from .models import ImportBatch
    from .uploads import import_batch_run

    batch = ImportBatch.objects.select_related("created_by").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    with set_actor(batch.created_by):
        return import_batch_run(batch_id)


@shared_task(name="signals.check_import_batch", acks_late=True)
def check_import_batch(batch_id: int) -> str:
    """Check (preview) an uploaded file in the worker, with progress; never in the request."""
    from .uploads import import_batch_check

    return import_batch_check(batch_id)


@shared_task(name="signals.cleanup_uploads", acks_late=True)
def cleanup_uploads() -> str:
    """Nightly: remove the files of abandoned and failed uploads (counted in Geplande taken)."""
    from .uploads import import_uploads_cleanup

    return import_uploads_cleanup()
