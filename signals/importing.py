"""Import of signals from CSV or XLSX: the one code path behind the web upload and
``manage.py import_signals``.

1. ``read_table`` turns the bytes into a header and ``(line number, cells)`` rows: XLSX through
   openpyxl; CSV in UTF-8 (with or without BOM) or Windows-1252, comma or semicolon.
2. ``parse_rows`` checks every row and reports ``regel N: reden`` (N the line in the file,
   header = 1); rows whose ``bron`` + ``extern_kenmerk`` already exist are "already present".
3. ``run_import`` checks and writes in one pass, in one transaction, batch by batch: the
   statements run on a database thread, which looks up batch k+1 (rows already present, the
   subjects they name: one set-based statement per identifier kind, ``matching.*_query``) and
   writes batch k while Python checks and resolves the next (``_write``). Each batch is written
   without a model instance per row (issue #26): new subjects as ``INSERT … SELECT … FROM
   unnest(<arrays>)``, the signals with their search vector, phenomena, subject links, status
   history and audit entries as one statement over the batch's arrays. A bad row stops the
   writing (unless ``skip_invalid``), the rest is still checked so that every error is
   reported, and the transaction is rolled back: all or nothing.
"""

from __future__ import annotations

import csv
import gc
import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
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
FIRST_BATCH = 200  # the first batch: see _batch_sizes
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
MAX_ROWS = 200_000  # under a minute of import at the measured 5,000 signals/s (issue #26)
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


def _open_table(data: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The normalised column names and the rows, or ``ImportFileError`` for the file as a whole."""
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
    return columns, rows


def parse_rows(
    data: bytes, filename: str = "", *, progress: Progress | None = None
) -> tuple[list[ParsedRow], ImportResult]:
    """Check the whole file. Returns the good rows still to import and a result with the errors,
    the rows already present and the counts."""
    result = ImportResult()
    try:
        columns, rows = _open_table(data, filename)
        good = [r for chunk in _checked(columns, rows, result, progress=progress) for r in chunk]
    except ImportFileError as exc:
        # Also raised halfway (too many rows, broken XML further down): the file as a whole is refused.
        return [], ImportResult(file_error=exc.message)
    return _drop_present(good, result, progress)


def _batch_sizes() -> Iterator[int]:
    """How many good rows go in each batch: a small first one (checked before anything can be
    written beside it), doubling up to ``BATCH_SIZE``."""
    size = min(FIRST_BATCH, BATCH_SIZE)
    while True:
        yield size
        size = min(size * 2, BATCH_SIZE)


def _checked(
    columns, rows, result: ImportResult, *, progress: Progress | None = None
) -> Iterator[list[ParsedRow]]:
    """Check the rows one by one and yield the good ones in batches (``_batch_sizes``); errors,
    counts and rows named twice in the file go into ``result`` on the way. Raises
    ``ImportFileError`` halfway for a file that is too long or breaks off."""
    checker = RowChecker()
    good: list[ParsedRow] = []
    seen: dict[tuple[int, str], int] = {}
    sizes = _batch_sizes()
    limit = next(sizes)
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
            if len(good) >= limit:
                yield good
                good, limit = [], next(sizes)
        if progress and result.total % BATCH_SIZE == 0:
            progress("check", result.total, 0)
    if good:
        yield good


def _present_query(rows: list[ParsedRow]) -> matching.Query | None:
    """Which (bron, extern_kenmerk) pairs of ``rows`` VIK already has (answer: a set)."""
    pairs = sorted({(r.source.pk, r.external_ref) for r in rows if r.external_ref})
    if not pairs:
        return None
    # One probe of the unique (source, external_ref) index per kenmerk (LATERAL … LIMIT 1),
    # instead of a scan of every signal against the list (100k signals at M).
    return matching.Query(
        "SELECT k.source_id, k.ref FROM unnest(%s::bigint[], %s::text[]) AS k(source_id, ref)"
        " CROSS JOIN LATERAL (SELECT 1 FROM signals_signal s WHERE s.source_id = k.source_id"
        " AND s.external_ref = k.ref AND NOT (s.external_ref = '') LIMIT 1) AS s",
        [matching.array_literal(p[0] for p in pairs), matching.array_literal(p[1] for p in pairs)],
        set,
    )


def _present_refs(rows: list[ParsedRow]) -> set[tuple[int, str]]:
    """The (bron, extern_kenmerk) pairs of ``rows`` that VIK already has."""
    query = _present_query(rows)
    return query.run() if query else set()


def _drop_present(
    good: list[ParsedRow], result: ImportResult, progress, existing: set[tuple[int, str]] | None = None
) -> tuple[list[ParsedRow], ImportResult]:
    """Rows already in VIK (same bron + extern_kenmerk; ``existing`` when already looked up) are
    skipped, not errors. Adds to the result's counts (called once for the whole file, or once
    per batch)."""
    if existing is None:
        existing = _present_refs(good)
    todo = []
    for r in good:
        if r.external_ref and (r.source.pk, r.external_ref) in existing:
            result.already_present.append(
                _("regel %(n)s: %(b)s %(k)s is al aanwezig")
                % {"n": r.line, "b": r.source.code, "k": r.external_ref}
            )
        else:
            todo.append(r)
    result.valid += len(todo)
    result.preview += todo[: max(0, 10 - len(result.preview))]
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


class _Rows:
    """Plain tuples into one model's table as one ``INSERT … SELECT … FROM unnest(<one array per
    given column>)``, without building model instances (which cost more than the rest of the
    import together); the database thread sends it while Python checks the next batch. Columns
    the caller does not give
    take the value a fresh instance would save (the field's default, ``pre_save`` and
    ``get_db_prep_save``: encryption, JSON, ``auto_now``), computed once and passed once per
    statement. Given columns that need the field's own preparation (encrypted fields) go through
    ``get_db_prep_save`` per value (``prepare``)."""

    def __init__(self, model, given: list[str], *, with_pk: bool, **constants):
        conn = connections[DEFAULT_DB_ALIAS]
        meta = model._meta
        self.table = meta.db_table
        self.pk_column = meta.pk.column
        self.nextval: psycopg.sql.Composed | None = None  # the reserving statement, once known
        by_name = {f.attname: f for f in meta.concrete_fields}
        fields = [by_name[name] for name in given]
        self.prep = _preparers(fields, conn)
        template = model(**constants)
        rest = [f for f in meta.concrete_fields if f.attname not in given and not f.primary_key]
        self.params = [_value_getter(f, conn)(template) for f in rest]
        typed = ([meta.pk] if with_pk else []) + fields
        quote = conn.ops.quote_name
        names = [f"c{i}" for i in range(len(typed))]
        columns = ", ".join(quote(f.column) for f in typed + rest)
        values = ", ".join(names + [f"%s::{f.db_type(conn)}" for f in rest])
        arrays = ", ".join(f"%s::{_column_type(f, conn)}[]" for f in typed)
        self.sql = (
            f"INSERT INTO {quote(self.table)} ({columns}) SELECT {values}"  # noqa: S608 - names from the model
            f" FROM unnest({arrays}) AS u({', '.join(names)})"
        )
        self.width = len(typed)

    def reserve(self, cur, n: int) -> list[int]:
        """``n`` ids from the table's own sequence (one ``nextval`` each: safe beside other
        writers). The sequence is looked up once: ``pg_get_serial_sequence`` per row cost ten
        times the ``nextval`` itself (3-4 µs against 0.3 µs a row, issue #26)."""
        if not n:
            return []
        query = self.reserve_query(n, cur)
        cur.execute(query.sql, query.params)
        return query.decode(cur.fetchall())

    def reserve_query(self, n: int, cur=None) -> matching.Query:
        """The statement ``reserve`` runs (``cur`` to look the sequence up the first time)."""
        if self.nextval is None:
            if cur is None:
                cur = psycopg.Cursor(connections[DEFAULT_DB_ALIAS].connection)
            cur.execute("SELECT pg_get_serial_sequence(%s, %s)", [self.table, self.pk_column])
            (sequence,) = cur.fetchone()
            self.nextval = psycopg.sql.SQL("SELECT nextval({}::regclass) FROM generate_series(1, %s)").format(
                psycopg.sql.Literal(sequence)
            )
        return matching.Query(self.nextval, [n], lambda found: [row[0] for row in found])

    def prepare(self, values: tuple) -> tuple:
        """The given columns (without the id) as ``write`` sends them: encrypted fields through
        the field's ``get_db_prep_save``."""
        if not self.prep:
            return values
        row = list(values)
        for i, fn in self.prep:
            row[i] = fn(row[i])
        return tuple(row)

    def statement(self, rows: list[tuple]) -> tuple[str, list]:
        """``rows``: prepared tuples of the given columns, the id first when ``with_pk``."""
        return self.sql, [*self.params, *_columns(rows, self.width)]


def _columns(rows: list[tuple], width: int) -> list[str]:
    """Rows → one array per column (which ``unnest`` turns back into rows), each written as
    PostgreSQL's array literal (``matching.array_literal``)."""
    columns = zip(*rows, strict=True) if rows else [() for _ in range(width)]
    return [matching.array_literal(column) for column in columns]


def _column_type(field, conn) -> str:
    """The column's type for an array parameter: ``text`` for character columns (a value too
    long for the column is refused when it is stored, as before), the field's own otherwise."""
    db_type = field.db_type(conn) if not field.primary_key else field.rel_db_type(conn)
    return "text" if db_type.startswith(("varchar", "char")) else db_type


def _preparers(fields, conn) -> list[tuple[int, Callable]]:
    return [
        (i, (lambda f: lambda v: f.get_db_prep_save(v, conn))(f))
        for i, f in enumerate(fields)
        if not _is_plain(f)
    ]


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
    identifiers not seen yet (``matching.*_ids_by_*``), then the new records of the batch, with
    their audit entries, in one statement per kind (``write``, in the batch's pipeline). Same
    rules as ``matching.find_*``: persons by BSN, else by name and birth date; organisations by
    KvK number (without one: the same name within this file); addresses by postcode, number,
    letter and addition; vehicles by kenteken. A new record named twice in a file is created
    once; a person with neither BSN nor birth date is never matched."""

    def __init__(self, *, team: OrgUnit, source: str, audit: dict):
        self.pool: dict[type, list[int]] = {}  # ids reserved by ``lookups``
        self.known: dict[tuple, int] = {}
        # id(subject data) → (the data, kept alive so that its id is not reused; its values)
        self.ready: dict[int, tuple[object, tuple[str, tuple]]] = {}
        self.audit = audit  # model → _Rows of its audit entries
        self.to_write: list[tuple[_Rows, list[tuple]]] = []  # the batch's new records and entries
        common = {
            "owner_team": team,
            "source": source,
            "compartment": "general",
            "visible_to": [team.team_token],
        }
        self.inserts = {
            Person: _Rows(Person, _PERSON_COLUMNS, with_pk=True, **common),
            Organisation: _Rows(Organisation, _ORGANISATION_COLUMNS, with_pk=True, **common),
            Address: _Rows(Address, _ADDRESS_COLUMNS, with_pk=True, **common),
            Vehicle: _Rows(Vehicle, ["kenteken"], with_pk=True, **common),
        }

    def lookups(self, rows: list[ParsedRow]) -> list[tuple[matching.Query, Callable[[dict], None]]]:
        """The lookups of ``rows`` (each with what to do with its answer): the existing records
        they name, by the identifiers not resolved yet, and ids for the records they may create
        (one per row naming a kind: a few more than needed when rows share a record or find one;
        unused ids are a gap in the sequence, as a rolled-back insert leaves). Built here, sent
        by the database thread, answered before ``resolve`` of the same rows."""
        known = self.known
        out: list[tuple[matching.Query | None, Callable[[dict], None]]] = []

        def remember(prefix: tuple) -> Callable[[dict], None]:
            return lambda found: known.update(
                {prefix + (k if isinstance(k, tuple) else (k,)): pk for k, pk in found.items()}
            )

        bsns = {
            r.person.bsn
            for r in rows
            if r.person and r.person.bsn and ("p", "bsn", r.person.bsn) not in known
        }
        out.append((matching.person_ids_by_bsn_query(sorted(bsns)), remember(("p", "bsn"))))
        named = {}
        for r in rows:
            p = r.person
            if p and not p.bsn and p.birth_date and ("p",) + p.key() not in known:
                named.setdefault(("p",) + p.key(), p)
        keys = list(named)
        out.append(
            (
                matching.person_ids_by_name_query([named[k] for k in keys]),
                lambda found: known.update({keys[pos]: pk for pos, pk in found.items()}),
            )
        )
        kvks = {
            r.organisation.kvk_number
            for r in rows
            if r.organisation
            and r.organisation.kvk_number
            and ("o", "kvk", r.organisation.kvk_number) not in known
        }
        out.append((matching.organisation_ids_by_kvk_query(sorted(kvks)), remember(("o", "kvk"))))
        addresses = {r.address.key() for r in rows if r.address and ("a",) + r.address.key() not in known}
        out.append((matching.address_ids_by_key_query(sorted(addresses)), remember(("a",))))
        plates = {r.kenteken for r in rows if r.kenteken and ("v", r.kenteken) not in known}
        out.append((matching.vehicle_ids_by_kenteken_query(sorted(plates)), remember(("v",))))
        wanted = {
            Person: sum(1 for r in rows if r.person),
            Organisation: sum(1 for r in rows if r.organisation),
            Address: sum(1 for r in rows if r.address),
            Vehicle: sum(1 for r in rows if r.kenteken),
        }
        self.pool = {}
        for model, n in wanted.items():
            out.append(
                (
                    self.inserts[model].reserve_query(n),
                    lambda ids, model=model: self.pool.__setitem__(model, ids),
                )
            )
        return [(query, apply) for query, apply in out if query is not None]

    def _values(self, model, data) -> tuple[str, tuple]:
        """(the new record's text for its audit entry, its values as ``write`` sends them: BSN
        encrypted)."""
        if model is Person:
            values = _person_values(data)
        elif model is Organisation:
            values = _organisation_values(data)
        elif model is Address:
            values = _address_values(data)
        else:
            values = (data,)
        return _subject_repr(model, values), self.inserts[model].prepare(values)

    def prepare(self, rows: list[ParsedRow]) -> None:
        """The values of the persons and addresses of ``rows`` as new records, computed ahead
        (while PostgreSQL works on the previous batch); ``resolve`` uses those it creates."""
        ready = self.ready
        for r in rows:
            if r.person:
                ready[id(r.person)] = (r.person, self._values(Person, r.person))
            if r.address:
                ready[id(r.address)] = (r.address, self._values(Address, r.address))

    def resolve(self, rows: list[ParsedRow]) -> list[list[tuple[str, int, str]]]:
        """Per row the (kind, id, role) links, after the ``lookups`` of the same rows are answered; records not
        found take ids from the reserved ones and are written by ``statements``."""
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
                entry = ready.pop(id(data), None)
                new[model].append(entry[1] if entry is not None else self._values(model, data))
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
        ids: dict[type, list[int]] = {}
        for model, values in new.items():
            if not values:
                continue
            insert = self.inserts[model]
            ids[model] = self.pool[model][: len(values)]
            self.to_write.append((insert, [(pk, *v[1]) for pk, v in zip(ids[model], values, strict=True)]))
            self.to_write.append(
                (
                    self.audit[model],
                    [(str(pk), pk, v[0]) for pk, v in zip(ids[model], values, strict=True)],
                )
            )
        for key in fresh_keys:
            model, index = known[key]
            known[key] = ids[model][index]
        for links, position, kind, role, model, index in pending:
            links[position] = (kind, ids[model][index], role)
        return per_row

    def statements(self) -> list[tuple[str, list]]:
        """The new records of the last ``resolve`` and their audit entries."""
        out = [insert.statement(rows) for insert, rows in self.to_write]
        self.to_write = []
        return out


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


# signal_refresh_search's vector, from the summary (A) and the text _search_text gives (B).
_SEARCH_VECTOR = (
    "setweight(to_tsvector('dutch', coalesce(summary, '')), 'A')"
    " || setweight(to_tsvector('dutch', search_text), 'B')"
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


class _InsertSelect:
    """``INSERT INTO <model's table> ... SELECT ... <source>``: the given columns as SQL
    expressions over the batch's rows, every other column the value a fresh instance would save
    (as ``_Rows``), passed once as a typed parameter."""

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


class _Signals:
    """A batch of signals with their phenomena, subject links, status history and audit entries
    as one statement: the rows go once, as one array per column (``WITH s AS (SELECT … FROM
    unnest(…))``), and each table is an ``INSERT … SELECT`` from ``s`` in the same statement; the
    search vector is computed on the way in (instead of an insert plus signal_refresh_search's
    update). No staging table, so nothing to empty between batches."""

    # the signal's own columns, as the rows give them after the id (narrative encrypted)
    FIELDS = ["source_id", "received_date", "summary", "narrative", "reliability_source",
              "reliability_information", "legal_regime", "wpg_conditions", "external_ref", "compartment"]  # fmt: skip
    # then the batch's own: the B text of the search vector, the phenomenon ids ("{1,2}") and the
    # subject linked in each role
    EXTRA = [("search_text", "text"), ("phenomena", "text"), ("person", "bigint"), ("organisation", "bigint"),
             ("address", "bigint"), ("vehicle", "bigint")]  # fmt: skip

    def __init__(self, *, actor: User | None, team: OrgUnit, batch: ImportBatch, label: str):
        from auditlog.models import LogEntry

        conn = connections[DEFAULT_DB_ALIAS]
        meta = Signal._meta
        now = timezone.now()
        fields = [meta.get_field(name) for name in self.FIELDS]
        self.prep = _preparers(fields, conn)
        self.pk = _Rows(Signal, [], with_pk=True)  # only for its sequence
        names = ["id", *self.FIELDS, *(name for name, _type in self.EXTRA)]
        types = [_column_type(meta.pk, conn), *(_column_type(f, conn) for f in fields)]
        types += [db_type for _name, db_type in self.EXTRA]
        arrays = ", ".join(f"%s::{db_type}[]" for db_type in types)
        statements = [
            _InsertSelect(
                Signal,
                {"id": "id", **{name: name for name in self.FIELDS}, "search_vector": _SEARCH_VECTOR},
                "FROM s ORDER BY s.id",
                owner_team=team,
                visible_to=[team.team_token],  # what compute_visible_to gives a record without grants
                import_batch=batch,
                created_by=actor,
                status=SignalStatus.RECEIVED,
            ),
            _InsertSelect(
                Signal.phenomena.through,
                {"signal_id": "id", "phenomenon_id": "unnest(phenomena::bigint[])"},
                "FROM s ORDER BY s.id",
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
                "FROM s CROSS JOIN LATERAL (VALUES"
                f" (1, '{SubjectRole.VERDACHTE}', s.person, NULL::bigint, NULL::bigint, NULL::bigint),"
                f" (2, '{SubjectRole.BETROKKENE}', NULL, s.organisation, NULL, NULL),"
                f" (3, '{SubjectRole.LOCATIE}', NULL, NULL, s.address, NULL),"
                f" (4, '{SubjectRole.VOERTUIG}', NULL, NULL, NULL, s.vehicle))"
                " AS k(n, role, person, organisation, address, vehicle)"
                " WHERE coalesce(k.person, k.organisation, k.address, k.vehicle) IS NOT NULL ORDER BY s.id, k.n",
            ),
            _InsertSelect(
                SignalStatusChange,
                {"signal_id": "id"},
                "FROM s ORDER BY s.id",
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
                "FROM s ORDER BY s.id",
                **_audit_constants(Signal, label=label, actor=actor, now=now),
            ),
        ]
        *first, last = statements
        ctes = ", ".join(f"w{i} AS ({statement.sql})" for i, statement in enumerate(first))
        source = f"SELECT * FROM unnest({arrays}) AS s({', '.join(names)})"  # noqa: S608 - names from the models
        self.sql = f"WITH s AS MATERIALIZED ({source}), {ctes} {last.sql}"  # noqa: S608 - names from the models
        self.params = [param for statement in statements for param in statement.params]
        self.width = len(names)
        self.search_texts: dict[tuple, str] = {}

    def prepare(self, rows: list[ParsedRow]) -> dict[int, tuple]:
        """id(row) → the row's own columns as ``write`` sends them (narrative encrypted), and its
        search text and phenomena. Computed ahead, while PostgreSQL writes the batch before."""
        values = {}
        prep, texts = self.prep, self.search_texts
        for r in rows:
            regime = LegalRegime.WPG if r.source.code == SOURCE_POLICE else LegalRegime.AVG
            own = [r.source.pk, r.received_date, r.summary, r.text, r.reliability_source, r.reliability_information,
                   regime, WPG_IMPORT_CONDITIONS if regime == LegalRegime.WPG else "", r.external_ref,
                   compartment_for(source=r.source, legal_regime=regime)]  # fmt: skip
            for i, fn in prep:
                own[i] = fn(own[i])
            values[id(r)] = (
                *own,
                _search_text(r, texts),
                "{" + ",".join(str(p.pk) for p in r.phenomena) + "}",
            )
        return values

    def statement(self, rows: list[tuple]) -> tuple[str, list]:
        """``rows``: (id, *prepared values, person, organisation, address, vehicle)."""
        return self.sql, [*_columns(rows, self.width), *self.params]


def _audit_constants(model, *, label: str, actor: User | None, now) -> dict:
    """What every audit entry of an imported record has in common (its creation by this import)."""
    from auditlog.models import LogEntry

    return {
        "content_type": ContentType.objects.get_for_model(model),
        "action": LogEntry.Action.CREATE,
        "changes": {"import": [None, label]},
        "changes_text": "",
        "actor_id": actor.pk if actor is not None else None,
        "timestamp": now,
    }


def _linked(pairs: list[tuple[str, int, str]]) -> tuple:
    linked = dict.fromkeys(("person", "organisation", "address", "vehicle"))
    for kind, subject_id, _role in pairs:
        linked[kind] = subject_id
    return tuple(linked.values())


def _write(
    batches: Iterator[list[ParsedRow]],
    result: ImportResult,
    *,
    skip_invalid: bool,
    actor: User | None,
    team: OrgUnit,
    batch: ImportBatch,
    progress: Progress | None,
    estimate: int,
) -> int:
    """Write the checked batches as they come; from the first bad row on (without
    ``skip_invalid``) only check the rest, so that every error is reported, and write nothing
    more (the caller rolls back).

    The statements run one after another on the import's connection in a second thread (the
    database thread), so that PostgreSQL works on one batch while Python checks and prepares
    the next on the other core (the waits release the GIL). For each batch the database thread
    first answers which of its rows VIK has already and which subjects exist
    (``_Resolver.lookups``), then writes the batch before it; so Python resolves batch k+1
    while batch k is written:

        Python:    check k+1 | resolve k | check k+2 | resolve k+1 | …
        database:  lookup k+1, write k   | lookup k+2, write k+1   | …

    Lookups only need records that existed before the import: the ones it creates are in the
    resolver's memory. The first error of the database thread ends the import and is raised
    here (the transaction is rolled back by the caller)."""
    from auditlog.models import LogEntry

    conn = connections[DEFAULT_DB_ALIAS]
    label = f"import {batch.pk} {batch.filename}"[:200]
    now = timezone.now()
    signals = _Signals(actor=actor, team=team, batch=batch, label=label)
    audit = {
        model: _Rows(
            LogEntry,
            ["object_pk", "object_id", "object_repr"],
            with_pk=False,
            **_audit_constants(model, label=label, actor=actor, now=now),
        )
        for model in (Person, Organisation, Address, Vehicle)
    }
    resolver = _Resolver(team=team, source=f"import {batch.filename}"[:200], audit=audit)
    done = 0
    # psycopg's own cursors, used by the database thread only (server-side binding: the batch
    # travels as a few array literals, not as SQL that Django's client-side cursor would build
    # value by value); their errors are turned into Django's (IntegrityError) when raised here.
    with conn.wrap_database_errors, conn.cursor(), ThreadPoolExecutor(1, "vik-import-db") as database:
        cur = psycopg.Cursor(conn.connection)

        def answer(queries: list[matching.Query]) -> list[list[tuple]]:
            """The database thread: the lookups of a batch in one round trip."""
            cursors = [psycopg.Cursor(conn.connection) for _query in queries]
            with _pipeline(conn.connection):
                for c, query in zip(cursors, queries, strict=True):
                    c.execute(query.sql, query.params)
            return [c.fetchall() for c in cursors]

        def look_up(rows: list[ParsedRow]) -> Callable[[], tuple[set, list[int]]]:
            """Plan the batch's lookups here, send them, and return how to wait for the answer:
            the signals VIK already has, and ids for the batch's signals. After a bad row (and
            without ``skip_invalid``) only which rows are present: nothing is written any more."""
            present = _present_query(rows)
            lookups = resolver.lookups(rows) if writing() else []
            ids = signals.pk.reserve_query(len(rows) if writing() else 0)
            queries = [*([present] if present else []), *(query for query, _apply in lookups), ids]
            future = database.submit(answer, queries)

            def answered() -> tuple[set, list[int]]:
                try:
                    results = iter(future.result())
                except Exception:
                    # after a failed write the transaction only answers "aborted": raise the cause
                    _raise_first_error(writes)
                    raise
                found = present.decode(next(results)) if present else set()
                for query, apply in lookups:
                    apply(query.decode(next(results)))
                return found, ids.decode(next(results))

            return answered

        def write(statements: list[tuple[str, list]]) -> None:
            for sql, params in statements:
                cur.execute(sql, params)

        def writing() -> bool:
            return skip_invalid or not result.errors

        def checked() -> tuple[list[ParsedRow] | None, dict[int, tuple]]:
            """The next batch, checked, and (while writing) its rows prepared."""
            rows = next(batches, None)
            if rows is None or not writing():
                return rows, {}
            resolver.prepare(rows)
            return rows, signals.prepare(rows)

        writes: list[Future] = []
        chunk, prepared = checked()
        looked_up = look_up(chunk) if chunk is not None else None
        following, prepared_following = checked()  # while the first batch is looked up
        while chunk is not None:
            present, ids = looked_up()
            _raise_first_error(writes)
            todo, _result = _drop_present(chunk, result, None, present)
            statements: list[tuple[str, list]] = []
            if writing() and todo:
                links = resolver.resolve(todo)  # while the batch before is written
                rows = [
                    (pk, *prepared[id(r)], *_linked(pairs))
                    for pk, r, pairs in zip(ids[: len(todo)], todo, links, strict=True)
                ]
                statements = [*resolver.statements(), signals.statement(rows)]
                done += len(rows)
            if following is not None:
                looked_up = look_up(following)
            if statements:
                writes.append(database.submit(write, statements))
            chunk, prepared = following, prepared_following
            if chunk is not None:
                following, prepared_following = checked()  # while this batch is written
            if progress:
                total = max(estimate, result.total) if chunk is not None else result.total
                progress("write", result.total, total)
        wait(writes)
        _raise_first_error(writes)
    return done


def _pipeline(connection: psycopg.Connection) -> AbstractContextManager:
    """psycopg's pipeline mode where the libpq underneath has it (14 and later); otherwise the
    statements run one after another, with the same result."""
    if psycopg.Pipeline.is_supported():
        return connection.pipeline()
    return nullcontext()


def _raise_first_error(futures: list[Future]) -> None:
    """The first failed statement's error (later ones only say the transaction is aborted)."""
    for future in futures:
        if future.done() and future.exception() is not None:
            raise future.exception()


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
    with _without_cycle_collector(), _quick_thread_switches():
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


@contextmanager
def _quick_thread_switches() -> Iterator[None]:
    """The interpreter's thread switch interval at 0.1 ms for the import (default 5 ms): the
    database thread needs the GIL for a moment after each answer from PostgreSQL, and waiting up
    to 5 ms each time for the checking thread to let go doubled its time per batch (issue #26).
    Back to its previous value afterwards."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, 0.0001))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def _estimate_rows(data: bytes) -> int:
    """The number of rows for the progress bar before they are read: the lines of a CSV file
    (a cell with a line break counts twice), unknown (0) for XLSX."""
    return 0 if data.startswith(b"PK\x03\x04") else max(data.count(b"\n") - 1, 0)


def _line_number(message: str) -> int:
    found = re.search(r"\d+", message)
    return int(found.group()) if found else 0


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
    """Check and write in one pass (``_write``): the file is checked batch by batch while the
    batch before is written, inside one transaction that is rolled back when a row turns out
    bad (unless ``skip_invalid``) or the file breaks off. The result is the one ``parse_rows``
    gives plus the number imported."""
    result = ImportResult()
    try:
        columns, rows = _open_table(data, filename)
    except ImportFileError as exc:
        result.file_error, rows = exc.message, None
    if batch is None:
        batch = ImportBatch.objects.create(
            created_by=actor, owner_team=team, filename=filename[:255], skip_invalid=skip_invalid
        )
    if rows is not None:
        try:
            with transaction.atomic():
                result.imported = _write(
                    _checked(columns, rows, result),
                    result,
                    skip_invalid=skip_invalid,
                    actor=actor,
                    team=team,
                    batch=batch,
                    progress=progress,
                    estimate=_estimate_rows(data),
                )
                if result.errors and not skip_invalid:
                    transaction.set_rollback(True)
                    result.imported = 0
        except ImportFileError as exc:  # halfway: too many rows, broken XML further down
            result = ImportResult(file_error=exc.message)
        except IntegrityError:
            result.imported = 0
            result.file_error = _(
                "Een ander import of invoer schreef tegelijk dezelfde signalen; er is niets geïmporteerd. Probeer het opnieuw."
            )
        # rows named twice in the file were found while checking, rows already in VIK per batch
        result.already_present.sort(key=_line_number)
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
        _("%(n)s regels gelezen") % {"n": nl_int(result.total)},
        _("%(n)s geïmporteerd") % {"n": nl_int(result.imported)},
        _("%(n)s al aanwezig") % {"n": nl_int(len(result.already_present))},
        _("%(n)s ongeldig") % {"n": nl_int(len(result.errors))},
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
