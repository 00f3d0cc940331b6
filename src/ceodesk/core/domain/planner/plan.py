"""The week plan: planned vs. actual time per day, category, Rock and task."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlmodel import Session, col, select

from ceodesk.core.domain.planner.common import (
    _week_blocks,
    _week_rows,
    block_rocks,
)
from ceodesk.core.domain.planner.recurrence import _ensure_occurrences

# The view objects and the pure composition live in ``views`` (no ORM): re-exported here.
from ceodesk.core.domain.planner.views import (
    CategoryTotal,
    DayView,
    WeekPlan,
    _day_warnings,
    _is_own,
    compose_week_plan,
    counted_minutes,
    covered_minutes,
)
from ceodesk.core.kernel.clock import LocalNow
from ceodesk.core.kernel.dates import week_days
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import FocusTask, Task
from ceodesk.core.store.preferences import load_settings
from ceodesk.core.store.rows import FocusRow, WeekRows

__all__ = [
    "CategoryTotal",
    "DayView",
    "WeekPlan",
    "_day_warnings",
    "_is_own",
    "counted_minutes",
    "covered_minutes",
    "planned_rock_minutes",
    "week_plan",
    "week_rows",
]


def planned_rock_minutes(db: Database, week: str) -> tuple[int, int]:
    """(planned minutes of the week's blocks that serve a Rock, all planned minutes).

    Writes the week's recurring occurrences first, like ``week_plan``, so totals agree.
    """
    days = week_days(week)
    _ensure_occurrences(db, week, load_settings(db).zone)
    with db.session() as session:
        blocks = _week_blocks(session, days[0], days[-1])
        serving = block_rocks(session, blocks)
    spans = [(b.id or 0, b.day, b.start, b.end) for b in blocks]
    serving_spans = [span for span in spans if span[0] in serving]
    return covered_minutes(serving_spans), covered_minutes(spans)


def week_rows(session: Session, first: date, last: date) -> WeekRows:
    """What the week plan of the days ``first`` to ``last`` is composed from."""
    blocks = _week_blocks(session, first, last)
    pinned = session.exec(
        select(FocusTask, Task)
        .join(Task, col(Task.id) == col(FocusTask.task_id))
        .where(
            FocusTask.day >= first,
            FocusTask.day <= last,
            col(Task.archived_at).is_(None),
        )
        .order_by(col(FocusTask.day), col(FocusTask.position), col(FocusTask.task_id))
    ).all()
    focus = tuple(
        FocusRow(row.day, task.id or 0, task.title, task.done_at is not None)
        for row, task in pinned
    )
    return replace(_week_rows(session, blocks), focus=focus)


def week_plan(db: Database, week: str, now: datetime) -> WeekPlan:
    """The week's blocks per day, focus tasks, warnings and planned vs. actual per category.

    Writes the week's recurring occurrences first if it is shown for the first time.
    """
    days = week_days(week)
    settings = load_settings(db)
    zone = settings.zone
    _ensure_occurrences(db, week, zone)
    with db.session() as session:
        rows = week_rows(session, days[0], days[-1])
    local = LocalNow.at(now, zone).local
    return compose_week_plan(week, rows, local, settings.day_start, settings.day_end)
