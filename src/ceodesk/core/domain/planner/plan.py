"""The week plan: planned vs. actual time per day, category, Rock and task."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from ceodesk.core.domain.planner.common import (
    _block_rows,
    _week_blocks,
    _with_tasks,
    block_rocks,
    stored_block_rows,
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
from ceodesk.core.store.changes import Kept
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import FocusTask, Task, TimeBlock
from ceodesk.core.store.plain import PlainQuery
from ceodesk.core.store.preferences import load_settings
from ceodesk.core.store.rows import FocusRow, Settings, WeekRows

__all__ = [
    "CategoryTotal",
    "DayView",
    "RecordedTime",
    "WeekPlan",
    "_day_warnings",
    "_is_own",
    "counted_minutes",
    "covered_minutes",
    "planned_rock_minutes",
    "recorded_time",
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


@dataclass(frozen=True)
class RecordedTime:
    """A week's recorded minutes (a skipped block counts 0), as ``week_plan`` sums them."""

    minutes: int
    rock_minutes: int  # of blocks serving a Rock, directly or through their task
    q2_minutes: int  # of blocks linked to an important, not urgent task


def recorded_time(db: Database, week: str) -> RecordedTime:
    """The week's recorded minutes from its stored blocks, in one query: what the week
    plan's blocks add up to, without composing the plan (a recurring block not yet
    written has recorded nothing)."""
    days = week_days(week)
    serves = func.coalesce(TimeBlock.rock_id, Task.rock_id)  # its own Rock, else its task's
    query = (
        select(TimeBlock.actual_minutes, serves, Task.important, Task.urgent)
        .join(Task, col(Task.id) == col(TimeBlock.task_id), isouter=True)
        .where(TimeBlock.day >= days[0], TimeBlock.day <= days[-1])
    )
    total = rock = q2 = 0
    with db.session() as session:
        for actual, rock_id, important, urgent in session.exec(query):
            minutes = actual or 0
            total += minutes
            rock += minutes if rock_id is not None else 0
            q2 += minutes if important and not urgent else 0
    return RecordedTime(total, rock, q2)


def week_rows(session: Session, first: date, last: date) -> WeekRows:
    """What the week plan of the days ``first`` to ``last`` is composed from."""
    rows = _with_tasks(session, _stored_blocks(session, first, last))
    return _with_focus(session, rows, first, last)


def _stored_blocks(session: Session, first: date, last: date) -> WeekRows:
    """The days' blocks, categories and series rules: no task is read."""
    return _block_rows(session, stored_block_rows(session, first, last))


_FOCUS_ROWS = PlainQuery(
    sa_select(col(FocusTask.day), col(Task.id), col(Task.title), col(Task.done_at))
    .join(Task, col(Task.id) == col(FocusTask.task_id))
    .where(
        col(FocusTask.day) >= bindparam("first"),
        col(FocusTask.day) <= bindparam("last"),
        col(Task.archived_at).is_(None),
    )
    .order_by(col(FocusTask.day), col(FocusTask.position), col(FocusTask.task_id))
)


def _with_focus(session: Session, rows: WeekRows, first: date, last: date) -> WeekRows:
    """``rows`` with the tasks pinned to focus on the days ``first`` to ``last``."""
    focus = tuple(
        FocusRow(day, task_id, title, done_at is not None)
        for day, task_id, title, done_at in _FOCUS_ROWS.rows(session, first=first, last=last)
    )
    return replace(rows, focus=focus)


def week_plan(
    db: Database,
    week: str,
    now: datetime,
    *,
    settings: Settings | None = None,
    kept: Kept | None = None,
) -> WeekPlan:
    """The week's blocks per day, focus tasks, warnings and planned vs. actual per category
    (``settings``, when the caller has read them, are not read again). With ``kept`` (a
    screen's), the blocks' own rows are reused until a table they were read from changes:
    a task's change reads only the tasks again.

    Writes the week's recurring occurrences first if it is shown for the first time.
    """
    days = week_days(week)
    first, last = days[0], days[-1]
    if settings is None:
        settings = load_settings(db)
    zone = settings.zone
    _ensure_occurrences(db, week, zone)
    with db.session() as session:
        if kept is None:
            rows = week_rows(session, first, last)
        else:
            stored = kept.get(
                db.changes.now(),
                f"blocks of {week}",
                (),
                lambda: _stored_blocks(session, first, last),
            )
            rows = _with_focus(session, _with_tasks(session, stored), first, last)
    local = LocalNow.at(now, zone).local
    return compose_week_plan(week, rows, local, settings.day_start, settings.day_end)
