"""Areas (CBS gemeente/wijk/buurt outlines) and the signal rollup that the management view reads.

Areas are reference data, not case content: they carry no compartment. The rollup holds counts
only, never a link to a record; it is rebuilt as a whole by ``dashboards.refresh_rollups``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vik.core.models import BaseModel

from .constants import AreaLevel


class Area(BaseModel):
    """One CBS area of one year. ``geometry`` is a GeoJSON geometry (Polygon or MultiPolygon) in
    WGS84; the bounding-box columns prefilter point-in-polygon lookups in SQL."""

    code = models.CharField(_("CBS-code"), max_length=10)  # GM0141, WK014101, BU01410101
    name = models.CharField(_("naam"), max_length=200)
    year = models.PositiveIntegerField(_("jaar"))
    level = models.CharField(_("niveau"), max_length=2, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ligt in"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    geometry = models.JSONField(_("geometrie (GeoJSON, WGS84)"))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    class Meta:
        verbose_name = _("gebied (CBS)")
        verbose_name_plural = _("gebieden (CBS)")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="dashboards_area_code_year")]
        indexes = [
            models.Index(
                fields=["level", "min_lon", "max_lon", "min_lat", "max_lat"], name="dashboards_area_bbox"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SignalRollup(models.Model):
    """Signal counts per month × phenomenon × source × status × buurt × compartment × owner team.

    A signal with several phenomena has one row per phenomenon; exactly one of its rows has
    ``primary=True``, so totals that do not split by phenomenon sum the primary rows only and
    never count a signal twice. A signal's buurt is the buurt of its first linked address that
    has a buurt code ('' when none)."""

    month = models.DateField()
    phenomenon = models.CharField(max_length=30, blank=True)
    primary = models.BooleanField(default=True)
    source = models.CharField(max_length=30)
    status = models.CharField(max_length=30)
    buurt_code = models.CharField(max_length=10, blank=True)
    wijk_code = models.CharField(max_length=8, blank=True)
    compartment = models.CharField(max_length=10)
    owner_team = models.ForeignKey("core.OrgUnit", on_delete=models.CASCADE, related_name="+")
    n = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("telling signalen (rollup)")
        verbose_name_plural = _("tellingen signalen (rollup)")
        indexes = [models.Index(fields=["month", "compartment"], name="dashboards_rollup_month")]
        permissions = [
            (
                "view_management_dashboard",
                "Mag het managementdashboard zien (tellingen over alle teams, kleine aantallen onderdrukt)",
            )
        ]


class RollupState(models.Model):
    """One row: when the rollup was last rebuilt and how many signals it covered."""

    refreshed_at = models.DateTimeField(null=True, blank=True)
    signals = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
