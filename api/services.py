"""Writes of the API app: API clients and their keys (functional admin), idempotent delivery."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from .models import ApiClient, IdempotencyRecord, Scope

MANAGE_CLIENTS = "api.add_apiclient"
CHANGE_CLIENTS = "api.change_apiclient"
KEY_DAYS = 365
ROTATION_GRACE_DAYS = 7


def key_hash(key: str) -> str:
    # The key is 32 random bytes: a plain SHA-256 cannot be brute-forced, and allows a lookup.
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"vik_{prefix}_{secrets.token_urlsafe(32)}"


def _check_scopes(scopes: list[str]) -> list[str]:
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown:
        raise ApplicationError(_("Onbekende scope: %(s)s") % {"s": ", ".join(unknown)}, field="scopes")
    return sorted(set(scopes))


@transaction.atomic
def api_client_create(
    *,
    actor: User,
    name: str,
    organisation: OrgUnit,
    user: User,
    scopes: list[str],
    oauth_client_id: str = "",
    with_key: bool = True,
    key_days: int = KEY_DAYS,
    deliver_team: OrgUnit | None = None,
    deliver_source=None,
) -> tuple[ApiClient, str]:
    """Creates a client; returns it with its API key (shown once, never stored)."""
    if not actor.has_perm(MANAGE_CLIENTS):
        raise ApplicationError(_("Alleen de functioneel beheerder maakt API-koppelingen."))
    if user.pk == actor.pk:
        raise ApplicationError(_("Een koppeling handelt niet als uw eigen account."), field="user")
    if not name.strip():
        raise ApplicationError(_("Geef de koppeling een naam."), field="name")
    client = ApiClient(
        name=name.strip(),
        organisation=organisation,
        user=user,
        scopes=_check_scopes(scopes),
        oauth_client_id=oauth_client_id.strip(),
        deliver_team=deliver_team,
        deliver_source=deliver_source,
        created_by=actor,
    )
    key = ""
    if with_key:
        prefix, key = _new_key()
        client.key_prefix, client.key_hash = prefix, key_hash(key)
        client.key_expires_at = timezone.now() + timedelta(days=key_days)
    client.save()
    return client, key


@transaction.atomic
def api_key_rotate(*, actor: User, client: ApiClient, grace_days: int = ROTATION_GRACE_DAYS) -> str:
    """A new key; the old one keeps working for ``grace_days`` so the partner can switch."""
    if not actor.has_perm(CHANGE_CLIENTS):
        raise ApplicationError(_("Alleen de functioneel beheerder vervangt API-sleutels."))
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at:
        raise ApplicationError(_("Deze koppeling is ingetrokken."))
    now = timezone.now()
    if client.key_hash:
        client.previous_key_prefix, client.previous_key_hash = client.key_prefix, client.key_hash
        client.previous_key_expires_at = min(
            now + timedelta(days=grace_days), client.key_expires_at or now + timedelta(days=grace_days)
        )
    prefix, key = _new_key()
    client.key_prefix, client.key_hash = prefix, key_hash(key)
    client.key_expires_at = now + timedelta(days=KEY_DAYS)
    client.save()
    return key


@transaction.atomic
def api_client_revoke(*, actor: User, client: ApiClient) -> ApiClient:
    if not actor.has_perm(CHANGE_CLIENTS):
        raise ApplicationError(_("Alleen de functioneel beheerder trekt API-koppelingen in."))
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    return client


def client_for_key(key: str) -> ApiClient | None:
    """The live client holding ``key`` (current key, or the previous one within its grace)."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "vik" or not parts[1]:
        return None
    digest = key_hash(key)
    now = timezone.now()
    for client in (
        ApiClient.objects.select_related("user", "organisation")
        .filter(revoked_at__isnull=True)
        .filter(models_q_prefix(parts[1]))
    ):
        if client.key_hash and hmac.compare_digest(client.key_hash, digest):
            if client.key_expires_at and client.key_expires_at > now:
                return client
        if client.previous_key_hash and hmac.compare_digest(client.previous_key_hash, digest):
            if client.previous_key_expires_at and client.previous_key_expires_at > now:
                return client
    return None


def models_q_prefix(prefix: str):
    from django.db.models import Q

    return Q(key_prefix=prefix) | Q(previous_key_prefix=prefix)


# --- idempotent delivery ---------------------------------------------------------------------------


def request_fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def idempotent_create(*, client: ApiClient, key: str, fingerprint: str, create):
    """Runs ``create()`` once per (client, key). Returns (signal, created). A reused key with a
    different body is refused (422 by the caller); concurrent retries wait on the unique index."""
    if not key:
        return create(), True
    existing = IdempotencyRecord.objects.select_related("signal").filter(client=client, key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                signal = create()
                IdempotencyRecord.objects.create(
                    client=client, key=key, request_hash=fingerprint, signal=signal
                )
            return signal, True
        except IntegrityError:
            existing = (
                IdempotencyRecord.objects.select_related("signal").filter(client=client, key=key).first()
            )
            if existing is None:
                raise
    if existing.request_hash != fingerprint:
        raise ApplicationError(
            _("Deze Idempotency-Key is al gebruikt voor een andere aanlevering."), field="Idempotency-Key"
        )
    return existing.signal, False
