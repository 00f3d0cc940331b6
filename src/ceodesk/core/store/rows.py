"""Plain copies of stored rows, and the user's settings as read: no ORM in sight.

The week planner's pure rules compose its views from these, whichever way the rows
were read: through the ORM (a Database's session) or with the standard library's
sqlite3 at start-up (store.first_look), before SQLAlchemy has loaded (issue 13).
Importing this module loads neither SQLAlchemy, SQLModel nor pydantic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ceodesk.core.kernel.errors import InputError

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
# What each setting is when it was never saved (store.preferences.load_settings).
DEFAULT_TIME_ZONE = "UTC"
DEFAULT_DAY_START = "07:00"
DEFAULT_DAY_END = "19:00"


@dataclass(frozen=True)
class Settings:
    my_name: str
    time_zone: str
    day_start: time
    day_end: time

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def is_time_zone(name: str) -> bool:
    if not name or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder, not a zone
        return False
    return True


def parse_clock(text: str) -> time:
    """'7:00' or '07:30' -> a time of day; anything else is an InputError."""
    match = _CLOCK.match(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(f"{text.strip() or 'An empty value'} is not a time of day like 07:00.")
    return time(int(match[1]), int(match[2]))


def settings_of(my_name: str, stored: dict[str, str]) -> Settings:
    """The settings from the stored ``setting`` rows (key -> value) and my name."""
    zone = stored.get("time_zone", DEFAULT_TIME_ZONE)
    return Settings(
        my_name=my_name,
        time_zone=zone if is_time_zone(zone) else DEFAULT_TIME_ZONE,
        day_start=parse_clock(stored.get("day_start", DEFAULT_DAY_START)),
        day_end=parse_clock(stored.get("day_end", DEFAULT_DAY_END)),
    )


@dataclass(frozen=True)
class BlockRow:
    """A ``timeblock`` row, as the planner's views read it."""

    id: int
    day: date
    start: time
    end: time
    title: str
    category_id: int
    task_id: int | None
    series_id: int | None
    fixed: bool
    actual_minutes: int | None
    skipped: bool
    rock_id: int | None


@dataclass(frozen=True)
class CategoryRow:
    id: int
    name: str
    colour: str
    kind: str


@dataclass(frozen=True)
class TaskRow:
    """A task linked to a block: its title, whether it is done, the Rock it serves."""

    id: int
    title: str
    done: bool
    rock_id: int | None


@dataclass(frozen=True)
class FocusRow:
    """A pinned focus task of a day (of a task not archived), in pinned order."""

    day: date
    task_id: int
    title: str
    done: bool


@dataclass(frozen=True)
class SeriesRow:
    """A ``blockseries`` row: a repeating block's rule and what each occurrence gets."""

    id: int
    uid: str
    title: str
    category_id: int
    rule: str
    start: time
    end: time
    starts_on: date
    ends_on: date | None
    task_id: int | None
    rock_id: int | None


@dataclass(frozen=True)
class WeekRows:
    """What the week plan is composed from: the week's blocks (by day, start, end, id),
    every category (by position, id), the linked tasks, the Rocks' titles, the series'
    rules and the pinned focus tasks (by day, position, task)."""

    blocks: tuple[BlockRow, ...]
    categories: tuple[CategoryRow, ...]
    tasks: dict[int, TaskRow]
    rock_titles: dict[int, str]
    rules: dict[int, str]
    focus: tuple[FocusRow, ...]


@dataclass(frozen=True)
class ReflectionRow:
    """A ``weekreflection`` row's reflected parts."""

    week: str
    wins: str
    lessons: str
    focus: str
    adjustment_kind: str
    adjustment: str
