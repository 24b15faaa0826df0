"""BRP API Bewoning v2: who was registered at an adresseerbaar object on a date or in a period.
``POST {base}/bewoningen``; the answer has no ``fields``: it is fixed by the API."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vik.core import identifiers as ids

from .base import RegistryClient, RegistryRefused, need, opt
from .brp import BSN_RE, parse_date


@dataclass(frozen=True)
class Bewoner:
    bsn: str
    naam: str
    birth_date: date | None
    birth_date_text: str
    geheimhouding: bool
    in_onderzoek: bool
    possible: bool  # a "mogelijke bewoner": a start or end date is (partly) unknown


@dataclass(frozen=True)
class Bewoning:
    adresseerbaar_object: str
    start: date
    end: date  # exclusive, as the API gives it
    bewoners: tuple[Bewoner, ...]
    many: bool  # indicatieVeelBewoners: more than 100, composition not determined


def clean_object_id(value: str) -> str:
    try:
        return ids.clean_bag_verblijfsobject(value)
    except ValidationError as exc:
        raise RegistryRefused(exc.messages[0], field="adresseerbaar_object")


class BrpBewoningClient(RegistryClient):
    name = "bewoning"

    def in_period(self, object_id: str, start: date, end: date) -> list[Bewoning]:
        object_id = clean_object_id(object_id)
        if end <= start:
            raise RegistryRefused(_("De einddatum moet na de begindatum liggen."), field="end")
        return self._query(
            {
                "type": "BewoningMetPeriode",
                "adresseerbaarObjectIdentificatie": object_id,
                "datumVan": start.isoformat(),
                "datumTot": end.isoformat(),
            }
        )

    def on_date(self, object_id: str, day: date) -> list[Bewoning]:
        object_id = clean_object_id(object_id)
        return self._query(
            {
                "type": "BewoningMetPeildatum",
                "adresseerbaarObjectIdentificatie": object_id,
                "peildatum": day.isoformat(),
            }
        )

    def _query(self, body: dict) -> list[Bewoning]:
        data = self.request("POST", "/bewoningen", payload=body, idempotent=False).body
        items = need(self, data, "bewoningen", list, "")
        return [self._bewoning(item, f"bewoningen[{n}]") for n, item in enumerate(items)]

    def _bewoning(self, item, where: str) -> Bewoning:
        aoid = need(self, item, "adresseerbaarObjectIdentificatie", str, where)
        if not re.fullmatch(r"(?!0{16})[0-9]{16}", aoid):
            raise self.contract_error(f"{where}.adresseerbaarObjectIdentificatie does not match the pattern")
        periode = need(self, item, "periode", dict, where)
        try:
            start = date.fromisoformat(need(self, periode, "datumVan", str, f"{where}.periode"))
            end = date.fromisoformat(need(self, periode, "datumTot", str, f"{where}.periode"))
        except ValueError:
            raise self.contract_error(f"{where}.periode is not made of ISO dates")
        people = [
            self._bewoner(b, f"{where}.bewoners[{n}]", False)
            for n, b in enumerate(opt(self, item, "bewoners", list, where, []))
        ]
        people += [
            self._bewoner(b, f"{where}.mogelijkeBewoners[{n}]", True)
            for n, b in enumerate(opt(self, item, "mogelijkeBewoners", list, where, []))
        ]
        many = opt(self, item, "indicatieVeelBewoners", bool, where, False)
        return Bewoning(aoid, start, end, tuple(people), many)

    def _bewoner(self, item, where: str, possible: bool) -> Bewoner:
        bsn = need(self, item, "burgerservicenummer", str, where)
        if not BSN_RE.match(bsn):
            raise self.contract_error(f"{where}.burgerservicenummer does not match the pattern")
        naam = opt(self, item, "naam", dict, where, {})
        geboorte = opt(self, item, "geboorte", dict, where, {})
        birth, text = parse_date(self, geboorte.get("datum"), f"{where}.geboorte.datum")
        return Bewoner(
            bsn=bsn,
            naam=opt(self, naam, "volledigeNaam", str, f"{where}.naam", ""),
            birth_date=birth,
            birth_date_text=text,
            geheimhouding=opt(self, item, "geheimhoudingPersoonsgegevens", bool, where, False),
            in_onderzoek=opt(self, item, "inOnderzoek", bool, where, False),
            possible=possible,
        )
