"""Closure durations (DOMAIN §1.2a: the besluit states its duration, end date, or "onbepaalde
tijd") and the clocks of bestuursdwang costs (Awb 5:25(6), 4:87, 4:104).

    5:25(6)  De bevoegdheid tot het vaststellen van de kosten vervalt vijf jaren na de dag waarop
             de bestuursdwang is toegepast (Evaluatiewet, in force 1 April 2021).
    4:87(1)  Betaling geschiedt binnen zes weken nadat de beschikking is bekendgemaakt (Atw).
    4:104(1) De rechtsvordering tot betaling verjaart door verloop van vijf jaren na de aanvang
             van de dag, volgende op die waarop de betalingstermijn is verstreken.

Five-year terms are not extended by the Atw (art. 4: longer than three months).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from measures import deadlines as dl
from measures import services
from measures.constants import EventType as E
from measures.constants import MeasureKind as K
from measures.deadlines import Event, Rule
from measures.models import Receivable
from tests.factories.measures import make_measure, record, run
from vik.core import calendar as cal
from vik.core.exceptions import ApplicationError

AMS = ZoneInfo("Europe/Amsterdam")
RULES = {
    dl.SLUITINGSDUUR: Rule(dl.SLUITINGSDUUR, months=6, atw=False),
    dl.SLUITING_HERBEOORDELING: Rule(dl.SLUITING_HERBEOORDELING, months=6, atw=False),
    dl.LOB_KOSTEN_VASTSTELLING: Rule(dl.LOB_KOSTEN_VASTSTELLING, months=60, atw=False),
    dl.LOB_KOSTEN_BETALING: Rule(dl.LOB_KOSTEN_BETALING, weeks=6),
    dl.LOB_KOSTEN_VERJARING: Rule(dl.LOB_KOSTEN_VERJARING, months=60, atw=False),
}


@pytest.fixture(autouse=True)
def _no_declared_days():
    before = cal.declared_days()
    cal.set_declared_days([])
    yield
    cal.set_declared_days(before)


def _specs(events):
    return {s.key: s for s in dl.procedure_deadlines(events, RULES)}


def test_indefinite_closure_has_no_end_only_a_periodic_review():
    specs = _specs(
        [Event("besluit", date(2026, 2, 1), {"indefinite": True}), Event("sluiting_start", date(2026, 3, 1))]
    )
    assert dl.SLUITINGSDUUR not in specs
    assert specs[dl.SLUITING_HERBEOORDELING].due == date(2026, 9, 1)
    # reviewed on 20 Aug 2026: the next review six months later
    specs = _specs(
        [
            Event("besluit", date(2026, 2, 1), {"indefinite": True}),
            Event("sluiting_start", date(2026, 3, 1)),
            Event("herbeoordeling", date(2026, 8, 20)),
        ]
    )
    assert specs[dl.SLUITING_HERBEOORDELING].due == date(2027, 2, 20)


def test_closure_lasts_what_the_besluit_says_never_the_rule_default():
    # six months from Mon 31 Aug 2026: 28 Feb 2027 (shorter month)
    specs = _specs(
        [
            Event("besluit", date(2026, 8, 1), {"duration_months": 6}),
            Event("sluiting_start", date(2026, 8, 31)),
        ]
    )
    assert specs[dl.SLUITINGSDUUR].due == date(2027, 2, 28)
    # an end date in the besluit
    specs = _specs(
        [
            Event("besluit", date(2026, 8, 1), {"end_date": "2026-12-15"}),
            Event("sluiting_start", date(2026, 9, 1)),
        ]
    )
    assert specs[dl.SLUITINGSDUUR].due == date(2026, 12, 15)
    # no stated duration: no end date (the 6-month rule does not fill the gap)
    specs = _specs([Event("besluit", date(2026, 8, 1)), Event("sluiting_start", date(2026, 9, 1))])
    assert dl.SLUITINGSDUUR not in specs and dl.SLUITING_HERBEOORDELING not in specs


def test_bestuursdwang_cost_clocks():
    specs = _specs(
        [
            Event("bestuursdwang", date(2026, 3, 3)),
            Event("kostenverhaal", date(2026, 3, 20), {"bekendgemaakt_op": "2026-03-24"}),
        ]
    )
    # 5:25(6): five years after the bestuursdwang was applied; answered by the kostenbeschikking
    assert specs[dl.LOB_KOSTEN_VASTSTELLING].due == date(2031, 3, 3)
    assert specs[dl.LOB_KOSTEN_VASTSTELLING].done
    # 4:87: Tue 24 Mar + 42 = Tue 5 May 2026, a feestdag every year (Atw art. 3) -> Wed 6 May
    assert specs[dl.LOB_KOSTEN_BETALING].due == date(2026, 5, 6)
    # 4:104: five years after the payment term: 6 May 2031
    assert specs[dl.LOB_KOSTEN_VERJARING].due == date(2031, 5, 6)


def test_closure_start_is_when_bestuursdwang_is_applied_and_leap_day_costs():
    specs = _specs(
        [
            Event("besluit", date(2028, 1, 1), {"duration_months": 6}),
            Event("sluiting_start", date(2028, 2, 29)),
        ]
    )
    # 29 Feb 2028 + 5 years: 28 Feb 2033
    assert specs[dl.LOB_KOSTEN_VASTSTELLING].due == date(2033, 2, 28)


@pytest.mark.django_db
def test_indefinite_closure_and_cost_ledger_through_the_services(users):
    analyst, mayor = users["analyst"], users["decision_maker"]
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=AMS), tick=False):
        m = make_measure(analyst, kind=K.CLOSURE_13B_PREMISES, rapportage_date=date(2026, 1, 2))
        record(analyst, m, E.VOORNEMEN, date(2026, 1, 5))
        record(analyst, m, E.ZIENSWIJZE_ONTVANGEN, date(2026, 1, 12))
        with pytest.raises(ApplicationError) as exc:
            record(mayor, m, E.BESLUIT, date(2026, 1, 20), indefinite=True, duration_months=6)
        assert exc.value.field == "indefinite"
        run(
            m,
            [
                (E.BESLUIT, date(2026, 1, 20), {"indefinite": True}),
                (E.BEKENDMAKING, date(2026, 1, 21), {}),
                (E.SLUITING_START, date(2026, 2, 2), {}),
            ],
            analyst=analyst,
            mayor=mayor,
        )
        keys = {d.rule.code: d for d in m.deadlines.all()}
        assert dl.SLUITINGSDUUR not in keys
        assert keys[dl.SLUITING_HERBEOORDELING].due_date == date(2026, 8, 2)
        assert m.duration_months is None
        record(
            analyst, m, E.KOSTENVERHAAL, date(2026, 3, 20), amount="3200", bekendgemaakt_op=date(2026, 3, 24)
        )
        keys = {d.rule.code: d for d in m.deadlines.all()}
        assert keys[dl.LOB_KOSTEN_BETALING].due_date == date(2026, 5, 6)
        assert keys[dl.LOB_KOSTEN_VERJARING].due_date == date(2031, 5, 6)
        assert keys[dl.LOB_KOSTEN_VASTSTELLING].done
    with time_machine.travel(datetime(2031, 5, 8, 10, tzinfo=AMS), tick=False):
        assert services.receivables_mark_time_barred(on=date(2031, 5, 8)) == 1
    costs = Receivable.objects.get(measure=m, kind="kosten")
    assert costs.time_barred_on == date(2031, 5, 7)


@pytest.mark.django_db
def test_measure_page_says_indefinite(users, login):
    from django.urls import reverse

    analyst, mayor = users["analyst"], users["decision_maker"]
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=AMS), tick=False):
        m = make_measure(analyst, kind=K.CLOSURE_13B_HOME, rapportage_date=date(2026, 1, 2))
        run(
            m,
            [
                (E.VOORNEMEN, date(2026, 1, 5), {}),
                (E.ZIENSWIJZE_VERLOPEN, date(2026, 1, 20), {}),
                (E.BESLUIT, date(2026, 1, 21), {"indefinite": True}),
            ],
            analyst=analyst,
            mayor=mayor,
        )
        html = login(analyst).get(reverse("measures:detail", args=[m.pk])).content.decode()
    assert "onbepaalde tijd (geen einddatum; periodieke herbeoordeling)" in html
