"""The plan of approach (plan van aanpak ondermijning) in VIK: its ambitions and, per ambition,
actions with an owner team, a planned quarter, a status and progress notes."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from vik.core.models import BaseModel, OrgUnit


class ActionStatus(models.TextChoices):
    PLANNED = "gepland", _("Gepland")
    RUNNING = "lopend", _("Lopend")
    DONE = "gereed", _("Gereed")
    CANCELLED = "vervallen", _("Vervallen")


CLOSED_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)


class Ambition(BaseModel):
    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    title = models.CharField(_("ambitie"), max_length=300)

    class Meta:
        verbose_name = _("ambitie")
        verbose_name_plural = _("ambities")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


def quarter_end(year: int, quarter: int) -> date:
    return _last_day(year, quarter * 3)


def _last_day(year: int, month: int) -> date:
    from calendar import monthrange

    return date(year, month, monthrange(year, month)[1])


class PlanAction(BaseModel):
    ambition = models.ForeignKey(Ambition, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(_("actie"), max_length=500)
    owner_team = models.ForeignKey(
        OrgUnit, verbose_name=_("eigenaar"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    planned_year = models.PositiveSmallIntegerField(_("gepland jaar"), null=True, blank=True)
    planned_quarter = models.PositiveSmallIntegerField(
        _("gepland kwartaal"), null=True, blank=True, choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)]
    )
    planned_label = models.CharField(
        _("planning volgens het plan"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld 'doorlopend' of 'n.t.b.'."),
    )
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus, default=ActionStatus.PLANNED)
    progress_notes = models.TextField(_("voortgang"), blank=True)
    links = models.TextField(_("verwijzingen naar dashboards of casussen"), blank=True)

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["ambition__number", "planned_year", "planned_quarter", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_year__isnull=True, planned_quarter__isnull=True)
                | models.Q(planned_year__isnull=False, planned_quarter__isnull=False),
                name="plan_action_year_and_quarter_together",
            )
        ]

    def __str__(self) -> str:
        return self.title[:80]

    @property
    def quarter_label(self) -> str:
        if self.planned_year and self.planned_quarter:
            return f"Q{self.planned_quarter} {self.planned_year}"
        return self.planned_label or "n.t.b."

    def is_overdue(self, today: date) -> bool:
        if self.status in CLOSED_STATUSES or not (self.planned_year and self.planned_quarter):
            return False
        return quarter_end(self.planned_year, self.planned_quarter) < today


class YearReportStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class YearReport(BaseModel):
    """The yearly ondermijningsbeeld for one year, built in a background job. It holds counts and
    totals only (suppressed where small), never a person, premises or case."""

    year = models.PositiveSmallIntegerField(_("jaar"))
    requested_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=YearReportStatus, default=YearReportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    xlsx = models.BinaryField(null=True, blank=True, editable=False)
    message = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("jaarbeeld ondermijning")
        verbose_name_plural = _("jaarbeelden ondermijning")
        ordering = ["-created_at"]
        permissions = [("generate_yearreport", "Mag het jaarbeeld ondermijning maken")]

    def __str__(self) -> str:
        return f"{self.year}"
