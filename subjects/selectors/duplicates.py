"""``likely_duplicates``: candidates shown before a new record is saved and on the merge screen."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import TrigramSimilarity
from django.utils.translation import gettext as _

from vik.core import identifiers as ids
from vik.core.encryption import blind_index
from vik.core.models import User

from ..constants import SubjectKind
from ..models import Address, Organisation, Person, SubjectBase
from ..names import organisation_key, search_key, unaccent_lower
from .common import (
    DUPLICATE_NAME_THRESHOLD,
    DUPLICATE_NAME_WITH_BIRTH_DATE,
    address_list,
    organisation_list,
    person_list,
    subject_label,
    subject_url,
    vehicle_list,
)
from .search import _resident_ids

# --- likely duplicates ------------------------------------------------------------------------------


@dataclass
class DuplicateCandidate:
    obj: SubjectBase
    reason: str
    score: float

    @property
    def kind(self) -> str:
        return self.obj.kind  # type: ignore[attr-defined]

    @property
    def url(self) -> str:
        return subject_url(self.obj.kind, self.obj.pk)  # type: ignore[attr-defined]

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
        qs = organisation_list(user=user)  # type: ignore[assignment]
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
        qs = address_list(user=user)  # type: ignore[assignment]
        bag = re.sub(r"\D", "", data.get("bag_nummeraanduiding") or "")
        if bag:
            add(qs.filter(bag_nummeraanduiding=bag)[:limit], _("zelfde BAG-nummeraanduiding"), 3.0)  # type: ignore[misc]
        postcode, number = data.get("postcode"), data.get("house_number")
        if postcode and number:
            try:
                pc = ids.clean_postcode(postcode)
            except Exception:
                pc = ""
            if pc:
                same = qs.filter(postcode=pc, house_number=int(number))  # type: ignore[misc]
                letter = (data.get("house_letter") or "").upper()
                addition = (data.get("house_number_addition") or "").upper()
                add(
                    same.filter(house_letter=letter, house_number_addition=addition)[:limit],  # type: ignore[misc]
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
    return {"kenteken": obj.kenteken}  # type: ignore[attr-defined]
