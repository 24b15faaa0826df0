"""The subject page: ``subject_links`` / ``subject_addresses`` / ``subject_merges`` / ``subject_timeline``."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    Expression,
    F,
    JSONField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from vik.core.access import restrict
from vik.core.models import User
from vik.core.registry import TimelineEntry, registry

from ..constants import SubjectKind
from ..models import Link, MergeRecord, SubjectBase
from ..permissions import MODELS
from .common import ADDRESS_LINK_TYPES, link_list, subject_label, subject_url

logger = logging.getLogger(__name__)


# --- the subject page ---------------------------------------------------------------------------------


@dataclass
class LinkRow:
    link: Link
    outgoing: bool
    other_kind: str
    other: SubjectBase

    @property
    def other_url(self) -> str:
        return subject_url(self.other_kind, self.other.pk)

    @property
    def other_label(self) -> str:
        return subject_label(self.other)

    @property
    def other_kind_label(self) -> str:
        return str(SubjectKind(self.other_kind).label)

    @property
    def phrase(self) -> str:
        """Read from the subject's side: "woont op" or "(bewoner) ← woont op"."""
        label = self.link.get_link_type_display()
        return label if self.outgoing else _("%(t)s (omgekeerd)") % {"t": label}


def _row_json(model: type[Model]) -> JSONObject:
    """Every plain column of ``model`` as one JSON object, so rows of several tables (or a
    record's merges) come back in a single query. Columns that need decoding on read (the
    encrypted BSN) are left out: they stay deferred and load only if a caller touches them."""
    columns: dict[str, Expression | str] = {}
    for f in model._meta.concrete_fields:
        if hasattr(f, "from_db_value") and not isinstance(f, JSONField):
            continue
        columns[f.attname] = Cast(f.attname, CharField()) if isinstance(f, DecimalField) else f.attname
    return JSONObject(**columns)


def _from_row_json(model: type[Model], row: dict[str, Any]) -> Model:
    """The model instance for a row made by ``_row_json`` (the values typed as the ORM would)."""
    names, values = [], []
    for f in model._meta.concrete_fields:
        if f.attname not in row:
            continue
        value = row[f.attname]
        if value is not None:
            if isinstance(f, DateTimeField):
                value = parse_datetime(value)
            elif isinstance(f, DateField):
                value = date.fromisoformat(value)
            elif isinstance(f, DecimalField):
                value = Decimal(value)
        names.append(f.attname)
        values.append(value)
    return model.from_db(DEFAULT_DB_ALIAS, names, values)


def _visible_objects(user: User, wanted: dict[str, set[int]]) -> dict[tuple[str, int], SubjectBase]:
    """The wanted records the user may see, every kind in one query (a UNION ALL of the
    need-to-know filtered kinds), keyed by (kind, pk)."""
    parts = [
        restrict(MODELS[kind].objects.filter(pk__in=pks), user)  # type: ignore[attr-defined, index]
        .order_by()
        .annotate(_kind=Value(kind, output_field=CharField()), _row=_row_json(MODELS[kind]))  # type: ignore[index]
        .values_list("_kind", "_row")
        for kind, pks in wanted.items()
        if pks
    ]
    if not parts:
        return {}
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    out: dict[tuple[str, int], SubjectBase] = {}
    for kind, row in combined:
        obj = _from_row_json(MODELS[kind], row)
        out[(kind, obj.pk)] = obj  # type: ignore[assignment]
    return out


def subject_links(*, user: User, subject: SubjectBase) -> list[LinkRow]:
    """Links of a subject the user may see whose other end the user may also see, current first."""
    kind = subject.kind  # type: ignore[attr-defined]
    links = list(
        link_list(user=user)
        .filter(Q(from_kind=kind, from_id=subject.pk) | Q(to_kind=kind, to_id=subject.pk))
        .order_by(F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True), "-pk")[:1000]
    )
    wanted: dict[str, set[int]] = defaultdict(set)
    for link in links:
        outgoing = link.from_kind == kind and link.from_id == subject.pk
        other_kind, other_id = (link.to_kind, link.to_id) if outgoing else (link.from_kind, link.from_id)
        wanted[other_kind].add(other_id)
    objects = _visible_objects(user, wanted)
    rows = []
    for link in links:
        outgoing = link.from_kind == kind and link.from_id == subject.pk
        other_kind, other_id = (link.to_kind, link.to_id) if outgoing else (link.from_kind, link.from_id)
        other = objects.get((other_kind, other_id))
        if other is not None:
            rows.append(LinkRow(link, outgoing, other_kind, other))
    return rows


def subject_addresses(rows: list[LinkRow]) -> list[LinkRow]:
    """Addresses over time (or, on an address page, the persons and organisations there)."""
    return [
        r
        for r in rows
        if r.link.link_type in ADDRESS_LINK_TYPES and (r.other_kind == SubjectKind.ADDRESS or not r.outgoing)
    ]


def _sort_key(entry: TimelineEntry) -> tuple:
    value = entry.date
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return (value.date(), value)
    if isinstance(value, date):
        return (value, datetime.combine(value, time.min))
    return (date.min, datetime.min)


def _merges_of(kind: str, pk: Any) -> QuerySet[MergeRecord]:
    return (
        MergeRecord.objects.filter(kind=kind)
        .filter(Q(survivor_id=pk) | Q(duplicate_id=pk))
        .order_by("-created_at")
    )


def merge_rows(kind: str) -> ArraySubquery:
    """Annotation for the subject query (``merge_rows=merge_rows(kind)``): the record's merges
    come along with the record itself, so the subject page needs no query of its own for them."""
    return ArraySubquery(_merges_of(kind, OuterRef("pk")).values(row=_row_json(MergeRecord))[:50])


def subject_merges(*, subject: SubjectBase) -> list[MergeRecord]:
    """Merges this record took part in (as survivor or as duplicate), newest first."""
    rows = getattr(subject, "merge_rows", None)
    if rows is not None:
        return [_from_row_json(MergeRecord, row) for row in rows]  # type: ignore[misc]
    return list(_merges_of(subject.kind, subject.pk)[:50])  # type: ignore[attr-defined]


def _own_timeline(
    user: User, subject: SubjectBase, rows: list[LinkRow], merges: list[MergeRecord]
) -> list[TimelineEntry]:
    entries = []
    for row in rows:
        text = f"{row.phrase}: {row.other_label}"
        if row.link.start_date:
            entries.append(
                TimelineEntry(
                    row.link.start_date, "link", _("Relatie begonnen – %(t)s") % {"t": text}, row.other_url
                )
            )
        if row.link.end_date:
            entries.append(
                TimelineEntry(
                    row.link.end_date, "link", _("Relatie beëindigd – %(t)s") % {"t": text}, row.other_url
                )
            )
    for merge in merges:
        title = _("Samengevoegd: %(d)s opgegaan in %(s)s") % {
            "d": merge.snapshot.get("duplicate_label", merge.duplicate_id),
            "s": merge.snapshot.get("survivor_label", merge.survivor_id),
        }
        entries.append(
            TimelineEntry(
                merge.created_at, "merge", title, reverse("subjects:merge_detail", kwargs={"pk": merge.pk})
            )
        )
        if merge.undone_at:
            entries.append(TimelineEntry(merge.undone_at, "merge", _("Samenvoeging ongedaan gemaakt"), ""))
    return entries


TIMELINE_KIND_LABELS = {
    "signal": _lazy("Signalen"),
    "measure": _lazy("Maatregelen"),
    "deadline": _lazy("Termijnen"),
    "bibob": _lazy("Bibob"),
    "meeting": _lazy("Casustafel"),
    "link": _lazy("Relaties"),
    "merge": _lazy("Samenvoegingen"),
}


def subject_timeline(
    *,
    user: User,
    subject: SubjectBase,
    rows: list[LinkRow],
    kind: str = "",
    merges: list[MergeRecord] | None = None,
) -> tuple[list[TimelineEntry], list[str]]:
    """One timeline of everything connected to the subject, newest first. Other apps add their
    entries through ``registry.timeline`` providers (each filters for the user itself). Returns
    the entries (filtered by ``kind`` when given) and every kind that occurs."""
    if merges is None:
        merges = subject_merges(subject=subject)
    entries = _own_timeline(user, subject, rows, merges)
    for provider in registry.timeline:
        try:
            entries += list(provider(user, subject) or [])
        except Exception:  # one broken provider must not take the subject page down
            logger.exception("timeline provider %s failed", getattr(provider, "__name__", provider))
    kinds = sorted({e.kind for e in entries})
    if kind:
        entries = [e for e in entries if e.kind == kind]
    entries.sort(key=_sort_key, reverse=True)
    return entries, kinds
