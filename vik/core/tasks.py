from celery import shared_task


@shared_task(name="vik.core.heartbeat")
def heartbeat() -> None:
    from .health import heartbeat_record

    heartbeat_record()


@shared_task(name="vik.core.verify_access_log")
def verify_access_log() -> str:
    from .accesslog import verify_chain

    broken = verify_chain()
    if broken is None:
        return "ok"
    from .services import notify_permission_holders

    notify_permission_holders(
        perm="core.view_access_log",
        message=f"Toegangslogboek: keten verbroken bij rij {broken.row_id} ({broken.reason}).",
        dedup_key=f"accesslog-broken-{broken.row_id}",
    )
    return f"broken at {broken.row_id}"


@shared_task(name="vik.core.ensure_access_log_partitions")
def ensure_access_log_partitions() -> None:
    from .partitions import ensure_partitions

    ensure_partitions()
