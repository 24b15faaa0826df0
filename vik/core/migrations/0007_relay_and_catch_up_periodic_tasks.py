"""Beat entries for the outbox relay (every minute) and the catch-up of missed jobs (every five
minutes). Editable afterwards by the functional admin in the admin."""

from django.db import migrations

TASKS = [
    ("VIK uitgestelde taken versturen", "vik.core.relay_outbox", 1, "minutes"),
    ("VIK gemiste geplande taken inhalen", "vik.core.catch_up_jobs", 5, "minutes"),
]


def create(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    for name, task, every, period in TASKS:
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[t[0] for t in TASKS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_outbox_jobrun_notification_email_state"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
