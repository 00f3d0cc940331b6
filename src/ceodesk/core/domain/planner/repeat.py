"""The repeat grammar: the choices a user picks ("weekly", "weekdays", ...), their RFC 5545
rules (dateutil.rrule) and labels.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from dateutil.rrule import DAILY, FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule, rrulestr

from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import one_line

_SUB_DAILY = re.compile(r"\bFREQ=(HOURLY|MINUTELY|SECONDLY)\b", re.IGNORECASE)


def _parse_rule(text: str, dtstart: datetime) -> rrule:
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if not rule:
        raise InputError("A repeating block needs a rule like FREQ=WEEKLY;BYDAY=TU.")
    bad = f"“{one_line(text)}” is not a repeat rule like FREQ=WEEKLY;BYDAY=TU."
    if ":" in rule or "\n" in rule:
        raise InputError(bad)
    if _SUB_DAILY.search(rule):
        raise InputError("A block repeats at most once a day.")
    try:
        parsed = rrulestr(rule, dtstart=dtstart)
    except (ValueError, TypeError, OverflowError):
        raise InputError(bad) from None
    if not isinstance(parsed, rrule):
        raise InputError(bad)
    return parsed


def is_repeat_rule(rule: str) -> bool:
    """Whether ``rule`` is a repeat rule a block series can have (at most daily)."""
    try:
        _parse_rule(rule, datetime(2000, 1, 1, tzinfo=UTC))
    except InputError:
        return False
    return True


# What the block form offers under "Repeat", in order: key -> how it reads.
REPEAT_CHOICES = ("weekly", "every 2 weeks", "monthly", "daily", "weekdays")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)


def _nth_weekday(day: date) -> int:
    """Which of its month's weekdays a day is: 1..4, or -1 for the last (a 5th is last)."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def repeat_label(repeat: str, day: date) -> str:
    """How a repeat choice reads for a block on ``day``: "monthly on the first Tuesday"."""
    name = _WEEKDAY_NAMES[day.weekday()]
    labels = {
        "weekly": f"weekly on {name}",
        "every 2 weeks": f"every 2 weeks on {name}",
        "monthly": f"monthly on the {_ORDINALS[_nth_weekday(day)]} {name}",
        "daily": "daily",
        "weekdays": "every weekday (Monday to Friday)",
    }
    return labels[_repeat_key(repeat)]


def _repeat_key(repeat: str) -> str:
    word = one_line(repeat.lower().replace("-", " "))
    word = {"biweekly": "every 2 weeks", "fortnightly": "every 2 weeks"}.get(word, word)
    if word not in REPEAT_CHOICES:
        raise InputError(f"“{repeat.strip()}” is not one of {', '.join(REPEAT_CHOICES)}.")
    return word


def parse_repeat(text: str) -> str | None:
    """What was typed under "Repeat": None for once ("", "no", "once"), else a choice of
    REPEAT_CHOICES ("biweekly" reads as "every 2 weeks"); anything else is refused."""
    if text.strip().lower() in {"", "no", "once", "none"}:
        return None
    return _repeat_key(text)


def repeat_rule(repeat: str, day: date) -> str:
    """The RFC 5545 rule for a block repeating from ``day`` ("weekly", "every 2 weeks",
    "monthly" on the same weekday of the month, "daily", "weekdays")."""
    weekday = _WEEKDAYS[day.weekday()]
    start = datetime.combine(day, time(0))
    key = _repeat_key(repeat)
    if key == "daily":
        rule = rrule(DAILY, dtstart=start)
    elif key == "weekdays":
        rule = rrule(WEEKLY, byweekday=_WEEKDAYS[:5], dtstart=start)
    elif key == "monthly":
        rule = rrule(MONTHLY, byweekday=weekday(_nth_weekday(day)), dtstart=start)
    else:
        rule = rrule(
            WEEKLY, interval=2 if key == "every 2 weeks" else 1, byweekday=weekday, dtstart=start
        )
    return next(line for line in str(rule).splitlines() if line.startswith("RRULE:"))[6:]


def repeat_of(rule: str) -> str | None:
    """The repeat choice a stored rule reads as, or None for a rule typed by hand."""
    text = rule.upper()
    if "FREQ=DAILY" in text and "BYDAY" not in text:
        return "daily"
    if "FREQ=MONTHLY" in text:
        return "monthly"
    if "FREQ=WEEKLY" in text and "BYDAY=MO,TU,WE,TH,FR" in text:
        return "weekdays"
    if "FREQ=WEEKLY" in text:
        return "every 2 weeks" if "INTERVAL=2" in text else "weekly"
    return None
