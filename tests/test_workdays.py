"""The working-day calendar: Monday–Friday, minus statutory holidays, plus make-up days.

Expected dates are worked out by hand from the State Council General Office's holiday
notices (国务院办公厅关于2024/2025/2026年部分节假日安排的通知), not by calling the code
under test.
"""

import dataclasses
import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxgk.workdays import (
    DayOverride,
    UnknownYearError,
    WorkCalendar,
    add_working_days,
    holiday_name,
    is_working_day,
    shipped_calendar,
    working_days_between,
)

D = dt.date.fromisoformat


# ---- Single days ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        ("2026-02-13", True, "Friday before the 2026 Spring Festival"),
        ("2026-02-14", True, "Saturday made a working day (2026 Spring Festival)"),
        ("2026-02-16", False, "Monday in the 2026 Spring Festival holiday (15–23 Feb)"),
        ("2026-02-23", False, "last day of the 2026 Spring Festival holiday"),
        ("2026-02-24", True, "first working day after it"),
        ("2026-02-28", True, "Saturday made a working day (2026 Spring Festival)"),
        ("2026-03-01", False, "an ordinary Sunday"),
        ("2026-09-20", True, "Sunday made a working day (2026 National Day)"),
        ("2026-09-25", False, "Mid-Autumn Festival 2026, a Friday"),
        ("2026-10-08", True, "first working day after the 2026 National Day holiday"),
        ("2026-10-10", True, "Saturday made a working day (2026 National Day)"),
        ("2025-01-26", True, "Sunday made a working day (2025 Spring Festival)"),
        ("2025-02-04", False, "last day of the 2025 Spring Festival holiday (28 Jan–4 Feb)"),
        ("2025-02-08", True, "Saturday made a working day (2025 Spring Festival)"),
        ("2025-10-08", False, "last day of the 2025 National Day and Mid-Autumn holiday"),
        ("2025-10-11", True, "Saturday made a working day (2025 National Day)"),
        ("2024-02-09", True, "Lunar New Year's Eve 2024: officially a working day"),
        ("2024-02-18", True, "Sunday made a working day (2024 Spring Festival)"),
        ("2024-09-14", True, "Saturday made a working day (2024 Mid-Autumn)"),
        ("2024-10-07", False, "last day of the 2024 National Day holiday"),
        ("2024-10-12", True, "Saturday made a working day (2024 National Day)"),
    ],
)
def test_a_day_is_a_working_day_as_the_state_council_notice_says(day, working, why):
    assert is_working_day(D(day)) is working, why


def test_the_shipped_calendar_agrees_with_chinese_calendar_on_every_day_it_covers():
    calendar = shipped_calendar()
    day, last = dt.date(2004, 1, 1), dt.date(2026, 12, 31)
    while day <= last:
        assert calendar.is_working_day(day) is chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_listed_days_carry_their_chinese_name_and_source():
    assert holiday_name(D("2026-02-16")) == "春节"
    assert holiday_name(D("2026-02-14")) == "调休上班（春节）"
    assert holiday_name(D("2026-11-02")) is None
    entry = shipped_calendar().entry(D("2025-10-01"))
    assert entry.source.startswith("chinese-calendar")


# ---- Periods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        # The spec's own example: no holidays in between.
        ("2026-11-02", 20, "2026-11-30"),
        # Starting on a holiday: the count still begins the next day (次日起算); the
        # chinese_calendar package's find_workday would say 2026-10-30.
        ("2026-09-25", 20, "2026-10-29"),
        # 2026 Spring Festival: Sat 14 Feb works, 15–23 Feb off, Sat 28 Feb works.
        ("2026-02-12", 5, "2026-02-26"),
        ("2026-02-10", 20, "2026-03-16"),
        # 2025 Spring Festival: Sun 26 Jan works, 28 Jan–4 Feb off, Sat 8 Feb works.
        ("2025-01-20", 20, "2025-02-21"),
        # 2025 National Day: Sun 28 Sep works, 1–8 Oct off, Sat 11 Oct works.
        ("2025-09-26", 20, "2025-10-30"),
        # 2024 Spring Festival: Sun 4 Feb works, 10–17 Feb off, Sun 18 Feb works.
        ("2024-02-01", 20, "2024-03-05"),
        # 2024 Mid-Autumn and National Day: Sat 14 Sep works, 15–17 Sep off, Sun 29 Sep
        # works, 1–7 Oct off, Sat 12 Oct works.
        ("2024-09-13", 20, "2024-10-17"),
    ],
)
def test_n_working_days_from_a_date_start_the_next_day(start, n, end):
    assert add_working_days(D(start), n) == D(end)
    assert working_days_between(D(start), D(end)) == n


def test_zero_working_days_from_a_date_is_that_date_even_on_a_holiday():
    assert add_working_days(D("2026-10-01"), 0) == D("2026-10-01")


def test_a_negative_period_is_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D("2026-11-02"), -1)


def test_working_days_between_counts_the_end_but_not_the_start():
    # Mon 2 Nov to Fri 6 Nov 2026: Tue, Wed, Thu, Fri.
    assert working_days_between(D("2026-11-02"), D("2026-11-06")) == 4
    assert working_days_between(D("2026-11-06"), D("2026-11-06")) == 0


def test_working_days_between_goes_negative_backwards_so_days_left_can_go_below_zero():
    assert working_days_between(D("2026-11-06"), D("2026-11-02")) == -4


def test_a_datetime_is_refused_rather_than_silently_missing_the_holiday_table():
    with pytest.raises(TypeError):
        is_working_day(dt.datetime(2026, 10, 1, 9, 0))


known_dates = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 9, 30))


@given(start=known_dates, n=st.integers(min_value=0, max_value=60))
def test_adding_then_measuring_gives_the_same_number_of_working_days(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n


@given(start=known_dates, n=st.integers(min_value=1, max_value=60))
def test_a_period_of_at_least_one_day_ends_on_a_working_day(start, n):
    assert is_working_day(add_working_days(start, n))


@given(a=known_dates, b=known_dates)
def test_measuring_backwards_is_the_negative_of_measuring_forwards(a, b):
    assert working_days_between(a, b) == -working_days_between(b, a)


# ---- Years the calendar does not know -----------------------------------------------------


def test_a_date_in_an_unknown_year_is_an_error_that_names_the_year_and_the_way_out():
    with pytest.raises(UnknownYearError) as caught:
        is_working_day(D("2027-01-04"))
    assert caught.value.year == 2027
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == (
        "the working-day calendar has no data for 2027; enter the State Council's 2027 "
        "holiday notice or use the weekends-only fallback"
    )


def test_a_period_running_into_an_unknown_year_is_an_error():
    with pytest.raises(UnknownYearError):
        add_working_days(D("2026-12-20"), 20)


def test_the_weekends_only_fallback_is_explicit_and_says_which_years_it_assumed():
    calendar = shipped_calendar(assume_weekends=True)
    assert calendar.is_working_day(D("2027-01-01"))  # a Friday; the real notice may differ
    assert not calendar.is_working_day(D("2027-01-02"))  # a Saturday
    assert calendar.assumed_years(D("2026-12-20"), D("2027-01-20")) == (2027,)
    assert calendar.assumed_years(D("2026-01-01"), D("2026-12-31")) == ()
    assert not shipped_calendar().assume_weekends


# ---- Extending the calendar ----------------------------------------------------------------

NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知"


def calendar_with_2027() -> WorkCalendar:
    """An invented 2027: New Year's Day off, Saturday 9 January a make-up working day."""
    return shipped_calendar().extended(
        [
            DayOverride(D("2027-01-01"), False, "元旦", NOTICE_2027),
            DayOverride(D("2027-01-09"), True, "调休上班", NOTICE_2027),
        ],
        years=[2027],
    )


def test_a_declared_year_becomes_computable_with_its_listed_days():
    calendar = calendar_with_2027()
    assert 2027 in calendar.known_years
    assert not calendar.is_working_day(D("2027-01-01"))  # a Friday, declared a holiday
    assert calendar.is_working_day(D("2027-01-09"))  # a Saturday, declared working
    assert calendar.is_working_day(D("2027-01-04"))  # an ordinary Monday
    assert calendar.assumed_years(D("2026-12-01"), D("2027-03-01")) == ()
    # From Thu 31 Dec 2026: Mon 4 … Fri 8 Jan is 5, Sat 9 Jan is the 6th.
    assert calendar.add_working_days(D("2026-12-31"), 6) == D("2027-01-09")
    assert calendar.entry(D("2027-01-01")).source == NOTICE_2027


def test_extending_leaves_the_original_calendar_unchanged():
    calendar_with_2027()
    with pytest.raises(UnknownYearError):
        shipped_calendar().is_working_day(D("2027-01-04"))


def test_days_listed_for_an_undeclared_year_are_refused():
    with pytest.raises(ValueError, match="2027"):
        shipped_calendar().extended([DayOverride(D("2027-01-01"), False, "元旦")])


def test_rows_for_a_shipped_year_correct_it():
    corrected = shipped_calendar().extended([DayOverride(D("2026-11-02"), False, "临时休假")])
    assert not corrected.is_working_day(D("2026-11-02"))
    assert corrected.add_working_days(D("2026-11-01"), 1) == D("2026-11-03")


def test_a_calendar_cannot_be_changed_after_it_is_made():
    calendar = shipped_calendar()
    with pytest.raises(dataclasses.FrozenInstanceError):
        calendar.assume_weekends = True
    with pytest.raises(TypeError):
        calendar.overrides[D("2026-11-02")] = DayOverride(D("2026-11-02"), False)
