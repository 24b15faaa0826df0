"""Bibob letters: made in the dossier, kept in the Bibob compartment, and the decision letter's
sending is the bekendmaking that starts the objection term (bibob engine)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.urls import reverse

from bibob import deadlines as bd
from bibob.constants import DossierStatus
from bibob.rules import rule
from letters import fields, services
from letters.models import Letter
from tests.factories.bibob import make_dossier
from tests.letters.conftest import docx_text
from vik.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False):
        yield


@pytest.fixture
def decider(make_user):
    from vik.core.models import OrgUnit

    bestuur, _ = OrgUnit.objects.get_or_create(code="bestuur", defaults={"name": "Bestuur", "kind": "team"})
    return make_user("decision_maker", username="els", org=bestuur)


@pytest.fixture
def decided(users, decider):
    return make_dossier(users["bibob"], decider=decider, status=DossierStatus.DECISION)


def test_decision_letter_names_the_objection_date_and_sending_publishes_it(
    users, decider, make_user, decided
):
    specialist = users["bibob"]
    checker = make_user("bibob", username="bibob2")
    letter = services.letter_generate(
        actor=specialist, dossier=decided, kind="bibob_besluit", planned_date=TODAY, signatory=decider
    )
    assert letter.compartment == "bibob"
    due = bd.simple_term_end(TODAY, **rule("objection").kwargs)
    text = docx_text(services.current_docx(letter)[0])
    assert fields.weekday_date(due) in text and decided.reference in text
    services.letter_submit(actor=specialist, letter=letter)
    services.letter_check(actor=checker, letter=letter)
    services.letter_approve(actor=decider, letter=letter)
    services.letter_send(actor=specialist, letter=letter, sent_on=TODAY)
    decided.decision.refresh_from_db()
    assert decided.decision.bekendgemaakt_on == TODAY and decided.decision.objection_due == due


def test_bibob_letter_never_leaves_the_compartment(users, decider, login, decided):
    letter = services.letter_generate(
        actor=users["bibob"], dossier=decided, kind="bibob_besluit", planned_date=TODAY, signatory=decider
    )
    analyst = users["analyst"]  # holds the letters permissions, not the Bibob clearance
    assert login(analyst).get(reverse("letters:detail", args=[letter.pk])).status_code == 404
    assert login(analyst).get(reverse("letters:download", args=[letter.pk])).status_code == 404
    assert letter.reference not in login(analyst).get(reverse("letters:inbox")).content.decode()
    assert login(users["bibob"]).get(reverse("letters:detail", args=[letter.pk])).status_code == 200


def test_voornemen_letter_without_a_recorded_voornemen_names_the_missing_term(users, decider):
    dossier = make_dossier(users["bibob"], decider=decider)
    with pytest.raises(ApplicationError) as exc:
        services.letter_generate(
            actor=users["bibob"],
            dossier=dossier,
            kind="bibob_voornemen",
            planned_date=TODAY,
            signatory=decider,
        )
    assert "zienswijzetermijn" in exc.value.message and not Letter.objects.exists()
