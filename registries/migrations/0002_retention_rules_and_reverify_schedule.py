"""The query log's two retention rules (privacy app) and the nightly re-verification schedule.
Re-runnable: existing rows (edited by the functional admin) stay."""

import json

from django.db import migrations

RULES = [
    (
        "brp_query_log",
        "Protocollering van BRP-bevragingen (wie, wanneer, doel, gegevens, BSN's)",
        20,
        "years",
        "datum van de bevraging",
        "delete",
        "RvIG developer portal, 'Gemeente is verstrekker' (BRP API): elke bevraging 20 jaar protocolleren",
        False,
    ),
    (
        "registry_query_log",
        "Log van BAG- en KvK-bevragingen",
        5,
        "years",
        "datum van de bevraging",
        "delete",
        "naar analogie van de toegangslog (AVG art. 5 lid 2, BIO); beleidskeuze",
        False,
    ),
]


def forwards(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for code, label, value, unit, runs_from, action, basis, verified in RULES:
        RetentionRule.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "period_value": value,
                "period_unit": unit,
                "runs_from": runs_from,
                "action": action,
                "legal_basis": basis,
                "verified": verified,
                "uses_legal_calendar": False,
            },
        )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    cron, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="3",
        day_of_month="*",
        month_of_year="*",
        day_of_week="*",
        timezone="Europe/Amsterdam",
    )
    PeriodicTask.objects.get_or_create(
        name="registries: herverificatie (nachtelijk)",
        defaults={"task": "registries.reverify", "crontab": cron, "args": json.dumps([]), "enabled": True},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registries", "0001_query_log_and_verification"),
        ("privacy", "0002_default_retention_rules_and_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
