"""Reads of signals and controls, need-to-know filtered in SQL (``visible_to`` + compartment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import SearchQuery
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from vik.core.access import restrict
from vik.core.calendar import subtract_period
from vik.core.encryption import blind_index
from vik.core.models import User

from .constants import OPEN_STATUSES, SignalStatus
from .models import Control, Signal, SignalSubject

COUNT_UP_TO = 1_000  # the list counts exactly up to here, then says "meer dan"
PAGE_SIZE = 50


@dataclass
class SignalFilters:
    status: str = ""
    source: str = ""  # source code
    phenomenon: str = ""  # phenomenon code
    date_from: date | None = None
    date_to: date | None = None
    area: str = ""  # CBS code of a wijk (WK…), buurt (BU…) or gemeente (GM…) of a linked address
    assignee: str = ""  # "me", "none" or a user id
    q: str = ""  # Dutch full-text search over summary and metadata
    casustafel: bool | None = None
    extra: dict = field(default_factory=dict)

    def as_query(self) -> dict:
        data = {
            "status": self.status,
            "bron": self.source,
            "fenomeen": self.phenomenon,
            "van": self.date_from.isoformat() if self.date_from else "",
            "tot": self.date_to.isoformat() if self.date_to else "",
            "gebied": self.area,
            "behandelaar": self.assignee,
            "q": self.q,
        }
        return {k: v for k, v in data.items() if v}


def signal_list(*, user: User, filters: SignalFilters | None = None) -> QuerySet[Signal]:
    """Signals the user may see, filtered, newest first (keyset order: received_date, id)."""
    f = filters or SignalFilters()
    qs = restrict(Signal.objects.all(), user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.source:
        qs = qs.filter(source__code=f.source)
    if f.phenomenon:
        qs = qs.filter(
            Exists(
                Signal.phenomena.through.objects.filter(
                    signal_id=OuterRef("pk"), phenomenon__code=f.phenomenon
                )
            )
        )
    if f.date_from:
        qs = qs.filter(received_date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(received_date__lte=f.date_to)
    if f.area:
        code = f.area.strip().upper()
        column = {
            "WK": "address__wijk_code",
            "BU": "address__buurt_code",
            "GM": "address__gemeente_code",
        }.get(code[:2])
        if column is None:
            return qs.none()
        qs = qs.filter(Exists(SignalSubject.objects.filter(signal_id=OuterRef("pk"), **{column: code})))
    if f.assignee == "me":
        qs = qs.filter(assignee=user)
    elif f.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif f.assignee.isdigit():
        qs = qs.filter(assignee_id=int(f.assignee))
    if f.casustafel is not None:
        qs = qs.filter(casustafel=f.casustafel)
    if f.q.strip():
        qs = qs.filter(search_vector=SearchQuery(f.q.strip(), config="dutch", search_type="websearch"))
    return qs.order_by("-received_date", "-id")


def with_display(qs: QuerySet[Signal]) -> QuerySet[Signal]:
    return qs.select_related("source", "assignee").prefetch_related("phenomena")


def encode_cursor(signal: Signal) -> str:
    return f"{signal.received_date.isoformat()}_{signal.pk}"


def decode_cursor(cursor: str) -> tuple[date, int] | None:
    try:
        day, pk = cursor.split("_", 1)
        return date.fromisoformat(day), int(pk)
    except (ValueError, AttributeError):
        return None


def signal_page(qs: QuerySet[Signal], *, cursor: str = "", size: int = PAGE_SIZE) -> tuple[list[Signal], str]:
    """Keyset pagination: rows after ``cursor`` and the cursor of the next page ('' at the end)."""
    after = decode_cursor(cursor) if cursor else None
    if after is not None:
        day, pk = after
        qs = qs.filter(Q(received_date__lt=day) | Q(received_date=day, id__lt=pk))
    rows = list(with_display(qs)[: size + 1])
    next_cursor = encode_cursor(rows[size - 1]) if len(rows) > size else ""
    return rows[:size], next_cursor


def signal_count(qs: QuerySet[Signal]) -> tuple[int, bool]:
    """(count, more): the exact number of signals in ``qs`` up to ``COUNT_UP_TO``, or
    (``COUNT_UP_TO``, True) when there are more ("meer dan 1000 signalen").

    The count stops at the cap (``count(*)`` over ``LIMIT COUNT_UP_TO + 1``), so its cost is
    bounded however many signals match: an uncapped count read every matching signal (at L
    hundreds of thousands), and the planner's estimate that replaced it above 10,000 was off by
    a factor 3 for a status and phenomenon filter. A number shown is therefore always exact."""
    n = qs.order_by().values("pk")[: COUNT_UP_TO + 1].count()
    if n > COUNT_UP_TO:
        return COUNT_UP_TO, True
    return n, False


def signal_duplicates(
    *,
    user: User,
    bsn: str = "",
    kvk_number: str = "",
    postcode: str = "",
    house_number: int | None = None,
    kenteken: str = "",
    exclude_pk: int | None = None,
    months: int = 12,
    limit: int = 10,
) -> list[Signal]:
    """Likely duplicates: signals the user may see, received in the last ``months`` months, that
    concern the same person (BSN), organisation (KvK), address or vehicle."""
    conditions = Q()
    if bsn:
        conditions |= Q(person__bsn_index=blind_index(bsn))
    if kvk_number:
        conditions |= Q(organisation__kvk_number=kvk_number)
    if postcode and house_number:
        conditions |= Q(address__postcode=postcode, address__house_number=house_number)
    if kenteken:
        conditions |= Q(vehicle__kenteken=kenteken)
    if not conditions:
        return []
    since = subtract_period(timezone.localdate(), months=months)
    links = SignalSubject.objects.filter(conditions, signal_id=OuterRef("pk"))
    qs = signal_list(user=user).filter(Exists(links), received_date__gte=since)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(with_display(qs)[:limit])


def signals_for_subject(*, user: User, subject: object) -> QuerySet[Signal]:
    name = type(subject)._meta.model_name  # type: ignore[attr-defined]
    if name not in ("person", "organisation", "address", "vehicle"):
        return Signal.objects.none()
    links = SignalSubject.objects.filter(signal_id=OuterRef("pk"), **{f"{name}_id": subject.pk})  # type: ignore[attr-defined]
    return signal_list(user=user).filter(Exists(links)).select_related("source")


def signal_history(signal: Signal):
    return signal.status_changes.select_related("actor").order_by("at", "id")


def signal_links(signal: Signal):
    return signal.subject_links.select_related("person", "organisation", "address", "vehicle").order_by("id")


def my_open_signals(*, user: User, limit: int = 5) -> list[Signal]:
    return list(
        signal_list(user=user)
        .filter(assignee=user, status__in=OPEN_STATUSES)
        .select_related("source")[:limit]
    )


def triage_count(*, user: User) -> int:
    return signal_list(user=user).filter(status__in=[SignalStatus.RECEIVED, SignalStatus.TRIAGE]).count()


def control_list(*, user: User) -> QuerySet[Control]:
    return restrict(Control.objects.select_related("address"), user).order_by("-date", "-id")
