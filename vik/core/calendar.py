"""The legal calendar: counting statutory terms under the Algemene termijnenwet (Atw).

This module is pure date arithmetic. It has no Django or database imports, so it can be
used from models, services, Celery tasks and tests alike (STYLE.md rule 7; DESIGN.md §6).

Counting model (DOMAIN.md §1.0 and §1.0a)
-----------------------------------------
A term runs from the day *after* the triggering event (Awb 6:8 for the objection term:
"de termijn vangt aan met ingang van de dag na die waarop het besluit op de voorgeschreven
wijze is bekendgemaakt"). The event day itself is never part of the term. The term is
therefore the half-open interval ``(start, end]``, and ``end`` is the last day on which the
act is still in time.

* Days and weeks are plain calendar arithmetic: a six-week objection term after a
  bekendmaking on Tuesday 2 January ends on Tuesday 13 February (``start + 42 days``).
* Months end on the day with the same number in the target month; if that month is shorter,
  on its last day (bekendmaking 15 March + 1 month -> 15 April; 31 January + 1 month ->
  28 or 29 February).

Then, for terms "in een wet gesteld" (``atw=True``):

* **Atw art. 1(1)**: a term that ends on a Saturday, Sunday or *algemeen erkende feestdag* is
  extended to and including the next day that is none of these.
* **Atw art. 2**: a term of at least three days is extended, as far as needed, so that it
  contains at least two days that are not a Saturday, Sunday or feestdag.
* **Atw art. 3(1)** lists the feestdagen; **art. 3(2)** puts Good Friday on the same footing;
  **art. 3(3)** lets a royal decree declare further days equal (bridge days, published in the
  Staatscourant for three years at a time). Those declared days are configuration data, kept
  in a module-level store (:func:`set_declared_days`) that the application fills from
  ``vik.core.models.DeclaredDay`` (see :mod:`vik.core.calendar_sync`).

Not modelled here, and left to the caller (the ``DeadlineRule`` row decides ``atw``):

* Atw art. 1(2): art. 1 does not apply to terms counted *backwards* from a moment or event.
  This module only counts forwards.
* Atw art. 4 excludes certain (long) terms from the Act, and special laws can exclude it too;
  terms set by policy or by the decision itself (zienswijze period, begunstigingstermijn) are
  not "in een wet gestelde termijnen". Pass ``atw=False`` for those.

Terminology: a *dies non* is a day that does not count as a working day for the Atw:
Saturday, Sunday, an art. 3(1)/(2) feestdag or an art. 3(3) declared day. A *working day* is
any other day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType

__all__ = [
    "add_period",
    "declared_days",
    "easter_sunday",
    "feestdagen",
    "is_dies_non",
    "next_working_day",
    "roll_forward",
    "set_declared_days",
    "subtract_period",
    "term_end",
    "working_days_between",
]

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday == 0 ... Sunday == 6
_SUNDAY = 6

#: The first year in which the King's birthday (Willem-Alexander, 27 April) is celebrated.
#: Before that, Queen's Day (Koninginnedag) on 30 April applied.
KINGS_DAY_FROM_YEAR = 2014

#: Art. 2 Atw applies to terms "van ten minste drie dagen".
_ART2_MIN_TERM_DAYS = 3
#: ... and requires "ten minste twee dagen" that are not dies non.
_ART2_MIN_WORKING_DAYS = 2

# Module-level store of days declared equal to a feestdag by royal decree (Atw art. 3(3)).
# Replaced wholesale (one reference assignment) so readers never see a half-updated set.
_declared: frozenset[date] = frozenset()


# --------------------------------------------------------------------------------------------
# Feestdagen (Atw art. 3)
# --------------------------------------------------------------------------------------------


def easter_sunday(year: int) -> date:
    """Return Easter Sunday of ``year`` (Gregorian calendar).

    Uses the anonymous Gregorian algorithm (Meeus/Jones/Butcher). Easter itself is a Sunday and
    thus already dies non, but Good Friday, Easter Monday, Ascension Day and Whit Monday are
    derived from it (Atw art. 3(1) and (2)).
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741  (name from the published algorithm)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _kings_day(year: int) -> tuple[date, str]:
    """The day on which the King's (or, before 2014, the Queen's) birthday is celebrated.

    Atw art. 3(1) names "de dag waarop de verjaardag van de Koning wordt gevierd". Since 2014
    that is 27 April, or Saturday 26 April when the 27th is a Sunday.
    For earlier years we use Queen's Day: 30 April, or 29 April when the 30th is a Sunday
    (the rule under Queen Beatrix, 1980-2013). Years before 1980 are not modelled separately.
    """
    if year >= KINGS_DAY_FROM_YEAR:
        day, name = date(year, 4, 27), "Koningsdag"
    else:
        day, name = date(year, 4, 30), "Koninginnedag"
    if day.weekday() == _SUNDAY:
        day -= _ONE_DAY
    return day, name


@lru_cache(maxsize=256)
def _feestdagen_frozen(year: int) -> Mapping[date, str]:
    easter = easter_sunday(year)
    kings_day, kings_name = _kings_day(year)
    entries: list[tuple[date, str]] = [
        (date(year, 1, 1), "Nieuwjaarsdag"),
        (easter - timedelta(days=2), "Goede Vrijdag"),  # art. 3(2)
        (easter + timedelta(days=1), "Tweede Paasdag"),
        (kings_day, kings_name),
        (date(year, 5, 5), "Bevrijdingsdag"),  # every year, not only lustrum years
        (easter + timedelta(days=39), "Hemelvaartsdag"),
        (easter + timedelta(days=50), "Tweede Pinksterdag"),
        (date(year, 12, 25), "Eerste Kerstdag"),
        (date(year, 12, 26), "Tweede Kerstdag"),
    ]
    result: dict[date, str] = {}
    for day, name in entries:
        # Two feestdagen can coincide (e.g. Ascension Day on 5 May, as in 2016): keep both names.
        result[day] = f"{result[day]} / {name}" if day in result else name
    return MappingProxyType(dict(sorted(result.items())))


def feestdagen(year: int) -> dict[date, str]:
    """Return the Atw feestdagen of ``year`` as ``{date: Dutch name}``, in date order.

    These are the *algemeen erkende feestdagen* of Atw art. 3(1) (Nieuwjaarsdag, Tweede
    Paasdag, Koningsdag, 5 mei, Hemelvaartsdag, Tweede Pinksterdag, both Christmas days) plus
    Good Friday (art. 3(2)). 5 May is a feestdag for the Atw in *every* year, not only in the
    lustrum years in which it is a day off in many collective agreements; this is exactly what
    general holiday libraries get wrong. Days declared by royal decree (art. 3(3)) are not
    included: see :func:`declared_days`.

    Easter Sunday and Whit Sunday are not listed: the Act does not name them and they are
    Sundays anyway.
    """
    return dict(_feestdagen_frozen(year))


# --------------------------------------------------------------------------------------------
# Declared days (Atw art. 3(3))
# --------------------------------------------------------------------------------------------


def _check_date(d: object, what: str = "d") -> None:
    # A datetime is a date subclass but never equals a date, so it would silently miss every
    # feestdag and declared day. Refuse it instead of giving a wrong legal answer.
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"{what} must be a datetime.date (not a datetime), got {type(d).__name__}")


def set_declared_days(days: Iterable[date]) -> None:
    """Replace the set of days declared equal to a feestdag by royal decree (Atw art. 3(3)).

    The decree is published in the Staatscourant for three years at a time and typically
    declares bridge days such as the Friday after Ascension Day, or the Monday before / Friday
    after a feestdag on a Tuesday / Thursday. The application calls this at start-up and
    whenever a ``DeclaredDay`` row changes (:func:`vik.core.calendar_sync.load_declared_days_from_db`).
    The whole set is replaced atomically.
    """
    new = frozenset(days)
    for d in new:
        _check_date(d, "declared day")
    global _declared
    _declared = new


def declared_days() -> frozenset[date]:
    """Return the current set of days declared equal to a feestdag (Atw art. 3(3))."""
    return _declared


# --------------------------------------------------------------------------------------------
# Working days
# --------------------------------------------------------------------------------------------


def _is_dies_non(d: date, declared: frozenset[date]) -> bool:
    return d.weekday() >= _SATURDAY or d in _feestdagen_frozen(d.year) or d in declared


def is_dies_non(d: date, *, declared: frozenset[date] | None = None) -> bool:
    """True when ``d`` does not count as a working day for the Atw.

    That is a Saturday or Sunday (art. 1(1)), an algemeen erkende feestdag (art. 3(1)), Good
    Friday (art. 3(2)) or a day declared equal by royal decree (art. 3(3)). ``declared``
    overrides the module store of declared days (useful in tests and for what-if questions).
    """
    _check_date(d)
    return _is_dies_non(d, _declared if declared is None else declared)


def next_working_day(d: date, *, declared: frozenset[date] | None = None) -> date:
    """The first day *strictly after* ``d`` that is not dies non.

    This is "de eerstvolgende dag die niet een zaterdag, zondag of algemeen erkende feestdag
    is" of Atw art. 1(1) when counted from the day after ``d``. For "d itself if it is a
    working day" use :func:`roll_forward`.
    """
    _check_date(d)
    decl = _declared if declared is None else declared
    day = d + _ONE_DAY
    while _is_dies_non(day, decl):
        day += _ONE_DAY
    return day


def roll_forward(d: date, *, declared: frozenset[date] | None = None) -> date:
    """``d`` itself if it is a working day, otherwise the next working day.

    This is the Atw art. 1(1) extension applied to a term ending on ``d``: a term ending on a
    dies non is "verlengd tot en met de eerstvolgende dag" that is none of these.
    """
    _check_date(d)
    decl = _declared if declared is None else declared
    day = d
    while _is_dies_non(day, decl):
        day += _ONE_DAY
    return day


def working_days_between(a: date, b: date, *, declared: frozenset[date] | None = None) -> int:
    """Number of working days (days that are not dies non) in the half-open interval ``(a, b]``.

    With ``a`` the triggering event and ``b`` the end of a term this is the count that
    Atw art. 2 is about (the event day is not part of the term). Returns 0 when ``b <= a``.
    """
    _check_date(a, "a")
    _check_date(b, "b")
    decl = _declared if declared is None else declared
    count = 0
    day = a + _ONE_DAY
    while day <= b:
        if not _is_dies_non(day, decl):
            count += 1
        day += _ONE_DAY
    return count


# --------------------------------------------------------------------------------------------
# Terms
# --------------------------------------------------------------------------------------------


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def add_period(start: date, *, days: int = 0, weeks: int = 0, months: int = 0) -> date:
    """Plain calendar arithmetic: ``start`` plus a period, without any Atw extension.

    Months are added first: the result has the same day number in the target month, or the
    last day of that month when it is shorter (31 January + 1 month = 28/29 February;
    31 March + 1 month = 30 April; 29 February 2028 + 12 months = 28 February 2029). Weeks
    (7 days each) and days are then added to that date. Negative amounts are refused: terms
    counted backwards are outside this module (and outside Atw art. 1, see art. 1(2)).
    """
    _check_date(start, "start")
    if days < 0 or weeks < 0 or months < 0:
        raise ValueError("days, weeks and months must be >= 0")
    return _shift_months(start, months) + timedelta(days=days + 7 * weeks)


def _shift_months(d: date, months: int) -> date:
    """``d`` moved by ``months`` (may be negative): same day number, clamped to the month end."""
    if not months:
        return d
    year, month0 = divmod(d.year * 12 + (d.month - 1) + months, 12)
    month = month0 + 1
    return date(year, month, min(d.day, _days_in_month(year, month)))


def subtract_period(d: date, *, months: int = 0, weeks: int = 0, days: int = 0) -> date:
    """Plain calendar arithmetic backwards: ``d`` minus a period, without any Atw extension.

    The mirror of :func:`add_period`, with the same month rule: months are subtracted first and
    land on the same day number in the target month, or on its last day when that month is
    shorter (31 March - 1 month = 28/29 February; 29 February 2028 - 12 months = 28 February
    2027). Weeks (7 days each) and days are then subtracted from that date. Use it for look-back
    windows such as "received in the last 12 months"; it is not a statutory term (Atw art. 1(2)
    does not apply the Act to terms counted backwards). Negative amounts are refused.
    """
    _check_date(d, "d")
    if days < 0 or weeks < 0 or months < 0:
        raise ValueError("days, weeks and months must be >= 0")
    return _shift_months(d, -months) - timedelta(days=days + 7 * weeks)


def term_end(
    start: date,
    *,
    days: int = 0,
    weeks: int = 0,
    months: int = 0,
    atw: bool = True,
    declared: frozenset[date] | None = None,
) -> date:
    """The last day on which an act is still in time, for a term triggered by ``start``.

    ``start`` is the triggering event (e.g. the day of bekendmaking). The term runs from the
    next day (Awb 6:8 style), so the plain end is :func:`add_period` of ``start``: six weeks
    after a bekendmaking on Tuesday 2 January 2024 ends on Tuesday 13 February 2024.

    With ``atw=False`` the plain end is returned (terms set by policy or by the decision
    itself, terms excluded by Atw art. 4 or by a special law).

    With ``atw=True`` (the default, for terms "in een wet gesteld"):

    * Atw art. 1(1): if the plain end is dies non, the term is extended to and including the
      next day that is not (:func:`roll_forward`).
    * Atw art. 2: if the term is at least three days long (measured as the plain term, i.e.
      ``plain_end - start``), it is extended as far as needed so that ``(start, end]``
      contains at least two working days; the smallest such end is the second working day
      after ``start``.

    Both extensions give a lower bound for the end and each bound is a working day, so the
    result is the later of the two; the order in which the articles are applied does not
    matter. Example of art. 2 going beyond art. 1: event on Thursday 2 April 2026, a 3-day
    term ends on Easter Sunday 5 April; art. 1 gives Tuesday 7 April (Easter Monday is a
    feestdag), but then the term holds only one working day, so art. 2 extends it to
    Wednesday 8 April.

    A zero-length term (no period given) ends on ``start`` itself, subject to art. 1.
    ``declared`` overrides the module store of art. 3(3) declared days.
    """
    plain = add_period(start, days=days, weeks=weeks, months=months)
    if not atw:
        return plain
    decl = _declared if declared is None else declared
    end = roll_forward(plain, declared=decl)  # art. 1(1)
    if (plain - start).days >= _ART2_MIN_TERM_DAYS:  # art. 2
        nth_working_day = start
        for _ in range(_ART2_MIN_WORKING_DAYS):
            nth_working_day = next_working_day(nth_working_day, declared=decl)
        end = max(end, nth_working_day)
    return end
