"""Reads of subjects and objects, always need-to-know filtered in SQL (``vik.core.access``).

- ``subject_search``: one query box over the four kinds (fuzzy surname through the pg_trgm GIN
  index, exact identifiers, narrowing by initials, birth date, postcode + house number); needs a
  purpose and writes exactly one access-log row per search.
- ``likely_duplicates``: candidates shown before a new record is saved and on the merge screen.
- ``subject_links`` / ``subject_addresses`` / ``subject_timeline``: the subject page.
- ``subject_network``: two hops over links, hubs collapsed, capped.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    DecimalField,
    Expression,
    F,
    JSONField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Greatest, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from vik.core import identifiers as ids
from vik.core.access import restrict, visible_q
from vik.core.accesslog import Shown, log_access, log_shown
from vik.core.constants import AccessAction
from vik.core.encryption import blind_index
from vik.core.exceptions import ApplicationError, PurposeRequired
from vik.core.models import User
from vik.core.registry import TimelineEntry, registry

from .constants import LinkType, SubjectKind
from .models import Address, Link, MergeRecord, Organisation, Person, SubjectBase, Vehicle
from .names import VOORVOEGSELS, normalise_initials, organisation_key, search_key, unaccent_lower
from .permissions import MODELS

logger = logging.getLogger(__name__)

PER_KIND_LIMIT = 25
FUZZY_THRESHOLD = 0.3  # pg_trgm's default for the % operator
DUPLICATE_NAME_THRESHOLD = 0.5  # a similar name alone
DUPLICATE_NAME_WITH_BIRTH_DATE = 0.35  # a similar name with the same birth date (one swapped letter is ~0.4)
ADDRESS_LINK_TYPES = [
    LinkType.WOONT_OP,
    LinkType.GEVESTIGD_OP,
    LinkType.HUURDER_VAN,
    LinkType.EIGENAAR_VAN,
    LinkType.GEBRUIKER_VAN,
]


def subject_url(kind: str, pk: int) -> str:
    return reverse(f"subjects:{kind}_detail", kwargs={"pk": pk})


def subject_label(obj: SubjectBase) -> str:
    if isinstance(obj, Vehicle):
        return ids.format_kenteken(obj.kenteken)
    return str(obj)


def live(qs: QuerySet, user: User) -> QuerySet:
    """Visible to the user and not merged away."""
    return restrict(qs, user).filter(merged_into_id__isnull=True)


def person_list(*, user: User) -> QuerySet[Person]:
    return live(Person.objects.all(), user)


def organisation_list(*, user: User) -> QuerySet[Organisation]:
    return live(Organisation.objects.all(), user)


def address_list(*, user: User) -> QuerySet[Address]:
    return live(Address.objects.all(), user)


def vehicle_list(*, user: User) -> QuerySet[Vehicle]:
    return live(Vehicle.objects.all(), user)


def link_list(*, user: User) -> QuerySet[Link]:
    return restrict(Link.objects.all(), user)


# --- search -------------------------------------------------------------------------------------


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    given: list[str] = field(default_factory=list)
    surname: str = ""
    initials: str = ""
    birth_date: date | None = None
    postcode: str = ""
    house_number: int | None = None
    kvk: str = ""
    vestigingsnummer: str = ""
    nine_digits: str = ""  # a valid BSN or RSIN
    bag_id: str = ""
    kenteken: str = ""

    @property
    def empty(self) -> bool:
        return not any(
            [
                self.words,
                self.initials,
                self.birth_date,
                self.postcode,
                self.house_number,
                self.kvk,
                self.vestigingsnummer,
                self.nine_digits,
                self.bag_id,
                self.kenteken,
            ]
        )


@dataclass
class SearchHit:
    kind: str
    id: int
    label: str
    detail: str
    score: float
    url: str
    reason: str = ""

    @property
    def kind_label(self) -> str:
        return str(SubjectKind(self.kind).label)


@dataclass
class SearchResult:
    query: str
    parsed: ParsedQuery
    hits: list[SearchHit]


_DATE_PATTERNS = [
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
]


def _parse_date(token: str) -> date | None:
    for pattern, order in _DATE_PATTERNS:
        m = pattern.match(token)
        if m:
            parts = dict(zip(order, (int(g) for g in m.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise ApplicationError(_("%(t)s is geen bestaande datum.") % {"t": token}, field="q")
    return None


def _split_name(words: list[str]) -> tuple[list[str], str]:
    """["Jan", "van", "der", "Berg"] -> (["Jan"], "berg"); ["Jansen"] -> ([], "jansen")."""
    lowered = [w.lower() for w in words]
    for i in range(len(words)):
        rest = " ".join(lowered[i:])
        for prefix in VOORVOEGSELS:
            if rest.startswith(prefix + " ") and len(rest) > len(prefix) + 1:
                return words[:i], search_key(" ".join(words[i:]))
    return words[:-1], search_key(words[-1]) if words else ""


def parse_query(query: str, filters: dict[str, Any] | None = None) -> ParsedQuery:
    """Read one search box: identifiers by their shape, the rest as a name or street."""
    parsed = ParsedQuery()
    tokens = (query or "").replace(",", " ").split()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        compact = re.sub(r"[.\-\s]", "", token)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if re.fullmatch(r"\d{4}", token) and re.fullmatch(r"[A-Za-z]{2}", nxt):
            parsed.postcode = ids.clean_postcode(token + nxt) if _is_postcode(token + nxt) else ""
            i += 2
            continue
        if re.fullmatch(r"\d{4}[A-Za-z]{2}", token) and _is_postcode(token):
            parsed.postcode = ids.clean_postcode(token)
        elif (d := _parse_date(token)) is not None:
            parsed.birth_date = d
        elif compact.isdigit() and len(compact) == 9:
            if not ids.is_valid_bsn(compact):
                raise ApplicationError(
                    _("%(n)s is geen geldig BSN of RSIN: het voldoet niet aan de elfproef.") % {"n": compact},
                    field="q",
                )
            parsed.nine_digits = compact
        elif compact.isdigit() and len(compact) == 8:
            parsed.kvk = compact
        elif compact.isdigit() and len(compact) == 12:
            parsed.vestigingsnummer = compact
        elif compact.isdigit() and len(compact) == 16:
            parsed.bag_id = compact
        elif compact.isdigit() and len(compact) <= 5:
            parsed.house_number = int(compact)
        elif ids.looks_like_kenteken(token) and any(c.isdigit() for c in compact):
            parsed.kenteken = ids.clean_kenteken(token)
        elif re.fullmatch(r"([A-Za-z]\.)+[A-Za-z]?\.?", token) and "." in token:
            parsed.initials = normalise_initials(token)
        elif compact.isdigit():
            raise ApplicationError(
                _(
                    "%(n)s heeft %(c)s cijfers; zoek op een BSN (9), KvK-nummer (8), vestigingsnummer (12) of BAG-id (16)."
                )
                % {"n": compact, "c": len(compact)},
                field="q",
            )
        else:
            parsed.words.append(token)
        i += 1
    _apply_filters(parsed, filters or {})
    if parsed.words:
        parsed.given, parsed.surname = _split_name(parsed.words)
    return parsed


def _is_postcode(value: str) -> bool:
    try:
        ids.clean_postcode(value)
    except Exception:
        return False
    return True


def _apply_filters(parsed: ParsedQuery, filters: dict[str, Any]) -> None:
    """Explicit narrowing fields of the advanced search form (already validated by the form)."""
    if filters.get("initials"):
        parsed.initials = normalise_initials(filters["initials"])
    if filters.get("birth_date"):
        parsed.birth_date = filters["birth_date"]
    if filters.get("postcode"):
        parsed.postcode = ids.clean_postcode(filters["postcode"])
    if filters.get("house_number"):
        parsed.house_number = int(filters["house_number"])
    if filters.get("kvk_number"):
        parsed.kvk = ids.clean_kvk_number(filters["kvk_number"])
    if filters.get("kenteken"):
        parsed.kenteken = ids.clean_kenteken(filters["kenteken"])
    if filters.get("bsn"):
        parsed.nine_digits = ids.clean_bsn(filters["bsn"])


def _mask(query: str) -> str:
    """Access-log detail: the query without BSN digits (the log must not hold plaintext BSNs)."""
    return re.sub(
        r"\d[\d.\- ]{7,10}\d",
        lambda m: "#########" if len(re.sub(r"\D", "", m.group())) == 9 else m.group(),
        query,
    )


def _resident_ids(user: User, postcode: str, house_number: int | None) -> QuerySet:
    addresses = Address.objects.filter(visible_q(user, Address), postcode=postcode)
    if house_number:
        addresses = addresses.filter(house_number=house_number)
    return Link.objects.filter(
        visible_q(user, Link),
        from_kind=SubjectKind.PERSON,
        to_kind=SubjectKind.ADDRESS,
        to_id__in=addresses.values("pk"),
    ).values("from_id")


def _search_persons(user: User, p: ParsedQuery) -> list[SearchHit]:
    qs = person_list(user=user)
    exact = False
    if p.nine_digits:
        qs = qs.filter(bsn_index=blind_index(p.nine_digits))
        exact = True
    if p.surname:
        key = p.surname
        qs = qs.filter(
            Q(name_normalised__trigram_similar=key)
            | Q(name_normalised__startswith=key)
            | Q(alias_keys__trigram_word_similar=key)
        )
        qs = qs.annotate(
            score=Greatest(
                TrigramSimilarity("name_normalised", key), TrigramWordSimilarity(key, "alias_keys") * 0.9
            )
        )
    elif not exact and not p.birth_date and not p.initials and not (p.postcode and not p.words):
        return []
    else:
        qs = qs.annotate(score=Value(1.0))
    initials = p.initials or "".join(f"{unaccent_lower(g)[0].upper()}." for g in p.given if unaccent_lower(g))
    if initials:
        qs = qs.filter(initials__startswith=initials)
    if p.birth_date:
        qs = qs.filter(birth_date=p.birth_date)
    if p.postcode:
        qs = qs.filter(pk__in=_resident_ids(user, p.postcode, p.house_number))
    rows = qs.order_by("-score", "name_normalised", "pk")[:PER_KIND_LIMIT]
    hits = []
    for person in rows:
        bits = [
            f"{_('geboren')} {person.birth_date:%d-%m-%Y}" if person.birth_date else "",
            person.birth_place,
        ]
        score = float(person.score) + (2.0 if exact else 0.0) + (0.2 if p.birth_date else 0.0)
        hits.append(
            SearchHit(
                SubjectKind.PERSON,
                person.pk,
                str(person),
                ", ".join(b for b in bits if b),
                score,
                subject_url("person", person.pk),
            )
        )
    return hits


def _search_organisations(user: User, p: ParsedQuery) -> list[SearchHit]:
    qs = organisation_list(user=user)
    exact = False
    if p.kvk:
        qs, exact = qs.filter(kvk_number=p.kvk), True
    if p.vestigingsnummer:
        qs, exact = qs.filter(vestigingsnummer=p.vestigingsnummer), True
    if p.nine_digits:
        qs, exact = qs.filter(rsin=p.nine_digits), True
    if p.words and not p.postcode and not p.birth_date and not p.initials:
        key = organisation_key(" ".join(p.words))
        qs = qs.filter(
            Q(name_normalised__trigram_similar=key)
            | Q(name_normalised__startswith=key)
            | Q(name_normalised__contains=key)
            | Q(alias_keys__trigram_word_similar=key)
        ).annotate(
            score=Greatest(
                TrigramSimilarity("name_normalised", key), TrigramWordSimilarity(key, "alias_keys") * 0.9
            )
        )
    elif exact:
        qs = qs.annotate(score=Value(1.0))
    else:
        return []
    rows = qs.order_by("-score", "name", "pk")[:PER_KIND_LIMIT]
    return [
        SearchHit(
            SubjectKind.ORGANISATION,
            org.pk,
            org.name,
            " · ".join(
                b
                for b in [f"KvK {org.kvk_number}" if org.kvk_number else "", org.get_legal_form_display()]
                if b
            ),
            float(org.score) + (2.0 if exact else 0.0),
            subject_url("organisation", org.pk),
        )
        for org in rows
    ]


def _search_addresses(user: User, p: ParsedQuery) -> list[SearchHit]:
    qs = address_list(user=user)
    if p.bag_id:
        qs = qs.filter(Q(bag_nummeraanduiding=p.bag_id) | Q(bag_verblijfsobject=p.bag_id)).annotate(
            score=Value(3.0)
        )
    elif p.postcode:
        qs = qs.filter(postcode=p.postcode)
        if p.house_number:
            qs = qs.filter(house_number=p.house_number)
        qs = qs.annotate(score=Value(3.0 if p.house_number else 2.0))
    elif p.words and (p.house_number or len(" ".join(p.words)) >= 4) and not p.birth_date and not p.initials:
        street = " ".join(p.words)
        qs = qs.filter(street__unaccent__icontains=street)
        if p.house_number:
            qs = qs.filter(house_number=p.house_number)
        qs = qs.annotate(
            score=Greatest(TrigramSimilarity("street", street), Value(0.3)) + (0.5 if p.house_number else 0)
        )
    else:
        return []
    rows = qs.order_by("-score", "street", "house_number", "pk")[:PER_KIND_LIMIT]
    return [
        SearchHit(
            SubjectKind.ADDRESS, a.pk, str(a), a.wijk_code, float(a.score), subject_url("address", a.pk)
        )
        for a in rows
    ]


def _search_vehicles(user: User, p: ParsedQuery) -> list[SearchHit]:
    if not p.kenteken:
        return []
    rows = vehicle_list(user=user).filter(kenteken=p.kenteken).order_by("pk")[:PER_KIND_LIMIT]
    return [
        SearchHit(
            SubjectKind.VEHICLE,
            v.pk,
            ids.format_kenteken(v.kenteken),
            " ".join(b for b in [v.make, v.model_name, v.colour] if b),
            3.0,
            subject_url("vehicle", v.pk),
        )
        for v in rows
    ]


def subject_search(
    *,
    user: User,
    query: str,
    purpose: object | None,
    filters: dict[str, Any] | None = None,
    request=None,
    kinds: list[str] | None = None,
    limit: int = 50,
) -> SearchResult:
    """Search the four kinds at once; ranked (exact identifiers first, then similarity).

    Refused without a purpose (``PurposeRequired``). A search that runs writes exactly one
    access-log row (action ``search``) carrying the purpose."""
    if not purpose:
        raise PurposeRequired(
            _(
                "Geef eerst een doel op (een zaak of een reden) voordat u personen, organisaties of adressen zoekt."
            )
        )
    query = " ".join((query or "").split())[:200]
    parsed = parse_query(query, filters)
    if parsed.empty:
        return SearchResult(query, parsed, [])
    kinds = kinds or list(MODELS)
    hits: list[SearchHit] = []
    searchers = {
        SubjectKind.PERSON: _search_persons,
        SubjectKind.ORGANISATION: _search_organisations,
        SubjectKind.ADDRESS: _search_addresses,
        SubjectKind.VEHICLE: _search_vehicles,
    }
    for kind in kinds:
        hits += searchers[kind](user, parsed)
    hits.sort(key=lambda h: (-h.score, h.label.lower(), h.kind, h.id))
    hits = hits[:limit]
    log_access(
        user=user,
        action=AccessAction.SEARCH,
        purpose=str(purpose),
        detail=f"zoekvraag: {_mask(query)} · {len(hits)} resultaten",
        request=request,
    )
    # each hit names a record: one read row per hit, in one statement
    log_shown(
        user=user,
        request=request,
        shown=[(Shown(f"subjects.{h.kind}", h.id, h.label), str(purpose)) for h in hits],
        detail="zoekresultaat",
    )
    return SearchResult(query, parsed, hits)


# --- likely duplicates ------------------------------------------------------------------------------


@dataclass
class DuplicateCandidate:
    obj: SubjectBase
    reason: str
    score: float

    @property
    def kind(self) -> str:
        return self.obj.kind

    @property
    def url(self) -> str:
        return subject_url(self.obj.kind, self.obj.pk)

    @property
    def label(self) -> str:
        return subject_label(self.obj)


def likely_duplicates(
    *, user: User, kind: str, data: dict[str, Any], exclude_pk: int | None = None, limit: int = 10
) -> list[DuplicateCandidate]:
    """Records the user may see that look like the one being entered: same identifier first,
    then a similar name with the same birth date, then the same address."""
    found: dict[int, DuplicateCandidate] = {}

    def add(objs, reason: str, score: float) -> None:
        for obj in objs:
            if obj.pk == exclude_pk or obj.pk in found:
                continue
            found[obj.pk] = DuplicateCandidate(obj, reason, score)

    if kind == SubjectKind.PERSON:
        qs = person_list(user=user)
        bsn = (data.get("bsn") or "").strip()
        if bsn and ids.is_valid_bsn(bsn):
            add(qs.filter(bsn_index=blind_index(ids.clean_bsn(bsn)))[:limit], _("zelfde BSN"), 3.0)
        last = data.get("geslachtsnaam") or ""
        key = search_key(f"{data.get('voorvoegsel') or ''} {last}".strip()) if last else ""
        if key:
            similar = qs.filter(name_normalised__trigram_similar=key).annotate(
                sim=TrigramSimilarity("name_normalised", key)
            )
            bd = data.get("birth_date")
            if bd:
                add(
                    similar.filter(birth_date=bd, sim__gte=DUPLICATE_NAME_WITH_BIRTH_DATE).order_by("-sim")[
                        :limit
                    ],
                    _("lijkt op de naam, zelfde geboortedatum"),
                    2.0,
                )
                add(
                    similar.filter(birth_date__isnull=True, sim__gte=DUPLICATE_NAME_THRESHOLD).order_by(
                        "-sim"
                    )[:limit],
                    _("lijkt op de naam, geboortedatum onbekend"),
                    1.0,
                )
            else:
                similar = similar.filter(sim__gte=DUPLICATE_NAME_THRESHOLD)
                given = unaccent_lower(data.get("voornamen") or "")
                if given:
                    similar = similar.filter(initials__startswith=given[0].upper())
                add(similar.order_by("-sim")[:limit], _("lijkt op de naam"), 1.0)
        postcode, number = data.get("postcode"), data.get("house_number")
        if postcode and number:
            try:
                pc = ids.clean_postcode(postcode)
            except Exception:
                pc = ""
            if pc:
                add(
                    qs.filter(pk__in=_resident_ids(user, pc, int(number)))[:limit],
                    _("woont op hetzelfde adres"),
                    0.5,
                )
    elif kind == SubjectKind.ORGANISATION:
        qs = organisation_list(user=user)
        for fld, label in (
            ("kvk_number", _("zelfde KvK-nummer")),
            ("rsin", _("zelfde RSIN")),
            ("vestigingsnummer", _("zelfde vestigingsnummer")),
        ):
            value = re.sub(r"\D", "", data.get(fld) or "")
            if value:
                add(qs.filter(**{fld: value})[:limit], label, 3.0)
        name = data.get("name") or ""
        if name:
            key = organisation_key(name)
            similar = qs.filter(name_normalised__trigram_similar=key).annotate(
                sim=TrigramSimilarity("name_normalised", key)
            )
            add(
                similar.filter(sim__gte=DUPLICATE_NAME_THRESHOLD).order_by("-sim")[:limit],
                _("lijkt op de naam"),
                1.0,
            )
    elif kind == SubjectKind.ADDRESS:
        qs = address_list(user=user)
        bag = re.sub(r"\D", "", data.get("bag_nummeraanduiding") or "")
        if bag:
            add(qs.filter(bag_nummeraanduiding=bag)[:limit], _("zelfde BAG-nummeraanduiding"), 3.0)
        postcode, number = data.get("postcode"), data.get("house_number")
        if postcode and number:
            try:
                pc = ids.clean_postcode(postcode)
            except Exception:
                pc = ""
            if pc:
                same = qs.filter(postcode=pc, house_number=int(number))
                letter = (data.get("house_letter") or "").upper()
                addition = (data.get("house_number_addition") or "").upper()
                add(
                    same.filter(house_letter=letter, house_number_addition=addition)[:limit],
                    _("zelfde postcode en huisnummer"),
                    2.0,
                )
                add(same[:limit], _("zelfde postcode en huisnummer, andere toevoeging"), 1.0)
    elif kind == SubjectKind.VEHICLE:
        raw = data.get("kenteken") or ""
        if raw and ids.looks_like_kenteken(raw):
            add(
                vehicle_list(user=user).filter(kenteken=ids.clean_kenteken(raw))[:limit],
                _("zelfde kenteken"),
                3.0,
            )
    return sorted(found.values(), key=lambda c: (-c.score, c.label))[:limit]


def duplicate_data(obj: SubjectBase) -> dict[str, Any]:
    """The fields ``likely_duplicates`` looks at, taken from an existing record (merge screen)."""
    if isinstance(obj, Person):
        return {
            "geslachtsnaam": obj.geslachtsnaam,
            "voornamen": obj.voornamen,
            "birth_date": obj.birth_date,
            "bsn": obj.bsn or "",
        }
    if isinstance(obj, Organisation):
        return {
            "name": obj.name,
            "kvk_number": obj.kvk_number,
            "rsin": obj.rsin,
            "vestigingsnummer": obj.vestigingsnummer,
        }
    if isinstance(obj, Address):
        return {
            "bag_nummeraanduiding": obj.bag_nummeraanduiding,
            "postcode": obj.postcode,
            "house_number": obj.house_number,
            "house_letter": obj.house_letter,
            "house_number_addition": obj.house_number_addition,
        }
    return {"kenteken": obj.kenteken}


# --- the subject page ---------------------------------------------------------------------------------


@dataclass
class LinkRow:
    link: Link
    outgoing: bool
    other_kind: str
    other: SubjectBase

    @property
    def other_url(self) -> str:
        return subject_url(self.other_kind, self.other.pk)

    @property
    def other_label(self) -> str:
        return subject_label(self.other)

    @property
    def other_kind_label(self) -> str:
        return str(SubjectKind(self.other_kind).label)

    @property
    def phrase(self) -> str:
        """Read from the subject's side: "woont op" or "(bewoner) ← woont op"."""
        label = self.link.get_link_type_display()
        return label if self.outgoing else _("%(t)s (omgekeerd)") % {"t": label}


def _row_json(model: type[Model]) -> JSONObject:
    """Every plain column of ``model`` as one JSON object, so rows of several tables (or a
    record's merges) come back in a single query. Columns that need decoding on read (the
    encrypted BSN) are left out: they stay deferred and load only if a caller touches them."""
    columns: dict[str, Expression | str] = {}
    for f in model._meta.concrete_fields:
        if hasattr(f, "from_db_value") and not isinstance(f, JSONField):
            continue
        columns[f.attname] = Cast(f.attname, CharField()) if isinstance(f, DecimalField) else f.attname
    return JSONObject(**columns)


def _from_row_json(model: type[Model], row: dict[str, Any]) -> Model:
    """The model instance for a row made by ``_row_json`` (the values typed as the ORM would)."""
    names, values = [], []
    for f in model._meta.concrete_fields:
        if f.attname not in row:
            continue
        value = row[f.attname]
        if value is not None:
            if isinstance(f, DateTimeField):
                value = parse_datetime(value)
            elif isinstance(f, DateField):
                value = date.fromisoformat(value)
            elif isinstance(f, DecimalField):
                value = Decimal(value)
        names.append(f.attname)
        values.append(value)
    return model.from_db(DEFAULT_DB_ALIAS, names, values)


def _visible_objects(user: User, wanted: dict[str, set[int]]) -> dict[tuple[str, int], SubjectBase]:
    """The wanted records the user may see, every kind in one query (a UNION ALL of the
    need-to-know filtered kinds), keyed by (kind, pk)."""
    parts = [
        restrict(MODELS[kind].objects.filter(pk__in=pks), user)
        .order_by()
        .annotate(_kind=Value(kind, output_field=CharField()), _row=_row_json(MODELS[kind]))
        .values_list("_kind", "_row")
        for kind, pks in wanted.items()
        if pks
    ]
    if not parts:
        return {}
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    out: dict[tuple[str, int], SubjectBase] = {}
    for kind, row in combined:
        obj = _from_row_json(MODELS[kind], row)
        out[(kind, obj.pk)] = obj
    return out


def subject_links(*, user: User, subject: SubjectBase) -> list[LinkRow]:
    """Links of a subject the user may see whose other end the user may also see, current first."""
    kind = subject.kind
    links = list(
        link_list(user=user)
        .filter(Q(from_kind=kind, from_id=subject.pk) | Q(to_kind=kind, to_id=subject.pk))
        .order_by(F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True), "-pk")[:1000]
    )
    wanted: dict[str, set[int]] = defaultdict(set)
    for link in links:
        outgoing = link.from_kind == kind and link.from_id == subject.pk
        other_kind, other_id = (link.to_kind, link.to_id) if outgoing else (link.from_kind, link.from_id)
        wanted[other_kind].add(other_id)
    objects = _visible_objects(user, wanted)
    rows = []
    for link in links:
        outgoing = link.from_kind == kind and link.from_id == subject.pk
        other_kind, other_id = (link.to_kind, link.to_id) if outgoing else (link.from_kind, link.from_id)
        other = objects.get((other_kind, other_id))
        if other is not None:
            rows.append(LinkRow(link, outgoing, other_kind, other))
    return rows


def subject_addresses(rows: list[LinkRow]) -> list[LinkRow]:
    """Addresses over time (or, on an address page, the persons and organisations there)."""
    return [
        r
        for r in rows
        if r.link.link_type in ADDRESS_LINK_TYPES and (r.other_kind == SubjectKind.ADDRESS or not r.outgoing)
    ]


def _sort_key(entry: TimelineEntry) -> tuple:
    value = entry.date
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return (value.date(), value)
    if isinstance(value, date):
        return (value, datetime.combine(value, time.min))
    return (date.min, datetime.min)


def _merges_of(kind: str, pk: Any) -> QuerySet[MergeRecord]:
    return (
        MergeRecord.objects.filter(kind=kind)
        .filter(Q(survivor_id=pk) | Q(duplicate_id=pk))
        .order_by("-created_at")
    )


def merge_rows(kind: str) -> ArraySubquery:
    """Annotation for the subject query (``merge_rows=merge_rows(kind)``): the record's merges
    come along with the record itself, so the subject page needs no query of its own for them."""
    return ArraySubquery(_merges_of(kind, OuterRef("pk")).values(row=_row_json(MergeRecord))[:50])


def subject_merges(*, subject: SubjectBase) -> list[MergeRecord]:
    """Merges this record took part in (as survivor or as duplicate), newest first."""
    rows = getattr(subject, "merge_rows", None)
    if rows is not None:
        return [_from_row_json(MergeRecord, row) for row in rows]
    return list(_merges_of(subject.kind, subject.pk)[:50])


def _own_timeline(
    user: User, subject: SubjectBase, rows: list[LinkRow], merges: list[MergeRecord]
) -> list[TimelineEntry]:
    entries = []
    for row in rows:
        text = f"{row.phrase}: {row.other_label}"
        if row.link.start_date:
            entries.append(
                TimelineEntry(
                    row.link.start_date, "link", _("Relatie begonnen – %(t)s") % {"t": text}, row.other_url
                )
            )
        if row.link.end_date:
            entries.append(
                TimelineEntry(
                    row.link.end_date, "link", _("Relatie beëindigd – %(t)s") % {"t": text}, row.other_url
                )
            )
    for merge in merges:
        title = _("Samengevoegd: %(d)s opgegaan in %(s)s") % {
            "d": merge.snapshot.get("duplicate_label", merge.duplicate_id),
            "s": merge.snapshot.get("survivor_label", merge.survivor_id),
        }
        entries.append(
            TimelineEntry(
                merge.created_at, "merge", title, reverse("subjects:merge_detail", kwargs={"pk": merge.pk})
            )
        )
        if merge.undone_at:
            entries.append(TimelineEntry(merge.undone_at, "merge", _("Samenvoeging ongedaan gemaakt"), ""))
    return entries


TIMELINE_KIND_LABELS = {
    "signal": _lazy("Signalen"),
    "measure": _lazy("Maatregelen"),
    "deadline": _lazy("Termijnen"),
    "bibob": _lazy("Bibob"),
    "meeting": _lazy("Casustafel"),
    "link": _lazy("Relaties"),
    "merge": _lazy("Samenvoegingen"),
}


def subject_timeline(
    *,
    user: User,
    subject: SubjectBase,
    rows: list[LinkRow],
    kind: str = "",
    merges: list[MergeRecord] | None = None,
) -> tuple[list[TimelineEntry], list[str]]:
    """One timeline of everything connected to the subject, newest first. Other apps add their
    entries through ``registry.timeline`` providers (each filters for the user itself). Returns
    the entries (filtered by ``kind`` when given) and every kind that occurs."""
    if merges is None:
        merges = subject_merges(subject=subject)
    entries = _own_timeline(user, subject, rows, merges)
    for provider in registry.timeline:
        try:
            entries += list(provider(user, subject) or [])
        except Exception:  # one broken provider must not take the subject page down
            logger.exception("timeline provider %s failed", getattr(provider, "__name__", provider))
    kinds = sorted({e.kind for e in entries})
    if kind:
        entries = [e for e in entries if e.kind == kind]
    entries.sort(key=_sort_key, reverse=True)
    return entries, kinds


# --- network --------------------------------------------------------------------------------------------

HUB_THRESHOLD = 25
MAX_NODES = 500


def _node_id(kind: str, pk: int) -> str:
    return f"{kind}-{pk}"


def _links_touching(user: User, nodes: list[tuple[str, int]], cap: int) -> list[dict]:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, pk in nodes:
        by_kind[kind].append(pk)
    q = Q()
    for kind, pks in by_kind.items():
        q |= Q(from_kind=kind, from_id__in=pks) | Q(to_kind=kind, to_id__in=pks)
    return list(
        link_list(user=user)
        .filter(q)
        .order_by("pk")
        .values("pk", "from_kind", "from_id", "to_kind", "to_id", "link_type", "end_date")[:cap]
    )


def _degrees(user: User, nodes: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """Visible links per node, in one query (the grouped counts of both link ends, combined)."""
    if not nodes:
        return {}
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, pk in nodes:
        by_kind[kind].append(pk)
    parts = []
    for end in ("from", "to"):
        q = Q()
        for kind, pks in by_kind.items():
            q |= Q(**{f"{end}_kind": kind, f"{end}_id__in": pks})
        parts.append(
            link_list(user=user)
            .filter(q)
            .order_by()
            .values_list(f"{end}_kind", f"{end}_id")
            .annotate(n=Count("pk"))
        )
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for kind, pk, n in parts[0].union(parts[1], all=True):
        counts[(kind, pk)] += n
    return counts


def subject_network(
    *,
    user: User,
    subject: SubjectBase,
    hops: int = 2,
    hub_threshold: int = HUB_THRESHOLD,
    max_nodes: int = MAX_NODES,
) -> dict:
    """The subject's links to ``hops`` hops, only through and to records the user may see. A node
    (other than the subject) with more than ``hub_threshold`` links is not expanded: it gets a
    count node instead. At most ``max_nodes`` nodes."""
    root = (subject.kind, subject.pk)
    objects: dict[tuple[str, int], SubjectBase] = {root: subject}
    depth: dict[tuple[str, int], int] = {root: 0}
    edges: dict[int, dict] = {}
    hubs: dict[tuple[str, int], int] = {}
    truncated = False
    type_labels = dict(LinkType.choices)
    frontier = [root]
    for level in range(1, hops + 1):
        if not frontier:
            break
        links = _links_touching(user, frontier, cap=max_nodes * 20)
        per_node: dict[tuple[str, int], list[dict]] = defaultdict(list)
        frontier_set = set(frontier)
        for link in links:
            a, b = (link["from_kind"], link["from_id"]), (link["to_kind"], link["to_id"])
            if a in frontier_set:
                per_node[a].append(link)
            if b in frontier_set and b != a:
                per_node[b].append(link)
        candidates: dict[str, set[int]] = defaultdict(set)
        expand: list[tuple[tuple[str, int], list[dict]]] = []
        for node in frontier:
            node_links = per_node.get(node, [])
            if node != root and len(node_links) > hub_threshold:
                hubs[node] = len(node_links)
                continue
            expand.append((node, node_links))
            for link in node_links:
                for end in ((link["from_kind"], link["from_id"]), (link["to_kind"], link["to_id"])):
                    if end not in objects:
                        candidates[end[0]].add(end[1])
        visible = _visible_objects(user, candidates)
        next_frontier: list[tuple[str, int]] = []
        for node, node_links in expand:
            for link in node_links:
                a, b = (link["from_kind"], link["from_id"]), (link["to_kind"], link["to_id"])
                other = b if a == node else a
                if other not in objects:
                    obj = visible.get(other)
                    if obj is None or obj.is_merged:
                        continue
                    if len(objects) >= max_nodes:
                        truncated = True
                        continue
                    objects[other] = obj
                    depth[other] = level
                    next_frontier.append(other)
                edges[link["pk"]] = {
                    "id": f"link-{link['pk']}",
                    "source": _node_id(*a),
                    "target": _node_id(*b),
                    "label": str(type_labels.get(link["link_type"], link["link_type"])),
                    "ended": link["end_date"] is not None,
                }
        frontier = next_frontier
    # The outer ring is not expanded; still mark its hubs so the graph shows "+N relaties".
    for node, count in _degrees(user, frontier).items():
        if count > hub_threshold:
            hubs[node] = count
    nodes = []
    for key, obj in objects.items():
        kind, pk = key
        nodes.append(
            {
                "id": _node_id(kind, pk),
                "kind": kind,
                "kind_label": str(SubjectKind(kind).label),
                "label": subject_label(obj),
                "url": subject_url(kind, pk),
                "depth": depth[key],
                "root": key == root,
                "hub": key in hubs,
            }
        )
    for key, count in hubs.items():
        kind, pk = key
        hub_id = f"hub-{kind}-{pk}"
        nodes.append(
            {
                "id": hub_id,
                "kind": "count",
                "kind_label": _("Verzameling"),
                "label": _("+%(n)s relaties") % {"n": count},
                "url": subject_url(kind, pk),
                "depth": depth[key] + 1,
                "root": False,
                "hub": False,
                "count": count,
            }
        )
        edges[f"hub-{kind}-{pk}"] = {
            "id": f"edge-{hub_id}",
            "source": _node_id(kind, pk),
            "target": hub_id,
            "label": "",
            "ended": False,
        }
    return {
        "nodes": nodes,
        "edges": list(edges.values()),
        "truncated": truncated,
        "hub_threshold": hub_threshold,
        "max_nodes": max_nodes,
    }


def network_shown(network: dict) -> list[Shown]:
    """The records a network view names (its subject nodes, not the "+N" hubs), for the log."""
    shown = []
    for node in network["nodes"]:
        if node["kind"] in SubjectKind.values:
            pk = int(node["id"].rsplit("-", 1)[1])
            shown.append(Shown(f"subjects.{node['kind']}", pk, node["label"]))
    return shown
