"""Signals (signalen): how VIK learns. A signal comes from a source (police, M. tip, ODT, the
municipality's own eyes and ears, a control), concerns phenomena, carries a reliability grading
and an encrypted narrative, and moves through the workflow of DOMAIN §1.1 with an append-only
status history. Controls record findings, each of which can spawn a signal."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subjects.models import SubjectReference, exactly_one_subject
from vik.core.constants import Compartment
from vik.core.encryption import EncryptedTextField
from vik.core.models import BaseModel, OrgUnit, ProtectedModel

from .constants import (
    CasustafelOutcome,
    ControlPartner,
    ControlStatus,
    ControlType,
    FindingType,
    FollowUp,
    ImportStatus,
    LegalRegime,
    ReliabilityInformation,
    ReliabilitySource,
    SignalStatus,
    SubjectRole,
)


class SignalSource(BaseModel):
    """Reference list of sources; the functional admin adds and retires entries."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("omschrijving"), max_length=200)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("bron van signalen")
        verbose_name_plural = _("bronnen van signalen")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Phenomenon(BaseModel):
    """Reference list of phenomena of ondermijning; the functional admin can extend it."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("omschrijving"), max_length=200)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("fenomeen")
        verbose_name_plural = _("fenomenen")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class ImportBatch(BaseModel):
    """One file import (web or command line). The uploaded file is kept encrypted only until the
    import has run; the outcome (counts and the ``regel N: reden`` lines) stays."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_team = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    stored_file = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    skip_invalid = models.BooleanField(_("ongeldige regels overslaan"), default=False)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    already_present = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # ["regel 3: ...", ...]
    message = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the uploaded file: the same content is never imported twice by one team.
    sha256 = models.CharField(max_length=64, blank=True, default="")
    # The run failed halfway (worker, database or broker fault): nothing was imported and the
    # stored file is kept, so the user may start it again.
    interrupted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("importbestand")
        verbose_name_plural = _("importbestanden")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_team", "sha256"],
                condition=models.Q(status__in=["queued", "running", "done"]) & ~models.Q(sha256=""),
                name="signals_importbatch_file_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%d-%m-%Y %H:%M})"


class Signal(ProtectedModel):
    # No index on created_at: lists, keyset paging and retention go by received_date (issue #26:
    # every index is written by each imported signal).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    source = models.ForeignKey(
        SignalSource, verbose_name=_("bron"), on_delete=models.PROTECT, related_name="+"
    )
    phenomena = models.ManyToManyField(Phenomenon, verbose_name=_("fenomenen"), related_name="signals")
    # indexed through signals_signal_keyset (received_date DESC, id DESC), which serves its range
    # filters too: a separate index would cost every insert and serve no query
    received_date = models.DateField(_("ontvangen op"))
    reliability_source = models.CharField(
        _("betrouwbaarheid bron"),
        max_length=1,
        choices=ReliabilitySource.choices,
        default=ReliabilitySource.X,
    )
    reliability_information = models.CharField(
        _("betrouwbaarheid informatie"),
        max_length=1,
        choices=ReliabilityInformation.choices,
        default=ReliabilityInformation.FOUR,
    )
    summary = models.CharField(
        _("samenvatting (niet vertrouwelijk)"),
        max_length=500,
        help_text=_("Korte, niet-vertrouwelijke samenvatting. Hierop wordt gezocht."),
    )
    narrative = EncryptedTextField(_("volledige tekst (vertrouwelijk)"), blank=True, null=True)
    search_vector = SearchVectorField(null=True, editable=False)
    legal_regime = models.CharField(
        _("wettelijk regime"), max_length=3, choices=LegalRegime.choices, default=LegalRegime.AVG
    )
    wpg_conditions = models.TextField(_("voorwaarden van verstrekking (Wpg)"), blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=SignalStatus.choices, default=SignalStatus.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toegewezen aan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_signals",
        db_index=False,  # signals_signal_assignee (assignee, status) serves it
    )
    casustafel = models.BooleanField(_("voor de casustafel"), default=False)
    casustafel_outcome = models.CharField(
        _("uitkomst casustafel"), max_length=10, choices=CasustafelOutcome.choices, blank=True
    )
    police_alignment_at = models.DateTimeField(_("afgestemd met politie op"), null=True, blank=True)
    police_alignment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    police_alignment_note = models.CharField(_("afspraak met politie"), max_length=500, blank=True)
    external_ref = models.CharField(_("extern kenmerk"), max_length=100, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True, editable=False)

    class Meta(ProtectedModel.Meta):
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        permissions = [
            ("export_signal", "Mag signalen exporteren"),
            ("import_signal", "Mag signalen importeren"),
            ("flag_casustafel", "Mag signalen voor de casustafel agenderen"),
        ]
        indexes = [
            GinIndex(fields=["visible_to"], name="signals_signal_vis"),
            GinIndex(fields=["search_vector"], name="signals_signal_fts"),
            models.Index(fields=["-received_date", "-id"], name="signals_signal_keyset"),
            models.Index(fields=["status", "-received_date"], name="signals_signal_status"),
            models.Index(fields=["assignee", "status"], name="signals_signal_assignee"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="signals_signal_unique_external_ref",
            )
        ]

    def __str__(self) -> str:
        return f"S-{self.pk} {self.summary[:60]}"

    @property
    def reference(self) -> str:
        return f"S-{self.pk}"

    @property
    def is_mma(self) -> bool:
        return self.compartment == Compartment.MMA

    @property
    def police_aligned(self) -> bool:
        return self.police_alignment_at is not None

    @property
    def reliability(self) -> str:
        return f"{self.reliability_source}{self.reliability_information}"


def _subject_key(model: str) -> models.ForeignKey:
    """One of SignalSubject's four subject keys (indexed by a partial index in its Meta)."""
    return models.ForeignKey(
        model, on_delete=models.PROTECT, null=True, blank=True, related_name="signal_links", db_index=False
    )


class SignalSubject(BaseModel, SubjectReference):
    """A subject or object linked to a signal, with its role in the signal. Exactly one of the
    four foreign keys is set."""

    SUBJECT_FIELDS = ("person", "organisation", "address", "vehicle")

    created_at = models.DateTimeField(default=timezone.now, editable=False)  # not looked up by it
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="subject_links")
    # Exactly one of the four is set: each has a partial index over its non-empty rows (below)
    # instead of the plain one that would hold an entry for the three empty ones of every link.
    person = _subject_key("subjects.Person")
    organisation = _subject_key("subjects.Organisation")
    address = _subject_key("subjects.Address")
    vehicle = _subject_key("subjects.Vehicle")
    role = models.CharField(
        _("rol in het signaal"), max_length=20, choices=SubjectRole.choices, default=SubjectRole.BETROKKENE
    )

    class Meta:
        verbose_name = _("gekoppeld subject of object")
        verbose_name_plural = _("gekoppelde subjecten en objecten")
        indexes = [
            models.Index(
                fields=[name], condition=models.Q(**{f"{name}__isnull": False}), name=f"signals_link_{name}"
            )
            for name in ("person", "organisation", "address", "vehicle")
        ]
        constraints = [
            exactly_one_subject(
                "signals_signalsubject_exactly_one", ("person", "organisation", "address", "vehicle")
            )
        ]

    @property
    def target(self):
        return self.subject

    @property
    def kind_label(self) -> str:
        return str(self.target._meta.verbose_name) if self.target else ""


class SignalStatusChange(models.Model):
    """Append-only status history: who moved the signal from which state to which, when, why."""

    signal = models.ForeignKey(
        Signal,
        on_delete=models.CASCADE,
        related_name="status_changes",
        db_index=False,  # signals_statuschange_sig (signal, at) serves it
    )
    from_status = models.CharField(max_length=30, choices=SignalStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=SignalStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["signal", "at"], name="signals_statuschange_sig")]


class Attachment(BaseModel):
    """A file with a signal: encrypted at rest in MEDIA_ROOT, type checked by content, served only
    as a download after the access check."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.filename


class Control(ProtectedModel):
    """An integral control (GUSTOS, horeca, premises, gambling, care fraud) or a DOR/DOL control
    of a second-hand dealer (DOMAIN §1.6)."""

    control_type = models.CharField(_("soort controle"), max_length=20, choices=ControlType.choices)
    date = models.DateField(_("datum"))
    address = models.ForeignKey(
        "subjects.Address",
        verbose_name=_("adres"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    location_note = models.CharField(_("locatie of object"), max_length=200, blank=True)
    partners_present = ArrayField(
        models.CharField(max_length=20, choices=ControlPartner.choices),
        verbose_name=_("aanwezige partners"),
        default=list,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ControlStatus.choices, default=ControlStatus.PLANNED
    )
    notes = models.TextField(_("toelichting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(ProtectedModel.Meta):
        verbose_name = _("controle")
        verbose_name_plural = _("controles")
        ordering = ["-date", "-id"]
        indexes = [GinIndex(fields=["visible_to"], name="signals_control_vis")]

    def __str__(self) -> str:
        where = str(self.address) if self.address_id else self.location_note
        return f"{self.get_control_type_display()} {self.date:%d-%m-%Y} {where}".strip()


class Finding(BaseModel):
    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="findings")
    finding_type = models.CharField(_("soort bevinding"), max_length=25, choices=FindingType.choices)
    description = models.CharField(_("omschrijving"), max_length=500)
    follow_up = models.CharField(_("opvolging"), max_length=20, choices=FollowUp.choices, blank=True)
    signal = models.OneToOneField(
        Signal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="finding",
        verbose_name=_("signaal"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bevinding")
        verbose_name_plural = _("bevindingen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_finding_type_display()}: {self.description[:60]}"
