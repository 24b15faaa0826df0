"""Every change to subjects and objects: create, update, link, merge and undo a merge.

Services validate (identifiers through ``vik.core.identifiers``), run in one transaction, and
raise ``ApplicationError(message, field=...)`` with a Dutch message for the form field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from guardian.models.models import BaseObjectPermission

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import ForeignObjectRel
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core import identifiers as ids
from vik.core.access import clearances, init_visibility, is_visible
from vik.core.constants import Compartment, OrgKind, RiskBranch
from vik.core.encryption import blind_index
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from .constants import LegalForm, LinkType, Reliability, SubjectKind
from .models import Address, Link, MergeRecord, Organisation, Person, SubjectBase, Vehicle
from .names import alias_keys, initials_of, name_key, organisation_key, split_voorvoegsel, tidy

SUBJECT_MODELS: dict[str, type[SubjectBase]] = {
    SubjectKind.PERSON: Person,
    SubjectKind.ORGANISATION: Organisation,
    SubjectKind.ADDRESS: Address,
    SubjectKind.VEHICLE: Vehicle,
}


def kind_of(obj: models.Model) -> str:
    for kind, model in SUBJECT_MODELS.items():
        if isinstance(obj, model):
            return kind
    raise ValueError(f"Not a subject: {obj!r}")


# --- helpers ------------------------------------------------------------------------------------


def _identifier(fn, value: Any, field: str) -> str:
    try:
        return fn(value)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], field=field)


def _owner_team(actor: User, owner_team: OrgUnit | None) -> OrgUnit:
    team = owner_team or actor.org_unit
    if team is None or team.kind != OrgKind.TEAM:
        raise ApplicationError(
            _("Alleen medewerkers van een team van de gemeente kunnen subjecten vastleggen.")
        )
    return team


def _compartment(actor: User, compartment: str) -> str:
    compartment = compartment or Compartment.GENERAL
    if compartment not in Compartment.values:
        raise ApplicationError(_("Onbekend compartiment."), field="compartment")
    if compartment not in clearances(actor):
        raise ApplicationError(
            _(
                "U bent niet geautoriseerd voor dit compartiment; u zou het record daarna zelf niet meer kunnen zien."
            ),
            field="compartment",
        )
    return compartment


def _full_clean(obj: models.Model) -> None:
    try:
        obj.full_clean(exclude=["visible_to", "owner_team", "provenance"], validate_unique=False)
    except ValidationError as exc:
        errors = exc.message_dict
        field = next(iter(errors))
        raise ApplicationError(
            errors[field][0], field=None if field == "__all__" else field, extra={"errors": errors}
        )


def _require_editable(obj: SubjectBase) -> None:
    if obj.is_merged:
        raise ApplicationError(
            _("Dit record is samengevoegd met een ander record en kan niet meer worden gewijzigd.")
        )


def _create(obj: SubjectBase, *, actor: User, owner_team: OrgUnit | None, compartment: str) -> SubjectBase:
    obj.owner_team = _owner_team(actor, owner_team)
    obj.compartment = _compartment(actor, compartment)
    _full_clean(obj)
    obj.save()
    init_visibility(obj)
    return obj


def _update(
    obj: SubjectBase, *, actor: User, before: dict[str, Any], apply, expected_version: int | None = None
) -> SubjectBase:
    _require_editable(obj)
    if expected_version is not None and obj.version != expected_version:
        who = (
            obj.edited_by.get_full_name() or obj.edited_by.get_username() if obj.edited_by else _("een ander")
        )
        raise ApplicationError(
            _(
                "Dit gegeven is gewijzigd door %(who)s sinds u het formulier opende (%(when)s). "
                "Uw wijziging is niet opgeslagen: bekijk de nieuwe gegevens en breng uw wijziging opnieuw aan."
            )
            % {"who": who, "when": timezone.localtime(obj.updated_at).strftime("%d-%m-%Y %H:%M")}
        )
    apply()
    _full_clean(obj)
    changed = [f for f, v in before.items() if getattr(obj, f) != v]
    if changed:
        obj.version += 1
        obj.edited_by = actor
        for f in changed:
            if not f.endswith(("_normalised", "_index", "_keys")) and f != "initials":
                obj.provenance[f] = {
                    "source": _("gewijzigd door %(u)s") % {"u": actor.get_username()},
                    "at": timezone.now().date().isoformat(),
                }
        obj.save(update_fields=[*changed, "provenance", "version", "edited_by", "updated_at"])
    return obj


def _text_list(values, *, field: str, max_length: int = 200) -> list[str]:
    if isinstance(values, str):
        values = values.replace(";", "\n").splitlines()
    out: list[str] = []
    for value in values or []:
        value = tidy(str(value))
        if not value:
            continue
        if len(value) > max_length:
            raise ApplicationError(
                _("Eén van de waarden is langer dan %(n)s tekens.") % {"n": max_length}, field=field
            )
        if value not in out:
            out.append(value)
    return out


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
            person.bsn, person.bsn_index = value, blind_index(value)
        else:
            person.bsn, person.bsn_index = None, ""
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
    aliases: list[str] | str = (),
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
    return _create(person, actor=actor, owner_team=owner_team, compartment=compartment)


@transaction.atomic
def person_update(*, actor: User, person: Person, expected_version: int | None = None, **data: Any) -> Person:
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"Unknown person fields: {sorted(unknown)}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    tracked = (
        "voornamen",
        "voorvoegsel",
        "geslachtsnaam",
        "name_normalised",
        "initials",
        "birth_date",
        "birth_place",
        "bsn",
        "bsn_index",
        "aliases",
        "alias_keys",
        "source",
    )
    before = {f: getattr(person, f) for f in tracked}
    return _update(
        person,
        actor=actor,
        before=before,
        apply=lambda: _apply_person(person, data),
        expected_version=expected_version,
    )


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
    sbi_codes: list[str] | str = (),
    trade_names: list[str] | str = (),
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
    return _create(org, actor=actor, owner_team=owner_team, compartment=compartment)


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, expected_version: int | None = None, **data: Any
) -> Organisation:
    unknown = set(data) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown organisation fields: {sorted(unknown)}")
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {f: getattr(org, f) for f in (*ORGANISATION_FIELDS, "name_normalised", "alias_keys")}
    return _update(
        org,
        actor=actor,
        before=before,
        apply=lambda: _apply_organisation(org, data),
        expected_version=expected_version,
    )


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
    return _create(addr, actor=actor, owner_team=owner_team, compartment=compartment)


@transaction.atomic
def address_update(
    *, actor: User, address: Address, expected_version: int | None = None, **data: Any
) -> Address:
    unknown = set(data) - set(ADDRESS_FIELDS)
    if unknown:
        raise ValueError(f"Unknown address fields: {sorted(unknown)}")
    addr = Address.objects.select_for_update().get(pk=address.pk)
    before = {f: getattr(addr, f) for f in ADDRESS_FIELDS}
    return _update(
        addr,
        actor=actor,
        before=before,
        apply=lambda: _apply_address(addr, data),
        expected_version=expected_version,
    )


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
    return _create(vehicle, actor=actor, owner_team=owner_team, compartment=compartment)


@transaction.atomic
def vehicle_update(
    *, actor: User, vehicle: Vehicle, expected_version: int | None = None, **data: Any
) -> Vehicle:
    unknown = set(data) - set(VEHICLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown vehicle fields: {sorted(unknown)}")
    obj = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    before = {f: getattr(obj, f) for f in VEHICLE_FIELDS}
    return _update(
        obj,
        actor=actor,
        before=before,
        apply=lambda: _apply_vehicle(obj, data),
        expected_version=expected_version,
    )


# --- links --------------------------------------------------------------------------------------------

# Link types whose target must be an address, and the kinds that may stand at their start.
ADDRESS_LINKS = {
    LinkType.WOONT_OP: {SubjectKind.PERSON},
    LinkType.GEVESTIGD_OP: {SubjectKind.ORGANISATION},
}


@transaction.atomic
def link_create(
    *,
    actor: User,
    source_obj: SubjectBase,
    target_obj: SubjectBase,
    link_type: str,
    start_date: date | None = None,
    end_date: date | None = None,
    source: str = "",
    reliability: str = Reliability.X,
    compartment: str = Compartment.GENERAL,
    owner_team: OrgUnit | None = None,
) -> Link:
    from_kind, to_kind = kind_of(source_obj), kind_of(target_obj)
    if from_kind == to_kind and source_obj.pk == target_obj.pk:
        raise ApplicationError(_("Een record kan geen relatie met zichzelf hebben."), field="target_id")
    if source_obj.is_merged or target_obj.is_merged:
        raise ApplicationError(
            _("Een samengevoegd record kan geen nieuwe relaties krijgen."), field="target_id"
        )
    if link_type not in LinkType.values:
        raise ApplicationError(_("Kies een soort relatie uit de lijst."), field="link_type")
    allowed_from = ADDRESS_LINKS.get(link_type)
    if allowed_from is not None and (to_kind != SubjectKind.ADDRESS or from_kind not in allowed_from):
        raise ApplicationError(
            _("'%(t)s' kan alleen van een %(f)s naar een adres lopen.")
            % {
                "t": LinkType(link_type).label,
                "f": " of ".join(str(SubjectKind(k).label).lower() for k in allowed_from),
            },
            field="link_type",
        )
    if reliability not in Reliability.values:
        raise ApplicationError(_("Kies een betrouwbaarheid uit de lijst."), field="reliability")
    if start_date and end_date and end_date < start_date:
        raise ApplicationError(_("De einddatum ligt vóór de begindatum."), field="end_date")
    duplicate = Link.objects.filter(
        from_kind=from_kind,
        from_id=source_obj.pk,
        to_kind=to_kind,
        to_id=target_obj.pk,
        link_type=link_type,
        end_date__isnull=True,
    )
    if end_date is None and duplicate.exists():
        raise ApplicationError(_("Deze relatie bestaat al en loopt nog."), field="link_type")
    link = Link(
        from_kind=from_kind,
        from_id=source_obj.pk,
        to_kind=to_kind,
        to_id=target_obj.pk,
        link_type=link_type,
        start_date=start_date,
        end_date=end_date,
        source=tidy(source)[:200],
        reliability=reliability,
        owner_team=_owner_team(actor, owner_team),
        compartment=_compartment(actor, compartment),
    )
    _full_clean(link)
    link.save()
    init_visibility(link)
    return link


@transaction.atomic
def link_end(*, actor: User, link: Link, end_date: date) -> Link:
    link = Link.objects.select_for_update().get(pk=link.pk)
    if link.end_date is not None:
        raise ApplicationError(_("Deze relatie is al beëindigd."), field="end_date")
    if end_date is None:
        raise ApplicationError(_("Vul de einddatum in."), field="end_date")
    if link.start_date and end_date < link.start_date:
        raise ApplicationError(_("De einddatum ligt vóór de begindatum."), field="end_date")
    link.end_date = end_date
    link.save(update_fields=["end_date", "updated_at"])
    return link


# --- merge and undo ------------------------------------------------------------------------------------

# Fields the survivor takes over from the duplicate when it has no value of its own.
MERGE_FILL = {
    SubjectKind.PERSON: ["voornamen", "initials", "birth_date", "birth_place"],
    SubjectKind.ORGANISATION: ["kvk_number", "vestigingsnummer", "rsin", "legal_form", "risk_branch"],
    SubjectKind.ADDRESS: [
        "bag_nummeraanduiding",
        "bag_verblijfsobject",
        "gemeente_code",
        "wijk_code",
        "buurt_code",
        "latitude",
        "longitude",
    ],
    SubjectKind.VEHICLE: ["make", "model_name", "colour"],
}
# List fields the survivor extends with the duplicate's values.
MERGE_LISTS = {
    SubjectKind.PERSON: ["aliases"],
    SubjectKind.ORGANISATION: ["trade_names", "sbi_codes"],
    SubjectKind.ADDRESS: [],
    SubjectKind.VEHICLE: [],
}
# Identifiers that must not differ: two different BSNs are two different people.
MERGE_CONFLICTS = {
    SubjectKind.PERSON: [
        ("bsn_index", _("Deze personen hebben verschillende BSN's en zijn dus niet dezelfde persoon."))
    ],
    SubjectKind.ORGANISATION: [
        ("kvk_number", _("Deze organisaties hebben verschillende KvK-nummers.")),
        ("rsin", _("Deze organisaties hebben verschillende RSIN's.")),
    ],
    SubjectKind.ADDRESS: [
        ("bag_nummeraanduiding", _("Deze adressen hebben verschillende BAG-nummeraanduidingen."))
    ],
    SubjectKind.VEHICLE: [("kenteken", _("Deze voertuigen hebben verschillende kentekens."))],
}


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


@dataclass(frozen=True)
class ReferenceField:
    model: type[models.Model]
    attname: str

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def reference_fields(model: type[models.Model]) -> list[ReferenceField]:
    """Every foreign key in any installed app that points at ``model``, found through the model
    metadata so that apps added later (signals, measures, Bibob, meetings) are covered without a
    change here. Hidden relations (``related_name='+'``) and many-to-many through tables count too.
    Per-object permission tables are left out: a merge must not widen who may see the survivor."""
    found: dict[tuple[str, str], ReferenceField] = {}
    for rel in model._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or rel.many_to_many:
            continue  # m2m are reached through their through-model's foreign key (also a rel here)
        related = rel.related_model
        if related is None or issubclass(related, BaseObjectPermission) or not related._meta.managed:
            continue
        field = rel.field
        found[(related._meta.label_lower, field.attname)] = ReferenceField(related, field.attname)
    return sorted(found.values(), key=lambda r: (r.label, r.attname))


def _move_references(model: type[SubjectBase], *, from_pk: int, to_pk: int) -> list[dict]:
    moved_refs = []
    for ref in reference_fields(model):
        manager = ref.model._base_manager
        pks = list(manager.filter(**{ref.attname: from_pk}).values_list("pk", flat=True))
        if not pks:
            continue
        moved, kept = [], []
        try:
            with transaction.atomic():
                manager.filter(pk__in=pks).update(**{ref.attname: to_pk})
            moved = pks
        except IntegrityError:
            # A unique constraint (one-to-one, unique m2m pair): move row by row, keep the clashes.
            for pk in pks:
                try:
                    with transaction.atomic():
                        manager.filter(pk=pk).update(**{ref.attname: to_pk})
                    moved.append(pk)
                except IntegrityError:
                    kept.append(pk)
        moved_refs.append(
            {"model": ref.label, "field": ref.attname, "moved": _jsonable(moved), "kept": _jsonable(kept)}
        )
    return moved_refs


def _lock_pair(model: type[SubjectBase], a: int, b: int) -> dict[int, SubjectBase]:
    rows = model._default_manager.select_for_update().filter(pk__in=[a, b]).order_by("pk")
    return {obj.pk: obj for obj in rows}


@transaction.atomic
def subject_merge(
    *, actor: User, survivor: SubjectBase, duplicate: SubjectBase, reason: str = ""
) -> MergeRecord:
    """The survivor absorbs the duplicate: links and every reference move to the survivor, empty
    values are filled from the duplicate (with their provenance), names become aliases. The
    duplicate stays as a tombstone pointing at the survivor; the MergeRecord holds what
    ``subject_merge_undo`` needs to reverse it exactly."""
    if type(survivor) is not type(duplicate):
        raise ApplicationError(
            _("Een %(a)s en een %(b)s kunnen niet worden samengevoegd: alleen records van dezelfde soort.")
            % {"a": survivor._meta.verbose_name, "b": duplicate._meta.verbose_name},
            field="duplicate",
        )
    if survivor.pk == duplicate.pk:
        raise ApplicationError(_("Een record kan niet met zichzelf worden samengevoegd."), field="duplicate")
    if not actor.has_perm("subjects.merge_subject"):
        raise ApplicationError(_("U mag geen records samenvoegen."))
    if not (is_visible(actor, survivor) and is_visible(actor, duplicate)):
        raise ApplicationError(_("U kunt alleen records samenvoegen die u mag inzien."), field="duplicate")
    kind = kind_of(survivor)
    model = type(survivor)
    locked = _lock_pair(model, survivor.pk, duplicate.pk)
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    if survivor.is_merged or duplicate.is_merged:
        raise ApplicationError(
            _("Eén van beide records is al samengevoegd met een ander record."), field="duplicate"
        )
    for field, message in MERGE_CONFLICTS[kind]:
        a, b = getattr(survivor, field), getattr(duplicate, field)
        if not _empty(a) and not _empty(b) and a != b:
            raise ApplicationError(str(message), field="duplicate")

    record = MergeRecord.objects.create(
        kind=kind, survivor_id=survivor.pk, duplicate_id=duplicate.pk, actor=actor, reason=tidy(reason)[:300]
    )
    origin = f"{kind}:{duplicate.pk}"
    fields_changed: list[dict] = []
    update_fields: set[str] = {"provenance", "updated_at"}
    provenance = dict(survivor.provenance or {})
    for field in MERGE_FILL[kind]:
        mine, theirs = getattr(survivor, field), getattr(duplicate, field)
        if _empty(theirs) or mine == theirs:
            continue
        if _empty(mine):
            setattr(survivor, field, theirs)
            fields_changed.append({"field": field, "before": _jsonable(mine), "after": _jsonable(theirs)})
            provenance[field] = {"source": duplicate.source or "", "from": origin, "merge": record.pk}
            update_fields.add(field)
        else:
            provenance.setdefault("_alternatives", []).append(
                {"field": field, "value": _jsonable(theirs), "from": origin, "merge": record.pk}
            )
    if kind == SubjectKind.PERSON and duplicate.bsn_index and not survivor.bsn_index:
        # The plaintext never goes into the snapshot: undo compares blind indexes.
        survivor.bsn, survivor.bsn_index = duplicate.bsn, duplicate.bsn_index
        fields_changed.append({"field": "bsn", "before_index": "", "after_index": duplicate.bsn_index})
        provenance["bsn"] = {"source": duplicate.source or "", "from": origin, "merge": record.pk}
        update_fields |= {"bsn", "bsn_index"}
    lists_added: dict[str, list] = {}
    extra_names: list[str] = []
    if kind == SubjectKind.PERSON and duplicate.display_name != survivor.display_name:
        extra_names = [duplicate.display_name]
    if kind == SubjectKind.ORGANISATION and duplicate.name != survivor.name:
        extra_names = [duplicate.name]
    for field in MERGE_LISTS[kind]:
        current = list(getattr(survivor, field) or [])
        incoming = list(getattr(duplicate, field) or [])
        if field in ("aliases", "trade_names"):
            incoming = extra_names + incoming
        added = [v for i, v in enumerate(incoming) if v not in current and v not in incoming[:i]]
        if added:
            setattr(survivor, field, current + added)
            lists_added[field] = added
            update_fields.add(field)
            if field in ("aliases", "trade_names"):
                survivor.alias_keys = alias_keys(current + added)
                update_fields.add("alias_keys")
    survivor.provenance = provenance
    survivor.save(update_fields=sorted(update_fields))

    links = []
    for end in ("from", "to"):
        qs = Link.objects.filter(**{f"{end}_kind": kind, f"{end}_id": duplicate.pk})
        link_ids = list(qs.values_list("pk", flat=True))
        if link_ids:
            Link.objects.filter(pk__in=link_ids).update(
                **{f"{end}_id": survivor.pk, "updated_at": timezone.now()}
            )
            links += [{"id": pk, "end": end} for pk in link_ids]
    references = _move_references(model, from_pk=duplicate.pk, to_pk=survivor.pk)

    duplicate.merged_into_kind = kind
    duplicate.merged_into_id = survivor.pk
    duplicate.save(update_fields=["merged_into_kind", "merged_into_id", "updated_at"])

    record.snapshot = {
        "duplicate_label": str(duplicate),
        "survivor_label": str(survivor),
        "fields": fields_changed,
        "lists_added": lists_added,
        "links": links,
        "references": references,
    }
    record.save(update_fields=["snapshot", "updated_at"])
    return record


@transaction.atomic
def subject_merge_undo(*, actor: User, merge: MergeRecord) -> MergeRecord:
    """Reverse a merge exactly, keeping what changed since: a value edited after the merge stays,
    a link or reference added to the survivor later stays with the survivor."""
    if not actor.has_perm("subjects.merge_subject"):
        raise ApplicationError(_("U mag geen samenvoegingen ongedaan maken."))
    merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ApplicationError(_("Deze samenvoeging is al ongedaan gemaakt."))
    model = SUBJECT_MODELS[merge.kind]
    locked = _lock_pair(model, merge.survivor_id, merge.duplicate_id)
    survivor, duplicate = locked.get(merge.survivor_id), locked.get(merge.duplicate_id)
    if survivor is None or duplicate is None:
        raise ApplicationError(
            _("Eén van beide records bestaat niet meer; de samenvoeging kan niet worden teruggedraaid.")
        )
    if not (is_visible(actor, survivor) and is_visible(actor, duplicate)):
        raise ApplicationError(_("U kunt alleen samenvoegingen terugdraaien van records die u mag inzien."))
    if survivor.is_merged:
        raise ApplicationError(
            _(
                "Het overgebleven record is later zelf samengevoegd; maak eerst die latere samenvoeging ongedaan."
            )
        )
    if duplicate.merged_into_id != survivor.pk:
        raise ApplicationError(_("Het samengevoegde record wijst niet meer naar dit record."))
    snap = merge.snapshot
    kind = merge.kind
    update_fields: set[str] = {"provenance", "updated_at"}
    for change in snap.get("fields", []):
        field = change["field"]
        if field == "bsn":
            if survivor.bsn_index == change["after_index"]:
                survivor.bsn, survivor.bsn_index = None, ""
                update_fields |= {"bsn", "bsn_index"}
            continue
        model_field = model._meta.get_field(field)
        if _jsonable(getattr(survivor, field)) == change["after"]:
            before = change["before"]
            setattr(survivor, field, None if before is None else model_field.to_python(before))
            update_fields.add(field)
    for field, added in snap.get("lists_added", {}).items():
        current = list(getattr(survivor, field) or [])
        remaining = [v for v in current if v not in added]
        if remaining != current:
            setattr(survivor, field, remaining)
            update_fields.add(field)
            if field in ("aliases", "trade_names"):
                survivor.alias_keys = alias_keys(remaining)
                update_fields.add("alias_keys")
    provenance = {
        k: v
        for k, v in (survivor.provenance or {}).items()
        if not (isinstance(v, dict) and v.get("merge") == merge.pk)
    }
    if "_alternatives" in provenance:
        provenance["_alternatives"] = [a for a in provenance["_alternatives"] if a.get("merge") != merge.pk]
        if not provenance["_alternatives"]:
            del provenance["_alternatives"]
    survivor.provenance = provenance
    survivor.save(update_fields=sorted(update_fields))

    for end in ("from", "to"):
        link_ids = [item["id"] for item in snap.get("links", []) if item["end"] == end]
        if link_ids:
            Link.objects.filter(pk__in=link_ids, **{f"{end}_kind": kind, f"{end}_id": survivor.pk}).update(
                **{f"{end}_id": duplicate.pk, "updated_at": timezone.now()}
            )
    for ref in snap.get("references", []):
        try:
            ref_model = apps.get_model(ref["model"])
        except LookupError:
            continue
        if ref["moved"]:
            ref_model._base_manager.filter(pk__in=ref["moved"], **{ref["field"]: survivor.pk}).update(
                **{ref["field"]: duplicate.pk}
            )

    duplicate.merged_into_kind = ""
    duplicate.merged_into_id = None
    duplicate.save(update_fields=["merged_into_kind", "merged_into_id", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
    return merge
