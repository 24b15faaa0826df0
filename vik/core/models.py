from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import AccessAction, AccessResult, Compartment, OrgKind, PartnerType
from .encryption import EncryptedTextField


class BaseModel(models.Model):
    created_at = models.DateTimeField(db_index=True, default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OrgUnit(BaseModel):
    """A team of the municipality or a partner organisation. Users belong to one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=10, choices=OrgKind.choices)
    partner_type = models.CharField(_("type"), max_length=10, choices=PartnerType.choices, blank=True)
    municipality = models.CharField(_("gemeente"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("organisatie-eenheid")
        verbose_name_plural = _("organisatie-eenheden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def team_token(self) -> str:
        return f"t:{self.code}"

    @property
    def org_token(self) -> str:
        return f"o:{self.code}"


class User(AbstractUser):
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    clearances = ArrayField(
        models.CharField(max_length=10, choices=Compartment.choices),
        verbose_name=_("compartimenten"),
        default=list,
        blank=True,
        help_text=_("De compartimenten waarvoor deze gebruiker is geautoriseerd."),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        permissions = [
            ("view_all_teams", "Mag dossiers van alle teams zien (binnen de compartimenten)"),
            ("break_glass", "Mag met vastgelegde reden inhoud inzien (break-glass)"),
            ("view_access_log", "Mag het toegangslogboek raadplegen"),
            ("manage_configuration", "Mag configuratie beheren"),
        ]

    @property
    def group_pairs(self) -> list[tuple[int, str]]:
        """(id, name) of the user's groups, read once per request (principals and header)."""
        cache = getattr(self, "_vik_group_pairs", None)
        if cache is None:
            cache = list(self.groups.order_by("name").values_list("id", "name"))
            self._vik_group_pairs = cache
        return cache

    @property
    def role_label(self) -> str:
        return ", ".join(name for _id, name in self.group_pairs)


class ProtectedModel(BaseModel):
    """A record under need-to-know: one compartment, one owning team, and the denormalised
    ``visible_to`` array of principal tokens (``t:team``, ``u:id``, ``g:id``, ``o:org``) that
    lists and counts filter on with a GIN index. Only ``vik.core.access`` writes ``visible_to``."""

    compartment = models.CharField(
        _("compartiment"),
        max_length=10,
        choices=Compartment.choices,
        default=Compartment.GENERAL,
        db_index=True,
    )
    owner_team = models.ForeignKey(
        OrgUnit, verbose_name=_("eigenaar (team)"), on_delete=models.PROTECT, related_name="+"
    )
    visible_to = ArrayField(models.CharField(max_length=60), default=list, editable=False)

    class Meta:
        abstract = True
        indexes = [GinIndex(fields=["visible_to"], name="%(app_label)s_%(class)s_vis")]


class ShareGrant(BaseModel):
    """An explicit share of one record with a principal (user, group, team or organisation).
    The source of truth for ``visible_to``; user and group grants are mirrored into
    django-guardian's per-object permissions."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    principal = models.CharField(max_length=60)
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "principal"], name="uniq_share_grant"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]


class LogRef(models.Model):
    """Pseudonymous reference to a record named in the access log. Retention deletes this row,
    which pseudonymises every log row about the record without touching the insert-only log."""

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    label = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="uniq_logref")]


class AccessLog(models.Model):
    """Append-only, hash-chained log of reads. The table is partitioned by month (RunSQL in the
    migration) and a trigger rejects UPDATE and DELETE."""

    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)
    actor_label = models.CharField(max_length=150)
    role = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    ref_id = models.BigIntegerField(null=True)
    ref_kind = models.CharField(max_length=40, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    result = models.CharField(max_length=10, choices=AccessResult.choices)
    ip = models.CharField(max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        managed = False
        db_table = "core_accesslog"
        ordering = ["-at"]


class BreakGlass(BaseModel):
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="break_glass")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    reason = models.CharField(_("reden"), max_length=500)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "content_type", "object_id"])]


class Notification(BaseModel):
    """An in-app message. ``dedup_key`` makes reminder jobs idempotent: a second run that would
    send the same reminder finds the key taken and sends nothing."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=500)
    link = models.CharField(max_length=300, blank=True)
    dedup_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class DeclaredDay(BaseModel):
    """A day declared equal to an Atw feestdag by royal decree (Atw art. 3(3))."""

    date = models.DateField(_("datum"), unique=True)
    description = models.CharField(_("omschrijving"), max_length=200)
    source = models.CharField(_("bron (Staatscourant)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("gelijkgestelde dag (Atw)")
        verbose_name_plural = _("gelijkgestelde dagen (Atw)")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.description}"


class DeclaredDaysReview(BaseModel):
    """A functional admin checked the Staatscourant for the days declared equal to a feestdag in
    ``year`` (Atw art. 3(3)) and entered them as ``DeclaredDay`` rows. The rules page shows per
    coming year whether this was done; an unreviewed year may miss bridge days."""

    year = models.PositiveIntegerField(_("jaar"), unique=True)
    reviewed_on = models.DateField(_("gecontroleerd op"))
    reviewed_by = models.ForeignKey(
        "core.User", verbose_name=_("gecontroleerd door"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("bron (Staatscourant)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("controle gelijkgestelde dagen")
        verbose_name_plural = _("controles gelijkgestelde dagen")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.reviewed_on:%d-%m-%Y}"


class EncryptionCanary(models.Model):
    """One encrypted known value. If it does not decrypt at start-up the keys are wrong, and the
    process refuses to start (the field library would silently return ciphertext)."""

    value = EncryptedTextField()
