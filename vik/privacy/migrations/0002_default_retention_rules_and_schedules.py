"""The retention rules of DOMAIN §2 and the beat schedules of the nightly retention sweep and the
monthly anomaly report. Re-runnable: existing rows (edited by the functional admin) stay."""

import json

from django.db import migrations

RULES = [
    (
        "signal_dismissed",
        "Signaal afgewezen bij triage",
        1,
        "years",
        "besluit tot afwijzen bij triage",
        "anonymise",
        "AVG art. 6 lid 1 sub e; privacyverklaring ondermijning gemeente Hilversum",
        True,
    ),
    (
        "mma_tip_no_followup",
        "Melding Meld Misdaad Anoniem zonder vervolg",
        1,
        "years",
        "ontvangst van de melding",
        "anonymise",
        "naar analogie van afgewezen signalen",
        False,
    ),
    (
        "case_closed",
        "Afgesloten dossier (analyse, gekoppelde subjecten)",
        5,
        "years",
        "sluiting van het dossier",
        "delete",
        "gangbaar in gemeentelijke ondermijningsprotocollen; termijn niet geverifieerd (tenzij maatregel gekoppeld)",
        False,
    ),
    (
        "measure_decision",
        "Besluiten over maatregelen (13b, last onder dwangsom, sluitingen)",
        10,
        "years",
        "onherroepelijk worden van het besluit",
        "delete",
        "Archiefwet; Selectielijst gemeenten 2020; ten minste de terugkijkperiode voor recidive",
        False,
    ),
    (
        "ledger",
        "Afpakadministratie (verbeurte en invordering)",
        7,
        "years",
        "betaling of verjaring",
        "delete",
        "fiscale bewaarplicht financiële administratie",
        False,
    ),
    (
        "bibob_dossier",
        "Bibob-advies en vragenlijst",
        5,
        "years",
        "onherroepelijk worden van het besluit op de aanvraag",
        "delete",
        "art. 28 Wet Bibob; bij het vergunningdossier, verzegeld (voorstel)",
        False,
    ),
    (
        "meeting_documents",
        "Casustafel: agenda's, verslagen en acties",
        5,
        "years",
        "datum van het overleg",
        "delete",
        "geen wettelijke termijn; beleidskeuze",
        False,
    ),
    (
        "control_report",
        "Controlerapporten (DOR/DOL)",
        5,
        "years",
        "datum van de controle",
        "delete",
        "geen wettelijke termijn; beleidskeuze",
        False,
    ),
    (
        "access_log",
        "Toegangs- en auditlogboeken",
        5,
        "years",
        "datum van de logregel",
        "delete",
        "AVG art. 5 lid 2 en art. 32; BIO (maandpartities worden in hun geheel verwijderd)",
        False,
    ),
]

TASKS = [
    ("privacy: bewaartermijnen (nachtelijk)", "privacy.retention_sweep", ("30", "2", "*")),
    ("privacy: afwijkingenrapport (maandelijks)", "privacy.access_anomaly_report", ("0", "4", "1")),
]


def create(apps, schema_editor):
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
    for name, task, (minute, hour, dom) in TASKS:
        cron, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=dom,
            month_of_year="*",
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
    dependencies = [("privacy", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create, remove)]
