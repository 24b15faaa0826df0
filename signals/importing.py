"""Import of signals from CSV or XLSX: the one code path behind the web upload and
``manage.py import_signals``.

1. ``read_table`` turns the bytes into a header and ``(line number, cells)`` rows: XLSX through
   openpyxl; CSV in UTF-8 (with or without BOM) or Windows-1252, comma or semicolon.
2. ``parse_rows`` checks every row and reports ``regel N: reden`` (N the line in the file,
   header = 1); rows whose ``bron`` + ``extern_kenmerk`` already exist are "already present".
3. ``run_import`` writes nothing when any row is bad (unless ``skip_invalid``), otherwise inserts
   in batches: subjects matched by identifier (cached), then created; signals, phenomena, links,
   status history and audit entries with bulk inserts; the search index per batch.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from subjects.models import Address, Organisation, Person, Vehicle
from vik.core import identifiers
from vik.core.encryption import blind_index
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from . import matching
from .constants import (
    SOURCE_MMA,
    SOURCE_POLICE,
    LegalRegime,
    ReliabilityInformation,
    ReliabilitySource,
    SignalStatus,
    SubjectRole,
)
from .models import ImportBatch, Signal, SignalStatusChange, SignalSubject
from .reference import phenomena_by_code, sources_by_code
from .services import compartment_for, signal_refresh_search

REQUIRED = ["ontvangen_op", "bron", "fenomeen", "omschrijving"]
OPTIONAL = [
    "samenvatting",
    "betrouwbaarheid_bron",
    "betrouwbaarheid_informatie",
    "extern_kenmerk",
    "persoon_voornamen",
    "persoon_voorvoegsel",
    "persoon_geslachtsnaam",
    "persoon_geboortedatum",
    "persoon_bsn",
    "organisatie_naam",
    "organisatie_kvk",
    "adres_postcode",
    "adres_huisnummer",
    "adres_huisletter",
    "adres_toevoeging",
    "kenteken",
]
PERSON_COLUMNS = [c for c in OPTIONAL if c.startswith("persoon_")]
ADDRESS_COLUMNS = [c for c in OPTIONAL if c.startswith("adres_")]
BATCH_SIZE = 1000
WPG_IMPORT_CONDITIONS = "Verstrekt door de politie onder de voorwaarden van het bronbericht; niet verder verstrekken zonder toestemming van de politie."

Progress = Callable[[str, int, int], None]  # (phase, done, total)


class ImportFileError(ApplicationError):
    """The file as a whole cannot be read (empty, not CSV/XLSX, missing column)."""


@dataclass
class ParsedRow:
    line: int
    received_date: date
    source: object
    phenomena: list
    text: str
    summary: str
    reliability_source: str
    reliability_information: str
    external_ref: str
    person: matching.PersonData | None = None
    organisation: matching.OrganisationData | None = None
    address: matching.AddressData | None = None
    kenteken: str = ""


@dataclass
class ImportResult:
    total: int = 0
    imported: int = 0
    errors: list[str] = field(default_factory=list)  # "regel N: reden"
    already_present: list[str] = field(default_factory=list)  # "regel N: ..."
    valid: int = 0
    preview: list[ParsedRow] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        """Exit 0: every row imported (or present already) with skip-invalid off, or at least one
        row imported with skip-invalid on."""
        return not self.file_error and not self.errors


# --- reading -------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _not_a_table() -> ImportFileError:
    return ImportFileError(_("Dit is geen CSV- of XLSX-bestand."))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# Limits that keep a hostile or mistaken file from taking a worker down (issue #17 item 7).
MAX_ROWS = 200_000  # ~3 minutes of import at the measured 1,000+ signals/s
MAX_COLUMNS = 60
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024  # all parts of the XLSX together, once inflated
MAX_XLSX_MEMBERS = 1000
MAX_XLSX_RATIO = 200  # a part that inflates more than this is a zip bomb, not a spreadsheet


def _unreadable_xlsx() -> ImportFileError:
    return ImportFileError(_("Dit XLSX-bestand kan niet worden gelezen."))


def _check_xlsx_archive(data: bytes) -> None:
    """Refuse a zip bomb from the archive's directory, before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable_xlsx()
    total = sum(m.file_size for m in members)
    bomb = any(
        m.file_size > 1024 * 1024 and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1) for m in members
    )
    if len(members) > MAX_XLSX_MEMBERS or total > MAX_XLSX_UNCOMPRESSED or bomb:
        raise ImportFileError(
            _(
                "Dit XLSX-bestand is uitgepakt te groot (meer dan %(mb)s MB) of ongewoon sterk gecomprimeerd; "
                "het is niet geopend. Sla het op als CSV of splits het."
            )
            % {"mb": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)}
        )


def _xml_errors() -> tuple[type[BaseException], ...]:
    from xml.etree.ElementTree import ParseError
    from xml.parsers.expat import ExpatError

    return (ParseError, ExpatError, SyntaxError)


def _read_xlsx(data: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    import openpyxl

    _check_xlsx_archive(data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, *_xml_errors()):
        raise _unreadable_xlsx()
    ws = wb.worksheets[0] if wb.worksheets else None
    if ws is None:
        raise ImportFileError(_("Het bestand is leeg."))
    rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
    try:
        header = [_cell(v) for v in next(rows)]
    except StopIteration:
        raise ImportFileError(_("Het bestand is leeg."))
    except _xml_errors():
        raise _malformed_xml()

    def gen():
        number = 1
        try:
            for number, values in enumerate(rows, start=2):  # noqa: B007 - read after the loop
                yield number, [_cell(v) for v in values]
        except _xml_errors():
            raise _malformed_xml(number + 1)

    return header, gen()


def _malformed_xml(line: int | None = None) -> ImportFileError:
    if line:
        return ImportFileError(
            _("Dit XLSX-bestand is beschadigd (ongeldige XML bij regel %(n)s); er is niets ingelezen.")
            % {"n": line}
        )
    return ImportFileError(_("Dit XLSX-bestand is beschadigd (ongeldige XML); er is niets ingelezen."))


def _read_csv(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("Het bestand is leeg."))
    except csv.Error:
        raise _not_a_table()

    def gen():
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, exc
                continue
            yield start, [c.strip() for c in cells]

    return header, gen()


def read_table(data: bytes, filename: str = "") -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    if not data or not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError(_("Het bestand is leeg."))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    head = data[:4096]
    if b"\x00" in head or head.startswith(
        (b"%PDF", bytes.fromhex("D0CF11E0"), b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
    ):
        raise _not_a_table()
    text = _decode(data)
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls:
        raise _not_a_table()
    return _read_csv(text)


def _normalise_header(header: list[str]) -> list[str]:
    return ["_".join(h.replace("\ufeff", "").strip().lower().split()) for h in header]


# --- checking ------------------------------------------------------------------------------------


def parse_date(value: str) -> date | None:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _clean(fn, value: str) -> tuple[str, str]:
    try:
        return fn(value), ""
    except ValidationError as exc:
        return "", " ".join(exc.messages)


class RowChecker:
    """Checks rows against cached reference lists. Returns a ParsedRow or a list of reasons."""

    def __init__(self):
        self.sources = sources_by_code()
        self.phenomena = phenomena_by_code()
        self.today = timezone.localdate()

    def check(self, line: int, row: dict[str, str]) -> ParsedRow | list[str]:
        reasons: list[str] = []
        received = None
        raw_date = row.get("ontvangen_op", "")
        if not raw_date:
            reasons.append(_("ontvangen_op is leeg"))
        else:
            received = parse_date(raw_date)
            if received is None:
                reasons.append(
                    _("ontvangen_op '%(v)s' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)") % {"v": raw_date}
                )
            elif received > self.today:
                reasons.append(_("ontvangen_op %(v)s ligt in de toekomst") % {"v": raw_date})
        code = row.get("bron", "").strip().lower()
        source = self.sources.get(code)
        if source is None:
            allowed = ", ".join(sorted(self.sources))
            reasons.append(
                _("onbekende bron '%(v)s'; toegestaan: %(a)s") % {"v": row.get("bron", ""), "a": allowed}
                if code
                else _("bron is leeg; toegestaan: %(a)s") % {"a": allowed}
            )
        phenomena = []
        raw_ph = row.get("fenomeen", "").replace("|", ";")
        codes = [c.strip().lower() for c in raw_ph.split(";") if c.strip()]
        unknown = [c for c in codes if c not in self.phenomena]
        if not codes:
            reasons.append(_("fenomeen is leeg"))
        elif unknown:
            reasons.append(
                _("onbekend fenomeen '%(v)s'; toegestaan: %(a)s")
                % {"v": "', '".join(unknown), "a": ", ".join(sorted(self.phenomena))}
            )
        else:
            phenomena = list(dict.fromkeys(self.phenomena[c] for c in codes))
        text = row.get("omschrijving", "").strip()
        if not text:
            reasons.append(_("omschrijving is leeg"))
        rel_src = (row.get("betrouwbaarheid_bron", "") or "X").strip().upper()
        if rel_src not in ReliabilitySource.values:
            reasons.append(_("betrouwbaarheid_bron '%(v)s' moet A, B, C of X zijn") % {"v": rel_src})
        rel_info = (row.get("betrouwbaarheid_informatie", "") or "4").strip()
        if rel_info not in ReliabilityInformation.values:
            reasons.append(_("betrouwbaarheid_informatie '%(v)s' moet 1, 2, 3 of 4 zijn") % {"v": rel_info})
        external_ref = row.get("extern_kenmerk", "").strip()
        if len(external_ref) > 100:
            reasons.append(_("extern_kenmerk is langer dan 100 tekens"))

        person = self._person(row, reasons)
        organisation = self._organisation(row, reasons)
        address = self._address(row, reasons)
        kenteken = ""
        if row.get("kenteken", ""):
            kenteken, err = _clean(identifiers.clean_kenteken, row["kenteken"])
            if err:
                reasons.append(_("kenteken: %(e)s") % {"e": err})
        if reasons:
            return reasons
        summary = row.get("samenvatting", "").strip()
        if not summary:
            if source.code == SOURCE_MMA:
                # The M. text itself never becomes the searchable, shareable summary.
                summary = _("M-melding over %(f)s") % {"f": ", ".join(p.label.lower() for p in phenomena)}
            else:
                summary = text
        return ParsedRow(
            line=line,
            received_date=received,
            source=source,
            phenomena=phenomena,
            text=text,
            summary=summary[:500],
            reliability_source=rel_src,
            reliability_information=rel_info,
            external_ref=external_ref,
            person=person,
            organisation=organisation,
            address=address,
            kenteken=kenteken,
        )

    def _person(self, row: dict[str, str], reasons: list[str]) -> matching.PersonData | None:
        if not any(row.get(c, "") for c in PERSON_COLUMNS):
            return None
        data = matching.PersonData(
            voornamen=row.get("persoon_voornamen", "")[:200],
            voorvoegsel=row.get("persoon_voorvoegsel", "")[:20],
            geslachtsnaam=row.get("persoon_geslachtsnaam", "")[:200],
        )
        if row.get("persoon_bsn", ""):
            data.bsn, err = _clean(identifiers.clean_bsn, row["persoon_bsn"])
            if err:
                reasons.append(_("persoon_bsn: %(e)s") % {"e": err})
        raw_birth = row.get("persoon_geboortedatum", "")
        if raw_birth:
            data.birth_date = parse_date(raw_birth)
            if data.birth_date is None:
                reasons.append(_("persoon_geboortedatum '%(v)s' is geen datum") % {"v": raw_birth})
            elif data.birth_date > self.today:
                reasons.append(_("persoon_geboortedatum ligt in de toekomst"))
        if not data.geslachtsnaam and not row.get("persoon_bsn", ""):
            reasons.append(_("persoon_geslachtsnaam of persoon_bsn is nodig om een persoon te koppelen"))
        return data

    def _organisation(self, row: dict[str, str], reasons: list[str]) -> matching.OrganisationData | None:
        name = row.get("organisatie_naam", "")[:200]
        raw_kvk = row.get("organisatie_kvk", "")
        if not name and not raw_kvk:
            return None
        data = matching.OrganisationData(name=name)
        if raw_kvk:
            data.kvk_number, err = _clean(identifiers.clean_kvk_number, raw_kvk)
            if err:
                reasons.append(_("organisatie_kvk: %(e)s") % {"e": err})
        return data

    def _address(self, row: dict[str, str], reasons: list[str]) -> matching.AddressData | None:
        if not any(row.get(c, "") for c in ADDRESS_COLUMNS):
            return None
        postcode, err = _clean(identifiers.clean_postcode, row.get("adres_postcode", ""))
        if err:
            reasons.append(_("adres_postcode: %(e)s") % {"e": err})
        raw_nr = row.get("adres_huisnummer", "")
        number = int(raw_nr) if raw_nr.isdigit() and 0 < int(raw_nr) < 100000 else None
        if number is None:
            reasons.append(_("adres_huisnummer '%(v)s' is geen huisnummer") % {"v": raw_nr})
        letter = row.get("adres_huisletter", "")
        if letter and not (len(letter) == 1 and letter.isalpha()):
            reasons.append(_("adres_huisletter is één letter"))
        addition = row.get("adres_toevoeging", "")
        if len(addition) > 4 or (addition and not addition.isalnum()):
            reasons.append(_("adres_toevoeging is ten hoogste 4 letters of cijfers"))
        if err or number is None:
            return None
        return matching.AddressData(
            postcode=postcode, house_number=number, house_letter=letter, house_number_addition=addition
        )


def parse_rows(
    data: bytes, filename: str = "", *, progress: Progress | None = None
) -> tuple[list[ParsedRow], ImportResult]:
    """Check the whole file. Returns the good rows still to import and a result with the errors,
    the rows already present and the counts."""
    result = ImportResult()
    try:
        header, rows = read_table(data, filename)
        columns = _normalise_header(header)
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise ImportFileError(
                _("Verplichte kolom ontbreekt: %(c)s (regel 1 moet de kolomnamen bevatten: %(all)s).")
                % {"c": ", ".join(missing), "all": ", ".join(REQUIRED)}
            )
        if len([c for c in header if c]) > MAX_COLUMNS:
            raise ImportFileError(
                _(
                    "Het bestand heeft meer dan %(n)s kolommen; verwijder de kolommen die niet bij de import horen."
                )
                % {"n": MAX_COLUMNS}
            )
        good = _check_rows(columns, rows, result, progress)
    except ImportFileError as exc:
        # Also raised halfway (too many rows, broken XML further down): the file as a whole is refused.
        return [], ImportResult(file_error=exc.message)
    return _drop_present(good, result, progress)


def _check_rows(columns, rows, result: ImportResult, progress) -> list[ParsedRow]:
    checker = RowChecker()
    good: list[ParsedRow] = []
    seen: dict[tuple[int, str], int] = {}
    for line, cells in rows:
        if result.total >= MAX_ROWS:
            raise ImportFileError(
                _("Het bestand heeft meer dan %(n)s regels; splits het in kleinere bestanden.")
                % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        if isinstance(cells, Exception):
            result.total += 1
            result.errors.append(
                _("regel %(n)s: de regel kan niet worden gelezen (%(e)s)") % {"n": line, "e": cells}
            )
            continue
        if not any(cells):
            continue  # blank lines are not rows
        result.total += 1
        row = {columns[i]: cells[i] for i in range(min(len(columns), len(cells)))}
        parsed = checker.check(line, row)
        if isinstance(parsed, list):
            result.errors.append(_("regel %(n)s: %(r)s") % {"n": line, "r": "; ".join(parsed)})
        elif parsed.external_ref and (parsed.source.pk, parsed.external_ref) in seen:
            first = seen[(parsed.source.pk, parsed.external_ref)]
            result.already_present.append(
                _("regel %(n)s: %(b)s %(k)s staat al op regel %(m)s")
                % {"n": line, "b": parsed.source.code, "k": parsed.external_ref, "m": first}
            )
        else:
            if parsed.external_ref:
                seen[(parsed.source.pk, parsed.external_ref)] = line
            good.append(parsed)
        if progress and result.total % BATCH_SIZE == 0:
            progress("check", result.total, 0)
    return good


def _drop_present(
    good: list[ParsedRow], result: ImportResult, progress
) -> tuple[list[ParsedRow], ImportResult]:
    # Rows already in VIK (same bron + extern_kenmerk) are skipped, not errors.
    refs = {r.external_ref for r in good if r.external_ref}
    existing: set[tuple[int, str]] = set()
    ref_list = sorted(refs)
    for i in range(0, len(ref_list), 5000):
        existing |= set(
            Signal.objects.filter(external_ref__in=ref_list[i : i + 5000]).values_list(
                "source_id", "external_ref"
            )
        )
    todo = []
    for r in good:
        if r.external_ref and (r.source.pk, r.external_ref) in existing:
            result.already_present.append(
                _("regel %(n)s: %(b)s %(k)s is al aanwezig")
                % {"n": r.line, "b": r.source.code, "k": r.external_ref}
            )
        else:
            todo.append(r)
    result.valid = len(todo)
    result.preview = todo[:10]
    if progress:
        progress("check", result.total, result.total)
    return todo, result


# --- writing -------------------------------------------------------------------------------------


class SubjectCache:
    """Identifier → record for the whole import: one query per batch per kind, created records
    reused by later rows."""

    def __init__(self, prov: matching.Provenance):
        self.prov = prov
        self.persons: dict[tuple, Person] = {}
        self.organisations: dict[tuple, Organisation] = {}
        self.addresses: dict[tuple, Address] = {}
        self.vehicles: dict[str, Vehicle] = {}

    def prefetch(self, rows: list[ParsedRow]) -> None:
        bsns = {
            blind_index(r.person.bsn): r.person.key()
            for r in rows
            if r.person and r.person.bsn and r.person.key() not in self.persons
        }
        for p in Person.objects.filter(bsn_index__in=list(bsns), merged_into_id__isnull=True).order_by("-id"):
            self.persons[bsns[p.bsn_index]] = p
        # Persons without BSN: by name and birth date, one query per batch.
        wanted = {
            r.person.key(): r.person
            for r in rows
            if r.person and not r.person.bsn and r.person.birth_date and r.person.key() not in self.persons
        }
        if wanted:
            by_name: dict[tuple, list[Person]] = {}
            keys = {matching.person_name_key(p) for p in wanted.values()}
            dates = {p.birth_date for p in wanted.values()}
            candidates = Person.objects.filter(
                name_normalised__in={k[0] for k in keys}, birth_date__in=dates, merged_into_id__isnull=True
            ).order_by("id")
            for person in candidates:
                by_name.setdefault((person.name_normalised, person.birth_date), []).append(person)
            for key, data in wanted.items():
                name, _voornamen = matching.person_name_key(data)
                for person in by_name.get((name, data.birth_date), []):
                    if (
                        not data.voornamen
                        or person.voornamen.lower() == matching.tidy(data.voornamen).lower()
                    ):
                        self.persons[key] = person
                        break
        kvks = {r.organisation.kvk_number for r in rows if r.organisation and r.organisation.kvk_number}
        kvks -= {k[1] for k in self.organisations if k[0] == "kvk"}
        for o in Organisation.objects.filter(kvk_number__in=kvks, merged_into_id__isnull=True).order_by(
            "-id"
        ):
            self.organisations[("kvk", o.kvk_number)] = o
        pcs = {r.address.postcode for r in rows if r.address and r.address.key() not in self.addresses}
        if pcs:
            for a in Address.objects.filter(postcode__in=pcs, merged_into_id__isnull=True).order_by("-id"):
                key = (a.postcode, a.house_number, a.house_letter.upper(), a.house_number_addition.upper())
                self.addresses[key] = a
        plates = {r.kenteken for r in rows if r.kenteken and r.kenteken not in self.vehicles}
        for v in Vehicle.objects.filter(kenteken__in=plates, merged_into_id__isnull=True).order_by("-id"):
            self.vehicles[v.kenteken] = v

    def resolve(self, rows: list[ParsedRow]) -> list[list[tuple[object, str]]]:
        """Per row the (record, role) pairs; records not found are created in bulk."""
        self.prefetch(rows)
        new: dict[type, list] = {Person: [], Organisation: [], Address: [], Vehicle: []}
        per_row = []
        for r in rows:
            links = []
            if r.person:
                key = r.person.key()
                obj = self.persons.get(key) if key[0] == "bsn" or r.person.birth_date else None
                if obj is None:
                    obj = matching.build_person(r.person, self.prov)
                    new[Person].append(obj)
                    if key[0] == "bsn" or r.person.birth_date:
                        self.persons[key] = obj
                links.append((obj, SubjectRole.VERDACHTE))
            if r.organisation:
                key = r.organisation.key()
                obj = self.organisations.get(key)
                if obj is None:
                    obj = matching.build_organisation(r.organisation, self.prov)
                    new[Organisation].append(obj)
                    self.organisations[key] = obj
                links.append((obj, SubjectRole.BETROKKENE))
            if r.address:
                key = r.address.key()
                obj = self.addresses.get(key)
                if obj is None:
                    obj = matching.build_address(r.address, self.prov)
                    new[Address].append(obj)
                    self.addresses[key] = obj
                links.append((obj, SubjectRole.LOCATIE))
            if r.kenteken:
                obj = self.vehicles.get(r.kenteken)
                if obj is None:
                    obj = matching.build_vehicle(r.kenteken, self.prov)
                    new[Vehicle].append(obj)
                    self.vehicles[r.kenteken] = obj
                links.append((obj, SubjectRole.VOERTUIG))
            per_row.append(links)
        for objs in new.values():
            if objs:
                copy_insert(objs)
                self.prov.created.extend(objs)
        return per_row


_RAW_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}


def _value_getter(field, conn):
    """A fast getter for plain Django fields (psycopg adapts the Python value); the field's own
    ``pre_save``/``get_db_prep_save`` for everything else (encryption, JSON, auto_now)."""
    plain = type(field).__module__.startswith("django.db.models") and field.get_internal_type() in _RAW_TYPES
    auto_now = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if plain and not auto_now:
        attname = field.attname
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), conn)


def copy_insert(objs: list) -> None:
    """Insert model instances with PostgreSQL COPY (ids drawn from the table's sequence first).
    Encrypted, JSON and ``auto_now`` fields go through the field's own ``pre_save`` and
    ``get_db_prep_save``, exactly as ``save()`` would."""
    if not objs:
        return
    conn = connections[DEFAULT_DB_ALIAS]
    model = type(objs[0])
    meta = model._meta
    fields = list(meta.concrete_fields)
    getters = [_value_getter(f, conn) for f in fields]
    pk = meta.pk
    with conn.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        ids = [row[0] for row in cur.fetchall()]
        for obj, new_id in zip(objs, ids, strict=True):
            setattr(obj, pk.attname, new_id)
            obj._state.adding = False
            obj._state.db = DEFAULT_DB_ALIAS
        columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
        with cur.cursor.copy(f"COPY {conn.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([get(obj) for get in getters])


def _audit_entries(objs: list, actor: User | None, batch_label: str) -> None:
    from auditlog.models import LogEntry

    if not objs:
        return
    ct = ContentType.objects.get_for_model(type(objs[0]))
    now = timezone.now()
    copy_insert(
        [
            LogEntry(
                content_type=ct,
                object_pk=str(o.pk),
                object_id=o.pk,
                object_repr=str(o)[:200],
                action=LogEntry.Action.CREATE,
                changes={"import": [None, batch_label]},
                changes_text="",
                actor=actor,
                timestamp=now,
            )
            for o in objs
        ]
    )


def _write(
    rows: list[ParsedRow], *, actor: User | None, team: OrgUnit, batch: ImportBatch, progress: Progress | None
) -> int:
    prov = matching.Provenance(owner_team=team, source=f"import {batch.filename}"[:200])
    cache = SubjectCache(prov)
    through = Signal.phenomena.through
    label = f"import {batch.pk} {batch.filename}"[:200]
    done = 0
    now = timezone.now()
    for start in range(0, len(rows), BATCH_SIZE):
        chunk = rows[start : start + BATCH_SIZE]
        links = cache.resolve(chunk)
        signals = []
        for r in chunk:
            regime = LegalRegime.WPG if r.source.code == SOURCE_POLICE else LegalRegime.AVG
            signals.append(
                Signal(
                    source=r.source,
                    received_date=r.received_date,
                    summary=r.summary,
                    narrative=r.text,
                    reliability_source=r.reliability_source,
                    reliability_information=r.reliability_information,
                    legal_regime=regime,
                    wpg_conditions=WPG_IMPORT_CONDITIONS if regime == LegalRegime.WPG else "",
                    external_ref=r.external_ref,
                    owner_team=team,
                    compartment=compartment_for(source=r.source, legal_regime=regime),
                    # A new record has no grants: its visibility is its owning team (what
                    # vik.core.access.compute_visible_to returns), set here to keep the bulk insert.
                    visible_to=[team.team_token],
                    import_batch=batch,
                    created_by=actor,
                    status=SignalStatus.RECEIVED,
                )
            )
        copy_insert(signals)
        copy_insert(
            [
                through(signal_id=s.pk, phenomenon_id=p.pk)
                for s, r in zip(signals, chunk, strict=True)
                for p in r.phenomena
            ]
        )
        subject_links = []
        for s, pairs in zip(signals, links, strict=True):
            for obj, role in pairs:
                subject_links.append(
                    SignalSubject(signal_id=s.pk, role=role, **{type(obj)._meta.model_name: obj})
                )
        copy_insert(subject_links)
        copy_insert(
            [
                SignalStatusChange(
                    signal_id=s.pk,
                    from_status="",
                    to_status=SignalStatus.RECEIVED,
                    actor=actor,
                    at=now,
                    reason=label,
                )
                for s in signals
            ]
        )
        _audit_entries(signals, actor, label)
        signal_refresh_search([s.pk for s in signals])
        done += len(chunk)
        if progress:
            progress("write", done, len(rows))
    for model in (Person, Organisation, Address, Vehicle):
        _audit_entries([o for o in prov.created if isinstance(o, model)], actor, label)
    return done


def run_import(
    *,
    actor: User | None,
    data: bytes,
    filename: str,
    skip_invalid: bool = False,
    owner_team: OrgUnit | None = None,
    batch: ImportBatch | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check and import one file. All or nothing unless ``skip_invalid``."""
    team = owner_team or (actor.org_unit if actor is not None else None)
    if team is None:
        raise ApplicationError(_("Er is geen team dat eigenaar van de signalen kan worden."))
    rows, result = parse_rows(data, filename, progress=progress)
    if batch is None:
        batch = ImportBatch.objects.create(
            created_by=actor, owner_team=team, filename=filename[:255], skip_invalid=skip_invalid
        )
    if result.file_error or (result.errors and not skip_invalid) or not rows:
        _finish(batch, result)
        return result
    try:
        with transaction.atomic():
            result.imported = _write(rows, actor=actor, team=team, batch=batch, progress=progress)
    except IntegrityError:
        result.imported = 0
        result.file_error = _(
            "Een ander import of invoer schreef tegelijk dezelfde signalen; er is niets geïmporteerd. Probeer het opnieuw."
        )
    _finish(batch, result)
    return result


def _finish(batch: ImportBatch, result: ImportResult) -> None:
    from .constants import ImportStatus

    batch.total_rows = result.total
    batch.valid_rows = result.valid
    batch.imported = result.imported
    batch.already_present = len(result.already_present)
    batch.errors = ([result.file_error] if result.file_error else []) + result.errors[:1000]
    batch.status = (
        ImportStatus.DONE
        if result.imported or (not result.errors and not result.file_error)
        else ImportStatus.FAILED
    )
    batch.message = summary_line(result, skip_invalid=batch.skip_invalid)[:500]
    batch.finished_at = timezone.now()
    batch.save()


def summary_line(result: ImportResult, *, skip_invalid: bool) -> str:
    if result.file_error:
        return result.file_error
    parts = [
        _("%(n)s regels gelezen") % {"n": result.total},
        _("%(n)s geïmporteerd") % {"n": result.imported},
        _("%(n)s al aanwezig") % {"n": len(result.already_present)},
        _("%(n)s ongeldig") % {"n": len(result.errors)},
    ]
    line = ", ".join(parts) + "."
    if result.errors and not skip_invalid:
        line += " " + _("Er is niets geïmporteerd omdat het bestand ongeldige regels bevat.")
    return line


def exit_code(result: ImportResult, *, skip_invalid: bool) -> int:
    """0 only when every row was imported (rows already present count as done, so running the
    same command twice gives the same answer); with ``skip_invalid`` 0 unless no row could be
    imported."""
    if result.file_error:
        return 1
    if not result.errors:
        return 0
    if skip_invalid and (result.imported or result.already_present):
        return 0
    return 1
