"""Create and update persons, organisations, addresses and vehicles."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core import identifiers as ids
from vik.core.constants import Compartment, RiskBranch
from vik.core.encryption import blind_index
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from ..constants import LegalForm
from ..models import Address, Organisation, Person, Vehicle
from ..names import alias_keys, initials_of, name_key, organisation_key, split_voorvoegsel, tidy
from .common import _create, _identifier, _locked_update, _text_list

# --- persons ------------------------------------------------------------------------------------

PERSON_FIELDS = (
    "voornamen",
    "voorvoegsel",
    "geslachtsnaam",
    "birth_date",
    "birth_place",
    "bsn",
    "aliases",
    "source",
)


def _apply_person(person: Person, data: dict[str, Any]) -> None:
    if "geslachtsnaam" in data or "voorvoegsel" in data:
        raw_last = data.get("geslachtsnaam", person.geslachtsnaam)
        raw_prefix = data.get("voorvoegsel", person.voorvoegsel)
        prefix, last = split_voorvoegsel(raw_prefix or "", raw_last or "")
        if not last:
            raise ApplicationError(_("Vul de geslachtsnaam in."), field="geslachtsnaam")
        person.voorvoegsel, person.geslachtsnaam = prefix, last
        person.name_normalised = name_key(last)
    if "voornamen" in data:
        person.voornamen = tidy(data["voornamen"])
        person.initials = initials_of(person.voornamen)
    if "birth_date" in data:
        bd = data["birth_date"] or None
        if bd is not None and bd > timezone.localdate():
            raise ApplicationError(_("Een geboortedatum ligt niet in de toekomst."), field="birth_date")
        if bd is not None and bd < date(1880, 1, 1):
            raise ApplicationError(_("Deze geboortedatum is niet aannemelijk."), field="birth_date")
        person.birth_date = bd
    if "birth_place" in data:
        person.birth_place = tidy(data["birth_place"])
    if "bsn" in data:
        raw = (data["bsn"] or "").strip()
        if raw:
            value = _identifier(ids.clean_bsn, raw, "bsn")
            person.bsn, person.bsn_index = value, blind_index(value)  # type: ignore[assignment]
        else:
            person.bsn, person.bsn_index = None, ""  # type: ignore[assignment]
    if "aliases" in data:
        person.aliases = _text_list(data["aliases"], field="aliases")
        person.alias_keys = alias_keys(person.aliases)
    if "source" in data:
        person.source = tidy(data["source"])[:200]


@transaction.atomic
def person_create(
    *,
    actor: User,
    geslachtsnaam: str,
    voornamen: str = "",
    voorvoegsel: str = "",
    birth_date: date | None = None,
    birth_place: str = "",
    bsn: str = "",
    aliases: list[str] | str = (),  # type: ignore[assignment]
    source: str = "",
    compartment: str = Compartment.GENERAL,
    owner_team: OrgUnit | None = None,
) -> Person:
    person = Person()
    _apply_person(
        person,
        {
            "geslachtsnaam": geslachtsnaam,
            "voorvoegsel": voorvoegsel,
            "voornamen": voornamen,
            "birth_date": birth_date,
            "birth_place": birth_place,
            "bsn": bsn,
            "aliases": aliases,
            "source": source,
        },
    )
    return _create(person, actor=actor, owner_team=owner_team, compartment=compartment)  # type: ignore[return-value]


@transaction.atomic
def person_update(*, actor: User, person: Person, expected_version: int | None = None, **data: Any) -> Person:
    tracked = (*PERSON_FIELDS, "name_normalised", "initials", "bsn_index", "alias_keys")
    return _locked_update(person, PERSON_FIELDS, tracked, _apply_person, data, actor, expected_version)  # type: ignore[return-value]


# --- organisations --------------------------------------------------------------------------------

ORGANISATION_FIELDS = (
    "name",
    "kvk_number",
    "vestigingsnummer",
    "rsin",
    "legal_form",
    "sbi_codes",
    "trade_names",
    "risk_branch",
    "source",
)


def _apply_organisation(org: Organisation, data: dict[str, Any]) -> None:
    if "name" in data:
        org.name = tidy(data["name"])
        if not org.name:
            raise ApplicationError(_("Vul de naam van de organisatie in."), field="name")
        org.name_normalised = organisation_key(org.name)
    for field, fn in (
        ("kvk_number", ids.clean_kvk_number),
        ("vestigingsnummer", ids.clean_vestigingsnummer),
        ("rsin", ids.clean_rsin),
    ):
        if field in data:
            raw = (data[field] or "").strip()
            setattr(org, field, _identifier(fn, raw, field) if raw else "")
    if "legal_form" in data:
        value = data["legal_form"] or ""
        if value and value not in LegalForm.values:
            raise ApplicationError(_("Kies een rechtsvorm uit de lijst."), field="legal_form")
        org.legal_form = value
    if "risk_branch" in data:
        value = data["risk_branch"] or ""
        if value and value not in RiskBranch.values:
            raise ApplicationError(_("Kies een risicobranche uit de lijst."), field="risk_branch")
        org.risk_branch = value
    if "sbi_codes" in data:
        codes = _text_list(
            data["sbi_codes"]
            if not isinstance(data["sbi_codes"], str)
            else data["sbi_codes"].replace(",", "\n"),
            field="sbi_codes",
            max_length=6,
        )
        for code in codes:
            if not code.isdigit() or not 2 <= len(code) <= 5:
                raise ApplicationError(
                    _("SBI-code %(c)s klopt niet: een SBI-code bestaat uit 2 tot 5 cijfers.") % {"c": code},
                    field="sbi_codes",
                )
        org.sbi_codes = codes
    if "trade_names" in data:
        org.trade_names = _text_list(data["trade_names"], field="trade_names")
        org.alias_keys = alias_keys(org.trade_names)
    if "source" in data:
        org.source = tidy(data["source"])[:200]


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    name: str,
    kvk_number: str = "",
    vestigingsnummer: str = "",
    rsin: str = "",
    legal_form: str = "",
    sbi_codes: list[str] | str = (),  # type: ignore[assignment]
    trade_names: list[str] | str = (),  # type: ignore[assignment]
    risk_branch: str = "",
    source: str = "",
    compartment: str = Compartment.GENERAL,
    owner_team: OrgUnit | None = None,
) -> Organisation:
    org = Organisation()
    _apply_organisation(
        org,
        {
            "name": name,
            "kvk_number": kvk_number,
            "vestigingsnummer": vestigingsnummer,
            "rsin": rsin,
            "legal_form": legal_form,
            "sbi_codes": sbi_codes,
            "trade_names": trade_names,
            "risk_branch": risk_branch,
            "source": source,
        },
    )
    return _create(org, actor=actor, owner_team=owner_team, compartment=compartment)  # type: ignore[return-value]


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, expected_version: int | None = None, **data: Any
) -> Organisation:
    tracked = (*ORGANISATION_FIELDS, "name_normalised", "alias_keys")
    return _locked_update(
        organisation, ORGANISATION_FIELDS, tracked, _apply_organisation, data, actor, expected_version
    )  # type: ignore[return-value]


# --- addresses ------------------------------------------------------------------------------------

ADDRESS_FIELDS = (
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "town",
    "bag_nummeraanduiding",
    "bag_verblijfsobject",
    "gemeente_code",
    "wijk_code",
    "buurt_code",
    "latitude",
    "longitude",
    "source",
)


def _apply_address(addr: Address, data: dict[str, Any]) -> None:
    if "street" in data:
        addr.street = tidy(data["street"])
        if not addr.street:
            raise ApplicationError(_("Vul de straat in."), field="street")
    if "house_number" in data:
        try:
            number = int(str(data["house_number"]).strip())
        except (TypeError, ValueError):
            raise ApplicationError(_("Een huisnummer is een getal."), field="house_number")
        if not 1 <= number <= 99999:
            raise ApplicationError(_("Een huisnummer ligt tussen 1 en 99999."), field="house_number")
        addr.house_number = number
    if "house_letter" in data:
        letter = (data["house_letter"] or "").strip().upper()
        if letter and (len(letter) != 1 or not ("A" <= letter <= "Z")):
            raise ApplicationError(_("Een huisletter is één letter (A tot en met Z)."), field="house_letter")
        addr.house_letter = letter
    if "house_number_addition" in data:
        addition = (data["house_number_addition"] or "").strip().upper()
        if addition and (len(addition) > 4 or not addition.isalnum()):
            raise ApplicationError(
                _("Een toevoeging bestaat uit ten hoogste 4 letters of cijfers."),
                field="house_number_addition",
            )
        addr.house_number_addition = addition
    if "postcode" in data:
        addr.postcode = _identifier(ids.clean_postcode, data["postcode"], "postcode")
    if "town" in data:
        addr.town = tidy(data["town"])
        if not addr.town:
            raise ApplicationError(_("Vul de woonplaats in."), field="town")
    for field, fn in (
        ("bag_nummeraanduiding", ids.clean_bag_nummeraanduiding),
        ("bag_verblijfsobject", ids.clean_bag_verblijfsobject),
        ("gemeente_code", ids.clean_gemeente_code),
        ("wijk_code", ids.clean_wijk_code),
        ("buurt_code", ids.clean_buurt_code),
    ):
        if field in data:
            raw = (data[field] or "").strip()
            setattr(addr, field, _identifier(fn, raw, field) if raw else "")
    try:
        ids.check_cbs_hierarchy(gemeente=addr.gemeente_code, wijk=addr.wijk_code, buurt=addr.buurt_code)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(messages[0], field=field)
    for field, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        if field in data:
            raw = data[field]
            if raw in (None, ""):
                setattr(addr, field, None)
                continue
            try:
                value = Decimal(str(raw)).quantize(Decimal("0.000001"))
            except (InvalidOperation, ValueError):
                raise ApplicationError(
                    _("Geef de coördinaat als decimaal getal, bijvoorbeeld 52.356."), field=field
                )
            if not low <= value <= high:
                raise ApplicationError(
                    _("Deze coördinaat ligt buiten het bereik %(l)s tot %(h)s.") % {"l": low, "h": high},
                    field=field,
                )
            setattr(addr, field, value)
    if (addr.latitude is None) != (addr.longitude is None):
        raise ApplicationError(
            _("Geef zowel de breedte- als de lengtegraad, of geen van beide."), field="latitude"
        )
    if "source" in data:
        addr.source = tidy(data["source"])[:200]


@transaction.atomic
def address_create(
    *,
    actor: User,
    street: str,
    house_number: int | str,
    postcode: str,
    town: str,
    house_letter: str = "",
    house_number_addition: str = "",
    bag_nummeraanduiding: str = "",
    bag_verblijfsobject: str = "",
    gemeente_code: str = "",
    wijk_code: str = "",
    buurt_code: str = "",
    latitude: Decimal | float | str | None = None,
    longitude: Decimal | float | str | None = None,
    source: str = "",
    compartment: str = Compartment.GENERAL,
    owner_team: OrgUnit | None = None,
) -> Address:
    addr = Address()
    _apply_address(
        addr,
        {
            "street": street,
            "house_number": house_number,
            "house_letter": house_letter,
            "house_number_addition": house_number_addition,
            "postcode": postcode,
            "town": town,
            "bag_nummeraanduiding": bag_nummeraanduiding,
            "bag_verblijfsobject": bag_verblijfsobject,
            "gemeente_code": gemeente_code,
            "wijk_code": wijk_code,
            "buurt_code": buurt_code,
            "latitude": latitude,
            "longitude": longitude,
            "source": source,
        },
    )
    return _create(addr, actor=actor, owner_team=owner_team, compartment=compartment)  # type: ignore[return-value]


@transaction.atomic
def address_update(
    *, actor: User, address: Address, expected_version: int | None = None, **data: Any
) -> Address:
    return _locked_update(
        address, ADDRESS_FIELDS, ADDRESS_FIELDS, _apply_address, data, actor, expected_version
    )  # type: ignore[return-value]


# --- vehicles ---------------------------------------------------------------------------------------

VEHICLE_FIELDS = ("kenteken", "make", "model_name", "colour", "source")


def _apply_vehicle(vehicle: Vehicle, data: dict[str, Any]) -> None:
    if "kenteken" in data:
        vehicle.kenteken = _identifier(ids.clean_kenteken, data["kenteken"], "kenteken")
    for field in ("make", "model_name", "colour", "source"):
        if field in data:
            setattr(vehicle, field, tidy(data[field] or ""))


@transaction.atomic
def vehicle_create(
    *,
    actor: User,
    kenteken: str,
    make: str = "",
    model_name: str = "",
    colour: str = "",
    source: str = "",
    compartment: str = Compartment.GENERAL,
    owner_team: OrgUnit | None = None,
) -> Vehicle:
    vehicle = Vehicle()
    _apply_vehicle(
        vehicle,
        {"kenteken": kenteken, "make": make, "model_name": model_name, "colour": colour, "source": source},
    )
    return _create(vehicle, actor=actor, owner_team=owner_team, compartment=compartment)  # type: ignore[return-value]


@transaction.atomic
def vehicle_update(
    *, actor: User, vehicle: Vehicle, expected_version: int | None = None, **data: Any
) -> Vehicle:
    return _locked_update(
        vehicle, VEHICLE_FIELDS, VEHICLE_FIELDS, _apply_vehicle, data, actor, expected_version
    )  # type: ignore[return-value]
