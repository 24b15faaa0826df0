"""Beat schedule of the core jobs (editable afterwards by the functional admin in the admin)."""

from django.db import migrations

TASKS = [
    ("VIK werker-hartslag", "vik.core.heartbeat", {"every": 30, "period": "seconds"}),
    ("VIK toegangslog-keten controleren", "vik.core.verify_access_log", {"crontab": ("15", "2")}),
    ("VIK toegangslog-partities aanmaken", "vik.core.ensure_access_log_partitions", {"crontab": ("5", "1")}),
]


def create(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    for name, task, sched in TASKS:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if "every" in sched:
            interval, _ = IntervalSchedule.objects.get_or_create(every=sched["every"], period=sched["period"])
            PeriodicTask.objects.create(name=name, task=task, interval=interval)
        else:
            minute, hour = sched["crontab"]
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone="Europe/Amsterdam",
            )
            PeriodicTask.objects.create(name=name, task=task, crontab=crontab)


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[t[0] for t in TASKS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_roles"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
