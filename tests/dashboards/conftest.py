"""A small, hand-countable world for the dashboard figures.

Team veiligheid (the analyst's team) owns S1, S2, S3, S5; team vergunningen owns S4.

| sig | received   | phenomena     | source  | status   | compartment | address (buurt)   |
|-----|------------|---------------|---------|----------|-------------|-------------------|
| S1  | 2025-01-10 | hennep        | politie | RECEIVED | general     | A1 (BU01410100)   |
| S2  | 2025-01-20 | hennep, drugs | mma     | TRIAGE   | mma         | A2 (BU01410101)   |
| S3  | 2025-02-05 | drugs         | politie | CLOSED   | general     | A1 (BU01410100)   |
| S4  | 2025-02-10 | hennep        | politie | RECEIVED | general     | A3 (BU01410100) * |
| S5  | 2025-03-01 | fraude        | politie | RECEIVED | police      | —                 |
(* other team)

Measures: M1 (own, 13b woning, closed now, address A1, signal S1, first event 2025-02-01, one
overdue deadline); M2 (other team, 13b lokaal, closed now, address A3).
Receivables (own): 2024 1000 (400 collected), 2024 500 time-barred, 2025 200 collected; other
team: 2025 1000.
S3 left the casustafel agenda on 2025-02-15.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from django.utils import timezone

from vik.core.access import init_visibility

PERIOD = {"van": "2025-01-01", "tot": "2025-12-31"}


def phenomenon(code):
    from signals.models import Phenomenon

    return Phenomenon.objects.get_or_create(code=code, defaults={"label": code.capitalize()})[0]


def source(code):
    from signals.models import SignalSource

    return SignalSource.objects.get_or_create(code=code, defaults={"label": code.upper()})[0]


def make_address(
    team, *, street="Grotestraat", number=1, buurt="BU01410100", lat=None, lon=None, compartment="general"
):
    from subjects.models import Address

    addr = Address.objects.create(
        street=street,
        house_number=number,
        postcode="7607AB",
        town="Almelo",
        gemeente_code="GM" + buurt[2:6] if buurt else "",
        wijk_code="WK" + buurt[2:8] if buurt else "",
        buurt_code=buurt,
        latitude=lat,
        longitude=lon,
        owner_team=team,
        compartment=compartment,
    )
    init_visibility(addr)
    return addr


def make_signal(
    team,
    received,
    *,
    phenomena=("hennep",),
    src="politie",
    status="RECEIVED",
    compartment="general",
    address=None,
    person=None,
):
    from signals.models import Signal, SignalSubject

    sig = Signal.objects.create(
        source=source(src),
        received_date=received,
        summary="testsignaal",
        status=status,
        owner_team=team,
        compartment=compartment,
    )
    sig.phenomena.set([phenomenon(p) for p in phenomena])
    init_visibility(sig)
    if address is not None:
        SignalSubject.objects.create(signal=sig, address=address)
    if person is not None:
        SignalSubject.objects.create(signal=sig, person=person)
    return sig


def make_measure(
    team,
    actor,
    *,
    kind="13b_woning",
    state="gesloten",
    address=None,
    signals=(),
    start=None,
    compartment="general",
):
    from measures.models import Measure, MeasureEvent

    m = Measure.objects.create(
        kind=kind,
        state=state,
        title="testmaatregel",
        legal_basis="art. 13b Opiumwet",
        address=address,
        owner_team=team,
        compartment=compartment,
        created_by=actor,
    )
    m.signals.set(signals)
    init_visibility(m)
    if start is not None:
        MeasureEvent.objects.create(
            measure=m, seq=1, code="rapportage", date=start, state_after=state, actor=actor
        )
    return m


def make_receivable(team, origin, amount, *, collected="0", written_off="0", barred=None):
    from measures.models import Receivable

    r = Receivable.objects.create(
        kind="verbeurd",
        origin_date=origin,
        amount=Decimal(amount),
        collected=Decimal(collected),
        written_off=Decimal(written_off),
        time_barred_on=barred,
        owner_team=team,
    )
    init_visibility(r)
    return r


@pytest.fixture
def world(db, team, other_team, make_user, users):
    from measures.models import Deadline, DeadlineRule
    from signals.models import SignalStatusChange

    analyst = users["analyst"]
    outsider = make_user("analyst", org=other_team, username="buitenstaander")
    a1 = make_address(team, number=1)
    a2 = make_address(team, number=2, buurt="BU01410101")
    a3 = make_address(other_team, number=3)
    s1 = make_signal(team, date(2025, 1, 10), address=a1)
    s2 = make_signal(
        team,
        date(2025, 1, 20),
        phenomena=("hennep", "drugs"),
        src="mma",
        status="TRIAGE",
        compartment="mma",
        address=a2,
    )
    s3 = make_signal(team, date(2025, 2, 5), phenomena=("drugs",), status="CLOSED", address=a1)
    s4 = make_signal(other_team, date(2025, 2, 10), address=a3)
    s5 = make_signal(team, date(2025, 3, 1), phenomena=("fraude",), compartment="police")
    SignalStatusChange.objects.create(
        signal=s3,
        from_status="CASUSTAFEL_AGENDA",
        to_status="CLOSED",
        at=timezone.make_aware(datetime(2025, 2, 15, 10, 0)),
    )
    m1 = make_measure(team, analyst, address=a1, signals=[s1], start=date(2025, 2, 1))
    m2 = make_measure(
        other_team, analyst, kind="13b_lokaal", address=a3, signals=[s4], start=date(2025, 2, 20)
    )
    rule, _ = DeadlineRule.objects.get_or_create(
        code="test_rule",
        defaults={
            "label": "Testtermijn",
            "trigger_event": "besluit",
            "days": 10,
            "set_by": "policy",
            "legal_basis": "test",
        },
    )
    Deadline.objects.create(
        measure=m1,
        key="t1",
        rule=rule,
        label="Testtermijn",
        due_date=timezone.localdate() - timedelta(days=1),
    )
    Deadline.objects.create(
        measure=m2,
        key="t2",
        rule=rule,
        label="Testtermijn",
        due_date=timezone.localdate() - timedelta(days=1),
    )
    make_receivable(team, date(2024, 5, 1), "1000", collected="400")
    make_receivable(team, date(2024, 7, 1), "500", barred=date(2025, 7, 1))
    make_receivable(team, date(2025, 1, 1), "200", collected="200")
    make_receivable(other_team, date(2025, 3, 1), "1000")
    return SimpleNamespace(
        analyst=analyst,
        outsider=outsider,
        users=users,
        a1=a1,
        a2=a2,
        a3=a3,
        s1=s1,
        s2=s2,
        s3=s3,
        s4=s4,
        s5=s5,
        m1=m1,
        m2=m2,
    )
