"""The registry query log and what it disclosed, and the verification state of VIK records.

``RegistryQuery`` is the protocol the law asks for every BRP question (who, when, which
purpose, which fields, which BSNs: the BSNs sit encrypted in ``RegistryDisclosure`` with a
blind index for data-subject requests). Rows are written once and never edited. The BRP rows are
their own retention class (20 years); BAG/KvK rows another (5 years).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vik.core.encryption import EncryptedCharField
from vik.core.models import BaseModel

from .constants import DisclosedKind, Outcome, Registry, VerificationStatus


class RegistryQuery(BaseModel):
    registry = models.CharField(_("registratie"), max_length=10, choices=Registry.choices)
    operation = models.CharField(_("vraag"), max_length=60)
    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_label = models.CharField(_("gebruiker"), max_length=150)
    role = models.CharField(_("rol"), max_length=200, blank=True)
    org_unit = models.CharField(_("organisatieonderdeel"), max_length=200, blank=True)
    purpose = models.CharField(_("doel"), max_length=300)
    processing = models.CharField(_("verwerking"), max_length=242)
    fields = ArrayField(models.CharField(max_length=200), verbose_name=_("gevraagde gegevens"), default=list)
    trace_id = models.CharField(_("trace-id"), max_length=32, db_index=True)
    outcome = models.CharField(_("uitkomst"), max_length=12, choices=Outcome.choices)
    result_count = models.PositiveIntegerField(_("aantal resultaten"), default=0)
    reason = models.CharField(_("reden afwijzing"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bevraging basisregistratie")
        verbose_name_plural = _("bevragingen basisregistraties")
        ordering = ["-at"]
        indexes = [models.Index(fields=["registry", "at"], name="registries_query_reg_at")]
        permissions = [
            ("query_brp", "Mag de BRP bevragen (identiteit en woonadres)"),
            ("query_brp_identity", "Mag de BRP bevragen (alleen identiteit)"),
            ("query_bewoning", "Mag de bewoning van een adres opvragen (BRP Bewoning)"),
            ("query_bag_kvk", "Mag de BAG en het Handelsregister bevragen"),
        ]

    def __str__(self) -> str:
        return f"{self.get_registry_display()} {self.operation} {self.at:%Y-%m-%d %H:%M}"


class RegistryDisclosure(BaseModel):
    """One person, organisation or address a registry returned to VIK. The access log names it
    (one row per disclosure, with the purpose); the identifier (a BSN for persons) is encrypted,
    the blind index finds every disclosure about one person for a data-subject request."""

    query = models.ForeignKey(RegistryQuery, on_delete=models.CASCADE, related_name="disclosures")
    kind = models.CharField(max_length=15, choices=DisclosedKind.choices)
    identifier = EncryptedCharField(_("identificatie"), max_length=16)
    identifier_index = models.CharField(max_length=64, db_index=True)
    label = models.CharField(_("omschrijving"), max_length=200)

    class Meta:
        verbose_name = _("verstrekt gegeven")
        verbose_name_plural = _("verstrekte gegevens")

    def __str__(self) -> str:
        return f"{self.query.get_registry_display() if self.query_id else ''}: {self.label}"[:200]


class Verification(BaseModel):
    """Whether a VIK record was checked against its base registry: source, date and outcome."""

    subject_kind = models.CharField(max_length=20)
    subject_id = models.BigIntegerField()
    registry = models.CharField(_("bron"), max_length=10, choices=Registry.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=VerificationStatus.choices, default=VerificationStatus.UNVERIFIED
    )
    verified_at = models.DateTimeField(_("geverifieerd op"), null=True, blank=True)
    checked_at = models.DateTimeField(_("laatst gecontroleerd"), null=True, blank=True)
    fields = ArrayField(models.CharField(max_length=40), verbose_name=_("geverifieerde velden"), default=list)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("verificatie")
        verbose_name_plural = _("verificaties")
        constraints = [
            models.UniqueConstraint(fields=["subject_kind", "subject_id"], name="registries_verification_one")
        ]
        indexes = [models.Index(fields=["status", "checked_at"], name="registries_verif_status")]

    def __str__(self) -> str:
        return f"{self.subject_kind}:{self.subject_id} {self.get_status_display()}"


class AcceptedDifference(BaseModel):
    """History of 'Vergelijken met basisregistratie': one row per difference the analyst took
    over (the value change itself is in the record's change log)."""

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="accepted")
    field = models.CharField(_("veld"), max_length=40)
    actor = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    query = models.ForeignKey(
        RegistryQuery, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
