"""Every state change of the casustafel goes through here (STYLE.md rule 1).

A decision on an item about a signal updates that signal only through the signals app's own
services (``signal_transition``, ``signal_record_casustafel_outcome``, ``signal_flag_casustafel``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vik.core.access import init_visibility, is_visible, principal_for, share_grant, share_revoke
from vik.core.constants import Compartment, OrgKind, PartnerType
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from .constants import (
    DECISION_STATES,
    SIGNAL_OUTCOME_DECISIONS,
    TRANSITIONS,
    ActionStatus,
    DecisionKind,
    ItemKind,
    MeetingState,
)
from .models import ActionItem, ActionItemChange, AgendaItem, Decision, Meeting, MeetingStateChange
from .permissions import APPROVE_MINUTES, can_manage

OWNER_TEAM_CODE = "veiligheid"


def _not_visible() -> str:
    return _("U kunt dit punt niet agenderen: het bestaat niet of u heeft er geen toegang toe.")


SUBJECT_KINDS = ("person", "organisation", "address", "vehicle")


def _require_chair(actor: User) -> None:
    if not can_manage(actor):
        raise ApplicationError(_("Alleen de voorzitter van de casustafel kan dit doen."))


def _owner_team(actor: User) -> OrgUnit:
    unit = actor.org_unit
    if unit is not None and unit.kind == OrgKind.TEAM:
        return unit
    team = OrgUnit.objects.filter(code=OWNER_TEAM_CODE).first()
    if team is None:
        raise ApplicationError(_("Team Veiligheid bestaat niet; een casustafel heeft een eigenaar nodig."))
    return team


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _append_state(meeting: Meeting, to_state: str, *, actor: User | None, reason: str = "") -> None:
    MeetingStateChange.objects.create(
        meeting=meeting,
        from_state=meeting.state,
        to_state=to_state,
        actor=actor,
        at=timezone.now(),
        reason=reason[:500],
    )
    meeting.state = to_state
    meeting.save(update_fields=["state", "updated_at"])


# --- meetings ---------------------------------------------------------------------------------


def _validate_participants(orgs: Iterable[OrgUnit], users: Iterable[User]) -> None:
    for user in users:
        if not user.is_active:
            raise ApplicationError(_("%(u)s is niet actief.") % {"u": user}, field="participant_users")


def _sync_shares(*, meeting: Meeting, actor: User, orgs: list[OrgUnit], users: list[User]) -> None:
    """Participants see the meeting (core share grants); removed ones lose it at the next request,
    and a removed organisation drops off every item's visibility list."""
    wanted = {principal_for(o) for o in orgs} | {principal_for(u) for u in users}
    current = set(meeting.participant_orgs.all()) | set(meeting.participant_users.all())
    for target in current:
        if principal_for(target) not in wanted:
            share_revoke(obj=meeting, target=target, actor=actor)
            if isinstance(target, OrgUnit):
                for item in meeting.items.filter(visible_orgs=target):
                    item.visible_orgs.remove(target)
    meeting.participant_orgs.set(orgs)
    meeting.participant_users.set(users)
    for target in [*orgs, *users]:  # type: ignore[assignment]
        share_grant(obj=meeting, target=target, actor=actor, reason=_("Deelnemer casustafel"))


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    starts_at: datetime,
    location: str = "",
    title: str = "",
    participant_orgs: Iterable[OrgUnit] = (),
    participant_users: Iterable[User] = (),
) -> Meeting:
    _require_chair(actor)
    orgs, users = list(participant_orgs), list(participant_users)
    _validate_participants(orgs, users)
    meeting = Meeting(
        title=title.strip() or _("Lokaal ondermijningsoverleg"),
        starts_at=starts_at,
        location=location.strip(),
        chair=actor,
        owner_team=_owner_team(actor),
        compartment=Compartment.GENERAL,
    )
    meeting.full_clean(exclude=["visible_to"])
    meeting.save()
    init_visibility(meeting)
    MeetingStateChange.objects.create(
        meeting=meeting, from_state="", to_state=MeetingState.PLANNED, actor=actor, at=timezone.now()
    )
    _sync_shares(meeting=meeting, actor=actor, orgs=orgs, users=users)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    starts_at: datetime,
    location: str,
    title: str,
    participant_orgs: Iterable[OrgUnit],
    participant_users: Iterable[User],
) -> Meeting:
    _require_chair(actor)
    locked = _locked(meeting)
    if locked.state == MeetingState.MINUTES_APPROVED:
        raise ApplicationError(_("Het verslag is vastgesteld; de casustafel kan niet meer worden gewijzigd."))
    orgs, users = list(participant_orgs), list(participant_users)
    _validate_participants(orgs, users)
    locked.starts_at = starts_at
    locked.location = location.strip()
    locked.title = title.strip() or locked.title
    locked.save(update_fields=["starts_at", "location", "title", "updated_at"])
    _sync_shares(meeting=locked, actor=actor, orgs=orgs, users=users)
    return locked


@transaction.atomic
def meeting_transition(*, actor: User, meeting: Meeting, to_state: str, reason: str = "") -> Meeting:
    """Move the meeting along PLANNED → AGENDA_LOCKED → HELD → MINUTES_DRAFT → MINUTES_APPROVED."""
    _require_chair(actor)
    locked = _locked(meeting)
    if to_state not in MeetingState.values:
        raise ApplicationError(_("Onbekende status."), field="to_state")
    if to_state == MeetingState.MINUTES_APPROVED:
        if locked.state in (MeetingState.PLANNED, MeetingState.AGENDA_LOCKED):
            raise ApplicationError(
                _("Het verslag kan pas worden vastgesteld nadat de casustafel is gehouden."), field="to_state"
            )
        if not actor.has_perm(APPROVE_MINUTES):
            raise ApplicationError(_("U mag het verslag niet vaststellen."), field="to_state")
    if to_state not in TRANSITIONS.get(locked.state, []):
        raise ApplicationError(
            _("Van %(a)s naar %(b)s kan niet.")
            % {"a": locked.get_state_display(), "b": MeetingState(to_state).label},
            field="to_state",
        )
    if to_state == MeetingState.AGENDA_LOCKED and not locked.items.exists():
        raise ApplicationError(
            _("Een agenda zonder punten kan niet worden vastgesteld. Voeg eerst een agendapunt toe."),
            field="to_state",
        )
    _append_state(locked, to_state, actor=actor, reason=" ".join(reason.split()))
    if to_state == MeetingState.MINUTES_APPROVED:
        from .documents import minutes_freeze

        locked.approved_at = timezone.now()
        locked.save(update_fields=["approved_at", "updated_at"])
        minutes_freeze(locked)
    return locked


# --- agenda -----------------------------------------------------------------------------------


def _require_draft_agenda(meeting: Meeting) -> None:
    if meeting.state != MeetingState.PLANNED:
        raise ApplicationError(
            _(
                "De agenda is vastgesteld. Heropen de agenda om punten toe te voegen, te verwijderen of te verplaatsen."
            )
        )


def _resolve_source(actor: User, kind: str, ref_id: object, subject_kind: str = ""):
    """The record an item refers to, only when the actor may see it."""
    try:
        pk = int(ref_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ApplicationError(_not_visible(), field="ref_id")
    if kind == ItemKind.SIGNAL:
        from signals.models import Signal

        model = Signal
    elif kind == ItemKind.MEASURE:
        from measures.models import Measure

        model = Measure  # type: ignore[assignment]
    elif kind == ItemKind.SUBJECT:
        from subjects.constants import SubjectKind
        from subjects.permissions import get_subject_for_user

        if subject_kind not in SubjectKind.values:
            raise ApplicationError(
                _("Kies een persoon, organisatie, adres of voertuig."), field="subject_kind"
            )
        try:
            return get_subject_for_user(actor, subject_kind, pk, allow_break_glass=False)
        except Http404:
            raise ApplicationError(_not_visible(), field="ref_id") from None
    elif kind == ItemKind.ACTION:
        from .permissions import get_action_for_user

        try:
            return get_action_for_user(actor, pk)
        except Http404:
            raise ApplicationError(_not_visible(), field="ref_id")
    else:
        raise ApplicationError(_("Onbekend soort agendapunt."), field="kind")
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None or not is_visible(actor, obj):
        raise ApplicationError(_not_visible(), field="ref_id")
    return obj


def _default_title(kind: str, obj) -> str:
    if kind == ItemKind.SIGNAL:
        if obj.compartment == Compartment.MMA:
            return _("%(ref)s: M-melding") % {"ref": obj.reference}
        return f"{obj.reference}: {obj.summary}"[:200]
    if kind == ItemKind.MEASURE:
        return f"{obj.reference}: {obj.title}"[:200]
    if kind == ItemKind.ACTION:
        return _("Actiepunt %(ref)s: %(d)s") % {"ref": obj.reference, "d": obj.description[:150]}
    return str(obj)[:200]


def _signal_to_agenda(actor: User, signal) -> None:
    """Put the signal in CASUSTAFEL_AGENDA through the signals workflow, when that step is open."""
    from signals.constants import SignalStatus
    from signals.services import signal_allowed_transitions, signal_transition

    signal.refresh_from_db()
    if (
        signal.status != SignalStatus.CASUSTAFEL_AGENDA
        and SignalStatus.CASUSTAFEL_AGENDA in signal_allowed_transitions(signal)
    ):
        signal_transition(
            actor=actor,
            signal=signal,
            to_status=SignalStatus.CASUSTAFEL_AGENDA,
            reason=_("Geagendeerd voor de casustafel"),
        )


@transaction.atomic
def item_add(
    *,
    actor: User,
    meeting: Meeting,
    kind: str,
    ref_id: object = None,
    subject_kind: str = "",
    title: str = "",
    summary: str = "",
) -> AgendaItem:
    """Put a signal, measure, subject, due action item or a free item on the draft agenda."""
    _require_chair(actor)
    locked = _locked(meeting)
    _require_draft_agenda(locked)
    title = " ".join((title or "").split())
    item = AgendaItem(meeting=locked, kind=kind, created_by=actor, summary=(summary or "").strip())
    if kind == ItemKind.FREE:
        if len(title) < 3:
            raise ApplicationError(_("Geef het agendapunt een titel van ten minste 3 tekens."), field="title")
        item.compartment = Compartment.GENERAL
    else:
        obj = _resolve_source(actor, kind, ref_id, subject_kind)
        compartment = getattr(obj, "compartment", Compartment.GENERAL)
        if kind == ItemKind.ACTION:
            compartment = obj.item.compartment
        if compartment == Compartment.BIBOB:
            raise ApplicationError(
                _("Bibob-informatie komt niet op de agenda van de casustafel (art. 28 Wet Bibob)."),
                field="ref_id",
            )
        field_name = (
            subject_kind
            if kind == ItemKind.SUBJECT
            else {"signal": "signal", "measure": "measure", "action": "action_item"}[kind]
        )
        if locked.items.filter(**{field_name: obj}).exists():
            raise ApplicationError(_("Dit punt staat al op de agenda."), field="ref_id")
        setattr(item, field_name, obj)
        item.compartment = compartment
        title = title or _default_title(kind, obj)
    item.title = title[:200]
    item.position = (locked.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item.full_clean(exclude=["meeting", "created_by"])
    item.save()
    if item.signal_id:
        _signal_to_agenda(actor, item.signal)
    return item


@transaction.atomic
def item_update(
    *, actor: User, item: AgendaItem, title: str, summary: str, visible_orgs: Iterable[OrgUnit]
) -> AgendaItem:
    """The chair's partner-safe title and summary, and which partner organisations see the item.
    Police data (compartment ``police``) goes to the police only."""
    _require_chair(actor)
    meeting = _locked(item.meeting)
    if meeting.state == MeetingState.MINUTES_APPROVED:
        raise ApplicationError(
            _("Het verslag is vastgesteld; het agendapunt kan niet meer worden gewijzigd.")
        )
    title = " ".join((title or "").split())
    if len(title) < 3:
        raise ApplicationError(_("Geef het agendapunt een titel van ten minste 3 tekens."), field="title")
    orgs = list(visible_orgs)
    participants = set(meeting.participant_orgs.values_list("pk", flat=True))
    for org in orgs:
        if org.kind != OrgKind.PARTNER:
            raise ApplicationError(_("Deel alleen met partnerorganisaties."), field="visible_orgs")
        if org.pk not in participants:
            raise ApplicationError(
                _("%(o)s neemt niet deel aan deze casustafel.") % {"o": org}, field="visible_orgs"
            )
        if item.compartment == Compartment.POLICE and org.partner_type != PartnerType.POLICE:
            raise ApplicationError(
                _(
                    "Dit punt bevat politiegegevens (Wpg) en mag alleen met de politie worden gedeeld, niet met %(o)s."
                )
                % {"o": org},
                field="visible_orgs",
            )
        if item.compartment == Compartment.BIBOB:  # pragma: no cover - refused when added
            raise ApplicationError(_("Bibob-informatie wordt niet gedeeld."), field="visible_orgs")
    item.title = title[:200]
    item.summary = (summary or "").strip()
    item.save(update_fields=["title", "summary", "updated_at"])
    item.visible_orgs.set(orgs)
    return item


@transaction.atomic
def item_move(*, actor: User, item: AgendaItem, direction: str) -> None:
    _require_chair(actor)
    meeting = _locked(item.meeting)
    _require_draft_agenda(meeting)
    if direction not in ("up", "down"):
        raise ApplicationError(_("Kies omhoog of omlaag."), field="direction")
    ids = list(meeting.items.order_by("position", "id").values_list("pk", flat=True))
    i = ids.index(item.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    _renumber(ids)


@transaction.atomic
def item_reorder(*, actor: User, meeting: Meeting, ordered_ids: list[int]) -> None:
    """Drag-and-drop: the full new order of the agenda's item ids."""
    _require_chair(actor)
    locked = _locked(meeting)
    _require_draft_agenda(locked)
    current = list(locked.items.order_by("position", "id").values_list("pk", flat=True))
    if sorted(ordered_ids) != sorted(current):
        raise ApplicationError(
            _("De volgorde past niet bij de agenda; laad de pagina opnieuw."), field="order"
        )
    _renumber(ordered_ids)


def _renumber(ids: list[int]) -> None:
    for n, pk in enumerate(ids, start=1):
        AgendaItem.objects.filter(pk=pk).exclude(position=n).update(position=n, updated_at=timezone.now())


@transaction.atomic
def item_remove(*, actor: User, item: AgendaItem) -> None:
    _require_chair(actor)
    meeting = _locked(item.meeting)
    _require_draft_agenda(meeting)
    signal = item.signal
    item.delete()
    _renumber(list(meeting.items.order_by("position", "id").values_list("pk", flat=True)))
    if signal is not None:
        from signals.constants import SignalStatus
        from signals.services import signal_allowed_transitions, signal_transition

        signal.refresh_from_db()
        if (
            signal.status == SignalStatus.CASUSTAFEL_AGENDA
            and SignalStatus.ENRICHMENT in signal_allowed_transitions(signal)
        ):
            if not AgendaItem.objects.filter(signal=signal, decision__isnull=True).exists():
                signal_transition(
                    actor=actor,
                    signal=signal,
                    to_status=SignalStatus.ENRICHMENT,
                    reason=_("Van de agenda van de casustafel gehaald"),
                )


# --- decisions and action items ---------------------------------------------------------------


def _require_held(meeting: Meeting) -> None:
    if meeting.state not in DECISION_STATES:
        raise ApplicationError(
            _(
                "Besluiten en actiepunten worden vastgelegd nadat de casustafel is gehouden en voordat het verslag is vastgesteld."
            )
        )


@transaction.atomic
def decision_record(*, actor: User, item: AgendaItem, kind: str, text: str = "") -> Decision:
    """Record the casustafel's decision on one item. For an item about a signal, handle locally,
    register with the RIEC and close update the signal through the signals app's services."""
    _require_chair(actor)
    meeting = _locked(item.meeting)
    _require_held(meeting)
    if kind not in DecisionKind.values:
        raise ApplicationError(_("Kies een besluit."), field="kind")
    text = (text or "").strip()
    if kind == DecisionKind.OTHER and len(text) < 3:
        raise ApplicationError(_("Beschrijf het besluit."), field="text")
    if Decision.objects.filter(item=item).exists():
        raise ApplicationError(_("Over dit agendapunt is al besloten."), field="kind")
    decision = Decision.objects.create(item=item, kind=kind, text=text, decided_by=actor)
    if item.signal_id and kind in SIGNAL_OUTCOME_DECISIONS:
        from signals.services import signal_flag_casustafel, signal_record_casustafel_outcome

        signal = item.signal
        _signal_to_agenda(actor, signal)
        signal.refresh_from_db()  # type: ignore[union-attr]
        signal_record_casustafel_outcome(actor=actor, signal=signal, outcome=kind, reason=text)  # type: ignore[arg-type]
        signal.refresh_from_db()  # type: ignore[union-attr]
        if signal.casustafel and actor.has_perm("signals.flag_casustafel"):  # type: ignore[union-attr]
            signal_flag_casustafel(actor=actor, signal=signal, flag=False)  # type: ignore[arg-type]
    return decision


@transaction.atomic
def action_create(
    *,
    actor: User,
    item: AgendaItem,
    description: str,
    owner_org: OrgUnit,
    due_date: date,
    owner_user: User | None = None,
) -> ActionItem:
    _require_chair(actor)
    meeting = _locked(item.meeting)
    _require_held(meeting)
    description = " ".join((description or "").split())
    if len(description) < 3:
        raise ApplicationError(_("Beschrijf de actie."), field="description")
    if owner_org is None:
        raise ApplicationError(_("Kies de organisatie die de actie uitvoert."), field="owner_org")
    if owner_org.kind == OrgKind.PARTNER and not item.visible_orgs.filter(pk=owner_org.pk).exists():
        raise ApplicationError(
            _(
                "Deel het agendapunt eerst met %(o)s; een partner krijgt alleen acties op punten die met hem zijn gedeeld."
            )
            % {"o": owner_org},
            field="owner_org",
        )
    if owner_user is not None and owner_user.org_unit_id != owner_org.pk:
        raise ApplicationError(_("Deze persoon hoort niet bij de gekozen organisatie."), field="owner_user")
    if due_date < timezone.localtime(meeting.starts_at).date():
        raise ApplicationError(_("De uiterste datum ligt voor de datum van de casustafel."), field="due_date")
    action = ActionItem.objects.create(
        meeting=meeting,
        item=item,
        description=description[:500],
        owner_org=owner_org,
        owner_user=owner_user,
        due_date=due_date,
        created_by=actor,
    )
    ActionItemChange.objects.create(
        action=action, from_status="", to_status=ActionStatus.OPEN, actor=actor, at=timezone.now()
    )
    return action


@transaction.atomic
def action_set_status(*, actor: User, action: ActionItem, status: str, note: str = "") -> ActionItem:
    """The owner (a partner included) or the chair updates the status; history is appended."""
    from .permissions import may_update_action

    locked = ActionItem.objects.select_for_update().get(pk=action.pk)
    if not may_update_action(actor, locked):
        raise ApplicationError(_("Alleen de eigenaar van de actie of de voorzitter kan de status wijzigen."))
    if status not in ActionStatus.values:
        raise ApplicationError(_("Kies een status."), field="status")
    if status == locked.status:
        raise ApplicationError(_("De actie heeft deze status al."), field="status")
    note = " ".join((note or "").split())
    ActionItemChange.objects.create(
        action=locked,
        from_status=locked.status,
        to_status=status,
        actor=actor,
        at=timezone.now(),
        note=note[:500],
    )
    locked.status = status
    locked.save(update_fields=["status", "updated_at"])
    return locked
