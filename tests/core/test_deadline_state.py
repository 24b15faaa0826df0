"""The one deadline-state function: an overdue term is never shown as upcoming, "today" is the
Amsterdam calendar day (also just after midnight), and short terms over a weekend or a feestdag
say how many working days are left."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from django.template import Context, Template

from vik.core.deadline_state import (
    DONE,
    LATER,
    OVERDUE,
    SOON,
    TODAY,
    amsterdam_today,
    count_states,
    deadline_state,
)


def test_a_passed_term_is_overdue_with_how_long_ago():
    s = deadline_state(date(2026, 3, 2), today=date(2026, 3, 5))
    assert s.code == OVERDUE
    assert s.is_overdue and s.tone == "danger"
    assert s.days == -3
    assert s.label == "verstreken, 3 dagen geleden"


@pytest.mark.parametrize(
    ("due", "label"),
    [
        (date(2026, 3, 4), "verstreken, gisteren"),
        (date(2026, 2, 12), "verstreken, 3 weken geleden"),
        (date(2025, 12, 1), "verstreken, 3 maanden geleden"),
    ],
)
def test_how_long_ago_reads_naturally(due, label):
    assert deadline_state(due, today=date(2026, 3, 5)).label == label


def test_the_last_day_is_today_not_overdue():
    s = deadline_state(date(2026, 3, 5), today=date(2026, 3, 5))
    assert (s.code, s.label, s.tone) == (TODAY, "vandaag", "warn")


def test_within_the_horizon_is_soon_beyond_it_later():
    assert deadline_state(date(2026, 3, 6), today=date(2026, 3, 5)).label == "morgen"
    s = deadline_state(date(2026, 3, 19), today=date(2026, 3, 5))
    assert (s.code, s.label) == (SOON, "binnen 14 dagen")
    s = deadline_state(date(2026, 3, 20), today=date(2026, 3, 5))
    assert (s.code, s.label) == (LATER, "over 15 dagen")
    assert deadline_state(date(2026, 3, 20), today=date(2026, 3, 5), soon_days=30).code == SOON


def test_done_wins_over_a_passed_date():
    s = deadline_state(date(2020, 1, 1), today=date(2026, 3, 5), done=True)
    assert (s.code, s.label, s.is_open) == (DONE, "afgehandeld", False)


def test_a_term_ending_monday_seen_on_friday_leaves_one_working_day():
    # Friday 6 March 2026 -> Monday 9 March: three calendar days, one working day.
    s = deadline_state(date(2026, 3, 9), today=date(2026, 3, 6))
    assert s.label == "binnen 3 dagen"
    assert s.detail == "nog 1 werkdag"


def test_a_friday_term_seen_on_monday_is_three_days_overdue():
    s = deadline_state(date(2026, 3, 6), today=date(2026, 3, 9))
    assert s.code == OVERDUE and s.label == "verstreken, 3 dagen geleden"


def test_feestdagen_are_not_working_days_in_the_detail():
    # Thursday 24 Dec 2026 -> Monday 28 Dec: Christmas (25th, 26th) and the weekend in between.
    s = deadline_state(date(2026, 12, 28), today=date(2026, 12, 24))
    assert s.label == "binnen 4 dagen"
    assert s.detail == "nog 1 werkdag"
    # Koningsdag 2026 (Monday 27 April) does not count either.
    assert deadline_state(date(2026, 4, 28), today=date(2026, 4, 24)).detail == "nog 1 werkdag"


def test_today_is_the_amsterdam_date_just_after_midnight():
    # 23:30 UTC on 31 December is 00:30 on 1 January in Amsterdam (CET, UTC+1).
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), tick=False):
        assert amsterdam_today() == date(2027, 1, 1)
        assert deadline_state(date(2026, 12, 31)).code == OVERDUE
        assert deadline_state(date(2027, 1, 1)).code == TODAY


def test_today_is_the_amsterdam_date_in_summer_time_just_before_midnight():
    # 21:59 UTC on 30 June is 23:59 in Amsterdam (CEST, UTC+2): still the 30th, the last day.
    with time_machine.travel(datetime(2026, 6, 30, 21, 59, tzinfo=UTC), tick=False):
        assert deadline_state(date(2026, 6, 30)).code == TODAY
    # two minutes later it is 1 July in Amsterdam and the term has passed
    with time_machine.travel(datetime(2026, 6, 30, 22, 1, tzinfo=UTC), tick=False):
        assert deadline_state(date(2026, 6, 30)).label == "verstreken, gisteren"


def test_a_datetime_due_counts_by_its_amsterdam_date():
    due = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # 00:30 on 5 March in Amsterdam
    assert deadline_state(due, today=date(2026, 3, 5)).code == TODAY


def test_counts_count_what_the_label_says():
    today = date(2026, 3, 5)
    states = [
        deadline_state(date(2026, 2, 1), today=today),
        deadline_state(date(2026, 3, 5), today=today),
        deadline_state(date(2026, 3, 10), today=today),
        deadline_state(date(2026, 3, 1), today=today, done=True),
    ]
    counts = count_states(states)
    assert counts == {DONE: 1, OVERDUE: 1, TODAY: 1, SOON: 1, LATER: 0}


def test_template_tag_renders_the_date_and_a_red_state():
    html = Template("{% load vik_deadlines %}{% deadline due %}").render(
        Context({"due": date(2026, 3, 2), "today": date(2026, 3, 5)})
    )
    assert "02-03-2026" in html
    assert 'data-deadline-state="overdue"' in html
    assert "vik-tag--danger" in html
    assert "verstreken, 3 dagen geleden" in html


def test_one_dutch_date_format_also_for_iso_strings_in_answers():
    html = Template("{% load vik_human %}{{ a|nl_date }} {{ b|nl_date }} {{ c|nl_date }}").render(
        Context({"a": "2026-03-02", "b": date(2026, 12, 24), "c": "niet bekend"})
    )
    assert html == "02-03-2026 24-12-2026 niet bekend"


def test_numbers_the_dutch_way():
    html = Template(
        "{% load vik_human %}{{ a|nl_number }} {{ b|nl_number }} {{ c|nl_number }} {{ d|nl_number }}"
    ).render(Context({"a": 1000, "b": 1234567, "c": 999, "d": "geen"}))
    assert html == "1.000 1.234.567 999 geen"
