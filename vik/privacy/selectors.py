"""Reads for privacy operations. ``is_restricted`` and ``is_held`` are the public questions other
apps may ask; the rest serve the privacy pages."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps as global_apps
from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from vik.core.constants import AccessAction, AccessResult
from vik.core.models import AccessLog, BreakGlass, LogRef, User

from .models import (
    AnomalyReport,
    DataSubjectRequest,
    DestructionList,
    LegalHold,
    Rectification,
    Restriction,
    RetentionRule,
)

STATED_REASON_PREFIX = "Reden:"  # vik.core.purpose labels a stated-reason purpose "Reden: ..."
READ_ACTIONS = [AccessAction.READ, AccessAction.SEARCH]
EXPORT_ACTIONS = [AccessAction.EXPORT, AccessAction.PRINT, AccessAction.DOWNLOAD]
OUTSIDE_SCAN_LIMIT = 20000  # rows examined per report for the owning-team check


def is_restricted(model_label: str, pk: int) -> bool:
    """True while processing of the record is restricted (AVG art. 18). Apps refuse edits,
    sharing and exports of a restricted record; reads for the legal claim stay possible."""
    return Restriction.objects.filter(model_label=model_label, object_id=pk, lifted_at__isnull=True).exists()


def is_held(model_label: str, pk: int) -> bool:
    """True while a legal hold keeps the record from destruction."""
    return LegalHold.objects.filter(model_label=model_label, object_id=pk, released_at__isnull=True).exists()


def _require(user, perm: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(perm))


def rule_list(*, user) -> QuerySet[RetentionRule]:
    if not _require(user, "privacy.view_retentionrule"):
        return RetentionRule.objects.none()
    return RetentionRule.objects.all()


def hold_list(*, user) -> QuerySet[LegalHold]:
    if not _require(user, "privacy.view_legalhold"):
        return LegalHold.objects.none()
    return LegalHold.objects.select_related("set_by", "released_by")


def destruction_list_list(*, user) -> QuerySet[DestructionList]:
    if not _require(user, "privacy.view_destructionlist"):
        return DestructionList.objects.none()
    return DestructionList.objects.annotate(n_items=Count("items", distinct=True)).prefetch_related(
        "approvals__user"
    )


def dsar_list(*, user) -> QuerySet[DataSubjectRequest]:
    if not _require(user, "privacy.view_datasubjectrequest"):
        return DataSubjectRequest.objects.none()
    return DataSubjectRequest.objects.select_related("handled_by")


def restriction_list(*, user) -> QuerySet[Restriction]:
    if not _require(user, "privacy.view_restriction"):
        return Restriction.objects.none()
    return Restriction.objects.select_related("set_by", "lifted_by")


def anomaly_report_list(*, user) -> QuerySet[AnomalyReport]:
    if not _require(user, "core.view_access_log"):
        return AnomalyReport.objects.none()
    return AnomalyReport.objects.all()


# --- access-log reports ------------------------------------------------------------------------


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def recipients_for(refs: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """Who received data about these records: per organisation, role and action, how often and
    when (AVG art. 15(1)(c): recipients or categories of recipients)."""
    ref_ids = []
    for kind, pk in refs:
        ref_ids += list(LogRef.objects.filter(kind=kind, object_id=pk).values_list("pk", flat=True))
    if not ref_ids:
        return []
    rows = (
        AccessLog.objects.filter(ref_id__in=ref_ids, result=AccessResult.ALLOWED)
        .values("actor_id", "role", "action")
        .annotate(n=Count("id"), first=Min("at"), last=Max("at"))
    )
    orgs = dict(
        User.objects.filter(pk__in={r["actor_id"] for r in rows if r["actor_id"]}).values_list(
            "pk", "org_unit__name"
        )
    )
    grouped: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        key = (orgs.get(r["actor_id"]) or "", r["role"], r["action"])
        entry = grouped.setdefault(
            key,
            {
                "organisation": key[0],
                "role": key[1],
                "action": str(AccessAction(key[2]).label) if key[2] in AccessAction.values else key[2],
                "count": 0,
                "first": r["first"],
                "last": r["last"],
            },
        )
        entry["count"] += r["n"]
        entry["first"] = min(entry["first"], r["first"])
        entry["last"] = max(entry["last"], r["last"])
    result = sorted(grouped.values(), key=lambda e: (e["organisation"], e["role"], e["action"]))
    for e in result:
        e["first"] = timezone.localtime(e["first"]).date().isoformat()
        e["last"] = timezone.localtime(e["last"]).date().isoformat()
    return result


def stated_reason_reads(*, start: date, end: date) -> list[dict[str, Any]]:
    """Reads and searches whose purpose was a stated reason rather than a case, per user."""
    lo, hi = _window(start, end)
    return list(
        AccessLog.objects.filter(
            at__gte=lo,
            at__lt=hi,
            action__in=READ_ACTIONS,
            result=AccessResult.ALLOWED,
            purpose__startswith=STATED_REASON_PREFIX,
        )
        .values("actor_label")
        .annotate(n=Count("id"))
        .order_by("-n", "actor_label")
    )


def reads_outside_team(*, start: date, end: date) -> list[dict[str, Any]]:
    """Reads of a record owned by another team than the reader's (records with an
    ``owner_team``), by readers without ``core.view_all_teams``; per user, with a sample."""
    lo, hi = _window(start, end)
    rows = list(
        AccessLog.objects.filter(
            at__gte=lo, at__lt=hi, action=AccessAction.READ, result=AccessResult.ALLOWED, ref_id__isnull=False
        ).values("id", "at", "actor_id", "actor_label", "ref_id", "ref_kind", "purpose")[:OUTSIDE_SCAN_LIMIT]
    )
    refs = dict(LogRef.objects.filter(pk__in={r["ref_id"] for r in rows}).values_list("pk", "object_id"))
    owners: dict[tuple[str, int], int | None] = {}
    by_kind: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        if r["ref_id"] in refs:
            by_kind[r["ref_kind"]].add(refs[r["ref_id"]])
    for kind, ids in by_kind.items():
        try:
            model = global_apps.get_model(kind)
        except (LookupError, ValueError):
            continue
        if not any(f.name == "owner_team" for f in model._meta.fields):
            continue
        for pk, team_id in model._default_manager.filter(pk__in=ids).values_list("pk", "owner_team_id"):
            owners[(kind, pk)] = team_id
    actors = {u.pk: u for u in User.objects.filter(pk__in={r["actor_id"] for r in rows if r["actor_id"]})}
    result: dict[str, dict[str, Any]] = {}
    for r in rows:
        oid = refs.get(r["ref_id"])  # type: ignore[arg-type]
        team_id = owners.get((r["ref_kind"], oid)) if oid is not None else None
        user = actors.get(r["actor_id"])  # type: ignore[arg-type]
        if (
            team_id is None
            or user is None
            or user.org_unit_id == team_id
            or user.has_perm("core.view_all_teams")
        ):
            continue
        entry = result.setdefault(r["actor_label"], {"actor_label": r["actor_label"], "n": 0, "sample": []})
        entry["n"] += 1
        if len(entry["sample"]) < 5:
            entry["sample"].append(f"{r['ref_kind']} {oid} ({timezone.localtime(r['at']):%d-%m-%Y %H:%M})")
    return sorted(result.values(), key=lambda e: -e["n"])


def break_glass_uses(*, start: date, end: date) -> list[BreakGlass]:
    lo, hi = _window(start, end)
    return list(
        BreakGlass.objects.filter(created_at__gte=lo, created_at__lt=hi)
        .select_related("user", "content_type")
        .order_by("-created_at")
    )


def export_volumes(*, start: date, end: date) -> list[dict[str, Any]]:
    lo, hi = _window(start, end)
    return list(
        AccessLog.objects.filter(
            at__gte=lo, at__lt=hi, action__in=EXPORT_ACTIONS, result=AccessResult.ALLOWED
        )
        .values("actor_label")
        .annotate(n=Count("id"))
        .order_by("-n", "actor_label")
    )


def denied_attempts(*, start: date, end: date) -> list[dict[str, Any]]:
    lo, hi = _window(start, end)
    return list(
        AccessLog.objects.filter(at__gte=lo, at__lt=hi, result=AccessResult.DENIED)
        .values("actor_label")
        .annotate(n=Count("id"))
        .order_by("-n", "actor_label")
    )


def rectification_list(*, user) -> QuerySet[Rectification]:
    if not _require(user, "privacy.view_rectification"):
        return Rectification.objects.none()
    return Rectification.objects.select_related("made_by")


LOGGING_CONTROLS_PERM = "core.view_logging_controls"


def logging_controls(*, user) -> dict[str, Any] | None:
    """Every log VIK keeps (each app registers its own with ``vik.core.registry.register_log``)
    with its retention rule(s) and whether the nightly retention job enforces them, and the
    history of the access-log chain verification. None when ``user`` may not see it."""
    if not _require(user, LOGGING_CONTROLS_PERM):
        return None
    from vik.core.logs import verification_history, verification_schedule
    from vik.core.registry import registry

    from .providers import retention_classes

    logs = [info for _order, fn in registry.logs for info in fn()]
    codes = {code for info in logs for code in info.retention_codes}
    rules = {r.code: r for r in RetentionRule.objects.filter(code__in=codes)}
    enforced = retention_classes()
    rows = []
    for info in logs:
        rows.append(
            {
                "info": info,
                "rules": [
                    {"rule": rules[code], "enforced": code in enforced}
                    for code in info.retention_codes
                    if code in rules
                ],
            }
        )
    history = verification_history()
    return {
        "logs": rows,
        "history": history,
        "last": history[0] if history else None,
        "schedule": verification_schedule(),
    }
