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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
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


@lru_cache(maxsize=20_000)
def _surname_parts(voorvoegsel: str, geslachtsnaam: str) -> tuple[str, str, str]:
    """(voorvoegsel, geslachtsnaam, name_normalised); remembered, surnames repeat in a file."""
    prefix, last = split_voorvoegsel(voorvoegsel, geslachtsnaam or UNKNOWN)
    last = last or UNKNOWN
    return prefix, last, name_key(last)


@lru_cache(maxsize=20_000)
def _given_parts(voornamen: str) -> tuple[str, str]:
    tidied = tidy(voornamen)
    return tidied, initials_of(tidied)


def person_fields(data: PersonData) -> dict[str, Any]:
    """The record's own values of a new person (name parts split and normalised as the subjects
    app stores them, BSN with its blind index)."""
    prefix, last, normalised = _surname_parts(data.voorvoegsel or "", data.geslachtsnaam)
    voornamen, initials = _given_parts(data.voornamen or "")
    return {
        "voornamen": voornamen,
        "voorvoegsel": prefix,
        "geslachtsnaam": last,
        "name_normalised": normalised,
        "initials": initials,
        "birth_date": data.birth_date,
        "bsn": data.bsn or None,
        "bsn_index": blind_index(data.bsn) if data.bsn else "",
    }


def organisation_fields(data: OrganisationData) -> dict[str, Any]:
    name = data.name or _("Organisatie KvK %(k)s") % {"k": data.kvk_number}
    return {"name": name, "name_normalised": organisation_key(name), "kvk_number": data.kvk_number}


def address_fields(data: AddressData) -> dict[str, Any]:
    # The import carries no street or town; the subjects app can complete them from the BAG.
    return {
        "street": UNKNOWN,
        "house_number": data.house_number,
        "house_letter": data.house_letter.upper(),
        "house_number_addition": data.house_number_addition.upper(),
        "postcode": data.postcode,
        "town": UNKNOWN,
    }


def _provenance_fields(prov: Provenance) -> dict[str, Any]:
    return {
        "source": prov.source,
        "owner_team": prov.owner_team,
        "compartment": prov.compartment,
        "visible_to": [prov.owner_team.team_token],
    }


def build_person(data: PersonData, prov: Provenance) -> Person:
    return Person(**person_fields(data), **_provenance_fields(prov))


def build_organisation(data: OrganisationData, prov: Provenance) -> Organisation:
    return Organisation(**organisation_fields(data), **_provenance_fields(prov))


def build_address(data: AddressData, prov: Provenance) -> Address:
    return Address(**address_fields(data), **_provenance_fields(prov))


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


# --- set-based matching (the bulk import) ---------------------------------------------------------
#
# The same rules as ``find_*`` above, for many keys in one statement per kind: every record that
# is not merged away, the lowest id when several carry the same identifier. Keys go in as arrays
# (``unnest``), so the cost is one index probe per distinct key, not one query per row.


Select = Callable[[str, list], list[tuple]]  # (sql, params) → rows


def select_rows(sql: str, params: list) -> list[tuple]:
    import psycopg

    from django.db import connection

    # Server-side binding: the arrays travel as arrays, not as literals that Django's client-side
    # cursor would build value by value in Python.
    with connection.wrap_database_errors, connection.cursor():
        with psycopg.Cursor(connection.connection) as cur:
            cur.execute(sql, params)
            return cur.fetchall()


@dataclass
class Query:
    """One set-based lookup: its SQL, its parameters (arrays as PostgreSQL array literals) and
    how its rows become the answer. Run here (``run``) or by the import, which sends several
    at once from its database thread."""

    sql: str
    params: list
    decode: Callable[[list[tuple]], Any]  # a dict for the lookups; a set or ids for the import's own

    def run(self, select: Select | None = None) -> Any:
        return self.decode((select or select_rows)(self.sql, self.params))


def array_literal(values) -> str:
    """``{"a","b",NULL}``: every value quoted (backslash and double quote escaped), ``None`` as
    NULL; numbers and dates in their text form, which a ``%s::type[]`` cast reads. psycopg's own
    list adaptation inspects every element with a regular expression and cost the import more
    than the rest of a batch's Python work (issue #26)."""
    return (
        "{"
        + ",".join(
            "NULL"
            if v is None
            else '"' + (v if isinstance(v, str) else str(v)).replace("\\", "\\\\").replace('"', '\\"') + '"'
            for v in values
        )
        + "}"
    )


def person_ids_by_bsn(bsns: list[str]) -> dict[str, int]:
    """Cleaned BSN → id of the person carrying it (by blind index)."""
    query = person_ids_by_bsn_query(bsns)
    return query.run() if query else {}


def person_ids_by_bsn_query(bsns: list[str]) -> Query | None:
    if not bsns:
        return None
    by_index = {blind_index(b): b for b in bsns}
    return Query(
        "SELECT DISTINCT ON (bsn_index) bsn_index, id FROM subjects_person"
        " WHERE bsn_index = ANY(%s::text[]) AND merged_into_id IS NULL ORDER BY bsn_index, id",
        [array_literal(by_index)],
        lambda found: {by_index[index]: pk for index, pk in found},
    )


def person_ids_by_name(persons: list[PersonData]) -> dict[int, int]:
    """Position in ``persons`` → id, for persons without BSN: same surname key and birth date,
    and the same voornamen (case-insensitive) when the row gives them."""
    query = person_ids_by_name_query(persons)
    return query.run() if query else {}


def person_ids_by_name_query(persons: list[PersonData]) -> Query | None:
    wanted = [(i, p) for i, p in enumerate(persons) if not p.bsn and p.birth_date and p.geslachtsnaam]
    if not wanted:
        return None
    names, born, given, pos = [], [], [], []
    for i, p in wanted:
        name, voornamen = person_name_key(p)
        names.append(name)
        born.append(p.birth_date)
        given.append(voornamen)
        pos.append(i)
    # LATERAL … LIMIT 1: one index probe per key (surname key), never a scan of every person
    # that a hash join would choose for a thousand keys.
    return Query(
        "SELECT k.pos, p.id"
        " FROM unnest(%s::text[], %s::date[], %s::text[], %s::int[]) AS k(name, born, given, pos)"
        " CROSS JOIN LATERAL (SELECT p.id FROM subjects_person p"
        " WHERE p.name_normalised = k.name AND p.birth_date = k.born AND p.merged_into_id IS NULL"
        " AND (k.given = '' OR lower(p.voornamen) = lower(k.given)) ORDER BY p.id LIMIT 1) AS p",
        [array_literal(names), array_literal(born), array_literal(given), array_literal(pos)],
        dict,
    )


def organisation_ids_by_kvk(kvk_numbers: list[str]) -> dict[str, int]:
    query = organisation_ids_by_kvk_query(kvk_numbers)
    return query.run() if query else {}


def organisation_ids_by_kvk_query(kvk_numbers: list[str]) -> Query | None:
    if not kvk_numbers:
        return None
    return Query(
        "SELECT DISTINCT ON (kvk_number) kvk_number, id FROM subjects_organisation"
        " WHERE kvk_number = ANY(%s::text[]) AND merged_into_id IS NULL ORDER BY kvk_number, id",
        [array_literal(kvk_numbers)],
        dict,
    )


def address_ids_by_key(keys: list[tuple]) -> dict[tuple, int]:
    """``AddressData.key()`` → id: postcode and house number, letter and addition case-insensitive."""
    query = address_ids_by_key_query(keys)
    return query.run() if query else {}


def address_ids_by_key_query(keys: list[tuple]) -> Query | None:
    if not keys:
        return None
    keys = list(dict.fromkeys(keys))
    # LATERAL … LIMIT 1: one probe of (postcode, house_number) per key; a hash join over a
    # thousand keys reads every address instead (issue #26: 15k addresses at S, 20-30 ms a batch).
    return Query(
        "SELECT k.pos, a.id"
        " FROM unnest(%s::text[], %s::int[], %s::text[], %s::text[], %s::int[])"
        " AS k(postcode, nr, letter, addition, pos)"
        " CROSS JOIN LATERAL (SELECT a.id FROM subjects_address a"
        " WHERE a.postcode = k.postcode AND a.house_number = k.nr"
        " AND upper(a.house_letter) = k.letter AND upper(a.house_number_addition) = k.addition"
        " AND a.merged_into_id IS NULL ORDER BY a.id LIMIT 1) AS a",
        [
            array_literal(k[0] for k in keys),
            array_literal(k[1] for k in keys),
            array_literal(k[2] for k in keys),
            array_literal(k[3] for k in keys),
            array_literal(range(len(keys))),
        ],
        lambda found: {keys[pos]: pk for pos, pk in found},
    )


def vehicle_ids_by_kenteken(plates: list[str]) -> dict[str, int]:
    query = vehicle_ids_by_kenteken_query(plates)
    return query.run() if query else {}


def vehicle_ids_by_kenteken_query(plates: list[str]) -> Query | None:
    if not plates:
        return None
    return Query(
        "SELECT DISTINCT ON (kenteken) kenteken, id FROM subjects_vehicle"
        " WHERE kenteken = ANY(%s::text[]) AND merged_into_id IS NULL ORDER BY kenteken, id",
        [array_literal(plates)],
        dict,
    )


# --- the import's matching report ----------------------------------------------------------------


@dataclass
class RowMatch:
    """What one subject of an import row would become: an existing record (and why), a likely
    existing one (to check before importing), or new; and, for a new person, the earlier row
    that looks like the same person."""

    line: int
    kind: str  # "person", "organisation", "address"
    typed: str  # the subject as the file gives it
    existing: Any = None  # the record the import will link to
    reason: str = ""  # why: "zelfde BSN", "zelfde naam en geboortedatum", ...
    likely: list = field(default_factory=list)  # existing records that look like it (not linked)
    like_line: int | None = None  # a new person in an earlier row that looks like this one


def _person_typed(p: PersonData) -> str:
    name = " ".join(x for x in (p.voornamen, p.voorvoegsel, p.geslachtsnaam) if x)
    if p.birth_date:
        name += f" ({p.birth_date.strftime('%d-%m-%Y')})"
    return name


def match_report(rows) -> list[RowMatch]:
    """Per import row (``importing.ParsedRow``), which existing subject it would be linked to and
    why, or that it is new; for new persons, existing persons with the same surname and birth date
    but other first names ("Jan Jansen" beside "Jan Hendrik Jansen") and likely duplicates among
    the new rows. The same rules as the import (:func:`find_person` and friends), in a few bulk
    queries instead of one per row."""
    persons = [(r.line, r.person) for r in rows if r.person]
    orgs = [(r.line, r.organisation) for r in rows if r.organisation]
    addresses = [(r.line, r.address) for r in rows if r.address]
    live = {"merged_into_id__isnull": True}

    by_bsn = {}
    bsns = {blind_index(p.bsn): p.bsn for _line, p in persons if p.bsn}
    for person in Person.objects.filter(bsn_index__in=list(bsns), **live).order_by("-id"):
        by_bsn[person.bsn_index] = person
    keys = {person_name_key(p)[0] for _line, p in persons if not p.bsn and p.birth_date}
    dates = {p.birth_date for _line, p in persons if not p.bsn and p.birth_date}
    same_name_date: dict[tuple, list] = {}
    for person in Person.objects.filter(name_normalised__in=keys, birth_date__in=dates, **live).order_by(
        "id"
    ):
        same_name_date.setdefault((person.name_normalised, person.birth_date), []).append(person)

    report: list[RowMatch] = []
    new_people: dict[tuple, tuple[int, str]] = {}
    for line, p in persons:
        row = RowMatch(line, "person", _person_typed(p))
        if p.bsn:
            row.existing = by_bsn.get(blind_index(p.bsn))
            row.reason = _("zelfde BSN") if row.existing else ""
        elif p.birth_date:
            key, given = person_name_key(p)
            candidates = same_name_date.get((key, p.birth_date), [])
            exact = [c for c in candidates if not given or c.voornamen.lower() == given.lower()]
            if exact:
                row.existing, row.reason = exact[0], _("zelfde naam en geboortedatum")
            else:
                row.likely = candidates[:5]
            if row.existing is None:
                first = new_people.setdefault((key, p.birth_date), (line, given.lower()))
                if first[0] != line and first[1] != given.lower():
                    row.like_line = first[0]
        report.append(row)

    kvks = {o.kvk_number for _line, o in orgs if o.kvk_number}
    by_kvk = {}
    for org in Organisation.objects.filter(kvk_number__in=kvks, **live).order_by("-id"):
        by_kvk[org.kvk_number] = org
    for line, o in orgs:
        existing = by_kvk.get(o.kvk_number) if o.kvk_number else None
        report.append(
            RowMatch(
                line,
                "organisation",
                o.name or o.kvk_number,
                existing,
                _("zelfde KvK-nummer") if existing else "",
            )
        )

    by_address = {}
    postcodes = {a.postcode for _line, a in addresses}
    for addr in Address.objects.filter(postcode__in=postcodes, **live).order_by("-id"):
        by_address[
            (addr.postcode, addr.house_number, addr.house_letter.upper(), addr.house_number_addition.upper())
        ] = addr
    for line, a in addresses:
        existing = by_address.get(a.key())
        typed = f"{a.postcode} {a.house_number}{a.house_letter}" + (
            f"-{a.house_number_addition}" if a.house_number_addition else ""
        )
        report.append(
            RowMatch(line, "address", typed, existing, _("zelfde postcode en huisnummer") if existing else "")
        )
    report.sort(key=lambda r: (r.line, r.kind))
    return report
