"""RetentionRule.anchor_cutoff: the latest anchor whose plain retention end is on or before today.

Providers pre-filter records on ``anchor <= cutoff`` before the sweep re-checks each one, so a
cutoff that is one day too early keeps personal data longer than the rule allows, and one day
too late offers records for destruction that are not yet due. The direct computation must give
exactly the answer of a day-by-day search, including the month-end clamping of add_period
(31 January + 1 month = 28 February)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from vik.core.calendar import add_period
from vik.privacy.constants import PeriodUnit
from vik.privacy.models import RetentionRule


def _day_by_day_cutoff(rule: RetentionRule, today: date) -> date:
    """The previous implementation: a linear search with add_period (the reference)."""
    kwargs = rule._kwargs()
    guess = today - timedelta(
        days=kwargs.get("days", 0) + 7 * kwargs.get("weeks", 0) + 31 * kwargs.get("months", 0)
    )
    while add_period(guess + timedelta(days=1), **kwargs) <= today:
        guess += timedelta(days=1)
    while add_period(guess, **kwargs) > today:
        guess -= timedelta(days=1)
    return guess


@pytest.mark.parametrize(
    ("value", "unit"),
    [
        (1, PeriodUnit.DAYS),
        (30, PeriodUnit.DAYS),
        (6, PeriodUnit.WEEKS),
        (1, PeriodUnit.MONTHS),
        (6, PeriodUnit.MONTHS),
        (13, PeriodUnit.MONTHS),
        (1, PeriodUnit.YEARS),
        (5, PeriodUnit.YEARS),
    ],
)
def test_anchor_cutoff_equals_day_by_day_search(value: int, unit: str) -> None:
    rule = RetentionRule(code="t", label="t", period_value=value, period_unit=unit)
    today = date(2027, 1, 1)
    while today <= date(2029, 3, 31):  # every day, across the leap day of 2028 and all month ends
        cutoff = rule.anchor_cutoff(today)
        assert cutoff == _day_by_day_cutoff(rule, today), (value, unit, today)
        assert (
            add_period(cutoff, **rule._kwargs())
            <= today
            < add_period(cutoff + timedelta(days=1), **rule._kwargs())
        )
        today += timedelta(days=1)


def test_anchor_cutoff_month_end_takes_the_whole_clamped_tail() -> None:
    # On 28 February 2027 a one-month term has ended for anchors up to and including 31 January
    # (29, 30 and 31 January + 1 month are all clamped to 28 February).
    rule = RetentionRule(code="t", label="t", period_value=1, period_unit=PeriodUnit.MONTHS)
    assert rule.anchor_cutoff(date(2027, 2, 28)) == date(2027, 1, 31)
    assert rule.anchor_cutoff(date(2027, 2, 27)) == date(2027, 1, 27)
    # Seven years from a leap day: 29 February 2028 + 84 months = 28 February 2035.
    seven = RetentionRule(code="t", label="t", period_value=7, period_unit=PeriodUnit.YEARS)
    assert seven.anchor_cutoff(date(2035, 2, 28)) == date(2028, 2, 29)
