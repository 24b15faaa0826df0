"""Phenomenon and area analysis: recurring subjects, measures taken, trend, displacement hints."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db.models import CharField, Count, F, Min, Q, Value
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from measures.models import Measure
from signals.models import SignalSubject
from vik.core.access import can_use_model, visible_q
from vik.core.calendar import add_period, subtract_period
from vik.core.models import User

from ..constants import DISPLACEMENT_METRES, DISPLACEMENT_MONTHS
from .common import DashFilters, Figure, _area_q, _month_label, url_or_blank
from .measures import fig_measures_kind_state
from .signals import signals_visible

# --- phenomenon and area analysis ----------------------------------------------------------------


#: The fields each kind's ``__str__`` reads, fetched with the recurring-subjects query so that the
#: page shows the subject's own display name without a query per kind.
RECURRING_KINDS = (
    ("person", _lazy("Persoon"), ("voornamen", "voorvoegsel", "geslachtsnaam")),
    ("organisation", _lazy("Organisatie"), ("name",)),
    (
        "address",
        _lazy("Adres"),
        ("street", "house_number", "house_letter", "house_number_addition", "postcode", "town"),
    ),
    ("vehicle", _lazy("Voertuig"), ("kenteken",)),
)


def selection(*, user: User, f: DashFilters) -> list[tuple[int, date]]:
    """The analysis's signals once, as (id, received date): the trend counts them per month and
    the recurring subjects start from their ids, so the page selects them once instead of twice
    (the same scan over the visible signals of the period)."""
    return list(signals_visible(user=user, f=f).values_list("id", "received_date"))


def recurring_subjects(
    *,
    user: User,
    f: DashFilters,
    minimum: int = 2,
    limit: int = 25,
    selected: list[tuple[int, date]] | None = None,
) -> list[dict]:
    """Subjects and objects linked to at least ``minimum`` visible signals of the selection; a
    subject appears only when the user may see the subject itself too. Two queries: the selected
    signals' ids, then per kind the
    links of the selected signals grouped per subject behind that kind's need-to-know filter,
    with the fields its display name needs, the kinds as a UNION ALL (each part starts from the
    few selected signals; one join over all four kinds with OR would read every link)."""
    from django.db.models.functions import JSONObject

    # The selection once, as ids: as a subquery in each part PostgreSQL misjudges its size and
    # hashes every visible subject of the kind instead of following the few links.
    if selected is None:
        selected = selection(user=user, f=f)
    sig = [pk for pk, _received in selected]
    if not sig:
        return []
    text = CharField()  # type: ignore[var-annotated]
    parts, targets = [], {}
    for kind, label, shown in RECURRING_KINDS:
        Target = SignalSubject._meta.get_field(kind).related_model
        if not can_use_model(user, Target):  # type: ignore[arg-type]
            continue
        targets[kind] = (label, Target)
        parts.append(
            SignalSubject.objects.filter(visible_q(user, Target, prefix=f"{kind}__"), signal_id__in=sig)  # type: ignore[arg-type]
            .annotate(k=Value(kind, output_field=text), oid=F(f"{kind}_id"))
            .annotate(shown=JSONObject(**{name: f"{kind}__{name}" for name in shown}))
            .values("k", "oid", "shown")
            .annotate(n_signals=Count("signal_id", distinct=True))
            .filter(n_signals__gte=minimum)
            .values_list("k", "oid", "shown", "n_signals")
            .order_by()
        )
    if not parts:
        return []
    first, *rest = parts
    rows = (first.union(*rest, all=True) if rest else first).order_by("-n_signals", "k", "oid")[:limit]
    out = []
    for kind, pk, shown, n in rows:
        label, Target = targets[kind]
        obj = Target(pk=pk, **shown)  # type: ignore[misc]
        out.append(
            {
                "kind": kind,
                "kind_label": label,
                "obj": obj,
                "signals": n,
                "url": url_or_blank(f"subjects:{kind}_detail", pk),
            }
        )
    return out


def measures_taken(*, user: User, f: DashFilters) -> Figure:
    fig = fig_measures_kind_state(user=user, f=f)
    fig.key, fig.title = "analysis_measures", _("Genomen maatregelen")
    return fig


def trend(*, user: User, f: DashFilters, selected: list[tuple[int, date]] | None = None) -> Figure:
    """Signals per month; from ``selected`` (see :func:`selection`) when the page has it."""
    if selected is None:
        qs = signals_visible(user=user, f=f)
        raw = (
            qs.annotate(m=TruncMonth("received_date")).values_list("m").annotate(n=Count("id")).order_by("m")
        )
    else:
        months = Counter(received.replace(day=1) for _pk, received in selected)
        raw = sorted(months.items())
    rows = [[_month_label(m), n] for m, n in raw]
    return Figure(
        "analysis_trend",
        _("Trend: signalen per maand"),
        [_("Maand"), _("Aantal signalen")],
        rows,
        chart="line",
    )


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _near_measures_q(measures: list, metres: int) -> Q | None:
    """Addresses that can be "nearby" for at least one of the measures: in one of their buurten,
    or inside the bounding box of their points widened by ``metres`` (with 10 % to spare, and the
    longitude widened for the northernmost point). None when no measure has a buurt or a point."""
    buurten = sorted({m.address.buurt_code for m in measures if m.address.buurt_code})
    points = [
        (float(m.address.latitude), float(m.address.longitude))
        for m in measures
        if m.address.latitude is not None and m.address.longitude is not None
    ]
    q = Q(address__buurt_code__in=buurten) if buurten else None
    if points:
        dlat = metres * 1.1 / 111_000
        north = min(max(abs(lat) for lat, _lon in points) + dlat, 89.0)
        dlon = dlat / max(math.cos(math.radians(north)), 0.01)
        lats, lons = [lat for lat, _lon in points], [lon for _lat, lon in points]

        def dec(x: float) -> Decimal:
            return Decimal(f"{x:.6f}")

        box = Q(
            address__latitude__range=(dec(min(lats) - dlat), dec(max(lats) + dlat)),
            address__longitude__range=(dec(min(lons) - dlon), dec(max(lons) + dlon)),
        )
        q = box if q is None else q | box
    return q


def displacement_hints(
    *,
    user: User,
    f: DashFilters,
    months: int = DISPLACEMENT_MONTHS,
    metres: int = DISPLACEMENT_METRES,
    limit: int = 50,
) -> list[dict]:
    """The waterbed effect: after a measure on an address, do new signals appear nearby?

    Method: for every visible measure with an address and a first event date D (the start of the
    procedure), count visible signals (same phenomenon filter) received in (D, D + N months] that
    are linked to a *different* address which is nearby: in the same buurt, or within X metres
    (haversine on the stored WGS84 coordinates). The same count over [D − N months, D) is shown
    beside it; a hint is listed when the count after is higher than the count before. It is a
    hint for the analyst, not a finding: it does not prove cause."""
    mq = Measure.objects.filter(visible_q(user, Measure), address__isnull=False)
    if f.area:
        mq = mq.filter(_area_q("address__", f.area))
    if f.team:
        mq = mq.filter(owner_team=f.team)
    # The start (first event date) as one grouped aggregate over the events, not a subquery per
    # measure: at a region's 10k measures the subquery form costs over 100 ms.
    measures = list(
        mq.annotate(start=Min("events__date"))
        .filter(start__isnull=False)
        .select_related("address")
        .order_by("-start", "-pk")[:200]
    )
    if not measures:
        return []
    earliest = min(subtract_period(m.start, months=months) for m in measures)
    latest = max(add_period(m.start, months=months) for m in measures)
    near = _near_measures_q(measures, metres)
    if near is None:  # no measure has a buurt or a point: nothing can be near it
        return []
    sig_f = replace(f, date_from=earliest, date_to=latest, area="")
    # Only the links that can count for some measure: in one of the measures' buurten or in the
    # box around their points (at least ``metres`` wide on every side), received within the
    # measures' windows. For one wijk that is a few dozen rows instead of every link of the
    # phenomenon in the region.
    links = list(
        SignalSubject.objects.filter(
            near, signal_id__in=signals_visible(user=user, f=sig_f).values("id"), address__isnull=False
        )
        .values_list(
            "signal_id",
            "signal__received_date",
            "address_id",
            "address__buurt_code",
            "address__latitude",
            "address__longitude",
        )
        .order_by()
    )
    # Candidates per measure from two lookups instead of a scan of every link: the links in the
    # measure's buurt, and those in the grid cells around its point (cells at least ``metres``
    # wide, so the 3×3 block around a point holds every address within ``metres``).
    by_buurt: dict[str, list] = {}
    grid: dict[tuple[int, int], list] = {}
    points = []
    for sid, received, addr_id, buurt, lat, lon in links:
        point = (float(lat), float(lon)) if lat is not None and lon is not None else None
        row = (sid, received, addr_id, point)
        if buurt:
            by_buurt.setdefault(buurt, []).append(row)
        if point:
            points.append((point, row))
    cell_lat = metres / 111_000
    max_lat = max([abs(p[0]) for p, _row in points] + [abs(float(m.address.latitude or 0)) for m in measures])  # type: ignore[union-attr]
    cell_lon = cell_lat / max(math.cos(math.radians(min(max_lat, 89.0))), 0.01)

    def cell(point: tuple[float, float]) -> tuple[int, int]:
        return int(math.floor(point[0] / cell_lat)), int(math.floor(point[1] / cell_lon))

    for point, row in points:
        grid.setdefault(cell(point), []).append(row)
    hints = []
    for m in measures:
        a = m.address
        lo, hi = subtract_period(m.start, months=months), add_period(m.start, months=months)
        here = (float(a.latitude), float(a.longitude)) if None not in (a.latitude, a.longitude) else None  # type: ignore[arg-type, union-attr]
        same_buurt = by_buurt.get(a.buurt_code, []) if a.buurt_code else []  # type: ignore[union-attr]
        nearby = []
        if here:
            ci, cj = cell(here)
            nearby = [
                row for di in (-1, 0, 1) for dj in (-1, 0, 1) for row in grid.get((ci + di, cj + dj), ())
            ]
        before, after = set(), set()
        for near_by_buurt, rows in ((True, same_buurt), (False, nearby)):
            for sid, received, addr_id, point in rows:
                if addr_id == a.pk or not (lo <= received <= hi):  # type: ignore[union-attr]
                    continue
                if not near_by_buurt and _metres(here[0], here[1], point[0], point[1]) > metres:  # type: ignore[index]
                    continue
                if received > m.start:
                    after.add(sid)
                elif received < m.start:
                    before.add(sid)
        if len(after) > len(before):
            hints.append(
                {
                    "measure": m,
                    "url": url_or_blank("measures:detail", m.pk),
                    "start": m.start,
                    "buurt": a.buurt_code,  # type: ignore[union-attr]
                    "before": len(before),
                    "after": len(after),
                }
            )
    hints.sort(key=lambda h: -(h["after"] - h["before"]))
    return hints[:limit]
