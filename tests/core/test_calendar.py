"""Tests for the Atw legal calendar (vik/core/calendar.py).

Every expected date below was derived by hand from the law (Atw art. 1-3, Awb 6:8) and the
published Easter dates, not from the implementation; the comment on each row shows the
derivation. Weekdays: 1 January 2026 is a Thursday, 1 January 2027 a Friday, 1 January 2028 a
Saturday. No database is needed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vik.core import calendar as cal
from vik.core.calendar import (
    add_period,
    declared_days,
    easter_sunday,
    feestdagen,
    is_dies_non,
    next_working_day,
    roll_forward,
    set_declared_days,
    subtract_period,
    term_end,
    working_days_between,
)


def D(iso: str) -> date:
    return date.fromisoformat(iso)


@pytest.fixture(autouse=True)
def _clean_declared_store() -> Iterator[None]:
    """Every test starts with an empty module store of declared days and leaves it as found."""
    saved = declared_days()
    set_declared_days(())
    yield
    set_declared_days(saved)


# --------------------------------------------------------------------------------------------
# Easter and the feestdagen of Atw art. 3
# --------------------------------------------------------------------------------------------

EASTER = {
    2025: D("2025-04-20"),
    2026: D("2026-04-05"),
    2027: D("2027-03-28"),
    2028: D("2028-04-16"),
    2029: D("2029-04-01"),
    2030: D("2030-04-21"),
}


@pytest.mark.parametrize(("year", "expected"), sorted(EASTER.items()))
def test_easter_sunday_matches_published_dates(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected
    assert expected.weekday() == 6


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # Historical spot checks outside 2025-2030 (published dates): the earliest possible
        # Easter (22 March, 2285) and the latest (25 April, 2038), plus two recent years.
        (2016, D("2016-03-27")),
        (2019, D("2019-04-21")),
        (2038, D("2038-04-25")),
        (2285, D("2285-03-22")),
    ],
)
def test_easter_sunday_extremes(year: int, expected: date) -> None:
    assert easter_sunday(year) == expected


# Good Friday = Easter - 2, Easter Monday = Easter + 1, Ascension = Easter + 39,
# Whit Monday = Easter + 50. King's Day 27 April (26 April when the 27th is a Sunday).
FEESTDAGEN = {
    2025: {  # Easter 20 April
        D("2025-01-01"): "Nieuwjaarsdag",
        D("2025-04-18"): "Goede Vrijdag",
        D("2025-04-21"): "Tweede Paasdag",
        D("2025-04-26"): "Koningsdag",  # 27 April 2025 is a Sunday -> Saturday 26 April
        D("2025-05-05"): "Bevrijdingsdag",  # a lustrum year, but the Atw counts it every year
        D("2025-05-29"): "Hemelvaartsdag",
        D("2025-06-09"): "Tweede Pinksterdag",
        D("2025-12-25"): "Eerste Kerstdag",
        D("2025-12-26"): "Tweede Kerstdag",
    },
    2026: {  # Easter 5 April
        D("2026-01-01"): "Nieuwjaarsdag",
        D("2026-04-03"): "Goede Vrijdag",
        D("2026-04-06"): "Tweede Paasdag",
        D("2026-04-27"): "Koningsdag",  # Monday
        D("2026-05-05"): "Bevrijdingsdag",  # Tuesday, not a lustrum year
        D("2026-05-14"): "Hemelvaartsdag",
        D("2026-05-25"): "Tweede Pinksterdag",
        D("2026-12-25"): "Eerste Kerstdag",
        D("2026-12-26"): "Tweede Kerstdag",
    },
    2027: {  # Easter 28 March
        D("2027-01-01"): "Nieuwjaarsdag",
        D("2027-03-26"): "Goede Vrijdag",
        D("2027-03-29"): "Tweede Paasdag",
        D("2027-04-27"): "Koningsdag",  # Tuesday
        D("2027-05-05"): "Bevrijdingsdag",  # Wednesday
        D("2027-05-06"): "Hemelvaartsdag",  # Thursday, the day after 5 May
        D("2027-05-17"): "Tweede Pinksterdag",
        D("2027-12-25"): "Eerste Kerstdag",
        D("2027-12-26"): "Tweede Kerstdag",
    },
    2028: {  # Easter 16 April
        D("2028-01-01"): "Nieuwjaarsdag",
        D("2028-04-14"): "Goede Vrijdag",
        D("2028-04-17"): "Tweede Paasdag",
        D("2028-04-27"): "Koningsdag",  # Thursday
        D("2028-05-05"): "Bevrijdingsdag",  # Friday
        D("2028-05-25"): "Hemelvaartsdag",
        D("2028-06-05"): "Tweede Pinksterdag",
        D("2028-12-25"): "Eerste Kerstdag",
        D("2028-12-26"): "Tweede Kerstdag",
    },
    2029: {  # Easter 1 April
        D("2029-01-01"): "Nieuwjaarsdag",
        D("2029-03-30"): "Goede Vrijdag",
        D("2029-04-02"): "Tweede Paasdag",
        D("2029-04-27"): "Koningsdag",  # Friday
        D("2029-05-05"): "Bevrijdingsdag",  # Saturday
        D("2029-05-10"): "Hemelvaartsdag",
        D("2029-05-21"): "Tweede Pinksterdag",
        D("2029-12-25"): "Eerste Kerstdag",
        D("2029-12-26"): "Tweede Kerstdag",
    },
    2030: {  # Easter 21 April
        D("2030-01-01"): "Nieuwjaarsdag",
        D("2030-04-19"): "Goede Vrijdag",
        D("2030-04-22"): "Tweede Paasdag",
        D("2030-04-27"): "Koningsdag",  # Saturday (only a Sunday moves)
        D("2030-05-05"): "Bevrijdingsdag",  # Sunday
        D("2030-05-30"): "Hemelvaartsdag",
        D("2030-06-10"): "Tweede Pinksterdag",
        D("2030-12-25"): "Eerste Kerstdag",
        D("2030-12-26"): "Tweede Kerstdag",
    },
}


@pytest.mark.parametrize(("year", "expected"), sorted(FEESTDAGEN.items()))
def test_feestdagen_per_year(year: int, expected: dict[date, str]) -> None:
    assert feestdagen(year) == expected
    assert list(feestdagen(year)) == sorted(expected)  # date order
    for day in expected:
        assert is_dies_non(day)


def test_feestdagen_returns_a_copy() -> None:
    days = feestdagen(2026)
    days.clear()
    assert is_dies_non(D("2026-05-05"))
    assert len(feestdagen(2026)) == 9


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2014, D("2014-04-26")),  # first King's Day; 27 April 2014 was a Sunday -> Saturday 26th
        (2025, D("2025-04-26")),  # 27 April 2025 is a Sunday -> Saturday 26th
        (2026, D("2026-04-27")),  # Monday: no shift
        (2030, D("2030-04-27")),  # Saturday: no shift (only a Sunday moves the day)
        (2031, D("2031-04-26")),  # 27 April 2031 is a Sunday again -> Saturday 26th
    ],
)
def test_kings_day_sunday_rule(year: int, expected: date) -> None:
    kings = [day for day, name in feestdagen(year).items() if name == "Koningsdag"]
    assert kings == [expected]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2006, D("2006-04-29")),  # 30 April 2006 was a Sunday -> Koninginnedag on Saturday 29th
        (2013, D("2013-04-30")),  # last Koninginnedag, a Tuesday
    ],
)
def test_queens_day_before_2014(year: int, expected: date) -> None:
    queens = [day for day, name in feestdagen(year).items() if name == "Koninginnedag"]
    assert queens == [expected]
    assert "Koningsdag" not in feestdagen(year).values()


def test_coinciding_feestdagen_keep_both_names() -> None:
    # 2016: Easter 27 March + 39 = Thursday 5 May, also Bevrijdingsdag.
    days = feestdagen(2016)
    assert days[D("2016-05-05")] == "Bevrijdingsdag / Hemelvaartsdag"
    assert len(days) == 8


# --------------------------------------------------------------------------------------------
# is_dies_non
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D("2026-05-05"), True),  # Tuesday 5 May in a non-lustrum year: still an Atw feestdag
        (D("2027-05-05"), True),  # Wednesday 5 May, non-lustrum
        (D("2026-05-04"), False),  # Monday 4 May (Dodenherdenking is not a feestdag)
        (D("2026-04-27"), True),  # King's Day on a Monday
        (D("2025-04-28"), False),  # Monday after King's Day moved to Saturday 26 April
        (D("2026-04-02"), False),  # Maundy Thursday is not a feestdag
        (D("2026-04-03"), True),  # Good Friday (art. 3(2))
        (D("2026-04-05"), True),  # Easter Sunday: a Sunday
        (D("2026-05-15"), False),  # Friday after Ascension: only dies non when declared (3(3))
        (D("2027-12-24"), False),  # Christmas Eve (Friday) is not a feestdag
        (D("2027-12-31"), False),  # New Year's Eve (Friday) is not a feestdag
        (D("2026-01-10"), True),  # Saturday
        (D("2026-01-11"), True),  # Sunday
        (D("2026-01-12"), False),  # ordinary Monday
        (D("2028-02-29"), False),  # leap day, a Tuesday
    ],
)
def test_is_dies_non(day: date, expected: bool) -> None:
    assert is_dies_non(day) is expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # 2026 starts on a Thursday: 365 days = 52 weeks + 1 Thursday -> 261 weekdays. Weekday
        # feestdagen: 1 Jan Thu, Good Friday, Easter Monday, King's Day Mon, 5 May Tue,
        # Ascension Thu, Whit Monday, Christmas Fri (26 Dec is a Saturday) = 8 -> 253.
        (D("2025-12-31"), D("2026-12-31"), 253),
        # 2028 (leap) starts on a Saturday: 366 days = 52 weeks + Sat + Sun -> 260 weekdays.
        # Weekday feestdagen: Good Friday, Easter Monday, King's Day Thu, 5 May Fri, Ascension,
        # Whit Monday, 25 Dec Mon, 26 Dec Tue (1 Jan is a Saturday) = 8 -> 252.
        (D("2027-12-31"), D("2028-12-31"), 252),
        # (Sun 11 Jan, Sun 18 Jan 2026]: Monday to Friday -> 5.
        (D("2026-01-11"), D("2026-01-18"), 5),
        # (Thu 2 Apr, Wed 8 Apr 2026]: Fri GF, Sat, Sun, Mon EM, Tue 7, Wed 8 -> 2.
        (D("2026-04-02"), D("2026-04-08"), 2),
        # The start day itself never counts; an empty or reversed interval counts 0.
        (D("2026-01-12"), D("2026-01-12"), 0),
        (D("2026-01-13"), D("2026-01-12"), 0),
    ],
)
def test_working_days_between(first: date, last: date, expected: int) -> None:
    assert working_days_between(first, last) == expected


# --------------------------------------------------------------------------------------------
# next_working_day / roll_forward
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "next_wd", "rolled"),
    [
        # Ordinary Tuesday: next is Wednesday; rolling leaves the Tuesday itself.
        (D("2026-01-13"), D("2026-01-14"), D("2026-01-13")),
        # Friday: next working day is Monday; Friday itself is a working day.
        (D("2026-01-09"), D("2026-01-12"), D("2026-01-09")),
        # Saturday: both give Monday.
        (D("2026-01-10"), D("2026-01-12"), D("2026-01-12")),
        # Maundy Thursday 2026: Good Friday, Sat, Easter Sunday, Easter Monday -> Tuesday 7 April.
        (D("2026-04-02"), D("2026-04-07"), D("2026-04-02")),
        # Good Friday 2026 itself: rolls to Tuesday 7 April as well.
        (D("2026-04-03"), D("2026-04-07"), D("2026-04-07")),
        # Christmas Eve 2026 (Thu): 25 Fri, 26 Sat, 27 Sun -> Monday 28 December.
        (D("2026-12-24"), D("2026-12-28"), D("2026-12-24")),
        # 31 Dec 2029 (Mon): 1 January 2030 is a Tuesday feestdag -> Wednesday 2 January 2030.
        (D("2029-12-31"), D("2030-01-02"), D("2029-12-31")),
        # Wed 5 May 2027 (feestdag) is followed by Ascension Thu 6 May -> Friday 7 May.
        (D("2027-05-05"), D("2027-05-07"), D("2027-05-07")),
    ],
)
def test_next_working_day_and_roll_forward(day: date, next_wd: date, rolled: date) -> None:
    assert next_working_day(day) == next_wd
    assert roll_forward(day) == rolled


# --------------------------------------------------------------------------------------------
# add_period (plain arithmetic)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "kwargs", "expected"),
    [
        (D("2024-01-02"), {"weeks": 6}, D("2024-02-13")),  # 2 Jan + 42 days
        (D("2026-03-15"), {"months": 1}, D("2026-04-15")),  # same day number
        (D("2026-01-31"), {"months": 1}, D("2026-02-28")),  # no 31 Feb; 2026 not a leap year
        (D("2028-01-31"), {"months": 1}, D("2028-02-29")),  # leap year 2028
        (D("2026-03-31"), {"months": 1}, D("2026-04-30")),  # April has 30 days
        (D("2028-02-29"), {"months": 12}, D("2029-02-28")),  # leap day + 1 year
        (D("2028-02-29"), {"months": 48}, D("2032-02-29")),  # leap day + 4 years (2032 leap)
        (D("2026-02-28"), {"months": 1}, D("2026-03-28")),  # same number, not "end of month"
        (D("2025-11-30"), {"months": 3}, D("2026-02-28")),  # across the year end, clamped
        (D("2026-12-31"), {"months": 1}, D("2027-01-31")),  # December -> January
        (D("2026-01-31"), {"months": 1, "days": 1}, D("2026-03-01")),  # months first, then days
        (D("2026-01-12"), {"days": 3, "weeks": 1}, D("2026-01-22")),  # 7 + 3 days
        (D("2026-01-12"), {}, D("2026-01-12")),  # empty period
    ],
)
def test_add_period(start: date, kwargs: dict[str, int], expected: date) -> None:
    assert add_period(start, **kwargs) == expected


# --------------------------------------------------------------------------------------------
# subtract_period (plain arithmetic backwards, for look-back windows)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "kwargs", "expected"),
    [
        (D("2026-04-15"), {"months": 1}, D("2026-03-15")),  # same day number
        (D("2026-03-31"), {"months": 1}, D("2026-02-28")),  # no 31 Feb; 2026 not a leap year
        (D("2028-03-31"), {"months": 1}, D("2028-02-29")),  # leap year 2028
        (D("2026-05-31"), {"months": 1}, D("2026-04-30")),  # April has 30 days
        (D("2028-02-29"), {"months": 12}, D("2027-02-28")),  # leap day - 1 year
        (D("2026-11-30"), {"months": 12}, D("2025-11-30")),  # "the last 12 months"
        (D("2026-01-15"), {"months": 1}, D("2025-12-15")),  # January -> December
        (D("2026-05-31"), {"months": 3}, D("2026-02-28")),  # across months, clamped
        (D("2026-03-31"), {"months": 1, "days": 1}, D("2026-02-27")),  # months first, then days
        (D("2026-01-22"), {"days": 3, "weeks": 1}, D("2026-01-12")),  # 7 + 3 days
        (D("2026-01-12"), {}, D("2026-01-12")),  # empty period
    ],
)
def test_subtract_period(start: date, kwargs: dict[str, int], expected: date) -> None:
    assert subtract_period(start, **kwargs) == expected


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    months=st.integers(min_value=0, max_value=120),
)
def test_subtract_period_mirrors_add_period(day: date, months: int) -> None:
    back = subtract_period(day, months=months)
    # Without clamping, going back and forth returns to the same day; with clamping the result
    # is the last day of the target month and adding the months never overshoots ``day``.
    assert add_period(back, months=months) <= day
    if back.day == day.day:
        assert add_period(back, months=months) == day
    else:
        assert back.day < day.day
        assert (back + timedelta(days=1)).day == 1  # clamped to the month end
    assert subtract_period(day, weeks=2, days=3) == day - timedelta(days=17)


# --------------------------------------------------------------------------------------------
# term_end: Atw art. 1 (end on a dies non)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "kwargs", "plain", "expected"),
    [
        # The DOMAIN example: bekendmaking Tue 2 Jan 2024, 6 weeks -> Tue 13 Feb 2024, a working
        # day, so no extension.
        (D("2024-01-02"), {"weeks": 6}, D("2024-02-13"), D("2024-02-13")),
        # 15 March 2026 + 1 month -> Wednesday 15 April 2026, a working day.
        (D("2026-03-15"), {"months": 1}, D("2026-04-15"), D("2026-04-15")),
        # Weekend: Sat 10 Jan 2026 + 6 weeks = Sat 21 Feb -> Monday 23 Feb.
        (D("2026-01-10"), {"weeks": 6}, D("2026-02-21"), D("2026-02-23")),
        # Weekend, days: Mon 12 Jan 2026 + 5 days = Sat 17 Jan -> Mon 19 Jan (4 working days in
        # the term, so art. 2 is satisfied).
        (D("2026-01-12"), {"days": 5}, D("2026-01-17"), D("2026-01-19")),
        # Easter: Fri 20 Feb 2026 + 42 days = Good Friday 3 April; Sat 4, Easter Sunday 5,
        # Easter Monday 6 -> Tuesday 7 April 2026.
        (D("2026-02-20"), {"weeks": 6}, D("2026-04-03"), D("2026-04-07")),
        # Christmas 2026: Fri 13 Nov + 42 = Fri 25 Dec; Sat 26 (also 2nd Christmas day), Sun 27
        # -> Monday 28 December.
        (D("2026-11-13"), {"weeks": 6}, D("2026-12-25"), D("2026-12-28")),
        # Christmas 2028: Mon 13 Nov + 42 = Mon 25 Dec; Tue 26 Dec too -> Wednesday 27 December.
        (D("2028-11-13"), {"weeks": 6}, D("2028-12-25"), D("2028-12-27")),
        # 5 May in a non-lustrum year: Tue 24 Mar 2026 + 42 = Tue 5 May 2026 -> Wed 6 May.
        (D("2026-03-24"), {"weeks": 6}, D("2026-05-05"), D("2026-05-06")),
        # Ascension: Thu 2 Apr 2026 + 42 = Thu 14 May (Hemelvaartsdag) -> Fri 15 May (not
        # declared in this test).
        (D("2026-04-02"), {"weeks": 6}, D("2026-05-14"), D("2026-05-15")),
        # King's Day: Mon 16 Mar 2026 + 42 = Mon 27 April -> Tue 28 April.
        (D("2026-03-16"), {"weeks": 6}, D("2026-04-27"), D("2026-04-28")),
        # 2027 cluster: Wed 24 Mar + 42 = Wed 5 May, Thu 6 May Ascension -> Friday 7 May.
        (D("2027-03-24"), {"weeks": 6}, D("2027-05-05"), D("2027-05-07")),
        # Whit Monday: Mon 9 Apr 2029 + 42 = Mon 21 May 2029 -> Tue 22 May.
        (D("2029-04-09"), {"weeks": 6}, D("2029-05-21"), D("2029-05-22")),
        # New Year across the year boundary: Tue 20 Nov 2029 + 42 = Tue 1 Jan 2030 -> Wed 2 Jan.
        (D("2029-11-20"), {"weeks": 6}, D("2030-01-01"), D("2030-01-02")),
        # Month end: 31 Jan 2026 + 1 month = Sat 28 Feb 2026 (clamped) -> Monday 2 March.
        (D("2026-01-31"), {"months": 1}, D("2026-02-28"), D("2026-03-02")),
        # Leap year: 31 Jan 2028 + 1 month = Tue 29 Feb 2028, a working day.
        (D("2028-01-31"), {"months": 1}, D("2028-02-29"), D("2028-02-29")),
        # 31 Mar 2026 + 1 month = Thu 30 April 2026 (clamped), a working day.
        (D("2026-03-31"), {"months": 1}, D("2026-04-30"), D("2026-04-30")),
        # 31 Aug 2026 + 6 months = Sun 28 Feb 2027 (clamped) -> Monday 1 March 2027.
        (D("2026-08-31"), {"months": 6}, D("2027-02-28"), D("2027-03-01")),
        # Leap day + 12 months = Wed 28 Feb 2029, a working day.
        (D("2028-02-29"), {"months": 12}, D("2029-02-28"), D("2029-02-28")),
        # Zero-length term on a Saturday: art. 1 still rolls to Monday.
        (D("2026-01-10"), {}, D("2026-01-10"), D("2026-01-12")),
    ],
)
def test_term_end_art1(start: date, kwargs: dict[str, int], plain: date, expected: date) -> None:
    assert term_end(start, **kwargs, atw=False) == plain
    assert term_end(start, **kwargs) == expected
    assert term_end(start, **kwargs, atw=True) == expected


# --------------------------------------------------------------------------------------------
# term_end: Atw art. 2 (at least two working days in a term of three days or more)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Fri 9 Jan 2026, 3 days: Sat 10, Sun 11, Mon 12. The end (Monday) is a working day, so
        # art. 1 does nothing, but the term holds only 1 working day -> art. 2: Tuesday 13 Jan.
        (D("2026-01-09"), 3, D("2026-01-13")),
        # 2-day term from the same Friday ends Sun 11 -> art. 1: Mon 12. Art. 2 does not apply
        # to terms shorter than three days, so one working day is enough.
        (D("2026-01-09"), 2, D("2026-01-12")),
        # Long weekend with 5 May 2025 on a Monday: Fri 2 May, 3 days: Sat 3, Sun 4, Mon 5 (fd).
        # Art. 1 -> Tue 6 May; term (2, 6] holds 1 working day -> art. 2: Wednesday 7 May 2025.
        (D("2025-05-02"), 3, D("2025-05-07")),
        # Easter 2026: Thu 2 Apr, 3 days: Good Friday 3, Sat 4, Easter Sunday 5 -> art. 1 gives
        # Tue 7 (Easter Monday 6 is a feestdag); (2, 7] holds 1 working day -> Wed 8 April.
        (D("2026-04-02"), 3, D("2026-04-08")),
        # Same, 4 days: plain end Easter Monday 6 -> art. 1 Tue 7 -> art. 2 Wed 8 April.
        (D("2026-04-02"), 4, D("2026-04-08")),
        # Same, 5 days: plain end Tue 7, a working day; (2, 7] holds 1 -> art. 2 Wed 8 April.
        (D("2026-04-02"), 5, D("2026-04-08")),
        # Same, 6 days: plain end Wed 8; (2, 8] holds Tue 7 and Wed 8 -> no extension.
        (D("2026-04-02"), 6, D("2026-04-08")),
        # Christmas 2026: Wed 23 Dec, 3 days: Thu 24 (working), Fri 25, Sat 26 -> art. 1 Mon 28;
        # (23, 28] holds Thu 24 and Mon 28 = 2 -> art. 2 satisfied, Monday 28 December.
        (D("2026-12-23"), 3, D("2026-12-28")),
        # Christmas 2026: Thu 24 Dec, 3 days: Fri 25, Sat 26, Sun 27 -> art. 1 Mon 28; (24, 28]
        # holds only Mon 28 -> art. 2: Tuesday 29 December.
        (D("2026-12-24"), 3, D("2026-12-29")),
    ],
)
def test_term_end_art2(start: date, days: int, expected: date) -> None:
    assert term_end(start, days=days) == expected
    assert working_days_between(start, expected) >= (2 if days >= 3 else 1)


# --------------------------------------------------------------------------------------------
# Declared days (Atw art. 3(3))
# --------------------------------------------------------------------------------------------


def test_declared_day_via_store_and_override() -> None:
    friday_after_ascension = D("2026-05-15")
    assert not is_dies_non(friday_after_ascension)

    set_declared_days([friday_after_ascension])
    assert declared_days() == frozenset({friday_after_ascension})
    assert is_dies_non(friday_after_ascension)
    # Thu 2 Apr + 42 = Ascension Thu 14 May; declared Fri 15, Sat, Sun -> Monday 18 May 2026.
    assert term_end(D("2026-04-02"), weeks=6) == D("2026-05-18")

    # The keyword overrides the store, in both directions.
    assert not is_dies_non(friday_after_ascension, declared=frozenset())
    assert term_end(D("2026-04-02"), weeks=6, declared=frozenset()) == D("2026-05-15")

    set_declared_days(())
    assert declared_days() == frozenset()
    assert is_dies_non(friday_after_ascension, declared=frozenset({friday_after_ascension}))
    assert term_end(D("2026-04-02"), weeks=6, declared=frozenset({friday_after_ascension})) == D("2026-05-18")


@pytest.mark.parametrize(
    ("start", "kwargs", "declared", "expected"),
    [
        # 2027 cluster with the Friday after Ascension declared: Wed 24 Mar + 42 = Wed 5 May (fd),
        # Thu 6 Ascension, Fri 7 declared, Sat 8, Sun 9 -> Monday 10 May 2027.
        (D("2027-03-24"), {"weeks": 6}, {D("2027-05-07")}, D("2027-05-10")),
        # Art. 2 with a declared day: Tue 4 May 2027, 3 days: Wed 5 (fd), Thu 6 (Ascension),
        # Fri 7 (declared) -> art. 1: Mon 10; (4, 10] holds 1 working day -> Tuesday 11 May.
        (D("2027-05-04"), {"days": 3}, {D("2027-05-07")}, D("2027-05-11")),
        # ... without the declaration: plain end Fri 7 is a working day but the only one in the
        # term -> art. 2: Monday 10 May.
        (D("2027-05-04"), {"days": 3}, set(), D("2027-05-10")),
        # The Wikipedia example (Ascension on Thu 7 May, 2043; Easter 29 March): with Mon 4 May,
        # Wed 6 May and Fri 8 May declared, a term ending Sat 2 May runs to Monday 11 May.
        # Sat 21 Mar 2043 + 42 = Sat 2 May; Sun 3, Mon 4 (d), Tue 5 (fd), Wed 6 (d), Thu 7
        # (Ascension), Fri 8 (d), Sat 9, Sun 10 -> Mon 11.
        (
            D("2043-03-21"),
            {"weeks": 6},
            {D("2043-05-04"), D("2043-05-06"), D("2043-05-08")},
            D("2043-05-11"),
        ),
    ],
)
def test_term_end_with_declared_days(
    start: date, kwargs: dict[str, int], declared: set[date], expected: date
) -> None:
    assert term_end(start, **kwargs, declared=frozenset(declared)) == expected
    set_declared_days(declared)
    assert term_end(start, **kwargs) == expected


def test_atw_false_ignores_declared_days_and_feestdagen() -> None:
    # Plain end Thu 14 May 2026 (Ascension) is returned as is: a policy term is not extended.
    assert term_end(D("2026-04-02"), weeks=6, atw=False, declared=frozenset({D("2026-05-14")})) == D(
        "2026-05-14"
    )
    # Fri 9 Jan 2026 + 3 days = Mon 12: no art. 2 extension without the Atw.
    assert term_end(D("2026-01-09"), days=3, atw=False) == D("2026-01-12")


# --------------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [{"days": -1}, {"weeks": -1}, {"months": -1}])
def test_negative_periods_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        term_end(D("2026-01-12"), **kwargs)
    with pytest.raises(ValueError):
        add_period(D("2026-01-12"), **kwargs)
    with pytest.raises(ValueError):
        subtract_period(D("2026-01-12"), **kwargs)


def test_datetime_is_refused() -> None:
    # A datetime never equals a date, so it would silently miss every feestdag.
    moment = datetime(2026, 5, 5, 12, 0)
    with pytest.raises(TypeError):
        is_dies_non(moment)
    with pytest.raises(TypeError):
        term_end(moment, weeks=6)
    with pytest.raises(TypeError):
        subtract_period(moment, months=1)
    with pytest.raises(TypeError):
        set_declared_days([moment])


def test_calendar_module_has_no_django_imports() -> None:
    # The calendar is pure code (STYLE.md rule 7): no ORM at call time.
    with open(cal.__file__, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not {name for name in imported if name.startswith(("django", "vik"))}


def test_load_declared_days_from_db(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sync helper feeds DeclaredDay dates into the store (ORM replaced by a stub)."""
    from vik.core import calendar_sync
    from vik.core.models import DeclaredDay

    rows = [D("2026-05-15"), D("2027-05-07")]

    class _StubManager:
        def values_list(self, field: str, *, flat: bool = False) -> list[date]:
            assert (field, flat) == ("date", True)
            return rows

    monkeypatch.setattr(DeclaredDay, "objects", _StubManager())
    assert calendar_sync.load_declared_days_from_db() == frozenset(rows)
    assert declared_days() == frozenset(rows)
    assert is_dies_non(D("2026-05-15"))


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

_dates = st.dates(min_value=date(2014, 1, 1), max_value=date(2040, 12, 31))
_declared_sets = st.frozensets(st.dates(min_value=date(2014, 1, 1), max_value=date(2041, 3, 31)), max_size=40)


@settings(max_examples=400, deadline=None)
@given(
    start=_dates,
    days=st.integers(min_value=0, max_value=120),
    weeks=st.integers(min_value=0, max_value=12),
    months=st.integers(min_value=0, max_value=24),
    declared=_declared_sets,
)
def test_term_end_properties(
    start: date, days: int, weeks: int, months: int, declared: frozenset[date]
) -> None:
    plain = term_end(start, days=days, weeks=weeks, months=months, atw=False, declared=declared)
    end = term_end(start, days=days, weeks=weeks, months=months, declared=declared)
    assert plain == add_period(start, days=days, weeks=weeks, months=months)
    assert plain >= start

    needs_two = (plain - start).days >= 3

    def acceptable(day: date) -> bool:
        # Art. 1: not a dies non; art. 2: at least two working days in (start, day].
        return not is_dies_non(day, declared=declared) and (
            not needs_two or working_days_between(start, day, declared=declared) >= 2
        )

    assert end >= plain
    assert not is_dies_non(end, declared=declared)
    if needs_two:
        assert working_days_between(start, end, declared=declared) >= 2
    # Minimal: no earlier day from the plain end on would already satisfy both articles.
    day = plain
    while day < end:
        assert not acceptable(day)
        day += timedelta(days=1)
    assert acceptable(end)


@settings(max_examples=300, deadline=None)
@given(day=_dates, declared=_declared_sets)
def test_working_day_helpers_properties(day: date, declared: frozenset[date]) -> None:
    nxt = next_working_day(day, declared=declared)
    rolled = roll_forward(day, declared=declared)
    assert nxt > day
    assert not is_dies_non(nxt, declared=declared)
    assert working_days_between(day, nxt, declared=declared) == 1
    if is_dies_non(day, declared=declared):
        assert rolled == nxt
    else:
        assert rolled == day
    assert is_dies_non(day, declared=declared) == (
        day.weekday() >= 5 or day in feestdagen(day.year) or day in declared
    )
