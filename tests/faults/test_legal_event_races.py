"""Double submits and races on legal events (issue #17 item 5): the same deadline-changing event
posted twice at the same instant, by real threads on their own connections, is recorded once and
the second is refused with a Dutch message; the adjournment of the decision on an objection
(Awb 7:10(3)) is accepted once per objection."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from measures import deadlines as dl
from measures.constants import EventType as E
from measures.models import MeasureEvent
from tests.factories.measures import make_measure, record
from tests.faults.concurrency import run_at_once
from vik.core import calendar as cal
from vik.core.exceptions import ApplicationError

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def frozen():
    before = cal.declared_days()
    cal.set_declared_days([])
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=AMS), tick=False):
        yield
    cal.set_declared_days(before)


STEPS = [
    (E.VOORNEMEN, date(2026, 1, 5), {}),
    (E.ZIENSWIJZE_ONTVANGEN, date(2026, 1, 15), {}),
    (E.BESLUIT, date(2026, 1, 20), {"duration_months": 6, "begunstiging_days": 14}),
    (E.BEKENDMAKING, date(2026, 1, 22), {}),
    (E.BEGUNSTIGING, date(2026, 1, 22), {}),
    (E.SLUITING_START, date(2026, 2, 6), {}),
    (E.BEZWAAR, date(2026, 2, 20), {}),
    (E.VERDAGING, date(2026, 3, 20), {}),
    (E.BESLISSING_OP_BEZWAAR, date(2026, 5, 20), {"outcome": "ongegrond"}),
    (E.BEROEP, date(2026, 5, 25), {}),
]


def test_every_deadline_changing_event_posted_twice_at_once_is_recorded_once(users):
    analyst, mayor = users["analyst"], users["decision_maker"]
    measure = make_measure(analyst, rapportage_date=date(2026, 1, 2))
    for event, on, params in STEPS:
        actor = mayor if event == E.BESLUIT else analyst

        def post(event=event, on=on, params=params, actor=actor):
            return record(actor, measure, event, on, **params)

        results = run_at_once(post, post)
        refused = [r for r in results if isinstance(r, ApplicationError)]
        assert len(refused) == 1, (event, results)
        assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ApplicationError)]
        assert MeasureEvent.objects.filter(measure=measure, code=event).count() == 1, event


def test_adjournment_of_the_objection_decision_extends_once(users):
    analyst, mayor = users["analyst"], users["decision_maker"]
    measure = make_measure(analyst, rapportage_date=date(2026, 1, 2))
    for event, on, params in STEPS[:7]:
        record(mayor if event == E.BESLUIT else analyst, measure, event, on, **params)
    record(analyst, measure, E.VERDAGING, date(2026, 3, 20))
    due = measure.deadlines.get(key=dl.BOB).due_date
    with pytest.raises(ApplicationError, match="al verdaagd"):
        record(analyst, measure, E.VERDAGING, date(2026, 3, 21))
    assert measure.deadlines.get(key=dl.BOB).due_date == due  # not extended twice


def test_bibob_lbb_request_and_extension_posted_twice_at_once_are_recorded_once(users):
    """The Bibob events that move the decision term (LBB advice requested: the term stands still;
    LBB extension: once, at most 4 weeks) under the same double post."""
    from bibob import services as bibob_services
    from bibob.constants import DossierStatus
    from bibob.models import LbbRequest
    from tests.factories.bibob import make_dossier

    specialist = users["bibob"]
    dossier = make_dossier(specialist, status=DossierStatus.OWN_INVESTIGATION)

    def ask():
        return bibob_services.lbb_request_create(
            actor=specialist, dossier=dossier, requested_on=date(2026, 2, 19)
        )

    results = run_at_once(ask, ask)
    assert len([r for r in results if isinstance(r, ApplicationError)]) == 1, results
    assert LbbRequest.objects.filter(dossier=dossier).count() == 1

    def extend():
        return bibob_services.lbb_extend(
            actor=specialist, dossier=dossier, weeks=4, extended_on=date(2026, 4, 1)
        )

    results = run_at_once(extend, extend)
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1 and "één keer" in refused[0].message, results
    assert LbbRequest.objects.get(dossier=dossier).extension_weeks == 4
