"""KvK Handelsregister: Zoeken API v2 (by number, or name and place) and Basisprofiel API v1
(names, SBI activities, main establishment). KvK errors are ``{"fout": [...]}``, not
problem+json; ``base`` turns both into Dutch."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vik.core import identifiers as ids

from .base import RegistryClient, RegistryRefused, need, opt


@dataclass(frozen=True)
class KvkHit:
    kvk_number: str
    vestigingsnummer: str
    name: str
    kind: str
    town: str
    active: bool


@dataclass(frozen=True)
class Sbi:
    code: str
    description: str
    main: bool


@dataclass(frozen=True)
class KvkAddress:
    street: str
    house_number: int | None
    house_letter: str
    addition: str
    postcode: str
    town: str
    shielded: bool
    full: str


@dataclass(frozen=True)
class KvkProfile:
    kvk_number: str
    name: str
    statutory_name: str
    trade_names: tuple[str, ...]
    legal_form: str
    rsin: str
    registered_on: str
    sbi: tuple[Sbi, ...]
    vestigingsnummer: str
    address: KvkAddress | None
    employees: int | None


def clean_kvk(value: str) -> str:
    try:
        return ids.clean_kvk_number(value)
    except ValidationError as exc:
        raise RegistryRefused(exc.messages[0], field="kvk_number")


class KvkClient(RegistryClient):
    name = "kvk"

    def search(self, *, kvk_number: str = "", name: str = "", town: str = "") -> list[KvkHit]:
        query: dict = {}
        if kvk_number:
            query["kvkNummer"] = clean_kvk(kvk_number)
        else:
            name = " ".join((name or "").split())
            if len(name) < 2:
                raise RegistryRefused(
                    _("Geef een KvK-nummer of ten minste 2 tekens van de naam."), field="name"
                )
            query["naam"] = name[:200]
            if town:
                query["plaats"] = " ".join(town.split())[:80]
        data = self.request("GET", "/v2/zoeken", query=query, idempotent=True, not_found_ok=True).body
        if data is None:  # KvK answers 404 when nothing is found
            return []
        items = need(self, data, "resultaten", list, "")
        return [self._hit(item, f"resultaten[{n}]") for n, item in enumerate(items)]

    def profile(self, kvk_number: str) -> KvkProfile | None:
        number = clean_kvk(kvk_number)
        data = self.request("GET", f"/v1/basisprofielen/{number}", idempotent=True, not_found_ok=True).body
        if data is None:
            return None
        got = need(self, data, "kvkNummer", str, "")
        if got != number:
            raise self.contract_error("kvkNummer differs from the question")
        sbi = []
        for n, item in enumerate(opt(self, data, "sbiActiviteiten", list, "", [])):
            where = f"sbiActiviteiten[{n}]"
            code = need(self, item, "sbiCode", str, where)
            if not re.fullmatch(r"[0-9]{2,6}", code):
                raise self.contract_error(f"{where}.sbiCode does not match the pattern")
            sbi.append(
                Sbi(
                    code,
                    opt(self, item, "sbiOmschrijving", str, where, ""),
                    item.get("indHoofdactiviteit") == "Ja",
                )
            )
        embedded = opt(self, data, "_embedded", dict, "", {})
        main = opt(self, embedded, "hoofdvestiging", dict, "_embedded", {})
        owner = opt(self, embedded, "eigenaar", dict, "_embedded", {})
        address = None
        for n, adr in enumerate(opt(self, main, "adressen", list, "hoofdvestiging", [])):
            if not isinstance(adr, dict):
                raise self.contract_error(f"hoofdvestiging.adressen[{n}] is not an object")
            if adr.get("type") == "bezoekadres" or address is None:
                address = self._address(adr, f"hoofdvestiging.adressen[{n}]")
        names = opt(self, data, "handelsnamen", list, "", [])
        trade = tuple(
            str(h.get("naam"))
            for h in sorted(names, key=lambda h: h.get("volgorde") or 0)
            if isinstance(h, dict)
        )
        rsin = opt(self, owner, "rsin", str, "eigenaar", "")
        if rsin and not re.fullmatch(r"[0-9]{9}", rsin):
            raise self.contract_error("eigenaar.rsin does not match the pattern")
        return KvkProfile(
            kvk_number=got,
            name=need(self, data, "naam", str, ""),
            statutory_name=opt(self, data, "statutaireNaam", str, "", ""),
            trade_names=trade,
            legal_form=opt(self, owner, "rechtsvorm", str, "eigenaar", ""),
            rsin=rsin,
            registered_on=opt(self, data, "formeleRegistratiedatum", str, "", ""),
            sbi=tuple(sbi),
            vestigingsnummer=opt(self, main, "vestigingsnummer", str, "hoofdvestiging", ""),
            address=address,
            employees=opt(self, data, "totaalWerkzamePersonen", int, ""),
        )

    def _hit(self, item, where: str) -> KvkHit:
        number = need(self, item, "kvkNummer", str, where)
        if not re.fullmatch(r"[0-9]{8}", number):
            raise self.contract_error(f"{where}.kvkNummer does not match the pattern")
        adres = opt(self, item, "adres", dict, where, {})
        binnen = adres.get("binnenlandsAdres") if isinstance(adres, dict) else None
        town = str(binnen.get("plaats") or "") if isinstance(binnen, dict) else ""
        return KvkHit(
            kvk_number=number,
            vestigingsnummer=opt(self, item, "vestigingsnummer", str, where, ""),
            name=need(self, item, "naam", str, where),
            kind=opt(self, item, "type", str, where, ""),
            town=town,
            active=item.get("actief", "Ja") != "Nee",
        )

    def _address(self, adr: dict, where: str) -> KvkAddress:
        pc = opt(self, adr, "postcode", str, where, "").replace(" ", "").upper()
        return KvkAddress(
            street=opt(self, adr, "straatnaam", str, where, ""),
            house_number=opt(self, adr, "huisnummer", int, where),
            house_letter=opt(self, adr, "huisletter", str, where, ""),
            addition=opt(self, adr, "huisnummerToevoeging", str, where, ""),
            postcode=pc,
            town=opt(self, adr, "plaats", str, where, ""),
            shielded=adr.get("indAfgeschermd") == "Ja",
            full=opt(self, adr, "volledigAdres", str, where, ""),
        )
