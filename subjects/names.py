"""Dutch name handling: voorvoegsels, initials and the normalised search key.

The search key is the geslachtsnaam without voorvoegsel, without accents, in lower case
(``"van der Berg"`` and ``"Van Der Bérg"`` both become ``"berg"``), which is what the trigram
index is built over. Python's normalisation matches PostgreSQL's ``unaccent(lower(...))`` for
the Latin letters found in Dutch and Turkish names.
"""

from __future__ import annotations

import re
import unicodedata

# Longest first so that "van der" wins over "van".
VOORVOEGSELS = sorted(
    {
        "van der",
        "van den",
        "van de",
        "van het",
        "van 't",
        "van",
        "de",
        "den",
        "der",
        "het",
        "'t",
        "ter",
        "ten",
        "te",
        "in 't",
        "in de",
        "in het",
        "op de",
        "op den",
        "op 't",
        "uit de",
        "uit den",
        "uit het",
        "aan de",
        "aan den",
        "bij de",
        "onder de",
        "over de",
        "von",
        "von der",
        "van la",
        "la",
        "le",
        "du",
        "d'",
        "da",
        "di",
        "dos",
        "del",
        "della",
        "el",
        "al",
    },
    key=len,
    reverse=True,
)
_SPECIAL = str.maketrans(
    {"ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "’": "'", "‘": "'"}
)
_SPACES = re.compile(r"\s+")


def unaccent_lower(value: str) -> str:
    text = (value or "").translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.lower().translate(_SPECIAL)).strip()


def tidy(value: str) -> str:
    return _SPACES.sub(" ", (value or "").strip())


def split_voorvoegsel(voorvoegsel: str, geslachtsnaam: str) -> tuple[str, str]:
    """Split a voorvoegsel off a geslachtsnaam typed as one ("van der Berg" -> "van der", "Berg").
    An explicitly given voorvoegsel is kept as is (lower case, as the BRP writes it)."""
    voorvoegsel = tidy(voorvoegsel).lower()
    geslachtsnaam = tidy(geslachtsnaam)
    if voorvoegsel:
        return voorvoegsel, geslachtsnaam
    lowered = geslachtsnaam.lower().replace("’", "'")
    for prefix in VOORVOEGSELS:
        if prefix.endswith("'") and lowered.startswith(prefix) and len(lowered) > len(prefix):
            return prefix, geslachtsnaam[len(prefix) :].strip()
        if lowered.startswith(prefix + " ") and len(lowered) > len(prefix) + 1:
            return prefix, geslachtsnaam[len(prefix) + 1 :].strip()
    return "", geslachtsnaam


def name_key(geslachtsnaam: str) -> str:
    """The normalised search key of a geslachtsnaam that has its voorvoegsel split off."""
    return unaccent_lower(geslachtsnaam)


def search_key(text: str) -> str:
    """Normalise a typed surname for search: drop a leading voorvoegsel, unaccent, lower."""
    _prefix, rest = split_voorvoegsel("", text)
    return unaccent_lower(rest)


def initials_of(voornamen: str) -> str:
    """ "Jan Pieter" -> "J.P."; "Ayşe" -> "A."; handles hyphenated names ("Jan-Willem" -> "J.W.")."""
    parts = [p for p in re.split(r"[\s\-]+", tidy(voornamen)) if p]
    return "".join(f"{unaccent_lower(p)[0].upper()}." for p in parts if unaccent_lower(p))[:20]


def normalise_initials(value: str) -> str:
    letters = [ch for ch in unaccent_lower(value) if ch.isalpha()]
    return "".join(f"{ch.upper()}." for ch in letters)


def organisation_key(name: str) -> str:
    """Organisation search key: unaccent, lower, legal-form suffixes dropped."""
    key = unaccent_lower(name)
    key = re.sub(r"\b(b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?|c\.?v\.?|holding)\s*$", "", key).strip(" .,-")
    return key or unaccent_lower(name)


def alias_keys(names: list[str]) -> str:
    """Search text over aliases or trade names (word-similarity, trigram index)."""
    return " | ".join(unaccent_lower(n) for n in names if n)[:5000]
