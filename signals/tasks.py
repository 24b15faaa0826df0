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
