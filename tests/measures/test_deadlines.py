"""measures/deadlines.py: which term runs from which event, counted by the Awb and the Atw.

Every expected date is derived by hand from the law (comment per row), not from the code.
Weekdays 2026: 1 January is a Thursday; Easter Sunday 5 April (Good Friday 3 April, Easter
Monday 6 April), King's Day Monday 27 April, 5 May a Tuesday, Ascension 14 May, Whit Monday
25 May, Christmas Friday 25 / Saturday 26 December. 2025: Easter 20 April, 5 May a Monday.
No database needed.
"""

from __future__ import annotations

from datetime import date

import pytest

from measures import deadlines as dl
from measures.deadlines import Event, Rule
from vik.core import calendar as cal

RULES = {
    dl.ZIENSWIJZE: Rule(dl.ZIENSWIJZE, days=14, atw=False),
    dl.BEZWAAR: Rule(dl.BEZWAAR, weeks=6),
    dl.BOB: Rule(dl.BOB, weeks=6),
    dl.BOB_COMMISSIE: Rule(dl.BOB_COMMISSIE, weeks=12),
    dl.BOB_VERDAGING: Rule(dl.BOB_VERDAGING, weeks=6),
    dl.BEROEP: Rule(dl.BEROEP, weeks=6),
    dl.HOGER_BEROEP: Rule(dl.HOGER_BEROEP, weeks=6),
    dl.BEGUNSTIGING: Rule(dl.BEGUNSTIGING, days=14, atw=False),
    dl.SLUITINGSDUUR: Rule(dl.SLUITINGSDUUR, months=6, atw=False),
    dl.LOD_BETALING: Rule(dl.LOD_BETALING, weeks=6),
    dl.LOD_VERJARING: Rule(dl.LOD_VERJARING, months=12, atw=False),
    dl.LOD_SIGNAAL_9M: Rule(dl.LOD_SIGNAAL_9M, months=9, atw=False),
    dl.LOD_SIGNAAL_11M: Rule(dl.LOD_SIGNAAL_11M, months=11, atw=False),
    dl.AANMANING: Rule(dl.AANMANING, weeks=2),
}


@pytest.fixture(autouse=True)
def _no_declared_days():
    before = cal.declared_days()
    cal.set_declared_days([])
    yield
    cal.set_declared_days(before)


@pytest.mark.parametrize(
    "rule, event_day, expected",
    [
        # objection 6 weeks (Awb 6:7/6:8, Atw): Tue 6 Jan + 42 = Tue 17 Feb, a working day
        (RULES[dl.BEZWAAR], date(2026, 1, 6), date(2026, 2, 17)),
        # + 42 = Sat 14 Feb -> Atw art. 1: Monday 16 Feb
        (RULES[dl.BEZWAAR], date(2026, 1, 3), date(2026, 2, 16)),
        # + 42 = Fri 1 May, not a feestdag
        (RULES[dl.BEZWAAR], date(2026, 3, 20), date(2026, 5, 1)),
        # + 42 = Good Friday 3 Apr -> Sat, Sun, Easter Monday -> Tue 7 Apr
        (RULES[dl.BEZWAAR], date(2026, 2, 20), date(2026, 4, 7)),
        # + 42 = King's Day Mon 27 Apr -> Tue 28 Apr
        (RULES[dl.BEZWAAR], date(2026, 3, 16), date(2026, 4, 28)),
        # + 42 = 5 May (Tue; every year, not only lustrum years) -> Wed 6 May
        (RULES[dl.BEZWAAR], date(2026, 3, 24), date(2026, 5, 6)),
        # 2025: + 42 = Mon 5 May -> Tue 6 May
        (RULES[dl.BEZWAAR], date(2025, 3, 24), date(2025, 5, 6)),
        # + 42 = Ascension Thu 14 May -> Fri 15 May (no bridge day declared)
        (RULES[dl.BEZWAAR], date(2026, 4, 2), date(2026, 5, 15)),
        # + 42 = Whit Monday 25 May -> Tue 26 May
        (RULES[dl.BEZWAAR], date(2026, 4, 13), date(2026, 5, 26)),
        # + 42 = Christmas Fri 25 Dec -> Sat 26 (2nd Christmas day), Sun -> Mon 28 Dec
        (RULES[dl.BEZWAAR], date(2026, 11, 13), date(2026, 12, 28)),
        # + 42 = New Year Fri 1 Jan 2027 -> Mon 4 Jan 2027
        (RULES[dl.BEZWAAR], date(2026, 11, 20), date(2027, 1, 4)),
        # payment of a forfeiture 6 weeks (Awb 5:33, Atw): same counting
        (RULES[dl.LOD_BETALING], date(2026, 3, 24), date(2026, 5, 6)),
        # aanmaning 2 weeks (Awb 4:112): Tue 21 Apr + 14 = Tue 5 May -> Wed 6 May
        (RULES[dl.AANMANING], date(2026, 4, 21), date(2026, 5, 6)),
        # Atw art. 2: Thu 2 Apr + 3 days = Easter Sunday; art. 1 gives Tue 7 Apr, but Good
        # Friday and Easter Monday leave only one working day, so Wed 8 Apr
        (Rule("x", days=3), date(2026, 4, 2), date(2026, 4, 8)),
        # zienswijze is a policy term (atw=False): 14 days from Fri 11 Dec = Christmas, stays
        (RULES[dl.ZIENSWIJZE], date(2026, 12, 11), date(2026, 12, 25)),
        # limitation 1 year (5:35; Atw art. 4: longer than three months): no extension
        (RULES[dl.LOD_VERJARING], date(2026, 5, 5), date(2027, 5, 5)),
        # month ends: 29 Feb 2028 + 12 months = 28 Feb 2029
        (RULES[dl.LOD_VERJARING], date(2028, 2, 29), date(2029, 2, 28)),
        # closure 6 months from 31 Aug 2026 = 28 Feb 2027 (shorter month)
        (RULES[dl.SLUITINGSDUUR], date(2026, 8, 31), date(2027, 2, 28)),
        # ... and from 31 Aug 2027 = 29 Feb 2028 (leap year)
        (RULES[dl.SLUITINGSDUUR], date(2027, 8, 31), date(2028, 2, 29)),
        (RULES[dl.SLUITINGSDUUR], date(2026, 3, 1), date(2026, 9, 1)),
    ],
)
def test_compute_counts_from_the_day_after_the_event(rule, event_day, expected):
    assert dl.compute(rule, event_day) == expected


def test_compute_uses_declared_bridge_days():
    # Friday after Ascension 2026 declared equal to a feestdag: + 42 = Ascension 14 May ->
    # 15 May is declared -> Sat, Sun -> Mon 18 May
    cal.set_declared_days([date(2026, 5, 15)])
    assert dl.compute(RULES[dl.BEZWAAR], date(2026, 4, 2)) == date(2026, 5, 18)


def _specs(events):
    return {s.key: s for s in dl.procedure_deadlines(events, RULES)}


def test_voornemen_gives_zienswijze_end_and_its_own_period_wins():
    specs = _specs([Event("rapportage", date(2026, 1, 2)), Event("voornemen", date(2026, 1, 5))])
    assert specs[dl.ZIENSWIJZE].due == date(2026, 1, 19) and not specs[dl.ZIENSWIJZE].done
    specs = _specs([Event("voornemen", date(2026, 1, 5), {"zienswijze_days": 7})])
    assert specs[dl.ZIENSWIJZE].due == date(2026, 1, 12)


@pytest.mark.parametrize("answer", ["zienswijze_ontvangen", "zienswijze_verlopen", "besluit", "intrekking"])
def test_zienswijze_deadline_done_after_answer(answer):
    specs = _specs([Event("voornemen", date(2026, 1, 5)), Event(answer, date(2026, 1, 20))])
    assert specs[dl.ZIENSWIJZE].done


def test_full_closure_procedure_deadlines_after_each_event():
    events = [
        Event("rapportage", date(2026, 1, 2)),
        Event("voornemen", date(2026, 1, 5)),
        Event("zienswijze_ontvangen", date(2026, 1, 15)),
        Event("besluit", date(2026, 1, 20), {"duration_months": 12}),
        Event("bekendmaking", date(2026, 1, 6 + 16)),  # Thu 22 Jan
        Event("begunstiging", date(2026, 1, 22), {"days": 9}),
        Event("sluiting_start", date(2026, 2, 2)),
    ]
    specs = _specs(events)
    # objection: Thu 22 Jan + 42 = Thu 5 Mar
    assert specs[dl.BEZWAAR].due == date(2026, 3, 5)
    # begunstiging 9 days (decision), no Atw: 31 Jan (a Saturday) stays
    assert specs[dl.BEGUNSTIGING].due == date(2026, 1, 31) and specs[dl.BEGUNSTIGING].done
    # closure for 12 months (duration of the besluit) from 2 Feb 2026
    assert specs[dl.SLUITINGSDUUR].due == date(2027, 2, 2) and not specs[dl.SLUITINGSDUUR].done
    specs = _specs([*events, Event("sluiting_einde", date(2027, 2, 2))])
    assert specs[dl.SLUITINGSDUUR].done


def test_decision_on_objection_counts_from_the_end_of_the_objection_term():
    base = [Event("bekendmaking", date(2026, 1, 6))]  # objection term ends Tue 17 Feb
    # Awb 7:10(1): 17 Feb + 6 weeks = Tue 31 Mar, even though the objection came on 20 Jan
    specs = _specs([*base, Event("bezwaar", date(2026, 1, 20))])
    assert specs[dl.BOB].due == date(2026, 3, 31) and specs[dl.BEZWAAR].done
    # with an advisory committee: 12 weeks -> Tue 12 May
    specs = _specs([*base, Event("bezwaar", date(2026, 1, 20), {"commissie": True})])
    assert specs[dl.BOB].due == date(2026, 5, 12) and specs[dl.BOB].rule_code == dl.BOB_COMMISSIE
    # verdaging (7:10(3)): six more weeks after 31 Mar -> Tue 12 May
    specs = _specs([*base, Event("bezwaar", date(2026, 1, 20)), Event("verdaging", date(2026, 3, 1))])
    assert specs[dl.BOB].due == date(2026, 5, 12)
    # a late objection (20 Feb): from its filing, + 42 = Good Friday 3 Apr -> Tue 7 Apr
    specs = _specs([*base, Event("bezwaar", date(2026, 2, 20))])
    assert specs[dl.BOB].due == date(2026, 4, 7)


def test_appeal_term_after_decision_on_objection():
    events = [
        Event("bekendmaking", date(2026, 1, 6)),
        Event("bezwaar", date(2026, 1, 20)),
        Event("beslissing_op_bezwaar", date(2026, 3, 24)),
    ]
    specs = _specs(events)
    assert specs[dl.BOB].done
    # Tue 24 Mar + 42 = 5 May -> Wed 6 May
    assert specs[dl.BEROEP].due == date(2026, 5, 6)
    specs = _specs([*events, Event("beroep", date(2026, 4, 1)), Event("uitspraak", date(2026, 9, 1))])
    assert specs[dl.BEROEP].done
    # Tue 1 Sep + 42 = Tue 13 Oct
    assert specs[dl.HOGER_BEROEP].due == date(2026, 10, 13)


def test_missing_rule_skips_the_deadline_instead_of_guessing():
    rules = {k: v for k, v in RULES.items() if k != dl.BEZWAAR}
    specs = dl.procedure_deadlines([Event("bekendmaking", date(2026, 1, 6))], rules)
    assert specs == []


def test_contested_periods():
    events = [
        Event("bezwaar", date(2026, 3, 10)),
        Event("beslissing_op_bezwaar", date(2026, 5, 9)),
        Event("beroep", date(2026, 6, 1)),
    ]
    assert dl.contested_periods(events) == [(date(2026, 3, 10), date(2026, 5, 9)), (date(2026, 6, 1), None)]


def test_limitation_is_one_year_without_remedies_and_interrupted_by_invordering():
    # Awb 5:35(1): one year after the day of forfeiture; 5:37a(1): a new year from the
    # beschikking tot invordering (4:106)
    assert dl.limitation_date(date(2026, 3, 1), RULES[dl.LOD_VERJARING]) == (date(2027, 3, 1), False)
    assert dl.limitation_date(date(2026, 3, 1), RULES[dl.LOD_VERJARING], interrupted_on=date(2026, 6, 1)) == (
        date(2027, 6, 1),
        False,
    )


def test_forfeiture_clocks():
    specs = {
        s.key: s
        for s in dl.forfeiture_deadlines(
            number=2, forfeited_on=date(2026, 3, 24), rules=RULES, aanmaning_on=date(2026, 5, 20)
        )
    }
    assert specs["verbeurte:2:betaling"].due == date(2026, 5, 6)  # 5 May -> 6 May
    assert specs["verbeurte:2:aanmaning"].due == date(2026, 6, 3)  # Wed 20 May + 14
    assert specs["verbeurte:2:verjaring"].due == date(2027, 3, 24)
    assert specs[f"verbeurte:2:{dl.LOD_SIGNAAL_9M}"].due == date(2026, 12, 24)
    assert specs[f"verbeurte:2:{dl.LOD_SIGNAAL_11M}"].due == date(2027, 2, 24)
    paid = dl.forfeiture_deadlines(number=2, forfeited_on=date(2026, 3, 24), rules=RULES, paid=True)
    assert all(s.done for s in paid)


def test_next_open_skips_done_and_paused():
    a = dl.DeadlineSpec("a", "x", date(2026, 1, 1), done=True)
    b = dl.DeadlineSpec("b", "x", date(2026, 1, 2), paused=True)
    c = dl.DeadlineSpec("c", "x", date(2026, 1, 3))
    assert dl.next_open([a, b, c]) == c
    assert dl.next_open([a, b]) is None
