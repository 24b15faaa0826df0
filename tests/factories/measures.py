"""Light helpers for measures tests: procedures are built through the services, as users do."""

from __future__ import annotations

from datetime import date

from measures import services
from measures.constants import MeasureKind
from tests.factories.subjects import AddressFactory, PersonFactory


def make_measure(
    actor,
    *,
    kind: str = MeasureKind.CLOSURE_13B_HOME,
    rapportage_date: date,
    address=None,
    person=None,
    owner_team=None,
    title: str = "Hennepkwekerij op zolder",
    signals=(),
):
    team = owner_team or actor.org_unit
    if address is None and kind != MeasureKind.LOD:
        address = AddressFactory(owner_team=team)
    if person is None and kind == MeasureKind.LOD:
        person = PersonFactory(owner_team=team)
    return services.measure_create(
        actor=actor,
        kind=kind,
        title=title,
        rapportage_date=rapportage_date,
        address=address,
        person=person,
        owner_team=owner_team,
        signals=signals,
    )


def record(actor, measure, event: str, on: date, **params):
    return services.measure_event_record(actor=actor, measure=measure, event=event, on=on, params=params)


def run(measure, steps, *, analyst, mayor):
    """Apply (event, date, params) steps; the besluit by the decision maker."""
    for event, on, params in steps:
        record(mayor if event == "besluit" else analyst, measure, event, on, **params)
        measure.refresh_from_db()
    return measure
