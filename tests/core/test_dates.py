"""Weeks, quarters, relative labels and the quick-add date grammar."""

import contextlib
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceodesk.core.kernel.dates import (
    DateMatch,
    duration_minutes,
    format_day,
    format_minutes,
    format_relative_due,
    is_overdue,
    minutes_of_day,
    monday_of,
    normal_week_key,
    parse_date_phrase,
    parse_duration,
    parse_time_of_day,
    quarter_bounds,
    quarter_key,
    shift_quarter,
    shift_week,
    time_of_day,
    week_days,
    week_key,
    week_monday,
)
from ceodesk.core.kernel.errors import InputError

NOW = datetime(2026, 11, 23, 10, 0)  # a Monday
TODAY = NOW.date()

NOWS = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31, 23, 59))

WEEKDAY_WORDS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}

GRAMMAR_WORDS = [
    *WEEKDAY_WORDS,
    "today",
    "tomorrow",
    "tmrw",
    "tmr",
    "next",
    "in",
    "days",
    "day",
    "d",
    "weeks",
    "week",
    "w",
    "3d",
    "2w",
    "0",
    "1",
    "7",
    "29",
    "30",
    "31",
    "45",
    "99",
    "100",
    "3650",
    "3651",
    "99999999999999999999999",
    "eow",
    "eom",
    "2026-12-01",
    "2026-02-30",
    "2026-13-01",
    "0000-01-01",
    "9999-12-31",
    "dec",
    "december",
    "feb",
    "sept",
    "may",
    "3pm",
    "3:30pm",
    "12am",
    "12pm",
    "13pm",
    "0am",
    "15:00",
    "9:05",
    "25:00",
    "3:75pm",
    "be",
    "",
    " ",
    "²",
    "١٢",
]


def match(text: str, now: datetime = NOW, i: int = 0) -> DateMatch | None:
    return parse_date_phrase(text.split(), i, now)


# ----------------------------------------------------------------------------- weeks


@pytest.mark.parametrize(
    ("d", "key"),
    [
        (date(2026, 11, 23), "2026-W48"),
        (date(2026, 11, 29), "2026-W48"),
        (date(2026, 12, 31), "2026-W53"),
        (date(2027, 1, 1), "2026-W53"),
        (date(2027, 1, 3), "2026-W53"),
        (date(2027, 1, 4), "2027-W01"),
        (date(2025, 12, 29), "2026-W01"),
        (date(2026, 1, 5), "2026-W02"),
    ],
)
def test_week_key(d: date, key: str) -> None:
    assert week_key(d) == key


def test_week_monday_accepts_both_cases() -> None:
    assert week_monday("2026-W48") == date(2026, 11, 23)
    assert week_monday("2026-w48") == date(2026, 11, 23)


def test_week_53_exists_only_in_long_years() -> None:
    assert week_monday("2026-W53") == date(2026, 12, 28)
    with pytest.raises(InputError, match="2025 has no week 53"):
        week_monday("2025-W53")


@pytest.mark.parametrize(
    "key", ["2026-W00", "2026-W54", "2026-48", "W48", "", "2026-W4x", "26-W48", "2026-W123"]
)
def test_week_monday_rejects_bad_keys(key: str) -> None:
    with pytest.raises(InputError):
        week_monday(key)


@pytest.mark.parametrize(
    ("d", "monday"),
    [
        (date(2026, 11, 25), date(2026, 11, 23)),
        (date(2026, 11, 23), date(2026, 11, 23)),
        (date(2026, 11, 29), date(2026, 11, 23)),
        (date(2027, 1, 1), date(2026, 12, 28)),  # Friday of 2026-W53
    ],
)
def test_monday_of_is_the_monday_of_the_iso_week(d: date, monday: date) -> None:
    assert monday_of(d) == monday
    assert week_monday(week_key(d)) == monday


def test_week_days_run_monday_to_sunday_across_the_year_end() -> None:
    days = week_days("2026-W53")
    assert days[0] == date(2026, 12, 28)
    assert days[-1] == date(2027, 1, 3)
    assert [d.weekday() for d in days] == list(range(7))


def test_shift_week() -> None:
    assert shift_week("2026-W48", 1) == "2026-W49"
    assert shift_week("2026-W53", 1) == "2027-W01"
    assert shift_week("2026-W01", -1) == "2025-W52"
    assert shift_week("2026-W48", 0) == "2026-W48"
    assert shift_week("2026-W48", -52) == "2025-W48"
    with pytest.raises(InputError):
        shift_week("2026-W99", 1)


@settings(max_examples=300)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_iso_week_round_trip(d: date) -> None:
    key = week_key(d)
    monday = week_monday(key)
    assert monday.weekday() == 0
    assert monday <= d < monday + timedelta(days=7)
    assert week_key(monday) == key
    assert d in week_days(key)


# -------------------------------------------------------------------------- quarters


@pytest.mark.parametrize(
    ("d", "key"),
    [
        (date(2026, 1, 1), "2026-Q1"),
        (date(2026, 3, 31), "2026-Q1"),
        (date(2026, 4, 1), "2026-Q2"),
        (date(2026, 9, 30), "2026-Q3"),
        (date(2026, 11, 23), "2026-Q4"),
    ],
)
def test_quarter_key(d: date, key: str) -> None:
    assert quarter_key(d) == key


@pytest.mark.parametrize(
    ("key", "bounds"),
    [
        ("2026-Q1", (date(2026, 1, 1), date(2026, 3, 31))),
        ("2026-Q2", (date(2026, 4, 1), date(2026, 6, 30))),
        ("2026-Q3", (date(2026, 7, 1), date(2026, 9, 30))),
        ("2026-Q4", (date(2026, 10, 1), date(2026, 12, 31))),
        ("2028-q1", (date(2028, 1, 1), date(2028, 3, 31))),
    ],
)
def test_quarter_bounds(key: str, bounds: tuple[date, date]) -> None:
    assert quarter_bounds(key) == bounds


@pytest.mark.parametrize("key", ["2026-Q0", "2026-Q5", "2026Q4", "26-Q1", "2026-Q", "Q4", ""])
def test_quarter_bounds_rejects_bad_keys(key: str) -> None:
    with pytest.raises(InputError):
        quarter_bounds(key)


def test_shift_quarter() -> None:
    assert shift_quarter("2026-Q4", 1) == "2027-Q1"
    assert shift_quarter("2026-Q1", -1) == "2025-Q4"
    assert shift_quarter("2026-Q2", 4) == "2027-Q2"
    assert shift_quarter("2026-Q2", -9) == "2024-Q1"
    with pytest.raises(InputError):
        shift_quarter("2026-Q7", 1)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_quarter_round_trip(d: date) -> None:
    first, last = quarter_bounds(quarter_key(d))
    assert first <= d <= last
    assert shift_quarter(quarter_key(d), 1) == quarter_key(last + timedelta(days=1))


# ------------------------------------------------------------------------ formatting


@pytest.mark.parametrize(
    ("due", "label"),
    [
        (date(2026, 11, 22), "overdue 1d"),
        (date(2026, 11, 21), "overdue 2d"),
        (date(2025, 11, 23), "overdue 365d"),
        (date(2026, 11, 23), "today"),
        (date(2026, 11, 24), "tomorrow"),
        (date(2026, 11, 25), "Wed"),
        (date(2026, 11, 27), "Fri"),
        (date(2026, 11, 29), "Sun"),
        (date(2026, 11, 30), "in 7d"),
        (date(2026, 12, 2), "in 9d"),
        (date(2027, 1, 22), "in 60d"),
        (date(2027, 1, 23), "23 Jan 2027"),
        (date(2028, 1, 14), "14 Jan 2028"),
    ],
)
def test_format_relative_due(due: date, label: str) -> None:
    assert format_relative_due(due, TODAY) == label


def test_format_relative_due_same_year_has_no_year() -> None:
    assert format_relative_due(date(2026, 12, 31), date(2026, 1, 2)) == "31 Dec"
    # Sunday seen from Saturday is "tomorrow", not the weekday.
    assert format_relative_due(date(2026, 11, 29), date(2026, 11, 28)) == "tomorrow"


def test_is_overdue() -> None:
    assert is_overdue(date(2026, 11, 22), TODAY)
    assert not is_overdue(TODAY, TODAY)
    assert not is_overdue(date(2026, 11, 24), TODAY)


def test_format_day() -> None:
    assert format_day(date(2026, 11, 24)) == "Tue 24 Nov 2026"
    assert format_day(date(2026, 12, 1)) == "Tue 1 Dec 2026"


@pytest.mark.parametrize(
    ("minutes", "text"), [(30, "30m"), (120, "2h"), (90, "1h30"), (65, "1h05"), (0, "0m")]
)
def test_format_minutes(minutes: int, text: str) -> None:
    assert format_minutes(minutes) == text


# ------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("token", "minutes"),
    [
        ("2h", 120),
        ("30m", 30),
        ("30min", 30),
        ("1h30", 90),
        ("1h30m", 90),
        ("1h05", 65),
        ("90m", 90),
        ("1.5h", 90),
        ("0.25h", 15),
        ("2H", 120),
        ("24h", 1440),
        ("1440m", 1440),
    ],
)
def test_parse_duration(token: str, minutes: int) -> None:
    assert parse_duration(token) == minutes


@pytest.mark.parametrize("token", ["abc", "2", "h", "m", "2x", "2hours", "1h30x", "-2h", "", "²h"])
def test_parse_duration_ignores_other_words(token: str) -> None:
    assert parse_duration(token) is None


def test_parse_duration_rejects_zero() -> None:
    with pytest.raises(InputError, match=r"^An estimate must be more than 0 minutes\.$"):
        parse_duration("0m")
    with pytest.raises(InputError, match="more than 0 minutes"):
        parse_duration("0h")


@pytest.mark.parametrize("token", ["25h", "1441m", "24h01", "1h75", "99999999999999999999h"])
def test_parse_duration_rejects_impossible_estimates(token: str) -> None:
    with pytest.raises(InputError):
        parse_duration(token)


@given(st.integers(min_value=1, max_value=24 * 60))
def test_format_minutes_parses_back(minutes: int) -> None:
    assert parse_duration(format_minutes(minutes)) == minutes


@given(st.text(max_size=20))
def test_parse_duration_only_raises_input_errors(token: str) -> None:
    with contextlib.suppress(InputError):
        parse_duration(token)


# ---------------------------------------------------------------------- date phrases


@pytest.mark.parametrize(
    ("text", "consumed", "day"),
    [
        ("today", 1, date(2026, 11, 23)),
        ("tomorrow", 1, date(2026, 11, 24)),
        ("tmrw", 1, date(2026, 11, 24)),
        ("tmr", 1, date(2026, 11, 24)),
        ("TOMORROW", 1, date(2026, 11, 24)),
        ("mon", 1, date(2026, 11, 30)),  # strictly after today: a week ahead
        ("monday", 1, date(2026, 11, 30)),
        ("tue", 1, date(2026, 11, 24)),
        ("tues", 1, date(2026, 11, 24)),
        ("wednesday", 1, date(2026, 11, 25)),
        ("thu", 1, date(2026, 11, 26)),
        ("thur", 1, date(2026, 11, 26)),
        ("thurs", 1, date(2026, 11, 26)),
        ("fri", 1, date(2026, 11, 27)),
        ("Friday", 1, date(2026, 11, 27)),
        ("sat", 1, date(2026, 11, 28)),
        ("sunday", 1, date(2026, 11, 29)),
        ("next fri", 2, date(2026, 12, 4)),
        ("Next Friday", 2, date(2026, 12, 4)),
        ("next mon", 2, date(2026, 11, 30)),
        ("next sun", 2, date(2026, 12, 6)),
        ("in 3 days", 3, date(2026, 11, 26)),
        ("in 1 day", 3, date(2026, 11, 24)),
        ("in 5 d", 3, date(2026, 11, 28)),
        ("in 2 weeks", 3, date(2026, 12, 7)),
        ("in 1 week", 3, date(2026, 11, 30)),
        ("in 1 w", 3, date(2026, 11, 30)),
        ("in 3d", 2, date(2026, 11, 26)),
        ("in 2w", 2, date(2026, 12, 7)),
        ("in 3650 days", 3, date(2036, 11, 20)),
        ("eow", 1, date(2026, 11, 27)),
        ("eom", 1, date(2026, 11, 30)),
        ("2026-12-01", 1, date(2026, 12, 1)),
        ("2024-02-29", 1, date(2024, 2, 29)),
        ("2026-1-5", 1, date(2026, 1, 5)),
        ("dec 1", 2, date(2026, 12, 1)),
        ("1 dec", 2, date(2026, 12, 1)),
        ("december 1", 2, date(2026, 12, 1)),
        ("DEC 01", 2, date(2026, 12, 1)),
        ("sept 3", 2, date(2027, 9, 3)),
        ("3 sep", 2, date(2027, 9, 3)),
        ("jan 5", 2, date(2027, 1, 5)),
        ("nov 23", 2, date(2026, 11, 23)),  # today is the next occurrence
        ("nov 22", 2, date(2027, 11, 22)),
        ("feb 29", 2, date(2028, 2, 29)),
        ("may 5", 2, date(2027, 5, 5)),
    ],
)
def test_day_phrases(text: str, consumed: int, day: date) -> None:
    assert match(text) == DateMatch(consumed, day, None)


def test_eow_and_eom_edges() -> None:
    friday = datetime(2026, 11, 27, 9, 0)
    saturday = datetime(2026, 11, 28, 9, 0)
    sunday = datetime(2026, 11, 29, 9, 0)
    assert match("eow", friday) == DateMatch(1, date(2026, 11, 27), None)
    assert match("eow", saturday) == DateMatch(1, date(2026, 12, 4), None)
    assert match("eow", sunday) == DateMatch(1, date(2026, 12, 4), None)
    assert match("eom", datetime(2028, 2, 3, 9, 0)) == DateMatch(1, date(2028, 2, 29), None)
    assert match("eom", datetime(2026, 12, 31, 9, 0)) == DateMatch(1, date(2026, 12, 31), None)


def test_next_weekday_from_sunday_is_in_the_following_iso_week() -> None:
    sunday = datetime(2026, 11, 29, 9, 0)
    assert match("next mon", sunday) == DateMatch(2, date(2026, 11, 30), None)
    assert match("next sun", sunday) == DateMatch(2, date(2026, 12, 6), None)
    assert match("sun", sunday) == DateMatch(1, date(2026, 12, 6), None)


@pytest.mark.parametrize(
    ("text", "consumed", "day", "at"),
    [
        ("3pm", 1, date(2026, 11, 23), time(15, 0)),
        ("3:30pm", 1, date(2026, 11, 23), time(15, 30)),
        ("11am", 1, date(2026, 11, 23), time(11, 0)),
        ("9am", 1, date(2026, 11, 24), time(9, 0)),  # already past: tomorrow
        ("10am", 1, date(2026, 11, 24), time(10, 0)),  # not later than now: tomorrow
        ("12am", 1, date(2026, 11, 24), time(0, 0)),
        ("12pm", 1, date(2026, 11, 23), time(12, 0)),
        ("12:30am", 1, date(2026, 11, 24), time(0, 30)),
        ("3PM", 1, date(2026, 11, 23), time(15, 0)),
        ("15:00", 1, date(2026, 11, 23), time(15, 0)),
        ("9:05", 1, date(2026, 11, 24), time(9, 5)),
        ("0:00", 1, date(2026, 11, 24), time(0, 0)),
        ("23:59", 1, date(2026, 11, 23), time(23, 59)),
        ("tomorrow 3pm", 2, date(2026, 11, 24), time(15, 0)),
        ("today 9am", 2, date(2026, 11, 23), time(9, 0)),
        ("fri 15:00", 2, date(2026, 11, 27), time(15, 0)),
        ("dec 1 9am", 3, date(2026, 12, 1), time(9, 0)),
        ("next fri 3pm", 3, date(2026, 12, 4), time(15, 0)),
        ("in 3 days 9:30", 4, date(2026, 11, 26), time(9, 30)),
        ("2026-12-01 15:00", 2, date(2026, 12, 1), time(15, 0)),
        ("3pm fri", 2, date(2026, 11, 27), time(15, 0)),
        ("9am in 2 weeks", 4, date(2026, 12, 7), time(9, 0)),
    ],
)
def test_time_phrases(text: str, consumed: int, day: date, at: time) -> None:
    assert match(text) == DateMatch(consumed, day, at)


def test_phrase_is_read_at_position_i_and_stops_at_its_last_word() -> None:
    words = ["Call", "Dana", "fri", "about", "pay"]
    assert parse_date_phrase(words, 2, NOW) == DateMatch(1, date(2026, 11, 27), None)
    assert parse_date_phrase(words, 0, NOW) is None
    assert parse_date_phrase(words, 5, NOW) is None
    assert parse_date_phrase(words, -1, NOW) is None
    assert parse_date_phrase([], 0, NOW) is None


@pytest.mark.parametrize(
    "text",
    [
        "may",
        "may be",
        "may 0",
        "dec",
        "dec 100",
        "next",
        "next week",
        "in",
        "in 3",
        "in 3 apples",
        "in three days",
        "in -3 days",
        "3",
        "45",
        "hello",
        "1:1",
        "9:5",
        "123pm",
        "2026-12",
        "2026-W48",
        "2h",
        "!i",
    ],
)
def test_words_that_are_not_date_phrases(text: str) -> None:
    assert match(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feb 30", r"^There is no 30 February\.$"),
        ("30 feb", r"^There is no 30 February\.$"),
        ("dec 45", r"^There is no 45 December\.$"),
        ("apr 31", r"^There is no 31 April\.$"),
        ("2026-02-30", r"^There is no 30 February 2026\.$"),
        ("2026-02-29", r"^There is no 29 February 2026\.$"),
        ("2026-13-01", "months run from 01 to 12"),
        ("2026-00-10", "months run from 01 to 12"),
        ("2026-12-00", "There is no 0 December 2026"),
        ("0000-01-01", "no year 0"),
        ("25:00", "not a time of day"),
        ("24:00", "not a time of day"),
        ("9:60", "not a time of day"),
        ("3:75pm", "not a time of day"),
        ("13pm", "not a time of day"),
        ("0am", "not a time of day"),
        ("tomorrow 25:00", "not a time of day"),
        ("in 0 days", "count from 1"),
        ("in 0d", "count from 1"),
        ("in 3651 days", "at most 3650 days"),
        ("in 522 weeks", "at most 3650 days"),
        ("in 99999999999999999999999 days", "at most 3650 days"),
    ],
)
def test_impossible_dates_and_times_are_input_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        match(text)


def test_feb_29_next_occurrence_on_the_day_itself() -> None:
    leap_day = datetime(2028, 2, 29, 8, 0)
    assert match("feb 29", leap_day) == DateMatch(2, date(2028, 2, 29), None)
    assert match("feb 29", datetime(2028, 3, 1, 8, 0)) == DateMatch(2, date(2032, 2, 29), None)


def test_calendar_edges_are_input_errors_not_crashes() -> None:
    last_day = datetime(9999, 12, 31, 23, 0)
    for text in ["tomorrow", "fri", "next mon", "in 3 days", "jan 1", "9am"]:
        with pytest.raises(InputError, match="outside the calendar"):
            match(text, last_day)


# -------------------------------------------------------------------------- properties

WORDS = st.one_of(st.sampled_from(GRAMMAR_WORDS), st.text(max_size=8))


@settings(max_examples=300)
@given(st.lists(WORDS, max_size=6), st.integers(min_value=-1, max_value=6), NOWS)
def test_parse_date_phrase_only_raises_input_errors(
    words: list[str], i: int, now: datetime
) -> None:
    try:
        result = parse_date_phrase(words, i, now)
    except InputError as err:
        assert str(err).endswith(".")
        return
    if result is not None:
        assert 1 <= result.consumed <= min(4, len(words) - i)
        assert result.day is not None


@settings(max_examples=200)
@given(st.lists(st.text(), max_size=5), NOWS)
def test_parse_date_phrase_survives_arbitrary_text(words: list[str], now: datetime) -> None:
    for i in range(len(words)):
        with contextlib.suppress(InputError):
            parse_date_phrase(words, i, now)


@settings(max_examples=300)
@given(st.sampled_from(sorted(WEEKDAY_WORDS)), NOWS, st.booleans())
def test_weekday_words_land_one_to_seven_days_ahead(word: str, now: datetime, upper: bool) -> None:
    result = match(word.upper() if upper else word, now)
    assert result is not None
    assert result.consumed == 1
    assert result.day is not None
    assert 1 <= (result.day - now.date()).days <= 7
    assert result.day.weekday() == WEEKDAY_WORDS[word]


@settings(max_examples=200)
@given(st.sampled_from(sorted(WEEKDAY_WORDS)), NOWS)
def test_next_weekday_lands_in_the_next_iso_week(word: str, now: datetime) -> None:
    result = match(f"next {word}", now)
    assert result is not None
    assert result.day is not None
    assert week_key(result.day) == shift_week(week_key(now.date()), 1)
    assert result.day.weekday() == WEEKDAY_WORDS[word]


@settings(max_examples=200)
@given(NOWS, st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_a_time_alone_is_the_next_such_moment(now: datetime, hour: int, minute: int) -> None:
    result = match(f"{hour}:{minute:02d}", now)
    assert result is not None
    assert result.at == time(hour, minute)
    assert result.day is not None
    moment = datetime.combine(result.day, result.at)
    assert now < moment <= now + timedelta(days=1)


# ------------------------------------------------------------ one grammar of each


@pytest.mark.parametrize("word", ["1:30", "1h30", "1h30m", "90m", "90min", "90mins", "1.5h"])
def test_one_thirty_is_an_hour_and_a_half_in_every_spelling(word: str) -> None:
    # "1:30" is a duration wherever a duration is read (estimates, actual time, a
    # scorecard duration), never 1 minute 30 seconds.
    assert duration_minutes(word) == 90
    assert parse_duration(word) == 90


def test_the_duration_grammar_knows_what_is_not_a_duration() -> None:
    assert duration_minutes("90") is None  # a bare number is not written as a duration
    assert duration_minutes("soon") is None
    with pytest.raises(InputError, match="0 to 59"):
        duration_minutes("1:75")


def test_an_estimate_rounds_fractions_to_the_minute() -> None:
    assert parse_duration("2.5m") == 3
    assert parse_duration("0:05") == 5
    with pytest.raises(InputError, match="more than 0 minutes"):
        parse_duration("0:00")
    with pytest.raises(InputError, match="at most 24 hours"):
        parse_duration("24:01")


@given(st.integers(min_value=0, max_value=24 * 60 - 1))
def test_minutes_of_day_and_time_of_day_are_inverse(minutes: int) -> None:
    assert minutes_of_day(time_of_day(minutes)) == minutes


def test_minutes_of_day_ignores_seconds() -> None:
    assert minutes_of_day(time(9, 30, 59)) == 570
    assert time_of_day(570) == time(9, 30)


def test_a_week_key_has_one_stored_spelling() -> None:
    assert normal_week_key("2026-w5") == "2026-W05"
    assert normal_week_key(" 2026-W49 ") == "2026-W49"
    with pytest.raises(InputError, match="not a week"):
        normal_week_key("week 49")


def test_a_time_of_day_alone_reads_with_the_date_grammars_time_words() -> None:
    assert parse_time_of_day("3:30PM") == time(15, 30)
    assert parse_time_of_day(" 9:05 ") == time(9, 5)
    assert parse_time_of_day("12am") == time(0, 0)
    assert parse_time_of_day("") is None
    for text in ("25:00", "13pm", "fri 3pm", "noonish"):
        with pytest.raises(InputError, match="time of day"):
            parse_time_of_day(text)


@given(st.text(max_size=12))
def test_any_text_is_a_time_of_day_or_an_input_error(text: str) -> None:
    try:
        at = parse_time_of_day(text)
    except InputError:
        return
    assert at is None or isinstance(at, time)
