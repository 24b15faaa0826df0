from celery import shared_task


@shared_task(name="dashboards.refresh_rollups", acks_late=True)
def refresh_rollups() -> int:
    """Every 15 minutes (django_celery_beat, migration 0002): rebuild the signal rollup that the
    management dashboard reads. Idempotent: the table is rebuilt as a whole."""
    from .services import rollups_refresh

    return rollups_refresh().signals
