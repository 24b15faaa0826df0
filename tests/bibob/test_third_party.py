"""Wet Bibob art. 33 (article number unverified, DOMAIN §1.5 step 7): a third party named in
the LBB advice gets a zienswijze step (invitation, term, response) before a negative decision;
recorded on the dossier. The term is set by the authority (no Atw): 14 days by default."""

from datetime import date

import pytest

from django.urls import reverse

from bibob import services
from bibob.constants import DossierStatus as S
from bibob.constants import Outcome, PartyRole
from tests.factories.bibob import make_dossier, make_person
from vik.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def _dossier_with_financier(specialist, decider):
    dossier = make_dossier(specialist, status=S.ZIENSWIJZE, decider=decider, outcome=Outcome.REFUSE)
    person = make_person(specialist.org_unit, name="Financier")
    party = services.party_add(
        actor=specialist, dossier=dossier, role=PartyRole.FINANCIER, kind="person", subject_id=person.pk
    )
    return dossier, party


def test_invitation_term_and_response_before_a_negative_decision(specialist, decider, login):
    dossier, party = _dossier_with_financier(specialist, decider)
    # invited Mon 15 Jun 2026 + 14 days = Mon 29 Jun (a policy term: no Atw)
    hearing = services.third_party_invite(
        actor=specialist, dossier=dossier, party_id=party.pk, invited_on=date(2026, 6, 15)
    )
    assert (hearing.days, hearing.due) == (14, date(2026, 6, 29))
    # a negative decision waits for the third party
    with pytest.raises(ApplicationError) as exc:
        services.dossier_decide(
            actor=decider,
            dossier=dossier,
            outcome=Outcome.REFUSE,
            reasoning="Ernstig gevaar volgens het advies van het LBB.",
            decided_on=date(2026, 6, 30),
        )
    assert exc.value.field == "outcome" and "art. 33 Wet Bibob" in exc.value.message
    assert not hasattr(dossier, "decision") or dossier.decision is None
    html = login(specialist).get(reverse("bibob:detail", args=[dossier.pk])).content.decode()
    assert "termijn loopt" in html.split('data-testid="third-parties"')[1]
    # the response is recorded; then the decision can be taken
    services.third_party_response(
        actor=specialist,
        dossier=dossier,
        hearing_id=hearing.pk,
        responded_on=date(2026, 6, 26),
        summary="Financier betwist de herkomst van de lening niet.",
    )
    decision = services.dossier_decide(
        actor=decider,
        dossier=dossier,
        outcome=Outcome.REFUSE,
        reasoning="Ernstig gevaar volgens het advies van het LBB.",
        decided_on=date(2026, 6, 30),
    )
    assert decision.outcome == Outcome.REFUSE


def test_no_response_only_after_the_term_and_applicant_is_not_a_third_party(specialist, decider):
    dossier, party = _dossier_with_financier(specialist, decider)
    hearing = services.third_party_invite(
        actor=specialist, dossier=dossier, party_id=party.pk, invited_on=date(2026, 6, 20), days=7
    )
    assert hearing.due == date(2026, 6, 27)  # Saturday: a policy term is not moved by the Atw
    services.third_party_response(actor=specialist, dossier=dossier, hearing_id=hearing.pk, none_given=True)
    hearing.refresh_from_db()
    assert hearing.no_response
    late = services.third_party_invite(
        actor=specialist, dossier=dossier, party_id=party.pk, invited_on=date(2026, 6, 29)
    )
    with pytest.raises(ApplicationError) as exc:
        services.third_party_response(actor=specialist, dossier=dossier, hearing_id=late.pk, none_given=True)
    assert exc.value.field == "none_given" and "13-07-2026" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        services.third_party_invite(
            actor=specialist, dossier=dossier, party_id=party.pk, invited_on=date(2026, 6, 29), days=200
        )
    assert exc.value.field in {"days", "party_id"}
