"""The app's first frame without the ORM: the week planner's data read with sqlite3.

Starting the app, the CLI asks ``first_look``: on a SQLite file it is sure of, it reads
the user's settings and this week's plan (and last week's reflection) with the standard
library's sqlite3, composed by the planner's same pure rules as ``planner.week_plan``,
while SQLAlchemy loads after the first frame (issue 13). When it cannot be sure — no
file yet, a schema to migrate or a newer one, a read-only file, a file that is not a
database, this week's repeating blocks not yet written (showing the week writes them),
any sqlite3 error — it returns None and the app starts the normal way.

Importing this module loads neither SQLAlchemy, SQLModel nor pydantic.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from ceodesk.core.domain.planner.views import (
    WeekPlan,
    compose_week_plan,
    writes_when_shown,
)
from ceodesk.core.domain.reflections import ReflectionView, reflected
from ceodesk.core.kernel.clock import Clock, LocalNow
from ceodesk.core.kernel.dates import shift_week, week_days
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.store.first_look import FirstLook as _Reader
from ceodesk.core.store.first_look import open_first_look
from ceodesk.core.store.rows import Settings

# planner.recurrence.SHOWN_OCCURRENCES (a test keeps them equal; that module loads the ORM).
SHOWN_OCCURRENCES = "shown_occurrences:"


@dataclass(frozen=True)
class FirstLook:
    """What the week screen's first frame shows, read before the ORM loaded."""

    settings: Settings
    week: str  # this week, in the user's zone
    plan: WeekPlan  # planner.week_plan(db, week, now) would say the same
    reflection: ReflectionView | None  # reflections.previous_reflection(db, week)
    revision: int  # the change feed's revision these were read at
    now: datetime  # the clock's instant they were read at


def first_look(location: str, clock: Clock) -> FirstLook | None:
    """The first frame's data of the database at ``location`` (a path or URL), or None
    when only the normal path can be sure of it."""
    reader = open_first_look(location)
    if reader is None:
        return None
    try:
        with reader:
            return _look(reader, clock)
    except (sqlite3.Error, CeodeskError, ValueError, LookupError):
        # A damaged page, a setting that does not parse, a rule that does not expand:
        # the normal path meets it too and says what is wrong in its sentence.
        return None


def _look(reader: _Reader, clock: Clock) -> FirstLook | None:
    settings = reader.settings()
    if settings is None:
        return None  # no person marked as you: opening the database repairs that
    zone = settings.zone
    now = clock()
    local = LocalNow.at(now, zone)
    week = local.week
    if writes_when_shown(reader, week, zone, SHOWN_OCCURRENCES):
        return None
    days = week_days(week)
    rows = reader.week_rows(days[0], days[-1])
    plan = compose_week_plan(week, rows, local.local, settings.day_start, settings.day_end)
    reflection = reflected(reader.reflection(shift_week(week, -1)))
    return FirstLook(settings, plan.week, plan, reflection, reader.revision(), now)
