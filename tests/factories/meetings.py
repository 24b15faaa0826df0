"""Light builders for casustafel tests. Meetings, items and actions go through the services so
the tests exercise the real rules; signals are created directly (test data for another app)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from meetings import services
from meetings.constants import ItemKind, MeetingState
from vik.core.access import init_visibility
from vik.core.constants import Compartment


def make_signal(
    *,
    team,
    summary="Hennepkwekerij vermoed in loods",
    compartment=Compartment.GENERAL,
    status="ENRICHMENT",
    casustafel=True,
    narrative="Geheime melding",
):
    from signals.models import Signal, SignalSource

    code = {"mma": "mma", "police": "politie"}.get(compartment, "intern")
    source, _ = SignalSource.objects.get_or_create(code=code, defaults={"label": code})
    signal = Signal.objects.create(
        source=source,
        received_date=timezone.localdate() - timedelta(days=10),
        summary=summary,
        narrative=narrative,
        compartment=compartment,
        owner_team=team,
        status=status,
        casustafel=casustafel,
        legal_regime="WPG" if compartment == Compartment.POLICE else "AVG",
    )
    init_visibility(signal)
    return signal


def at(days: int = 7, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, 0)))


def make_meeting(*, chair, orgs=(), days: int = 7, users=()):
    return services.meeting_create(
        actor=chair, starts_at=at(days), location="Stadhuis", participant_orgs=orgs, participant_users=users
    )


def add_free(meeting, chair, title="Vrij punt", summary="", share=()):
    item = services.item_add(actor=chair, meeting=meeting, kind=ItemKind.FREE, title=title, summary=summary)
    if share:
        services.item_update(
            actor=chair, item=item, title=item.title, summary=item.summary, visible_orgs=share
        )
    return item


def add_signal(meeting, chair, signal, summary="", share=()):
    item = services.item_add(actor=chair, meeting=meeting, kind=ItemKind.SIGNAL, ref_id=signal.pk)
    if share or summary:
        services.item_update(actor=chair, item=item, title=item.title, summary=summary, visible_orgs=share)
    return item


def advance(meeting, chair, to: str):
    """Walk the meeting forward through the states up to ``to``."""
    order = [
        MeetingState.AGENDA_LOCKED,
        MeetingState.HELD,
        MeetingState.MINUTES_DRAFT,
        MeetingState.MINUTES_APPROVED,
    ]
    for state in order:
        meeting.refresh_from_db()
        if (
            order.index(state) <= order.index(to)
            and meeting.state != state
            and state in _after(meeting.state)
        ):
            services.meeting_transition(actor=chair, meeting=meeting, to_state=state)
    meeting.refresh_from_db()
    return meeting


def _after(state: str) -> list[str]:
    order = [
        MeetingState.PLANNED,
        MeetingState.AGENDA_LOCKED,
        MeetingState.HELD,
        MeetingState.MINUTES_DRAFT,
        MeetingState.MINUTES_APPROVED,
    ]
    return order[order.index(state) + 1 :]


def add_action(item, chair, *, org, user=None, due: date | None = None, description="Pand controleren"):
    return services.action_create(
        actor=chair,
        item=item,
        description=description,
        owner_org=org,
        owner_user=user,
        due_date=due or timezone.localdate() + timedelta(days=14),
    )
