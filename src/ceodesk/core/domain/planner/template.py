"""Whole weeks: the ideal week, copying last week, carrying unfinished tasks over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from ceodesk.core.domain.planner.common import (
    DEEP_WORK,
    _category_of_kind,
    _task,
    _week_blocks,
)
from ceodesk.core.domain.planner.plan import _is_own
from ceodesk.core.domain.planner.recurrence import _ensure_occurrences
from ceodesk.core.domain.planner.slots import (
    _find_slot,
    _is_free,
    _linked_block,
    _open_task_ids,
    _session_minutes,
)
from ceodesk.core.kernel.clock import LocalNow
from ceodesk.core.kernel.dates import (
    format_day,
    minutes_of_day,
    shift_week,
    week_days,
    week_monday,
)
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.store.db import UNDO_LABEL, Database
from ceodesk.core.store.models import (
    IdealBlock,
    Task,
    TimeBlock,
)
from ceodesk.core.store.preferences import load_settings


def _own_blocks(session: Session, week: str) -> list[TimeBlock]:
    days = week_days(week)
    return [b for b in _week_blocks(session, days[0], days[-1]) if _is_own(b)]


# How a block of the week is told to continue an ideal block saved before, strictest
# first: the same block, the same slot retitled, the same block moved or resized. Each
# names the parts of (weekday, start, end, title, category) that must agree.
_SAME_IDEAL_BLOCK = ((0, 1, 2, 3, 4), (0, 1, 2), (0, 3, 4), (0, 3))
_Shape = tuple[int, time, time, str, int]


def _ideal_shape(ideal: IdealBlock) -> _Shape:
    return ideal.weekday, ideal.start, ideal.end, ideal.title, ideal.category_id


def _block_shape(block: TimeBlock) -> _Shape:
    return block.day.weekday(), block.start, block.end, block.title, block.category_id


def _kept_ideal_blocks(saved: list[IdealBlock], blocks: list[TimeBlock]) -> dict[int, IdealBlock]:
    """Which saved ideal block each block of the week continues (by index in ``blocks``)."""
    left = sorted(saved, key=lambda i: (i.weekday, i.start, i.id or 0))
    kept: dict[int, IdealBlock] = {}
    for parts in _SAME_IDEAL_BLOCK:
        for index, block in enumerate(blocks):
            if index in kept:
                continue
            shape = _block_shape(block)
            wanted = [shape[p] for p in parts]
            match = next((i for i in left if [_ideal_shape(i)[p] for p in parts] == wanted), None)
            if match is not None:
                kept[index] = match
                left.remove(match)
    return kept


def save_ideal_week(db: Database, week: str) -> int:
    """Make the week's own blocks the ideal-week template (replacing it); returns the count.

    Recurring and imported blocks are left out: they come back by themselves. A block
    that continues one saved before (the same, or retitled, moved or resized on its
    weekday) keeps that ideal block's id and uid, so an import keyed on them finds it.
    """
    with db.action(f"Saved {week} as the ideal week") as session:
        blocks = _own_blocks(session, week)
        if not blocks:
            raise InputError("This week has no blocks to save as the ideal week.")
        saved = list(session.exec(select(IdealBlock)))
        kept = _kept_ideal_blocks(saved, blocks)
        kept_ids = {ideal.id for ideal in kept.values()}
        for old in saved:
            if old.id not in kept_ids:
                session.delete(old)
        session.flush()
        for index, block in enumerate(blocks):
            weekday, start, end, title, category_id = _block_shape(block)
            ideal = kept.get(index)
            if ideal is None:
                session.add(
                    IdealBlock(
                        weekday=weekday, start=start, end=end, title=title, category_id=category_id
                    )
                )
            else:
                ideal.weekday, ideal.start, ideal.end = weekday, start, end
                ideal.title, ideal.category_id = title, category_id
        return len(blocks)


def _refuse_planned(session: Session, week: str, what: str) -> None:
    if _own_blocks(session, week):
        raise InputError(f"{week} already has blocks; {what} an empty week.")


def apply_ideal_week(db: Database, week: str) -> int:
    """Plan an empty week from the ideal-week template; returns how many blocks it added."""
    days = week_days(week)
    _ensure_occurrences(db, week, load_settings(db).zone)
    with db.action(f"Applied the ideal week to {week}") as session:
        _refuse_planned(session, week, "apply the ideal week to")
        template = list(
            session.exec(
                select(IdealBlock).order_by(col(IdealBlock.weekday), col(IdealBlock.start))
            )
        )
        if not template:
            raise InputError("The ideal week is empty; save a week as the ideal week first.")
        for ideal in template:
            session.add(
                TimeBlock(
                    day=days[ideal.weekday],
                    start=ideal.start,
                    end=ideal.end,
                    title=ideal.title,
                    category_id=ideal.category_id,
                )
            )
        return len(template)


def copy_week(db: Database, source_week: str, target_week: str) -> int:
    """Copy a week's own blocks into an empty week, same weekdays and times; returns the count.

    Actuals are not copied; recurring and imported blocks are left out; links to tasks
    that are done or archived are dropped.
    """
    source_monday, target_monday = week_monday(source_week), week_monday(target_week)
    if source_monday == target_monday:
        raise InputError("A week cannot be copied into itself.")
    _ensure_occurrences(db, target_week, load_settings(db).zone)
    shift = target_monday - source_monday
    with db.action(f"Copied {source_week} into {target_week}") as session:
        _refuse_planned(session, target_week, "copy into")
        blocks = _own_blocks(session, source_week)
        if not blocks:
            raise InputError(f"{source_week} has no blocks to copy.")
        open_tasks = _open_task_ids(session, {b.task_id for b in blocks if b.task_id})
        for block in blocks:
            session.add(
                TimeBlock(
                    day=block.day + shift,
                    start=block.start,
                    end=block.end,
                    title=block.title,
                    category_id=block.category_id,
                    task_id=block.task_id if block.task_id in open_tasks else None,
                    rock_id=block.rock_id,
                )
            )
        return len(blocks)


def unfinished_linked_tasks(db: Database, week: str) -> list[tuple[int, str]]:
    """Open tasks linked to a block last week and to none this week: (task id, title),
    in the order of their first block last week."""
    last_days, days = week_days(shift_week(week, -1)), week_days(week)
    with db.session() as session:
        last = _week_blocks(session, last_days[0], last_days[-1])
        this = {b.task_id for b in _week_blocks(session, days[0], days[-1])}
        candidates: list[int] = []
        for block in last:
            task_id = block.task_id
            if task_id is not None and task_id not in this and task_id not in candidates:
                candidates.append(task_id)
        open_ids = _open_task_ids(session, candidates)
        titles = {
            t.id: t.title for t in session.exec(select(Task).where(col(Task.id).in_(open_ids)))
        }
    return [(task_id, titles[task_id]) for task_id in candidates if task_id in open_ids]


def _carried_block(
    session: Session,
    task: Task,
    last: list[TimeBlock],
    placed: list[TimeBlock],
    week: str,
    local: datetime,
    deep_work: int,
) -> TimeBlock | None:
    """The block ``task`` carries over into ``week`` (``last`` is the week before's
    blocks), or None when there is no room for it."""
    previous = [b for b in last if b.task_id == task.id]
    if previous:
        model = previous[-1]
        day = model.day + timedelta(days=7)
        if _is_free(session, placed, day, model.start, model.end, local):
            return _linked_block(
                task,
                day,
                model.start,
                minutes_of_day(model.end) - minutes_of_day(model.start),
                model.category_id,
                model.title,
            )
    minutes = _session_minutes(task)
    slot = _find_slot(session, week, minutes, local, DEEP_WORK, placed)
    if slot is None:
        return None
    return _linked_block(task, slot[0], slot[1], minutes, deep_work)


def carry_over(db: Database, task_ids: list[int], week: str, now: datetime) -> int:
    """Give each task a block this week, in one action; returns how many were placed.

    A task gets the weekday, time, length and category of its last block last week when
    that time is still ahead and free; otherwise it is scheduled like ``schedule_task``.
    A task with no room anywhere is left out.
    """
    zone = load_settings(db).zone
    _ensure_occurrences(db, week, zone)
    local = LocalNow.at(now, zone).local
    last_days = week_days(shift_week(week, -1))
    placed: list[TimeBlock] = []
    with db.action("Carried over tasks") as session:
        deep_work = _category_of_kind(session, DEEP_WORK)
        last = _week_blocks(session, last_days[0], last_days[-1])
        for task_id in task_ids:
            task = _task(session, task_id)
            if task.done_at is not None:
                continue
            block = _carried_block(session, task, last, placed, week, local, deep_work)
            if block is not None:
                placed.append(block)
                session.add(block)
        count = len(placed)
        session.info[UNDO_LABEL] = f"Carried over {count} task{'s' if count != 1 else ''}"
        return count


@dataclass(frozen=True)
class Carried:
    """Where one carried-over task went: a block in the week, or its due day."""

    title: str
    block: tuple[date, time] | None  # the block's day and start, when one was placed
    due: date | None  # the new due day, when the week had no room for a block


def carried_due(due: date | None, week: str) -> date | None:
    """The due day of a task carried into ISO ``week`` without a block: the same weekday
    in that week (its Monday when it had none); None when it is due after that week."""
    days = week_days(week)
    if due is None:
        return days[0]
    if due > days[-1]:
        return None
    return days[due.weekday()]


def carry_task(db: Database, task_id: int, week: str, now: datetime) -> Carried:
    """Carry one unfinished task into ISO ``week``, in one action (one undo): a block
    there, placed as ``carry_over`` places one; when the week has no room for it, its
    due day moves into that week instead, to the same weekday (Monday when it had
    none). A task done already, or due after that week, is refused in one sentence."""
    zone = load_settings(db).zone
    _ensure_occurrences(db, week, zone)
    local = LocalNow.at(now, zone).local
    last_days = week_days(shift_week(week, -1))
    with db.action("Carried a task over") as session:
        task = _task(session, task_id)
        if task.done_at is not None:
            raise InputError(f"“{task.title}” is done already.")
        deep_work = _category_of_kind(session, DEEP_WORK)
        last = _week_blocks(session, last_days[0], last_days[-1])
        block = _carried_block(session, task, last, [], week, local, deep_work)
        if block is not None:
            session.add(block)
            session.info[UNDO_LABEL] = f"Planned “{task.title}” in {week}"
            return Carried(task.title, (block.day, block.start), None)
        new_due = carried_due(task.due_date, week)
        if new_due is None:
            assert task.due_date is not None
            raise InputError(
                f"{week} has no free deep-work time for “{task.title}”, and it is due "
                f"{format_day(task.due_date)}, after that week; r gives it another due day."
            )
        task.due_date = new_due
        db.touch(task)
        session.info[UNDO_LABEL] = f"Moved “{task.title}” to {format_day(new_due)}"
        return Carried(task.title, None, new_due)
