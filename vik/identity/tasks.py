from celery import shared_task


@shared_task(name="vik.identity.deactivate_idle_users")
def deactivate_idle_users() -> int:
    from .services import deactivate_idle_users as run

    return len(run())


@shared_task(name="vik.identity.access_review_start")
def access_review_start() -> str:
    from .services import access_review_start as run

    return run().period


@shared_task(name="vik.identity.access_review_flag_overdue")
def access_review_flag_overdue() -> int:
    from .services import access_review_flag_overdue as run

    return run()
