"""Choices and fixed numbers of the dashboards app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: Cells with a count from 1 up to (not including) this number are hidden in management views
#: that aggregate beyond the viewer's own scope (Zicht op Ondermijning practice: no figure
#: traceable to a person or address), together with complementary cells so that no hidden cell
#: can be worked back from a total (dashboards.suppression).
SUPPRESS_BELOW = 5
#: What every hidden cell shows (the msgid; selectors.suppressed_marker translates it). Not "<5":
#: a complementary cell can hold any number.
SUPPRESSED = "afgeschermd"

#: Displacement hints (waterbed effect): defaults for the analysis page.
DISPLACEMENT_MONTHS = 6
DISPLACEMENT_METRES = 500

#: The map page's table lists this many buurten (most signals first); all of them on request.
MAP_TABLE_ROWS = 50

#: How long a browser may keep the buurt outlines (CBS reference data, no figures), in seconds.
OUTLINES_MAX_AGE = 24 * 60 * 60

#: CRS identifiers accepted for RD New and WGS84.
CRS_RD_NEW = 28992
CRS_WGS84 = 4326


class AreaLevel(models.TextChoices):
    GEMEENTE = "GM", _("Gemeente")
    WIJK = "WK", _("Wijk")
    BUURT = "BU", _("Buurt")
