"""Synthetic Dutch data for demo seeds and benchmarks: valid BSNs, KvK numbers, BAG ids, names
with voorvoegsels, Almelo postcodes and streets. Everything is drawn from a ``random.Random`` the
caller passes in, so a seed gives the same municipality every run. Nothing here is real data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

ALMELO_GEMEENTECODE = "0141"
ALMELO_CBS = "GM0141"

# Voorvoegsel weights roughly as in the BRP: most names have none; "van der", "de" and "van" are common.
VOORVOEGSELS = [
    ("", 62),
    ("de", 10),
    ("van", 8),
    ("van der", 6),
    ("van den", 4),
    ("van de", 3),
    ("ter", 1),
    ("te", 1),
    ("ten", 1),
    ("van 't", 1),
    ("in 't", 1),
    ("op de", 1),
    ("den", 1),
]

GESLACHTSNAMEN = [
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Dijkstra",
    "Brouwer",
    "Veenstra",
    "Kok",
    "Jacobs",
    "Schouten",
    "Willems",
    "Hoekstra",
    "Koster",
    "Prins",
    "Huisman",
    "Kuipers",
    "Wolters",
    "Postma",
    "Timmerman",
    "Groen",
    "Hermans",
    "Berg",
    "Vries",
    "Boer",
    "Wal",
    "Heuvel",
    "Linden",
    "Broek",
    "Beek",
    "Velde",
    "Veen",
    "Haar",
    "Kamp",
    "Horst",
    "Brink",
    "Wijk",
    "Leeuwen",
    "Dam",
    "Hulst",
    "Poel",
    "Maat",
    "Sluis",
    "Graaf",
    "Nijhuis",
    "Oude Vrielink",
    "Kamphuis",
    "Kuipers",
    "Lammertink",
    "Nijenhuis",
    "Assink",
    "Brinkers",
    "Wessels",
    "Rouwenhorst",
    "Scholten",
    "Pieterse",
    "Oosterveld",
    "Eshuis",
    "Bruggink",
    "Tijhuis",
    "Yılmaz",
    "Kaya",
    "Öztürk",
    "Şahin",
    "El Amrani",
    "Bouzid",
    "Nguyen",
    "Kowalski",
    "Nowak",
]
VOORNAMEN = [
    "Jan",
    "Pieter",
    "Kees",
    "Henk",
    "Gerrit",
    "Willem",
    "Johannes",
    "Hendrik",
    "Bram",
    "Daan",
    "Sem",
    "Lucas",
    "Thijs",
    "Ruben",
    "Mehmet",
    "Ahmed",
    "Mohamed",
    "Piotr",
    "Sander",
    "Bart",
    "Tim",
    "Niels",
    "Maria",
    "Anna",
    "Johanna",
    "Cornelia",
    "Els",
    "Ingrid",
    "Sanne",
    "Lisa",
    "Emma",
    "Fleur",
    "Eva",
    "Fatima",
    "Ayşe",
    "Zeynep",
    "Agnieszka",
    "Linda",
    "Marloes",
    "Anouk",
    "Iris",
    "Femke",
    "José",
]
ALMELO_STREETS = [
    "Grotestraat",
    "Wierdensestraat",
    "Ootmarsumsestraat",
    "Bornsestraat",
    "Boddenstraat",
    "Hofstraat",
    "Marktstraat",
    "Molenstraat",
    "Kerkplein",
    "Rosa Luxemburgstraat",
    "Violierstraat",
    "Sluiskade",
    "Ootmarsumsedijk",
    "Vriezenveenseweg",
    "Henriëtte Roland Holststraat",
    "Nieuwstraat",
    "Doelenstraat",
    "Windmolenbroeksweg",
    "Bornerbroeksestraat",
    "Aalderinkshoek",
    "Tusveld",
    "Schelfhorst",
    "Kollenveld",
    "Ganzebroek",
    "Hagenborgh",
    "Twentepoort Oost",
    "Bedrijvenpark Twente",
    "Haghoek",
    "Hazenweg",
    "Egheriederstraat",
    "Noorderstraat",
    "Van Rechteren Limpurgsingel",
    "Weezebrugstraat",
    "Paul Krugerstraat",
]
ALMELO_WIJKEN = ["01", "02", "03", "04", "05", "06", "07", "08", "09"]
BUSINESS_WORDS = [
    "Autohandel",
    "Shisha Lounge",
    "Kapsalon",
    "Nagelstudio",
    "Belwinkel",
    "Snackbar",
    "Bouw",
    "Transport",
    "Sloopwerken",
    "Recycling",
    "Vastgoed",
    "Beheer",
    "Holding",
    "Handelsonderneming",
    "Growshop",
    "Kamerverhuur",
    "Schoonmaak",
    "Import Export",
    "Café",
    "Grillroom",
    "Autopoetsbedrijf",
    "Garage",
]
CAR_MAKES = [
    ("Volkswagen", "Golf"),
    ("BMW", "3-serie"),
    ("Mercedes-Benz", "C-Klasse"),
    ("Audi", "A4"),
    ("Toyota", "Yaris"),
    ("Opel", "Astra"),
    ("Renault", "Clio"),
    ("Peugeot", "208"),
    ("Kia", "Picanto"),
]
COLOURS = ["zwart", "grijs", "wit", "blauw", "rood", "zilver"]


def _eleven_weights_ok(digits: list[int]) -> bool:
    total = sum((9 - i) * d for i, d in enumerate(digits[:8])) - digits[8]
    return total % 11 == 0


def bsn(rng: random.Random) -> str:
    """A 9-digit number that passes the 11-proef (and so also serves as an RSIN)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        partial = sum((9 - i) * d for i, d in enumerate(digits))
        last = partial % 11
        if last <= 9:
            digits.append(last)
            if _eleven_weights_ok(digits):
                return "".join(map(str, digits))


rsin = bsn


def kvk_number(rng: random.Random) -> str:
    return f"{rng.randint(10_000_000, 99_999_999)}"


def vestigingsnummer(rng: random.Random) -> str:
    return f"{rng.randint(1, 999_999_999_999):012d}"


def bag_id(rng: random.Random, object_type: str = "20", gemeentecode: str = ALMELO_GEMEENTECODE) -> str:
    return f"{gemeentecode}{object_type}{rng.randint(1, 9_999_999_999):010d}"


def postcode(rng: random.Random) -> str:
    """An Almelo-looking postcode (7600-7609), normalised without space."""
    letters = "ABCDEGHJKLMNPRSTVWXZ"
    while True:
        pair = rng.choice(letters) + rng.choice(letters)
        if pair not in {"SA", "SD", "SS"}:
            return f"760{rng.randint(0, 9)}{pair}"


def kenteken(rng: random.Random) -> str:
    """A kenteken in side code 7 (99-XXX-9) or 8 (9-XXX-99), normalised."""
    letters = "BDFGHJKLNPRSTVXZ"
    mid = "".join(rng.choice(letters) for _ in range(3))
    if rng.random() < 0.5:
        return f"{rng.randint(10, 99)}{mid}{rng.randint(1, 9)}"
    return f"{rng.randint(1, 9)}{mid}{rng.randint(10, 99)}"


def voorvoegsel(rng: random.Random) -> str:
    values, weights = zip(*VOORVOEGSELS, strict=True)
    return rng.choices(values, weights=weights)[0]


def person_name(rng: random.Random) -> dict[str, str]:
    """BRP-style name parts: voornamen, voorvoegsel, geslachtsnaam."""
    count = rng.choices([1, 2, 3], weights=[5, 4, 1])[0]
    voornamen = " ".join(rng.sample(VOORNAMEN, count))
    return {
        "voornamen": voornamen,
        "voorvoegsel": voorvoegsel(rng),
        "geslachtsnaam": rng.choice(GESLACHTSNAMEN),
    }


def birth_date(
    rng: random.Random, *, youngest: int = 18, oldest: int = 80, today: date | None = None
) -> date:
    today = today or date(2026, 1, 1)
    start = today - timedelta(days=oldest * 365)
    span = (oldest - youngest) * 365
    return start + timedelta(days=rng.randint(0, span))


def street(rng: random.Random) -> str:
    return rng.choice(ALMELO_STREETS)


def almelo_address(rng: random.Random) -> dict:
    wijk = rng.choice(ALMELO_WIJKEN)
    buurt = f"{rng.randint(0, 9):02d}"
    return {
        "street": street(rng),
        "house_number": rng.randint(1, 250),
        "house_letter": rng.choice(["", "", "", "", "A", "B"]),
        "postcode": postcode(rng),
        "town": "Almelo",
        "bag_nummeraanduiding": bag_id(rng, "20"),
        "bag_verblijfsobject": bag_id(rng, "01"),
        "gemeente_code": ALMELO_CBS,
        "wijk_code": f"WK{ALMELO_GEMEENTECODE}{wijk}",
        "buurt_code": f"BU{ALMELO_GEMEENTECODE}{wijk}{buurt}",
        "latitude": round(52.34 + rng.random() * 0.04, 6),
        "longitude": round(6.63 + rng.random() * 0.06, 6),
    }


def organisation_name(rng: random.Random) -> str:
    owner = rng.choice(GESLACHTSNAMEN)
    word = rng.choice(BUSINESS_WORDS)
    suffix = rng.choice(["", " B.V.", " V.O.F.", " Holding B.V."])
    return rng.choice([f"{word} {owner}{suffix}", f"{owner} {word}{suffix}", f"{word} Almelo{suffix}"])


def vehicle(rng: random.Random) -> dict:
    make, model = rng.choice(CAR_MAKES)
    return {"kenteken": kenteken(rng), "make": make, "model_name": model, "colour": rng.choice(COLOURS)}
