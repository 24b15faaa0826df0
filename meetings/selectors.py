"""Reads for the casustafel: permission-filtered querysets (STYLE.md rule 3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.postgres.aggregates import ArrayAgg, JSONBAgg
from django.contrib.postgres.fields import ArrayField
from django.db.models import CharField, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from vik.core.access import restrict
from vik.core.constants import Compartment, OrgKind
from vik.core.models import OrgUnit, User

from .constants import ActionStatus, MeetingState
from .models import ActionItem, AgendaItem, Meeting, MeetingStateChange
from .permissions import Audience, action_visible_q, audience_item_q, is_partner, item_visible_q


def meeting_list(*, user: User, upcoming: bool = False) -> QuerySet[Meeting]:
    qs = restrict(Meeting.objects.select_related("chair"), user)
    if upcoming:
        # coming, and still running: a held meeting whose minutes are not yet approved stays
        # in the list (the chair writes the minutes, partners follow their action points)
        qs = qs.filter(
            Q(starts_at__gte=timezone.now() - timedelta(hours=12))
            | Q(state__in=[MeetingState.HELD, MeetingState.MINUTES_DRAFT])
        ).exclude(state=MeetingState.MINUTES_APPROVED)
        return qs.order_by("starts_at", "id")
    return qs.order_by("-starts_at", "-id")


def next_meeting(*, user: User) -> Meeting | None:
    return (
        meeting_list(user=user, upcoming=True)
        .filter(starts_at__gte=timezone.now() - timedelta(hours=12))
        .first()
    )


# --- the meeting page: everything in as few queries as the rows allow -----------------------------
#
# The detail page shows the meeting, its participant organisations, its state history, the agenda
# (each item with its visibility list and decision) and, for the chair of a draft agenda, three
# candidate lists. Participants and history ride along on the meeting's own row as JSON aggregates,
# the visibility lists on each item's row as an array aggregate, and each candidate list is one
# query, so the page costs the same number of queries for 3 items as for 300.


def _json_rows(qs: QuerySet, group_by: str, row: JSONObject, ordering: tuple[str, ...]) -> Subquery:
    """A correlated subquery returning the rows of ``qs`` as one JSON array (NULL when none)."""
    return Subquery(
        qs.order_by().values(group_by).annotate(rows=JSONBAgg(row, order_by=ordering)).values("rows")
    )


def meeting_page_queryset(*, user: User) -> QuerySet[Meeting]:
    """Meetings annotated with their participant organisations and (for municipal staff) their
    state history; read them with :func:`meeting_participants` and :func:`meeting_history`."""
    through = Meeting.participant_orgs.through
    qs = Meeting.objects.annotate(
        participant_rows=_json_rows(
            through.objects.filter(meeting_id=OuterRef("pk")),
            "meeting_id",
            JSONObject(
                id="orgunit_id",
                code="orgunit__code",
                name="orgunit__name",
                kind="orgunit__kind",
                partner_type="orgunit__partner_type",
                municipality="orgunit__municipality",
            ),
            ("orgunit__name", "orgunit_id"),
        )
    )
    if not is_partner(user):
        qs = qs.annotate(
            history_rows=_json_rows(
                MeetingStateChange.objects.filter(meeting_id=OuterRef("pk")),
                "meeting_id",
                JSONObject(
                    id="id",
                    from_state="from_state",
                    to_state="to_state",
                    at="at",
                    reason="reason",
                    actor_id="actor_id",
                    actor_username="actor__username",
                    actor_first_name="actor__first_name",
                    actor_last_name="actor__last_name",
                ),
                ("at", "id"),
            )
        )
    return qs


def meeting_participants(meeting: Meeting) -> list[OrgUnit]:
    """The participant organisations by name (from the page annotation when it was fetched)."""
    if not hasattr(meeting, "participant_rows"):
        return list(meeting.participant_orgs.order_by("name", "id"))
    return [
        OrgUnit(
            id=r["id"],
            code=r["code"],
            name=r["name"],
            kind=r["kind"],
            partner_type=r["partner_type"],
            municipality=r["municipality"],
        )
        for r in meeting.participant_rows or []
    ]


def partner_participants(participants: list[OrgUnit]) -> list[OrgUnit]:
    return [o for o in participants if o.kind == OrgKind.PARTNER]


def _state_change(meeting: Meeting, r: dict) -> MeetingStateChange:
    actor = None
    if r["actor_id"] is not None:
        actor = User(
            id=r["actor_id"],
            username=r["actor_username"],
            first_name=r["actor_first_name"],
            last_name=r["actor_last_name"],
        )
    return MeetingStateChange(
        id=r["id"],
        meeting=meeting,
        from_state=r["from_state"],
        to_state=r["to_state"],
        at=datetime.fromisoformat(r["at"]),
        reason=r["reason"],
        actor=actor,
    )


def meeting_history(meeting: Meeting) -> list[MeetingStateChange]:
    """The state changes in order (from the page annotation when it was fetched)."""
    if not hasattr(meeting, "history_rows"):
        return list(meeting.state_changes.select_related("actor").order_by("at", "id"))
    return [_state_change(meeting, r) for r in meeting.history_rows or []]


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


def _visible_org_names() -> Coalesce:
    """The names of the organisations on an item's visibility list, by name: one array per row."""
    through = AgendaItem.visible_orgs.through
    names = Subquery(
        through.objects.filter(agendaitem_id=OuterRef("pk"))  # type: ignore[misc]
        .order_by()
        .values("agendaitem_id")
        .annotate(names=ArrayAgg("orgunit__name", order_by=("orgunit__name", "orgunit_id")))
        .values("names")
    )
    return Coalesce(names, Value([]), output_field=ArrayField(CharField()))


def agenda_items(*, user: User, meeting: Meeting) -> list[AgendaItem]:
    """The items of ``meeting`` the user may see, in agenda order, for the agenda builder: each
    with its linked record and decision, and (for municipal staff, who see who an item is shared
    with) ``visible_org_names``. One query."""
    qs = (
        AgendaItem.objects.filter(meeting=meeting)
        .filter(item_visible_q(user))
        .distinct()
        .select_related(
            "signal", "measure", "person", "organisation", "address", "vehicle", "action_item", "decision"
        )
    )
    if not is_partner(user):
        qs = qs.annotate(visible_org_names=_visible_org_names())
    return list(qs.order_by("position", "id"))


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
        qs = qs.filter(Q(owner_user=user) | Q(owner_org_id=user.org_unit_id))
    if open_only:
        qs = qs.exclude(status=ActionStatus.DONE)
    return qs.select_related("meeting", "item", "owner_org", "owner_user").order_by("due_date", "id")


def open_actions_per_org(*, user: User, today: date | None = None) -> list[tuple[str, int, int]]:
    """(owner organisation, open, overdue) for the open action items ``user`` may see, most open
    first: one query, counted per distinct action item (the visibility filter joins shares)."""
    today = today or timezone.localdate()
    rows = (
        ActionItem.objects.filter(action_visible_q(user))
        .exclude(status=ActionStatus.DONE)
        .values_list("owner_org__name")
        .annotate(
            open=Count("id", distinct=True),
            overdue=Count("id", distinct=True, filter=Q(due_date__lt=today)),
        )
        .order_by()
    )
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def action_history(action: ActionItem):
    return action.changes.select_related("actor").order_by("at", "id")


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
    from measures.constants import FINAL_STATES
    from measures.models import Measure
    from signals.constants import SignalStatus
    from signals.models import Signal

    out.signals = list(
        restrict(Signal.objects.all(), user)
        .filter(casustafel=True)
        .exclude(status__in=[SignalStatus.DISMISSED, SignalStatus.CLOSED])
        .exclude(compartment=Compartment.BIBOB)
        .exclude(pk__in=on_agenda.exclude(signal=None).values("signal_id"))
        .order_by("received_date", "id")[:limit]
    )
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
    name = subject._meta.model_name
    q = Q(**{name: subject})
    from signals.models import SignalSubject

    signal_ids = SignalSubject.objects.filter(**{name: subject}).values("signal_id")
    q |= Q(signal_id__in=signal_ids)
    if name in ("person", "organisation", "address"):
        q |= Q(**{f"measure__{name}": subject})
    return item_list(user=user).filter(q)
