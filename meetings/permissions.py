"""The one access module of the meetings app. Every read of one record comes through here and
answers 404 for anything the user may not see (never 403: existence is not revealed).

Rule for agenda items (and the decisions and action items hanging off them):
  - the user may see the meeting (core need-to-know: team Veiligheid, or a participant share);
  - the user is cleared for the item's compartment;
  - a partner (a user of a partner organisation) additionally needs its organisation on the
    item's visibility list, and the agenda must be locked (a draft agenda stays internal).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from vik.core.access import clearances, get_for_user, visible_q
from vik.core.constants import OrgKind
from vik.core.models import OrgUnit, User

from .constants import PARTNER_VISIBLE_STATES
from .models import ActionItem, AgendaItem, Meeting

VIEW_MEETING = "meetings.view_meeting"
ADD_MEETING = "meetings.add_meeting"
CHANGE_MEETING = "meetings.change_meeting"
APPROVE_MINUTES = "meetings.approve_minutes"
VIEW_ITEM = "meetings.view_agendaitem"
VIEW_ACTION = "meetings.view_actionitem"
CHANGE_ACTION = "meetings.change_actionitem"


def is_partner(user: User) -> bool:
    unit = getattr(user, "org_unit", None)
    return unit is not None and unit.kind == OrgKind.PARTNER


def can_manage(user: User) -> bool:
    """The chair: manages every meeting (agenda, sharing, decisions, actions)."""
    return bool(user.is_authenticated and user.has_perm(CHANGE_MEETING) and not is_partner(user))


@dataclass(frozen=True)
class Audience:
    """Who a document or an agenda is rendered for: a partner organisation (``org``) or the
    municipality's own staff (``org`` None), cleared for ``compartments``."""

    org: OrgUnit | None
    compartments: tuple[str, ...]
    preview: bool = False  # the chair checking a partner's copy of a draft agenda

    @property
    def key(self) -> str:
        return ",".join(sorted(self.compartments))


def audience_for(user: User) -> Audience:
    org = user.org_unit if is_partner(user) else None
    return Audience(org=org, compartments=tuple(sorted(clearances(user))))


def audience_item_q(audience: Audience, prefix: str = "") -> Q:
    """Items of a meeting this audience may see (the meeting itself is checked separately)."""
    q = Q(**{f"{prefix}compartment__in": list(audience.compartments)})
    if audience.org is not None:
        q &= Q(**{f"{prefix}visible_orgs": audience.org})
        if not audience.preview:
            q &= Q(**{f"{prefix}meeting__state__in": PARTNER_VISIBLE_STATES})
    return q


def item_visible_q(user: User, prefix: str = "") -> Q:
    """SQL filter for agenda items ``user`` may see."""
    if not (user.is_authenticated and user.is_active and user.has_perm(VIEW_ITEM)):
        return Q(pk__in=[])
    return visible_q(user, Meeting, prefix=f"{prefix}meeting__") & audience_item_q(audience_for(user), prefix)


def action_visible_q(user: User) -> Q:
    if not (user.is_authenticated and user.is_active and user.has_perm(VIEW_ACTION)):
        return Q(pk__in=[])
    return item_visible_q(user, prefix="item__")


def get_meeting_for_user(user: User, pk: object, *, queryset: QuerySet[Meeting] | None = None) -> Meeting:
    """The meeting, or Http404. ``queryset`` (of meetings) may add annotations for a page; the
    need-to-know filter is applied to it all the same."""
    qs = Meeting.objects.all() if queryset is None else queryset
    return get_for_user(qs.select_related("chair", "owner_team"), user, pk, allow_break_glass=False)


def get_meeting_for_manage(user: User, pk: object) -> Meeting:
    meeting = get_meeting_for_user(user, pk)
    if not can_manage(user):
        raise Http404
    return meeting


def _one(qs, pk: object):
    try:
        pk_int = int(pk)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Http404
    obj = qs.filter(pk=pk_int).first()
    if obj is None:
        raise Http404
    return obj


def get_item_for_user(user: User, pk: object) -> AgendaItem:
    qs = (
        AgendaItem.objects.select_related(
            "meeting",
            "signal",
            "measure",
            "person",
            "organisation",
            "address",
            "vehicle",
            "action_item",
            "decision",
        )
        .filter(item_visible_q(user))
        .distinct()
    )
    return _one(qs, pk)


def get_item_for_manage(user: User, pk: object) -> AgendaItem:
    item = get_item_for_user(user, pk)
    if not can_manage(user):
        raise Http404
    return item


def get_action_for_user(user: User, pk: object) -> ActionItem:
    qs = (
        ActionItem.objects.select_related("meeting", "item", "owner_org", "owner_user")
        .filter(action_visible_q(user))
        .distinct()
    )
    return _one(qs, pk)


def may_update_action(user: User, action: ActionItem) -> bool:
    """The chair, or the owner: the owner person, or a user of the owner organisation."""
    if can_manage(user):
        return True
    if not user.has_perm(CHANGE_ACTION):
        return False
    if action.owner_user_id == user.pk:
        return True
    return action.owner_org_id is not None and action.owner_org_id == user.org_unit_id


def resolve_meeting(user: User, pk: int) -> Meeting:
    """Case kind "meeting" for purposes: a meeting the user may see, or Http404."""
    return get_meeting_for_user(user, pk)
