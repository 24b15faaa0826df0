"""Demo data (``seed_demo``): give the fixed demo records of the subjects seed the identifiers
the registry stand-in knows (BSNs in the 999 test range, BAG ids, the KvK number is already the
same), so that "Vergelijken met basisregistratie", the Bewoning panel and the KvK profile show
something in demo mode. Records stay "niet geverifieerd" until someone compares them or the
nightly job runs. Idempotent."""

from __future__ import annotations

from datetime import date

from . import standin_data

# (voornamen, geslachtsnaam as seeded, birth date) -> stand-in BSN
SEEDED_PERSONS = {
    ("Jan Hendrik", "Jansen", date(1979, 3, 14)): "999993653",
    ("Ayşe", "Yılmaz", date(1988, 7, 2)): "999990019",
    ("Pieter", "Berg", date(1965, 11, 30)): "999991772",
}


def seed_registries() -> str:
    from auditlog.context import set_actor

    from subjects.models import Address, Person
    from subjects.seed import SEED_SOURCE, _actor
    from subjects.services import address_create, address_update, person_update
    from vik.core.constants import Compartment

    if not Person.objects.filter(source=SEED_SOURCE).exists():
        return "geen demo-subjecten"
    actor, team = _actor()
    changed = 0
    with set_actor(actor):
        for (first, last, born), bsn in SEEDED_PERSONS.items():
            person = (
                Person.objects.filter(
                    source=SEED_SOURCE, voornamen=first, geslachtsnaam=last, birth_date=born
                )
                .order_by("pk")
                .first()
            )
            if person is not None and person.bsn != bsn:
                person_update(actor=actor, person=person, bsn=bsn)
                changed += 1
        for item in standin_data.ADDRESSES:
            ids = {
                "bag_nummeraanduiding": item["nummeraanduidingIdentificatie"],
                "bag_verblijfsobject": item["adresseerbaarObjectIdentificatie"],
            }
            existing = (
                Address.objects.filter(postcode=item["postcode"], house_number=item["huisnummer"])
                .order_by("pk")
                .first()
            )
            if existing is None:
                address_create(
                    actor=actor,
                    owner_team=team,
                    compartment=Compartment.GENERAL,
                    street=item["openbareRuimteNaam"],
                    house_number=item["huisnummer"],
                    house_letter=item.get("huisletter", ""),
                    postcode=item["postcode"],
                    town=item["woonplaatsNaam"],
                    gemeente_code="GM0141",
                    source=SEED_SOURCE,
                    **ids,
                )
                changed += 1
            elif existing.bag_verblijfsobject != ids["bag_verblijfsobject"]:
                address_update(actor=actor, address=existing, **ids)
                changed += 1
    return f"{changed} demo-records gekoppeld aan de stand-in van de basisregistraties"
