"""Query budgets (DESIGN §7, issue #11 item 3): every list and detail page runs at most 15 SQL
queries, and the number does not grow with the rows it shows.

How it works: each entry of ``PAGES`` names a URL, the role that opens it, and a ``grow(world, n)``
function that makes the page show ``n`` rows (list pages: n records; detail pages: n linked
rows). The page is rendered with 3 rows and again with 30; both counts must be within budget and
the second may not exceed the first. An N+1 shows up as a count that grows by 27.

Add a page: write its ``grow`` and add a ``Page`` line. The guard test at the bottom fails when
an app adds a list/detail/search page without an entry here (or a stated reason in NOT_YET), so
a page cannot silently escape its budget. A page over budget stays a failing test: fix the page
(``select_related``/``prefetch_related``, one aggregate instead of a count per row), don't hide it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

BUDGET = 15
FEW, MANY = 3, 30

pytestmark = pytest.mark.django_db


@dataclass
class World:
    users: dict
    anchors: dict = field(default_factory=dict)
    made: dict = field(default_factory=dict)

    def have(self, key: str) -> int:
        return self.made.get(key, 0)

    def add(self, key: str, n: int = 1) -> None:
        self.made[key] = self.made.get(key, 0) + n


def _until(world: World, key: str, n: int, make: Callable[[int], None]) -> None:
    while world.have(key) < n:
        make(world.have(key))
        world.add(key)


# --- grow functions (one per page) ----------------------------------------------------------------


def grow_persons_named_jansen(w: World, n: int) -> None:
    from tests.factories.subjects import PersonFactory

    _until(
        w,
        "jansen",
        n,
        lambda i: PersonFactory(
            geslachtsnaam="Jansen", voornamen=f"Jan{i}", owner_team=w.users["analyst"].org_unit
        ),
    )


def _anchor_person(w: World):
    from tests.factories.subjects import PersonFactory

    if "person" not in w.anchors:
        w.anchors["person"] = PersonFactory(geslachtsnaam="Ankerman", owner_team=w.users["analyst"].org_unit)
    return w.anchors["person"]


def grow_person_links(w: World, n: int) -> None:
    from tests.factories.subjects import AddressFactory, LinkFactory

    person = _anchor_person(w)
    team = w.users["analyst"].org_unit

    def make(i: int) -> None:
        LinkFactory(
            source_obj=person,
            target_obj=AddressFactory(owner_team=team),
            link_type="woont_op",
            owner_team=team,
        )

    _until(w, "person_links", n, make)


def grow_signals(w: World, n: int) -> None:
    from tests.factories.signals import make_signal

    _until(
        w,
        "signals",
        n,
        lambda i: make_signal(
            w.users["analyst"], summary=f"Melding {i}", received=date.today() - timedelta(days=i % 300)
        ),
    )


def _anchor_signal(w: World):
    from tests.factories.signals import make_signal

    if "signal" not in w.anchors:
        w.anchors["signal"] = make_signal(w.users["analyst"], summary="Ankermelding")
    return w.anchors["signal"]


def grow_signal_subjects(w: World, n: int) -> None:
    from signals.models import SignalSubject
    from tests.factories.subjects import PersonFactory

    signal = _anchor_signal(w)
    team = w.users["analyst"].org_unit
    _until(
        w,
        "signal_subjects",
        n,
        lambda i: SignalSubject.objects.create(
            signal=signal, person=PersonFactory(owner_team=team), role="betrokkene"
        ),
    )


def grow_measures(w: World, n: int) -> None:
    from tests.factories.measures import make_measure

    _until(
        w,
        "measures",
        n,
        lambda i: make_measure(
            w.users["analyst"], rapportage_date=date.today() - timedelta(days=i + 1), title=f"Maatregel {i}"
        ),
    )


def _anchor_measure(w: World):
    from tests.factories.measures import make_measure

    if "measure" not in w.anchors:
        w.anchors["measure"] = make_measure(
            w.users["analyst"], rapportage_date=date.today() - timedelta(days=10)
        )
    return w.anchors["measure"]


def grow_measure_signals(w: World, n: int) -> None:
    from tests.factories.signals import make_signal

    measure = _anchor_measure(w)
    _until(
        w,
        "measure_signals",
        n,
        lambda i: measure.signals.add(make_signal(w.users["analyst"], summary=f"Bij maatregel {i}")),
    )


def grow_dossiers(w: World, n: int) -> None:
    from tests.factories.bibob import make_dossier

    _until(w, "dossiers", n, lambda i: make_dossier(w.users["bibob"], title=f"Dossier {i}"))


def _anchor_dossier(w: World):
    from tests.factories.bibob import make_dossier

    if "dossier" not in w.anchors:
        w.anchors["dossier"] = make_dossier(w.users["bibob"])
    return w.anchors["dossier"]


def grow_dossier_parties(w: World, n: int) -> None:
    from bibob.models import DossierParty
    from tests.factories.bibob import make_organisation

    dossier = _anchor_dossier(w)
    team = w.users["bibob"].org_unit
    _until(
        w,
        "parties",
        n,
        lambda i: DossierParty.objects.create(
            dossier=dossier, role="owner", organisation=make_organisation(team, name=f"Holding {i} B.V.")
        ),
    )


def grow_meetings(w: World, n: int) -> None:
    from tests.factories.meetings import make_meeting

    _until(w, "meetings", n, lambda i: make_meeting(chair=w.users["chair"], days=i + 1))


def _anchor_meeting(w: World):
    from tests.factories.meetings import make_meeting

    if "meeting" not in w.anchors:
        w.anchors["meeting"] = make_meeting(chair=w.users["chair"])
    return w.anchors["meeting"]


def grow_meeting_items(w: World, n: int) -> None:
    from tests.factories.meetings import add_free

    meeting = _anchor_meeting(w)
    _until(w, "items", n, lambda i: add_free(meeting, w.users["chair"], title=f"Punt {i}"))


def grow_signals_rolled_up(w: World, n: int) -> None:
    from dashboards.services import rollups_refresh

    grow_signals(w, n)
    rollups_refresh()


def grow_buurten_with_signals(w: World, n: int) -> None:
    """n buurten on the map, each with a signal at an address with coordinates (a point)."""
    from dashboards.models import Area
    from signals.constants import SubjectRole
    from subjects.models import Address
    from tests.factories.signals import make_address, make_signal

    team = w.users["analyst"].org_unit

    def make(i: int) -> None:
        code, lon, lat = f"BU0141{i:04d}", 6.6 + i * 0.001, 52.3
        ring = [[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001], [lon, lat]]
        Area.objects.create(
            code=code,
            name=f"Buurt {i}",
            year=2025,
            level="BU",
            geometry={"type": "Polygon", "coordinates": [ring]},
            min_lon=lon,
            min_lat=lat,
            max_lon=lon + 0.001,
            max_lat=lat + 0.001,
        )
        address = make_address(team, number=i + 1, buurt=code)
        Address.objects.filter(pk=address.pk).update(
            latitude=f"{lat + 0.0005:.6f}", longitude=f"{lon + 0.0005:.6f}"
        )
        make_signal(w.users["analyst"], links=[(address, SubjectRole.LOCATIE)])

    _until(w, "buurten", n, make)


def grow_controls(w: World, n: int) -> None:
    from signals.services import control_create
    from tests.factories.signals import make_address

    team = w.users["analyst"].org_unit
    _until(
        w,
        "controls",
        n,
        lambda i: control_create(
            actor=w.users["analyst"],
            control_type="horeca",
            date=date.today() - timedelta(days=i),
            address=make_address(team, number=i + 1),
        ),
    )


def _anchor_control(w: World):
    from signals.services import control_create
    from tests.factories.signals import make_address

    if "control" not in w.anchors:
        w.anchors["control"] = control_create(
            actor=w.users["analyst"],
            control_type="horeca",
            date=date.today(),
            address=make_address(w.users["analyst"].org_unit, number=999),
        )
    return w.anchors["control"]


def grow_control_findings(w: World, n: int) -> None:
    from signals.services import finding_add

    control = _anchor_control(w)
    _until(
        w,
        "findings",
        n,
        lambda i: finding_add(
            actor=w.users["analyst"],
            control=control,
            finding_type="illegale_bewoning",
            description=f"Bevinding {i}",
        ),
    )


def grow_action_items(w: World, n: int) -> None:
    """n action items on one held meeting, owned by the chair's own organisation."""
    from meetings.constants import MeetingState
    from tests.factories.meetings import add_action, add_free, advance, make_meeting

    chair = w.users["chair"]
    if "held_item" not in w.anchors:
        meeting = make_meeting(chair=chair, days=-1)
        w.anchors["held_item"] = add_free(meeting, chair, title="Punt met acties")
        advance(meeting, chair, MeetingState.HELD)
    item = w.anchors["held_item"]
    _until(w, "actions", n, lambda i: add_action(item, chair, org=chair.org_unit, description=f"Actie {i}"))


def grow_recurring_in_buurt(w: World, n: int) -> None:
    """For the analysis page (hennep in one buurt): n persons, each in two hennep signals at an
    address in the buurt, so the recurring-subjects table grows by one row per person."""
    from dashboards.models import Area
    from signals.constants import SubjectRole
    from tests.factories.signals import make_address, make_person, make_signal

    team = w.users["analyst"].org_unit
    ring = [[6.6, 52.3], [6.61, 52.3], [6.61, 52.31], [6.6, 52.3]]
    Area.objects.get_or_create(
        code="BU01410101",
        defaults={
            "name": "Centrum",
            "year": 2025,
            "level": "BU",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "min_lon": 6.6,
            "min_lat": 52.3,
            "max_lon": 6.61,
            "max_lat": 52.31,
        },
    )

    def make(i: int) -> None:
        person = make_person(team, geslachtsnaam=f"Terugkeer{i}")
        address = make_address(team, number=i + 1, buurt="BU01410101")
        for _ in range(2):
            make_signal(
                w.users["analyst"],
                codes=("hennep",),
                links=[(person, SubjectRole.BETROKKENE), (address, SubjectRole.LOCATIE)],
            )

    _until(w, "recurring", n, make)


# --- the table ------------------------------------------------------------------------------------


@dataclass
class Page:
    url: str
    role: str
    grow: Callable[[World, int], None]
    kwargs: Callable[[World], dict] = lambda w: {}
    query: dict = field(default_factory=dict)
    purpose: bool = False

    def __str__(self) -> str:
        return self.url


PAGES = [
    Page("subjects:search", "analyst", grow_persons_named_jansen, query={"q": "Jansen"}, purpose=True),
    Page("subjects:typeahead", "analyst", grow_persons_named_jansen, query={"q": "Jansen"}, purpose=True),
    Page(
        "subjects:person_detail",
        "analyst",
        grow_person_links,
        kwargs=lambda w: {"pk": _anchor_person(w).pk},
        purpose=True,
    ),
    Page("signals:list", "analyst", grow_signals),
    Page(
        "signals:detail",
        "analyst",
        grow_signal_subjects,
        kwargs=lambda w: {"pk": _anchor_signal(w).pk},
        purpose=True,
    ),
    Page("measures:list", "analyst", grow_measures),
    Page("measures:detail", "analyst", grow_measure_signals, kwargs=lambda w: {"pk": _anchor_measure(w).pk}),
    Page("bibob:list", "bibob", grow_dossiers),
    Page("bibob:detail", "bibob", grow_dossier_parties, kwargs=lambda w: {"pk": _anchor_dossier(w).pk}),
    Page("meetings:list", "chair", grow_meetings),
    Page("meetings:detail", "chair", grow_meeting_items, kwargs=lambda w: {"pk": _anchor_meeting(w).pk}),
    Page("dashboards:overview", "analyst", grow_signals),
    Page("dashboards:panel_measures", "analyst", grow_measures),
    Page("dashboards:management", "chair", grow_signals_rolled_up),
    Page("dashboards:map", "analyst", grow_buurten_with_signals, purpose=True),
    Page(
        "dashboards:analysis",
        "analyst",
        grow_recurring_in_buurt,
        query={"fenomeen": "hennep", "gebied": "BU01410101"},
        purpose=True,
    ),
    Page("signals:control_list", "analyst", grow_controls),
    Page(
        "signals:control_detail",
        "analyst",
        grow_control_findings,
        kwargs=lambda w: {"pk": _anchor_control(w).pk},
    ),
    Page("meetings:action_list", "chair", grow_action_items),
]

#: list/detail pages without an entry yet, each with the reason. Move them into PAGES.
NOT_YET = {
    "subjects:organisation_detail": "same view as person_detail (kind parameter)",
    "subjects:address_detail": "same view as person_detail (kind parameter)",
    "subjects:vehicle_detail": "same view as person_detail (kind parameter)",
    "subjects:merge_detail": "one merge record, no rows",
    "signals:import_detail": "one import batch; its error lines are stored JSON, not queries",
    "meetings:action_detail": "one action item",
    "meetings:item_detail": "one agenda item",
}


# Pages over DESIGN §7's 15 queries, each with its count and the work that brings it back. Keep
# this short: an entry is a known debt, not a new budget.
OVER_BUDGET: dict[str, tuple[int, str]] = {}


def _render(client, page: Page, world: World) -> tuple[int, int]:
    url = reverse(page.url, kwargs=page.kwargs(world) or None)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, page.query)
    if os.environ.get("VIK_QDUMP"):  # debugging aid: print the queries of a page
        print(page.url, *(q["sql"][:200] for q in ctx.captured_queries), sep="\n")
    return response.status_code, len(ctx.captured_queries)


@pytest.mark.parametrize("budget_page", PAGES, ids=str)
def test_page_stays_within_query_budget_and_does_not_grow_with_rows(budget_page, users, login, with_purpose):
    page = budget_page
    world = World(users=users)
    client = login(users[page.role])
    if page.purpose:
        with_purpose(client)
    page.grow(world, FEW)
    _render(
        client, page, world
    )  # a warm process: the per-process caches (content types, reference lists) filled
    status, few = _render(client, page, world)
    assert status == 200, f"{page.url} answered {status} with {FEW} rows"
    page.grow(world, MANY)
    status, many = _render(client, page, world)
    assert status == 200, f"{page.url} answered {status} with {MANY} rows"
    budget = OVER_BUDGET.get(page.url, (BUDGET, ""))[0]
    assert few <= budget, f"{page.url}: {few} queries with {FEW} rows (budget {budget})"
    assert many <= budget, f"{page.url}: {many} queries with {MANY} rows (budget {budget})"
    assert many <= few, (
        f"{page.url}: {few} queries with {FEW} rows but {many} with {MANY}: grows with the rows (N+1)"
    )


PAGE_NAME = re.compile(r"(^|_)(list|detail|search|overview|typeahead)$")
APPS = ["subjects", "signals", "measures", "bibob", "meetings", "dashboards"]


def test_every_list_and_detail_page_has_a_budget_entry():
    resolver = get_resolver()
    names = set()
    for app in APPS:
        try:
            sub = resolver.namespace_dict[app][1]
        except KeyError:
            continue
        names |= {f"{app}:{n}" for n in sub.reverse_dict if isinstance(n, str) and PAGE_NAME.search(n)}
    covered = {p.url for p in PAGES} | set(NOT_YET)
    assert sorted(names - covered) == [], (
        "list/detail pages without a query-budget entry in tests/bench/test_query_budgets.py"
    )
