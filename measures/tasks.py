from celery import shared_task


@shared_task(name="measures.deadline_scan", acks_late=True)
def deadline_scan() -> int:
    """Hourly (django_celery_beat, see migration 0004): reminders for deadlines coming due.
    Idempotent (dedup keys), so a retry after a killed worker sends nothing twice."""
    from django.utils import timezone

    from .reminders import deadline_scan as scan

    return scan(today=timezone.localdate())
