"""BRP API Personen (Haal Centraal BRP bevragen v2): ``POST {base}/personen``.

Three questions: by BSN (raadplegen), by surname + birth date, by postcode + house number. The
``fields`` list is never "everything": the caller passes the allowlist for the user's role and
purpose (``registries.fields``). Input is checked before any call; the answer is checked against
the contract before anything is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vik.core import identifiers as ids

from .base import RegistryClient, RegistryRefused, need, opt

BSN_RE = re.compile(r"^[0-9]{9}$")
FIELD_RE = re.compile(r"^[a-zA-Z0-9._]{1,200}$")
# Added by the BRP itself when they apply; asking for them is a 400 (REGISTRIES.md §1.2).
AUTOMATIC_FIELDS = {
    "geheimhoudingPersoonsgegevens",
    "inOnderzoek",
    "opschortingBijhouding",
    "rni",
    "verificatie",
    "indicatieVastgesteldVerblijftNietOpAdres",
}


@dataclass(frozen=True)
class BrpAddress:
    street: str
    house_number: int | None
    house_letter: str
    addition: str
    postcode: str
    town: str
    adresseerbaar_object: str
    nummeraanduiding: str
    kind: str  # Adres, Locatie, VerblijfplaatsBuitenland, VerblijfplaatsOnbekend
    description: str  # one line for the screen


@dataclass(frozen=True)
class BrpPerson:
    bsn: str
    voornamen: str = ""
    voorvoegsel: str = ""
    geslachtsnaam: str = ""
    volledige_naam: str = ""
    birth_date: date | None = None
    birth_date_text: str = ""
    birth_place: str = ""
    geslacht: str = ""
    address: BrpAddress | None = None
    geheimhouding: bool = False
    in_onderzoek: tuple[str, ...] = ()
    opschorting: str = ""
    deceased: bool = False
    raw_fields: tuple[str, ...] = field(default=())

    @property
    def markings(self) -> list[str]:
        out = []
        if self.geheimhouding:
            out.append(_("Geheimhouding persoonsgegevens: niet verstrekken aan derden"))
        if self.in_onderzoek:
            out.append(_("In onderzoek bij de BRP: %(f)s") % {"f": ", ".join(self.in_onderzoek)})
        if self.deceased:
            out.append(_("Overleden"))
        elif self.opschorting:
            out.append(_("Bijhouding opgeschort: %(r)s") % {"r": self.opschorting})
        return out


def parse_date(client: RegistryClient, value, where: str) -> tuple[date | None, str]:
    """The polymorphic AbstractDatum: only a full ``Datum`` becomes a date."""
    if value is None:
        return None, ""
    if not isinstance(value, dict):
        raise client.contract_error(f"{where} is not a date object")
    kind = need(client, value, "type", str, where)
    text = opt(client, value, "langFormaat", str, where, "")
    if kind == "Datum":
        raw = need(client, value, "datum", str, where)
        try:
            return date.fromisoformat(raw), text
        except ValueError:
            raise client.contract_error(f"{where}.datum is not an ISO date")
    if kind in ("DatumOnbekend", "JaarDatum", "JaarMaandDatum"):
        return None, text
    raise client.contract_error(f"{where}.type {kind!r} is unknown")


def _waarde(client, obj: dict, key: str, where: str) -> str:
    value = opt(client, obj, key, dict, where)
    if value is None:
        return ""
    return str(value.get("omschrijving") or value.get("code") or "")


def _in_onderzoek(client, obj: dict, where: str) -> list[str]:
    flags = opt(client, obj, "inOnderzoek", dict, where, {})
    return sorted(k for k, v in flags.items() if v is True)


class BrpPersonenClient(RegistryClient):
    name = "brp"

    # --- input checks: refused before any call --------------------------------------------------

    @staticmethod
    def clean_bsn(value: str) -> str:
        try:
            return ids.clean_bsn(value)
        except ValidationError as exc:
            raise RegistryRefused(exc.messages[0], field="bsn")

    @staticmethod
    def clean_fields(fields: list[str]) -> list[str]:
        clean = [f for f in fields if FIELD_RE.match(f) and f.split(".")[0] not in AUTOMATIC_FIELDS]
        if not clean or len(clean) > 130:
            raise ValueError("BRP fields must be a non-empty allowlist of at most 130 paths")
        return clean

    # --- questions ------------------------------------------------------------------------------

    def by_bsn(self, bsns: list[str], *, fields: list[str]) -> list[BrpPerson]:
        bsns = [self.clean_bsn(b) for b in bsns]
        if not 1 <= len(bsns) <= 20:
            raise RegistryRefused(_("Vraag 1 tot 20 BSN's tegelijk op."), field="bsn")
        return self._query({"type": "RaadpleegMetBurgerservicenummer", "burgerservicenummer": bsns}, fields)

    def by_name_and_birth_date(self, geslachtsnaam: str, birth_date: date, *, fields: list[str]):
        name = " ".join((geslachtsnaam or "").split())
        if not re.fullmatch(r"[a-zA-Z0-9À-ž .\-']{1,200}", name):
            raise RegistryRefused(
                _("Vul een geslachtsnaam in (letters, spatie, punt, koppelteken)."), field="geslachtsnaam"
            )
        return self._query(
            {
                "type": "ZoekMetGeslachtsnaamEnGeboortedatum",
                "geslachtsnaam": name,
                "geboortedatum": birth_date.isoformat(),
            },
            fields,
        )

    def by_postcode(self, postcode: str, house_number: int, *, fields: list[str]):
        try:
            pc = ids.clean_postcode(postcode)
        except ValidationError as exc:
            raise RegistryRefused(exc.messages[0], field="postcode")
        if not isinstance(house_number, int) or not 1 <= house_number <= 99999:
            raise RegistryRefused(_("Een huisnummer ligt tussen 1 en 99999."), field="house_number")
        return self._query(
            {"type": "ZoekMetPostcodeEnHuisnummer", "postcode": pc, "huisnummer": house_number}, fields
        )

    def _query(self, body: dict, fields: list[str]) -> list[BrpPerson]:
        body = {**body, "fields": self.clean_fields(fields)}
        response = self.request("POST", "/personen", payload=body, idempotent=False)
        data = response.body
        if not isinstance(data, dict):
            raise self.contract_error("top level is not an object")
        if need(self, data, "type", str, "") != body["type"]:
            raise self.contract_error("type differs from the question")
        items = need(self, data, "personen", list, "")
        return [self._person(item, f"personen[{n}]") for n, item in enumerate(items)]

    def _person(self, item, where: str) -> BrpPerson:
        if not isinstance(item, dict):
            raise self.contract_error(f"{where} is not an object")
        bsn = need(self, item, "burgerservicenummer", str, where)
        if not BSN_RE.match(bsn):
            raise self.contract_error(f"{where}.burgerservicenummer does not match the pattern")
        naam = opt(self, item, "naam", dict, where, {})
        geboorte = opt(self, item, "geboorte", dict, where, {})
        birth, birth_text = parse_date(self, geboorte.get("datum"), f"{where}.geboorte.datum")
        opschorting = opt(self, item, "opschortingBijhouding", dict, where)
        reden_code, reden = "", ""
        if opschorting is not None:
            reden_obj = opt(self, opschorting, "reden", dict, f"{where}.opschortingBijhouding", {})
            reden_code = str(reden_obj.get("code") or "")
            reden = str(reden_obj.get("omschrijving") or reden_code)
        geheim = item.get("geheimhoudingPersoonsgegevens", False)
        if not isinstance(geheim, bool):
            raise self.contract_error(f"{where}.geheimhoudingPersoonsgegevens is not a boolean")
        onderzoek = _in_onderzoek(self, item, where)
        address = self._address(opt(self, item, "verblijfplaats", dict, where), f"{where}.verblijfplaats")
        if address is not None:
            onderzoek += [f"verblijfplaats.{f}" for f in _in_onderzoek(self, item["verblijfplaats"], where)]
        for part, label in ((naam, "naam"), (geboorte, "geboorte")):
            onderzoek += [f"{label}.{f}" for f in _in_onderzoek(self, part, f"{where}.{label}")]
        return BrpPerson(
            bsn=bsn,
            voornamen=opt(self, naam, "voornamen", str, f"{where}.naam", ""),
            voorvoegsel=opt(self, naam, "voorvoegsel", str, f"{where}.naam", ""),
            geslachtsnaam=opt(self, naam, "geslachtsnaam", str, f"{where}.naam", ""),
            volledige_naam=opt(self, naam, "volledigeNaam", str, f"{where}.naam", ""),
            birth_date=birth,
            birth_date_text=birth_text,
            birth_place=_waarde(self, geboorte, "plaats", f"{where}.geboorte"),
            geslacht=_waarde(self, item, "geslacht", where),
            address=address,
            geheimhouding=geheim,
            in_onderzoek=tuple(sorted(set(onderzoek))),
            opschorting=reden,
            deceased=reden_code == "O",
            raw_fields=tuple(sorted(item)),
        )

    def _address(self, vp: dict | None, where: str) -> BrpAddress | None:
        if vp is None:
            return None
        kind = need(self, vp, "type", str, where)
        adres = opt(self, vp, "verblijfadres", dict, where, {})
        if kind == "Adres":
            nr = opt(self, adres, "huisnummer", int, f"{where}.verblijfadres")
            street = opt(self, adres, "officieleStraatnaam", str, where, "") or opt(
                self, adres, "korteStraatnaam", str, where, ""
            )
            pc = opt(self, adres, "postcode", str, where, "").replace(" ", "").upper()
            town = opt(self, adres, "woonplaats", str, where, "")
            letter = opt(self, adres, "huisletter", str, where, "")
            addition = opt(self, adres, "huisnummertoevoeging", str, where, "")
            aoid = opt(self, vp, "adresseerbaarObjectIdentificatie", str, where, "")
            nad = opt(self, vp, "nummeraanduidingIdentificatie", str, where, "")
            for value, label in (
                (aoid, "adresseerbaarObjectIdentificatie"),
                (nad, "nummeraanduidingIdentificatie"),
            ):
                if value and not re.fullmatch(r"(?!0{16})[0-9]{16}", value):
                    raise self.contract_error(f"{where}.{label} does not match the pattern")
            line = f"{street} {nr or ''}{letter}{'-' + addition if addition else ''}, {pc} {town}".strip()
            return BrpAddress(street, nr, letter, addition, pc, town, aoid, nad, kind, line)
        if kind == "Locatie":
            text = opt(self, adres, "locatiebeschrijving", str, where, "")
        elif kind == "VerblijfplaatsBuitenland":
            text = ", ".join(str(adres.get(k)) for k in ("regel1", "regel2", "regel3") if adres.get(k))
        elif kind == "VerblijfplaatsOnbekend":
            text = _("verblijfplaats onbekend")
        else:
            raise self.contract_error(f"{where}.type {kind!r} is unknown")
        return BrpAddress("", None, "", "", "", "", "", "", kind, text)
