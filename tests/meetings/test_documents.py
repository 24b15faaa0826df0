"""Agenda and minutes per recipient organisation, as web page and PDF; approved minutes frozen
and encrypted. pypdf is not installed, so the PDF's content is asserted through the HTML that
goes into it, and the PDF itself by its signature."""

from __future__ import annotations

import pytest

from django.db import connection

from meetings import documents, services
from meetings.constants import DecisionKind, MeetingState
from meetings.models import AgendaItem, FrozenMinutes
from meetings.permissions import Audience, audience_for
from tests.factories.meetings import add_action, add_free, add_signal, advance, make_signal
from vik.core.constants import Compartment

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(meeting, chair, team, police_org, riec_org):
    police_item = add_signal(
        meeting,
        chair,
        make_signal(team=team, compartment=Compartment.POLICE, narrative="RUWE-POLITIE-TEKST"),
        summary="Woning Bornsestraat",
        share=[police_org],
    )
    shared = add_free(meeting, chair, title="Controle bedrijventerrein", share=[police_org, riec_org])
    add_free(meeting, chair, title="Intern overleg personeel")
    advance(meeting, chair, MeetingState.HELD)
    services.decision_record(
        actor=chair, item=police_item, kind=DecisionKind.LOCAL, text="Gemeente start 13b-traject"
    )
    services.decision_record(actor=chair, item=shared, kind=DecisionKind.OTHER, text="Controle in mei")
    add_action(shared, chair, org=riec_org, description="Analyse eigendom opvragen")
    return meeting


def test_partner_copy_of_the_minutes_lacks_unshared_items(held, riec_user, police_user):
    riec = documents.minutes_for(held, audience_for(riec_user))
    assert "Controle bedrijventerrein" in riec and "Analyse eigendom opvragen" in riec
    assert "Bornsestraat" not in riec and "Intern overleg" not in riec and "13b" not in riec
    police = documents.minutes_for(held, audience_for(police_user))
    assert (
        "Bornsestraat" in police and "Gemeente start 13b-traject" in police and "Intern overleg" not in police
    )


def test_minutes_never_carry_the_raw_signal_text(held, chair):
    internal = documents.minutes_for(held, audience_for(chair))
    assert "Intern overleg" in internal and "RUWE-POLITIE-TEKST" not in internal


def test_partner_copy_of_the_agenda_lacks_unshared_items(held, riec_user):
    agenda = documents.agenda_for(held, audience_for(riec_user))
    assert "Controle bedrijventerrein" in agenda and "Bornsestraat" not in agenda
    assert "exemplaar voor RIEC" in agenda


def test_pdf_is_rendered_from_the_partner_copy(held, riec_user):
    data = documents.pdf_bytes(
        documents.minutes_for(held, audience_for(riec_user)), title="Verslag", kind="minutes"
    )
    assert data.startswith(b"%PDF")


def test_approval_freezes_encrypted_copies_that_are_served_afterwards(held, chair, riec_user, police_user):
    advance(held, chair, MeetingState.MINUTES_APPROVED)
    assert FrozenMinutes.objects.filter(meeting=held, org__isnull=True).exists()
    assert FrozenMinutes.objects.filter(meeting=held, org=riec_user.org_unit).exists()
    with connection.cursor() as cur:
        cur.execute("SELECT html FROM meetings_frozenminutes")
        raw = " ".join(r[0] for r in cur.fetchall())
    assert "Controle bedrijventerrein" not in raw
    # a later change in the database does not alter the approved minutes
    AgendaItem.objects.filter(title="Controle bedrijventerrein").update(title="Achteraf gewijzigd")
    riec = documents.minutes_for(held, audience_for(riec_user))
    assert (
        "Controle bedrijventerrein" in riec
        and "Achteraf gewijzigd" not in riec
        and "Bornsestraat" not in riec
    )
    police = documents.minutes_for(held, audience_for(police_user))
    assert "Bornsestraat" in police


def test_frozen_copy_respects_the_readers_clearances(held, chair, make_user, police_org):
    advance(held, chair, MeetingState.MINUTES_APPROVED)
    uncleared = make_user("partner", org=police_org, clearances=["general"])
    text = documents.minutes_for(held, audience_for(uncleared))
    assert "Controle bedrijventerrein" in text and "Bornsestraat" not in text
    limited_staff = Audience(org=None, compartments=("general",))
    assert "Bornsestraat" not in documents.minutes_for(held, limited_staff)


def test_partner_gets_an_empty_copy_of_a_draft_agenda(meeting, chair, police_org, police_user):
    add_free(meeting, chair, title="Concept gedeeld punt", share=[police_org])
    assert "Concept gedeeld punt" not in documents.agenda_for(meeting, audience_for(police_user))
    preview = Audience(org=police_org, compartments=("general",), preview=True)
    assert "Concept gedeeld punt" in documents.agenda_for(meeting, preview)
