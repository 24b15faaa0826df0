"""Measure services: procedures carried through, refused input (nothing changed), deadlines
recomputed after each event, the escalation matrix, forfeitures and the afpak ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.db import IntegrityError, connection, transaction

from measures import deadlines as dl
from measures import services
from measures.constants import EventType as E
from measures.constants import MeasureKind as K
from measures.constants import MeasureState as S
from measures.models import DeadlineRule, EscalationMatrix, EscalationStep, MeasureEvent, Receivable
from tests.factories.measures import make_measure, record, run
from tests.factories.subjects import AddressFactory
from vik.core import calendar as cal
from vik.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def frozen():
    before = cal.declared_days()
    cal.set_declared_days([])
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=AMS), tick=False):
        yield
    cal.set_declared_days(before)


@pytest.fixture
def analyst(users):
    return users["analyst"]


@pytest.fixture
def mayor(users):
    return users["decision_maker"]


def _deadlines(measure):
    return {d.key: d for d in measure.deadlines.all()}


def _refused(fn, *, field, match):
    with pytest.raises(ApplicationError) as exc:
        fn()
    assert exc.value.field == field
    assert match in exc.value.message
    return exc.value


def test_rules_seeded_for_every_term_of_the_domain():
    codes = set(DeadlineRule.objects.values_list("code", flat=True))
    for code in [
        dl.ZIENSWIJZE,
        dl.BEZWAAR,
        dl.BOB,
        dl.BOB_COMMISSIE,
        dl.BEROEP,
        dl.BEGUNSTIGING,
        dl.SLUITINGSDUUR,
        dl.LOD_BETALING,
        dl.LOD_VERJARING,
        dl.AANMANING,
        dl.BIBOB_BESLISTERMIJN,
        dl.BIBOB_HERSTELTERMIJN,
        dl.BIBOB_LBB,
        dl.BIBOB_LBB_VERLENGING,
    ]:
        assert code in codes
    lbb = services.deadline_rule_get(dl.BIBOB_LBB)
    assert (lbb.weeks, lbb.atw, lbb.set_by) == (8, True, "law")
    assert services.deadline_rule_get(dl.ZIENSWIJZE).verification == "U"
    assert dl.compute(services.deadline_rule_get(dl.BIBOB_BESLISTERMIJN), date(2026, 3, 10)) == date(
        2026, 5, 6
    )
    with pytest.raises(ApplicationError):
        services.deadline_rule_get("bestaat_niet")


def test_13b_closure_full_procedure_with_deadlines_after_each_event(analyst, mayor):
    m = make_measure(analyst, rapportage_date=date(2026, 1, 2))
    assert m.state == S.ASSESSMENT and m.proposal == "sluiting 6 maanden" and m.duration_months == 6
    assert "Geen eerdere maatregelen" in m.proposal_reasoning
    record(analyst, m, E.VOORNEMEN, date(2026, 1, 5))
    assert _deadlines(m)[dl.ZIENSWIJZE].due_date == date(2026, 1, 19)
    record(analyst, m, E.ZIENSWIJZE_ONTVANGEN, date(2026, 1, 15))
    assert _deadlines(m)[dl.ZIENSWIJZE].done
    record(mayor, m, E.BESLUIT, date(2026, 1, 20), duration_months=6, begunstiging_days=14)
    record(analyst, m, E.BEKENDMAKING, date(2026, 1, 22))
    d = _deadlines(m)
    assert d[dl.BEZWAAR].due_date == date(2026, 3, 5) and d[dl.BEZWAAR].rule.code == dl.BEZWAAR
    assert d[dl.BEZWAAR].responsible == analyst
    record(analyst, m, E.BEGUNSTIGING, date(2026, 1, 22))  # days from the besluit: 14
    assert _deadlines(m)[dl.BEGUNSTIGING].due_date == date(2026, 2, 5)
    record(analyst, m, E.SLUITING_START, date(2026, 2, 6))
    d = _deadlines(m)
    assert d[dl.BEGUNSTIGING].done and d[dl.SLUITINGSDUUR].due_date == date(2026, 8, 6)
    record(analyst, m, E.BEZWAAR, date(2026, 2, 20), commissie=True)
    m.refresh_from_db()
    assert m.bezwaar_pending and _deadlines(m)[dl.BOB].due_date == date(2026, 5, 28)  # 5 Mar + 12 weeks
    record(analyst, m, E.BESLISSING_OP_BEZWAAR, date(2026, 5, 20), outcome="ongegrond")
    m.refresh_from_db()
    assert not m.bezwaar_pending and _deadlines(m)[dl.BOB].done
    assert _deadlines(m)[dl.BEROEP].due_date == date(2026, 7, 1)
    record(analyst, m, E.OPHEFFING, date(2026, 5, 25))
    record(analyst, m, E.KOSTENVERHAAL, date(2026, 5, 26), amount="1.250,00")
    record(analyst, m, E.AFRONDING, date(2026, 5, 27))
    m.refresh_from_db()
    assert m.state == S.FINISHED
    assert list(m.events.values_list("code", flat=True)) == [
        "rapportage",
        "voornemen",
        "zienswijze_ontvangen",
        "besluit",
        "bekendmaking",
        "begunstiging",
        "sluiting_start",
        "bezwaar",
        "beslissing_op_bezwaar",
        "opheffing",
        "kostenverhaal",
        "afronding",
    ]
    assert all(d.done for d in m.deadlines.all())
    assert Receivable.objects.get(measure=m).amount == Decimal("1250.00")


def _assert_unchanged(measure, before_events, before_state):
    measure.refresh_from_db()
    assert measure.events.count() == before_events and measure.state == before_state


def test_out_of_order_event_refused_nothing_changed(analyst, mayor):
    m = make_measure(analyst, rapportage_date=date(2026, 1, 2))
    record(analyst, m, E.VOORNEMEN, date(2026, 1, 5))
    _refused(
        lambda: record(analyst, m, E.BEKENDMAKING, date(2026, 1, 6)),
        field="event",
        match="kan niet in de fase",
    )
    _assert_unchanged(m, 2, S.VOORNEMEN_SENT)


def test_besluit_without_voornemen_needs_urgency_reason_and_the_decision_maker(analyst, mayor):
    m = make_measure(analyst, rapportage_date=date(2026, 1, 2))
    _refused(lambda: record(analyst, m, E.BESLUIT, date(2026, 1, 6)), field="event", match="burgemeester")
    _refused(lambda: record(mayor, m, E.BESLUIT, date(2026, 1, 6)), field="urgency_reason", match="4:11 Awb")
    _assert_unchanged(m, 1, S.ASSESSMENT)
    record(
        mayor, m, E.BESLUIT, date(2026, 1, 6), urgency_reason="Acuut gevaar: wapens en harddrugs in woning"
    )
    m.refresh_from_db()
    assert m.state == S.BESLUIT


def test_date_before_previous_event_and_in_future_refused(analyst):
    m = make_measure(analyst, rapportage_date=date(2026, 1, 10))
    _refused(
        lambda: record(analyst, m, E.VOORNEMEN, date(2026, 1, 9)),
        field="date",
        match="vóór de vorige gebeurtenis",
    )
    _refused(lambda: record(analyst, m, E.VOORNEMEN, date(2026, 6, 2)), field="date", match="toekomst")
    _assert_unchanged(m, 1, S.ASSESSMENT)


def test_zienswijze_expired_only_after_the_term(analyst):
    m = make_measure(analyst, rapportage_date=date(2026, 1, 2))
    record(analyst, m, E.VOORNEMEN, date(2026, 1, 5))
    _refused(
        lambda: record(analyst, m, E.ZIENSWIJZE_VERLOPEN, date(2026, 1, 19)),
        field="date",
        match="loopt nog tot en met 19-01-2026",
    )
    assert not m.events.filter(code=E.ZIENSWIJZE_VERLOPEN).exists()  # the refusal changed nothing
    record(analyst, m, E.ZIENSWIJZE_VERLOPEN, date(2026, 1, 20))
    assert m.events.filter(code=E.ZIENSWIJZE_VERLOPEN, date=date(2026, 1, 20)).count() == 1


def _to_begunstiging(analyst, mayor, **kw):
    m = make_measure(analyst, rapportage_date=date(2026, 1, 2), **kw)
    return run(
        m,
        [
            (E.VOORNEMEN, date(2026, 1, 5), {}),
            (E.ZIENSWIJZE_ONTVANGEN, date(2026, 1, 10), {}),
            (E.BESLUIT, date(2026, 1, 20), {}),
            (E.BEKENDMAKING, date(2026, 1, 22), {}),
            (E.BEGUNSTIGING, date(2026, 1, 22), {"days": 14}),
        ],
        analyst=analyst,
        mayor=mayor,
    )


def test_closure_not_before_end_of_begunstiging_nor_end_before_start(analyst, mayor):
    m = _to_begunstiging(analyst, mayor)
    _refused(
        lambda: record(analyst, m, E.SLUITING_START, date(2026, 2, 5)),
        field="date",
        match="begunstigingstermijn loopt tot en met 05-02-2026",
    )
    record(analyst, m, E.SLUITING_START, date(2026, 2, 6))
    _refused(
        lambda: record(analyst, m, E.SLUITING_EINDE, date(2026, 2, 5)),
        field="date",
        match="niet vóór de start (06-02-2026)",
    )
    _assert_unchanged(m, 7, S.CLOSED_ACTIVE)


def test_pending_interim_relief_blocks_the_closure(analyst, mayor):
    m = _to_begunstiging(analyst, mayor)
    record(analyst, m, E.BEZWAAR, date(2026, 1, 25))
    record(analyst, m, E.VV_AANGEVRAAGD, date(2026, 1, 26))
    _refused(
        lambda: record(analyst, m, E.SLUITING_START, date(2026, 2, 10)),
        field="event",
        match="voorlopige voorziening",
    )
    record(analyst, m, E.VV_TOEGEWEZEN, date(2026, 2, 12))
    m.refresh_from_db()
    assert m.suspended_by_court and not m.vv_pending
    _refused(
        lambda: record(analyst, m, E.SLUITING_START, date(2026, 2, 13)), field="event", match="geschorst"
    )
    record(analyst, m, E.BESLISSING_OP_BEZWAAR, date(2026, 3, 1), outcome="gegrond")
    m.refresh_from_db()
    assert m.state == S.WITHDRAWN and not m.suspended_by_court
    assert all(d.done for d in m.deadlines.all() if d.rule.code != dl.BEROEP)


def test_measure_event_rows_are_append_only(analyst):
    m = make_measure(analyst, rapportage_date=date(2026, 1, 2))
    ev = m.events.get()
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        MeasureEvent.objects.filter(pk=ev.pk).update(note="gewijzigd")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM measures_measureevent WHERE id = %s", [ev.pk])


def test_escalation_matrix_counts_recidivism_per_address_within_lookback(analyst):
    # The seeded active matrix is Almelo's flat policy: six months, first and later offences
    # alike (DOMAIN §1.2a); the offence number is still counted per address.
    address = AddressFactory(owner_team=analyst.org_unit)
    first = make_measure(
        analyst, rapportage_date=date(2021, 3, 1), address=address
    )  # > 5 years before 2026-04
    assert first.offence_number == 1
    second = make_measure(analyst, rapportage_date=date(2024, 2, 1), address=address)
    assert second.offence_number == 2 and second.proposal == "sluiting 6 maanden"
    third = make_measure(analyst, rapportage_date=date(2026, 4, 1), address=address)
    # 2021 is outside the 5-year look-back: 2024 counts, so this is the 2nd offence
    assert third.offence_number == 2 and second.reference in third.proposal_reasoning
    premises = make_measure(
        analyst, kind=K.CLOSURE_13B_PREMISES, rapportage_date=date(2026, 5, 1), address=address
    )
    assert premises.offence_number == 3 and premises.proposal == "sluiting 6 maanden"
    assert premises.duration_months == 6


def test_progressive_matrix_is_shipped_as_an_inactive_example(analyst):
    active = EscalationMatrix.objects.filter(is_example=False).get()
    assert "zes maanden" in active.name
    assert set(active.steps.values_list("offence_number", "duration_months")) == {(1, 6)}
    example = EscalationMatrix.objects.get(is_example=True)
    assert "Voorbeeld" in example.name and "evenredigheid" in example.legal_basis
    assert example.steps.filter(object_type="woning", offence_number=3, duration_months__isnull=True).exists()
    # never used for a proposal, even on its effective date
    m = make_measure(analyst, rapportage_date=date(2026, 5, 1))
    assert m.matrix == active


def test_matrix_version_in_force_on_the_rapportage_date(analyst, users):
    admin = users["functional_admin"]
    new = services.matrix_new_version(
        actor=admin, name="Damoclesbeleid 2026", effective_from=date(2026, 5, 1), lookback_years=3
    )
    step = new.steps.get(object_type="woning", offence_number=1)
    services.matrix_step_update(actor=admin, step=step, warning_only=False, duration_months=3)
    old = EscalationMatrix.objects.exclude(pk=new.pk).get(is_example=False)
    assert old.effective_until == date(2026, 4, 30)
    before = make_measure(analyst, rapportage_date=date(2026, 4, 30))
    after = make_measure(analyst, rapportage_date=date(2026, 5, 2))
    assert (before.matrix, before.duration_months) == (old, 6)
    assert (after.matrix, after.duration_months) == (new, 3)
    with pytest.raises(ApplicationError, match="al gebruikt"):
        services.matrix_step_update(actor=admin, step=step, warning_only=True, duration_months=None)
    with pytest.raises(ApplicationError, match="U mag"):
        services.matrix_new_version(
            actor=analyst, name="x", effective_from=date(2026, 6, 1), lookback_years=5
        )
    assert EscalationStep.objects.filter(matrix=new).count() == 2


def test_measure_from_unaligned_mma_signal_refused(analyst):
    from tests.factories.signals import make_signal

    tip = make_signal(analyst, source_code="mma", summary="Anonieme tip over handel")
    address = AddressFactory(owner_team=analyst.org_unit)
    with pytest.raises(ApplicationError) as exc:
        make_measure(analyst, rapportage_date=date(2026, 5, 1), address=address, signals=[tip])
    assert exc.value.field == "signals" and "politie" in exc.value.message
    police = make_signal(analyst, source_code="politie", summary="Bestuurlijke rapportage")
    m = make_measure(analyst, rapportage_date=date(2026, 5, 1), address=address, signals=[police])
    assert list(m.signals.all()) == [police]


def test_closure_needs_address_and_lod_a_subject(analyst):
    with pytest.raises(ApplicationError) as exc:
        services.measure_create(
            actor=analyst, kind=K.CLOSURE_GAMBLING, title="x", rapportage_date=date(2026, 5, 1)
        )
    assert exc.value.field == "address"
    with pytest.raises(ApplicationError) as exc:
        services.measure_create(
            actor=analyst,
            kind=K.LOD,
            title="x",
            rapportage_date=date(2026, 5, 1),
            address=AddressFactory(owner_team=analyst.org_unit),
        )
    assert exc.value.field == "person"


# --- last onder dwangsom ------------------------------------------------------------------------


def _active_lod(analyst, mayor, amount="5000", maximum="10000"):
    m = make_measure(analyst, kind=K.LOD, rapportage_date=date(2026, 1, 2))
    return run(
        m,
        [
            (E.VOORNEMEN, date(2026, 1, 5), {}),
            (E.ZIENSWIJZE_VERLOPEN, date(2026, 1, 20), {}),
            (E.BESLUIT, date(2026, 1, 21), {"amount_per_violation": amount, "maximum_amount": maximum}),
            (E.BEKENDMAKING, date(2026, 1, 22), {}),
            (E.LAST_IN_WERKING, date(2026, 1, 22), {}),
        ],
        analyst=analyst,
        mayor=mayor,
    )


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-5000", "negatief"),
        ("USD 5000", "alleen in euro"),
        ("5000 $", "alleen in euro"),
        ("£ 20", "alleen in euro"),
        ("0", "groter zijn dan € 0"),
        ("12,345", "geen geldig bedrag"),
        ("veel", "geen geldig bedrag"),
    ],
)
def test_negative_or_non_euro_amounts_refused_at_the_field(analyst, mayor, amount, message):
    m = make_measure(analyst, kind=K.LOD, rapportage_date=date(2026, 1, 2))
    run(
        m,
        [(E.VOORNEMEN, date(2026, 1, 5), {}), (E.ZIENSWIJZE_VERLOPEN, date(2026, 1, 20), {})],
        analyst=analyst,
        mayor=mayor,
    )
    _refused(
        lambda: record(
            mayor, m, E.BESLUIT, date(2026, 1, 21), amount_per_violation=amount, maximum_amount="20000"
        ),
        field="amount_per_violation",
        match=message,
    )
    _assert_unchanged(m, 3, S.ZIENSWIJZE_EXPIRED)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("5000", "5000.00"),
        ("5.000", "5000.00"),
        ("€ 2.500,50", "2500.50"),
        ("EUR 20.000", "20000.00"),
        ("2500.75", "2500.75"),
    ],
)
def test_euro_amounts_parsed(text, expected):
    assert services.parse_euro(text) == Decimal(expected)


def test_forfeitures_until_the_maximum_ends_the_order(analyst, mayor):
    m = _active_lod(analyst, mayor, amount="5000", maximum="12000")
    f1 = services.forfeiture_record(
        actor=analyst, measure=m, forfeited_on=date(2026, 3, 24), description="dealen"
    )
    d = _deadlines(m)
    assert d["verbeurte:1:betaling"].due_date == date(2026, 5, 6)  # Awb 5:33 + Atw (5 May)
    assert d["verbeurte:1:verjaring"].due_date == date(2027, 3, 24)
    services.forfeiture_record(actor=analyst, measure=m, forfeited_on=date(2026, 4, 1), description="dealen")
    third = services.forfeiture_record(
        actor=analyst, measure=m, forfeited_on=date(2026, 4, 2), description="dealen"
    )
    m.refresh_from_db()
    assert third.amount == Decimal("2000.00")  # capped at what remains of the maximum (5:32b)
    assert m.state == S.MAXIMUM_REACHED
    assert services.forfeited_total(m) == Decimal("12000.00")
    _refused(
        lambda: services.forfeiture_record(
            actor=analyst, measure=m, forfeited_on=date(2026, 4, 3), description="x"
        ),
        field="forfeited_on",
        match="maximum van € 12.000,00 is al verbeurd",
    )
    assert m.forfeitures.count() == 3 and Receivable.objects.filter(measure=m).count() == 3
    assert f1.receivable.amount == Decimal("5000.00")


def test_forfeiture_before_the_order_is_in_force_refused(analyst, mayor):
    m = make_measure(analyst, kind=K.LOD, rapportage_date=date(2026, 1, 2))
    _refused(
        lambda: services.forfeiture_record(
            actor=analyst, measure=m, forfeited_on=date(2026, 1, 3), description="x"
        ),
        field="forfeited_on",
        match="zolang de last van kracht is",
    )
    assert not m.forfeitures.exists()


def test_invorderingsbeschikking_before_any_aanmaning(analyst, mayor):
    m = _active_lod(analyst, mayor)
    f = services.forfeiture_record(
        actor=analyst, measure=m, forfeited_on=date(2026, 2, 2), description="dealen"
    )
    _refused(
        lambda: services.forfeiture_aanmaning(actor=analyst, forfeiture=f, on=date(2026, 4, 1)),
        field="date",
        match="Eerst een invorderingsbeschikking",
    )
    services.forfeiture_invordering(actor=analyst, forfeiture=f, on=date(2026, 3, 2))
    # payment term: Mon 2 Feb + 42 = Mon 16 Mar
    _refused(
        lambda: services.forfeiture_aanmaning(actor=analyst, forfeiture=f, on=date(2026, 3, 16)),
        field="date",
        match="betalingstermijn loopt nog tot en met 16-03-2026",
    )
    services.forfeiture_aanmaning(actor=analyst, forfeiture=f, on=date(2026, 3, 17))
    d = _deadlines(m)
    assert d["verbeurte:1:aanmaning"].due_date == date(2026, 3, 31)
    # the invorderingsbeschikking interrupts limitation: a new year from 2 Mar
    assert d["verbeurte:1:verjaring"].due_date == date(2027, 3, 2)
    assert Receivable.objects.get(forfeiture=f).status == "gefactureerd"
    services.forfeiture_payment(actor=analyst, forfeiture=f, on=date(2026, 4, 1), amount="5.000")
    f.refresh_from_db()
    assert f.paid_on == date(2026, 4, 1) and all(x.done for x in f.deadlines.all())


def test_limitation_extended_only_when_a_remedy_is_open_or_pending_on_the_day(analyst, mayor, settings):
    # Awb 5:35(2): forfeiture Mon 2 Feb 2026, plain limitation 2 Feb 2027
    m = _active_lod(analyst, mayor)
    services.forfeiture_record(actor=analyst, measure=m, forfeited_on=date(2026, 2, 2), description="dealen")
    record(analyst, m, E.BEZWAAR, date(2026, 2, 10))
    limitation = m.deadlines.get(key="verbeurte:1:verjaring")
    # objection pending: extended until the decision on it is final, date not known yet
    assert limitation.paused and limitation.due_date == date(2027, 2, 2)
    assert "5:35 lid 2" in limitation.note
    assert m.deadlines.get(key=f"verbeurte:1:{dl.LOD_SIGNAAL_9M}").paused
    record(analyst, m, E.BESLISSING_OP_BEZWAAR, date(2026, 4, 11), outcome="ongegrond")
    limitation.refresh_from_db()
    # decided 11 Apr 2026; beroep term ends Tue 26 May 2026 (Sat 23 May, Whit Monday 25 May):
    # nothing open or pending on 2 Feb 2027, so the plain year stands (the days pending earlier
    # do not count)
    assert not limitation.paused and limitation.due_date == date(2027, 2, 2) and limitation.note == ""
    assert m.deadlines.get(key=f"verbeurte:1:{dl.LOD_SIGNAAL_11M}").due_date == date(2027, 1, 2)
    settings.MEASURES_LIMITATION_PAUSE = False
    record(analyst, m, E.BEROEP, date(2026, 5, 20))
    limitation.refresh_from_db()
    assert not limitation.paused and limitation.due_date == date(2027, 2, 2)


def test_time_barred_marking_follows_the_extended_limitation(analyst, mayor):
    m = _active_lod(analyst, mayor)
    f = services.forfeiture_record(
        actor=analyst, measure=m, forfeited_on=date(2026, 2, 2), description="dealen"
    )
    record(analyst, m, E.BEZWAAR, date(2026, 2, 10))
    with time_machine.travel(datetime(2027, 3, 10, 9, tzinfo=AMS), tick=False):
        # still pending on 2 Feb 2027: not time-barred
        assert services.receivables_mark_time_barred(on=date(2027, 3, 10)) == 0
        # decided Fri 5 Mar 2027: the beroep term runs to Fri 16 Apr 2027
        record(analyst, m, E.BESLISSING_OP_BEZWAAR, date(2027, 3, 5), outcome="ongegrond")
        assert services.receivables_mark_time_barred(on=date(2027, 4, 16)) == 0
    with time_machine.travel(datetime(2027, 4, 17, 9, tzinfo=AMS), tick=False):
        assert services.receivables_mark_time_barred(on=date(2027, 4, 17)) == 1
    assert Receivable.objects.get(forfeiture=f).time_barred_on == date(2027, 4, 17)


def test_receivable_constraints_and_totals(analyst, mayor, users):
    m = _active_lod(analyst, mayor, amount="2500", maximum="10000")
    f = services.forfeiture_record(
        actor=analyst, measure=m, forfeited_on=date(2026, 2, 2), description="werktuigen"
    )
    services.forfeiture_record(
        actor=analyst, measure=m, forfeited_on=date(2026, 3, 2), description="werktuigen"
    )
    services.forfeiture_payment(actor=analyst, forfeiture=f, on=date(2026, 3, 20), amount="1000")
    r2 = Receivable.objects.get(forfeiture__number=2, measure=m)
    services.receivable_write_off(actor=analyst, receivable=r2, amount="500", note="oninbaar deel")
    _refused(
        lambda: services.forfeiture_payment(actor=analyst, forfeiture=f, on=date(2026, 3, 21), amount="1600"),
        field="amount",
        match="nog € 1.500,00 open",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Receivable.objects.filter(pk=r2.pk).update(amount=Decimal("-1"))
    from measures.selectors import receivable_totals

    overall, per_year, per_kind = receivable_totals(user=analyst)
    assert (overall.forfeited, overall.collected, overall.written_off, overall.outstanding) == (
        Decimal("5000.00"),
        Decimal("1000.00"),
        Decimal("500.00"),
        Decimal("3500.00"),
    )
    assert per_year[2026].forfeited == Decimal("5000.00")
    assert per_kind["Last onder dwangsom"].collected == Decimal("1000.00")
    # time-barred after the limitation date passed unpaid
    with time_machine.travel(datetime(2027, 3, 10, 9, tzinfo=AMS), tick=False):
        services.receivables_mark_time_barred(on=date(2027, 3, 10))
    r2.refresh_from_db()
    assert r2.time_barred_on == date(2027, 3, 3) and r2.status == "verjaard"
    overall, _, _ = receivable_totals(user=analyst)
    # both forfeitures are past their year: 1,500 + 2,000 unpaid
    assert (overall.time_barred, overall.outstanding) == (Decimal("3500.00"), Decimal("0.00"))
    # another team sees nothing of it
    assert receivable_totals(user=users["partner"])[0].forfeited == Decimal("0.00")


def test_functional_admin_edits_policy_rule_not_law_rule(users, analyst):
    admin = users["functional_admin"]
    rule = services.deadline_rule_get(dl.ZIENSWIJZE)
    services.deadline_rule_update(
        actor=admin,
        rule=rule,
        label=rule.label,
        days=21,
        weeks=0,
        months=0,
        atw=False,
        legal_basis=rule.legal_basis,
        verification="V",
    )
    m = make_measure(analyst, rapportage_date=date(2026, 5, 1))
    record(analyst, m, E.VOORNEMEN, date(2026, 5, 4))
    assert _deadlines(m)[dl.ZIENSWIJZE].due_date == date(2026, 5, 25)
    law = services.deadline_rule_get(dl.BEZWAAR)
    with pytest.raises(ApplicationError, match="wettelijke termijn"):
        services.deadline_rule_update(
            actor=admin,
            rule=law,
            label=law.label,
            days=0,
            weeks=8,
            months=0,
            atw=True,
            legal_basis=law.legal_basis,
            verification="V",
        )
    with pytest.raises(ApplicationError, match="U mag"):
        services.deadline_rule_update(
            actor=analyst,
            rule=rule,
            label=rule.label,
            days=7,
            weeks=0,
            months=0,
            atw=False,
            legal_basis="x",
            verification="U",
        )
