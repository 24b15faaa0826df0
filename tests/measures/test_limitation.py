"""Limitation of forfeited penalties: Awb 5:35 and 5:37a in the text in force since 1 April 2021.

    5:35(1) De rechtsvordering tot betaling van een verbeurde dwangsom verjaart door verloop van
            een jaar na de dag waarop zij is verbeurd.
    5:35(2) Indien op de dag waarop de rechtsvordering verjaart, bezwaar, beroep of hoger beroep
            openstaat of aanhangig is tegen de last onder dwangsom, wordt de verjaringstermijn
            verlengd tot onherroepelijk op het bezwaar, beroep of hoger beroep is beslist.
    5:37a   (1) stuiting by the beschikking tot invordering; (2) a pending request to collect
            (5:37(2)); (3) a remedy open or pending against its refusal; (4) suspension by the
            voorzieningenrechter: extended by the length of the suspension.

Expected dates are worked out by hand from those texts, with the Atw applied to the six-week
remedy terms (Awb 6:7/6:8) and not to the one-year term (Atw art. 4). The "day on which the
claim would be time-barred" for a forfeiture on Monday 2 February 2026 is 2 February 2027.
Weekdays: 2027 Easter Sunday 28 March, Good Friday 26 March, Easter Monday 29 March; 2026 Whit
Monday 25 May. No database needed.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from measures import deadlines as dl
from measures.deadlines import Event, Rule
from vik.core import calendar as cal

RULES = {
    dl.BEZWAAR: Rule(dl.BEZWAAR, weeks=6),
    dl.BEROEP: Rule(dl.BEROEP, weeks=6),
    dl.HOGER_BEROEP: Rule(dl.HOGER_BEROEP, weeks=6),
    dl.LOD_BETALING: Rule(dl.LOD_BETALING, weeks=6),
    dl.LOD_VERJARING: Rule(dl.LOD_VERJARING, months=12, atw=False),
    dl.LOD_SIGNAAL_9M: Rule(dl.LOD_SIGNAAL_9M, months=9, atw=False),
    dl.LOD_SIGNAAL_11M: Rule(dl.LOD_SIGNAAL_11M, months=11, atw=False),
}
FORFEITED = date(2026, 2, 2)
PLAIN = date(2027, 2, 2)
ORDER = [Event("bekendmaking", date(2026, 1, 5))]


@pytest.fixture(autouse=True)
def _no_declared_days():
    before = cal.declared_days()
    cal.set_declared_days([])
    yield
    cal.set_declared_days(before)


def _lim(events, **kwargs):
    return dl.limitation(FORFEITED, RULES, events=events, number=1, **kwargs)


def test_plain_year_when_nothing_is_open_or_pending():
    lim = _lim(ORDER)
    assert (lim.plain, lim.due, lim.paused) == (PLAIN, PLAIN, False)


def test_objection_decided_long_before_the_day_extends_nothing():
    # Pending 10 Feb – 11 Apr 2026; beroep term Sat 11 Apr + 42 = Sat 23 May -> Sun, Whit
    # Monday 25 May -> Tue 26 May 2026, unused. On 2 Feb 2027 nothing is open or pending: the
    # earlier pending days do not count (the pre-2021 reading would give 3 April 2027).
    events = [*ORDER, Event("bezwaar", date(2026, 2, 10)), Event("beslissing_op_bezwaar", date(2026, 4, 11))]
    assert _lim(events).due == PLAIN


def test_objection_pending_on_the_day_extends_to_the_end_of_the_unused_appeal_term():
    events = [*ORDER, Event("bezwaar", date(2026, 2, 10))]
    lim = _lim(events)
    assert lim.paused and lim.due is None  # extended; the end is not known yet
    # decided Fri 5 Mar 2027; beroep term + 42 = Fri 16 Apr 2027 (a working day), not used
    events.append(Event("beslissing_op_bezwaar", date(2027, 3, 5)))
    lim = _lim(events)
    assert (lim.due, lim.paused) == (date(2027, 4, 16), False)
    assert "5:35 lid 2" in lim.reasons[0]


def test_appeal_term_still_open_on_the_day_extends_until_it_passes_unused():
    # decision on objection Thu 14 Jan 2027: beroep term ends Thu 25 Feb 2027, open on 2 Feb
    events = [*ORDER, Event("bezwaar", date(2026, 2, 10)), Event("beslissing_op_bezwaar", date(2027, 1, 14))]
    assert _lim(events).due == date(2027, 2, 25)


def test_appeal_term_ending_on_a_weekend_follows_the_atw():
    # decision on objection Sat 16 Jan 2027 + 42 = Sat 27 Feb -> Atw art. 1: Mon 1 Mar 2027
    events = [*ORDER, Event("bezwaar", date(2026, 2, 10)), Event("beslissing_op_bezwaar", date(2027, 1, 16))]
    assert _lim(events).due == date(2027, 3, 1)


def test_appeal_and_higher_appeal_until_final():
    events = [
        *ORDER,
        Event("bezwaar", date(2026, 2, 10)),
        Event("beslissing_op_bezwaar", date(2027, 1, 14)),
        Event("beroep", date(2027, 2, 20)),
    ]
    assert _lim(events).paused
    # uitspraak Fri 1 Oct 2027: hoger beroep term + 42 = Fri 12 Nov 2027, unused
    events.append(Event("uitspraak", date(2027, 10, 1)))
    assert _lim(events).due == date(2027, 11, 12)
    # hoger beroep lodged: pending again; the ABRvS decides Wed 5 Jul 2028: final that day
    events.append(Event("hoger_beroep", date(2027, 11, 10)))
    assert _lim(events).paused
    events.append(Event("uitspraak_hoger_beroep", date(2028, 7, 5)))
    assert _lim(events).due == date(2028, 7, 5)


def test_switch_off_gives_the_plain_year():
    events = [*ORDER, Event("bezwaar", date(2026, 2, 10))]
    assert _lim(events, extend=False).due == PLAIN


def test_request_to_collect_pending_on_the_day_5_37a_2():
    # third party asks on 1 Dec 2026 (5:37(2)); undecided on 2 Feb 2027 -> extended
    events = [*ORDER, Event("verzoek_invordering", date(2026, 12, 1), {"verbeurte": 1})]
    assert _lim(events).paused
    # refused Wed 10 Feb 2027; objection term + 42 = Wed 24 Mar 2027 passes unused: final then
    events.append(Event("beslissing_verzoek_invordering", date(2027, 2, 10), {"verbeurte": 1}))
    assert _lim(events).due == date(2027, 3, 24)
    # the request concerned forfeiture 1 only: forfeiture 2 keeps its plain year
    other = dl.limitation(FORFEITED, RULES, events=events, number=2)
    assert other.due == PLAIN


def test_objection_against_refusal_pending_on_the_day_5_37a_3():
    events = [
        *ORDER,
        Event("verzoek_invordering", date(2026, 10, 1)),
        Event("beslissing_verzoek_invordering", date(2026, 10, 15)),
        Event("bezwaar_weigering_invordering", date(2026, 11, 20)),
    ]
    assert _lim(events).paused
    # decided Mon 1 Mar 2027; beroep term + 42 = Mon 12 Apr 2027, unused
    events.append(Event("beslissing_op_bezwaar_weigering_invordering", date(2027, 3, 1)))
    assert _lim(events).due == date(2027, 4, 12)


def test_refusal_final_before_the_day_extends_nothing():
    # refused Thu 15 Oct 2026, objection term ends Thu 26 Nov 2026 unused
    events = [
        *ORDER,
        Event("verzoek_invordering", date(2026, 10, 1)),
        Event("beslissing_verzoek_invordering", date(2026, 10, 15)),
    ]
    assert _lim(events).due == PLAIN


def test_granted_request_is_a_beschikking_tot_invordering_and_interrupts():
    events = [
        *ORDER,
        Event("verzoek_invordering", date(2026, 10, 1)),
        Event("beslissing_verzoek_invordering", date(2026, 10, 15), {"toegewezen": True}),
    ]
    assert _lim(events).due == date(2027, 10, 15)


def test_suspension_by_the_voorzieningenrechter_5_37a_4():
    # beschikking tot invordering 2 Mar 2026: new year to 2 Mar 2027. Suspended 10 Feb –
    # 20 Apr 2027 (69 days), so suspended on 2 Mar 2027: + 69 days = 10 May 2027.
    events = [
        *ORDER,
        Event("schorsing_invordering", date(2027, 2, 10)),
        Event("schorsing_invordering_einde", date(2027, 4, 20)),
    ]
    lim = _lim(events, interrupted_on=date(2026, 3, 2))
    assert (lim.plain, lim.due) == (date(2027, 3, 2), date(2027, 5, 10))
    # still suspended: extended, end unknown
    assert _lim(events[:-1], interrupted_on=date(2026, 3, 2)).paused
    # a suspension that ended before the day extends nothing
    early = [
        *ORDER,
        Event("schorsing_invordering", date(2026, 5, 1)),
        Event("schorsing_invordering_einde", date(2026, 6, 1)),
    ]
    assert _lim(early, interrupted_on=date(2026, 3, 2)).due == date(2027, 3, 2)


def test_leap_day_forfeiture():
    # 29 Feb 2028 + one year: the month rule ends it on 28 Feb 2029
    assert dl.limitation(date(2028, 2, 29), RULES).due == date(2029, 2, 28)


def test_warnings_count_back_from_the_actual_limitation_date():
    events = [*ORDER, Event("bezwaar", date(2026, 2, 10)), Event("beslissing_op_bezwaar", date(2027, 1, 14))]
    specs = {
        s.key: s
        for s in dl.forfeiture_deadlines(number=1, forfeited_on=FORFEITED, rules=RULES, events=events)
    }
    assert specs["verbeurte:1:verjaring"].due == date(2027, 2, 25)
    assert specs[f"verbeurte:1:{dl.LOD_SIGNAAL_9M}"].due == date(2026, 11, 25)  # three months before
    assert specs[f"verbeurte:1:{dl.LOD_SIGNAAL_11M}"].due == date(2027, 1, 25)  # one month before
    # while the end is unknown, limitation and warnings are paused (no reminders)
    pending = dl.forfeiture_deadlines(
        number=1, forfeited_on=FORFEITED, rules=RULES, events=[*ORDER, Event("bezwaar", date(2026, 2, 10))]
    )
    assert all(s.paused for s in pending if s.rule_code != dl.LOD_BETALING)


_CHAIN = ["bezwaar", "beslissing_op_bezwaar", "beroep", "uitspraak", "hoger_beroep", "uitspraak_hoger_beroep"]


@settings(max_examples=200, deadline=None)
@given(
    forfeited=st.dates(min_value=date(2021, 4, 1), max_value=date(2030, 12, 31)),
    made_known_before=st.integers(min_value=0, max_value=200),
    steps=st.integers(min_value=0, max_value=len(_CHAIN)),
    gaps=st.lists(st.integers(min_value=1, max_value=400), min_size=len(_CHAIN), max_size=len(_CHAIN)),
    interrupted_after=st.one_of(st.none(), st.integers(min_value=0, max_value=500)),
    extend=st.booleans(),
)
def test_property_never_earlier_than_the_plain_one_year_date(
    forfeited, made_known_before, steps, gaps, interrupted_after, extend
):
    day = forfeited - timedelta(days=made_known_before)
    events = [Event("bekendmaking", day)]
    for code, gap in zip(_CHAIN[:steps], gaps[:steps], strict=True):
        day += timedelta(days=gap)
        events.append(Event(code, day))
    interrupted = forfeited + timedelta(days=interrupted_after) if interrupted_after is not None else None
    lim = dl.limitation(forfeited, RULES, events=events, interrupted_on=interrupted, extend=extend)
    one_year = cal.add_period(interrupted or forfeited, months=12)
    assert lim.plain == one_year
    assert lim.due is None or lim.due >= one_year
    if not extend:
        assert lim.due == one_year
