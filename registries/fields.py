"""Data minimisation: which BRP ``fields`` a user may ask, per role (a permission, never a group
name) and per use (filling a new person, comparing a record, the nightly re-check). Never
"everything": the union of the profiles both allow, and an empty list means no BRP question."""

from __future__ import annotations

IDENTITY = [
    "burgerservicenummer",
    "naam.voornamen",
    "naam.voorvoegsel",
    "naam.geslachtsnaam",
    "naam.volledigeNaam",
    "geboorte.datum",
    "geboorte.plaats",
]
RESIDENCE = ["verblijfplaats"]

PROFILES = {"identity": IDENTITY, "residence": RESIDENCE}

# permission -> profiles it opens
ROLE_PROFILES = {
    "registries.query_brp": {"identity", "residence"},
    "registries.query_brp_identity": {"identity"},
}

# use -> profiles the use needs
USE_PROFILES = {
    "fill": {"identity", "residence"},  # Ophalen uit BRP: name, birth, address for the new record
    "compare": {"identity"},  # Vergelijken met basisregistratie: only what the record holds
    "reverify": {"identity"},  # the nightly re-check of unverified records
}


def brp_fields(user, use: str) -> list[str]:
    allowed: set[str] = set()
    for perm, profiles in ROLE_PROFILES.items():
        if user.has_perm(perm):
            allowed |= profiles
    wanted = allowed & USE_PROFILES.get(use, set())
    out: list[str] = []
    for name in ("identity", "residence"):
        if name in wanted:
            out += PROFILES[name]
    return out
