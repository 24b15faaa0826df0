from celery import shared_task


@shared_task(name="vik.core.heartbeat")
def heartbeat() -> None:
    from .health import heartbeat_record

    heartbeat_record()


@shared_task(name="vik.core.verify_access_log")
def verify_access_log() -> str:
    """Nightly: verify the chain, record the run in the history, open an incident when broken."""
    from .models import AccessLogVerification
    from .services import access_log_verify

    run = access_log_verify(trigger=AccessLogVerification.Trigger.SCHEDULE)
    return "ok" if run.ok else f"broken at {run.broken_row_id or 'end'}"


@shared_task(name="vik.core.ensure_access_log_partitions")
def ensure_access_log_partitions() -> None:
    from .partitions import ensure_partitions

    ensure_partitions()


@shared_task(name="vik.core.relay_outbox")
def relay_outbox() -> int:
    """Every minute: publish tasks kept in the outbox while the broker was unreachable."""
    from .outbox import relay_pending

    return relay_pending()


@shared_task(name="vik.core.catch_up_jobs")
def catch_up_jobs() -> str:
    """Every five minutes: run scheduled jobs whose last due time passed without a success
    (their beat tick fell in a Redis or worker outage)."""
    from .jobs import catch_up

    names = catch_up()
    return ", ".join(names) or "nothing missed"


# 1 min, 5 min, 15 min, 1 h, 4 h, then given up (status "failed", shown in the admin).
EMAIL_RETRY_DELAYS = [60, 300, 900, 3600, 4 * 3600]


@shared_task(name="vik.core.send_notification_email", bind=True, max_retries=len(EMAIL_RETRY_DELAYS))
def send_notification_email(self, notification_id: int) -> str:
    """Send the e-mail copy of one notification. Its state lives on the notification (sent,
    retrying with the number of attempts, failed): an SMTP failure is retried, never counted as
    sent, and never aborts the job that created the notification."""
    from .services import notification_email_deliver

    outcome = notification_email_deliver(notification_id=notification_id)
    if outcome == "retry" and self.request.is_eager:
        # In-process (tests, CELERY_TASK_ALWAYS_EAGER): the same attempts without the waits.
        for _attempt in EMAIL_RETRY_DELAYS:
            outcome = notification_email_deliver(notification_id=notification_id)
            if outcome != "retry":
                return outcome
    elif outcome == "retry":
        attempt = self.request.retries
        if attempt < len(EMAIL_RETRY_DELAYS):
            raise self.retry(countdown=EMAIL_RETRY_DELAYS[attempt])
        from .services import notification_email_give_up

        notification_email_give_up(notification_id=notification_id)
        return "failed"
    if outcome == "retry":
        from .services import notification_email_give_up

        notification_email_give_up(notification_id=notification_id)
        return "failed"
    return outcome
