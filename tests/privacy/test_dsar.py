"""Data-subject access requests: deadline, refusal of unknown persons, content and redactions,
recipients from the access log, PDF and JSON."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.privacy.conftest import MMA_SECRET, PERSON_PK
from vik.core.accesslog import log_access, who_viewed
from vik.core.constants import AccessAction
from vik.core.exceptions import ApplicationError
from vik.privacy.constants import RequestStatus
from vik.privacy.documents import dsar_html, dsar_pdf
from vik.privacy.models import DataSubjectRequest
from vik.privacy.services import dsar_answer, dsar_create, dsar_extend

AMS = ZoneInfo("Europe/Amsterdam")
pytestmark = pytest.mark.django_db


def test_unknown_person_is_refused_and_nothing_recorded(users, person_provider):
    with pytest.raises(ApplicationError) as exc:
        dsar_create(actor=users["privacy_officer"], person_id=999999)
    assert exc.value.field == "person_id"
    assert "geen persoon" in exc.value.message
    assert not DataSubjectRequest.objects.exists()


def test_only_the_privacy_officer_records_a_request(users, person_provider):
    with pytest.raises(ApplicationError):
        dsar_create(actor=users["analyst"], person_id=PERSON_PK)


def test_deadline_is_one_calendar_month_extendable_once_by_two(users, person_provider):
    with time_machine.travel(datetime(2025, 2, 3, 9, tzinfo=AMS), tick=False):
        dsr = dsar_create(actor=users["privacy_officer"], person_id=PERSON_PK, received_on=date(2025, 1, 31))
        assert dsr.deadline == date(2025, 2, 28)
        dsar_extend(actor=users["privacy_officer"], dsr=dsr, reason="Omvangrijk verzoek, veel dossiers")
        dsr.refresh_from_db()
        assert (dsr.extended, dsr.deadline) == (True, date(2025, 4, 30))
        with pytest.raises(ApplicationError):
            dsar_extend(actor=users["privacy_officer"], dsr=dsr, reason="Nogmaals verlengen graag")


def test_answer_holds_content_withheld_parts_with_ground_and_recipients(users, person_provider, police_org):
    analyst, partner, officer = users["analyst"], users["partner"], users["privacy_officer"]
    log_access(
        user=analyst,
        action=AccessAction.READ,
        kind="subjects.person",
        object_id=PERSON_PK,
        purpose="Reden: x",
    )
    log_access(
        user=analyst,
        action=AccessAction.READ,
        kind="subjects.person",
        object_id=PERSON_PK,
        purpose="Reden: y",
    )
    log_access(
        user=partner, action=AccessAction.READ, kind="signals.signal", object_id=12, purpose="Casustafel"
    )
    dsr = dsar_create(actor=officer, person_id=PERSON_PK)

    answer = dsar_answer(actor=officer, dsr=dsr)

    assert answer["persoon"]["naam"] == "Jan de Testpersoon"
    section = next(s for s in answer["onderdelen"] if s["code"] == "test_signals")
    assert section["items"][0]["title"] == "Signaal 12: overlast bedrijfspand"
    grounds = {w["ground"]: w["ground_label"] for w in answer["achtergehouden"]}
    assert "art. 41" in grounds["source_protection"] and "art. 41" in grounds["third_party"]
    assert "raadpleegd" in grounds["police_consultation"]
    assert MMA_SECRET not in json.dumps(answer)
    recipients = {(r["organisation"], r["role"], r["action"]): r["count"] for r in answer["ontvangers"]}
    assert recipients[(analyst.org_unit.name, "Analist", "ingezien")] == 2
    assert recipients[(police_org.name, "Partner", "ingezien")] == 1  # through the signal about the person
    assert all(
        analyst.username not in json.dumps(r) for r in answer["ontvangers"]
    )  # categories, not colleagues
    dsr.refresh_from_db()
    assert dsr.status == RequestStatus.ANSWERED and json.loads(dsr.answer) == json.loads(
        json.dumps(answer, default=str)
    )
    # the export itself is logged on the person
    rows = list(who_viewed(kind="subjects.person", object_id=PERSON_PK))
    assert rows[0].action == AccessAction.EXPORT and rows[0].actor_label == officer.username


def test_pdf_is_dutch_and_lists_the_legal_grounds(users, person_provider):
    dsr = dsar_create(actor=users["privacy_officer"], person_id=PERSON_PK)
    dsar_answer(actor=users["privacy_officer"], dsr=dsr)
    dsr.refresh_from_db()
    html = dsar_html(dsr)
    assert "Inzage in persoonsgegevens (AVG art. 15)" in html
    assert "Niet verstrekte gegevens en de wettelijke grond" in html
    assert "Bronbescherming Meld Misdaad Anoniem" in html
    assert dsar_pdf(dsr)[:5] == b"%PDF-"
