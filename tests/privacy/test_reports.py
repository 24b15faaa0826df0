"""Privacy-officer reports and the monthly anomaly report."""

from __future__ import annotations

import importlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from vik.core.accesslog import log_access
from vik.core.constants import AccessAction, AccessResult
from vik.core.models import BreakGlass, Notification
from vik.privacy.models import AnomalyReport, RetentionRule
from vik.privacy.tasks import access_anomaly_report

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def test_monthly_anomaly_report_flags_what_the_privacy_officer_must_review(users, make_user, other_team):
    analyst, chair, officer = users["analyst"], users["chair"], users["privacy_officer"]
    outsider = make_user("analyst", org=other_team, username="buitenstaander")
    note = Notification.objects.create(user=analyst, message="x")
    with time_machine.travel(datetime(2025, 4, 10, 14, tzinfo=AMS), tick=False):
        for _ in range(5):
            log_access(
                user=outsider,
                action=AccessAction.DENIED,
                kind="subjects.person",
                object_id=3,
                result=AccessResult.DENIED,
            )
        log_access(
            user=analyst,
            action=AccessAction.READ,
            kind="subjects.person",
            object_id=3,
            purpose="Reden: even kijken naar de buurman",
        )
        log_access(
            user=chair, action=AccessAction.EXPORT, kind="signals.signal", object_id=1, purpose="Signaal 1"
        )
        BreakGlass.objects.create(
            user=officer,
            content_type=ContentType.objects.get_for_model(Notification),
            object_id=note.pk,
            reason="Klacht van betrokkene onderzoeken",
            expires_at=datetime(2025, 4, 10, 15, tzinfo=AMS),
        )
    with time_machine.travel(datetime(2025, 5, 1, 4, tzinfo=AMS), tick=False):
        access_anomaly_report.delay()
        access_anomaly_report.delay()  # a second run replaces, never duplicates
    report = AnomalyReport.objects.get()
    assert (report.period_start, report.period_end) == (date(2025, 4, 1), date(2025, 4, 30))
    c = report.content
    assert c["stated_reason_reads"] == [{"actor_label": analyst.username, "n": 1}]
    assert c["exports"] == [{"actor_label": chair.username, "n": 1}]
    assert c["break_glass"][0]["user"] == officer.username
    assert any("buitenstaander: 5 geweigerde pogingen" in f for f in c["flags"])
    assert any("break-glass" in f for f in c["flags"])
    assert officer.notifications.filter(message__contains="Afwijkingenrapport").count() == 1


def test_reports_page_answers_who_viewed_person_x_and_logs_its_own_use(users, login):
    analyst, officer = users["analyst"], users["privacy_officer"]
    log_access(
        user=analyst,
        action=AccessAction.READ,
        kind="subjects.person",
        object_id=77,
        purpose="Signaal 5: pand",
    )
    client = login(officer)
    today = date.today()
    resp = client.get(
        reverse("privacy:reports"),
        {
            "start": (today - timedelta(days=2)).isoformat(),
            "end": today.isoformat(),
            "record": "subjects.person:77",
        },
    )
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "Signaal 5: pand" in body and analyst.username in body
    from vik.core.models import AccessLog

    assert (
        AccessLog.objects.filter(actor_id=officer.pk, purpose="privacytoezicht: wie heeft ingezien").count()
        == 1
    )
    bad = client.get(reverse("privacy:reports"), {"start": "2025-05-01", "end": "2025-04-01"})
    assert bad.status_code == 400 and "De einddatum ligt voor de begindatum." in bad.content.decode()


def test_default_rules_and_schedules_from_the_data_migration():
    RetentionRule.objects.all().delete()
    PeriodicTask.objects.filter(task__startswith="privacy.").delete()
    migration = importlib.import_module("vik.privacy.migrations.0002_default_retention_rules_and_schedules")
    migration.create(apps, None)
    migration.create(apps, None)  # re-runnable
    codes = set(RetentionRule.objects.values_list("code", flat=True))
    assert {
        "signal_dismissed",
        "mma_tip_no_followup",
        "case_closed",
        "measure_decision",
        "ledger",
        "bibob_dossier",
        "meeting_documents",
        "control_report",
        "access_log",
    } == codes
    dismissed = RetentionRule.objects.get(code="signal_dismissed")
    assert (dismissed.period_display, dismissed.action, dismissed.verified) == ("1 jaar", "anonymise", True)
    tasks = set(PeriodicTask.objects.filter(enabled=True).values_list("task", flat=True))
    assert {"privacy.retention_sweep", "privacy.access_anomaly_report"} <= tasks


def test_role_permissions(users):
    officer, admin, chair, analyst = (
        users[k] for k in ("privacy_officer", "functional_admin", "chair", "analyst")
    )
    assert officer.has_perm("privacy.approve_destruction_records") and officer.has_perm(
        "privacy.add_datasubjectrequest"
    )
    assert admin.has_perm("privacy.change_retentionrule") and not admin.has_perm(
        "privacy.approve_destruction_records"
    )
    assert not admin.has_perm("privacy.view_datasubjectrequest")
    assert chair.has_perm("privacy.add_legalhold") and not chair.has_perm("privacy.view_destructionlist")
    assert not any(analyst.has_perm(p) for p in ("privacy.view_retentionrule", "privacy.add_legalhold"))


def test_seed_restores_rules_and_creates_a_records_manager(settings):
    from tests.factories.core import OrgUnitFactory
    from vik.core.models import User
    from vik.privacy.seed import seed_privacy

    settings.DEMO_MODE = True
    OrgUnitFactory(code="informatiebeheer")
    RetentionRule.objects.all().delete()
    seed_privacy()
    seed_privacy()  # idempotent
    assert RetentionRule.objects.count() == 9
    assert User.objects.get(username="archivaris").has_perm("privacy.approve_destruction_records")
