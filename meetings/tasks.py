from celery import shared_task


@shared_task(name="meetings.action_item_reminders", acks_late=True)
def action_item_reminders() -> int:
    """Only needed when the measures app's ``deadline_scan`` does not carry the meetings'
    reminder source (it does: see ``MeetingsConfig.ready``). Idempotent through dedup keys."""
    from django.utils import timezone

    from .reminders import send_action_item_reminders

    return send_action_item_reminders(today=timezone.localdate())
