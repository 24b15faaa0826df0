"""The Bibob app in privacy operations: a dossier becomes due five years after its decision
became final (end of the objection term), is destroyed with everything in it (the append-only
phase history through the retention path only) or anonymised keeping its statistics; an access
request shows only what art. 28 Wet Bibob allows and lists the rest as withheld."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.db import connection, transaction

from bibob import services
from bibob.constants import DossierStatus as S
from bibob.constants import LegalGround, Outcome, PartyRole, Recipient
from bibob.models import Advice, BibobDossier, Decision, DisclosureRecord, DossierParty, DossierTransition
from bibob.privacy import dossier_destroy
from tests.factories.bibob import make_dossier
from tests.factories.subjects import PersonFactory
from tests.privacy.test_retention import _tables_mentioning
from vik.core import calendar as cal
from vik.core.accesslog import log_access
from vik.core.constants import AccessAction
from vik.core.models import LogRef
from vik.privacy.models import RetentionRule, Tombstone
from vik.privacy.services import (
    destruction_list_approve,
    destruction_list_carry_out,
    dsar_answer,
    dsar_create,
    retention_sweep,
)

AMS = ZoneInfo("Europe/Amsterdam")
MARKER = "Merkteken-Bibob-7719"
ADVICE_TEXT = "Financiering deels onverklaard"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_declared_days():
    before = cal.declared_days()
    cal.set_declared_days([])
    yield
    cal.set_declared_days(before)


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=AMS), tick=False)


def sweep_on(day: date):
    with at(day, 2):
        return retention_sweep()


def ours(result):
    if result.destruction_list is None:
        return []
    return [i for i in result.destruction_list.items.all() if i.model_label == "bibob.bibobdossier"]


def carry_out(dl, users, records_manager, day):
    with at(day):
        destruction_list_approve(actor=users["privacy_officer"], destruction_list=dl)
        destruction_list_approve(actor=records_manager, destruction_list=dl)
        destruction_list_carry_out(destruction_list=dl, actor=records_manager)


@pytest.fixture
def decided(users):
    """A dossier decided (grant with conditions) and made known on 1 April 2020: the objection
    term ended on 13 May 2020. Its applicant and a financier are persons in VIK."""
    specialist, decider = users["bibob"], users["decision_maker"]
    applicant = PersonFactory(
        owner_team=specialist.org_unit, voornamen="Petra", geslachtsnaam="Molenaar-Uniek"
    )
    financier = PersonFactory(owner_team=specialist.org_unit, voornamen="Frits", geslachtsnaam="Geldschieter")
    with at(date(2020, 6, 1)):
        dossier = make_dossier(
            specialist,
            status=S.DECISION,
            decider=decider,
            application_date=date(2020, 1, 6),
            applicant_name=f"Horeca {MARKER} B.V.",
        )
        DossierParty.objects.create(dossier=dossier, role=PartyRole.APPLICANT, person=applicant)
        DossierParty.objects.create(dossier=dossier, role=PartyRole.FINANCIER, person=financier)
        services.decision_publish(actor=specialist, dossier=dossier, bekendgemaakt_on=date(2020, 4, 1))
        for recipient, ground in (
            (Recipient.APPLICANT, LegalGround.IN_REASONING),
            (Recipient.RIEC, LegalGround.RIEC_BIBOB),
        ):
            services.disclosure_record(
                actor=specialist,
                dossier=dossier,
                recipient=recipient,
                legal_ground=ground,
                recipient_name="Ontvanger",
                content=f"Passage uit het advies {MARKER}",
                disclosed_on=date(2020, 4, 2),
            )
    dossier.refresh_from_db()
    assert dossier.decision.objection_due == date(2020, 5, 13)
    return dossier, applicant, financier


def test_dossier_due_five_years_after_the_decision_became_final_and_destroyed_without_trace(
    users, records_manager, decided
):
    dossier, _applicant, _financier = decided
    log_access(user=users["bibob"], action=AccessAction.READ, obj=dossier, purpose="Reden: Bibob-toets")
    assert _tables_mentioning(MARKER)
    pk = dossier.pk

    assert ours(sweep_on(date(2025, 5, 12))) == []
    result = sweep_on(date(2025, 5, 13))
    [item] = ours(result)
    assert (item.object_id, item.anchor_date, item.due_date) == (pk, date(2020, 5, 13), date(2025, 5, 13))
    carry_out(result.destruction_list, users, records_manager, date(2025, 5, 14))

    assert _tables_mentioning(MARKER) == []
    assert not BibobDossier.objects.filter(pk=pk).exists()
    for model in (Advice, Decision, DisclosureRecord, DossierParty, DossierTransition):
        assert not model.objects.filter(dossier_id=pk).exists(), model  # encrypted rows too
    assert not LogRef.objects.filter(kind="bibob.bibobdossier", object_id=pk).exists()
    assert Tombstone.objects.filter(model_label="bibob.bibobdossier", object_id=pk).exists()
    with transaction.atomic():
        dossier_destroy("bibob.bibobdossier", pk)  # idempotent
    # outside the retention path the history is still append-only
    with at(date(2026, 6, 30)):
        other = make_dossier(users["bibob"])
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM bibob_dossiertransition WHERE dossier_id = %s", [other.pk])


def test_undecided_or_unpublished_dossiers_are_never_due(users):
    with at(date(2019, 6, 1)):
        open_dossier = make_dossier(users["bibob"], application_date=date(2019, 1, 7))
        unpublished = make_dossier(
            users["bibob"],
            status=S.DECISION,
            decider=users["decision_maker"],
            application_date=date(2019, 1, 7),
        )
    assert ours(sweep_on(date(2035, 1, 1))) == []
    assert BibobDossier.objects.filter(pk__in=[open_dossier.pk, unpublished.pk]).count() == 2


def test_anonymised_dossier_keeps_kind_dates_and_outcome(users, records_manager, decided):
    RetentionRule.objects.filter(code="bibob_dossier").update(action="anonymise")
    dossier, _applicant, _financier = decided
    result = sweep_on(date(2025, 5, 13))
    carry_out(result.destruction_list, users, records_manager, date(2025, 5, 14))
    dossier.refresh_from_db()
    assert (dossier.decision_type, dossier.application_date, dossier.status) == (
        "apv_2_28",
        date(2020, 1, 6),
        S.DECISION,
    )
    decision = Decision.objects.get(dossier=dossier)
    assert (decision.outcome, decision.reasoning) == (Outcome.GRANT_CONDITIONS, "[geanonimiseerd]")
    assert not DossierParty.objects.filter(dossier=dossier).exists()
    assert not Advice.objects.get(dossier=dossier).summary  # danger levels kept, text gone
    assert _tables_mentioning(MARKER) == []
    assert ours(sweep_on(date(2025, 5, 15))) == []


def test_access_request_shows_only_what_article_28_allows(users, decided):
    dossier, applicant, financier = decided
    officer = users["privacy_officer"]

    answer = dsar_answer(actor=officer, dsr=dsar_create(actor=officer, person_id=applicant.pk))
    section = next(s for s in answer["onderdelen"] if s["code"] == "bibob")
    [item] = section["items"]
    assert item["title"] == f"Bibob-dossier {dossier.reference}"
    assert item["fields"]["uw rol"] == "Aanvrager"
    assert item["fields"]["besluit"] == "Verlenen met voorschriften"
    assert item["fields"]["bekendgemaakt op"] == "01-04-2020"
    assert "Betrokkene" in item["fields"]["verstrekt aan"]  # the disclosure to the person themselves
    grounds = {(w["ground"], w["description"].split(" ")[1]) for w in section["withheld"]}
    assert ("bibob", "advies/adviezen") in grounds  # the advice itself
    assert ("third_party", "over") in grounds  # the financier
    assert ("prevention", "verstrekking(en)") in grounds  # the disclosure to the RIEC
    bibob_ground = next(w for w in section["withheld"] if w["ground"] == "bibob")
    assert "art. 28 Wet Bibob" in bibob_ground["ground_label"]
    text = json.dumps(answer, ensure_ascii=False)
    for secret in (ADVICE_TEXT, MARKER, "Geldschieter", "leidinggevenden zonder toestemming", "RIEC"):
        assert secret not in text

    # the financier learns that the dossier exists and their role, not the decision on another's application
    answer = dsar_answer(actor=officer, dsr=dsar_create(actor=officer, person_id=financier.pk))
    section = next(s for s in answer["onderdelen"] if s["code"] == "bibob")
    [item] = section["items"]
    assert item["fields"]["uw rol"] == "Financier" and "besluit" not in item["fields"]
    assert any("inhoud van het besluit" in w["description"].lower() for w in section["withheld"])
    assert "Molenaar-Uniek" not in json.dumps(
        answer, ensure_ascii=False
    )  # the applicant is a third party here
