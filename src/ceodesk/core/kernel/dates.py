"""Weeks, quarters, times of day, durations and the date grammar of quick-add.

Weeks are ISO weeks (Monday to Sunday, keyed ``2026-W48`` by ISO year); quarters are
calendar quarters (keyed ``2026-Q4``). ``parse_date_phrase`` reads one date and/or time
phrase out of a list of words; every problem it finds is an ``InputError`` whose message
is one sentence a user can read.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ceodesk.core.kernel.errors import InputError

__all__ = [
    "MAX_AHEAD_DAYS",
    "MAX_ESTIMATE_MINUTES",
    "DateMatch",
    "duration_minutes",
    "format_day",
    "format_minutes",
    "format_relative_due",
    "is_overdue",
    "is_weekday_word",
    "looks_like_time",
    "minutes_of_day",
    "normal_week_key",
    "parse_date_phrase",
    "parse_duration",
    "parse_time_of_day",
    "quarter_bounds",
    "quarter_key",
    "shift_quarter",
    "shift_week",
    "time_of_day",
    "week_days",
    "week_key",
    "week_monday",
]

MAX_AHEAD_DAYS = 3650
"""The furthest ``in N days`` / ``in N weeks`` may reach."""

MAX_ESTIMATE_MINUTES = 24 * 60
"""The largest estimate a task may carry."""

WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_WEEKDAY_WORDS: dict[str, int] = {
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

_MONTH_WORDS: dict[str, int] = {name.lower(): n for n, name in enumerate(MONTH_NAMES, 1)}
_MONTH_WORDS.update({abbr.lower(): n for n, abbr in enumerate(MONTH_ABBR, 1)})
_MONTH_WORDS["sept"] = 9

_TOMORROW_WORDS = frozenset({"tomorrow", "tmrw", "tmr"})
_DAY_UNITS = frozenset({"days", "day", "d"})
_WEEK_UNITS = frozenset({"weeks", "week", "w"})

# Only ASCII digits count as numbers: str.isdigit() accepts "²", which int() refuses.
_WEEK_KEY = re.compile(r"([0-9]{4})-[Ww]([0-9]{1,2})")
_QUARTER_KEY = re.compile(r"([0-9]{4})-[Qq]([0-9])")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_SMALL_INT = re.compile(r"[0-9]{1,2}")
_COUNT = re.compile(r"[0-9]+")
_COMPACT_IN = re.compile(r"([0-9]+)([dw])")
_TIME_12H = re.compile(r"([0-9]{1,2})(?::([0-9]{2}))?(am|pm)")
_TIME_24H = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_DECIMAL = r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_HOURS_MINUTES = re.compile(r"([0-9]+)h([0-9]{1,2})m?")
_CLOCK_DURATION = re.compile(r"([0-9]+):([0-9]{2})")
_HOURS = re.compile(rf"({_DECIMAL})h")
_MINUTES = re.compile(rf"({_DECIMAL})(?:m|min|mins)")
_OUT_OF_RANGE = "That date is outside the calendar this app can show."
_LONGEST_NUMBER = 9  # digits; anything longer is out of range anyway (and int() has limits)


# --------------------------------------------------------------------------- weeks


def week_key(d: date) -> str:
    """The ISO week key of ``d``, by ISO year.

    2026-11-23 -> "2026-W48"; 2027-01-01 -> "2026-W53" (it belongs to 2026's last week).
    """
    iso = d.isocalendar()
    return f"{iso.year:04d}-W{iso.week:02d}"


def week_monday(key: str) -> date:
    """The Monday of ISO week ``key`` ("2026-W48" or "2026-w48").

    Raises InputError for a malformed key or a week its year does not have (2025-W53).
    """
    match = _WEEK_KEY.fullmatch(key.strip())
    if match is None:
        raise InputError(f"“{key}” is not a week; write it like 2026-W48.")
    year, week = int(match[1]), int(match[2])
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InputError(f"The year {year} has no week {week}.") from None


def monday_of(d: date) -> date:
    """The Monday of the ISO week ``d`` is in: Wed 2026-11-25 -> Mon 2026-11-23."""
    return d - timedelta(days=d.weekday())


def normal_week_key(key: str) -> str:
    """A week key in its one stored spelling ("2026-w5" -> "2026-W05"); InputError if none."""
    return week_key(week_monday(key))


def week_days(key: str) -> list[date]:
    """The seven dates of ISO week ``key``, Monday to Sunday."""
    monday = week_monday(key)
    return [_add_days(monday, n) for n in range(7)]


def shift_week(key: str, weeks: int) -> str:
    """The key of the ISO week ``weeks`` weeks after ``key`` (before it when negative)."""
    return week_key(_add_days(week_monday(key), 7 * weeks))


# ------------------------------------------------------------------------ quarters


def quarter_key(d: date) -> str:
    """The calendar quarter of ``d``: 2026-11-23 -> "2026-Q4"."""
    return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"


def _parse_quarter(key: str) -> tuple[int, int]:
    match = _QUARTER_KEY.fullmatch(key.strip())
    if match is None or not 1 <= int(match[2]) <= 4 or int(match[1]) < 1:
        raise InputError(f"“{key}” is not a quarter; write it like 2026-Q4.")
    return int(match[1]), int(match[2])


def quarter_bounds(key: str) -> tuple[date, date]:
    """The first and last day of quarter ``key``: "2026-Q4" -> (2026-10-01, 2026-12-31)."""
    year, quarter = _parse_quarter(key)
    first = date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    return first, date(year, last_month, calendar.monthrange(year, last_month)[1])


def shift_quarter(key: str, quarters: int) -> str:
    """The key of the quarter ``quarters`` quarters after ``key`` (before it when negative)."""
    year, quarter = _parse_quarter(key)
    index = year * 4 + quarter - 1 + quarters
    new_year, new_quarter = divmod(index, 4)
    if not date.min.year <= new_year <= date.max.year:
        raise InputError("That quarter is outside the calendar this app can show.")
    return f"{new_year:04d}-Q{new_quarter + 1}"


# ---------------------------------------------------------------------- formatting


def is_overdue(due: date, today: date) -> bool:
    """A due date is overdue once it is strictly before today."""
    return due < today


def format_relative_due(due: date, today: date) -> str:
    """A short due label seen from ``today``.

    "overdue 2d" in the past, "today", "tomorrow", the weekday ("Fri") later in the same
    ISO week, "in 9d" up to 60 days ahead, otherwise "14 Jan" ("14 Jan 2028" when the
    year differs from today's).
    """
    days = (due - today).days
    if days < 0:
        return f"overdue {-days}d"
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if due.isocalendar()[:2] == today.isocalendar()[:2]:
        return WEEKDAY_ABBR[due.weekday()]
    if days <= 60:
        return f"in {days}d"
    label = f"{due.day} {MONTH_ABBR[due.month - 1]}"
    return label if due.year == today.year else f"{label} {due.year}"


def format_day(d: date) -> str:
    """A day in full, independent of locale: "Tue 24 Nov 2026"."""
    return f"{WEEKDAY_ABBR[d.weekday()]} {d.day} {MONTH_ABBR[d.month - 1]} {d.year}"


def format_minutes(minutes: int) -> str:
    """A duration in the estimate grammar: 30 -> "30m", 120 -> "2h", 90 -> "1h30", 65 -> "1h05"."""
    if minutes < 0:
        return "-" + format_minutes(-minutes)
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest}m"
    if rest == 0:
        return f"{hours}h"
    return f"{hours}h{rest:02d}"


# --------------------------------------------------------------------- times of day


def minutes_of_day(moment: time) -> int:
    """Minutes since midnight of a wall-clock time, to the minute: 09:30 -> 570."""
    return moment.hour * 60 + moment.minute


def time_of_day(minutes: int) -> time:
    """The wall-clock time ``minutes`` after midnight (0 to 1439): 570 -> 09:30."""
    return time(minutes // 60, minutes % 60)


# ----------------------------------------------------------------------- durations


def duration_minutes(word: str) -> Decimal | None:
    """The one duration grammar: a written duration as minutes, or None if it is not one.

    "2h", "30m", "30min", "30mins", "1h30", "1h30m", "1:30" (one hour thirty: a duration,
    never a time of day here), "1.5h", "2.5m". ``word`` is one word, already lower case.
    Minutes after the hours must be 0 to 59 ("1h75" and "1:75" are an InputError). A bare
    number is not a duration here; a field that reads one as minutes says so itself.
    """
    if match := _HOURS_MINUTES.fullmatch(word) or _CLOCK_DURATION.fullmatch(word):
        if int(match[2]) >= 60:
            raise InputError(f"“{word}” is not a duration; write the minutes as 0 to 59.")
        return Decimal(match[1]) * 60 + int(match[2])
    if match := _HOURS.fullmatch(word):
        return Decimal(match[1]) * 60
    if match := _MINUTES.fullmatch(word):
        return Decimal(match[1])
    return None


def parse_duration(token: str) -> int | None:
    """Read an estimate token as minutes (the grammar of ``duration_minutes``).

    Returns None when the token is not written as a duration at all. A duration of 0
    minutes, over 24 hours, or with 60 or more minutes after the hours ("1h75") is an
    InputError. Fractions are rounded to the nearest minute.
    """
    exact = duration_minutes(token.strip().lower())
    if exact is None:
        return None
    if exact > MAX_ESTIMATE_MINUTES:
        raise InputError(_too_long_estimate(token))
    minutes = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if minutes <= 0:
        raise InputError("An estimate must be more than 0 minutes.")
    return minutes


def _too_long_estimate(token: str) -> str:
    return f"The estimate “{token}” is too long; an estimate can be at most 24 hours."


# --------------------------------------------------------------------- date phrases


@dataclass(frozen=True)
class DateMatch:
    """A date and/or time phrase read from a list of words.

    ``consumed`` words were used; ``day`` is the date (always set when the phrase has a
    time), ``at`` the wall-clock time when one was given.
    """

    consumed: int
    day: date | None
    at: time | None


def parse_date_phrase(words: Sequence[str], i: int, now: datetime) -> DateMatch | None:
    """Read a date and/or time phrase starting at ``words[i]``, longest match first.

    ``now`` is the user's naive local wall-clock time. Words are compared without case.
    A day phrase may be followed by one time word ("tomorrow 3pm", "dec 1 9am") and a
    time word by one day phrase ("3pm fri"); both belong to the same match. A time alone
    means today if it is still ahead of ``now``, otherwise tomorrow.

    Day phrases: today; tomorrow/tmrw/tmr; a weekday name or abbreviation (the next one,
    1 to 7 days ahead); ``next <weekday>`` (that day in next ISO week); ``in N days|day|d``
    and ``in N weeks|week|w`` (also ``in 3d`` / ``in 2w``; N from 1, at most 3650 days);
    ``eow`` (Friday of this ISO week, of next week on a weekend); ``eom`` (last day of
    this month); ISO ``2026-12-01``; ``dec 1`` / ``1 dec`` with a month name or
    abbreviation and a day number 1..99 (the next such date, today included).
    Times: ``3pm``, ``3:30pm``, ``12am`` (midnight), ``12pm`` (noon), ``15:00``, ``9:05``.

    Returns None when ``words[i]`` does not start a phrase (e.g. "may" alone). An
    impossible date or time ("feb 30", "2026-13-01", "25:00", "13pm") is an InputError,
    and so is every other problem: nothing else is raised.
    """
    if not 0 <= i < len(words):
        return None
    lowered = [w.strip().lower() for w in words[i : i + 4]]
    today = now.date()
    try:
        day_match = _match_day(lowered, 0, today)
        if day_match is not None:
            used, day = day_match
            at = _match_time(lowered, used)
            return DateMatch(used + 1, day, at) if at is not None else DateMatch(used, day, None)
        at = _match_time(lowered, 0)
        if at is None:
            return None
        day_match = _match_day(lowered, 1, today)
        if day_match is not None:
            return DateMatch(1 + day_match[0], day_match[1], at)
        return DateMatch(1, today if at > now.time() else _add_days(today, 1), at)
    except OverflowError:
        raise InputError(_OUT_OF_RANGE) from None


def _add_days(d: date, days: int) -> date:
    try:
        return d + timedelta(days=days)
    except OverflowError:
        raise InputError(_OUT_OF_RANGE) from None


def _word(words: Sequence[str], k: int) -> str | None:
    return words[k] if k < len(words) else None


def _match_day(words: Sequence[str], k: int, today: date) -> tuple[int, date] | None:
    """A day phrase at ``words[k]`` (already lower-cased): (words used, date) or None."""
    word = _word(words, k)
    if word is None:
        return None
    if word == "today":
        return 1, today
    if word in _TOMORROW_WORDS:
        return 1, _add_days(today, 1)
    if word in _WEEKDAY_WORDS:
        # The next occurrence strictly after today: 1..7 days ahead.
        return 1, _add_days(today, (_WEEKDAY_WORDS[word] - today.weekday() - 1) % 7 + 1)
    if word == "next":
        following = _word(words, k + 1)
        if following in _WEEKDAY_WORDS:
            next_monday = _add_days(today, 7 - today.weekday())
            return 2, _add_days(next_monday, _WEEKDAY_WORDS[following])
        return None
    if word == "in":
        return _match_in(words, k, today)
    if word == "eow":
        friday = _add_days(today, 4 - today.weekday())
        return 1, friday if today.weekday() <= 4 else _add_days(friday, 7)
    if word == "eom":
        return 1, today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if match := _ISO_DATE.fullmatch(word):
        return 1, _iso_date(word, int(match[1]), int(match[2]), int(match[3]))
    following = _word(words, k + 1)
    if word in _MONTH_WORDS and following is not None and _is_day_number(following):
        return 2, _month_day(_MONTH_WORDS[word], int(following), today)
    if _is_day_number(word) and following in _MONTH_WORDS:
        return 2, _month_day(_MONTH_WORDS[following], int(word), today)
    return None


def _is_day_number(word: str) -> bool:
    return _SMALL_INT.fullmatch(word) is not None and 1 <= int(word) <= 99


def _match_in(words: Sequence[str], k: int, today: date) -> tuple[int, date] | None:
    count_word = _word(words, k + 1)
    if count_word is None:
        return None
    if match := _COMPACT_IN.fullmatch(count_word):
        used, digits, per = 2, match[1], 1 if match[2] == "d" else 7
    elif _COUNT.fullmatch(count_word):
        unit = _word(words, k + 2)
        if unit in _DAY_UNITS:
            per = 1
        elif unit in _WEEK_UNITS:
            per = 7
        else:
            return None
        used, digits = 3, count_word
    else:
        return None
    phrase = " ".join(words[k : k + used])
    count = int(digits) if len(digits) <= _LONGEST_NUMBER else MAX_AHEAD_DAYS + 1
    if count == 0:
        raise InputError(f"“{phrase}” is not a due date; count from 1, or say today.")
    if count * per > MAX_AHEAD_DAYS:
        raise InputError(f"“{phrase}” is too far ahead; a due date can be at most 3650 days out.")
    return used, _add_days(today, count * per)


def _iso_date(word: str, year: int, month: int, day: int) -> date:
    if year < date.min.year:
        raise InputError(f"“{word}” is not a date; there is no year 0.")
    if not 1 <= month <= 12:
        raise InputError(f"“{word}” is not a date; months run from 01 to 12.")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise InputError(f"There is no {day} {MONTH_NAMES[month - 1]} {year}.")
    return date(year, month, day)


def _month_day(month: int, day: int, today: date) -> date:
    """The next ``day month`` on or after today (Feb 29 waits for a leap year)."""
    longest = 29 if month == 2 else calendar.monthrange(2001, month)[1]
    if day > longest:
        raise InputError(f"There is no {day} {MONTH_NAMES[month - 1]}.")
    year = today.year
    # At most 8 years pass between two 29 Februaries (e.g. 1896 -> 1904).
    for candidate_year in range(year, year + 9):
        if candidate_year > date.max.year:
            break
        if day <= calendar.monthrange(candidate_year, month)[1]:
            candidate = date(candidate_year, month, day)
            if candidate >= today:
                return candidate
    raise InputError(_OUT_OF_RANGE)


def _match_time(words: Sequence[str], k: int) -> time | None:
    """A time word at ``words[k]`` (lower-cased), None if it is not written as a time."""
    word = _word(words, k)
    if word is None:
        return None
    if match := _TIME_12H.fullmatch(word):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise InputError(f"“{word}” is not a time of day; write it like 3pm or 3:30pm.")
        hour %= 12
        if match[3] == "pm":
            hour += 12
        return time(hour, minute)
    if match := _TIME_24H.fullmatch(word):
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            raise InputError(f"“{word}” is not a time of day; write it like 15:00 or 9:05.")
        return time(hour, minute)
    return None


def is_weekday_word(word: str) -> bool:
    """Whether ``word`` names a weekday ("fri", "Sunday"), without case."""
    return word.strip().lower() in _WEEKDAY_WORDS


def looks_like_time(word: str) -> bool:
    """Whether ``word`` is written as a time of day ("9am", "15:00"), valid or not ("25:00")."""
    lowered = word.strip().lower()
    return bool(_TIME_12H.fullmatch(lowered) or _TIME_24H.fullmatch(lowered))


def parse_time_of_day(text: str) -> time | None:
    """A whole text read as one time of day ("9am", "3:30pm", "15:00").

    Empty text is None (no time); anything else that is not one time word, or an
    impossible time ("25:00", "13pm"), is an InputError of one sentence.
    """
    words = text.split()
    if not words:
        return None
    at = _match_time([w.lower() for w in words], 0) if len(words) == 1 else None
    if at is None:
        raise InputError(f"{' '.join(words)} is not a time of day like 9am, 3:30pm or 15:00.")
    return at


def parse_day(text: str, now: datetime) -> date | None:
    """A whole text read as one date phrase ("fri", "in 3 days", "2026-12-01").

    Empty text is None (no date); text that is not entirely a date is an InputError.
    """
    words = text.split()
    if not words:
        return None
    match = parse_date_phrase(words, 0, now)
    if match is None or match.consumed != len(words):
        raise InputError(f"{text.strip()} is not a date like fri, in 3 days or 2026-12-01.")
    return match.day
