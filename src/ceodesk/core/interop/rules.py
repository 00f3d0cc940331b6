"""What a well-typed value must also mean, table by table, for an import to take it.

``rows.py`` checks that a file's value has the column's kind (text, a whole number, a
date); a value of the right kind can still mean nothing here — a Rock's final status of
"bogus", an issue's term that is neither short nor long, a block that ends before it
starts, a repeat rule that does not parse, a second person marked as you — and such a
row would crash or mislead a screen later. So the import refuses it, whole, with one
sentence naming the field and what it may hold.

The rules are the domains' own: their constants (``issues.TERMS``, ``scorecard.UNITS``,
...) and their checks (``is_time_zone``, ``is_repeat_rule``, ``check_formula``), never a
copy of them. Two kinds of rule:

- ``ROW_RULES``: a check of one row's values, run on every row as it is read (a closure
  per rule, made once; it says what is wrong, or None);
- ``TABLE_RULES``: a check of the table as merged, run once after its rows are written in
  the import's transaction (a second person marked as you, a loop of goal links, a
  formula naming no measurable, a day that ends before it starts, no leadership team):
  it sees the stored
  rows the file's rows are merged with.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, func, select

from ceodesk.core.domain import issues, meetings, reflections, rocks
from ceodesk.core.domain.planner.common import DAY_MINUTES
from ceodesk.core.domain.planner.recurrence import SHOWN_OCCURRENCES
from ceodesk.core.domain.planner.repeat import is_repeat_rule
from ceodesk.core.domain.scorecard.formulas import check_formula
from ceodesk.core.domain.scorecard.grading import COMBINE_RULES, OPERATORS
from ceodesk.core.domain.scorecard.values import MAX_MAGNITUDE, UNITS
from ceodesk.core.domain.settings import is_colour, is_time_zone, parse_clock
from ceodesk.core.kernel.dates import (
    MAX_ESTIMATE_MINUTES,
    minutes_of_day,
    normal_week_key,
    quarter_bounds,
    quarter_key,
)
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.perspectives import PERSPECTIVES
from ceodesk.core.kernel.text import one_line
from ceodesk.core.store import models

Row = dict[str, Any]
TableRule = Callable[[Connection, list[Row]], str | None]  # the same of the merged table


def shown(value: Any) -> str:
    """A file's value as a refusal quotes it: as JSON, cut at 40 characters."""
    if isinstance(value, time):
        value = value.isoformat()
    text = json.dumps(value, ensure_ascii=False, default=str)
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def _listed(allowed: Iterable[str]) -> str:
    words = [json.dumps(a) if a == "" else a for a in allowed]
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]


# ---------------------------------------------------------------- the rules' makers


@dataclass(frozen=True)
class RowRule:
    """A rule of one row: ``says`` what is wrong with a row, or None; ``scan``, when it
    has one, finds the first row broken among many without a call per row (a table of
    100,000 rows is read in about a second, and checked in a few milliseconds)."""

    says: Callable[[Row], str | None]
    scan: Callable[[list[Row]], int | None] | None = None

    def first_broken(self, rows: list[Row]) -> tuple[int, str] | None:
        """The first row that breaks the rule, and what is wrong with it."""
        if self.scan is not None:
            at = self.scan(rows)
            if at is None:
                return None
            what = self.says(rows[at])
            assert what is not None, (self, rows[at])
            return at, what
        for at, row in enumerate(rows):
            what = self.says(row)
            if what is not None:
                return at, what
        return None


def _scan_by_value(name: str, good: Callable[[Any], bool]) -> Callable[[list[Row]], int | None]:
    """The first row whose value is not good, testing each distinct value once."""
    column = itemgetter(name)

    def scan(rows: list[Row]) -> int | None:
        bad = {value for value in set(map(column, rows)) if not good(value)}
        if not bad:
            return None
        return next(at for at, value in enumerate(map(column, rows)) if value in bad)

    return scan


def one_of(name: str, allowed: Collection[str], *, or_null: bool = False) -> RowRule:
    known = frozenset(allowed) | ({None} if or_null else frozenset())
    what = f"one of {_listed(allowed)}" + (" (or null)" if or_null else "")

    def says(row: Row) -> str | None:
        value = row[name]
        if value in known:
            return None
        return f"has {shown(value)} for {name}, which is not {what}"

    return RowRule(says, _scan_by_value(name, known.__contains__))


def within(
    name: str, low: float | None, high: float | None, what: str, *, or_null: bool = False
) -> RowRule:
    lowest = -math.inf if low is None else low
    highest = math.inf if high is None else high

    def good(value: Any) -> bool:
        if value is None:
            return or_null
        return bool(lowest <= value <= highest)

    def says(row: Row) -> str | None:
        value = row[name]
        return None if good(value) else f"has {shown(value)} for {name}, which is not {what}"

    column = itemgetter(name)

    def scan(rows: list[Row]) -> int | None:
        for at, value in enumerate(map(column, rows)):
            if value is None:
                if not or_null:
                    return at
            elif not lowest <= value <= highest:
                return at
        return None

    return RowRule(says, scan)


def holds(name: str, test: Callable[[Any], bool], what: str, *, or_null: bool = False) -> RowRule:
    def good(value: Any) -> bool:
        return or_null if value is None else test(value)

    def says(row: Row) -> str | None:
        value = row[name]
        return None if good(value) else f"has {shown(value)} for {name}, which is not {what}"

    return RowRule(says, _scan_by_value(name, good))


def ends_after_start(start: str = "start", end: str = "end") -> RowRule:
    """A span of one day: its end after its start (the planner's SAME_DAY rule)."""

    def says(row: Row) -> str | None:
        if minutes_of_day(row[end]) > minutes_of_day(row[start]):
            return None
        return (
            f"has {shown(row[end])} for {end}, which is not after its {start} "
            f"({row[start].isoformat()}) on the same day"
        )

    starts, ends = itemgetter(start), itemgetter(end)

    def scan(rows: list[Row]) -> int | None:
        for at, (first, last) in enumerate(zip(map(starts, rows), map(ends, rows), strict=True)):
            if last.hour * 60 + last.minute <= first.hour * 60 + first.minute:
                return at
        return None

    return RowRule(says, scan)


def not_before(first: str, then: str) -> RowRule:
    def says(row: Row) -> str | None:
        if row[then] is None or row[first] is None or row[then] >= row[first]:
            return None
        return (
            f"has {shown(row[then].isoformat())} for {then}, which is before its {first} "
            f"({row[first].isoformat()})"
        )

    return RowRule(says)


def titled(name: str) -> RowRule:
    """A title or name as the app would store one: with some words in it. (Its length
    is not checked: a desk may hold titles longer than a form takes today.)"""

    def good(value: Any) -> bool:
        return bool(one_line(value))

    def says(row: Row) -> str | None:
        value = row[name]
        return None if good(value) else f"has {shown(value)} for {name}, which needs some words"

    return RowRule(says, _scan_by_value(name, good))


# ------------------------------------------------------------------- value checks


@lru_cache(maxsize=4096)
def is_week(key: str) -> bool:
    """An ISO week in its one stored spelling ("2026-W48")."""
    try:
        return normal_week_key(key) == key
    except InputError:
        return False


@lru_cache(maxsize=1024)
def is_quarter(key: str) -> bool:
    """A quarter in its one stored spelling ("2026-Q4")."""
    try:
        return quarter_key(quarter_bounds(key)[0]) == key
    except InputError:
        return False


def _is_clock(text: str) -> bool:
    try:
        parse_clock(text)
    except InputError:
        return False
    return True


WEEK = "an ISO week like 2026-W48"
CLOCK = "a time of day like 07:00"
_SETTING_VALUES: dict[str, tuple[Callable[[str], bool], str]] = {
    "time_zone": (is_time_zone, "an IANA time zone like Europe/Berlin"),
    "day_start": (_is_clock, CLOCK),
    "day_end": (_is_clock, CLOCK),
}


def _setting_value(row: Row) -> str | None:
    key, value = row["key"], row["value"]
    check = _SETTING_VALUES.get(key)
    if check is None and key.startswith(SHOWN_OCCURRENCES):
        check = (is_week, WEEK)
    if check is None or check[0](value):
        return None
    return f"has {shown(value)} for value, which is not {check[1]}"


def _skipped_without_time(row: Row) -> str | None:
    if row["skipped"] and row["actual_minutes"] is not None:
        return (
            f"has {shown(row['actual_minutes'])} for actual_minutes, which a skipped "
            "block does not have (null)"
        )
    return None


def _between_goal(row: Row) -> str | None:
    low, high = row["value"], row["value_high"]
    if row["operator"] != "between":
        return None
    if high is None:
        return "has no value for value_high, which a between goal needs"
    if high < low:
        return f"has {shown(high)} for value_high, which is below its value ({shown(low)})"
    return None


@lru_cache(maxsize=4096)
def is_slug(slug: str) -> bool:
    """A Rock's slug as the app makes one: words in lower case joined by "-", as long as
    ``rocks.slugify`` makes them (and a "-2" to tell two apart)."""
    return bool(_SLUG.fullmatch(slug)) and slug == slug.lower() and len(slug) <= _LONGEST_SLUG


_SLUG = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_LONGEST_SLUG = rocks.SLUG_MAX + 6  # "-99999": the copies one title can have, and more


def _me_active(row: Row) -> str | None:
    if row["is_me"] and not row["active"]:
        return "has false for active, which the person marked as you cannot have"
    return None


MINUTES_OF_A_DAY = f"a number of minutes from 0 to {DAY_MINUTES}"
PERSPECTIVE = f"one of {_listed(PERSPECTIVES)} (or null)"
MAGNITUDE = "a number no larger than a trillion"
SECTION_MINUTES = f"a number of minutes from 1 to {meetings.MAX_SECTION_MINUTES}"

ROW_RULES: dict[str, tuple[RowRule, ...]] = {
    "setting": (RowRule(_setting_value),),
    "person": (RowRule(_me_active),),
    "category": (
        one_of("kind", [kind.value for kind in models.CategoryKind]),
        holds("colour", is_colour, "a colour like #4c78a8"),
    ),
    "task": (
        within(
            "estimate_minutes",
            0,
            MAX_ESTIMATE_MINUTES,
            f"a number of minutes from 0 to {MAX_ESTIMATE_MINUTES}",
            or_null=True,
        ),
    ),
    "timeblock": (
        ends_after_start(),
        within("actual_minutes", 0, DAY_MINUTES, MINUTES_OF_A_DAY, or_null=True),
        RowRule(_skipped_without_time),
    ),
    "blockseries": (
        holds("rule", is_repeat_rule, "a repeat rule like FREQ=WEEKLY;BYDAY=TU"),
        ends_after_start(),
        not_before("starts_on", "ends_on"),
    ),
    "idealblock": (
        within("weekday", 0, 6, "a weekday from 0 (Monday) to 6 (Sunday)"),
        ends_after_start(),
    ),
    "focustask": (within("position", 0, None, "a position from 0 on"),),
    "goal": (one_of("perspective", PERSPECTIVES, or_null=True),),
    "goallink": (
        RowRule(
            lambda row: (
                "names the same goal as its cause and its effect"
                if row["cause_id"] == row["effect_id"]
                else None
            )
        ),
    ),
    "rock": (
        holds("quarter", is_quarter, "a quarter like 2026-Q4"),
        one_of("final_status", rocks.FINAL_STATUSES, or_null=True),
    ),
    "rockweek": (holds("week", is_week, WEEK), one_of("status", rocks.WEEKLY_STATUSES)),
    "measurable": (
        one_of("unit", UNITS),
        one_of("perspective", PERSPECTIVES, or_null=True),
        one_of("combine", COMBINE_RULES),
        within("tolerance", 0, 1, "a share of the goal from 0 to 1", or_null=True),
    ),
    "measurablegoal": (
        holds("from_week", is_week, WEEK),
        one_of("operator", OPERATORS),
        within("value", -MAX_MAGNITUDE, MAX_MAGNITUDE, MAGNITUDE),
        within("value_high", -MAX_MAGNITUDE, MAX_MAGNITUDE, MAGNITUDE, or_null=True),
        RowRule(_between_goal),
    ),
    "measurablevalue": (
        holds("week", is_week, WEEK),
        within("value", -MAX_MAGNITUDE, MAX_MAGNITUDE, MAGNITUDE),
    ),
    "issue": (
        one_of("term", issues.TERMS),
        one_of("status", issues.STATUSES),
        within("rank", 1, issues.TOP, f"a rank from 1 to {issues.TOP} (or null)", or_null=True),
        one_of("source_kind", issues.SOURCE_KINDS, or_null=True),
    ),
    "meeting": (
        holds("week", is_week, WEEK),
        within("section", 0, None, "an agenda position from 0 on"),
        not_before("started_at", "ended_at"),
    ),
    "meetingsection": (
        one_of("kind", meetings.SECTION_KINDS),
        within("minutes", 1, meetings.MAX_SECTION_MINUTES, SECTION_MINUTES),
        within("used_seconds", 0, None, "a number of seconds from 0 on"),
        within("position", 0, None, "a position from 0 on"),
    ),
    "agendasection": (
        one_of("kind", meetings.SECTION_KINDS),
        within("minutes", 1, meetings.MAX_SECTION_MINUTES, SECTION_MINUTES),
        within("position", 0, None, "a position from 0 on"),
    ),
    "headline": (one_of("kind", meetings.HEADLINE_KINDS),),
    "meetingrating": (
        within(
            "score",
            meetings.LOWEST_RATING,
            meetings.HIGHEST_RATING,
            f"a rating from {meetings.LOWEST_RATING} to {meetings.HIGHEST_RATING}",
        ),
    ),
    "dismissedproposal": (holds("week", is_week, WEEK),),
    "weekreflection": (
        holds("week", is_week, WEEK),
        one_of("adjustment_kind", [kind for kind, _label in reflections.ADJUSTMENTS]),
    ),
}

# The title or name a row cannot be without, by table.
TITLES = {
    "category": "name",
    "corevalue": "name",
    "goal": "title",
    "person": "name",
    "team": "name",
    "agendasection": "title",
    "idealblock": "title",
    "measurable": "name",
    "rock": "title",
    "cascademessage": "text",
    "headline": "text",
    "issue": "title",
    "meetingsection": "title",
    "milestone": "title",
    "task": "title",
    "blockseries": "title",
    "decision": "text",
    "todo": "title",
    "timeblock": "title",
}
for _table, _column in TITLES.items():
    ROW_RULES[_table] = (titled(_column), *ROW_RULES.get(_table, ()))
ROW_RULES["rock"] = (
    *ROW_RULES["rock"],
    holds("slug", is_slug, 'words in lower case joined by "-", like hire-a-vp'),
)


# ----------------------------------------------------------------- table rules


def _exactly_one(table_name: str, column: str, none: str, many: str) -> TableRule:
    """One row of the merged table with ``column`` true, when the file has rows of it;
    ``many`` takes how many there would be."""
    table = models.SQLModel.metadata.tables[table_name]
    query = select(func.count()).select_from(table).where(table.c[column].is_(True))

    def rule(conn: Connection, rows: list[Row]) -> str | None:
        if not rows:
            return None
        marked = conn.execute(query).scalar_one()
        if marked == 1:
            return None
        return none if marked == 0 else many.format(marked)

    return rule


def _day_order(conn: Connection, rows: list[Row]) -> str | None:
    if not any(row["key"] in ("day_start", "day_end") for row in rows):
        return None
    table = models.SQLModel.metadata.tables["setting"]
    stored = dict(
        conn.execute(
            select(table.c.key, table.c.value).where(table.c.key.in_(["day_start", "day_end"]))
        ).all()
    )
    if len(stored) < 2 or parse_clock(stored["day_start"]) < parse_clock(stored["day_end"]):
        return None
    return (
        f"The file's setting day_end ({stored['day_end']}) is not after day_start "
        f"({stored['day_start']}), and a day must start before it ends"
    )


def _goal_loops(conn: Connection, rows: list[Row]) -> str | None:
    if not rows:
        return None
    table = models.SQLModel.metadata.tables["goallink"]
    effects: dict[int, list[int]] = {}
    for cause, effect in conn.execute(select(table.c.cause_id, table.c.effect_id)):
        effects.setdefault(cause, []).append(effect)
    state: dict[int, int] = {}  # 1: on the path being walked, 2: done
    for start in list(effects):
        if state.get(start):
            continue
        stack = [(start, iter(effects.get(start, ())))]
        state[start] = 1
        while stack:
            node, following = stack[-1]
            step = next(following, None)
            if step is None:
                state[node] = 2
                stack.pop()
            elif state.get(step) == 1:
                return (
                    "The file's goallink rows make a loop of goals, which a strategy map "
                    "cannot have"
                )
            elif not state.get(step):
                state[step] = 1
                stack.append((step, iter(effects.get(step, ()))))
    return None


def _formulas(conn: Connection, rows: list[Row]) -> str | None:
    mine = [row for row in rows if row["formula"] is not None]
    if not mine:
        return None
    table = models.SQLModel.metadata.tables["measurable"]
    # Archived measurables too: archiving one a formula uses is allowed (its weeks stay).
    known = list(conn.execute(select(table.c.name)).scalars())
    for row in mine:
        names = [name for name in known if name.lower() != row["name"].lower()]
        try:
            check_formula(row["formula"], names)
        except InputError:
            return (
                f"The file's measurable {row['uid']} has {shown(row['formula'])} for formula, "
                "which is not a formula of other measurables like won / leads"
            )
    return None


TABLE_RULES: dict[str, tuple[TableRule, ...]] = {
    "setting": (_day_order,),
    "team": (
        _exactly_one(
            "team",
            "is_leadership",
            "The file's team rows would leave no leadership team, and there is one",
            "The file's team rows would make {} leadership teams, and there is one",
        ),
    ),
    "person": (
        _exactly_one(
            "person",
            "is_me",
            "The file's person rows would leave no person marked as you, and one is you",
            "The file's person rows would mark {} people as you, and only one is you",
        ),
    ),
    "goallink": (_goal_loops,),
    "measurable": (_formulas,),
}
