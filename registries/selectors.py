"""Reads of the registry query log (for the privacy officer) and of a record's verification."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from .models import RegistryQuery, Verification

#: Subject kinds that have a base registry (BRP, BAG, KvK) and so a verification panel.
VERIFIED_KINDS = ("person", "address", "organisation")
_VERIFICATION_FIELDS = ("registry", "status", "verified_at", "checked_at", "note")

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


def query_log_info():
    """The query log as the logging-controls page lists it (``vik.core.registry.register_log``):
    its size (an estimate when large) and the oldest/newest question (index on ``at``)."""
    from django.db.models import Max, Min
    from django.utils.translation import gettext as _

    from vik.core.logs import table_size
    from vik.core.registry import LogInfo

    from .constants import RETENTION_BRP, RETENTION_OTHER

    bounds = RegistryQuery.objects.aggregate(oldest=Min("at"), newest=Max("at"))
    count, estimated = table_size("registries_registryquery")
    return [
        LogInfo(
            key="registry_queries",
            name=_("Protocol van bevragingen van basisregistraties (BRP, BAG, KvK)"),
            holds=_(
                "Elke vraag aan de BRP, BRP Bewoning, BAG of het Handelsregister: wie (gebruiker, rol, "
                "afdeling), wanneer, met welk doel en welke verwerking, welke gegevens gevraagd, de "
                "uitkomst en de trace-id; per geleverde persoon, organisatie of adres het (versleutelde) "
                "nummer met een blinde index voor inzageverzoeken."
            ),
            where=_("PostgreSQL-tabellen registries_registryquery en registries_registrydisclosure."),
            protection=_("Eenmaal geschreven, nooit gewijzigd; de BSN's versleuteld opgeslagen."),
            retention_codes=(RETENTION_BRP, RETENTION_OTHER),
            count=count,
            estimated=estimated,
            oldest=bounds["oldest"],
            newest=bounds["newest"],
        )
    ]


def verification_annotation(user, kind: str) -> dict:
    """Subject-page annotation (``vik.core.registry.subject_annotations``): the record's
    verification as one JSON row (or NULL) in the subject's own query; the panel shows it to
    whoever may see the record, as before."""
    if kind not in VERIFIED_KINDS:
        return {}
    row = Verification.objects.filter(subject_kind=kind, subject_id=OuterRef("pk")).values(
        row=JSONObject(**{name: name for name in _VERIFICATION_FIELDS})
    )[:1]
    return {"registry_verification": Subquery(row)}


def verification_of(obj) -> Verification | None:
    """The verification of a subject record: from the annotation when the page fetched it with
    the record, else one query."""
    if not hasattr(obj, "registry_verification"):
        return Verification.objects.filter(subject_kind=getattr(obj, "kind", ""), subject_id=obj.pk).first()
    row = obj.registry_verification
    if row is None:
        return None
    values = {name: row.get(name) for name in _VERIFICATION_FIELDS}
    for name in ("verified_at", "checked_at"):
        if values[name]:
            values[name] = datetime.fromisoformat(values[name])
    return Verification(subject_kind=obj.kind, subject_id=obj.pk, **values)
