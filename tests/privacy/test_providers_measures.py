"""The measures app in privacy operations: measure decisions become due ten years after they
became final, ledger lines seven years after they were settled; destruction leaves no trace (the
append-only history included, through the retention path only); anonymisation keeps the
statistics; the access request lists the measures with their legal dates."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.db import connection, transaction

from measures import deadlines, services
from measures.constants import EventType as E
from measures.constants import MeasureKind as K
from measures.models import Deadline, Forfeiture, Measure, MeasureEvent, Receivable
from measures.privacy import decision_final_on, measure_anchor, measure_destroy
from measures.services import rules_by_code
from tests.factories.measures import make_measure, record
from tests.factories.subjects import PersonFactory
from tests.privacy.test_retention import _tables_mentioning
from vik.core import calendar as cal
from vik.core.accesslog import log_access
from vik.core.constants import AccessAction, Compartment
from vik.core.models import AccessLog, LogRef, Notification
from vik.privacy.models import RetentionRule, Tombstone
from vik.privacy.services import (
    destruction_list_approve,
    destruction_list_carry_out,
    dsar_answer,
    dsar_create,
    retention_sweep,
)

AMS = ZoneInfo("Europe/Amsterdam")
MARKER = "Merkteken-Maatregel-5521"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_declared_days():
    before = cal.declared_days()
    cal.set_declared_days([])
    yield
    cal.set_declared_days(before)


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=AMS), tick=False)


def sweep_on(day: date):
    with at(day, 2):
        return retention_sweep()


def carry_out(dl, users, records_manager):
    destruction_list_approve(actor=users["privacy_officer"], destruction_list=dl)
    destruction_list_approve(actor=records_manager, destruction_list=dl)
    destruction_list_carry_out(destruction_list=dl, actor=records_manager)


def ours(result, label):
    return (
        [i for i in result.destruction_list.items.all() if i.model_label == label]
        if result.destruction_list
        else []
    )


def finished_closure(users, person, *, title=f"Hennepkwekerij {MARKER}"):
    """A 13b closure made known on 22 January 2015, lifted and finished without objection: the
    objection term (six weeks from the next day) ended on 5 March 2015, so it became final then."""
    analyst, mayor = users["analyst"], users["decision_maker"]
    with at(date(2015, 6, 1)):
        m = make_measure(analyst, rapportage_date=date(2015, 1, 2), person=person, title=title)
        record(analyst, m, E.VOORNEMEN, date(2015, 1, 5))
        record(analyst, m, E.ZIENSWIJZE_ONTVANGEN, date(2015, 1, 15))
        record(mayor, m, E.BESLUIT, date(2015, 1, 20), duration_months=6, begunstiging_days=14)
        record(analyst, m, E.BEKENDMAKING, date(2015, 1, 22))
        services.measure_event_record(
            actor=analyst, measure=m, event=E.OPHEFFING, on=date(2015, 2, 2), note=f"Opgeheven {MARKER}"
        )
        record(analyst, m, E.AFRONDING, date(2015, 2, 10))
    m.refresh_from_db()
    return m


def test_finality_follows_objection_and_appeal():
    rules = rules_by_code()
    ev = deadlines.Event
    made_known = [ev("besluit", date(2020, 1, 6)), ev("bekendmaking", date(2020, 1, 8))]
    assert decision_final_on(made_known, rules) == date(2020, 2, 19)
    objected = [*made_known, ev("bezwaar", date(2020, 2, 1))]
    assert decision_final_on(objected, rules) is None  # no decision on the objection yet
    decided = [*objected, ev("beslissing_op_bezwaar", date(2020, 4, 1), {"outcome": "ongegrond"})]
    assert decision_final_on(decided, rules) == date(2020, 5, 13)  # end of the appeal term
    appealed = [*decided, ev("beroep", date(2020, 5, 1))]
    assert decision_final_on(appealed, rules) is None
    # a warning only (no decision): the term runs from the closing of the file
    warned = [
        ev("rapportage", date(2020, 1, 2)),
        ev("waarschuwing", date(2020, 1, 3)),
        ev("afronding", date(2020, 3, 1)),
    ]
    assert measure_anchor(warned, rules) == date(2020, 3, 1)


@pytest.mark.usefixtures("records_manager")
def test_measure_decision_due_ten_years_after_it_became_final_and_destroyed_without_trace(
    users, records_manager
):
    person = PersonFactory(owner_team=users["analyst"].org_unit)
    m = finished_closure(users, person)
    log_access(user=users["analyst"], action=AccessAction.READ, obj=m, purpose="Reden: handhaving")
    ref = LogRef.objects.get(kind="measures.measure", object_id=m.pk)
    deadline = m.deadlines.first()
    reminder = Notification.objects.create(
        user=users["analyst"],
        message=f"Termijn verloopt: {deadline.label} van {m.reference}",
        dedup_key=f"measures:deadline:{deadline.pk}:{deadline.due_date.isoformat()}:T-3",
    )
    assert _tables_mentioning(MARKER)
    assert RetentionRule.objects.get(code="measure_decision").period_display == "10 jaren"

    assert ours(sweep_on(date(2025, 3, 4)), "measures.measure") == []
    result = sweep_on(date(2025, 3, 5))
    [item] = ours(result, "measures.measure")
    assert (item.object_id, item.anchor_date, item.due_date) == (m.pk, date(2015, 3, 5), date(2025, 3, 5))

    with at(date(2025, 3, 6)):
        carry_out(result.destruction_list, users, records_manager)

    assert _tables_mentioning(MARKER) == []
    assert not Measure.objects.filter(pk=m.pk).exists()
    assert not MeasureEvent.objects.filter(measure_id=m.pk).exists()
    assert not Deadline.objects.filter(measure_id=m.pk).exists()
    assert not LogRef.objects.filter(kind="measures.measure", object_id=m.pk).exists()
    assert not Notification.objects.filter(pk=reminder.pk).exists()  # reminders go with it
    assert AccessLog.objects.filter(ref_id=ref.pk).count() == 1  # the log itself is kept, pseudonymous
    assert Tombstone.objects.filter(model_label="measures.measure", object_id=m.pk).exists()
    # idempotent, and the history is still append-only outside the retention path
    with transaction.atomic():
        measure_destroy("measures.measure", m.pk)
    other = make_measure(users["analyst"], rapportage_date=date(2025, 3, 1))
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM measures_measureevent WHERE measure_id = %s", [other.pk])


def test_running_or_contested_measures_are_never_due(users):
    person = PersonFactory(owner_team=users["analyst"].org_unit)
    analyst, mayor = users["analyst"], users["decision_maker"]
    with at(date(2015, 6, 1)):
        running = make_measure(analyst, rapportage_date=date(2015, 1, 2), person=person)
        contested = make_measure(analyst, rapportage_date=date(2015, 1, 2), person=person)
        record(analyst, contested, E.VOORNEMEN, date(2015, 1, 5))
        record(analyst, contested, E.ZIENSWIJZE_ONTVANGEN, date(2015, 1, 15))
        record(mayor, contested, E.BESLUIT, date(2015, 1, 20), duration_months=6, begunstiging_days=14)
        record(analyst, contested, E.BEKENDMAKING, date(2015, 1, 22))
        record(analyst, contested, E.BEZWAAR, date(2015, 2, 1))
    assert ours(sweep_on(date(2040, 1, 1)), "measures.measure") == []
    assert Measure.objects.filter(pk__in=[running.pk, contested.pk]).count() == 2


def _lod_with_paid_forfeiture(users, person):
    analyst, mayor = users["analyst"], users["decision_maker"]
    with at(date(2016, 6, 1)):
        m = make_measure(analyst, kind=K.LOD, rapportage_date=date(2016, 1, 4), person=person)
        record(analyst, m, E.VOORNEMEN, date(2016, 1, 5))
        record(analyst, m, E.ZIENSWIJZE_ONTVANGEN, date(2016, 1, 12))
        record(
            mayor,
            m,
            E.BESLUIT,
            date(2016, 1, 18),
            amount_per_violation="2.500,00",
            maximum_amount="10.000,00",
        )
        record(analyst, m, E.BEKENDMAKING, date(2016, 1, 19))
        record(analyst, m, E.LAST_IN_WERKING, date(2016, 1, 20))
        f = services.forfeiture_record(
            actor=analyst, measure=m, forfeited_on=date(2016, 2, 1), description=f"Dealen {MARKER}"
        )
        services.forfeiture_invordering(actor=analyst, forfeiture=f, on=date(2016, 2, 10))
        services.forfeiture_payment(actor=analyst, forfeiture=f, on=date(2016, 3, 1), amount="2.500,00")
        record(analyst, m, E.LAST_BEEINDIGD, date(2016, 4, 1))
        record(analyst, m, E.AFRONDING, date(2016, 4, 2))
    m.refresh_from_db()
    return m


def test_ledger_line_due_seven_years_after_payment_and_the_measure_waits_for_it(users, records_manager):
    person = PersonFactory(owner_team=users["analyst"].org_unit)
    m = _lod_with_paid_forfeiture(users, person)
    line = Receivable.objects.get(measure=m)
    assert line.outstanding == 0

    assert ours(sweep_on(date(2023, 2, 28)), "measures.receivable") == []
    result = sweep_on(date(2023, 3, 1))
    [item] = ours(result, "measures.receivable")
    assert (item.object_id, item.anchor_date) == (line.pk, date(2016, 3, 1))
    # the measure's own term ends on 2 April 2026 (closed after it became final), but it waits
    # for its ledger line, whose fiscal term is separate
    assert ours(sweep_on(date(2026, 6, 1)), "measures.measure") == []
    with at(date(2026, 6, 2)):
        carry_out(result.destruction_list, users, records_manager)
    assert not Receivable.objects.filter(pk=line.pk).exists()
    assert Forfeiture.objects.filter(measure=m).exists()  # part of the measure: its own term

    [item] = ours(sweep_on(date(2026, 6, 3)), "measures.measure")
    assert (item.object_id, item.due_date) == (m.pk, date(2026, 4, 2))


def test_anonymised_ledger_line_keeps_amounts_and_frees_the_measure(users, records_manager):
    RetentionRule.objects.filter(code="ledger").update(action="anonymise")
    person = PersonFactory(owner_team=users["analyst"].org_unit)
    m = _lod_with_paid_forfeiture(users, person)
    line = Receivable.objects.get(measure=m)
    result = sweep_on(date(2023, 3, 1))
    with at(date(2023, 3, 2)):
        carry_out(result.destruction_list, users, records_manager)
    line.refresh_from_db()
    assert (line.person_id, line.measure_id, line.amount, line.origin_date) == (
        None,
        None,
        Decimal("2500.00"),
        date(2016, 2, 1),
    )
    assert ours(sweep_on(date(2023, 3, 2)), "measures.receivable") == []  # not again


def test_anonymised_measure_keeps_kind_and_dates_without_content(users, records_manager):
    RetentionRule.objects.filter(code="measure_decision").update(action="anonymise")
    person = PersonFactory(owner_team=users["analyst"].org_unit)
    m = finished_closure(users, person)
    result = sweep_on(date(2025, 3, 5))
    with at(date(2025, 3, 6)):
        carry_out(result.destruction_list, users, records_manager)
    m.refresh_from_db()
    assert (m.kind, m.person_id, m.address_id) == (K.CLOSURE_13B_HOME, None, None)
    assert list(m.events.values_list("code", "date"))[-1] == ("afronding", date(2015, 2, 10))
    assert _tables_mentioning(MARKER) == []
    assert ours(sweep_on(date(2025, 3, 6)), "measures.measure") == []


def test_access_request_lists_measures_with_legal_dates_and_withholds_police_ones(users):
    person = PersonFactory(owner_team=users["analyst"].org_unit, voornamen="Petra", geslachtsnaam="Demo")
    m = finished_closure(users, person, title="Hennepkwekerij op zolder")
    with at(date(2015, 6, 1)):
        police = make_measure(users["analyst"], rapportage_date=date(2015, 1, 2), person=person, title=MARKER)
    Measure.objects.filter(pk=police.pk).update(compartment=Compartment.POLICE)
    log_access(user=users["chair"], action=AccessAction.READ, obj=m, purpose="Casustafel")

    dsr = dsar_create(actor=users["privacy_officer"], person_id=person.pk)
    answer = dsar_answer(actor=users["privacy_officer"], dsr=dsr)

    section = next(s for s in answer["onderdelen"] if s["code"] == "measures")
    [item] = section["items"]
    assert item["title"] == f"M-{m.pk} Sluiting woning (art. 13b Opiumwet)"
    assert "Bekendmaking 22-01-2015" in item["fields"]["procedure"]
    assert "05-03-2015" in item["fields"]["termijnen"]  # end of the objection term
    assert item["retention"].startswith("10 jaren na onherroepelijk worden van het besluit")
    [withheld] = section["withheld"]
    assert withheld["ground"] == "police_consultation" and "art. 41" in withheld["ground_label"]
    assert MARKER not in json.dumps(answer)
    # whoever read the measure counts as a recipient of the person's data
    [recipient] = answer["ontvangers"]
    assert (recipient["organisation"], recipient["action"], recipient["count"]) == (
        users["chair"].org_unit.name,
        "ingezien",
        1,
    )
