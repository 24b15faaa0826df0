"""The Bibob terms (pure): decision term, LBB suspension 8 + at most 4 weeks, follow-up questions,
repair term; edge cases around Easter, Ascension Day and Christmas (Atw)."""

from datetime import date

import pytest

from bibob import deadlines as D

FAR = date(2027, 1, 1)  # a 'today' long after every event


class TestLbbAdviceDue:
    def test_eight_weeks_from_the_day_after_the_request(self):
        # Monday 12 January 2026 + 8 weeks = Monday 9 March 2026, a working day
        assert D.lbb_advice_due(date(2026, 1, 12), today=FAR) == date(2026, 3, 9)

    def test_ending_on_easter_monday_moves_to_tuesday(self):
        # 9 Feb 2026 + 56 days = Easter Monday 6 April 2026 (Atw art. 3) -> Tuesday 7 April
        assert D.lbb_advice_due(date(2026, 2, 9), today=FAR) == date(2026, 4, 7)

    def test_ending_on_good_friday_skips_the_whole_easter_weekend(self):
        # 6 Feb 2026 + 56 = Good Friday 3 April; Sat, Sun, Easter Monday follow -> Tuesday 7 April
        assert D.lbb_advice_due(date(2026, 2, 6), today=FAR) == date(2026, 4, 7)

    def test_ending_on_second_christmas_day_moves_past_the_weekend(self):
        # 31 Oct 2025 + 56 = Friday 26 December 2025 -> Monday 29 December
        assert D.lbb_advice_due(date(2025, 10, 31), today=FAR) == date(2025, 12, 29)

    def test_extension_of_four_weeks_ending_on_ascension_day(self):
        # 19 Feb 2026: 8 weeks -> Thursday 16 April; 12 weeks -> Ascension Day 14 May -> Friday 15 May
        assert D.lbb_advice_due(date(2026, 2, 19), today=FAR) == date(2026, 4, 16)
        assert D.lbb_advice_due(date(2026, 2, 19), extension_weeks=4, today=FAR) == date(2026, 5, 15)

    def test_a_declared_bridge_day_also_counts(self, monkeypatch):
        from vik.core import calendar

        monkeypatch.setattr(calendar, "_declared", frozenset({date(2026, 5, 15)}))
        assert D.lbb_advice_due(date(2026, 2, 19), extension_weeks=4, today=FAR) == date(2026, 5, 18)

    @pytest.mark.parametrize("weeks", [-1, 5, 8, 12])
    def test_extension_beyond_four_weeks_is_refused(self, weeks):
        with pytest.raises(ValueError):
            D.lbb_advice_due(date(2026, 2, 9), extension_weeks=weeks, today=FAR)

    def test_follow_up_questions_add_their_days(self):
        # 9 Feb + 56 + 10 days (questions 2-12 March) = Thursday 16 April
        follow = [D.Period(date(2026, 3, 2), date(2026, 3, 12))]
        assert D.lbb_advice_due(date(2026, 2, 9), follow_up=follow, today=FAR) == date(2026, 4, 16)

    def test_follow_up_questions_can_push_the_end_onto_easter(self):
        # 30 Jan + 56 = Friday 27 March; plus 7 follow-up days = Good Friday 3 April -> Tuesday 7 April
        follow = [D.Period(date(2026, 2, 10), date(2026, 2, 17))]
        assert D.lbb_advice_due(date(2026, 1, 30), follow_up=follow, today=FAR) == date(2026, 4, 7)

    def test_open_follow_up_questions_keep_pushing_until_today(self):
        follow = [D.Period(date(2026, 3, 2), None)]
        assert D.lbb_advice_due(date(2026, 1, 12), follow_up=follow, today=date(2026, 3, 5)) == date(
            2026, 3, 12
        )
        assert D.lbb_advice_due(date(2026, 1, 12), follow_up=follow, today=date(2026, 3, 6)) == date(
            2026, 3, 13
        )

    def test_hard_stop_is_twelve_weeks(self):
        assert D.lbb_latest_end(date(2026, 2, 9), today=FAR) == date(2026, 5, 4)

    def test_hard_stop_is_a_length_not_moved_by_the_atw(self):
        # Mon 2 Mar 2026 + 84 days = Whit Monday 25 May 2026: the suspension ends then all the same
        assert D.lbb_latest_end(date(2026, 3, 2), today=FAR) == date(2026, 5, 25)

    def test_lengths_come_from_the_rule_rows(self):
        # a rule table saying 6 + 2 weeks gives a hard stop of 56 days
        assert D.lbb_latest_end(
            date(2026, 2, 9), today=FAR, suspension_weeks=6, max_extension_weeks=2
        ) == date(2026, 4, 6)


class TestLbbSuspension:
    def test_until_the_advice_arrives(self):
        period = D.lbb_suspension(date(2026, 2, 9), received_on=date(2026, 4, 1), today=FAR)
        assert period == D.Period(date(2026, 2, 9), date(2026, 4, 1), "lbb")
        assert D.days_suspended([period], today=FAR) == 51

    def test_late_advice_suspends_at_most_56_days_even_over_easter(self):
        # Wet Bibob art. 31: at most eight weeks, a length of time: 9 Feb + 56 days = Easter
        # Monday 6 April. The Atw does not lengthen a suspension; advice on 20 April counts
        # only until 6 April.
        period = D.lbb_suspension(date(2026, 2, 9), received_on=date(2026, 4, 20), today=FAR)
        assert period.end == date(2026, 4, 6)
        assert D.days_suspended([period], today=FAR) == 56

    def test_without_advice_the_suspension_ends_after_twelve_weeks_at_most(self):
        period = D.lbb_suspension(date(2026, 2, 9), extension_weeks=4, today=FAR)
        assert period.end == date(2026, 5, 4)
        assert D.days_suspended([period], today=FAR) == 84

    def test_running_while_the_lbb_is_in_time(self):
        period = D.lbb_suspension(date(2026, 2, 9), today=date(2026, 3, 1))
        assert period.end is None

    def test_on_the_last_day_the_suspension_has_reached_its_maximum(self):
        period = D.lbb_suspension(date(2026, 2, 9), today=date(2026, 4, 6))
        assert period.end == date(2026, 4, 6)

    def test_follow_up_days_lengthen_the_suspension(self):
        follow = [D.Period(date(2026, 3, 2), date(2026, 3, 12))]
        period = D.lbb_suspension(date(2026, 2, 9), follow_up=follow, today=FAR)
        assert D.days_suspended([period], today=FAR) == 66


class TestRepairSuspension:
    def test_from_the_day_after_the_invitation_until_completion(self):
        period = D.repair_suspension(
            date(2026, 1, 20), repair_due=date(2026, 2, 3), completed_on=date(2026, 1, 27), today=FAR
        )
        assert D.days_suspended([period], today=FAR) == 6

    def test_unused_repair_term_stops_at_its_end(self):
        period = D.repair_suspension(date(2026, 1, 20), repair_due=date(2026, 2, 3), today=FAR)
        assert period.end == date(2026, 2, 3)


class TestDecisionDeadline:
    def test_eight_weeks_without_suspension(self):
        term = D.decision_deadline(date(2026, 1, 12), weeks=8, today=date(2026, 3, 1))
        assert term.deadline == date(2026, 3, 9)
        assert term.remaining_days == 8
        assert term.suspended_days == 0

    def test_plain_term_over_christmas(self):
        term = D.decision_deadline(date(2025, 10, 31), weeks=8, today=date(2025, 12, 1))
        assert term.deadline == date(2025, 12, 29)

    def test_lbb_advice_suspends_the_decision_term(self):
        lbb = D.lbb_suspension(date(2026, 2, 9), received_on=date(2026, 4, 1), today=FAR)
        term = D.decision_deadline(date(2026, 1, 12), weeks=8, suspensions=[lbb], today=date(2026, 4, 20))
        # 9 March + 51 days = Wednesday 29 April
        assert term.plain_end == date(2026, 3, 9)
        assert term.deadline == date(2026, 4, 29)
        assert term.remaining_days == 9

    def test_silent_lbb_with_extension_suspends_twelve_weeks(self):
        lbb = D.lbb_suspension(date(2026, 2, 9), extension_weeks=4, today=date(2026, 5, 20))
        term = D.decision_deadline(date(2026, 1, 12), weeks=8, suspensions=[lbb], today=date(2026, 5, 20))
        assert term.deadline == date(2026, 6, 1)  # 9 March + 84 days
        assert not term.running_suspension

    def test_suspension_pushing_the_deadline_onto_whit_monday(self):
        # application 12 Jan 2026, 8 weeks -> 9 March; 77 suspended days -> Whit Monday 25 May -> 26 May
        lbb = D.Period(date(2026, 2, 9), date(2026, 4, 27))
        term = D.decision_deadline(date(2026, 1, 12), weeks=8, suspensions=[lbb], today=FAR)
        assert term.suspended_days == 77
        assert term.deadline == date(2026, 5, 26)

    def test_follow_up_inside_the_lbb_period_is_not_counted_twice(self):
        follow = D.Period(date(2026, 3, 2), date(2026, 3, 12))
        lbb = D.lbb_suspension(date(2026, 2, 9), received_on=date(2026, 4, 1), follow_up=[follow], today=FAR)
        term = D.decision_deadline(date(2026, 1, 12), weeks=8, suspensions=[lbb, follow], today=FAR)
        assert term.suspended_days == 51

    def test_repair_and_lbb_add_up(self):
        repair = D.repair_suspension(
            date(2026, 1, 20), repair_due=date(2026, 2, 3), completed_on=date(2026, 1, 27), today=FAR
        )
        lbb = D.lbb_suspension(date(2026, 2, 9), received_on=date(2026, 4, 1), today=FAR)
        term = D.decision_deadline(date(2026, 1, 12), weeks=8, suspensions=[repair, lbb], today=FAR)
        assert term.suspended_days == 57
        assert term.deadline == date(2026, 5, 5 + 1)  # 9 March + 57 = Tuesday 5 May (feestdag) -> 6 May

    def test_remaining_days_stand_still_during_a_running_suspension(self):
        running = D.Period(date(2026, 2, 9), None)
        first = D.decision_deadline(date(2026, 1, 12), weeks=8, suspensions=[running], today=date(2026, 3, 2))
        later = D.decision_deadline(
            date(2026, 1, 12), weeks=8, suspensions=[running], today=date(2026, 3, 10)
        )
        assert first.running_suspension and later.running_suspension
        assert first.remaining_days == later.remaining_days == 28

    def test_policy_term_without_atw_may_end_on_a_sunday(self):
        assert D.simple_term_end(date(2026, 3, 22), days=14, atw=False) == date(2026, 4, 5)
        assert D.simple_term_end(date(2026, 3, 22), days=14, atw=True) == date(2026, 4, 7)

    def test_objection_window_six_weeks_over_christmas(self):
        # bekendmaking Friday 14 November 2025 + 6 weeks = Friday 26 December -> Monday 29 December
        assert D.simple_term_end(date(2025, 11, 14), weeks=6) == date(2025, 12, 29)

    def test_a_suspension_cannot_end_before_it_starts(self):
        with pytest.raises(ValueError):
            D.Period(date(2026, 3, 2), date(2026, 3, 1))


class TestSuspensionProperty:
    """Wet Bibob art. 31: never longer than 8 (+ at most 4) weeks plus the follow-up days."""

    def test_never_longer_than_its_maximum(self):
        from hypothesis import given, settings
        from hypothesis import strategies as st

        @settings(max_examples=300, deadline=None)
        @given(
            requested=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
            received_after=st.one_of(st.none(), st.integers(min_value=0, max_value=200)),
            extension=st.integers(min_value=0, max_value=4),
            follow=st.lists(
                st.tuples(st.integers(min_value=0, max_value=80), st.integers(min_value=0, max_value=30)),
                max_size=3,
            ),
            today_after=st.integers(min_value=0, max_value=300),
        )
        def check(requested, received_after, extension, follow, today_after):
            from datetime import timedelta

            follow_up = [
                D.Period(requested + timedelta(days=a), requested + timedelta(days=a + n)) for a, n in follow
            ]
            received = requested + timedelta(days=received_after) if received_after is not None else None
            today = requested + timedelta(days=today_after)
            period = D.lbb_suspension(
                requested, received_on=received, extension_weeks=extension, follow_up=follow_up, today=today
            )
            extra = D.days_suspended(follow_up, today=today)
            assert D.days_suspended([period], today=today) <= 56 + 7 * extension + extra

        check()
