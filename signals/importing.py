"""Import of signals from CSV or XLSX: the one code path behind the web upload and
``manage.py import_signals``.

1. ``read_table`` turns the bytes into a header and ``(line number, cells)`` rows: XLSX through
   openpyxl; CSV in UTF-8 (with or without BOM) or Windows-1252, comma or semicolon.
2. ``parse_rows`` checks every row and reports ``regel N: reden`` (N the line in the file,
   header = 1); rows whose ``bron`` + ``extern_kenmerk`` already exist are "already present".
3. ``run_import`` writes nothing when any row is bad (unless ``skip_invalid``), otherwise writes
   set-based, per batch of ``BATCH_SIZE`` rows, in one transaction: subjects matched with one SQL
   statement per identifier kind (``matching.*_ids_by_*``), new ones COPY-ed as tuples; the
   signals COPY-ed into a temporary staging table and inserted from there with their search
   vector; phenomena, subject links, status history and audit entries each one
   ``INSERT ... SELECT`` from the staging rows. No model instance is built per row (issue #26).
"""

from __future__ import annotations

import csv
import gc
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime

import psycopg
import psycopg.sql

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from subjects.models import Address, Organisation, Person, Vehicle
from vik.core import identifiers
from vik.core.exceptions import ApplicationError
from vik.core.formats import nl_int
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
from .services import compartment_for

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


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NL_DATE = re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})")


def parse_date(value: str) -> date | None:
    value = value.strip()
    # Fast path for the usual spellings (strptime costs more than the rest of a row's checks);
    # anything else goes to strptime, which decides as it always did.
    fast = _ISO_DATE.fullmatch(value)
    if fast:
        y, m, d = fast.groups()
    elif fast := _NL_DATE.fullmatch(value):
        d, m, y = fast.groups()
    if fast:
        try:
            return date(int(y), int(m), int(d))
        except ValueError:
            return None
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


_RELIABILITY_SOURCE = frozenset(ReliabilitySource.values)
_RELIABILITY_INFORMATION = frozenset(ReliabilityInformation.values)


class RowChecker:
    """Checks rows against cached reference lists. Returns a ParsedRow or a list of reasons."""

    def __init__(self):
        self.sources = sources_by_code()
        self.phenomena = phenomena_by_code()
        self.today = timezone.localdate()
        self._cleaned: dict[tuple, tuple[str, str]] = {}

    def _clean(self, fn, value: str) -> tuple[str, str]:
        """``_clean`` remembered per file: identifiers repeat (one address, many rows)."""
        key = (fn, value)
        found = self._cleaned.get(key)
        if found is None:
            found = self._cleaned[key] = _clean(fn, value)
        return found

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
        if rel_src not in _RELIABILITY_SOURCE:
            reasons.append(_("betrouwbaarheid_bron '%(v)s' moet A, B, C of X zijn") % {"v": rel_src})
        rel_info = (row.get("betrouwbaarheid_informatie", "") or "4").strip()
        if rel_info not in _RELIABILITY_INFORMATION:
            reasons.append(_("betrouwbaarheid_informatie '%(v)s' moet 1, 2, 3 of 4 zijn") % {"v": rel_info})
        external_ref = row.get("extern_kenmerk", "").strip()
        if len(external_ref) > 100:
            reasons.append(_("extern_kenmerk is langer dan 100 tekens"))

        person = self._person(row, reasons)
        organisation = self._organisation(row, reasons)
        address = self._address(row, reasons)
        kenteken = ""
        if row.get("kenteken", ""):
            kenteken, err = self._clean(identifiers.clean_kenteken, row["kenteken"])
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
            data.bsn, err = self._clean(identifiers.clean_bsn, row["persoon_bsn"])
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
            data.kvk_number, err = self._clean(identifiers.clean_kvk_number, raw_kvk)
            if err:
                reasons.append(_("organisatie_kvk: %(e)s") % {"e": err})
        return data

    def _address(self, row: dict[str, str], reasons: list[str]) -> matching.AddressData | None:
        if not any(row.get(c, "") for c in ADDRESS_COLUMNS):
            return None
        postcode, err = self._clean(identifiers.clean_postcode, row.get("adres_postcode", ""))
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
                % {"n": nl_int(MAX_ROWS)}
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
    pairs = sorted({(r.source.pk, r.external_ref) for r in good if r.external_ref})
    existing: set[tuple[int, str]] = set()
    if pairs:
        # One probe of the unique (source, external_ref) index per kenmerk (LATERAL … LIMIT 1),
        # instead of a scan of every signal against the list (100k signals at M).
        existing = set(
            matching.select_rows(
                "SELECT k.source_id, k.ref FROM unnest(%s::bigint[], %s::text[]) AS k(source_id, ref)"
                " CROSS JOIN LATERAL (SELECT 1 FROM signals_signal s WHERE s.source_id = k.source_id"
                " AND s.external_ref = k.ref AND NOT (s.external_ref = '') LIMIT 1) AS s",
                [[p[0] for p in pairs], [p[1] for p in pairs]],
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


class _Copier:
    """COPY plain tuples into one model's table, without building model instances (which cost
    more than the rest of the import together). Columns the caller does not give take the value
    a fresh instance would save: the field's default, ``pre_save`` and ``get_db_prep_save``
    (encryption, JSON, ``auto_now``), computed once and turned into PostgreSQL's own text form
    once (``fill``; without it the COPY carries only the given columns, for a staging table).
    Given columns that need the field's own preparation (encrypted fields) go through
    ``get_db_prep_save`` per value."""

    def __init__(
        self,
        model,
        given: list[str],
        *,
        with_pk: bool,
        raw: frozenset = frozenset(),
        extra: tuple[str, ...] = (),
        fill: bool = True,
        **constants,
    ):
        conn = connections[DEFAULT_DB_ALIAS]
        meta = model._meta
        self.model = model
        self.table = meta.db_table
        self.pk_column = meta.pk.column
        self.nextval: psycopg.sql.Composed | None = None  # the reserving statement, once known
        self.with_pk = with_pk
        by_name = {f.attname: f for f in meta.concrete_fields}
        fields = [by_name[name] for name in given]
        self.prep = [
            (i, (lambda f: lambda v: f.get_db_prep_save(v, conn))(f))
            for i, f in enumerate(fields)
            if not _is_plain(f) and f.attname not in raw
        ]
        quote = conn.ops.quote_name
        # extra: columns of a staging table only, given after the model's (raw values)
        columns = [quote(f.column) for f in ([meta.pk] if with_pk else []) + fields]
        columns += [quote(name) for name in extra]
        self.rest = []
        self.const: tuple | None = ()
        if fill:
            template = model(**constants)
            self.rest = [f for f in meta.concrete_fields if f.attname not in given and not f.primary_key]
            self.values = [_value_getter(f, conn)(template) for f in self.rest]
            self.types = [f.db_type(conn) for f in self.rest]
            self.const = None  # rendered by the first write
            columns += [quote(f.column) for f in self.rest]
        self.columns = ", ".join(columns)

    def reserve(self, cur, n: int) -> list[int]:
        """``n`` ids from the table's own sequence (one ``nextval`` each: safe beside other
        writers). The sequence is looked up once: ``pg_get_serial_sequence`` per row cost ten
        times the ``nextval`` itself (3-4 µs against 0.3 µs a row, issue #26)."""
        if not n:
            return []
        if self.nextval is None:
            cur.execute("SELECT pg_get_serial_sequence(%s, %s)", [self.table, self.pk_column])
            (sequence,) = cur.fetchone()
            self.nextval = psycopg.sql.SQL("SELECT nextval({}::regclass) FROM generate_series(1, %s)").format(
                psycopg.sql.Literal(sequence)
            )
        cur.execute(self.nextval, [n])
        return [row[0] for row in cur.fetchall()]

    def _render(self, cur) -> tuple:
        """The constants in PostgreSQL's text form (what COPY reads back to the same values),
        so that no row pays for adapting a list, a JSON document or a timestamp again."""
        if not self.rest:
            return ()
        select = ", ".join(f"(%s::{t})::text" for t in self.types)
        cur.execute(f"SELECT {select}", self.values)
        return tuple(cur.fetchone())

    def prepare(self, values: tuple) -> tuple:
        """The given columns (without the id) as ``write`` sends them: encrypted fields through
        the field's ``get_db_prep_save``. For rows prepared ahead (``write(prepared=True)``)."""
        if not self.prep:
            return values
        row = list(values)
        for i, fn in self.prep:
            row[i] = fn(row[i])
        return tuple(row)

    def write(self, cur, rows: list[tuple], *, table: str = "", prepared: bool = False) -> None:
        """``rows``: tuples of the given columns, the id first when ``with_pk``; into the model's
        table or a staging table. ``prepared``: the rows went through ``prepare`` already."""
        if not rows:
            return
        if self.const is None:
            self.const = self._render(cur)
        const, prep, offset = self.const, [] if prepared else self.prep, 1 if self.with_pk else 0
        with cur.copy(f'COPY "{table or self.table}" ({self.columns}) FROM STDIN') as copy:
            write_row = copy.write_row
            for row in rows:
                if prep:
                    row = list(row)
                    for i, fn in prep:
                        row[i + offset] = fn(row[i + offset])
                write_row((*row, *const))


def _is_plain(field) -> bool:
    return type(field).__module__.startswith("django.db.models") and field.get_internal_type() in _RAW_TYPES


def _repr(model, **attrs) -> str:
    """``str(instance)`` through the model's own ``__str__``, without an instance."""
    from types import SimpleNamespace

    ns = SimpleNamespace(**attrs)
    for name in ("display_name",):
        prop = getattr(model, name, None)
        if isinstance(prop, property):
            setattr(ns, name, prop.fget(ns))
    return model.__str__(ns)[:200]


class _Resolver:
    """Identifier → id for the whole import, set-based: one statement per kind per batch for the
    identifiers not seen yet (``matching.*_ids_by_*``), then the new records of the batch in one
    COPY per kind. Same rules as ``matching.find_*``: persons by BSN, else by name and birth date;
    organisations by KvK number (without one: the same name within this file); addresses by
    postcode, number, letter and addition; vehicles by kenteken. A new record named twice in a
    file is created once; a person with neither BSN nor birth date is never matched."""

    def __init__(self, cur, *, team: OrgUnit, source: str):
        self.cur = cur
        self.known: dict[tuple, int] = {}
        self.ready: dict[int, tuple[tuple, tuple]] = {}  # id(subject data) → prepared values
        self.created: dict[type, list[tuple[int, str]]] = {
            Person: [],
            Organisation: [],
            Address: [],
            Vehicle: [],
        }
        common = {
            "owner_team": team,
            "source": source,
            "compartment": "general",
            "visible_to": [team.team_token],
        }
        self.copiers = {
            Person: _Copier(Person, _PERSON_COLUMNS, with_pk=True, **common),
            Organisation: _Copier(Organisation, _ORGANISATION_COLUMNS, with_pk=True, **common),
            Address: _Copier(Address, _ADDRESS_COLUMNS, with_pk=True, **common),
            Vehicle: _Copier(Vehicle, ["kenteken"], with_pk=True, **common),
        }

    def _lookup(self, rows: list[ParsedRow]) -> None:
        known = self.known
        bsns = {
            r.person.bsn
            for r in rows
            if r.person and r.person.bsn and ("p", "bsn", r.person.bsn) not in known
        }
        for bsn, pk in matching.person_ids_by_bsn(sorted(bsns)).items():
            known[("p", "bsn", bsn)] = pk
        named = {}
        for r in rows:
            p = r.person
            if p and not p.bsn and p.birth_date and ("p",) + p.key() not in known:
                named.setdefault(("p",) + p.key(), p)
        keys = list(named)
        for pos, pk in matching.person_ids_by_name([named[k] for k in keys]).items():
            known[keys[pos]] = pk
        kvks = {
            r.organisation.kvk_number
            for r in rows
            if r.organisation
            and r.organisation.kvk_number
            and ("o", "kvk", r.organisation.kvk_number) not in known
        }
        for kvk, pk in matching.organisation_ids_by_kvk(sorted(kvks)).items():
            known[("o", "kvk", kvk)] = pk
        addresses = {r.address.key() for r in rows if r.address and ("a",) + r.address.key() not in known}
        for key, pk in matching.address_ids_by_key(sorted(addresses)).items():
            known[("a",) + key] = pk
        plates = {r.kenteken for r in rows if r.kenteken and ("v", r.kenteken) not in known}
        for plate, pk in matching.vehicle_ids_by_kenteken(sorted(plates)).items():
            known[("v", plate)] = pk

    def _values(self, model, data) -> tuple[tuple, tuple]:
        """(the record's own values, the same as COPY sends them: BSN encrypted)."""
        if model is Person:
            values = _person_values(data)
        elif model is Organisation:
            values = _organisation_values(data)
        elif model is Address:
            values = _address_values(data)
        else:
            values = (data,)
        return values, self.copiers[model].prepare(values)

    def prepare(self, rows: list[ParsedRow]) -> None:
        """The values of the persons and addresses of ``rows`` as new records, computed ahead
        (while PostgreSQL works on the previous batch); ``resolve`` uses those it creates."""
        ready = self.ready
        for r in rows:
            if r.person:
                ready[id(r.person)] = self._values(Person, r.person)
            if r.address:
                ready[id(r.address)] = self._values(Address, r.address)

    def resolve(self, rows: list[ParsedRow]) -> list[list[tuple[str, int, str]]]:
        """Per row the (kind, id, role) links; records not found are created."""
        self._lookup(rows)
        known = self.known
        ready = self.ready
        new: dict[type, list[tuple[tuple, tuple]]] = {Person: [], Organisation: [], Address: [], Vehicle: []}
        pending: list[tuple[list, int, str, type, int]] = []  # (links, position, role, model, new index)
        fresh_keys: list[tuple] = []  # keys of records created in this batch
        per_row = []

        def link(links, kind, role, model, key, data):
            pk = known.get(key) if key is not None else None
            if pk is None:
                index = len(new[model])
                new[model].append(ready.get(id(data)) or self._values(model, data))
                if key is not None:
                    known[key] = (model, index)  # resolved to an id once the batch's ids exist
                    fresh_keys.append(key)
                links.append(None)
                pending.append((links, len(links) - 1, kind, role, model, index))
            elif isinstance(pk, tuple):
                links.append(None)
                pending.append((links, len(links) - 1, kind, role, pk[0], pk[1]))
            else:
                links.append((kind, pk, role))

        for r in rows:
            links: list = []
            if r.person:
                p = r.person
                key = ("p",) + p.key() if p.bsn or p.birth_date else None
                link(links, "person", SubjectRole.VERDACHTE, Person, key, p)
            if r.organisation:
                o = r.organisation
                link(links, "organisation", SubjectRole.BETROKKENE, Organisation, ("o",) + o.key(), o)
            if r.address:
                a = r.address
                link(links, "address", SubjectRole.LOCATIE, Address, ("a",) + a.key(), a)
            if r.kenteken:
                link(links, "vehicle", SubjectRole.VOERTUIG, Vehicle, ("v", r.kenteken), r.kenteken)
            per_row.append(links)
        ready.clear()
        ids: dict[type, list[int]] = {}
        for model, values in new.items():
            if not values:
                continue
            copier = self.copiers[model]
            ids[model] = copier.reserve(self.cur, len(values))
            copier.write(
                self.cur, [(pk, *v[1]) for pk, v in zip(ids[model], values, strict=True)], prepared=True
            )
            self.created[model].extend(
                (pk, _subject_repr(model, v[0])) for pk, v in zip(ids[model], values, strict=True)
            )
        for key in fresh_keys:
            model, index = known[key]
            known[key] = ids[model][index]
        for links, position, kind, role, model, index in pending:
            links[position] = (kind, ids[model][index], role)
        return per_row


# The keys of matching.person_fields / organisation_fields / address_fields, in their order.
_PERSON_COLUMNS = [
    "voornamen", "voorvoegsel", "geslachtsnaam", "name_normalised", "initials", "birth_date", "bsn", "bsn_index"
]  # fmt: skip
_ORGANISATION_COLUMNS = ["name", "name_normalised", "kvk_number"]
_ADDRESS_COLUMNS = ["street", "house_number", "house_letter", "house_number_addition", "postcode", "town"]


def _person_values(data: matching.PersonData) -> tuple:
    return tuple(matching.person_fields(data).values())


def _organisation_values(data: matching.OrganisationData) -> tuple:
    return tuple(matching.organisation_fields(data).values())


def _address_values(data: matching.AddressData) -> tuple:
    return tuple(matching.address_fields(data).values())


def _subject_repr(model, values: tuple) -> str:
    if model is Person:
        return _repr(Person, voornamen=values[0], voorvoegsel=values[1], geslachtsnaam=values[2])
    if model is Organisation:
        return values[0][:200]
    if model is Address:
        return _repr(
            Address,
            street=values[0],
            house_number=values[1],
            house_letter=values[2],
            house_number_addition=values[3],
            postcode=values[4],
            town=values[5],
        )
    return values[0]


STAGING = "signals_import_staging"
# signal_refresh_search's vector, from the summary (A) and the text _search_text stages (B).
_SEARCH_VECTOR = (
    "setweight(to_tsvector('dutch', coalesce(summary, '')), 'A')"
    " || setweight(to_tsvector('dutch', search_vector), 'B')"
)


def _search_text(r: ParsedRow, cache: dict[tuple, str]) -> str:
    """The B part of ``services._SEARCH_SQL``: kenmerk, source label and code, then each
    phenomenon's label and code."""
    key = (r.source.pk, tuple(p.pk for p in r.phenomena))
    tail = cache.get(key)
    if tail is None:
        names = " ".join(f"{p.label} {p.code}" for p in r.phenomena)
        tail = cache[key] = f" {r.source.label} {r.source.code} {names}"
    return r.external_ref + tail


def _signal_values(chunk: list[ParsedRow], staging: _Copier, search_texts: dict[tuple, str]) -> list[tuple]:
    """The staging columns of each row that need no id (narrative encrypted), prepared ahead."""
    values = []
    for r in chunk:
        regime = LegalRegime.WPG if r.source.code == SOURCE_POLICE else LegalRegime.AVG
        values.append(
            staging.prepare(
                (r.source.pk, r.received_date, r.summary, r.text, r.reliability_source,
                 r.reliability_information, regime, WPG_IMPORT_CONDITIONS if regime == LegalRegime.WPG else "",
                 r.external_ref, compartment_for(source=r.source, legal_regime=regime),
                 _search_text(r, search_texts), "{" + ",".join(str(p.pk) for p in r.phenomena) + "}")
            )
        )  # fmt: skip
    return values


class _InsertSelect:
    """``INSERT INTO <model's table> ... SELECT ... FROM <staging>``: the given columns as SQL
    expressions over the staging rows, every other column the value a fresh instance would save
    (as ``_Copier``), passed once as a typed parameter. One statement per batch instead of one
    Python tuple per row."""

    def __init__(self, model, exprs: dict[str, str], source: str, **constants):
        conn = connections[DEFAULT_DB_ALIAS]
        meta = model._meta
        template = model(**constants)
        by_name = {f.attname: f for f in meta.concrete_fields}
        rest = [f for f in meta.concrete_fields if f.attname not in exprs and not f.primary_key]
        exprs = {by_name[name].column if name in by_name else name: expr for name, expr in exprs.items()}
        quote = conn.ops.quote_name
        columns = [quote(column) for column in exprs] + [quote(f.column) for f in rest]
        values = list(exprs.values()) + [f"%s::{f.db_type(conn)}" for f in rest]
        self.params = [_value_getter(f, conn)(template) for f in rest]
        self.sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) SELECT {', '.join(values)} {source}"
        )

    def run(self, cur) -> None:
        cur.execute(self.sql, self.params)


def _write(
    rows: list[ParsedRow], *, actor: User | None, team: OrgUnit, batch: ImportBatch, progress: Progress | None
) -> int:
    from auditlog.models import LogEntry

    conn = connections[DEFAULT_DB_ALIAS]
    label = f"import {batch.pk} {batch.filename}"[:200]
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    signal_fields = ["source_id", "received_date", "summary", "narrative", "reliability_source",
                     "reliability_information", "legal_regime", "wpg_conditions", "external_ref", "compartment"]  # fmt: skip
    staging = _Copier(
        Signal,
        [*signal_fields, "search_vector"],
        with_pk=True,
        raw=frozenset({"search_vector"}),
        extra=("_phenomena", "_person", "_organisation", "_address", "_vehicle"),
        fill=False,
    )
    insert_signals = _InsertSelect(
        Signal,
        {"id": "id", **{name: name for name in signal_fields}, "search_vector": _SEARCH_VECTOR},
        f"FROM {STAGING} ORDER BY id",
        owner_team=team,
        visible_to=[team.team_token],  # what compute_visible_to gives a record without grants
        import_batch=batch,
        created_by=actor,
        status=SignalStatus.RECEIVED,
    )
    statements = [
        _InsertSelect(
            Signal.phenomena.through,
            {"signal_id": "id", "phenomenon_id": "unnest(_phenomena)"},
            f"FROM {STAGING} ORDER BY {STAGING}.id",
        ),
        _InsertSelect(
            SignalSubject,
            {
                "signal_id": "s.id",
                "role": "k.role",
                "person_id": "k.person",
                "organisation_id": "k.organisation",
                "address_id": "k.address",
                "vehicle_id": "k.vehicle",
            },
            f"FROM {STAGING} s CROSS JOIN LATERAL (VALUES"
            f" (1, '{SubjectRole.VERDACHTE}', s._person, NULL::bigint, NULL::bigint, NULL::bigint),"
            f" (2, '{SubjectRole.BETROKKENE}', NULL, s._organisation, NULL, NULL),"
            f" (3, '{SubjectRole.LOCATIE}', NULL, NULL, s._address, NULL),"
            f" (4, '{SubjectRole.VOERTUIG}', NULL, NULL, NULL, s._vehicle))"
            " AS k(n, role, person, organisation, address, vehicle)"
            " WHERE coalesce(k.person, k.organisation, k.address, k.vehicle) IS NOT NULL ORDER BY s.id, k.n",
        ),
        _InsertSelect(
            SignalStatusChange,
            {"signal_id": "id"},
            f"FROM {STAGING} ORDER BY {STAGING}.id",
            from_status="",
            to_status=SignalStatus.RECEIVED,
            actor=actor,
            at=now,
            reason=label,
        ),
        # str(signal) is "S-<id> <summary[:60]>"
        _InsertSelect(
            LogEntry,
            {
                "object_pk": "id::text",
                "object_id": "id",
                "object_repr": "left('S-' || id || ' ' || left(summary, 60), 200)",
            },
            f"FROM {STAGING} ORDER BY {STAGING}.id",
            content_type=ContentType.objects.get_for_model(Signal),
            action=LogEntry.Action.CREATE,
            changes={"import": [None, label]},
            changes_text="",
            actor_id=actor_id,
            timestamp=now,
        ),
    ]
    subject_audit = {
        model: _Copier(
            LogEntry,
            ["object_pk", "object_id", "object_repr"],
            with_pk=False,
            content_type=ContentType.objects.get_for_model(model),
            action=LogEntry.Action.CREATE,
            changes={"import": [None, label]},
            changes_text="",
            actor_id=actor_id,
            timestamp=now,
        )
        for model in (Person, Organisation, Address, Vehicle)
    }
    search_texts: dict[tuple, str] = {}
    done = 0
    # COPY goes through psycopg's own cursor: its errors are turned into Django's (IntegrityError).
    with conn.wrap_database_errors, conn.cursor():
        # Server-side binding: the key arrays of the matching statements travel as arrays, not
        # as literals that Django's client-side cursor would build value by value in Python.
        cur = psycopg.Cursor(conn.connection)
        cur.execute(  # the columns of signals_signal without their NOT NULL: constants come later
            f"CREATE TEMP TABLE IF NOT EXISTS {STAGING} ON COMMIT DROP AS SELECT * FROM signals_signal WITH NO DATA"  # noqa: S608
        )
        cur.execute(
            f"ALTER TABLE {STAGING} ALTER COLUMN search_vector TYPE text,"
            " ADD COLUMN IF NOT EXISTS _phenomena bigint[], ADD COLUMN IF NOT EXISTS _person bigint,"
            " ADD COLUMN IF NOT EXISTS _organisation bigint, ADD COLUMN IF NOT EXISTS _address bigint,"
            " ADD COLUMN IF NOT EXISTS _vehicle bigint"
        )
        cur.execute(f"TRUNCATE {STAGING}")
        resolver = _Resolver(cur, team=team, source=f"import {batch.filename}"[:200])
        chunks = [rows[start : start + BATCH_SIZE] for start in range(0, len(rows), BATCH_SIZE)]
        prepared = _signal_values(chunks[0], staging, search_texts) if chunks else []
        for number, chunk in enumerate(chunks):
            links = resolver.resolve(chunk)
            ids = staging.reserve(cur, len(chunk))
            values = []
            for pk, signal, pairs in zip(ids, prepared, links, strict=True):
                linked = dict.fromkeys(("person", "organisation", "address", "vehicle"))
                for kind, subject_id, _role in pairs:
                    linked[kind] = subject_id
                values.append((pk, *signal, *linked.values()))
            staging.write(cur, values, table=STAGING, prepared=True)
            # Staged once; the signals (with their search vector computed on the way in, instead
            # of an insert plus signal_refresh_search's update), phenomena, subject links, status
            # history and audit entries are then each one INSERT ... SELECT from the staging rows.
            # They go out in pipeline mode: PostgreSQL works on them while Python prepares the
            # next batch (the machine has more than one core); leaving the pipeline waits for
            # them and raises the first error, as one statement at a time would.
            with _pipeline(conn.connection):
                insert_signals.run(cur)
                for statement in statements:
                    statement.run(cur)
                cur.execute(f"TRUNCATE {STAGING}")
                if number + 1 < len(chunks):
                    prepared = _signal_values(chunks[number + 1], staging, search_texts)
                    resolver.prepare(chunks[number + 1])
            done += len(chunk)
            if progress:
                progress("write", done, len(rows))
        for model, created in resolver.created.items():
            subject_audit[model].write(cur, [(str(pk), pk, text) for pk, text in created])
    return done


def _pipeline(connection: psycopg.Connection) -> AbstractContextManager:
    """psycopg's pipeline mode where the libpq underneath has it (14 and later); otherwise the
    statements run one after another, as before, with the same result."""
    if psycopg.Pipeline.is_supported():
        return connection.pipeline()
    return nullcontext()


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
    with _without_cycle_collector():
        return _run_import(
            actor=actor,
            data=data,
            filename=filename,
            skip_invalid=skip_invalid,
            team=team,
            batch=batch,
            progress=progress,
        )


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Python's cycle collector off for the import: the rows it builds are freed by reference
    counting, and each full collection walked every object of the process (Django's included),
    15-25 % of the import's Python time (issue #26). Back to its previous state afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run_import(
    *,
    actor: User | None,
    data: bytes,
    filename: str,
    skip_invalid: bool,
    team: OrgUnit,
    batch: ImportBatch | None,
    progress: Progress | None,
) -> ImportResult:
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
