"""``subject_search``: one query box over the four kinds (fuzzy surname through the pg_trgm GIN
index, exact identifiers, narrowing by initials, birth date, postcode + house number); needs a
purpose and writes exactly one access-log row per search."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from vik.core import identifiers as ids
from vik.core.access import visible_q
from vik.core.accesslog import Shown, log_access, log_shown
from vik.core.constants import AccessAction
from vik.core.encryption import blind_index
from vik.core.exceptions import ApplicationError, PurposeRequired
from vik.core.models import User

from ..constants import SubjectKind
from ..models import Address, Link, StreetKey
from ..names import VOORVOEGSELS, normalise_initials, organisation_key, search_key, unaccent_lower
from ..permissions import MODELS
from .common import PER_KIND_LIMIT, address_list, organisation_list, person_list, subject_url, vehicle_list

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
        # accent- and case-blind substring, answered by the trigram index on the same expression
        # (subjects_address_street_trgm) instead of unaccenting every address
        qs = qs.alias(street_key=StreetKey(F("street"))).filter(street_key__contains=StreetKey(Value(street)))
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
        hits += searchers[kind](user, parsed)  # type: ignore[index]
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
        shown=[(Shown(f"subjects.{h.kind}", h.id, h.label), str(purpose)) for h in hits],  # type: ignore[misc]
        detail="zoekresultaat",
    )
    return SearchResult(query, parsed, hits)
