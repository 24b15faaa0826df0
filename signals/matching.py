"""Find subjects and objects by identifier, or create them, for intake and import.

Matching goes by identifier first (BSN blind index, KvK number, postcode + house number, kenteken),
then for persons without a BSN by name and birth date. Matching looks at every record, not only
the ones the user may see: a second record for the same BSN would split the picture. What the
user then gets to see of a matched record is decided by the subjects app's own pages.

One record at a time (intake, linking) goes through ``subjects.services`` (validation, audit,
visibility). The bulk import builds the same records with the same name normalisation
(``subjects.names``) and inserts them in batches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from subjects import services as subject_services
from subjects.models import Address, Organisation, Person, Vehicle
from subjects.names import initials_of, name_key, organisation_key, split_voorvoegsel, tidy, unaccent_lower
from vik.core.encryption import blind_index
from vik.core.models import OrgUnit, User

UNKNOWN = "(onbekend)"


def normalise_name(value: str) -> str:
    return unaccent_lower(tidy(value or ""))


@dataclass
class PersonData:
    geslachtsnaam: str = ""
    voornamen: str = ""
    voorvoegsel: str = ""
    birth_date: date | None = None
    bsn: str = ""  # cleaned

    def key(self) -> tuple:
        if self.bsn:
            return ("bsn", self.bsn)
        return ("name", normalise_name(self.geslachtsnaam), normalise_name(self.voornamen), self.birth_date)


@dataclass
class OrganisationData:
    name: str = ""
    kvk_number: str = ""

    def key(self) -> tuple:
        return ("kvk", self.kvk_number) if self.kvk_number else ("name", normalise_name(self.name))


@dataclass
class AddressData:
    postcode: str
    house_number: int
    house_letter: str = ""
    house_number_addition: str = ""

    def key(self) -> tuple:
        return (
            self.postcode,
            self.house_number,
            self.house_letter.upper(),
            self.house_number_addition.upper(),
        )


@dataclass
class Provenance:
    owner_team: OrgUnit
    source: str = ""
    actor: User | None = None
    compartment: str = "general"
    created: list = field(default_factory=list)


def person_name_key(data: PersonData) -> tuple[str, str]:
    """(name_normalised as the subjects app stores it, tidy voornamen)."""
    _prefix, last = split_voorvoegsel(data.voorvoegsel or "", data.geslachtsnaam)
    return name_key(last), tidy(data.voornamen)


def find_person(data: PersonData) -> Person | None:
    qs = Person.objects.filter(merged_into_id__isnull=True)
    if data.bsn:
        return qs.filter(bsn_index=blind_index(data.bsn)).order_by("id").first()
    if not data.geslachtsnaam:
        return None
    _prefix, last = split_voorvoegsel(data.voorvoegsel or "", data.geslachtsnaam)
    qs = qs.filter(name_normalised=name_key(last), birth_date=data.birth_date)
    if data.voornamen:
        qs = qs.filter(voornamen__iexact=data.voornamen.strip())
    return qs.order_by("id").first() if data.birth_date else None


def find_organisation(data: OrganisationData) -> Organisation | None:
    qs = Organisation.objects.filter(merged_into_id__isnull=True)
    if data.kvk_number:
        return qs.filter(kvk_number=data.kvk_number).order_by("id").first()
    return None


def find_address(data: AddressData) -> Address | None:
    return (
        Address.objects.filter(
            merged_into_id__isnull=True,
            postcode=data.postcode,
            house_number=data.house_number,
            house_letter__iexact=data.house_letter,
            house_number_addition__iexact=data.house_number_addition,
        )
        .order_by("id")
        .first()
    )


def find_vehicle(kenteken: str) -> Vehicle | None:
    return Vehicle.objects.filter(merged_into_id__isnull=True, kenteken=kenteken).order_by("id").first()


def build_person(data: PersonData, prov: Provenance) -> Person:
    prefix, last = split_voorvoegsel(data.voorvoegsel or "", data.geslachtsnaam or UNKNOWN)
    last = last or UNKNOWN
    return Person(
        voornamen=tidy(data.voornamen),
        voorvoegsel=prefix,
        geslachtsnaam=last,
        name_normalised=name_key(last),
        initials=initials_of(tidy(data.voornamen)),
        birth_date=data.birth_date,
        bsn=data.bsn or None,
        bsn_index=blind_index(data.bsn) if data.bsn else "",
        source=prov.source,
        owner_team=prov.owner_team,
        compartment=prov.compartment,
        visible_to=[prov.owner_team.team_token],
    )


def build_organisation(data: OrganisationData, prov: Provenance) -> Organisation:
    name = data.name or _("Organisatie KvK %(k)s") % {"k": data.kvk_number}
    return Organisation(
        name=name,
        name_normalised=organisation_key(name),
        kvk_number=data.kvk_number,
        source=prov.source,
        owner_team=prov.owner_team,
        compartment=prov.compartment,
        visible_to=[prov.owner_team.team_token],
    )


def build_address(data: AddressData, prov: Provenance) -> Address:
    # The import carries no street or town; the subjects app can complete them from the BAG.
    return Address(
        street=UNKNOWN,
        house_number=data.house_number,
        house_letter=data.house_letter.upper(),
        house_number_addition=data.house_number_addition.upper(),
        postcode=data.postcode,
        town=UNKNOWN,
        source=prov.source,
        owner_team=prov.owner_team,
        compartment=prov.compartment,
        visible_to=[prov.owner_team.team_token],
    )


def build_vehicle(kenteken: str, prov: Provenance) -> Vehicle:
    return Vehicle(
        kenteken=kenteken,
        source=prov.source,
        owner_team=prov.owner_team,
        compartment=prov.compartment,
        visible_to=[prov.owner_team.team_token],
    )


def _create_kwargs(prov: Provenance) -> dict[str, Any]:
    """The provenance part of a ``subjects.services.*_create`` call for one new subject."""
    if prov.actor is None:
        raise ValueError("Creating a single subject needs an actor")
    return {
        "actor": prov.actor,
        "source": prov.source,
        "compartment": prov.compartment,
        "owner_team": prov.owner_team,
    }


def person_match_or_create(data: PersonData, prov: Provenance) -> tuple[Person, bool]:
    found = find_person(data)
    if found is not None:
        return found, False
    person = subject_services.person_create(
        geslachtsnaam=data.geslachtsnaam or UNKNOWN,
        voornamen=data.voornamen,
        voorvoegsel=data.voorvoegsel,
        birth_date=data.birth_date,
        bsn=data.bsn,
        **_create_kwargs(prov),
    )
    return person, True


def organisation_match_or_create(data: OrganisationData, prov: Provenance) -> tuple[Organisation, bool]:
    found = find_organisation(data)
    if found is not None:
        return found, False
    name = data.name or _("Organisatie KvK %(k)s") % {"k": data.kvk_number}
    org = subject_services.organisation_create(
        name=name,
        kvk_number=data.kvk_number,
        **_create_kwargs(prov),
    )
    return org, True


def address_match_or_create(data: AddressData, prov: Provenance) -> tuple[Address, bool]:
    found = find_address(data)
    if found is not None:
        return found, False
    address = subject_services.address_create(
        street=UNKNOWN,
        house_number=data.house_number,
        house_letter=data.house_letter,
        house_number_addition=data.house_number_addition,
        postcode=data.postcode,
        town=UNKNOWN,
        **_create_kwargs(prov),
    )
    return address, True


def vehicle_match_or_create(kenteken: str, prov: Provenance) -> tuple[Vehicle, bool]:
    found = find_vehicle(kenteken)
    if found is not None:
        return found, False
    vehicle = subject_services.vehicle_create(
        kenteken=kenteken,
        **_create_kwargs(prov),
    )
    return vehicle, True
