"""Celery interfaces: they take ids, import the service inside and call it."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="privacy.retention_sweep")
def retention_sweep() -> str:
    from .services import retention_sweep as sweep

    result = sweep()
    dl = result.destruction_list
    return f"queued {result.queued} on list {dl.pk if dl else '-'}; held {len(result.held)}"


@shared_task(name="privacy.destruction_list_carry_out")
def destruction_list_carry_out(list_id: int, actor_id: int | None = None) -> str:
    from auditlog.context import set_actor

    from vik.core.models import User

    from .models import DestructionList
    from .services import destruction_list_carry_out as carry_out

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    with set_actor(actor):
        dl = carry_out(destruction_list=DestructionList.objects.get(pk=list_id), actor=actor)
    return dl.status


@shared_task(name="privacy.access_anomaly_report")
def access_anomaly_report() -> str:
    from vik.core.services import notify_permission_holders

    from .services import anomaly_report_generate

    report = anomaly_report_generate()
    notify_permission_holders(
        perm="core.view_access_log",
        message=f"Afwijkingenrapport toegangslogboek {report.period_start:%m-%Y}: {len(report.content.get('flags', []))} signaleringen.",
        dedup_key=f"privacy-anomaly-{report.period_start:%Y-%m}",
    )
    return f"report {report.pk}"
