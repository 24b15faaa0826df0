"""Letters and decisions (issue #22): Word templates versioned by the functional admin, and
letters generated from a case, checked, approved under mandate and sent. Every letter belongs to
exactly one case (a measure or a Bibob dossier) and inherits its compartment and visibility: the
access checks go through the case (``letters.permissions``). Letter contents (each uploaded
version and the PDF copy) are stored encrypted with the project's keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vik.core.constants import Compartment
from vik.core.models import BaseModel

from .constants import KIND_CHOICES, LetterState


class LetterTemplate(BaseModel):
    """One uploaded version of the Word template of a letter kind. The newest active version is
    used; without any, the built-in starter of ``letters.starter`` is used. Templates hold no
    case content, only text and merge fields."""

    kind = models.CharField(_("soort brief"), max_length=40, choices=KIND_CHOICES)
    version = models.PositiveIntegerField(_("versie"))
    filename = models.CharField(_("bestandsnaam"), max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    fields = models.JSONField(_("samenvoegvelden"), default=list)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    active = models.BooleanField(_("in gebruik"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="letters_template_version")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Letter(BaseModel):
    """A letter in a case. It goes with its case: when retention destroys the measure or dossier,
    its letters go too (CASCADE; the database refuses only UPDATEs of a sent letter)."""

    kind = models.CharField(_("soort brief"), max_length=40, choices=KIND_CHOICES)
    state = models.CharField(
        _("status"), max_length=20, choices=LetterState.choices, default=LetterState.DRAFT
    )
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.CASCADE, null=True, blank=True, related_name="letters"
    )
    dossier = models.ForeignKey(
        "bibob.BibobDossier", on_delete=models.CASCADE, null=True, blank=True, related_name="letters"
    )
    forfeiture = models.ForeignKey(
        "measures.Forfeiture", on_delete=models.CASCADE, null=True, blank=True, related_name="letters"
    )
    # copied from the case at generation; a Bibob letter stays in the Bibob compartment
    compartment = models.CharField(
        _("compartiment"), max_length=10, choices=Compartment.choices, default=Compartment.GENERAL
    )
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    template_label = models.CharField(max_length=100)
    planned_date = models.DateField(_("verzenddatum in de brief"))
    send_params = models.JSONField(default=dict, blank=True)
    # engine dates printed in the letter: rule code -> ISO date (proof of what the letter says)
    printed_deadlines = models.JSONField(default=dict, blank=True)
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ondertekenaar (mandaat)"),
        on_delete=models.PROTECT,
        related_name="letters_to_sign",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_on = models.DateField(_("verzonden / bekendgemaakt op"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pdf = models.BinaryField(null=True, blank=True)  # encrypted PDF copy, made on sending
    return_note = models.CharField(_("reden terugsturen"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        ordering = ["-created_at"]
        permissions = [
            ("check_letter", "Mag een brief van een collega controleren"),
            ("approve_letter", "Mag een brief goedkeuren onder mandaat"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__isnull=False, dossier__isnull=True)
                | Q(measure__isnull=True, dossier__isnull=False),
                name="letters_letter_one_case",
            ),
            models.CheckConstraint(
                condition=Q(dossier__isnull=True) | Q(compartment=Compartment.BIBOB),
                name="letters_bibob_stays_bibob",
            ),
        ]
        indexes = [models.Index(fields=["state", "updated_at"], name="letters_letter_state")]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    @property
    def reference(self) -> str:
        return f"BR-{self.pk}"

    @property
    def case_reference(self) -> str:
        return self.measure.reference if self.measure_id else self.dossier.reference

    @property
    def is_sent(self) -> bool:
        return self.state == LetterState.SENT


class LetterVersion(models.Model):
    """One version of the letter's Word file: the generated one (1) and each upload after it.
    Append-only in practice; after sending no version is added."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.BinaryField()  # Fernet token of the .docx (vik.core.encryption)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["letter", "number"]
        constraints = [models.UniqueConstraint(fields=["letter", "number"], name="letters_version_number")]
