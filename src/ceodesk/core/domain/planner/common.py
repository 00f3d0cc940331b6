"""What the planner's parts share: limits, the view objects, wall-clock helpers, lookups and
checks, and turning stored blocks into views.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import fields, replace
from datetime import date, time
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

# The view objects and the pure rules live in ``views`` (no ORM): re-exported here.
from ceodesk.core.domain.planner.views import (
    KEEP,
    BlockView,
    DeepWorkConflict,
    FocusView,
    Keep,
    Linked,
    _on_top_key,
    _short_day,
    _wall,
    block_views,
    overlapping_ids,
    rocks_served,
)
from ceodesk.core.kernel.dates import minutes_of_day
from ceodesk.core.kernel.errors import InputError, NotFoundError
from ceodesk.core.kernel.text import one_line
from ceodesk.core.store.db import Database
from ceodesk.core.store.lookups import get_or_refuse, task_or_refuse
from ceodesk.core.store.models import (
    BlockSeries,
    Category,
    CategoryKind,
    Rock,
    Task,
    TimeBlock,
)
from ceodesk.core.store.plain import PlainQuery, of_ids
from ceodesk.core.store.preferences import CategoryView
from ceodesk.core.store.rows import BlockRow, CategoryRow, TaskRow, WeekRows

__all__ = [
    "KEEP",
    "BlockView",
    "DeepWorkConflict",
    "FocusView",
    "Keep",
    "_on_top_key",
    "_short_day",
    "_wall",
    "overlapping_ids",
]

# The category kinds the rules look at (the names are the user's to change).
DEEP_WORK = CategoryKind.DEEP_WORK
MEETINGS = CategoryKind.MEETINGS
DAY_MINUTES = 24 * 60
SHORTEST_BLOCK_MINUTES = 15
SAME_DAY = "A block must end after it starts, on the same day."
FIXED = "Imported calendar events stay where they are."


def _span(start: time, end: time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _check_span(start: time, end: time) -> None:
    if minutes_of_day(end) <= minutes_of_day(start):
        raise InputError(SAME_DAY)


def _week_blocks(session: Session, first: date, last: date) -> list[TimeBlock]:
    return list(
        session.exec(
            select(TimeBlock)
            .where(TimeBlock.day >= first, TimeBlock.day <= last)
            .order_by(
                col(TimeBlock.day), col(TimeBlock.start), col(TimeBlock.end), col(TimeBlock.id)
            )
        )
    )


def block_row(block: TimeBlock) -> BlockRow:
    """A stored block as the pure rules read it."""
    return BlockRow(
        id=block.id or 0,
        day=block.day,
        start=block.start,
        end=block.end,
        title=block.title,
        category_id=block.category_id,
        task_id=block.task_id,
        series_id=block.series_id,
        fixed=block.fixed,
        actual_minutes=block.actual_minutes,
        skipped=block.skipped,
        rock_id=block.rock_id,
    )


# The reads of every redraw of a week, built once and read past the ORM as plain rows
# (store.plain): a week plan is a dozen small reads, each cheaper than SQLAlchemy's
# execution of it.
_BLOCK_ROWS = PlainQuery(
    sa_select(*(col(getattr(TimeBlock, f.name)) for f in fields(BlockRow)))
    .where(col(TimeBlock.day) >= bindparam("first"), col(TimeBlock.day) <= bindparam("last"))
    .order_by(col(TimeBlock.day), col(TimeBlock.start), col(TimeBlock.end), col(TimeBlock.id))
)
_CATEGORIES = PlainQuery(
    sa_select(
        col(Category.id), col(Category.name), col(Category.colour), col(Category.kind)
    ).order_by(col(Category.position), col(Category.id))
)
_LINKED_TASKS = of_ids(col(Task.id), col(Task.title), col(Task.done_at), col(Task.rock_id))
_SERIES_RULES = of_ids(col(BlockSeries.id), col(BlockSeries.rule))
_ROCK_TITLES = of_ids(col(Rock.id), col(Rock.title))


def category_rows(session: Session) -> tuple[CategoryRow, ...]:
    """Every category, in their order in Settings."""
    return tuple(CategoryRow(*row) for row in _CATEGORIES.rows(session))


def stored_block_rows(session: Session, first: date, last: date) -> tuple[BlockRow, ...]:
    """The blocks of the days ``first`` to ``last`` as the pure rules read them, in
    ``_week_blocks``' order."""
    return tuple(BlockRow(*row) for row in _BLOCK_ROWS.rows(session, first=first, last=last))


def _week_rows(session: Session, blocks: Sequence[TimeBlock]) -> WeekRows:
    """What the views of ``blocks`` are composed from (no focus tasks)."""
    return _with_tasks(session, _block_rows(session, tuple(block_row(b) for b in blocks)))


def _block_rows(session: Session, rows: tuple[BlockRow, ...]) -> WeekRows:
    """The blocks' own part of what their views are composed from: the blocks, every
    category and the series' rules; no task, Rock or focus task is read (a task's
    change leaves it as it was)."""
    series_ids = {b.series_id for b in rows if b.series_id is not None}
    rules = _by_id(session, _SERIES_RULES, series_ids)
    return WeekRows(rows, category_rows(session), {}, {}, rules, ())


def _with_tasks(session: Session, rows: WeekRows) -> WeekRows:
    """``rows`` with their blocks' linked tasks and the titles of the Rocks they serve."""
    task_ids = {b.task_id for b in rows.blocks if b.task_id is not None}
    tasks = (
        {
            task_id: TaskRow(task_id, title, done_at is not None, rock_id)
            for task_id, title, done_at, rock_id in _LINKED_TASKS.rows(
                session, ids=sorted(task_ids)
            )
        }
        if task_ids
        else {}
    )
    rock_ids = set(rocks_served(rows.blocks, {t.id: t.rock_id for t in tasks.values()}).values())
    rock_titles = _by_id(session, _ROCK_TITLES, rock_ids)
    return replace(rows, tasks=tasks, rock_titles=rock_titles)


def _by_id(session: Session, query: PlainQuery, ids: Collection[int]) -> dict[int, Any]:
    """The (id, value) rows of ``query`` for ``ids``, by id (no query for none)."""
    if not ids:
        return {}
    return dict(query.rows(session, ids=sorted(ids)))


def _views(session: Session, blocks: Sequence[TimeBlock]) -> list[BlockView]:
    return block_views(_week_rows(session, blocks))


def _view(session: Session, block: TimeBlock) -> BlockView:
    """One block as shown, its overlap flag computed against the rest of its day."""
    session.flush()
    day = _week_blocks(session, block.day, block.day)
    return next(v for v in _views(session, day) if v.id == block.id)


_TASK_ROCKS = of_ids(col(Task.id), col(Task.rock_id), where=[col(Task.rock_id).is_not(None)])


def block_rocks(session: Session, blocks: Sequence[Linked]) -> dict[int, int]:
    """Block id -> the Rock its time serves: its own link, else its linked task's Rock."""
    task_ids = {b.task_id for b in blocks if b.rock_id is None and b.task_id is not None}
    task_rocks = _by_id(session, _TASK_ROCKS, task_ids)
    return rocks_served(blocks, task_rocks)


def category_by_name(db: Database, name: str) -> CategoryView:
    """The category called ``name`` (case and extra spaces do not matter)."""
    wanted = one_line(name).lower()
    with db.session() as session:
        for category in session.exec(select(Category)):
            if category.name.lower() == wanted:
                return CategoryView.of(category)
    raise NotFoundError(f"There is no category called {wanted or 'that'}.")


def _category(session: Session, category_id: int, *, new: bool = True) -> Category:
    category = get_or_refuse(session, Category, category_id, "That category no longer exists.")
    if new and category.archived:
        raise InputError(f"The category {category.name} is archived; pick another one.")
    return category


def _category_ids(session: Session, kind: str) -> list[int]:
    """The categories of ``kind``, first by their order in Settings."""
    query = select(Category.id).where(Category.kind == kind)
    return [i for i in session.exec(query.order_by(col(Category.position), col(Category.id))) if i]


def _category_of_kind(session: Session, kind: CategoryKind) -> int:
    """The category new blocks of ``kind`` get (whatever the user named it)."""
    ids = _category_ids(session, kind)
    if not ids:
        label = kind.value.replace("_", " ")
        raise NotFoundError(f"No block category is for {label}; Settings lists them.")
    return ids[0]


def _task(session: Session, task_id: int) -> Task:
    return task_or_refuse(session, task_id)


def _block(session: Session, block_id: int) -> TimeBlock:
    return get_or_refuse(session, TimeBlock, block_id, "That block no longer exists.")


def _check_rock(session: Session, rock_id: int | None) -> None:
    if rock_id is not None:
        get_or_refuse(session, Rock, rock_id, "That Rock no longer exists.")
