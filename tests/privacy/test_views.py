"""The privacy pages end to end: Dutch errors at the field, nothing changed on bad input."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry

from django.urls import reverse

from tests.privacy.conftest import PERSON_PK
from vik.core.models import Notification
from vik.privacy.constants import ListStatus
from vik.privacy.models import DataSubjectRequest, DestructionList, LegalHold
from vik.privacy.services import retention_sweep

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def rule_post(rule, **overrides):
    data = {
        "label": rule.label,
        "period_value": rule.period_value,
        "period_unit": rule.period_unit,
        "runs_from": rule.runs_from,
        "action": rule.action,
        "legal_basis": rule.legal_basis,
        "active": "on",
    }
    data.update(overrides)
    return data


def test_functional_admin_edits_a_rule_and_zero_is_refused_at_the_field(users, login, notice_rule):
    rule = notice_rule()
    client = login(users["functional_admin"])
    url = reverse("privacy:rule_edit", args=[rule.pk])
    resp = client.post(url, rule_post(rule, period_value="0"))
    assert resp.status_code == 400
    assert "Een bewaartermijn moet langer dan nul zijn." in resp.content.decode()
    rule.refresh_from_db()
    assert rule.period_value == 1
    resp = client.post(url, rule_post(rule, period_value="3", verified="on"))
    assert resp.status_code == 302
    rule.refresh_from_db()
    assert (rule.period_value, rule.verified) == (3, True)
    assert LogEntry.objects.get_for_object(rule).filter(actor=users["functional_admin"]).exists()


def test_chair_sets_a_hold_with_a_reason(users, login):
    client = login(users["chair"])
    resp = client.post(reverse("privacy:hold_list"), {"record": "core.notification:5", "reason": "kort"})
    assert resp.status_code == 400 and "ten minste 10 tekens" in resp.content.decode()
    resp = client.post(
        reverse("privacy:hold_list"),
        {"record": "core.notification:5", "reason": "Bezwaarprocedure loopt nog"},
    )
    assert resp.status_code == 302
    assert LegalHold.objects.get().set_by == users["chair"]


def test_approving_your_own_list_twice_is_refused_with_the_reason(users, login, notice_class, notice_rule):
    notice_rule()
    with time_machine.travel(datetime(2023, 1, 10, 9, tzinfo=AMS), tick=False):
        note = Notification.objects.create(user=users["analyst"], message="x")
    with time_machine.travel(datetime(2024, 6, 1, 3, tzinfo=AMS), tick=False):
        dl = retention_sweep().destruction_list
    client = login(users["privacy_officer"])
    url = reverse("privacy:list_approve", args=[dl.pk])
    client.post(url)
    resp = client.post(url, follow=True)
    assert "De tweede goedkeuring moet van iemand anders komen." in resp.content.decode()
    assert DestructionList.objects.get(pk=dl.pk).status == ListStatus.PENDING
    assert Notification.objects.filter(pk=note.pk).exists()


def test_unknown_person_is_refused_at_the_field(users, login, person_provider):
    client = login(users["privacy_officer"])
    resp = client.post(reverse("privacy:dsar_list"), {"person_id": "123456"})
    assert resp.status_code == 400
    assert "Er is geen persoon met nummer 123456 in VIK bekend" in resp.content.decode()
    assert not DataSubjectRequest.objects.exists()


def test_privacy_officer_answers_a_request_and_downloads_pdf_and_json(users, login, person_provider):
    client = login(users["privacy_officer"])
    resp = client.post(
        reverse("privacy:dsar_list"), {"person_id": str(PERSON_PK), "received_on": date.today().isoformat()}
    )
    dsr = DataSubjectRequest.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("privacy:dsar_detail", args=[dsr.pk])
    client.post(reverse("privacy:dsar_answer", args=[dsr.pk]))
    page = client.get(reverse("privacy:dsar_detail", args=[dsr.pk])).content.decode()
    assert "Signaal 12: overlast bedrijfspand" in page and "Bronbescherming Meld Misdaad Anoniem" in page
    pdf = client.get(reverse("privacy:dsar_pdf", args=[dsr.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    data = client.get(reverse("privacy:dsar_json", args=[dsr.pk])).json()
    assert data["persoon"]["nummer"] == PERSON_PK
    assert {w["ground"] for w in data["achtergehouden"]} == {
        "source_protection",
        "third_party",
        "police_consultation",
    }


def test_an_empty_destruction_list_says_so_instead_of_an_empty_table(users, login):
    dl = DestructionList.objects.create(swept_on=date(2024, 6, 1))
    resp = login(users["privacy_officer"]).get(reverse("privacy:list_detail", args=[dl.pk]))
    assert resp.status_code == 200
    assert "Geen records op deze lijst." in resp.content.decode()


def test_an_access_request_starts_from_a_search_by_name_birth_date_bsn_or_address(users, login):
    """The privacy officer finds the data subject by what they told us; the search is logged with
    the request as its purpose, and the BSN is shown masked."""
    from datetime import date as _date

    from tests.factories.subjects import PersonFactory
    from vik.core.models import AccessLog

    team = users["analyst"].org_unit
    petra = PersonFactory(
        owner_team=team,
        voornamen="Petra",
        geslachtsnaam="Zoekmij",
        birth_date=_date(1980, 5, 1),
        bsn="111222333",
    )
    client = login(users["privacy_officer"])
    url = reverse("privacy:dsar_list")
    for query in (
        {"naam": "Zoekmij"},
        {"naam": "Petra Zoekmij", "geboortedatum": "1980-05-01"},
        {"bsn": "111222333"},
    ):
        html = client.get(url, {"zoek": "1", **query}).content.decode()
        assert f'name="person_id" value="{petra.pk}"' in html, query
        assert "111222333" not in html.split('data-testid="finder-results"')[1]
    html = client.get(url, {"zoek": "1", "naam": "Zoekmij", "geboortedatum": "1990-01-01"}).content.decode()
    assert 'data-testid="finder-none"' in html
    assert client.get(url, {"zoek": "1"}).status_code == 400  # nothing to search on: told at the form
    row = AccessLog.objects.filter(action="search", actor_id=users["privacy_officer"].pk).latest("id")
    assert row.purpose.startswith("Inzageverzoek")
