"""seed_demo: the group mapping for the demo IdP users (vik/identity/demo.py)."""

from __future__ import annotations


def seed_identity() -> str:
    from django.contrib.auth.models import Group

    from vik.core.models import OrgUnit

    from .demo import DEMO_MAPPINGS
    from .models import GroupMapping

    n = 0
    for idp_group, role, unit, leader, clearance, note in DEMO_MAPPINGS:
        _obj, created = GroupMapping.objects.get_or_create(
            idp_group=idp_group,
            defaults={
                "role": Group.objects.filter(name=role).first() if role else None,
                "org_unit": OrgUnit.objects.filter(code=unit).first() if unit else None,
                "team_leader": leader,
                "implies_clearance": clearance,
                "note": note,
            },
        )
        n += created
    return f"{n} group mappings"
