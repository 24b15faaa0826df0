"""A local stand-in for the BRP (Personen and Bewoning), BAG and KvK APIs, written by VIK from
the contract in docs/registries.md (shapes, statuses, error bodies), serving the fictitious data
in ``standin_data``. For demo mode (``make run``) and the tests; production settings refuse it
and every answer carries ``X-VIK-Standin: 1`` so that a client outside demo mode rejects it.

Run: ``python -m registries.standin --port 8790``. Behaviour switches for tests, per request
header ``X-Standin-Fault``: ``slow`` (sleeps past the client timeout), ``500``, ``503``, ``429``,
``malformed`` (a body that breaks the contract), ``notjson``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from registries import standin_data as data

BRP_PREFIX = "/haalcentraal/api/brp"
BEWONING_PREFIX = "/haalcentraal/api/bewoning"
BAG_PREFIX = "/lvbag/individuelebevragingen/v2"
KVK_PREFIX = "/kvk/api"
MAX_RESULTS = int(os.environ.get("STANDIN_MAX_RESULTS", "30"))
SEARCH_FIELDS_OK = {"burgerservicenummer", "naam", "geboorte", "geslacht", "verblijfplaats", "adressering"}
AUTOMATIC = {
    "geheimhoudingPersoonsgegevens",
    "inOnderzoek",
    "opschortingBijhouding",
    "rni",
    "verificatie",
    "indicatieVastgesteldVerblijftNietOpAdres",
}
ID16 = re.compile(r"^(?!0{16})[0-9]{16}$")
FOREVER = date(9999, 12, 31)


def _problem(status: int, code: str, title: str, instance: str, params: list[dict] | None = None) -> dict:
    body = {
        "type": "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1",
        "title": title,
        "status": status,
        "detail": "",
        "instance": instance,
        "code": code,
    }
    if params:
        body["invalidParams"] = params
        body["detail"] = (
            "De foutieve parameter(s) zijn: " + ", ".join(sorted(p["name"] for p in params)) + "."
        )
    return body


def _invalid(name: str, code: str, reason: str) -> dict:
    return {
        "type": "https://www.vng.nl/realisatie/api/validaties/" + code,
        "name": name,
        "code": code,
        "reason": reason,
    }


def _validation(instance: str, params: list[dict]) -> tuple[int, dict]:
    return 400, _problem(
        400, "paramsValidation", "Een of meerdere parameters zijn niet correct.", instance, params
    )


# --- BRP ------------------------------------------------------------------------------------------


def _volledige_naam(naam: dict) -> str:
    return " ".join(
        p for p in (naam.get("voornamen"), naam.get("voorvoegsel"), naam.get("geslachtsnaam")) if p
    )


def _address_on(person: dict, day: date):
    """The residence on ``day``: (address dict, start) or (None, None)."""
    current = None
    for index, start in person["woont"]:
        if date.fromisoformat(start) <= day:
            current = (data.ADDRESSES[index], start)
    return current or (None, None)


def _persoon(person: dict) -> dict:
    naam = dict(person["naam"])
    naam["volledigeNaam"] = _volledige_naam(naam)
    parts = naam["voornamen"].split()
    naam["voorletters"] = "".join(p[0] + "." for p in parts)
    out = {
        "burgerservicenummer": person["burgerservicenummer"],
        "geslacht": person["geslacht"],
        "naam": naam,
        "geboorte": person["geboorte"],
    }
    adr, start = _address_on(person, date.today())
    if adr:
        out["verblijfplaats"] = {
            "type": "Adres",
            "verblijfadres": {
                "officieleStraatnaam": adr["openbareRuimteNaam"],
                "korteStraatnaam": adr["korteNaam"][:24],
                "huisnummer": adr["huisnummer"],
                **({"huisletter": adr["huisletter"]} if adr.get("huisletter") else {}),
                "postcode": adr["postcode"],
                "woonplaats": adr["woonplaatsNaam"],
            },
            "adresseerbaarObjectIdentificatie": adr["adresseerbaarObjectIdentificatie"],
            "nummeraanduidingIdentificatie": adr["nummeraanduidingIdentificatie"],
            "datumVan": {"type": "Datum", "datum": start, "langFormaat": start},
            "functieAdres": {"code": "W", "omschrijving": "woonadres"},
        }
        out["adressering"] = {
            "adresregel1": f"{adr['openbareRuimteNaam']} {adr['huisnummer']}{adr.get('huisletter', '')}",
            "adresregel2": f"{adr['postcode'][:4]} {adr['postcode'][4:]}  {adr['woonplaatsNaam'].upper()}",
        }
    return out


def _select(full: dict, fields: list[str]) -> dict:
    """Only the asked paths; a parent path returns its subtree; date and waardetabel objects are
    returned whole; the automatic markings are always added when they apply."""
    out: dict = {}
    for path in fields:
        parts = path.split(".")
        src, dst = full, out
        for i, part in enumerate(parts):
            if not isinstance(src, dict) or part not in src:
                break
            value = src[part]
            last = i == len(parts) - 1
            whole = isinstance(value, dict) and (
                "type" in value and "langFormaat" in value or "code" in value
            )
            if last or whole or not isinstance(value, dict):
                dst[part] = value
                break
            dst = dst.setdefault(part, {})
            src = value
    return out


def _markings(person: dict, out: dict) -> dict:
    if person.get("geheimhoudingPersoonsgegevens"):
        out["geheimhoudingPersoonsgegevens"] = True
    flags = {k: v for k, v in person.get("inOnderzoek", {}).items() if v}
    if flags:
        out["inOnderzoek"] = flags
    if "geboorte" in out and person["geboorte"].get("inOnderzoek"):
        out["geboorte"] = {**out["geboorte"], "inOnderzoek": person["geboorte"]["inOnderzoek"]}
    return out


def brp_personen(body: dict, instance: str) -> tuple[int, dict]:
    if not isinstance(body, dict):
        return _validation(instance, [_invalid("type", "required", "Parameter is verplicht.")])
    kind = body.get("type")
    fields = body.get("fields")
    params: list[dict] = []
    if not isinstance(fields, list):
        params.append(
            _invalid("fields", "required" if fields is None else "array", "Parameter is verplicht.")
        )
    elif not 1 <= len(fields) <= 130:
        params.append(
            _invalid("fields", "maxItems" if fields else "minItems", "Array bevat een verkeerd aantal items.")
        )
    else:
        for n, f in enumerate(fields):
            if not isinstance(f, str) or not re.fullmatch(r"[a-zA-Z0-9._]{1,200}", f):
                params.append(
                    _invalid(
                        f"fields[{n}]", "pattern", "Waarde voldoet niet aan patroon ^[a-zA-Z0-9\\._]{1,200}$."
                    )
                )
            elif f.split(".")[0] in AUTOMATIC:
                params.append(
                    _invalid(f"fields[{n}]", "fields", "Parameter bevat een niet toegestane veldnaam.")
                )
    allowed = {"type", "fields", "gemeenteVanInschrijving"}
    people = data.PERSONS
    if kind == "RaadpleegMetBurgerservicenummer":
        allowed |= {"burgerservicenummer"}
        bsns = body.get("burgerservicenummer")
        if not isinstance(bsns, list) or not 1 <= len(bsns) <= 20:
            params.append(
                _invalid(
                    "burgerservicenummer",
                    "required" if bsns is None else "minItems",
                    "Parameter is verplicht.",
                )
            )
        else:
            for n, b in enumerate(bsns):
                if not isinstance(b, str) or not re.fullmatch(r"[0-9]{9}", b):
                    params.append(
                        _invalid(
                            f"burgerservicenummer[{n}]",
                            "pattern",
                            "Waarde voldoet niet aan patroon ^[0-9]{9}$.",
                        )
                    )
            people = [p for p in people if p["burgerservicenummer"] in bsns]
        limit = 20
    elif kind == "ZoekMetGeslachtsnaamEnGeboortedatum":
        allowed |= {
            "geslachtsnaam",
            "geboortedatum",
            "inclusiefOverledenPersonen",
            "geslacht",
            "voorvoegsel",
            "voornamen",
        }
        name, born = body.get("geslachtsnaam"), body.get("geboortedatum")
        if not isinstance(name, str) or not name:
            params.append(_invalid("geslachtsnaam", "required", "Parameter is verplicht."))
        try:
            date.fromisoformat(born) if isinstance(born, str) else None
        except ValueError:
            params.append(_invalid("geboortedatum", "date", "Waarde is geen geldige datum."))
        if not isinstance(born, str):
            params.append(_invalid("geboortedatum", "required", "Parameter is verplicht."))
        if not params:
            people = [
                p
                for p in people
                if p["naam"]["geslachtsnaam"].lower() == name.lower()
                and p["geboorte"]["datum"]["datum"] == born
            ]
        limit = 10
    elif kind == "ZoekMetPostcodeEnHuisnummer":
        allowed |= {
            "postcode",
            "huisnummer",
            "huisletter",
            "huisnummertoevoeging",
            "geboortedatum",
            "geslachtsnaam",
            "inclusiefOverledenPersonen",
        }
        pc, nr = body.get("postcode"), body.get("huisnummer")
        if not isinstance(pc, str) or not re.fullmatch(r"[1-9][0-9]{3} ?[A-Za-z]{2}", pc):
            params.append(
                _invalid(
                    "postcode",
                    "pattern" if pc else "required",
                    "Waarde voldoet niet aan patroon ^[1-9]{1}[0-9]{3}[ ]?[A-Za-z]{2}$.",
                )
            )
        if not isinstance(nr, int) or isinstance(nr, bool) or not 1 <= nr <= 99999:
            params.append(
                _invalid(
                    "huisnummer", "integer" if nr is not None else "required", "Waarde is geen geldig getal."
                )
            )
        if not params:
            pc = pc.replace(" ", "").upper()
            people = [
                p
                for p in people
                if (a := _address_on(p, date.today())[0]) and a["postcode"] == pc and a["huisnummer"] == nr
            ]
        limit = MAX_RESULTS
    else:
        return _validation(instance, [_invalid("type", "value", "Waarde is geen geldig zoek type.")])
    for key in body:
        if key not in allowed:
            params.append(_invalid(key, "unknownParam", "Parameter is niet verwacht."))
    if params:
        return _validation(instance, params)
    if kind != "RaadpleegMetBurgerservicenummer":
        bad = [f for f in fields if f.split(".")[0] not in SEARCH_FIELDS_OK]
        if bad:
            return _validation(
                instance, [_invalid("fields", "fields", "Parameter bevat een niet bestaande veldnaam.")]
            )
    if len(people) > limit:
        body = _problem(400, "tooManyResults", "Teveel zoekresultaten.", instance)
        body["detail"] = f"Het maximum van {limit} is overschreden. Verfijn de zoekvraag."
        return 400, body
    return 200, {"type": kind, "personen": [_markings(p, _select(_persoon(p), fields)) for p in people]}


def brp_bewoningen(body: dict, instance: str) -> tuple[int, dict]:
    if not isinstance(body, dict):
        return _validation(instance, [_invalid("type", "required", "Parameter is verplicht.")])
    kind = body.get("type")
    aoid = body.get("adresseerbaarObjectIdentificatie")
    params = []
    if not isinstance(aoid, str) or not ID16.match(aoid):
        params.append(
            _invalid(
                "adresseerbaarObjectIdentificatie",
                "pattern" if aoid else "required",
                "Waarde voldoet niet aan patroon ^(?!0{16})[0-9]{16}$.",
            )
        )

    def day(name):
        raw = body.get(name)
        if raw is None:
            params.append(_invalid(name, "required", "Parameter is verplicht."))
            return None
        try:
            return date.fromisoformat(raw)
        except (TypeError, ValueError):
            params.append(_invalid(name, "date", "Waarde is geen geldige datum."))
            return None

    if kind == "BewoningMetPeildatum":
        start = day("peildatum")
        end = start + timedelta(days=1) if start else None
    elif kind == "BewoningMetPeriode":
        start, end = day("datumVan"), day("datumTot")
        if start and end and end <= start:
            params.append(_invalid("datumTot", "invalidParam", "datumTot moet na datumVan liggen."))
    else:
        return _validation(instance, [_invalid("type", "value", "Waarde is geen geldig zoek type.")])
    if params:
        return _validation(instance, params)
    # residence intervals at this object: [start, next start)
    intervals = []
    for p in data.PERSONS:
        moves = [
            (data.ADDRESSES[i]["adresseerbaarObjectIdentificatie"], date.fromisoformat(s))
            for i, s in p["woont"]
        ]
        for n, (obj, s) in enumerate(moves):
            e = moves[n + 1][1] if n + 1 < len(moves) else FOREVER
            if obj == aoid and s < end and e > start:
                intervals.append((p, max(s, start), min(e, end)))
    # one Bewoning per distinct composition
    cuts = sorted({start, end, *(s for _p, s, _e in intervals), *(e for _p, _s, e in intervals)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        present = [p for p, s, e in intervals if s <= a and e >= b]
        if not present:
            continue
        bewoners = []
        for p in present:
            naam = p["naam"]
            item = {
                "burgerservicenummer": p["burgerservicenummer"],
                "naam": {"volledigeNaam": _volledige_naam(naam)},
                "geboorte": {"datum": p["geboorte"]["datum"]},
            }
            if p.get("geheimhoudingPersoonsgegevens"):
                item["geheimhoudingPersoonsgegevens"] = True
            bewoners.append(item)
        if (
            out
            and [x["burgerservicenummer"] for x in out[-1]["bewoners"]]
            == [x["burgerservicenummer"] for x in bewoners]
            and out[-1]["periode"]["datumTot"] == a.isoformat()
        ):
            out[-1]["periode"]["datumTot"] = b.isoformat()
            continue
        out.append(
            {
                "adresseerbaarObjectIdentificatie": aoid,
                "periode": {"datumVan": a.isoformat(), "datumTot": b.isoformat()},
                "bewoners": bewoners,
                "mogelijkeBewoners": [],
            }
        )
    return 200, {"bewoningen": out}


# --- BAG ------------------------------------------------------------------------------------------


def _bag_address(a: dict) -> dict:
    keys = ("nummeraanduidingIdentificatie", "adresseerbaarObjectIdentificatie", "openbareRuimteNaam",
            "korteNaam", "huisnummer", "huisletter", "postcode", "woonplaatsNaam", "pandIdentificaties")  # fmt: skip
    out = {k: a[k] for k in keys if k in a}
    out["_links"] = {"self": {"href": f"{BAG_PREFIX}/adressen/{a['nummeraanduidingIdentificatie']}"}}
    return out


def bag(path: str, query: dict) -> tuple[int, dict]:
    instance = BAG_PREFIX + path
    if path == "/adressen":
        pc, nr = query.get("postcode"), query.get("huisnummer")
        if pc is None and nr is None:
            return 400, _problem(
                400, "paramsRequired", "Ten minste één parameter moet worden opgegeven.", instance
            )
        params = []
        if not pc or not re.fullmatch(r"[1-9][0-9]{3} ?[a-zA-Z]{2}", pc):
            params.append(
                _invalid(
                    "postcode", "pattern", "Waarde voldoet niet aan patroon ^[1-9][0-9]{3}[ ]?[a-zA-Z]{2}$."
                )
            )
        if not nr or not nr.isdigit():
            params.append(_invalid("huisnummer", "integer", "Waarde is geen geldige integer."))
        if params:
            body = _problem(
                400, "paramsValidation", "Een of meerdere parameters zijn niet correct.", instance
            )
            body["invalid-params"] = params
            return 400, body
        pc = pc.replace(" ", "").upper()
        hits = [a for a in data.ADDRESSES if a["postcode"] == pc and a["huisnummer"] == int(nr)]
        if query.get("exacteMatch") == "true":
            hits = [a for a in hits if a.get("huisletter", "").upper() == query.get("huisletter", "").upper()]
        return 200, {
            "_links": {"self": {"href": instance}},
            "_embedded": {"adressen": [_bag_address(a) for a in hits]},
        }
    m = re.fullmatch(r"/adressen/([0-9]{16})", path)
    if m:
        hit = next((a for a in data.ADDRESSES if a["nummeraanduidingIdentificatie"] == m.group(1)), None)
        if hit is None:
            return 404, _problem(404, "notFound", "Opgevraagde resource bestaat niet.", instance)
        return 200, _bag_address(hit)
    m = re.fullmatch(r"/adresseerbareobjecten/([0-9]{16})", path)
    if m:
        hit = next((a for a in data.ADDRESSES if a["adresseerbaarObjectIdentificatie"] == m.group(1)), None)
        if hit is None:
            return 404, _problem(404, "notFound", "Opgevraagde resource bestaat niet.", instance)
        o = hit["object"]
        inner = {
            "type": o["type"],
            "identificatie": hit["adresseerbaarObjectIdentificatie"],
            "domein": "NL.IMBAG.Verblijfsobject",
            "heeftAlsHoofdAdres": hit["nummeraanduidingIdentificatie"],
            "geometrie": {"punt": {"type": "Point", "coordinates": o["punt"]}},
            "gebruiksdoelen": o["gebruiksdoelen"],
            "oppervlakte": o["oppervlakte"],
            "status": o["status"],
            "geconstateerd": "N",
            "maaktDeelUitVan": hit["pandIdentificaties"],
        }
        return 200, {"verblijfsobject": {"verblijfsobject": inner, "_links": {"self": {"href": instance}}}}
    return 404, _problem(404, "notFound", "Opgevraagde resource bestaat niet.", instance)


# --- KvK ------------------------------------------------------------------------------------------


def _kvk_fout(status: int, code: str, text: str) -> tuple[int, dict]:
    return status, {"fout": [{"code": code, "omschrijving": text}]}


def kvk(path: str, query: dict) -> tuple[int, dict]:
    if path == "/v2/zoeken":
        known = {"kvkNummer", "naam", "plaats", "pagina", "resultatenPerPagina", "type"}
        if set(query) - known:
            return _kvk_fout(400, "IPD1999", "Onbekende parameter")
        hits = data.COMPANIES
        if "kvkNummer" in query:
            if not re.fullmatch(r"[0-9]{8}", query["kvkNummer"]):
                return _kvk_fout(400, "IPD0004", "Het KvK-nummer is niet valide")
            hits = [c for c in hits if c["kvkNummer"] == query["kvkNummer"]]
        if "naam" in query:
            hits = [c for c in hits if query["naam"].lower() in c["naam"].lower()]
        if "plaats" in query:
            hits = [
                c
                for c in hits
                if data.ADDRESSES[c["adres"]]["woonplaatsNaam"].lower() == query["plaats"].lower()
            ]
        if not hits:
            return _kvk_fout(404, "IPD5200", "Geen resultaten gevonden")
        results = []
        for c in hits:
            a = data.ADDRESSES[c["adres"]]
            results.append(
                {
                    "kvkNummer": c["kvkNummer"],
                    "vestigingsnummer": c["vestigingsnummer"],
                    "naam": c["naam"],
                    "adres": {
                        "binnenlandsAdres": {
                            "type": "bezoekadres",
                            "straatnaam": a["openbareRuimteNaam"],
                            "plaats": a["woonplaatsNaam"],
                        }
                    },
                    "type": "hoofdvestiging",
                    "actief": "Ja",
                    "_links": {"basisprofiel": {"href": f"{KVK_PREFIX}/v1/basisprofielen/{c['kvkNummer']}"}},
                }
            )
        return 200, {
            "pagina": 1,
            "resultatenPerPagina": 10,
            "totaal": len(results),
            "resultaten": results,
            "_links": {},
        }
    m = re.fullmatch(r"/v1/basisprofielen/([^/]+)", path)
    if m:
        number = m.group(1)
        if not re.fullmatch(r"[0-9]{8}", number):
            return _kvk_fout(400, "IPD0004", "Het KvK-nummer is niet valide")
        c = next((c for c in data.COMPANIES if c["kvkNummer"] == number), None)
        if c is None:
            return _kvk_fout(404, "IPD0001", "Het product bestaat niet")
        a = data.ADDRESSES[c["adres"]]
        sbi = [
            {"sbiCode": s, "sbiOmschrijving": d, "indHoofdactiviteit": "Ja" if h else "Nee"}
            for s, d, h in c["sbi"]
        ]
        adres = {
            "type": "bezoekadres",
            "indAfgeschermd": "Nee",
            "volledigAdres": f"{a['openbareRuimteNaam']} {a['huisnummer']}{a.get('huisletter', '')} {a['postcode']} {a['woonplaatsNaam']}",
            "straatnaam": a["openbareRuimteNaam"],
            "huisnummer": a["huisnummer"],
            **({"huisletter": a["huisletter"]} if a.get("huisletter") else {}),
            "postcode": a["postcode"],
            "plaats": a["woonplaatsNaam"],
            "land": "Nederland",
        }
        eigenaar = {"rechtsvorm": c["rechtsvorm"], "uitgebreideRechtsvorm": c["rechtsvorm"]}
        if c["rsin"]:
            eigenaar["rsin"] = c["rsin"]
        return 200, {
            "kvkNummer": number,
            "indNonMailing": "Nee",
            "naam": c["naam"],
            "formeleRegistratiedatum": c["formeleRegistratiedatum"],
            "totaalWerkzamePersonen": c["totaalWerkzamePersonen"],
            "statutaireNaam": c["statutaireNaam"] or c["naam"],
            "handelsnamen": [{"naam": n, "volgorde": i} for i, n in enumerate(c["handelsnamen"], 1)],
            "sbiActiviteiten": sbi,
            "links": [{"rel": "self", "href": f"{KVK_PREFIX}/v1/basisprofielen/{number}"}],
            "_embedded": {
                "hoofdvestiging": {
                    "vestigingsnummer": c["vestigingsnummer"],
                    "kvkNummer": number,
                    "indHoofdvestiging": "Ja",
                    "adressen": [adres],
                    "sbiActiviteiten": sbi,
                },
                "eigenaar": eigenaar,
            },
        }
    return _kvk_fout(404, "IPD0001", "Het product bestaat niet")


# --- HTTP -----------------------------------------------------------------------------------------


MALFORMED = {
    "brp": {"type": "RaadpleegMetBurgerservicenummer", "personen": [{"burgerservicenummer": 12345}]},
    "bewoning": {
        "bewoningen": [{"adresseerbaarObjectIdentificatie": "0141010000000001", "periode": "gisteren"}]
    },
    "bag": {"_embedded": {"adressen": [{"nummeraanduidingIdentificatie": "x", "postcode": "7609RG"}]}},
    "kvk": {"resultaten": [{"kvkNummer": "123", "naam": 5}]},
}


class Handler(BaseHTTPRequestHandler):
    server_version = "VIK-registry-standin/1"

    def log_message(self, fmt, *args):  # quiet: the tests run many requests; no personal data in logs
        pass

    def _send(self, status: int, body, *, problem: bool = False, raw: bytes | None = None, extra=None):
        payload = raw if raw is not None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        ctype = "application/problem+json" if problem else "application/json; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-VIK-Standin", "1")
        self.send_header("Cache-Control", "no-store")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(payload)

    def _which(self, path: str) -> tuple[str, str]:
        for name, prefix in (
            ("brp", BRP_PREFIX),
            ("bewoning", BEWONING_PREFIX),
            ("bag", BAG_PREFIX),
            ("kvk", KVK_PREFIX),
        ):
            if path.startswith(prefix):
                return name, path[len(prefix) :]
        return "", path

    def _fault(self, name: str) -> bool:
        fault = self.headers.get("X-Standin-Fault") or self.server.faults.get(name, "")  # type: ignore[attr-defined]
        if not fault:
            return False
        self.server.calls[name] = self.server.calls.get(name, 0) + 1  # type: ignore[attr-defined]
        if fault == "slow":
            time.sleep(float(os.environ.get("STANDIN_SLOW_SECONDS", "3")))
            self._send(200, {})
        elif fault in ("500", "503"):
            self._send(
                int(fault),
                _problem(int(fault), "serverError", "Interne server fout.", self.path),
                problem=True,
            )
        elif fault == "429":
            self._send(
                429,
                _problem(429, "tooManyRequests", "Te veel verzoeken.", self.path),
                problem=True,
                extra={"Retry-After": "1"},
            )
        elif fault == "malformed":
            self._send(200, MALFORMED[name])
        elif fault == "notjson":
            self._send(200, None, raw=b"<html>gateway error</html>")
        elif fault == "401":
            self._send(
                401, _problem(401, "authentication", "Niet correct geauthenticeerd.", self.path), problem=True
            )
        return True

    def do_GET(self):
        parts = urlsplit(self.path)
        name, rest = self._which(parts.path)
        if name == "" and parts.path == "/_faults":
            self._send(
                200,
                {
                    "faults": self.server.faults,
                    "calls": self.server.calls,
                    "last_headers": self.server.last_headers,
                },
            )  # type: ignore[attr-defined]
            return
        if name not in ("bag", "kvk"):
            self._send(
                404, _problem(404, "notFound", "Opgevraagde resource bestaat niet.", parts.path), problem=True
            )
            return
        if self._fault(name):
            return
        self.server.calls[name] = self.server.calls.get(name, 0) + 1  # type: ignore[attr-defined]
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        status, body = bag(rest, query) if name == "bag" else kvk(rest, query)
        self._send(
            status,
            body,
            problem=status >= 400 and name == "bag",
            extra={"API-Version": "2.9.2" if name == "bag" else "1.5.0"},
        )

    def do_POST(self):
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if parts.path == "/_faults":  # test control: {"brp": "503"} sets, {} clears
            self.server.faults = json.loads(raw or b"{}")  # type: ignore[attr-defined]
            self.server.calls = {}  # type: ignore[attr-defined]
            self._send(200, {"faults": self.server.faults})  # type: ignore[attr-defined]
            return
        if parts.path == "/oauth/token":  # OAuth2 client credentials, as the RvIG token service
            form = {k: v[-1] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
            self.server.calls["token"] = self.server.calls.get("token", 0) + 1  # type: ignore[attr-defined]
            if (
                form.get("grant_type") != "client_credentials"
                or not form.get("client_id")
                or not form.get("client_secret")
            ):
                self._send(400, {"error": "invalid_request"})
                return
            n = self.server.calls["token"]  # type: ignore[attr-defined]
            self._send(
                200,
                {
                    "access_token": f"standin-token-{n}",
                    "token_type": "bearer",
                    "expires_in": 3600,
                    "scope": form.get("scope", ""),
                },
            )
            return
        name, rest = self._which(parts.path)
        if (name, rest) not in (("brp", "/personen"), ("bewoning", "/bewoningen")):
            self._send(
                404, _problem(404, "notFound", "Opgevraagde resource bestaat niet.", parts.path), problem=True
            )
            return
        self.server.last_headers[name] = dict(self.headers.items())  # type: ignore[attr-defined]
        if self._fault(name):
            return
        self.server.calls[name] = self.server.calls.get(name, 0) + 1  # type: ignore[attr-defined]
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            self._send(
                415,
                _problem(415, "unsupported", "Media Type wordt niet ondersteund.", parts.path),
                problem=True,
            )
            return
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            body = None
        status, answer = brp_personen(body, parts.path) if name == "brp" else brp_bewoningen(body, parts.path)
        self._send(status, answer, problem=status >= 400)


def make_server(port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.faults = {}  # type: ignore[attr-defined]
    server.calls = {}  # type: ignore[attr-defined]
    server.last_headers = {}  # type: ignore[attr-defined]
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="VIK's local stand-in for BRP, BAG and KvK (demo data)")
    parser.add_argument("--port", type=int, default=8790)
    args = parser.parse_args(argv)
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    if settings_module.endswith(".production"):
        print("The registry stand-in does not run with production settings.", file=sys.stderr)
        return 2
    server = make_server(args.port)
    print(f"registry stand-in on http://127.0.0.1:{args.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
