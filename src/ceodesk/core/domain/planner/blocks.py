"""Time blocks: add, edit, move, resize, delete, and what really happened (actuals)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from sqlmodel import Session, select

from ceodesk.core.domain.planner.common import (
    DAY_MINUTES,
    DEEP_WORK,
    FIXED,
    KEEP,
    MEETINGS,
    SHORTEST_BLOCK_MINUTES,
    BlockView,
    DeepWorkConflict,
    Keep,
    _block,
    _category,
    _check_rock,
    _check_span,
    _overlaps,
    _short_day,
    _span,
    _task,
    _view,
    _wall,
    _week_blocks,
)
from ceodesk.core.domain.planner.recurrence import _make_repeating
from ceodesk.core.kernel.dates import (
    format_minutes,
    minutes_of_day,
    parse_duration,
    time_of_day,
)
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import clean_title
from ceodesk.core.store.db import UNDO_LABEL, Database
from ceodesk.core.store.models import (
    Category,
    DeletedOccurrence,
    TimeBlock,
)
from ceodesk.core.store.preferences import load_settings

_BARE_MINUTES = re.compile(r"[0-9]{1,9}")
_SKIP_WORDS = frozenset({"skip", "skipped"})
PAST_MIDNIGHT = "A block cannot move past midnight; it must stay within one day."


def parse_actual(text: str) -> tuple[int | None, bool]:
    """What really happened, as typed: "45", "45m", "1h30" or "skip" -> (minutes, skipped).

    A bare number is minutes; empty text is (None, False), nothing recorded.
    """
    word = text.strip().lower()
    if not word:
        return None, False
    if word in _SKIP_WORDS:
        return None, True
    bad = f"“{text.strip()}” is not a time like 45, 1h30 or skip."
    if _BARE_MINUTES.fullmatch(word):
        minutes: int | None = int(word)
    else:
        try:
            minutes = parse_duration(word)
        except InputError:
            raise InputError(bad) from None
    if minutes is None:
        raise InputError(bad)
    _check_actual(minutes)
    return minutes, False


def _check_actual(minutes: int) -> None:
    if not 0 <= minutes <= DAY_MINUTES:
        raise InputError("An actual time must be between 0 minutes and 24 hours.")


def _guard_deep_work(
    session: Session,
    *,
    day: date,
    start: time,
    end: time,
    title: str,
    category: Category,
    ignore: int | None,
) -> None:
    """A meeting over a deep-work block raises DeepWorkConflict (the caller may confirm)."""
    if category.kind != MEETINGS:
        return
    for other in _week_blocks(session, day, day):
        if other.id == ignore or not _overlaps(
            minutes_of_day(start),
            minutes_of_day(end),
            minutes_of_day(other.start),
            minutes_of_day(other.end),
        ):
            continue
        if _category(session, other.category_id, new=False).kind == DEEP_WORK:
            raise DeepWorkConflict(
                f"“{title}” would overlap the deep-work block “{other.title}” on "
                f"{_short_day(day)} {_span(other.start, other.end)}."
            )


def add_block(
    db: Database,
    day: date,
    start: time,
    end: time,
    title: str,
    category_id: int,
    *,
    task_id: int | None = None,
    rock_id: int | None = None,
    confirm_over_deep_work: bool = False,
) -> BlockView:
    """Plan a block on a local day; it may overlap others (flagged), never cross midnight.

    It may serve a task and (directly) a Rock: the Rock's hours and the week's Rock time
    count it either way.
    """
    start, end = _wall(start), _wall(end)
    _check_span(start, end)
    title = clean_title(title, "A block")
    with db.action(f"Planned “{title}”") as session:
        category = _category(session, category_id)
        if task_id is not None:
            _task(session, task_id)
        _check_rock(session, rock_id)
        if not confirm_over_deep_work:
            _guard_deep_work(
                session, day=day, start=start, end=end, title=title, category=category, ignore=None
            )
        block = TimeBlock(
            day=day,
            start=start,
            end=end,
            title=title,
            category_id=category_id,
            task_id=task_id,
            rock_id=rock_id,
        )
        session.add(block)
        return _view(session, block)


def edit_block(
    db: Database,
    block_id: int,
    *,
    title: str,
    category_id: int,
    task_id: int | None,
    minutes: int | None = None,
    rock_id: int | Keep | None = KEEP,
    confirm_over_deep_work: bool = False,
    repeat: str | None = None,
) -> BlockView:
    """Change a block's title, category, linked task and (given ``minutes``) its length;
    its start stays. ``repeat`` makes a one-off block repeat from its day, in the same
    undoable action."""
    title = clean_title(title, "A block")
    zone = load_settings(db).zone if repeat else None
    with db.action(f"Edited “{title}”") as session:
        block = _block(session, block_id)
        category = _category(session, category_id, new=category_id != block.category_id)
        if task_id is not None and task_id != block.task_id:
            _task(session, task_id)
        if not confirm_over_deep_work and category_id != block.category_id:
            _guard_deep_work(
                session,
                day=block.day,
                start=block.start,
                end=block.end,
                title=title,
                category=category,
                ignore=block.id,
            )
        if not isinstance(rock_id, Keep):
            _check_rock(session, rock_id)
            block.rock_id = rock_id
        block.title, block.category_id, block.task_id = title, category_id, task_id
        if minutes is not None and minutes != minutes_of_day(block.end) - minutes_of_day(
            block.start
        ):
            _set_end(block, minutes_of_day(block.start) + minutes)
        db.touch(block)
        if repeat and zone is not None and block.series_id is None:
            # The series must be flushed with (not after) the edit: undo then restores
            # the block before it removes the series its occurrences point to.
            _make_repeating(session, block, repeat, zone)
        return _view(session, block)


def move_block(
    db: Database,
    block_id: int,
    *,
    days: int = 0,
    minutes: int = 0,
    confirm_over_deep_work: bool = False,
) -> BlockView:
    """Move a block by days and/or minutes, keeping its length and its day boundaries."""
    with db.action("Moved a block") as session:
        block = _block(session, block_id)
        session.info[UNDO_LABEL] = f"Moved “{block.title}”"
        if block.fixed:
            raise InputError(FIXED)
        if not days and not minutes:
            return _view(session, block)
        start, end = minutes_of_day(block.start) + minutes, minutes_of_day(block.end) + minutes
        if start < 0 or end >= DAY_MINUTES:
            raise InputError(PAST_MIDNIGHT)
        day = block.day + timedelta(days=days)
        if not confirm_over_deep_work:
            _guard_deep_work(
                session,
                day=day,
                start=time_of_day(start),
                end=time_of_day(end),
                title=block.title,
                category=_category(session, block.category_id, new=False),
                ignore=block.id,
            )
        block.day, block.start, block.end = day, time_of_day(start), time_of_day(end)
        return _view(session, block)


def resize_block(db: Database, block_id: int, minutes: int) -> BlockView:
    """Lengthen (or shorten, with negative minutes) a block at its end; 15 minutes at least."""
    with db.action("Resized a block") as session:
        block = _block(session, block_id)
        session.info[UNDO_LABEL] = f"Resized “{block.title}”"
        _set_end(block, minutes_of_day(block.end) + minutes)
        db.touch(block)
        return _view(session, block)


def _set_end(block: TimeBlock, end: int) -> None:
    """Move a block's end (minutes after midnight): 15 minutes long at least, same day."""
    if block.fixed:
        raise InputError(FIXED)
    if end - minutes_of_day(block.start) < SHORTEST_BLOCK_MINUTES:
        raise InputError(f"A block lasts at least {SHORTEST_BLOCK_MINUTES} minutes.")
    if end >= DAY_MINUTES:
        raise InputError("A block must end by midnight, on the day it starts.")
    block.end = time_of_day(end)


def delete_block(db: Database, block_id: int) -> str:
    """Delete a block (undoable); returns its title. A recurring occurrence stays deleted."""
    with db.action("Deleted a block") as session:
        block = _block(session, block_id)
        title = block.title
        session.info[UNDO_LABEL] = f"Deleted “{title}”"
        if block.series_id is not None:
            _mark_deleted(session, block)
        session.delete(block)
        return title


def _mark_deleted(session: Session, block: TimeBlock) -> None:
    """Remember a deleted occurrence so showing its week does not write it again."""
    known = session.exec(
        select(DeletedOccurrence).where(DeletedOccurrence.occurrence_uid == block.uid)
    ).first()
    if known is None:
        session.add(DeletedOccurrence(occurrence_uid=block.uid, day=block.day))


def record_actual(
    db: Database, block_id: int, minutes: int | None, *, skipped: bool = False
) -> BlockView:
    """Record what really happened: minutes spent, or skipped; (None, not skipped) clears it."""
    if minutes is not None:
        if skipped:
            raise InputError("A skipped block has no actual time.")
        _check_actual(minutes)
    with db.action("Recorded a block") as session:
        block = _block(session, block_id)
        if skipped:
            what = "Skipped"
        elif minutes is None:
            what = "Cleared the actual time of"
        else:
            what = f"Recorded {format_minutes(minutes)} for"
        session.info[UNDO_LABEL] = f"{what} “{block.title}”"
        block.actual_minutes, block.skipped = minutes, skipped
        db.touch(block)
        return _view(session, block)


def done_as_planned(db: Database, block_id: int) -> BlockView:
    """Record a block's actual time as its planned time."""
    with db.session() as session:
        block = _block(session, block_id)
        planned = minutes_of_day(block.end) - minutes_of_day(block.start)
    return record_actual(db, block_id, planned)
