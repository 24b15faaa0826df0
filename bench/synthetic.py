"""Scale-aware synthetic Dutch data for the benchmark dataset.

Builds on ``vik.core.synthetic`` (valid BSNs, KvK numbers, BAG ids, names with voorvoegsels) and
adds what a region or the whole country needs: municipalities with their CBS codes and real
postcode ranges, and a much larger, harsher surname space (compound names, Twentse -ink/-huis
names, hyphenated double names) so that trigram search is measured on realistic spread rather
than on forty repeated names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from vik.core import synthetic as base

# gemeente, CBS code (4 digits), postcode ranges (inclusive, 4-digit numeric part), lat, lon
_MUNICIPALITIES = [
    ("Almelo", "0141", [(7600, 7609)], 52.356, 6.662),
    ("Enschede", "0153", [(7511, 7548)], 52.221, 6.893),
    ("Hengelo", "0164", [(7550, 7559)], 52.265, 6.793),
    ("Oldenzaal", "0173", [(7570, 7577)], 52.313, 6.929),
    ("Borne", "0147", [(7620, 7627)], 52.300, 6.753),
    ("Wierden", "0189", [(7640, 7645)], 52.359, 6.594),
    ("Twenterand", "1700", [(7670, 7694)], 52.437, 6.582),
    ("Rijssen-Holten", "1742", [(7460, 7463)], 52.308, 6.517),
    ("Hellendoorn", "0163", [(7440, 7447)], 52.389, 6.450),
    ("Tubbergen", "0183", [(7650, 7665)], 52.407, 6.784),
    ("Dinkelland", "1774", [(7590, 7597)], 52.370, 6.965),
    ("Losser", "0168", [(7580, 7588)], 52.261, 7.004),
    ("Haaksbergen", "0158", [(7480, 7483)], 52.156, 6.739),
    ("Hof van Twente", "1735", [(7470, 7478)], 52.233, 6.600),
    ("Deventer", "0150", [(7411, 7429)], 52.255, 6.163),
    ("Zwolle", "0193", [(8011, 8043)], 52.516, 6.083),
    ("Apeldoorn", "0200", [(7311, 7364)], 52.211, 5.969),
    ("Arnhem", "0202", [(6811, 6846)], 51.985, 5.899),
    ("Nijmegen", "0268", [(6511, 6546)], 51.842, 5.853),
    ("Doetinchem", "0222", [(7001, 7009)], 51.965, 6.289),
]
_NATIONAL_EXTRA = [
    ("Amsterdam", "0363", [(1011, 1109)], 52.370, 4.895),
    ("Rotterdam", "0599", [(3011, 3089)], 51.924, 4.478),
    ("'s-Gravenhage", "0518", [(2491, 2599)], 52.078, 4.288),
    ("Utrecht", "0344", [(3451, 3585)], 52.091, 5.122),
    ("Eindhoven", "0772", [(5611, 5658)], 51.441, 5.478),
    ("Groningen", "0014", [(9711, 9747)], 53.219, 6.567),
    ("Tilburg", "0855", [(5011, 5049)], 51.560, 5.091),
    ("Almere", "0034", [(1311, 1364)], 52.350, 5.264),
    ("Breda", "0758", [(4811, 4839)], 51.589, 4.776),
    ("Maastricht", "0935", [(6211, 6229)], 50.851, 5.691),
    ("Leeuwarden", "0080", [(8911, 8939)], 53.201, 5.799),
    ("Haarlem", "0392", [(2011, 2037)], 52.387, 4.646),
    ("Venlo", "0983", [(5911, 5935)], 51.370, 6.172),
    ("Middelburg", "0687", [(4331, 4339)], 51.499, 3.611),
    ("Emmen", "0114", [(7811, 7887)], 52.785, 6.897),
    ("'s-Hertogenbosch", "0796", [(5211, 5249)], 51.699, 5.304),
]


@dataclass(frozen=True)
class Municipality:
    name: str
    code: str
    postcode_ranges: tuple[tuple[int, int], ...]
    lat: float
    lon: float

    @property
    def cbs(self) -> str:
        return f"GM{self.code}"


def municipalities(scale: str) -> list[Municipality]:
    """S: one municipality (Almelo); M: a region (Oost-Nederland); L: the country."""
    rows = _MUNICIPALITIES[:1] if scale in {"XS", "S"} else _MUNICIPALITIES
    if scale == "L":
        rows = _MUNICIPALITIES + _NATIONAL_EXTRA
    return [Municipality(n, c, tuple(r), la, lo) for n, c, r, la, lo in rows]


_PC_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"

_STREET_ROOTS = [
    "Kerk",
    "Molen",
    "School",
    "Dorps",
    "Stations",
    "Markt",
    "Beuk",
    "Eiken",
    "Linden",
    "Berken",
    "Wilgen",
    "Esdoorn",
    "Populieren",
    "Kastanje",
    "Heide",
    "Veen",
    "Brink",
    "Es",
    "Haven",
    "Sluis",
    "Kanaal",
    "Nieuwe",
    "Oude",
    "Lange",
    "Korte",
    "Hoge",
    "Lage",
    "Grote",
    "Kleine",
    "Zuider",
    "Noorder",
    "Ooster",
    "Wester",
    "Boterbloem",
    "Margriet",
    "Tulp",
    "Roos",
    "Lelie",
    "Iris",
    "Anjer",
]
_STREET_SUFFIX = [
    "straat",
    "weg",
    "laan",
    "plein",
    "kade",
    "singel",
    "dijk",
    "pad",
    "hof",
    "steeg",
    "erf",
    "es",
]

_SURNAME_HEAD = [
    "Oude",
    "Groot",
    "Klein",
    "Hoog",
    "Nieuw",
    "Wester",
    "Ooster",
    "Zuider",
    "Noord",
    "Kamp",
    "Brink",
    "Veld",
    "Heuvel",
    "Berg",
    "Dijk",
    "Hof",
    "Mol",
    "Smit",
    "Haar",
    "Hout",
    "Beek",
    "Broek",
    "Meer",
    "Steen",
    "Vos",
    "Bos",
    "Wolt",
    "Assel",
    "Lammer",
    "Nijen",
    "Rouwen",
    "Olde",
    "Tij",
    "Es",
    "Bruggen",
]
_SURNAME_TAIL = [
    "",
    "huis",
    "ink",
    "man",
    "stra",
    "sma",
    "ing",
    "kamp",
    "horst",
    "inga",
    "ema",
    "veld",
    "hof",
    "beek",
    "berg",
    "broek",
    "dijk",
    "sen",
    "ers",
    "es",
    "je",
    "ius",
    "hoff",
    "werf",
    "kate",
    "schot",
]


def surname(rng: random.Random) -> str:
    """A surname from the common list (half the time) or built from Dutch/Twentse parts; one in
    twenty is a hyphenated double name. Harsh on trigram search on purpose."""
    roll = rng.random()
    if roll < 0.5:
        name = rng.choice(base.GESLACHTSNAMEN)
    else:
        head = rng.choice(_SURNAME_HEAD)
        tail = rng.choice(_SURNAME_TAIL)
        name = (head + tail).capitalize() if tail else head
    if rng.random() < 0.05:
        name = f"{name}-{rng.choice(base.GESLACHTSNAMEN)}"
    return name


def person_name(rng: random.Random) -> dict[str, str]:
    parts = base.person_name(rng)
    parts["geslachtsnaam"] = surname(rng)
    return parts


def street(rng: random.Random, scale: str) -> str:
    if scale in {"XS", "S"} and rng.random() < 0.6:
        return base.street(rng)
    return rng.choice(_STREET_ROOTS) + rng.choice(_STREET_SUFFIX)


def postcode(rng: random.Random, muni: Municipality) -> str:
    lo, hi = rng.choice(muni.postcode_ranges)
    while True:
        pair = rng.choice(_PC_LETTERS) + rng.choice(_PC_LETTERS)
        if pair not in {"SA", "SD", "SS"}:
            return f"{rng.randint(lo, hi)}{pair}"


def address(rng: random.Random, muni: Municipality, scale: str) -> dict:
    wijk = f"{rng.randint(1, 9):02d}"
    buurt = f"{rng.randint(0, 9):02d}"
    return {
        "street": street(rng, scale),
        "house_number": rng.randint(1, 250),
        "house_letter": rng.choice(["", "", "", "", "", "A", "B"]),
        "postcode": postcode(rng, muni),
        "town": muni.name,
        "bag_nummeraanduiding": base.bag_id(rng, "20", muni.code),
        "bag_verblijfsobject": base.bag_id(rng, "01", muni.code),
        "gemeente_code": muni.cbs,
        "wijk_code": f"WK{muni.code}{wijk}",
        "buurt_code": f"BU{muni.code}{wijk}{buurt}",
        "latitude": round(muni.lat - 0.02 + rng.random() * 0.04, 6),
        "longitude": round(muni.lon - 0.03 + rng.random() * 0.06, 6),
    }


def organisation_name(rng: random.Random, muni: Municipality) -> str:
    owner = surname(rng)
    word = rng.choice(base.BUSINESS_WORDS)
    suffix = rng.choice(["", " B.V.", " V.O.F.", " Holding B.V."])
    return rng.choice([f"{word} {owner}{suffix}", f"{owner} {word}{suffix}", f"{word} {muni.name}{suffix}"])


bsn = base.bsn
rsin = base.rsin
kvk_number = base.kvk_number
vestigingsnummer = base.vestigingsnummer
birth_date = base.birth_date
vehicle = base.vehicle
