"""What the planner's parts share: limits, the view objects, wall-clock helpers, lookups and
checks, and turning stored blocks into views.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time

from sqlmodel import Session, col, select

from ceodesk.core.domain.planner.repeat import repeat_of
from ceodesk.core.kernel.dates import (
    MONTH_ABBR,
    WEEKDAY_ABBR,
    minutes_of_day,
)
from ceodesk.core.kernel.errors import CeodeskError, InputError, NotFoundError
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
from ceodesk.core.store.preferences import CategoryView

# The category kinds the rules look at (the names are the user's to change).
DEEP_WORK = CategoryKind.DEEP_WORK
MEETINGS = CategoryKind.MEETINGS
DAY_MINUTES = 24 * 60
SHORTEST_BLOCK_MINUTES = 15
SAME_DAY = "A block must end after it starts, on the same day."
FIXED = "Imported calendar events stay where they are."


class DeepWorkConflict(CeodeskError):
    """Placing a meeting over a deep-work block needs confirmation."""


@dataclass(frozen=True)
class BlockView:
    id: int
    day: date
    start: time
    end: time
    title: str
    category_id: int
    category: str  # category name
    colour: str  # "#4c78a8"
    task_id: int | None
    task_title: str | None
    task_done: bool
    series_id: int | None
    fixed: bool
    actual_minutes: int | None
    skipped: bool
    overlaps: bool  # overlaps another block of the same day
    rock_id: int | None = None  # the Rock it serves, directly or through its task
    rock: str | None = None  # that Rock's title
    direct_rock_id: int | None = None  # the Rock linked to the block itself
    repeats: str | None = None  # a repeat choice ("every 2 weeks"), "custom", or None

    @property
    def planned_minutes(self) -> int:
        return minutes_of_day(self.end) - minutes_of_day(self.start)

    @property
    def is_recorded(self) -> bool:
        return self.actual_minutes is not None or self.skipped


@dataclass(frozen=True)
class FocusView:
    task_id: int
    title: str
    done: bool
    has_block: bool  # a block linked to this task exists that day


def _wall(moment: time) -> time:
    """A time of day to the minute, without a zone (blocks are wall-clock)."""
    return time(moment.hour, moment.minute)


def _short_day(d: date) -> str:
    return f"{WEEKDAY_ABBR[d.weekday()]} {d.day} {MONTH_ABBR[d.month - 1]}"


def _span(start: time, end: time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def overlapping_ids(
    blocks: Sequence[tuple[int, time, time]],
    compatible: Callable[[int, int], bool] | None = None,
) -> set[int]:
    """Ids of blocks that overlap another; a block ending when the next starts does not,
    nor does a pair that ``compatible`` accepts (in either order)."""
    ordered = sorted(blocks, key=lambda b: (minutes_of_day(b[1]), minutes_of_day(b[2])))
    flagged: set[int] = set()
    for i, (first, _start, end) in enumerate(ordered):
        for second, later_start, _later_end in ordered[i + 1 :]:
            if minutes_of_day(later_start) >= minutes_of_day(end):
                break
            if compatible and (compatible(first, second) or compatible(second, first)):
                continue
            flagged.update((first, second))
    return flagged


def _on_top_key(block: BlockView) -> tuple[int, int, int]:
    """Of blocks sharing a minute, the one placed inside the other counts it: the latest
    start, then the shortest, then the newest."""
    return (minutes_of_day(block.start), -block.planned_minutes, block.id)


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


def _views(session: Session, blocks: Sequence[TimeBlock]) -> list[BlockView]:
    categories = {c.id: c for c in session.exec(select(Category))}
    task_ids = {b.task_id for b in blocks if b.task_id is not None}
    tasks = (
        {t.id: t for t in session.exec(select(Task).where(col(Task.id).in_(task_ids)))}
        if task_ids
        else {}
    )
    by_id = {block.id or 0: block for block in blocks}

    def placed_in(inner_id: int, outer_id: int) -> bool:
        """A task's block inside a deep-work block uses that time; it does not clash."""
        inner, outer = by_id[inner_id], by_id[outer_id]
        return (
            inner.task_id is not None
            and categories[outer.category_id].kind == DEEP_WORK
            and outer.start <= inner.start
            and inner.end <= outer.end
        )

    by_day: dict[date, list[tuple[int, time, time]]] = {}
    for block in blocks:
        by_day.setdefault(block.day, []).append((block.id or 0, block.start, block.end))
    flagged: set[int] = set()
    for spans in by_day.values():
        flagged |= overlapping_ids(spans, placed_in)
    serving = block_rocks(session, blocks)
    rock_ids = set(serving.values())
    rock_titles = (
        dict(session.exec(select(Rock.id, Rock.title).where(col(Rock.id).in_(rock_ids))).all())
        if rock_ids
        else {}
    )
    series_ids = {b.series_id for b in blocks if b.series_id is not None}
    rules = (
        dict(
            session.exec(
                select(BlockSeries.id, BlockSeries.rule).where(col(BlockSeries.id).in_(series_ids))
            ).all()
        )
        if series_ids
        else {}
    )
    views = []
    for block in blocks:
        category = categories[block.category_id]
        rule = rules.get(block.series_id) if block.series_id is not None else None
        task = tasks.get(block.task_id) if block.task_id is not None else None
        views.append(
            BlockView(
                id=block.id or 0,
                day=block.day,
                start=block.start,
                end=block.end,
                title=block.title,
                category_id=block.category_id,
                category=category.name,
                colour=category.colour,
                task_id=block.task_id,
                task_title=task.title if task else None,
                task_done=bool(task and task.done_at is not None),
                series_id=block.series_id,
                fixed=block.fixed,
                actual_minutes=block.actual_minutes,
                skipped=block.skipped,
                overlaps=(block.id or 0) in flagged,
                rock_id=serving.get(block.id or 0),
                rock=rock_titles.get(serving.get(block.id or 0)),
                direct_rock_id=block.rock_id,
                repeats=(repeat_of(rule) or "custom") if rule else None,
            )
        )
    return views


def _view(session: Session, block: TimeBlock) -> BlockView:
    """One block as shown, its overlap flag computed against the rest of its day."""
    session.flush()
    day = _week_blocks(session, block.day, block.day)
    return next(v for v in _views(session, day) if v.id == block.id)


def block_rocks(session: Session, blocks: Sequence[TimeBlock]) -> dict[int, int]:
    """Block id -> the Rock its time serves: its own link, else its linked task's Rock."""
    task_ids = {b.task_id for b in blocks if b.rock_id is None and b.task_id is not None}
    task_rocks = (
        dict(
            session.exec(
                select(Task.id, Task.rock_id).where(
                    col(Task.id).in_(task_ids), col(Task.rock_id).is_not(None)
                )
            ).all()
        )
        if task_ids
        else {}
    )
    found: dict[int, int] = {}
    for block in blocks:
        rock_id = block.rock_id if block.rock_id is not None else task_rocks.get(block.task_id)
        if rock_id is not None and block.id is not None:
            found[block.id] = rock_id
    return found


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


class Keep:
    """'Leave it as it is' for an optional argument whose None means 'clear it'."""


KEEP = Keep()


def _check_rock(session: Session, rock_id: int | None) -> None:
    if rock_id is not None:
        get_or_refuse(session, Rock, rock_id, "That Rock no longer exists.")
