"""The week plan: planned vs. actual time per day, category, Rock and task."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import pairwise

from sqlmodel import col, select

from ceodesk.core.domain.planner.common import (
    BlockView,
    FocusView,
    _on_top_key,
    _short_day,
    _views,
    _wall,
    _week_blocks,
    block_rocks,
)
from ceodesk.core.domain.planner.recurrence import _ensure_occurrences
from ceodesk.core.kernel.clock import LocalNow
from ceodesk.core.kernel.dates import (
    minutes_of_day,
    week_days,
    week_key,
)
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import (
    Category,
    FocusTask,
    Task,
    TimeBlock,
)
from ceodesk.core.store.preferences import load_settings


@dataclass(frozen=True)
class DayView:
    day: date
    is_today: bool
    blocks: tuple[BlockView, ...]  # by start, then end
    focus: tuple[FocusView, ...]  # in pinned order
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class CategoryTotal:
    """Planned and actual time of one category in a week.

    ``actual_minutes`` sums recorded actuals (skipped = 0); ``planned_minutes`` sums all
    blocks; ``planned_recorded_minutes`` only those whose actual is recorded.
    """

    category: str
    colour: str
    planned_minutes: int
    actual_minutes: int
    planned_recorded_minutes: int

    @property
    def difference_minutes(self) -> int:
        """Actual minus planned over recorded blocks: negative = less than planned."""
        return self.actual_minutes - self.planned_recorded_minutes


@dataclass(frozen=True)
class WeekPlan:
    week: str  # "2026-W48"
    days: tuple[DayView, ...]  # Monday..Sunday
    today: date
    now_time: time  # the user's wall-clock time now, to the minute
    totals: tuple[CategoryTotal, ...]  # categories in order, those with any time
    planned_minutes: int
    actual_minutes: int
    task_linked_minutes: int  # planned minutes of blocks linked to a task
    is_empty: bool  # no blocks besides recurring and imported ones
    day_start: time
    day_end: time
    rock_minutes: int = 0  # planned minutes of blocks linked to a Rock, directly or via a task


def counted_minutes(views: Iterable[BlockView]) -> dict[int, int]:
    """Block id -> the planned minutes it counts, so each minute of a day counts once.

    Where blocks overlap, a minute counts for the block placed inside the other (the one
    starting latest, then the shortest): a task scheduled into deep work counts its own
    time and the deep-work block the rest, so the week's planned time is the calendar
    time covered, never more.
    """
    counted: dict[int, int] = {}
    by_day: dict[date, list[BlockView]] = {}
    for view in views:
        counted[view.id] = 0
        by_day.setdefault(view.day, []).append(view)
    for day_views in by_day.values():
        edges = sorted(
            {m for v in day_views for m in (minutes_of_day(v.start), minutes_of_day(v.end))}
        )
        for begin, end in pairwise(edges):
            here = [
                v
                for v in day_views
                if minutes_of_day(v.start) <= begin and end <= minutes_of_day(v.end)
            ]
            if here:
                counted[max(here, key=_on_top_key).id] += end - begin
    return counted


def covered_minutes(spans: Iterable[BlockView | tuple[int, date, time, time]]) -> int:
    """Minutes of calendar time covered by these blocks, each minute once."""
    by_day: dict[date, list[tuple[int, int]]] = {}
    for span in spans:
        if isinstance(span, BlockView):
            day, start, end = span.day, span.start, span.end
        else:
            _id, day, start, end = span
        by_day.setdefault(day, []).append((minutes_of_day(start), minutes_of_day(end)))
    total = 0
    for intervals in by_day.values():
        reach = -1
        for first, last in sorted(intervals):
            first = max(first, reach)
            if last > first:
                total += last - first
                reach = last
    return total


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


def _is_own(block: TimeBlock) -> bool:
    """A block the user planned (not a recurring occurrence, not an imported event)."""
    return block.series_id is None and not block.fixed


def week_plan(db: Database, week: str, now: datetime) -> WeekPlan:
    """The week's blocks per day, focus tasks, warnings and planned vs. actual per category.

    Writes the week's recurring occurrences first if it is shown for the first time.
    """
    days = week_days(week)
    settings = load_settings(db)
    zone = settings.zone
    _ensure_occurrences(db, week, zone)
    local = LocalNow.at(now, zone).local
    today = local.date()
    with db.session() as session:
        blocks = _week_blocks(session, days[0], days[-1])
        views = _views(session, blocks)
        pinned = session.exec(
            select(FocusTask, Task)
            .join(Task, col(Task.id) == col(FocusTask.task_id))
            .where(
                FocusTask.day >= days[0],
                FocusTask.day <= days[-1],
                col(Task.archived_at).is_(None),
            )
            .order_by(col(FocusTask.day), col(FocusTask.position), col(FocusTask.task_id))
        ).all()
        categories = list(
            session.exec(select(Category).order_by(col(Category.position), col(Category.id)))
        )
    day_views = []
    for day in days:
        day_blocks = tuple(v for v in views if v.day == day)
        linked = {v.task_id for v in day_blocks if v.task_id is not None}
        focus = tuple(
            FocusView(task.id or 0, task.title, task.done_at is not None, task.id in linked)
            for row, task in pinned
            if row.day == day
        )
        day_views.append(DayView(day, day == today, day_blocks, focus, _day_warnings(day, focus)))
    counted = counted_minutes(views)
    totals = []
    for category in categories:
        mine = [v for v in views if v.category_id == category.id]
        recorded = [v for v in mine if v.is_recorded]
        planned = sum(counted[v.id] for v in mine)
        actual = sum(v.actual_minutes or 0 for v in recorded)
        if planned or actual:
            totals.append(
                CategoryTotal(
                    category.name,
                    category.colour,
                    planned,
                    actual,
                    sum(v.planned_minutes for v in recorded),
                )
            )
    return WeekPlan(
        week=week_key(days[0]),
        days=tuple(day_views),
        today=today,
        now_time=_wall(local.time()),
        totals=tuple(totals),
        planned_minutes=sum(counted.values()),
        actual_minutes=sum(v.actual_minutes or 0 for v in views if v.is_recorded),
        task_linked_minutes=covered_minutes(v for v in views if v.task_id is not None),
        is_empty=not any(_is_own(b) for b in blocks),
        day_start=settings.day_start,
        day_end=settings.day_end,
        rock_minutes=covered_minutes(v for v in views if v.rock_id is not None),
    )


def _day_warnings(day: date, focus: Sequence[FocusView]) -> tuple[str, ...]:
    """A day holds one or two focus tasks, each with time for it: warn, never block."""
    warnings = []
    if len(focus) > 2:
        warnings.append(f"More than two focus tasks on {_short_day(day)}.")
    warnings.extend(
        f"Focus task “{f.title}” has no time block on {_short_day(day)}."
        for f in focus
        if not f.has_block and not f.done
    )
    return tuple(warnings)
