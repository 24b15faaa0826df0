"""Demo users of the local IdP (``manage.py demo_idp``, started by ``make run``) and the group
mapping seed_demo lays for them. Tests use the same claims."""

from __future__ import annotations

DEMO_CLIENT_ID = "vik-demo"
DEMO_CLIENT_SECRET = "vik-demo-secret"

# idp_group, role name, org unit code, team leader, implied clearance, note
DEMO_MAPPINGS = [
    ("vik-team-veiligheid", None, "veiligheid", False, "", "Leden van team Veiligheid"),
    ("vik-analisten", "Analist", None, False, "", "Analisten"),
    ("vik-teamleiders-veiligheid", None, "veiligheid", True, "", "Teamleiders Veiligheid"),
    ("vik-bibob", "Bibob-specialist", "bibob", False, "bibob", "Bibob-team (compartiment via goedkeuring)"),
]

DEMO_IDP_USERS = [
    {
        "sub": "gemeente-analist-001",
        "preferred_username": "g.jansen",
        "given_name": "Gerda",
        "family_name": "Jansen",
        "email": "g.jansen@almelo.demo",
        "groups": ["vik-team-veiligheid", "vik-analisten"],
        "amr": ["pwd", "mfa"],
    },
    {
        "sub": "gemeente-teamleider-001",
        "preferred_username": "t.smit",
        "given_name": "Tom",
        "family_name": "Smit",
        "email": "t.smit@almelo.demo",
        "groups": ["vik-teamleiders-veiligheid", "vik-analisten"],
        "amr": ["pwd", "mfa"],
    },
    {
        "sub": "gemeente-zonder-mfa-001",
        "preferred_username": "z.bakker",
        "given_name": "Zoë",
        "family_name": "Bakker",
        "email": "z.bakker@almelo.demo",
        "groups": ["vik-team-veiligheid", "vik-analisten"],
        "amr": ["pwd"],
    },
    {
        "sub": "gemeente-bibob-001",
        "preferred_username": "b.visser",
        "given_name": "Bram",
        "family_name": "Visser",
        "email": "b.visser@almelo.demo",
        "groups": ["vik-bibob", "sharepoint-alle-medewerkers"],
        "amr": ["pwd", "mfa"],
    },
]


def idp_command(port: int) -> list[str]:
    """Command line of the local OpenID provider (oidc-provider-mock) with the demo users."""
    import json
    import sys

    cmd = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--require-nonce", "true"]
    for claims in DEMO_IDP_USERS:
        cmd += ["--user-claims", json.dumps(claims)]
    return cmd
