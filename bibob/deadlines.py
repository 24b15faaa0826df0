"""Pure term arithmetic of the Bibob procedure (no ORM; STYLE rule 7).

Every function takes explicit dates (``today`` included) and returns dates; the services feed it
the events of a dossier and the lengths of the ``DeadlineRule`` rows, and show what it returns.

Conventions
-----------
* A *suspension* (opschorting) is a half-open period of days ``[start, end)``: ``start`` is the
  first day on which the term stands still, ``end`` the day on which it runs again. The number
  of suspended days is ``end - start``. ``end=None`` means the suspension is still running; it is
  then counted up to ``today``.
* Overlapping suspensions are counted once (union of the periods): the LBB's follow-up questions
  fall inside the LBB suspension and must not add twice.
* The decision term (Awb 4:13: 8 weeks when the law sets none) runs from the day after receipt of
  the application (Awb 6:8 style, :func:`vik.core.calendar.term_end`), is extended by the
  suspended days, and the end is then extended under the Atw (art. 1: a Saturday, Sunday or
  feestdag moves to the next working day) when the rule says the Atw applies.

The suspensions that Bibob knows:

* **Repair** of an incomplete application or questionnaire (Awb 4:5 with 4:15(1)(a)): from the day
  after the invitation to complete, until the day it is completed or the repair term has passed
  unused.
* **LBB advice** (Wet Bibob art. 31): from the day the advice is requested until the day it is
  received, but at most 8 weeks, extendable once by at most 4 weeks: at most 56 (84) days even
  without advice. The suspension is a length of time, not a term to act, so the Atw does not
  lengthen it (an 8-week suspension ending on Easter Monday ends on Easter Monday). While the
  applicant answers the LBB's follow-up questions the suspension lasts longer by those days.
  The lengths come from the rule rows (``bibob.rules``); the constants here are fallbacks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from vik.core.calendar import term_end

#: Fallbacks only: the lengths come from the rule rows ``bibob_lbb_advies`` (art. 15),
#: ``bibob_lbb_opschorting`` (art. 31) and ``bibob_lbb_verlenging`` (at most 4 weeks).
LBB_ADVICE_WEEKS = 8
LBB_MAX_EXTENSION_WEEKS = 4
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A suspension ``[start, end)``; ``end=None`` while it is still running."""

    start: date
    end: date | None = None
    kind: str = ""

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError("A suspension cannot end before it starts.")


@dataclass(frozen=True)
class DecisionTerm:
    plain_end: date  # the decision deadline without any suspension
    deadline: date  # the last day on which the decision is still in time
    suspended_days: int
    running_suspension: bool  # the term stands still today
    remaining_days: int  # deadline - today; negative when the term has passed


def _closed(period: Period, today: date) -> tuple[date, date]:
    end = period.end if period.end is not None else max(today, period.start)
    return period.start, end


def days_suspended(periods: Iterable[Period], *, today: date) -> int:
    """Days in the union of the periods (a running period counts up to ``today``)."""
    spans = sorted(_closed(p, today) for p in periods)
    total = 0
    cur_start: date | None = None
    cur_end: date | None = None
    for start, end in spans:
        if cur_end is None or start > cur_end:
            if cur_end is not None and cur_start is not None:
                total += (cur_end - cur_start).days
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    if cur_end is not None and cur_start is not None:
        total += (cur_end - cur_start).days
    return total


def check_extension(extension_weeks: int, max_weeks: int = LBB_MAX_EXTENSION_WEEKS) -> None:
    if extension_weeks < 0 or extension_weeks > max_weeks:
        raise ValueError(f"The LBB term can be extended by at most {max_weeks} weeks.")


def lbb_advice_due(
    requested_on: date,
    *,
    extension_weeks: int = 0,
    follow_up: Iterable[Period] = (),
    today: date,
    advice_weeks: int = LBB_ADVICE_WEEKS,
    max_extension_weeks: int = LBB_MAX_EXTENSION_WEEKS,
) -> date:
    """The last day on which the LBB's advice is in time (Wet Bibob art. 15, a term for the LBB
    to act, so the Atw applies): 8 weeks (+ the extension) from the day after the request, plus
    the days the applicant took to answer follow-up questions. Informational: the decision term
    is suspended by :func:`lbb_suspension`, a length of time."""
    check_extension(extension_weeks, max_extension_weeks)
    extra = days_suspended(follow_up, today=today)
    return term_end(requested_on, weeks=advice_weeks + extension_weeks, days=extra, atw=True)


def lbb_max_suspension_days(
    *,
    extension_weeks: int = 0,
    suspension_weeks: int = LBB_ADVICE_WEEKS,
    max_extension_weeks: int = LBB_MAX_EXTENSION_WEEKS,
) -> int:
    """Wet Bibob art. 31: the decision term is suspended for at most ``suspension_weeks`` (8)
    weeks, plus the extension of at most ``max_extension_weeks`` (4): 56 or 84 days. A length
    of time, so never lengthened by the Atw."""
    check_extension(extension_weeks, max_extension_weeks)
    return 7 * (suspension_weeks + extension_weeks)


def lbb_latest_end(
    requested_on: date,
    *,
    follow_up: Iterable[Period] = (),
    today: date,
    suspension_weeks: int = LBB_ADVICE_WEEKS,
    max_extension_weeks: int = LBB_MAX_EXTENSION_WEEKS,
) -> date:
    """The hard stop: the day the decision term runs again at the latest, with or without
    advice: the request day + 84 days (8 + 4 weeks from the rule rows) + follow-up days."""
    days = lbb_max_suspension_days(
        extension_weeks=max_extension_weeks,
        suspension_weeks=suspension_weeks,
        max_extension_weeks=max_extension_weeks,
    )
    return requested_on + timedelta(days=days + days_suspended(follow_up, today=today))


def lbb_suspension(
    requested_on: date,
    *,
    received_on: date | None = None,
    extension_weeks: int = 0,
    follow_up: Iterable[Period] = (),
    today: date,
    advice_weeks: int = LBB_ADVICE_WEEKS,
    max_extension_weeks: int = LBB_MAX_EXTENSION_WEEKS,
) -> Period:
    """The decision-term suspension caused by an LBB request (Wet Bibob art. 31).

    It runs from the request day until the advice is received, but at most 8 weeks (+ the
    extension, at most 4) = 56 (84) days, plus the days the applicant takes to answer follow-up
    questions. A length of time, not a deadline to act: the Atw does not lengthen it (an 8-week
    suspension from 9 February 2026 ends on Easter Monday 6 April, not on the Tuesday).
    ``advice_weeks`` is the art. 31 length from the rule row ``bibob_lbb_opschorting``.
    """
    follow_up = list(follow_up)
    days = lbb_max_suspension_days(
        extension_weeks=extension_weeks,
        suspension_weeks=advice_weeks,
        max_extension_weeks=max_extension_weeks,
    )
    cap = requested_on + timedelta(days=days + days_suspended(follow_up, today=today))
    if received_on is not None:
        return Period(requested_on, min(max(received_on, requested_on), cap), "lbb")
    if today >= cap:
        return Period(requested_on, cap, "lbb")
    return Period(requested_on, None, "lbb")


def repair_suspension(
    invited_on: date, *, repair_due: date, completed_on: date | None = None, today: date
) -> Period:
    """Awb 4:15(1)(a): from the day after the invitation to complete the application until the
    day it is completed, or the day on which the repair term passes unused."""
    start = invited_on + _ONE_DAY
    cap = max(start, repair_due)
    if completed_on is not None:
        return Period(start, max(start, min(completed_on, cap)), "repair")
    if today >= cap:
        return Period(start, cap, "repair")
    return Period(start, None, "repair")


def decision_deadline(
    application_date: date,
    *,
    days: int = 0,
    weeks: int = 0,
    months: int = 0,
    atw: bool = True,
    suspensions: Iterable[Period] = (),
    today: date,
) -> DecisionTerm:
    """The decision deadline and the remaining days, recomputed from the events.

    ``days/weeks/months`` and ``atw`` come from the decision-term rule of the underlying regime
    (8 weeks with Atw when the law sets none, Awb 4:13).
    """
    suspensions = list(suspensions)
    suspended = days_suspended(suspensions, today=today)
    running = any(p.end is None and p.start <= today for p in suspensions)
    plain = term_end(application_date, days=days, weeks=weeks, months=months, atw=atw)
    deadline = term_end(application_date, days=days + suspended, weeks=weeks, months=months, atw=atw)
    return DecisionTerm(
        plain_end=plain,
        deadline=deadline,
        suspended_days=suspended,
        running_suspension=running,
        remaining_days=(deadline - today).days,
    )


def simple_term_end(start: date, *, days: int = 0, weeks: int = 0, months: int = 0, atw: bool = True) -> date:
    """A term without suspension (repair term, zienswijze, objection): a thin alias of the calendar
    so that the services import every Bibob date rule from this module."""
    return term_end(start, days=days, weeks=weeks, months=months, atw=atw)
