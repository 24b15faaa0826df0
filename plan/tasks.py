from __future__ import annotations

from celery import shared_task

from django.db import transaction
from django.utils import timezone


@shared_task(name="plan.build_year_report", acks_late=True)
def build_year_report(report_id: int) -> None:
    """Idempotent: a report that is already done is left alone."""
    from . import yearreport
    from .models import YearReport, YearReportStatus

    with transaction.atomic():
        report = YearReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == YearReportStatus.DONE:
            return
        report.status, report.progress = YearReportStatus.RUNNING, 5
        report.save(update_fields=["status", "progress", "updated_at"])

    def progress(pct: int) -> None:
        YearReport.objects.filter(pk=report_id).update(progress=pct)

    try:
        content = yearreport.build_content(report.year, progress)
        pdf = yearreport.to_pdf(content)
        progress(90)
        xlsx = yearreport.to_xlsx(content)
    except Exception:
        YearReport.objects.filter(pk=report_id).update(
            status=YearReportStatus.FAILED,
            message="Het maken van het jaarbeeld is mislukt. Probeer het opnieuw.",
        )
        raise
    YearReport.objects.filter(pk=report_id).update(
        status=YearReportStatus.DONE, progress=100, pdf=pdf, xlsx=xlsx, finished_at=timezone.now()
    )
