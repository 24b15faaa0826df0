"""Reads of the plan app."""

from __future__ import annotations

from datetime import date

from .models import Ambition, PlanAction


def overview(today: date) -> list[dict]:
    """Per ambition its actions, each with ``overdue`` (planned quarter ended, not done)."""
    actions = list(PlanAction.objects.select_related("owner_team", "ambition"))
    rows = []
    for ambition in Ambition.objects.all():
        mine = [a for a in actions if a.ambition_id == ambition.pk]
        for a in mine:
            a.overdue = a.is_overdue(today)  # type: ignore[attr-defined]
        rows.append(
            {
                "ambition": ambition,
                "actions": mine,
                "done": sum(1 for a in mine if a.status == "gereed"),
                "overdue": sum(1 for a in mine if a.overdue),  # type: ignore[attr-defined, misc]
            }
        )
    return rows
