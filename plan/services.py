"""Writes of the plan app."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from .models import ActionStatus, Ambition, PlanAction, YearReport, quarter_end


def _check_quarter(year: int | None, quarter: int | None) -> None:
    if (year is None) != (quarter is None):
        raise ApplicationError(
            _("Vul het jaar en het kwartaal allebei in, of geen van beide."), field="planned_quarter"
        )


@transaction.atomic
def action_create(
    *,
    actor: User,
    ambition: Ambition,
    title: str,
    owner_team: OrgUnit | None,
    planned_year: int | None,
    planned_quarter: int | None,
    planned_label: str = "",
    links: str = "",
) -> PlanAction:
    title = " ".join((title or "").split())
    if not title:
        raise ApplicationError(_("Beschrijf de actie."), field="title")
    _check_quarter(planned_year, planned_quarter)
    if planned_year and quarter_end(planned_year, planned_quarter) < timezone.localdate():  # type: ignore[arg-type]
        raise ApplicationError(
            _("Q%(q)s %(y)s ligt in het verleden. Kies het huidige of een later kwartaal.")
            % {"q": planned_quarter, "y": planned_year},
            field="planned_quarter",
        )
    return PlanAction.objects.create(
        ambition=ambition,
        title=title[:500],
        owner_team=owner_team,
        planned_year=planned_year,
        planned_quarter=planned_quarter,
        planned_label=planned_label[:100],
        links=links,
        status=ActionStatus.PLANNED,
    )


@transaction.atomic
def action_update(*, actor: User, action: PlanAction, status: str, progress_note: str = "") -> PlanAction:
    locked = PlanAction.objects.select_for_update().get(pk=action.pk)
    if status not in ActionStatus.values:
        raise ApplicationError(_("Kies een geldige status."), field="status")
    note = (progress_note or "").strip()
    if note:
        stamp = timezone.localtime().strftime("%d-%m-%Y")
        who = actor.get_full_name() or actor.get_username()
        locked.progress_notes = f"{locked.progress_notes}\n{stamp} ({who}): {note}".strip()
    locked.status = status
    locked.save(update_fields=["status", "progress_notes", "updated_at"])
    return locked


@transaction.atomic
def year_report_request(*, actor: User, year: int) -> YearReport:
    from vik.core.outbox import enqueue

    if year > timezone.localdate().year:
        raise ApplicationError(
            _("Een jaarbeeld kan alleen over een begonnen of afgelopen jaar."), field="year"
        )
    if YearReport.objects.filter(year=year, status__in=["queued", "running"]).exists():
        raise ApplicationError(_("Het jaarbeeld over %(y)s wordt al gemaakt.") % {"y": year}, field="year")
    report = YearReport.objects.create(year=year, requested_by=actor)
    report.deferred = enqueue("plan.build_year_report", report.pk).deferred  # type: ignore[attr-defined]
    return report
