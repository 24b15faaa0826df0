"""Internal reports (meldingen) by municipal employees with the role "Melder". Each report
creates a signal with source "intern" in the intake team's queue. The reporter sees only a
receipt and a plain status of their own reports; when they ask to stay unknown, their identity
is kept here, apart from the signal, and shown to analysts only through break-glass."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vik.core.models import BaseModel, OrgUnit


class InternalReport(BaseModel):
    signal = models.OneToOneField("signals.Signal", on_delete=models.PROTECT, related_name="internal_report")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="internal_reports"
    )
    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    anonymous = models.BooleanField(_("onbekend blijven voor de analisten"), default=False)
    location = models.CharField(_("waar"), max_length=300)
    observed_on = models.DateField(_("wanneer"))

    class Meta:
        verbose_name = _("interne melding")
        verbose_name_plural = _("interne meldingen")
        ordering = ["-created_at"]
        permissions = [("view_reporter_identity", "Mag de identiteit van een anonieme melder inzien")]
        indexes = [models.Index(fields=["reporter", "-created_at"], name="reporting_report_reporter")]

    def __str__(self) -> str:
        return f"M-{self.pk}"

    @property
    def receipt_number(self) -> str:
        return f"MLD-{self.pk:06d}"


class GuideVersion(BaseModel):
    """ "Herken de signalen": the training content for reporters. Every save is a new version;
    the page shows the newest. Plain text with blank-line paragraphs and "# " headings."""

    body = models.TextField(_("tekst"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("versie van 'Herken de signalen'")
        verbose_name_plural = _("versies van 'Herken de signalen'")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%d-%m-%Y %H:%M}"
