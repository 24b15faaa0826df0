"""BAG API Individuele Bevragingen v2 (Kadaster): addresses by postcode + house number or by
identification, and the adresseerbaar object (use, floor area, buildings, point)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vik.core import identifiers as ids

from .base import RegistryClient, RegistryRefused, need, opt

ID16 = re.compile(r"^[0-9]{16}$")


@dataclass(frozen=True)
class BagAddress:
    nummeraanduiding: str
    street: str
    house_number: int
    house_letter: str
    addition: str
    postcode: str
    town: str
    adresseerbaar_object: str
    panden: tuple[str, ...]
    in_onderzoek: tuple[str, ...]

    @property
    def line(self) -> str:
        nr = f"{self.house_number}{self.house_letter}" + (f"-{self.addition}" if self.addition else "")
        pc = f"{self.postcode[:4]} {self.postcode[4:]}" if len(self.postcode) == 6 else self.postcode
        return f"{self.street} {nr}, {pc} {self.town}"


@dataclass(frozen=True)
class BagObject:
    identificatie: str
    kind: str  # Verblijfsobject, Ligplaats, Standplaats
    gebruiksdoelen: tuple[str, ...]
    oppervlakte: int | None
    status: str
    panden: tuple[str, ...]
    point: tuple[float, float] | None  # RD New (epsg:28992)


class BagClient(RegistryClient):
    name = "bag"

    def by_postcode(self, postcode: str, house_number: int, *, house_letter: str = "", addition: str = ""):
        try:
            pc = ids.clean_postcode(postcode)
        except ValidationError as exc:
            raise RegistryRefused(exc.messages[0], field="postcode")
        if not isinstance(house_number, int) or not 1 <= house_number <= 99999:
            raise RegistryRefused(_("Een huisnummer ligt tussen 1 en 99999."), field="house_number")
        query: dict = {"postcode": pc, "huisnummer": house_number}
        if house_letter:
            if not re.fullmatch(r"[a-zA-Z]", house_letter):
                raise RegistryRefused(_("Een huisletter is één letter."), field="house_letter")
            query["huisletter"] = house_letter
        if addition:
            if not re.fullmatch(r"[0-9a-zA-Z]{1,4}", addition):
                raise RegistryRefused(_("Een toevoeging is 1 tot 4 letters of cijfers."), field="addition")
            query["huisnummertoevoeging"] = addition
        if house_letter or addition:
            query["exacteMatch"] = "true"
        data = self.request("GET", "/adressen", query=query, idempotent=True, not_found_ok=True).body
        if data is None:
            return []
        embedded = opt(self, data, "_embedded", dict, "", {})
        items = opt(self, embedded, "adressen", list, "_embedded", [])
        return [self._address(item, f"adressen[{n}]") for n, item in enumerate(items)]

    def address(self, nummeraanduiding: str) -> BagAddress | None:
        try:
            nid = ids.clean_bag_nummeraanduiding(nummeraanduiding)
        except ValidationError as exc:
            raise RegistryRefused(exc.messages[0], field="bag_nummeraanduiding")
        data = self.request("GET", f"/adressen/{nid}", idempotent=True, not_found_ok=True).body
        return None if data is None else self._address(data, "adres")

    def adresseerbaar_object(self, identificatie: str) -> BagObject | None:
        try:
            oid = ids.clean_bag_verblijfsobject(identificatie)
        except ValidationError as exc:
            raise RegistryRefused(exc.messages[0], field="bag_verblijfsobject")
        data = self.request("GET", f"/adresseerbareobjecten/{oid}", idempotent=True, not_found_ok=True).body
        if data is None:
            return None
        present = [k for k in ("verblijfsobject", "ligplaats", "standplaats") if k in data]
        if len(present) != 1:
            raise self.contract_error("exactly one of verblijfsobject/ligplaats/standplaats expected")
        outer = need(self, data, present[0], dict, "")
        inner = need(self, outer, present[0], dict, present[0])
        where = f"{present[0]}.{present[0]}"
        ident = need(self, inner, "identificatie", str, where)
        if not ID16.match(ident):
            raise self.contract_error(f"{where}.identificatie does not match the pattern")
        kind = need(self, inner, "type", str, where)
        geo = opt(self, inner, "geometrie", dict, where, {})
        point = None
        punt = geo.get("punt") if isinstance(geo, dict) else None
        if punt is not None:
            coords = punt.get("coordinates") if isinstance(punt, dict) else None
            if (
                not isinstance(coords, list)
                or len(coords) < 2
                or not all(isinstance(c, int | float) for c in coords[:2])
            ):
                raise self.contract_error(f"{where}.geometrie.punt is not a GeoJSON point")
            point = (float(coords[0]), float(coords[1]))
        oppervlakte = opt(self, inner, "oppervlakte", int, where)
        doelen = opt(self, inner, "gebruiksdoelen", list, where, [])
        return BagObject(
            identificatie=ident,
            kind=kind,
            gebruiksdoelen=tuple(str(d) for d in doelen),
            oppervlakte=oppervlakte,
            status=opt(self, inner, "status", str, where, ""),
            panden=tuple(str(p) for p in opt(self, inner, "maaktDeelUitVan", list, where, [])),
            point=point,
        )

    def _address(self, item, where: str) -> BagAddress:
        nid = need(self, item, "nummeraanduidingIdentificatie", str, where)
        if not ID16.match(nid):
            raise self.contract_error(f"{where}.nummeraanduidingIdentificatie does not match the pattern")
        pc = need(self, item, "postcode", str, where).replace(" ", "").upper()
        if not re.fullmatch(r"[1-9][0-9]{3}[A-Z]{2}", pc):
            raise self.contract_error(f"{where}.postcode does not match the pattern")
        aoid = opt(self, item, "adresseerbaarObjectIdentificatie", str, where, "")
        if aoid and not ID16.match(aoid):
            raise self.contract_error(f"{where}.adresseerbaarObjectIdentificatie does not match the pattern")
        flags = opt(self, item, "inonderzoek", dict, where, {})
        return BagAddress(
            nummeraanduiding=nid,
            street=need(self, item, "openbareRuimteNaam", str, where),
            house_number=need(self, item, "huisnummer", int, where),
            house_letter=opt(self, item, "huisletter", str, where, ""),
            addition=opt(self, item, "huisnummertoevoeging", str, where, ""),
            postcode=pc,
            town=need(self, item, "woonplaatsNaam", str, where),
            adresseerbaar_object=aoid,
            panden=tuple(str(p) for p in opt(self, item, "pandIdentificaties", list, where, [])),
            in_onderzoek=tuple(sorted(k for k, v in flags.items() if v is True)),
        )
