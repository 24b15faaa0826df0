"""API clients (systems and partner organisations) and the idempotency record of deliveries.

A client acts as one VIK user (its service account): that user's roles, clearances and
organisation decide what the client sees, through the same selectors and permission functions as
the web. The client's scopes narrow it further per endpoint."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    SIGNALS_READ = "signalen.lezen", _("Signalen lezen")
    SIGNALS_DELIVER = "signalen.aanleveren", _("Signalen aanleveren")
    SIGNALS_WRITE = "signalen.wijzigen", _("Status van signalen wijzigen")
    SUBJECTS_READ = "subjecten.lezen", _("Subjecten zoeken en lezen")
    MEASURES_READ = "maatregelen.lezen", _("Maatregelen en termijnen lezen")
    ACTIONS_READ = "acties.lezen", _("Acties van de casustafel lezen")
    ACTIONS_WRITE = "acties.wijzigen", _("Acties van de casustafel bijwerken")
    FIGURES_READ = "cijfers.lezen", _("Geaggregeerde cijfers lezen")
    CALCULATOR = "termijnen.berekenen", _("Termijnen berekenen")
    PROCESSING_READ = "verwerkingen.lezen", _("Verwerkingslogboek lezen (privacy)")


class ApiClient(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    organisation = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisatie")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handelt als gebruiker"),
    )
    scopes = ArrayField(models.CharField(max_length=40, choices=Scope), default=list)
    # Deliveries (signalen.aanleveren): the municipal team that owns delivered signals and the
    # source they come from (for example the police).
    deliver_team = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deliver_source = models.ForeignKey(
        "signals.SignalSource", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # OAuth2 client credentials at the municipal IdP: the token's azp/client_id claim.
    oauth_client_id = models.CharField(max_length=200, blank=True, default="")
    # API key: "vik_<prefix>_<secret>"; only SHA-256 of the whole key is kept.
    key_prefix = models.CharField(max_length=16, blank=True, default="", db_index=True)
    key_hash = models.CharField(max_length=64, blank=True, default="")
    key_expires_at = models.DateTimeField(null=True, blank=True)
    # Rotation: the previous key keeps working until previous_key_expires_at.
    previous_key_prefix = models.CharField(max_length=16, blank=True, default="", db_index=True)
    previous_key_hash = models.CharField(max_length=64, blank=True, default="")
    previous_key_expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("API-koppeling")
        verbose_name_plural = _("API-koppelingen")
        constraints = [
            models.UniqueConstraint(
                fields=["oauth_client_id"],
                condition=~models.Q(oauth_client_id=""),
                name="api_client_oauth_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.user.is_active


class IdempotencyRecord(models.Model):
    """One delivery per (client, Idempotency-Key): a retry answers the first result."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    signal = models.ForeignKey("signals.Signal", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_unique"),
        ]
