"""Reminders for casustafel action items, sent by the deadline job of the measures app
(``measures.reminders.register_source``; DOMAIN §4 ``deadline_scan``: overdue casustafel actions).

State-based and idempotent like the measures' scan: each run yields the reminder of the stage that
applies today (``T-3`` days before, the day itself, overdue) with a dedup key of action, due date,
stage and recipient, so a second run sends nothing twice and a moved due date gets fresh ones.
Messages carry the action's own (partner-safe) description only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from vik.core.deadline_state import OVERDUE, SOON, TODAY, deadline_state
from vik.core.models import User

from .constants import ACTION_REMINDER_LEAD_DAYS, ActionStatus
from .models import ActionItem


def stage_for(due: date, today: date) -> str | None:
    state = deadline_state(due, today=today, soon_days=ACTION_REMINDER_LEAD_DAYS)
    return {OVERDUE: "overdue", TODAY: "today", SOON: f"T-{ACTION_REMINDER_LEAD_DAYS}"}.get(state.code)


def _recipients(action: ActionItem) -> list[User]:
    if action.owner_user_id and action.owner_user.is_active:
        return [action.owner_user]
    return list(
        User.objects.filter(is_active=True, org_unit=action.owner_org)
        .filter(
            Q(
                groups__permissions__codename="change_actionitem",
                groups__permissions__content_type__app_label="meetings",
            )
            | Q(
                user_permissions__codename="change_actionitem",
                user_permissions__content_type__app_label="meetings",
            )
        )
        .distinct()
    )


def _message(action: ActionItem, stage: str, today: date) -> str:
    params = {"ref": action.reference, "d": action.description[:120], "due": f"{action.due_date:%d-%m-%Y}"}
    if stage == "overdue":
        return _("Actiepunt casustafel verlopen (uiterlijk %(due)s): %(ref)s %(d)s") % params
    if stage == "today":
        return _("Actiepunt casustafel moet vandaag af: %(ref)s %(d)s") % params
    params["s"] = deadline_state(action.due_date, today=today).label
    return _("Actiepunt casustafel uiterlijk %(due)s (%(s)s): %(ref)s %(d)s") % params


def action_item_reminders(today: date) -> Iterator[tuple]:
    """Yields (user, message, link, dedup_key) for open action items due soon or overdue."""
    horizon = today + timedelta(days=ACTION_REMINDER_LEAD_DAYS)
    rows = (
        ActionItem.objects.exclude(status=ActionStatus.DONE)
        .filter(due_date__lte=horizon)
        .select_related("owner_user", "owner_org", "meeting__chair")
        .order_by("due_date", "id")
    )
    for action in rows:
        stage = stage_for(action.due_date, today)
        if stage is None:
            continue
        link = reverse("meetings:action_detail", kwargs={"pk": action.pk})
        recipients = _recipients(action)
        chair = action.meeting.chair
        if stage == "overdue" and chair.is_active and chair not in recipients:
            recipients.append(chair)
        for user in recipients:
            key = f"meetings:action:{action.pk}:{action.due_date.isoformat()}:{stage}:{user.pk}"
            yield user, _message(action, stage, today), link, key


def send_action_item_reminders(*, today: date) -> int:
    """Fallback when the measures' deadline job is not installed: send directly."""
    from vik.core.services import notification_send

    sent = 0
    for user, message, link, key in action_item_reminders(today):
        if notification_send(user=user, message=message, link=link, dedup_key=key[:200]):
            sent += 1
    return sent
