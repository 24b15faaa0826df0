"""Deadline reminders (DOMAIN §4 ``deadline_scan``): who must be told what, today.

The scan is state-based and idempotent: every run looks at every open deadline and sends the
reminder of the most advanced stage that applies now (T-7 days, the day itself, overdue; lead
times from the setting ``MEASURES_REMINDER_LEAD_DAYS``, default ``(7, 0)``). Each reminder has a
``dedup_key`` that includes the deadline, its due date and the stage, so running twice sends
nothing twice, a recomputed due date gets fresh reminders, and a run that a killed worker missed
is made up by the next one (the job runs hourly, acks late).

Other apps add their own reminders with :func:`register_source`: ``fn(today)`` yields
``(user, message, link, dedup_key)`` tuples (meetings: overdue action items).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from vik.core.deadline_state import deadline_state

from .constants import FINAL_STATES
from .models import Deadline

Reminder = tuple  # (user, message, link, dedup_key)
_SOURCES: list[Callable[[date], Iterable[Reminder]]] = []


def register_source(fn: Callable[[date], Iterable[Reminder]]) -> None:
    """Register an extra reminder source; ``fn(today)`` yields (user, message, link, dedup_key)."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)


def sources() -> list[Callable[[date], Iterable[Reminder]]]:
    return [measure_deadline_reminders, *_SOURCES]


def lead_days() -> tuple[int, ...]:
    leads = getattr(settings, "MEASURES_REMINDER_LEAD_DAYS", (7, 0))
    return tuple(sorted({int(x) for x in leads if int(x) >= 0}, reverse=True)) or (0,)


def stage_for(due: date, today: date, *, requires_action: bool, leads: tuple[int, ...]) -> str | None:
    """The reminder stage of a deadline today: ``overdue``, ``T-<n>`` (the smallest lead time
    already reached) or ``None`` (nothing to send yet, or a term of someone else that expired)."""
    days_left = (due - today).days
    if days_left < 0:
        return "overdue" if requires_action else None
    reached = [n for n in leads if days_left <= n]
    return f"T-{min(reached)}" if reached else None


def _message(d: Deadline, stage: str, today: date) -> str:
    ref = f"{d.measure.reference} ({d.measure.get_kind_display()})"
    due = d.due_date.strftime("%d-%m-%Y")
    if stage == "overdue":
        return _("Termijn verstreken: %(t)s van %(m)s verliep op %(d)s.") % {"t": d.label, "m": ref, "d": due}
    if d.due_date == today:
        return _("Termijn verloopt vandaag: %(t)s van %(m)s (%(d)s).") % {"t": d.label, "m": ref, "d": due}
    state = deadline_state(d.due_date, today=today).label
    return _("Termijn verloopt op %(d)s (%(s)s): %(t)s van %(m)s.") % {
        "t": d.label,
        "m": ref,
        "d": due,
        "s": state,
    }


def measure_deadline_reminders(today: date) -> Iterator[Reminder]:
    leads = lead_days()
    horizon = today + timedelta(days=max(leads))
    rows = (
        Deadline.objects.filter(done=False, paused=False, responsible__isnull=False, due_date__lte=horizon)
        .exclude(measure__state__in=FINAL_STATES)
        .select_related("measure", "rule", "responsible")
        .order_by("due_date", "id")
    )
    for d in rows:
        if not d.responsible.is_active:
            continue
        stage = stage_for(d.due_date, today, requires_action=d.rule.requires_action, leads=leads)
        if stage is None:
            continue
        link = reverse("measures:detail", kwargs={"pk": d.measure_id})
        key = f"measures:deadline:{d.pk}:{d.due_date.isoformat()}:{stage}"
        yield d.responsible, _message(d, stage, today), link, key


def deadline_scan(*, today: date) -> int:
    """Send every reminder that is due today and not sent before; return how many were sent."""
    from vik.core.services import notification_send

    from .services import measure_deadlines_recompute, receivables_mark_time_barred

    # Limitation clocks that stand still while objection/appeal is pending move with the days.
    for measure_id in set(Deadline.objects.filter(paused=True).values_list("measure_id", flat=True)):
        from .models import Measure

        measure_deadlines_recompute(measure=Measure.objects.get(pk=measure_id), as_of=today)
    receivables_mark_time_barred(on=today)
    sent = 0
    for source in sources():
        for user, message, link, key in source(today):
            if notification_send(user=user, message=message, link=link, dedup_key=key[:200]):
                sent += 1
    return sent
