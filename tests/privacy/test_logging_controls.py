"""BIO2 logging controls made visible (issue #24 item 6): one page lists every log VIK keeps with
its content, storage and retention; every chain verification is recorded and shown; a broken
chain opens an incident notice for the privacy officer and the functional admin (who stands in
for a security officer)."""

from __future__ import annotations

import pytest

from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from vik.core.accesslog import log_access
from vik.core.constants import AccessAction
from vik.core.models import AccessLogVerification, Notification
from vik.core.tasks import verify_access_log

pytestmark = pytest.mark.django_db

LOGS = [
    "Toegangslogboek (inzage)",
    "Wijzigingslogboek (audit)",
    "Verwerkingenlogboek (Logboek Dataverwerkingen)",
    "Applicatielogboeken",
    "Takenlog (uitgestelde taken en geplande taken)",
    "Protocol van bevragingen van basisregistraties (BRP, BAG, KvK)",
]


def _page(client):
    response = client.get(reverse("privacy:logs"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["privacy_officer", "functional_admin"])
def test_the_page_lists_every_log_with_its_retention(users, login, role):
    from vik.privacy.defaults import ensure_defaults

    ensure_defaults()
    page = _page(login(users[role]))
    for name in LOGS:
        assert name in page
    assert "Toegangs- en auditlogboeken: 5 jaren" in page  # the access log's retention rule
    assert "Protocollering van BRP-bevragingen" in page or "BRP" in page
    assert "core.ProcessingRecord" in page
    assert "Nog geen controles uitgevoerd." in page


@pytest.mark.parametrize("role", ["analyst", "chair", "partner", "reporter"])
def test_others_get_404(users, login, role):
    assert login(users[role]).get(reverse("privacy:logs")).status_code == 404


def test_an_intact_chain_is_recorded_in_the_history(users, login):
    log_access(user=users["analyst"], action=AccessAction.READ, purpose="zaak 1")
    assert verify_access_log() == "ok"
    run = AccessLogVerification.objects.get()
    assert run.ok is True and run.trigger == "schedule" and run.finished_at >= run.started_at
    assert run.rows_checked >= 1 and run.broken_row_id is None
    page = _page(login(users["privacy_officer"]))
    assert "keten intact" in page and "nachtelijke taak" in page
    assert not Notification.objects.filter(message__contains="toegangslogboek").exists()


def test_a_broken_chain_opens_an_incident_for_privacy_and_security(users, login, make_user):
    analyst = users["analyst"]
    ids = [log_access(user=analyst, action=AccessAction.READ, purpose=f"zaak {i}") for i in range(3)]
    with connection.cursor() as cur:  # a database superuser switches the trigger off and edits a row
        cur.execute("SET session_replication_role = replica")
        cur.execute("UPDATE core_accesslog SET purpose = 'onschuldig' WHERE id = %s", [ids[1]])
        cur.execute("SET session_replication_role = DEFAULT")
    assert verify_access_log() == f"broken at {ids[1]}"
    run = AccessLogVerification.objects.get()
    assert run.ok is False and run.broken_row_id == ids[1] and "hash" in run.reason

    told = set(
        Notification.objects.filter(message__contains="toegangslogboek").values_list(
            "user__username", flat=True
        )
    )
    assert told == {users["privacy_officer"].username, users["functional_admin"].username}
    note = Notification.objects.filter(user=users["privacy_officer"]).get()
    assert "Beveiligingsincident" in note.message and str(ids[1]) in note.message
    assert note.link == reverse("privacy:logs")

    # the next night finds the same break: a new history row, no second notice
    verify_access_log()
    assert AccessLogVerification.objects.count() == 2
    assert Notification.objects.filter(message__contains="toegangslogboek").count() == 2

    page = _page(login(users["functional_admin"]))
    assert "keten verbroken" in page and str(ids[1]) in page


def test_the_command_records_its_run_too(users, capsys):
    log_access(user=users["analyst"], action=AccessAction.READ, purpose="zaak 1")
    call_command("verify_access_log")
    assert AccessLogVerification.objects.get().trigger == "command"
    assert "access log intact" in capsys.readouterr().out
