"""Reads of the registry query log (for the privacy officer)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from .models import RegistryQuery

PAGE = 100


def query_log(
    *,
    start: date | None = None,
    end: date | None = None,
    registry: str = "",
    username: str = "",
    before: int | None = None,
) -> QuerySet[RegistryQuery]:
    """Newest first; ``before`` is the id of the last row seen (keyset paging, no offset)."""
    qs = RegistryQuery.objects.all()
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        qs = qs.filter(at__lte=datetime.combine(end, time.max, tzinfo=tz))
    if registry:
        qs = qs.filter(registry=registry)
    if username:
        qs = qs.filter(actor_label=username)
    if before:
        qs = qs.filter(pk__lt=before)
    return qs.order_by("-pk")[:PAGE]
