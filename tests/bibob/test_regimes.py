"""Bibob decision terms per regime (issue #16 item 5) and the rules a dossier shows with their
verification status (item 10)."""

from datetime import date

import pytest

from django.urls import reverse

from bibob.constants import DecisionType
from bibob.selectors import dossier_terms, rules_in_use
from tests.factories.bibob import make_dossier

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "decision_type, rule_code, weeks, atw",
    [
        (DecisionType.ALCOHOLWET_3, "bibob_beslistermijn", 8, True),  # Awb 4:13
        (DecisionType.APV_2_28, "bibob_beslistermijn_apv", 8, False),  # the regulation's term
        (DecisionType.OMGEVING_BOUWEN, "bibob_beslistermijn_omgevingswet", 8, True),  # Ow 16.64
    ],
)
def test_decision_term_rule_chosen_per_regime(specialist, decision_type, rule_code, weeks, atw):
    dossier = make_dossier(specialist, decision_type=decision_type)
    assert (dossier.term_rule_code, dossier.term_weeks, dossier.term_atw) == (rule_code, weeks, atw)


def test_apv_term_is_not_moved_by_the_atw_but_the_alcoholwet_term_is(specialist):
    # application Mon 16 Mar 2026 + 8 weeks = Mon 11 May: a working day for both. Application
    # Thu 19 Mar + 8 weeks = Ascension Day Thu 14 May: Awb 4:13 (Atw) -> Fri 15 May; the APV
    # term (a municipal regulation, no Atw) ends on 14 May itself.
    alcohol = make_dossier(
        specialist, decision_type=DecisionType.ALCOHOLWET_3, application_date=date(2026, 3, 19)
    )
    apv = make_dossier(specialist, decision_type=DecisionType.APV_2_28, application_date=date(2026, 3, 19))
    assert dossier_terms(alcohol).decision.deadline == date(2026, 5, 15)
    assert dossier_terms(apv).decision.deadline == date(2026, 5, 14)


def test_review_of_existing_permit_has_no_decision_term(specialist, login):
    dossier = make_dossier(specialist, is_review=True, decision_type=DecisionType.APV_2_28)
    assert dossier.term_rule_code == "" and dossier.term_weeks == 0
    terms = dossier_terms(dossier)
    assert terms.no_term and terms.state == "no_term"
    html = login(specialist).get(reverse("bibob:detail", args=[dossier.pk])).content.decode()
    assert "geen: een toets of intrekking van een bestaande vergunning is geen aanvraag" in html
    assert "Uiterste beslisdatum" not in html
    assert all(r.code != "bibob_beslistermijn_apv" for r in rules_in_use(dossier))


def test_dossier_page_shows_the_verification_status_of_every_rule_it_uses(specialist, login):
    dossier = make_dossier(specialist)
    html = login(specialist).get(reverse("bibob:detail", args=[dossier.pk])).content.decode()
    block = html.split('data-testid="rules-in-use"')[1].split("</ul>")[0]
    for basis in ("art. 31 Wet Bibob", "art. 33 Wet Bibob", "art. 4:5 Awb", "art. 4:8 Awb", "APV"):
        assert basis in block, basis
    assert block.count("niet geverifieerd") >= 5
