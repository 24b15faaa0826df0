"""The casustafel's privacy providers (docs/privacy-providers.md): retention of meeting documents
(``meeting_documents``: agenda, minutes, decisions and action items) and the section of an access
request. Registered in apps.py.

The term runs from the date of the meeting (Europe/Amsterdam). The state history and the action
items' status history are append-only in the database; destruction opens the documented retention
path (:func:`vik.privacy.retention.retention_session`, migration 0003).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from subjects.selectors import person_ids
from vik.core.models import Notification
from vik.privacy.retention import (
    ANONYMISED,
    delete_with_history,
    drop_history,
    retention_session,
    retention_text,
    withheld_for_compartment,
)

from .models import (
    ActionItem,
    ActionItemChange,
    AgendaItem,
    Decision,
    FrozenMinutes,
    Meeting,
    MeetingStateChange,
)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def meeting_due(rule, today: date):
    cutoff = rule.anchor_cutoff(today)
    rows = (
        Meeting.objects.filter(starts_at__lt=_start_of(cutoff + timedelta(days=1)))
        .exclude(title=ANONYMISED)
        .order_by("pk")
        .values_list("pk", "starts_at")
    )
    for pk, starts_at in rows.iterator(chunk_size=500):
        yield "meetings.meeting", pk, timezone.localdate(starts_at)


def _forget_reminders(action_ids: list[int]) -> None:
    """Reminders quote the action's description: they go with it."""
    if action_ids:
        query = Q()
        for pk in action_ids:
            query |= Q(dedup_key__startswith=f"meetings:action:{pk}:")
        Notification.objects.filter(query).delete()


def meeting_destroy(model_label: str, pk: int) -> None:
    """Remove the meeting with its agenda items, decisions, action items, both histories and the
    frozen minutes, and their change-audit entries and reminders. An agenda item of a later
    meeting that followed up one of these action items keeps its own text and loses the link.
    Idempotent: a meeting that is gone is fine."""
    if not Meeting.objects.filter(pk=pk).exists():
        return
    with retention_session():
        actions = list(ActionItem.objects.filter(meeting_id=pk).values_list("pk", flat=True))
        AgendaItem.objects.filter(action_item_id__in=actions).update(action_item=None)
        _forget_reminders(actions)
        delete_with_history(ActionItemChange.objects.filter(action_id__in=actions))
        delete_with_history(ActionItem.objects.filter(pk__in=actions))
        delete_with_history(Decision.objects.filter(item__meeting_id=pk))
        AgendaItem.visible_orgs.through.objects.filter(agendaitem__meeting_id=pk).delete()
        delete_with_history(AgendaItem.objects.filter(meeting_id=pk))
        delete_with_history(MeetingStateChange.objects.filter(meeting_id=pk))
        FrozenMinutes.objects.filter(meeting_id=pk).delete()
        Meeting.participant_orgs.through.objects.filter(meeting_id=pk).delete()
        Meeting.participant_users.through.objects.filter(meeting_id=pk).delete()
        Meeting.objects.filter(pk=pk).delete()


def meeting_anonymise(model_label: str, pk: int) -> None:
    """Keep the date, state, participating organisations and, per agenda item, its kind,
    compartment, decision kind and action status and dates (statistics per month and kind);
    remove titles, summaries, decision texts, action descriptions, links to signals, measures and
    subjects, the reasons and notes in the histories and the frozen minutes."""
    if not Meeting.objects.filter(pk=pk).exists():
        return
    with retention_session():
        Meeting.objects.filter(pk=pk).update(title=ANONYMISED, location="", updated_at=timezone.now())
        items = list(AgendaItem.objects.filter(meeting_id=pk).values_list("pk", flat=True))
        AgendaItem.objects.filter(pk__in=items).update(
            title=ANONYMISED,
            summary="",
            signal=None,
            measure=None,
            person=None,
            organisation=None,
            address=None,
            vehicle=None,
            updated_at=timezone.now(),
        )
        drop_history(AgendaItem, items)
        decisions = list(Decision.objects.filter(item_id__in=items).values_list("pk", flat=True))
        Decision.objects.filter(pk__in=decisions).update(text="")
        drop_history(Decision, decisions)
        actions = list(ActionItem.objects.filter(meeting_id=pk).values_list("pk", flat=True))
        ActionItem.objects.filter(pk__in=actions).update(description=ANONYMISED)
        drop_history(ActionItem, actions)
        _forget_reminders(actions)
        changes = list(ActionItemChange.objects.filter(action_id__in=actions).values_list("pk", flat=True))
        ActionItemChange.objects.filter(pk__in=changes).update(note="")
        drop_history(ActionItemChange, changes)
        states = list(MeetingStateChange.objects.filter(meeting_id=pk).values_list("pk", flat=True))
        MeetingStateChange.objects.filter(pk__in=states).update(reason="")
        drop_history(MeetingStateChange, states)
        FrozenMinutes.objects.filter(meeting_id=pk).delete()


def dsar_section(person, user):
    """Agenda items about the person (directly, or through a signal or measure about them):
    the meeting's date, the item's title and the summary the chair wrote for partners, and the
    kind of decision. Items from the MMA or police compartments are described, not shown."""
    from vik.privacy.providers import DsarItem, DsarSection

    section = DsarSection(code="meetings", label=_("Casustafel"))
    ids = person_ids(person)
    items = (
        AgendaItem.objects.filter(
            Q(person_id__in=ids) | Q(measure__person_id__in=ids) | Q(signal__subject_links__person_id__in=ids)
        )
        .exclude(meeting__title=ANONYMISED)
        .select_related("meeting", "decision")
        .distinct()
        .order_by("meeting__starts_at", "position", "pk")
    )
    keep = retention_text("meeting_documents")
    meetings: set[int] = set()
    for item in items:
        withheld = withheld_for_compartment(item.compartment, _("1 agendapunt van de casustafel"))
        if withheld is not None:
            section.withheld.append(withheld)
            continue
        day = timezone.localdate(item.meeting.starts_at)
        decision = getattr(item, "decision", None)
        fields = {
            _("overleg"): f"{item.meeting.reference} {day:%d-%m-%Y}",
            _("samenvatting"): item.summary,
            _("besluit"): decision.get_kind_display() if decision else "",
        }
        section.items.append(
            DsarItem(
                title=item.title,
                date=day.isoformat(),
                purpose=_("Casusoverleg ondermijning (lokaal ondermijningsoverleg)"),
                fields={str(k): v for k, v in fields.items() if v},
                retention=keep,
            )
        )
        meetings.add(item.meeting_id)
    section.log_refs += [("meetings.meeting", pk) for pk in sorted(meetings)]
    return section
