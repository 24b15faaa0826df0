"""Reads for the casustafel: permission-filtered querysets (STYLE.md rule 3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from vik.core.access import restrict
from vik.core.constants import Compartment
from vik.core.models import User

from .constants import ActionStatus, MeetingState
from .models import ActionItem, AgendaItem, Meeting
from .permissions import Audience, action_visible_q, audience_item_q, item_visible_q


def meeting_list(*, user: User, upcoming: bool = False) -> QuerySet[Meeting]:
    qs = restrict(Meeting.objects.select_related("chair"), user)
    if upcoming:
        qs = qs.filter(starts_at__gte=timezone.now() - timedelta(hours=12)).exclude(
            state=MeetingState.MINUTES_APPROVED
        )
        return qs.order_by("starts_at", "id")
    return qs.order_by("-starts_at", "-id")


def next_meeting(*, user: User) -> Meeting | None:
    return meeting_list(user=user, upcoming=True).first()


def _item_related(qs: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    return qs.select_related(
        "signal", "measure", "person", "organisation", "address", "vehicle", "action_item", "decision"
    ).prefetch_related(
        "visible_orgs",
        Prefetch(
            "actions",
            queryset=ActionItem.objects.select_related("owner_org", "owner_user").order_by("due_date", "id"),
        ),
    )


def agenda_items(*, user: User, meeting: Meeting) -> list[AgendaItem]:
    """The items of ``meeting`` the user may see, in agenda order."""
    qs = AgendaItem.objects.filter(meeting=meeting).filter(item_visible_q(user)).distinct()
    return list(_item_related(qs).order_by("position", "id"))


def items_for_audience(*, meeting: Meeting, audience: Audience) -> list[AgendaItem]:
    """The items a document for ``audience`` contains (the meeting itself is already visible)."""
    qs = AgendaItem.objects.filter(meeting=meeting).filter(audience_item_q(audience)).distinct()
    return list(_item_related(qs).order_by("position", "id"))


def item_list(*, user: User) -> QuerySet[AgendaItem]:
    """Every agenda item the user may see (a partner: the items shared with its organisation)."""
    return (
        AgendaItem.objects.filter(item_visible_q(user))
        .distinct()
        .select_related("meeting")
        .order_by("-meeting__starts_at", "position", "id")
    )


def action_list(*, user: User, mine: bool = False, open_only: bool = False) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.filter(action_visible_q(user)).distinct()
    if mine:
        from django.db.models import Q

        qs = qs.filter(Q(owner_user=user) | Q(owner_org_id=user.org_unit_id))
    if open_only:
        qs = qs.exclude(status=ActionStatus.DONE)
    return qs.select_related("meeting", "item", "owner_org", "owner_user").order_by("due_date", "id")


def action_history(action: ActionItem):
    return action.changes.select_related("actor").order_by("at", "id")


def meeting_history(meeting: Meeting):
    return meeting.state_changes.select_related("actor").order_by("at", "id")


@dataclass
class Candidates:
    signals: list = field(default_factory=list)
    measures: list = field(default_factory=list)
    actions: list = field(default_factory=list)


def agenda_candidates(*, user: User, meeting: Meeting, limit: int = 50) -> Candidates:
    """What the chair can put on the agenda with one click: signals flagged for the casustafel,
    open measures and action items due by the meeting date, that are not on this agenda yet."""
    out = Candidates()
    on_agenda = AgendaItem.objects.filter(meeting=meeting)
    try:
        from signals.constants import SignalStatus
        from signals.models import Signal
    except ImportError:  # pragma: no cover - the signals app is part of VIK
        Signal = None
    if Signal is not None:
        out.signals = list(
            restrict(Signal.objects.all(), user)
            .filter(casustafel=True)
            .exclude(status__in=[SignalStatus.DISMISSED, SignalStatus.CLOSED])
            .exclude(compartment=Compartment.BIBOB)
            .exclude(pk__in=on_agenda.exclude(signal=None).values("signal_id"))
            .order_by("received_date", "id")[:limit]
        )
    try:
        from measures.constants import FINAL_STATES
        from measures.models import Measure
    except ImportError:  # pragma: no cover
        Measure = None
    if Measure is not None:
        out.measures = list(
            restrict(Measure.objects.all(), user)
            .exclude(state__in=list(FINAL_STATES))
            .exclude(compartment=Compartment.BIBOB)
            .exclude(pk__in=on_agenda.exclude(measure=None).values("measure_id"))
            .order_by("created_at", "id")[:limit]
        )
    due_by: date = timezone.localtime(meeting.starts_at).date()
    out.actions = list(
        ActionItem.objects.filter(action_visible_q(user))
        .exclude(meeting=meeting)
        .exclude(status=ActionStatus.DONE)
        .filter(due_date__lte=due_by)
        .exclude(pk__in=on_agenda.exclude(action_item=None).values("action_item_id"))
        .select_related("owner_org", "meeting")
        .distinct()
        .order_by("due_date", "id")[:limit]
    )
    return out


def items_about_subject(*, user: User, subject) -> QuerySet[AgendaItem]:
    """Agenda items about a subject (directly, or through a signal or measure linked to it)."""
    from django.db.models import Q

    name = subject._meta.model_name
    q = Q(**{name: subject})
    try:
        from signals.models import SignalSubject

        signal_ids = SignalSubject.objects.filter(**{name: subject}).values("signal_id")
        q |= Q(signal_id__in=signal_ids)
    except ImportError:  # pragma: no cover
        pass
    if name in ("person", "organisation", "address"):
        q |= Q(**{f"measure__{name}": subject})
    return item_list(user=user).filter(q)
