"""Demo organisation units and users for every role (seed_demo). Deterministic TOTP secrets so
that a newcomer can log in within a minute; refused outside VIK_DEMO_MODE."""

from __future__ import annotations

import hashlib

from django_otp.plugins.otp_totp.models import TOTPDevice

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .constants import (
    ROLE_ANALYST,
    ROLE_BIBOB,
    ROLE_CHAIR,
    ROLE_DECISION_MAKER,
    ROLE_FUNCTIONAL_ADMIN,
    ROLE_PARTNER,
    ROLE_PRIVACY_OFFICER,
    ROLE_REPORTER,
    Compartment,
    OrgKind,
    PartnerType,
)
from .models import OrgUnit, User

DEMO_PASSWORD = "VIK-demo-2026!"

ORG_UNITS = [
    ("veiligheid", "Gemeente Almelo – team Veiligheid", OrgKind.TEAM, "", "Almelo"),
    ("bibob", "Gemeente Almelo – Bibob", OrgKind.TEAM, "", "Almelo"),
    ("vergunningen", "Gemeente Almelo – team Vergunningen", OrgKind.TEAM, "", "Almelo"),
    ("bestuur", "Gemeente Almelo – burgemeester en college", OrgKind.TEAM, "", "Almelo"),
    ("informatiebeheer", "Gemeente Almelo – Informatiebeheer", OrgKind.TEAM, "", "Almelo"),
    ("politie", "Politie Oost-Nederland, basisteam Almelo", OrgKind.PARTNER, PartnerType.POLICE, ""),
    ("riec", "RIEC Oost-Nederland", OrgKind.PARTNER, PartnerType.RIEC, ""),
    ("odt", "Omgevingsdienst Twente", OrgKind.PARTNER, PartnerType.ODT, ""),
    ("srt", "Sociale Recherche Twente", OrgKind.PARTNER, PartnerType.SRT, ""),
    ("twenterand", "Gemeente Twenterand", OrgKind.PARTNER, PartnerType.MUNICIPALITY, "Twenterand"),
]

ALL = [c.value for c in Compartment]
# username, first, last, role, org, clearances, email
DEMO_USERS = [
    ("analist", "Anouk", "de Vries", ROLE_ANALYST, "veiligheid", ["general", "mma", "police"]),
    ("analist2", "Bram", "Jansen", ROLE_ANALYST, "veiligheid", ["general", "police"]),
    ("voorzitter", "Carla", "van den Berg", ROLE_CHAIR, "veiligheid", ["general", "mma", "police"]),
    ("bibob", "Daan", "Bakker", ROLE_BIBOB, "bibob", ["general", "bibob"]),
    ("burgemeester", "Els", "Visser", ROLE_DECISION_MAKER, "bestuur", ["general", "police", "bibob"]),
    ("politie", "Frank", "Smit", ROLE_PARTNER, "politie", ["general", "police"]),
    ("riec", "Gerda", "Meijer", ROLE_PARTNER, "riec", ["general"]),
    ("odt", "Hans", "Mulder", ROLE_PARTNER, "odt", ["general"]),
    ("twenterand", "Ingrid", "de Boer", ROLE_PARTNER, "twenterand", ["general"]),
    ("beheerder", "Jeroen", "Bos", ROLE_FUNCTIONAL_ADMIN, "informatiebeheer", []),
    ("privacy", "Karin", "Dekker", ROLE_PRIVACY_OFFICER, "informatiebeheer", []),
    # a municipal employee outside the chain (permits): reports, sees only their own receipts
    ("melder", "Lotte", "Hendriks", ROLE_REPORTER, "vergunningen", []),
]


def demo_totp_key(username: str) -> str:
    """Deterministic per user and per installation secret (hex, 20 bytes)."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:demo-totp:{username}".encode()).hexdigest()[:40]


def require_demo_mode() -> None:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured(
            "Demo logins are only available with VIK_DEMO_MODE=true (never in production)."
        )


@transaction.atomic
def seed_org_units_and_users(stdout=None) -> list[User]:
    units = {}
    for code, name, kind, ptype, muni in ORG_UNITS:
        units[code], _ = OrgUnit.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "partner_type": ptype, "municipality": muni}
        )
    users = []
    for username, first, last, role, org, clear in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.vik.local"},
        )
        user.org_unit = units[org]
        user.clearances = clear
        user.is_staff = role == ROLE_FUNCTIONAL_ADMIN
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        TOTPDevice.objects.update_or_create(
            user=user, name="demo", defaults={"key": demo_totp_key(username), "confirmed": True}
        )
        users.append(user)
    return users
