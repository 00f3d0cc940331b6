"""Values per unit: parsing what a user types, formatting for the grid, averages and totals."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal

from ceodesk.core.kernel.dates import duration_minutes, format_minutes
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import one_line

UNITS = ("number", "currency", "percent", "yesno", "duration")
MAX_MAGNITUDE = 1e12  # larger values are typing mistakes, and floats stay exact below it
_SUMMABLE = frozenset({"number", "currency", "duration"})
_COMPACT = ((1e9, "b"), (1e6, "m"), (1e3, "k"))
_COMPACT_FROM = 10_000
_EXAMPLES = {
    "number": "is not a number like 12000, 12k or 1.5m",
    "currency": "is not a number like 12000, 12k or $12,000",
    "percent": "is not a percentage like 38% or 92.5",
    "yesno": "is not yes or no; write y or n",
    "duration": "is not a duration like 1h30, 90m or 1:30",
}
_NUMBER = re.compile(
    r"([+-]?)(\$?)((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)([kmb]?)(%?)"
)
_MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_YES = frozenset({"y", "yes", "1", "true"})
_NO = frozenset({"n", "no", "0", "false"})
_DECIMAL = r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_BARE_MINUTES = re.compile(_DECIMAL)


def _shown(text: str) -> str:
    text = one_line(text)
    return text if len(text) <= 30 else text[:29] + "…"


def _refuse(text: str, unit: str) -> InputError:
    return InputError(f"“{_shown(text)}” {_EXAMPLES[unit]}.")


def _check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise InputError(
            f"“{unit}” is not a unit; use number, currency, percent, yesno or duration."
        )
    return unit


def parse_value(text: str, unit: str) -> float:
    """Read a typed value in ``unit``: "12000", "12k", "1.5m", "$12,000", "38%" (= 38),
    "y"/"n" (1/0), "1h30", "90m", "1:30", "1.5h" (minutes). Anything else is an
    InputError of one sentence with the unit's examples; the result is always finite."""
    _check_unit(unit)
    word = "".join(text.split()).lower()
    if unit == "yesno":
        if word in _YES:
            return 1.0
        if word in _NO:
            return 0.0
        raise _refuse(text, unit)
    if unit == "duration":
        minutes = _parse_minutes(word)
        if minutes is None:
            raise _refuse(text, unit)
        return _bounded(minutes, text)
    match = _NUMBER.fullmatch(word)
    if match is None:
        raise _refuse(text, unit)
    sign, dollar, digits, suffix, percent = match.groups()
    if (dollar and unit != "currency") or (percent and unit != "percent"):
        raise _refuse(text, unit)
    if suffix and unit == "percent":
        raise _refuse(text, unit)
    value = Decimal(digits.replace(",", "")) * _MULTIPLIERS[suffix]
    return _bounded(float(-value if sign == "-" else value), text)


def _parse_minutes(word: str) -> float | None:
    """A duration value as minutes: the kernel's duration grammar, or a bare number."""
    if _BARE_MINUTES.fullmatch(word):
        return float(Decimal(word))
    try:
        minutes = duration_minutes(word)
    except InputError:
        return None  # "1h75": refused with this unit's examples
    return None if minutes is None else float(minutes)


def _bounded(value: float, text: str) -> float:
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise InputError(f"“{_shown(text)}” is too large for the scorecard.")
    return value + 0.0  # no "-0"


def _trim(number: str) -> str:
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return "0" if number in ("-0", "") else number


def _amount(value: float) -> str:
    """A magnitude in full below 10,000, compact (k, m, b, one decimal) from there on."""
    size = abs(value)
    if size >= _COMPACT_FROM:
        for divisor, suffix in _COMPACT:
            if size >= divisor:
                return _trim(f"{size / divisor:.1f}") + suffix
    return _trim(f"{size:,.2f}")


def format_value(value: float, unit: str) -> str:
    """A value as the scorecard shows it: "12,000"-style numbers below 10,000 and compact
    ones from there ("12.4k", "1.5m"), "$12.4k", "38%" / "92.5%", "yes" / "no", "1h30"."""
    _check_unit(unit)
    if unit == "yesno":
        return "yes" if value >= 0.5 else "no"
    if unit == "duration":
        return format_minutes(round(value))
    if unit == "percent":
        return _trim(f"{value:.1f}") + "%"
    sign = "-" if value < 0 and _amount(value) != "0" else ""
    return f"{sign}{'$' if unit == 'currency' else ''}{_amount(value)}"


def format_goal(operator: str, value: float, value_high: float | None, unit: str) -> str:
    """A goal as text: ">= 25", "<= $180", "between 92%\u201397%" (with an en dash)."""
    if operator == "between":
        high = value if value_high is None else value_high
        return f"between {format_value(value, unit)}–{format_value(high, unit)}"
    return f"{operator} {format_value(value, unit)}"


def average(values: Iterable[float | None], unit: str) -> float | None:
    """The mean of the weeks with a value (for yes/no: the share of yes weeks)."""
    _check_unit(unit)
    present = [v for v in values if v is not None]
    return math.fsum(present) / len(present) if present else None


def total(values: Iterable[float | None], unit: str) -> float | None:
    """The sum of the weeks with a value, for number, currency and duration only."""
    _check_unit(unit)
    present = [v for v in values if v is not None]
    return math.fsum(present) if present and unit in _SUMMABLE else None


_GOAL = re.compile(r"^\s*(>=|<=|=|>|<|between)\s*(.+?)\s*$", re.IGNORECASE)


def parse_goal(text: str, unit: str) -> tuple[str, float, float | None]:
    """ ">= 25", "<= $180", "between 92% 97%" (or "92%-97%") -> operator and value(s)."""
    match = _GOAL.match(text)
    if not match:
        raise InputError(f"“{text.strip()}” is not a goal like >= 25, <= $180 or between 92 97.")
    operator, rest = match[1].lower(), match[2]
    if operator != "between":
        return operator, parse_value(rest, unit), None
    parts = [p for p in re.split(r"\s+and\s+|\s*[–-]\s*|\s+", rest) if p]
    if len(parts) != 2:
        raise InputError("A between goal needs two values, like between 92% 97%.")
    return operator, parse_value(parts[0], unit), parse_value(parts[1], unit)
