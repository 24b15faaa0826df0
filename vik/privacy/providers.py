"""The seams through which domain apps plug into privacy operations (docs/privacy-providers.md).

``vik.privacy`` imports no domain app. Each app registers, in its ``AppConfig.ready()``:

* a **retention class** per record class of DOMAIN §2 (``register_retention_class``): what is
  due under a rule, and how to destroy or anonymise one record;
* a **person resolver** (the subjects app, ``register_person_resolver``): turns a person pk
  into a :class:`DataSubject` for access requests;
* **DSAR sections** (``register_dsar_section``): what the app holds on a person, with the parts
  it withholds and their legal ground;
* **rectifiers** (``register_rectifier``): apply a corrected text to one field of a record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from .constants import WithholdingGround

DueFn = Callable[[Any, date], Iterable[tuple[str, int, date]]]
RecordFn = Callable[[str, int], None]


@dataclass(frozen=True)
class RetentionClass:
    code: str
    label: str
    due: DueFn
    destroy: RecordFn
    anonymise: RecordFn | None = None


@dataclass
class DataSubject:
    """A person as resolved by the subjects app. ``obj`` is the app's own object (for its own
    providers); VIK's privacy code uses only the other fields."""

    pk: int
    display_name: str
    model_label: str = "subjects.person"
    identity: dict[str, Any] = field(default_factory=dict)
    obj: Any = None


@dataclass
class DsarItem:
    title: str
    date: str = ""  # ISO date or empty
    purpose: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    retention: str = ""  # e.g. "tot 15-03-2031 (bewaarregel: Afgesloten dossier)"


@dataclass
class Withheld:
    description: str  # what is withheld, without revealing it ("1 melding van Meld Misdaad Anoniem")
    ground: str  # a WithholdingGround value
    detail: str = ""

    @property
    def ground_label(self) -> str:
        try:
            return str(WithholdingGround(self.ground).label)
        except ValueError:
            return self.ground


@dataclass
class DsarSection:
    code: str
    label: str
    items: list[DsarItem] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)
    # other records about the person whose access-log rows count as "who received the data"
    log_refs: list[tuple[str, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "items": [asdict(i) for i in self.items],
            "withheld": [{**asdict(w), "ground_label": w.ground_label} for w in self.withheld],
        }


@dataclass(frozen=True)
class DsarProvider:
    code: str
    label: str
    fn: Callable[[DataSubject, Any], DsarSection]


_retention: dict[str, RetentionClass] = {}
_dsar: dict[str, DsarProvider] = {}
_person_resolvers: list[Callable[[int], DataSubject | None]] = []
_rectifiers: dict[str, Callable[..., str]] = {}
_rectifier_fields: dict[str, tuple[str, dict[str, str]]] = {}


def register_retention_class(
    code: str, label: str, *, due: DueFn, destroy: RecordFn, anonymise: RecordFn | None = None
) -> None:
    """``due(rule, today)`` yields ``(model_label, pk, anchor_date)`` for records of this class
    whose retention may have ended (pre-filter with ``anchor <= rule.anchor_cutoff(today)``).
    ``destroy``/``anonymise(model_label, pk)`` run inside a transaction, must be idempotent
    (a missing record is fine) and remove the content everywhere the app keeps it."""
    _retention[code] = RetentionClass(code, label, due, destroy, anonymise)


def unregister_retention_class(code: str) -> None:
    _retention.pop(code, None)


def retention_classes() -> dict[str, RetentionClass]:
    return dict(_retention)


def register_dsar_section(code: str, label: str, fn: Callable[[DataSubject, Any], DsarSection]) -> None:
    """``fn(person, user) -> DsarSection`` for an access request about ``person``."""
    _dsar[code] = DsarProvider(code, label, fn)


def unregister_dsar_section(code: str) -> None:
    _dsar.pop(code, None)


def dsar_sections() -> list[DsarProvider]:
    return list(_dsar.values())


def register_person_resolver(fn: Callable[[int], DataSubject | None]) -> None:
    """``fn(pk) -> DataSubject | None`` (None when no such person)."""
    if fn not in _person_resolvers:
        _person_resolvers.append(fn)


def unregister_person_resolver(fn: Callable[[int], DataSubject | None]) -> None:
    if fn in _person_resolvers:
        _person_resolvers.remove(fn)


_person_finders: list[Callable[..., list[DataSubject]]] = []


def register_person_finder(fn: Callable[..., list[DataSubject]]) -> None:
    """``fn(*, name, birth_date, bsn, postcode, house_number) -> list[DataSubject]``: persons that
    fit what the data subject told us, so that a request starts from a search, not a number."""
    if fn not in _person_finders:
        _person_finders.append(fn)


def find_persons(**query) -> list[DataSubject]:
    found: dict[int, DataSubject] = {}
    for fn in _person_finders:
        for person in fn(**query):
            found.setdefault(person.pk, person)
    return list(found.values())


def resolve_person(pk: int) -> DataSubject | None:
    for fn in _person_resolvers:
        person = fn(pk)
        if person is not None:
            return person
    return None


def register_rectifier(
    model_label: str, fn: Callable[..., str], *, kind: str = "", fields: dict[str, str] | None = None
) -> None:
    """``fn(pk, field_name, new_text) -> original_text``: apply a rectification to one field
    (raise ``ApplicationError`` when the record or field does not exist). ``kind`` and
    ``fields`` (field name -> human label) let the rectification form offer the fields by name."""
    _rectifiers[model_label] = fn
    _rectifier_fields[model_label] = (kind or model_label, dict(fields or {}))


def unregister_rectifier(model_label: str) -> None:
    _rectifiers.pop(model_label, None)
    _rectifier_fields.pop(model_label, None)


def rectifiable_fields() -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(kind label, [(field name, field label), ...]), ...]`` for the rectification form."""
    return [
        (str(kind), [(name, str(label)) for name, label in fields.items()])
        for kind, fields in _rectifier_fields.values()
        if fields
    ]


def rectifier_field_label(model_label: str, field_name: str) -> str:
    _kind, fields = _rectifier_fields.get(model_label, ("", {}))
    return str(fields.get(field_name, field_name))


def rectifiable_labels() -> set[str]:
    return set(_rectifiers)


# --- record finders: pick a record by what people know of it, never by an internal number -------


@dataclass
class FoundRecord:
    """One record a finder turned up, described in human words (no model label, no number)."""

    model_label: str
    pk: int
    kind: str  # "Persoon", "Organisatie", "Adres", "Signaal"
    label: str  # "Jan Jansen", "Hoofdstraat 1, Deventer", "Signaal S-12"
    detail: str = ""  # "geboren 14-03-1979", "ontvangen 03-12-2026, over Jan Jansen"

    @property
    def ref(self) -> str:
        return f"{self.model_label}:{self.pk}"


_record_finders: list[Callable[..., list[FoundRecord]]] = []
_record_expanders: list[Callable[[list[FoundRecord]], list[FoundRecord]]] = []


def register_record_finder(fn: Callable[..., list[FoundRecord]]) -> None:
    """``fn(*, name, birth_date, bsn, postcode, house_number) -> list[FoundRecord]``: subjects
    (persons, organisations, addresses) that fit what the requester told us."""
    if fn not in _record_finders:
        _record_finders.append(fn)


def register_record_expander(fn: Callable[[list[FoundRecord]], list[FoundRecord]]) -> None:
    """``fn(found) -> list[FoundRecord]``: the app's records about the subjects found (a signal
    about the person), so that a hold or rectification can be put on them too."""
    if fn not in _record_expanders:
        _record_expanders.append(fn)


def find_records(**query) -> list[FoundRecord]:
    found: dict[str, FoundRecord] = {}
    for fn in _record_finders:
        for rec in fn(**query):
            found.setdefault(rec.ref, rec)
    subjects = list(found.values())
    for fn in _record_expanders:
        for rec in fn(subjects):
            found.setdefault(rec.ref, rec)
    return list(found.values())


def parse_record_ref(value: str) -> tuple[str, int] | None:
    """``"subjects.person:60"`` -> ``("subjects.person", 60)``; None when malformed."""
    label, _sep, pk = (value or "").strip().partition(":")
    if not label or "." not in label or not pk.isdigit() or int(pk) < 1:
        return None
    return label.lower(), int(pk)


def rectifier_for(model_label: str) -> Callable[..., str] | None:
    return _rectifiers.get(model_label)
