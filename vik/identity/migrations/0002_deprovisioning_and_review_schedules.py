"""Beat schedules: nightly idle deactivation, the quarterly access review (1 Jan/Apr/Jul/Oct)
and the daily check for review lines left undecided (editable afterwards in the admin)."""

import json

from django.db import migrations

TASKS = [
    # name, task, (minute, hour, day_of_month, month_of_year)
    (
        "VIK inactieve accounts deactiveren (nachtelijk)",
        "vik.identity.deactivate_idle_users",
        ("45", "2", "*", "*"),
    ),
    (
        "VIK toegangsreview starten (kwartaal)",
        "vik.identity.access_review_start",
        ("0", "6", "1", "1,4,7,10"),
    ),
    (
        "VIK toegangsreview: te late regels melden",
        "vik.identity.access_review_flag_overdue",
        ("30", "6", "*", "*"),
    ),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, dom, moy) in TASKS:
        cron, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=dom,
            month_of_year=moy,
            day_of_week="*",
            timezone="Europe/Amsterdam",
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": cron, "args": json.dumps([])}
        )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[t for _, t, _ in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0001_accounts_mapping_and_access_review"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
