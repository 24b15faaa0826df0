"""Idempotent demo data: organisation units, a user for every role, and whatever each domain
app registers as a seeder (subjects, signals, measures, Bibob dossiers, meetings)."""

import base64
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from vik.core.demo import DEMO_PASSWORD, demo_totp_key, require_demo_mode, seed_org_units_and_users
from vik.core.encryption import ensure_canary
from vik.core.registry import registry


class Command(BaseCommand):
    help = "Create demo users for every role and a synthetic municipality (idempotent)."

    def handle(self, *args, **options):
        require_demo_mode()
        ensure_canary()
        started = time.monotonic()
        users = seed_org_units_and_users()
        self.stdout.write(f"users: {len(users)} demo users")
        for _order, name, fn in registry.seeders:
            t0 = time.monotonic()
            with transaction.atomic():
                summary = fn()
            self.stdout.write(f"{name}: {summary or 'ok'} ({time.monotonic() - t0:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"seed_demo done in {time.monotonic() - started:.1f} s"))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in users:
            secret = base64.b32encode(bytes.fromhex(demo_totp_key(user.username))).decode()
            self.stdout.write(f"  {user.username:<13} {user.role_label:<24} TOTP secret {secret}")
        self.stdout.write("Current code for a user: python manage.py demo_otp USERNAME")
