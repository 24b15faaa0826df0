"""The default retention rules of DOMAIN §2 and the Celery beat schedule. The data migrations
hold their own copy (migrations never import app code); ``ensure_defaults`` restores missing
rows without touching what the functional admin changed (used by seed_demo)."""

from __future__ import annotations

import json

# code, label, value, unit, runs_from, action, legal basis, verified
DEFAULT_RULES = [
    (
        "signal_dismissed",
        "Signaal afgewezen bij triage",
        1,
        "years",
        "besluit tot afwijzen bij triage",
        "anonymise",
        "AVG art. 6 lid 1 sub e; privacyverklaring ondermijning van de gemeente",
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

PERIODIC_TASKS = [
    # name, task, crontab (minute, hour, day_of_month)
    ("privacy: bewaartermijnen (nachtelijk)", "privacy.retention_sweep", ("30", "2", "*")),
    ("privacy: afwijkingenrapport (maandelijks)", "privacy.access_anomaly_report", ("0", "4", "1")),
]


def ensure_defaults(apps=None) -> int:
    """Create missing default rules and beat schedules; returns the number of rules created."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    created = 0
    for code, label, value, unit, runs_from, action, basis, verified in DEFAULT_RULES:
        _, made = RetentionRule.objects.get_or_create(
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
        created += made
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, dom) in PERIODIC_TASKS:
        cron, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=dom,
            month_of_year="*",
            day_of_week="*",
            timezone="Europe/Amsterdam",
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": cron, "args": json.dumps([]), "enabled": True}
        )
    return created
