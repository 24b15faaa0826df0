"""Demo data of the registry stand-in: fictitious persons, addresses and companies in Almelo.
The fixed records of ``seed_demo`` (Jan Hendrik Jansen, Ayşe Yılmaz, Pieter van der Berg,
Twentepoort Oost 1, Autohandel Wessels B.V.) appear here with the same names, dates and numbers,
so that "Vergelijken met basisregistratie" has something to compare. The BSNs are in the
999xxxxxx test range. Nothing here is real."""

from __future__ import annotations

# BAG: nummeraanduiding id -> address; adresseerbaar object id -> object
ADDRESSES = [
    {
        "nummeraanduidingIdentificatie": "0141200000000001",
        "adresseerbaarObjectIdentificatie": "0141010000000001",
        "openbareRuimteNaam": "Twentepoort Oost",
        "korteNaam": "Twentepoort Oost",
        "huisnummer": 1,
        "postcode": "7609RG",
        "woonplaatsNaam": "Almelo",
        "pandIdentificaties": ["0141100000000001"],
        "object": {
            "type": "Verblijfsobject",
            "gebruiksdoelen": ["kantoorfunctie", "industriefunctie"],
            "oppervlakte": 1840,
            "status": "Verblijfsobject in gebruik",
            "punt": [238251.0, 485672.0, 0.0],
        },
    },
    {
        "nummeraanduidingIdentificatie": "0141200000000002",
        "adresseerbaarObjectIdentificatie": "0141010000000002",
        "openbareRuimteNaam": "Grotestraat",
        "korteNaam": "Grotestraat",
        "huisnummer": 12,
        "huisletter": "A",
        "postcode": "7607CH",
        "woonplaatsNaam": "Almelo",
        "pandIdentificaties": ["0141100000000002"],
        "object": {
            "type": "Verblijfsobject",
            "gebruiksdoelen": ["woonfunctie"],
            "oppervlakte": 64,
            "status": "Verblijfsobject in gebruik",
            "punt": [236900.0, 487010.0, 0.0],
        },
    },
    {
        "nummeraanduidingIdentificatie": "0141200000000003",
        "adresseerbaarObjectIdentificatie": "0141010000000003",
        "openbareRuimteNaam": "Wierdensestraat",
        "korteNaam": "Wierdensestraat",
        "huisnummer": 80,
        "postcode": "7607GK",
        "woonplaatsNaam": "Almelo",
        "pandIdentificaties": ["0141100000000003"],
        "object": {
            "type": "Verblijfsobject",
            "gebruiksdoelen": ["woonfunctie", "winkelfunctie"],
            "oppervlakte": 112,
            "status": "Verblijfsobject in gebruik",
            "punt": [237402.0, 486770.0, 0.0],
        },
    },
]


def _datum(iso: str) -> dict:
    months = [
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ]  # fmt: skip
    y, m, d = (int(x) for x in iso.split("-"))
    return {"type": "Datum", "datum": iso, "langFormaat": f"{d} {months[m - 1]} {y}"}


# BRP: the full Persoon as the stand-in knows it; the server returns only the asked ``fields``.
# "woont" is (nummeraanduiding index, datum aanvang adreshouding).
PERSONS = [
    {
        "burgerservicenummer": "999993653",
        "geslacht": {"code": "M", "omschrijving": "man"},
        "naam": {"voornamen": "Jan Hendrik", "geslachtsnaam": "Jansen"},
        "geboorte": {"datum": _datum("1979-03-14"), "plaats": {"code": "0141", "omschrijving": "Almelo"}},
        "woont": [(1, "2015-06-01")],
    },
    {
        "burgerservicenummer": "999990019",
        "geslacht": {"code": "V", "omschrijving": "vrouw"},
        "naam": {"voornamen": "Ayşe", "geslachtsnaam": "Yılmaz"},
        "geboorte": {"datum": _datum("1988-07-02"), "plaats": {"code": "0141", "omschrijving": "Almelo"}},
        "woont": [(2, "2019-02-15")],
    },
    {
        "burgerservicenummer": "999991772",
        "geslacht": {"code": "M", "omschrijving": "man"},
        "naam": {"voornamen": "Pieter", "voorvoegsel": "van der", "geslachtsnaam": "Berg"},
        "geboorte": {"datum": _datum("1965-11-30"), "plaats": {"code": "0153", "omschrijving": "Enschede"}},
        "woont": [(1, "2010-01-01"), (2, "2016-09-01")],
    },
    {
        # geheimhouding: the BRP adds the marking; VIK shows it
        "burgerservicenummer": "999995571",
        "geslacht": {"code": "V", "omschrijving": "vrouw"},
        "naam": {"voornamen": "Fenna", "geslachtsnaam": "Kuipers"},
        "geboorte": {"datum": _datum("1992-04-21"), "plaats": {"code": "0141", "omschrijving": "Almelo"}},
        "geheimhoudingPersoonsgegevens": True,
        "woont": [(1, "2020-03-01")],
    },
    {
        # in onderzoek: the birth date is being investigated
        "burgerservicenummer": "999998456",
        "geslacht": {"code": "M", "omschrijving": "man"},
        "naam": {"voornamen": "Dragan", "geslachtsnaam": "Petrović"},
        "geboorte": {
            "datum": _datum("1983-12-05"),
            "plaats": {"code": "6030", "omschrijving": "Belgrado"},
            "inOnderzoek": {"datum": True, "datumIngangOnderzoek": _datum("2025-10-01")},
        },
        "inOnderzoek": {"burgerservicenummer": False},
        "woont": [(2, "2022-11-15")],
    },
]

COMPANIES = [
    {
        "kvkNummer": "61234567",
        "naam": "Autohandel Wessels B.V.",
        "statutaireNaam": "Autohandel Wessels B.V.",
        "handelsnamen": ["Autohandel Wessels B.V.", "Wessels Auto's"],
        "rechtsvorm": "Besloten Vennootschap",
        "rsin": "999990020",
        "formeleRegistratiedatum": "20140312",
        "totaalWerkzamePersonen": 4,
        "vestigingsnummer": "000012345678",
        "sbi": [
            ("4511", "Handel in en reparatie van personenauto's en lichte bedrijfsauto's", True),
            ("4520", "Gespecialiseerde reparatie van auto's", False),
        ],
        "adres": 0,
    },
    {
        "kvkNummer": "69599084",
        "naam": "Kapsalon Grotestraat",
        "statutaireNaam": "",
        "handelsnamen": ["Kapsalon Grotestraat"],
        "rechtsvorm": "Eenmanszaak",
        "rsin": "",
        "formeleRegistratiedatum": "20180105",
        "totaalWerkzamePersonen": 2,
        "vestigingsnummer": "000038509504",
        "sbi": [("9602", "Haarverzorging", True)],
        "adres": 2,
    },
]
