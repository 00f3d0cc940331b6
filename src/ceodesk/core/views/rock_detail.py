"""Rock detail: one Rock with its linked tasks and the hours of the time blocks serving it.

Also the week's Rock time (how much of the planned week serves a Rock), which the Rocks
and planner screens show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select

from ceodesk.core.domain.planner import block_rocks, planned_rock_minutes
from ceodesk.core.domain.rocks import RockView, rock_view
from ceodesk.core.domain.tasks import TaskView, rock_task_views
from ceodesk.core.kernel.dates import minutes_of_day, quarter_bounds
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import Task, TimeBlock

__all__ = ["RockDetail", "rock_detail", "rock_time"]


@dataclass(frozen=True)
class RockDetail:
    rock: RockView
    tasks: tuple[TaskView, ...]  # open ones first (by due date), then done ones
    block_minutes: int  # planned minutes of blocks serving it within its quarter
    actual_minutes: int  # recorded minutes of those blocks (skipped counts 0)


def rock_detail(db: Database, rock_id: int, now: datetime) -> RockDetail:
    """A Rock with its linked tasks and the time blocks serving it within its quarter
    (linked directly, or through their task)."""
    view = rock_view(db, rock_id, now)
    tasks = rock_task_views(db, rock_id, now)
    first, last = quarter_bounds(view.quarter)
    with db.session() as session:
        # Archived tasks too: time already spent on them still served the Rock.
        task_ids = list(session.exec(select(Task.id).where(Task.rock_id == rock_id)))
        blocks = list(
            session.exec(
                select(TimeBlock).where(
                    TimeBlock.day >= first,
                    TimeBlock.day <= last,
                    (col(TimeBlock.rock_id) == rock_id) | col(TimeBlock.task_id).in_(task_ids),
                )
            )
        )
        serving = block_rocks(session, blocks)
    mine = [b for b in blocks if serving.get(b.id or 0) == rock_id]
    planned = sum(minutes_of_day(b.end) - minutes_of_day(b.start) for b in mine)
    actual = sum(b.actual_minutes or 0 for b in mine if not b.skipped)
    ordered = sorted(
        tasks, key=lambda t: (t.done, t.due_date is None, t.due_date or date.max, t.id)
    )
    return RockDetail(view, tuple(ordered), planned, actual)


def rock_time(db: Database, week: str) -> tuple[int, int]:
    """(planned minutes of the week's blocks that serve a Rock, directly or through their
    task; all planned minutes of the week)."""
    return planned_rock_minutes(db, week)
