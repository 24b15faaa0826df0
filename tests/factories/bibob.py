"""Light factories for Bibob tests: dossiers are made through the real service (so the
compartment, history and visibility are right) and moved along with ``bibob.seed.drive_to``."""

from __future__ import annotations

from datetime import date

from bibob import services
from bibob.constants import DecisionMaker, DecisionType, RiskBranch
from bibob.seed import drive_to
from subjects.models import Address, Organisation, Person
from vik.core.access import init_visibility


def make_dossier(actor, *, owner_team=None, status=None, decider=None, outcome=None, **kwargs):
    data = {
        "title": "Café De Gouden Leeuw, Grotestraat 1",
        "decision_type": DecisionType.APV_2_28,
        "risk_branch": RiskBranch.HORECA,
        "applicant_name": "Horeca Twente B.V.",
        "application_date": date(2026, 1, 12),
        "decision_maker": DecisionMaker.BURGEMEESTER,
    }
    data.update(kwargs)
    dossier = services.dossier_create(
        actor=actor, owner_team=owner_team or actor.org_unit, decider=decider, **data
    )
    if status is not None:
        extra = {"outcome": outcome} if outcome else {}
        drive_to(dossier, status, actor=actor, decider=decider, **extra)
    return dossier


def make_person(team, *, name="Jansen", compartment="general"):
    p = Person(
        voornamen="Piet",
        geslachtsnaam=name,
        name_normalised=name.lower(),
        owner_team=team,
        compartment=compartment,
    )
    p.save()
    init_visibility(p)
    return p


def make_organisation(team, *, name="Horeca Twente B.V.", compartment="general"):
    o = Organisation(
        name=name,
        name_normalised=name.lower(),
        kvk_number="12345678",
        owner_team=team,
        compartment=compartment,
    )
    o.save()
    init_visibility(o)
    return o


def make_address(team, *, street="Grotestraat", number=1):
    a = Address(street=street, house_number=number, postcode="7607AB", town="Almelo", owner_team=team)
    a.save()
    init_visibility(a)
    return a
