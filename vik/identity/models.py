"""Accounts that follow the municipal identity provider: the link between a VIK user and the
IdP's subject, the group mapping the functional admin maintains, what the IdP said that VIK did
not act on (unknown groups, clearances that need the approval flow), idle deactivations and the
quarterly access review (BIO2)."""

from __future__ import annotations

from django_otp.models import Device

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from vik.core.constants import Compartment
from vik.core.models import BaseModel, OrgUnit


class OidcIdentity(BaseModel):
    """A VIK account bound to (issuer, sub). Users are found by ``sub`` only, never by e-mail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oidc")
    issuer = models.CharField(max_length=300)
    sub = models.CharField(max_length=255)
    last_groups = models.JSONField(default=list, blank=True)
    last_refresh_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("gemeenteaccount")
        verbose_name_plural = _("gemeenteaccounts")
        constraints = [models.UniqueConstraint(fields=["issuer", "sub"], name="identity_issuer_sub_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.sub})"


class GroupMapping(BaseModel):
    """IdP group -> VIK role and/or team. A clearance is never granted from a group: a mapping that
    names one only records that the person needs it (``ClearanceNeedsApproval``)."""

    idp_group = models.CharField(
        _("groep bij de identity provider"),
        max_length=255,
        unique=True,
        help_text=_("Naam of ID van de groep zoals die in de claim staat (Entra ID: object-ID)."),
    )
    role = models.ForeignKey(
        Group, verbose_name=_("rol"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("team"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team_leader = models.BooleanField(
        _("teamleider"), default=False, help_text=_("Leden van deze groep zijn teamleider van het team.")
    )
    implies_clearance = models.CharField(
        _("vraagt compartiment aan"),
        max_length=10,
        choices=Compartment.choices,
        blank=True,
        help_text=_(
            "Wordt nooit automatisch toegekend: VIK legt vast dat goedkeuring nodig is (tweede persoon)."
        ),
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("groepskoppeling")
        verbose_name_plural = _("groepskoppelingen")
        ordering = ["idp_group"]

    def __str__(self) -> str:
        return self.idp_group


class UnknownIdpGroup(BaseModel):
    """A group name seen in a claim that no mapping names: ignored, reported to the admin."""

    name = models.CharField(max_length=255, unique=True)
    last_seen_at = models.DateTimeField()
    times_seen = models.PositiveIntegerField(default=1)
    handled = models.BooleanField(_("afgehandeld"), default=False)

    class Meta:
        verbose_name = _("onbekende IdP-groep")
        verbose_name_plural = _("onbekende IdP-groepen")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return self.name


class ClearanceNeedsApproval(BaseModel):
    """A mapped group implies a compartment the user does not hold: a note for the functional
    admin, who starts the approval flow. Closed when the user holds the clearance."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    compartment = models.CharField(max_length=10, choices=Compartment.choices)
    idp_group = models.CharField(max_length=255)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("compartiment: goedkeuring nodig")
        verbose_name_plural = _("compartimenten: goedkeuring nodig")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "compartment"],
                condition=models.Q(resolved_at__isnull=True),
                name="identity_open_clearance_note_unique",
            )
        ]


class TeamLeadership(BaseModel):
    """Who reviews a team's access rights each quarter. Maintained by the functional admin, or
    from a mapped group with ``team_leader`` (``from_idp``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("team"), on_delete=models.CASCADE, related_name="+")
    from_idp = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("teamleider")
        verbose_name_plural = _("teamleiders")
        constraints = [models.UniqueConstraint(fields=["user", "org_unit"], name="identity_leader_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.org_unit}"


class Deactivation(BaseModel):
    """History of accounts deactivated by VIK (idle too long, revoked in an access review)."""

    class Reason(models.TextChoices):
        IDLE = "idle", _("te lang niet ingelogd")
        REVIEW = "review", _("ingetrokken bij toegangsreview")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    last_login = models.DateTimeField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("deactivering")
        verbose_name_plural = _("deactiveringen")
        ordering = ["-created_at"]


class AccessReview(BaseModel):
    """One quarterly review round (BIO2 access rights review). Never deleted."""

    period = models.CharField(max_length=7, unique=True)  # "2026-Q4"
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("toegangsreview")
        verbose_name_plural = _("toegangsreviews")
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period


class AccessReviewLine(BaseModel):
    """One person's rights as they stood when the review started, and the team leader's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("nog te beoordelen")
        CONFIRMED = "confirmed", _("bevestigd")
        REVOKED = "revoked", _("ingetrokken")

    review = models.ForeignKey(AccessReview, on_delete=models.PROTECT, related_name="lines")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    roles = models.CharField(max_length=500, blank=True)
    clearances = models.CharField(max_length=200, blank=True)
    last_login = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("regel toegangsreview")
        verbose_name_plural = _("regels toegangsreview")
        ordering = ["review", "org_unit__name", "person__username"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="identity_review_person_unique")
        ]


class IdpMfaDevice(Device):
    """A django-otp device standing for "the IdP did the second factor" (acr/amr said so). It
    never verifies a typed token; VIK marks the session verified with it after an OIDC login."""

    def verify_token(self, token) -> bool:
        return False

    class Meta(Device.Meta):
        verbose_name = _("tweede factor bij de gemeente")
        verbose_name_plural = _("tweede factor bij de gemeente")
