"""Demo data for privacy operations (seed_demo): default rules and beat schedules, and a
records manager (informatiebeheerder) so that a destruction list can get its two approvals."""

from __future__ import annotations


def seed_privacy() -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from django.conf import settings
    from django.contrib.auth.models import Group, Permission

    from vik.core.constants import ROLE_RECORDS_MANAGER
    from vik.core.demo import DEMO_PASSWORD, demo_totp_key
    from vik.core.models import OrgUnit, User

    from .defaults import ensure_defaults

    created = ensure_defaults()
    unit = OrgUnit.objects.filter(code="informatiebeheer").first()
    if unit is None or not settings.DEMO_MODE:
        return f"{created} bewaarregels aangemaakt"
    user, made = User.objects.get_or_create(
        username="archivaris",
        defaults={
            "first_name": "Lotte",
            "last_name": "Willems",
            "email": "archivaris@demo.vik.local",
            "org_unit": unit,
        },
    )
    if made:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    perms = Permission.objects.filter(
        content_type__app_label="privacy",
        codename__in=["approve_destruction_records", "view_destructionlist", "view_retentionrule"],
    )
    user.user_permissions.add(*perms)
    # the role (group) gives the header its role label and the menu its "Privacy" entry
    role = Group.objects.filter(name=ROLE_RECORDS_MANAGER).first()
    if role is not None:
        user.groups.add(role)
    TOTPDevice.objects.update_or_create(
        user=user, name="demo", defaults={"key": demo_totp_key(user.username), "confirmed": True}
    )
    return f"{created} bewaarregels aangemaakt; informatiebeheerder 'archivaris' (TOTP: manage.py demo_otp archivaris)"
