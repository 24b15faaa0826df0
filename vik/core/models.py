from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    AccessAction,
    AccessResult,
    Compartment,
    EmailStatus,
    LdvStatus,
    MappingKind,
    OrgKind,
    PartnerType,
)
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


class User(AbstractUser):  # type: ignore[django-manager-missing]
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
            ("manage_users", "Mag gebruikers beheren (rollen en compartimenten aanvragen)"),
            ("approve_access_grant", "Mag aanvragen voor rollen en compartimenten goedkeuren"),
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
    """Pseudonymous reference to a record named in the access log: kind and id, never a label or
    any other content (the privacy officer who reads the log may not see the record itself).
    Retention deletes this row, which pseudonymises every log row about the record without
    touching the insert-only log."""

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()

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
    # The processing activity (register, AVG art. 30) and its version in force; empty on rows
    # written before the register existed (core 0012).
    activity_id = models.BigIntegerField(null=True)
    activity_version = models.PositiveIntegerField(null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # W3C trace context of the request or job that wrote the row (vik/core/tracing.py; core 0011).
    # Filled by the columns' defaults from the statement's settings, outside the hash chain
    # (docs/adr/0006-trace-context-on-the-access-log.md).
    trace_id = models.CharField(max_length=32, blank=True, default="")
    span_id = models.CharField(max_length=16, blank=True, default="")

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
    # The e-mail copy has its own state: a failed SMTP delivery is retried by a task and never
    # counted as sent (reminders are delivered at least once).
    email_status = models.CharField(
        _("e-mailstatus"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mailpogingen"), default=0)
    email_error = models.CharField(_("laatste e-mailfout"), max_length=300, blank=True)

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


class GrantRequest(BaseModel):
    """A request to give a user a role or a clearance that opens more than general content. It
    takes effect only when a second person (privacy officer or another functional admin: never
    the requester, never the user concerned) approves it. Rows are never deleted: the decision
    is written on the row once, and :class:`UserChange` keeps the history."""

    class Kind(models.TextChoices):
        ROLE = "role", _("rol")
        CLEARANCE = "clearance", _("compartiment")

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op goedkeuring")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")

    user = models.ForeignKey(
        User, verbose_name=_("gebruiker"), on_delete=models.PROTECT, related_name="grant_requests"
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    group = models.ForeignKey(
        "auth.Group", verbose_name=_("rol"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clearance = models.CharField(_("compartiment"), max_length=10, choices=Compartment.choices, blank=True)
    reason = models.CharField(_("reden"), max_length=500)
    source = models.CharField(_("bron"), max_length=40, default="beheer")
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("aangevraagd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("besloten door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    decision_note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("aanvraag rol of compartiment")
        verbose_name_plural = _("aanvragen rol of compartiment")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="role", group__isnull=False, clearance="")
                    | models.Q(kind="clearance", group__isnull=True) & ~models.Q(clearance="")
                ),
                name="grantrequest_role_or_clearance",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "group", "clearance"],
                condition=models.Q(status="pending"),
                nulls_distinct=False,
                name="grantrequest_one_pending",
            ),
        ]

    @property
    def what(self) -> str:
        if self.kind == self.Kind.ROLE:
            return str(_("rol %(name)s") % {"name": self.group.name if self.group_id else "?"})  # type: ignore[union-attr]
        return str(_("compartiment %(name)s") % {"name": Compartment(self.clearance).label})


class UserChange(models.Model):
    """Append-only history of user management: who changed what about whom, and why."""

    class Action(models.TextChoices):
        CREATE = "create", _("aangemaakt")
        UPDATE = "update", _("gewijzigd")
        DEACTIVATE = "deactivate", _("gedeactiveerd")
        ACTIVATE = "activate", _("geactiveerd")
        PASSWORD_RESET_SENT = "password_reset_sent", _("herstellink gemaild")
        REQUEST = "request", _("aangevraagd")
        GRANT = "grant", _("toegekend")
        REJECT = "reject", _("afgewezen")
        REVOKE = "revoke", _("ingetrokken")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="user_changes")
    action = models.CharField(max_length=30, choices=Action.choices)
    detail = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    grant_request = models.ForeignKey(
        GrantRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]


def _current_traceparent() -> str:
    from .tracing import current_traceparent

    return current_traceparent()


class OutboxTask(models.Model):
    """Transactional outbox: a Celery task written in the same transaction as the work it is for.
    It is published after the commit; when Redis is down it stays here and the relay job
    (``vik.core.relay_outbox``) publishes it once the broker is back. Nothing is lost, and a
    rolled-back transaction enqueues nothing."""

    task = models.CharField(_("taak"), max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("verstuurd"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    last_error = models.CharField(_("laatste fout"), max_length=300, blank=True)
    # The W3C trace of the request that enqueued the task: a task relayed later still continues it.
    traceparent = models.CharField(max_length=55, blank=True, default=_current_traceparent)

    class Meta:
        verbose_name = _("uitgestelde taak")
        verbose_name_plural = _("uitgestelde taken")
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["created_at"], name="core_outbox_pending", condition=models.Q(sent_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} ({self.created_at:%Y-%m-%d %H:%M})"


class AccessLogVerification(models.Model):
    """One run of the access-log chain verification (nightly job, ``manage.py verify_access_log``
    or a test): when it ran, how many rows it checked and the first broken row. A failed run
    opens an incident notice (``vik.core.services.access_log_verify``). Shown on the logging
    controls page (BIO2 12.4: logging protected and reviewed)."""

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("nachtelijke taak")
        COMMAND = "command", _("beheercommando")

    started_at = models.DateTimeField(_("gestart"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    trigger = models.CharField(_("aanleiding"), max_length=10, choices=Trigger.choices)
    rows_checked = models.BigIntegerField(_("rijen gecontroleerd"), default=0)
    ok = models.BooleanField(_("keten intact"), null=True)
    broken_row_id = models.BigIntegerField(_("eerste verbroken rij"), null=True, blank=True)
    reason = models.CharField(_("bevinding"), max_length=300, blank=True)
    trace_id = models.CharField(_("trace-id"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("controle toegangslogboek")
        verbose_name_plural = _("controles toegangslogboek")
        ordering = ["-started_at"]
        permissions = [("view_logging_controls", "Mag het overzicht van de logboeken en hun controles zien")]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'verbroken' if self.ok is False else '…'}"


class JobRun(models.Model):
    """When a scheduled job last succeeded. Catch-up after an outage compares this with the
    job's period, not with beat's schedule alone (beat skips ticks that fell in the outage)."""

    name = models.CharField(_("taak"), max_length=100, unique=True)
    last_success_at = models.DateTimeField(_("laatst gelukt"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("laatst gestart"), null=True, blank=True)
    last_error = models.CharField(_("laatste fout"), max_length=300, blank=True)
    last_result = models.CharField(_("laatste uitkomst"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("geplande taak")
        verbose_name_plural = _("geplande taken")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcessingActivity(BaseModel):
    """A processing activity in the register (AVG art. 30). Its content lives in numbered,
    append-only versions; the activity itself holds the stable identifier and which version is in
    force. Log rows point at (activity, version) so a later change never rewrites history."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    uri = models.CharField(_("identificatie (URI)"), max_length=300, unique=True)
    current_version = models.PositiveIntegerField(_("geldende versie"), default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("verwerkingsactiviteit")
        verbose_name_plural = _("verwerkingsactiviteiten")
        permissions = [("edit_processing_register", "Mag het verwerkingsregister wijzigen")]

    def __str__(self) -> str:
        return self.code


class ProcessingActivityVersion(models.Model):
    """One version of an activity. Never updated in place (database trigger): a change is a new
    version; the only update allowed is closing the old version (``valid_to`` from empty to set)."""

    activity = models.ForeignKey(ProcessingActivity, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    name = models.CharField(_("naam"), max_length=200)
    purpose = models.TextField(_("doel"))
    legal_bases = ArrayField(models.CharField(max_length=30), verbose_name=_("grondslagen"), default=list)
    subject_categories = models.TextField(_("categorieën betrokkenen"))
    data_categories = models.TextField(_("categorieën persoonsgegevens"))
    recipients = models.TextField(_("ontvangers"), blank=True)
    retention_class = models.CharField(_("bewaartermijn"), max_length=300)
    valid_from = models.DateTimeField(_("geldig vanaf"), default=timezone.now)
    valid_to = models.DateTimeField(_("geldig tot"), null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["activity", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "number"], name="core_activity_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    @property
    def legal_basis_labels(self) -> list[str]:
        from .constants import LegalBasis

        labels = dict(LegalBasis.choices)
        return [str(labels.get(b, b)) for b in self.legal_bases]


class PurposeMapping(BaseModel):
    """Which activity a purpose belongs to: a case kind (``case``, key ``measure`` or
    ``measure:lod``), a reason category of the werkcontext (``reason``), or a part of VIK whose
    pages log their own case or task as purpose (``page``, key ``signals`` or ``core:who_viewed``)."""

    kind = models.CharField(_("soort"), max_length=10, choices=MappingKind.choices)
    key = models.CharField(_("sleutel"), max_length=80)
    activity = models.ForeignKey(ProcessingActivity, on_delete=models.PROTECT, related_name="mappings")

    class Meta:
        ordering = ["kind", "key"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="core_purposemapping_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class ProcessingRecord(models.Model):
    """The processing log in the shape of Logboek Dataverwerkingen: one record per data subject per
    processing action. Append-only (database trigger). No user identity: the access log links the
    user through the trace id. The subject is a keyed pseudonym, never an id or a BSN."""

    id = models.BigAutoField(primary_key=True)
    trace_id = models.CharField(max_length=32)
    span_id = models.CharField(max_length=16)
    parent_span_id = models.CharField(max_length=16, blank=True)
    name = models.CharField(max_length=40)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    status = models.PositiveSmallIntegerField(choices=LdvStatus.choices, default=LdvStatus.OK)
    activity_uri = models.CharField(max_length=300, blank=True)
    activity_id = models.BigIntegerField(null=True)
    activity_version = models.PositiveIntegerField(null=True)
    subject_pseudonym = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=20)
    foreign_trace_id = models.CharField(max_length=32, blank=True)
    foreign_span_id = models.CharField(max_length=16, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["subject_pseudonym", "started_at"], name="core_ldv_subject"),
            models.Index(fields=["activity_id", "started_at"], name="core_ldv_activity"),
            models.Index(fields=["trace_id"], name="core_ldv_trace"),
            models.Index(fields=["started_at"], name="core_ldv_started"),
        ]
