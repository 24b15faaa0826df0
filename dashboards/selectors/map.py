"""The map: counts per buurt, outlines, signal points and the buurt detail."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Q, QuerySet, Subquery

from signals.models import Signal, SignalSubject
from subjects.models import Address
from vik.core.access import can_use_model, visible_q
from vik.core.db_router import read_cursor
from vik.core.models import User

from ..constants import AreaLevel
from ..models import Area
from .common import DashFilters
from .measures import _closure_kinds, measures_visible
from .signals import signals_visible

# --- map -----------------------------------------------------------------------------------------


def latest_year() -> int | None:
    return Area.objects.order_by("-year").values_list("year", flat=True).first()


def buurt_counts(*, user: User, f: DashFilters) -> dict[str, dict]:
    """Per buurt: visible signals with an address in the buurt, active closures and measures, from
    ONE query (the signal and the measure counts as a UNION ALL).

    The signal part starts from the viewer's visible signals of the period and looks up each
    one's buurten (LATERAL), so its cost follows those signals, not the size of the link table
    (PostgreSQL hashed every link). The measure part is left to the planner: a viewer sees most
    measures, and one pass over the addresses costs less than a lookup per measure (measured at
    M); see docs/performance.md, "Dashboards at M and L"."""
    try:
        sig_sql, sig_params = signals_visible(user=user, f=f).values("id").query.sql_with_params()
    except EmptyResultSet:  # no signal can be visible (no permission or no clearance)
        sig_sql, sig_params = "SELECT NULL::bigint WHERE false", ()
    link, address = SignalSubject._meta.db_table, Address._meta.db_table
    # A signal counts once per buurt however many of its addresses lie there (DISTINCT per signal).
    parts = [
        f"""SELECT 's' AS k, b.code, count(*) AS n, 0 AS c FROM ({sig_sql}) AS s (id)
            CROSS JOIN LATERAL (
                SELECT DISTINCT a.buurt_code AS code FROM {link} l JOIN {address} a ON a.id = l.address_id
                WHERE l.signal_id = s.id AND a.buurt_code <> ''
            ) AS b
            GROUP BY b.code"""  # noqa: S608 - Django's own SQL with bound parameters, table names from models
    ]
    params = list(sig_params)
    mq = measures_visible(user=user, f=f, period=False)
    if mq is not None:
        kinds, closed = _closure_kinds()
        try:
            m_sql, m_params = (
                mq.exclude(address__buurt_code="")
                .exclude(address__isnull=True)
                .values("address__buurt_code")
                .annotate(n=Count("id"), c=Count("id", filter=Q(kind__in=kinds, state=closed)))
                .values_list("address__buurt_code", "n", "c")
                .query.sql_with_params()
            )
        except EmptyResultSet:
            m_sql, m_params = "SELECT NULL::text, 0, 0 WHERE false", ()
        parts.append(f"SELECT 'm' AS k, t.code, t.n, t.c FROM ({m_sql}) AS t (code, n, c)")  # noqa: S608
        params += list(m_params)
    counts: dict[str, dict] = {}
    with read_cursor() as cur:
        cur.execute(" UNION ALL ".join(f"({p})" for p in parts), params)
        rows = cur.fetchall()
    for kind, code, n, c in rows:
        entry = counts.setdefault(code, {"signals": 0, "closures": 0, "measures": 0})
        if kind == "s":
            entry["signals"] = n
        else:
            entry["measures"], entry["closures"] = n, c
    return counts


def _buurten(area: str = "") -> QuerySet:
    """The buurten of the latest year, within ``area`` when given."""
    latest = Area.objects.order_by("-year").values("year")[:1]
    areas = Area.objects.filter(year=Subquery(latest), level=AreaLevel.BUURT)
    if area:
        areas = areas.filter(
            code__startswith={"GM": "BU" + area[2:6], "WK": "BU" + area[2:8]}.get(area[:2], area)
        )
    return areas


def map_data(*, user: User, f: DashFilters, points: bool) -> dict:
    """The viewer's figures for the map: per buurt of the latest year its code, name and counts
    (zero included), and optionally points. The outlines are not in here: they are reference
    data, the same for everyone, served by :func:`buurt_outlines` as a file the browser caches."""
    counts = buurt_counts(user=user, f=f)
    empty = {"signals": 0, "closures": 0, "measures": 0}
    buurten = [
        {"code": code, "name": name, **counts.get(code, empty)}
        for code, name in _buurten(f.area).order_by("code").values_list("code", "name")
    ]
    data = {"buurten": buurten, "points": []}
    if points:
        data["points"] = signal_points(user=user, f=f)
    return data


def busiest_first(buurten: list[dict]) -> list[dict]:
    """The map's table order: most signals first, then most measures, then by code."""
    return sorted(buurten, key=lambda b: (-b["signals"], -b["measures"], b["code"]))


def map_script_data(data: dict) -> dict:
    """What the map script needs besides the outlines: [signals, closures, measures] for the
    buurten that have any figure (names come with the outlines), and the points."""
    counts = {
        b["code"]: [b["signals"], b["closures"], b["measures"]]
        for b in data["buurten"]
        if b["signals"] or b["closures"] or b["measures"]
    }
    return {"counts": counts, "points": data["points"]}


def buurt_outlines(*, area: str = "") -> dict:
    """The buurt outlines of the latest year as GeoJSON (code and name only: no figures)."""
    features = [
        {"type": "Feature", "geometry": geometry, "properties": {"code": code, "name": name}}
        for code, name, geometry in _buurten(area).order_by("code").values_list("code", "name", "geometry")
    ]
    return {"type": "FeatureCollection", "features": features}


def outlines_version(*, area: str = "") -> str:
    """Changes whenever the outlines could have: a new year, or areas loaded, replaced or updated."""
    from django.db.models import Max

    agg = _buurten(area).aggregate(n=Count("id"), last=Max("id"), year=Max("year"), changed=Max("updated_at"))
    changed = agg["changed"].isoformat() if agg["changed"] else ""
    return f"{agg['year']}-{agg['n']}-{agg['last']}-{changed}-{area}"


def signal_points(*, user: User, f: DashFilters, limit: int = 2000) -> list[dict]:
    """Addresses (visible to the user) of visible signals, with coordinates: [lat, lon, n].

    Like :func:`buurt_counts`, from the visible signals of the period, each looking up its own
    links (LATERAL; PostgreSQL flattens the inner query and probes the links by signal)."""
    if not can_use_model(user, Address):
        return []
    try:
        sig_sql, sig_params = signals_visible(user=user, f=f).values("id").query.sql_with_params()
        links_sql, links_params = (
            SignalSubject.objects.filter(
                visible_q(user, Address, prefix="address__"), address__latitude__isnull=False
            )
            .values_list("signal_id", "address__latitude", "address__longitude")
            .order_by()
            .query.sql_with_params()
        )
    except EmptyResultSet:  # no signal or no address can be visible
        return []
    sql = f"""
        SELECT p.lat, p.lon, count(DISTINCT s.id) AS n FROM ({sig_sql}) AS s (id)
        CROSS JOIN LATERAL (
            SELECT x.lat, x.lon FROM ({links_sql}) AS x (signal_id, lat, lon) WHERE x.signal_id = s.id
        ) AS p
        GROUP BY p.lat, p.lon ORDER BY n DESC LIMIT %s
    """  # noqa: S608 - Django's own SQL with bound parameters
    with read_cursor() as cur:
        cur.execute(sql, [*sig_params, *links_params, limit])
        raw = cur.fetchall()
    return [{"lat": float(lat), "lon": float(lon), "n": n} for lat, lon, n in raw]


def buurt_detail(*, user: User, f: DashFilters, code: str) -> dict | None:
    area = Area.objects.filter(code=code, level=AreaLevel.BUURT).order_by("-year").first()
    if area is None:
        return None
    scoped = replace(f, area=code)
    counts = buurt_counts(user=user, f=scoped).get(code, {"signals": 0, "closures": 0, "measures": 0})
    through = Signal.phenomena.through
    per_phen = list(
        through.objects.filter(signal_id__in=signals_visible(user=user, f=scoped).values("id"))
        .values_list("phenomenon__label")
        .annotate(n=Count("signal_id"))
        .order_by("-n", "phenomenon__label")
    )
    return {
        "area": area,
        "counts": counts,
        "per_phenomenon": per_phen,
        "list_query": scoped.signal_list_query(),
    }
