"""Repeating blocks: series, their occurrences written per week, and changing or ending a
series from one occurrence on.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ceodesk.core.domain.planner.common import (
    DAY_MINUTES,
    FIXED,
    KEEP,
    SAME_DAY,
    SHORTEST_BLOCK_MINUTES,
    Keep,
    _block,
    _category,
    _check_rock,
    _check_span,
    _short_day,
    _task,
    _wall,
)
from ceodesk.core.domain.planner.repeat import _parse_rule, repeat_rule

# Which occurrences a week wants, and which are missing, are pure rules (``views``, no
# ORM: the first look at start-up asks them too); re-exported here.
from ceodesk.core.domain.planner.views import (
    occurrence_uid,
    occurrences,
    pending_occurrences,
    stale_shown,
    wanted_occurrences,
    writes_when_shown,
)
from ceodesk.core.kernel.dates import (
    minutes_of_day,
    shift_week,
    time_of_day,
    week_days,
    week_key,
)
from ceodesk.core.kernel.errors import DatabaseReadOnly, InputError
from ceodesk.core.kernel.text import clean_title
from ceodesk.core.store.db import UNDO_LABEL, Database
from ceodesk.core.store.models import (
    BlockSeries,
    DeletedOccurrence,
    Setting,
    TimeBlock,
)
from ceodesk.core.store.plain import PlainQuery, of_ids
from ceodesk.core.store.preferences import load_settings
from ceodesk.core.store.rows import SeriesRow

# add_series writes this many weeks of occurrences in its own (undoable) action; later
# weeks are written when first shown.
SERIES_WEEKS_AHEAD = 13
# The weeks of a series written when first shown: "shown_occurrences:<series uid>" ->
# "2027-W30 2027-W31". If undo removes the series, those blocks are removed too.
SHOWN_OCCURRENCES = "shown_occurrences:"

__all__ = ["occurrence_uid", "occurrences"]


def _pending_occurrences(
    session: Session, week: str, zone: ZoneInfo, only: BlockSeries | None = None
) -> tuple[list[TimeBlock], list[tuple[TimeBlock, int]]]:
    """(occurrences to write, stored occurrences to link back to their series) for a week.

    An occurrence loses its series link when the series is removed (undo of adding it)
    and regains it when the series comes back (redo).
    """
    days = week_days(week)
    if only is not None:
        series_list = [only]
    else:
        series_list = list(
            session.exec(
                select(BlockSeries).where(
                    BlockSeries.starts_on <= days[-1],
                    col(BlockSeries.ends_on).is_(None) | (col(BlockSeries.ends_on) >= days[0]),
                )
            )
        )
    wanted = wanted_occurrences(series_list, week, zone)
    if not wanted:
        return [], []
    stored = {
        block.uid: block
        for block in session.exec(select(TimeBlock).where(col(TimeBlock.uid).in_(wanted)))
    }
    deleted = session.exec(
        select(DeletedOccurrence.occurrence_uid).where(
            col(DeletedOccurrence.occurrence_uid).in_(wanted)
        )
    ).all()
    missing, unlinked = pending_occurrences(
        wanted, {uid: block.series_id for uid, block in stored.items()}, deleted
    )
    new: list[TimeBlock] = []
    for uid in missing:
        series, day, start, end = wanted[uid]
        new.append(
            TimeBlock(
                uid=uid,
                day=day,
                start=start,
                end=end,
                title=series.title,
                category_id=series.category_id,
                series_id=series.id,
                task_id=series.task_id,
                rock_id=series.rock_id,
            )
        )
    return new, [(stored[uid], series_id) for uid, series_id in unlinked]


def write_occurrences(
    session: Session, week: str, zone: ZoneInfo, only: BlockSeries | None = None
) -> int:
    """Store the week's missing occurrences (of one series, or all) in an open session.

    Idempotent: each occurrence has a stable uid, and deleted ones stay deleted.
    Returns how many blocks were written.
    """
    return len(_write_pending(session, week, zone, only))


# What showing a week looks at before it writes anything, read as plain rows
# (store.plain): every redraw of a week after another write asks it again (issue 13).
_SERIES_BETWEEN = PlainQuery(
    sa_select(*(col(getattr(BlockSeries, f.name)) for f in fields(SeriesRow))).where(
        col(BlockSeries.starts_on) <= bindparam("last"),
        col(BlockSeries.ends_on).is_(None) | (col(BlockSeries.ends_on) >= bindparam("first")),
    )
)
_STORED_OCCURRENCES = of_ids(col(TimeBlock.uid), col(TimeBlock.series_id))
_DELETED_OCCURRENCES = of_ids(col(DeletedOccurrence.occurrence_uid))
_SHOWN_RECORDS = PlainQuery(
    sa_select(col(Setting.key)).where(col(Setting.key).startswith(SHOWN_OCCURRENCES))
)
_SERIES_UIDS = PlainQuery(sa_select(col(BlockSeries.uid)))


class _SessionOccurrences:
    """planner.views.OccurrenceReader in an open session: what showing a week looks at
    of its repeating blocks (store.first_look reads the same with sqlite3)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def series_between(self, first: date, last: date) -> list[SeriesRow]:
        rows = _SERIES_BETWEEN.rows(self.session, first=first, last=last)
        return [SeriesRow(*row) for row in rows]

    def stored_occurrences(self, uids: Collection[str]) -> dict[str, int | None]:
        if not uids:
            return {}
        return dict(_STORED_OCCURRENCES.rows(self.session, ids=list(uids)))

    def deleted_occurrences(self, uids: Collection[str]) -> list[str]:
        if not uids:
            return []
        return [uid for (uid,) in _DELETED_OCCURRENCES.rows(self.session, ids=list(uids))]

    def shown_records(self, prefix: str) -> list[str]:
        assert prefix == SHOWN_OCCURRENCES  # the query's own
        return [key for (key,) in _SHOWN_RECORDS.rows(self.session)]

    def series_uids(self) -> list[str]:
        return [uid for (uid,) in _SERIES_UIDS.rows(self.session)]


def _write_pending(
    session: Session, week: str, zone: ZoneInfo, only: BlockSeries | None = None
) -> list[TimeBlock]:
    new, relink = _pending_occurrences(session, week, zone, only)
    session.add_all(new)
    for block, series_id in relink:
        block.series_id = series_id
    session.flush()
    return new


def _ensure_occurrences(db: Database, week: str, zone: ZoneInfo) -> None:
    """Write a week's recurring blocks the first time it is shown.

    This is bookkeeping, not a user action: it is not in the undo log (undoing it would
    only write it again), it takes the write lock only when something is missing, and the
    change feed moves when it wrote, so another program showing the week redraws.
    It also removes the blocks it wrote for a series that undo has since removed.
    The look is kept until a table it read changes: a week shown again costs nothing.
    """

    def pending() -> bool:
        with db.session() as session:
            return writes_when_shown(_SessionOccurrences(session), week, zone, SHOWN_OCCURRENCES)

    if not db.checks.get(db.changes.now(), f"occurrences of {week}", str(zone), pending):
        return
    if db.read_only:
        raise DatabaseReadOnly(
            f"{db.location} is read-only, so the repeating blocks of {week} cannot be "
            "written; open it writable to see them."
        )
    with db.bookkeeping() as session:
        for record in _stale_shown(session):  # checked again under the lock
            _remove_shown(session, record)
        new = _write_pending(session, week, zone)
        for series_id in {b.series_id for b in new if b.series_id is not None}:
            series = session.get(BlockSeries, series_id)
            assert series is not None
            _note_shown(session, series.uid, week)


def _stale_shown(session: Session) -> list[Setting]:
    """Records of shown occurrences whose series no longer exists."""
    records = session.exec(
        select(Setting).where(col(Setting.key).startswith(SHOWN_OCCURRENCES))
    ).all()
    if not records:
        return []
    alive = session.exec(select(BlockSeries.uid)).all()
    stale = set(stale_shown((r.key for r in records), alive, SHOWN_OCCURRENCES))
    return [r for r in records if r.key in stale]


def _remove_shown(session: Session, record: Setting) -> None:
    series_uid = record.key.removeprefix(SHOWN_OCCURRENCES)
    uids = [
        occurrence_uid(series_uid, day) for week in record.value.split() for day in week_days(week)
    ]
    for block in session.exec(
        select(TimeBlock).where(col(TimeBlock.uid).in_(uids), col(TimeBlock.series_id).is_(None))
    ):
        session.delete(block)
    session.delete(record)


def _note_shown(session: Session, series_uid: str, week: str) -> None:
    record = session.get(Setting, SHOWN_OCCURRENCES + series_uid)
    if record is None:
        session.add(Setting(key=SHOWN_OCCURRENCES + series_uid, value=week))
    elif week not in record.value.split():
        record.value = f"{record.value} {week}"


def add_series(
    db: Database,
    title: str,
    category_id: int,
    rule: str,
    start: time,
    end: time,
    starts_on: date,
    ends_on: date | None = None,
    *,
    task_id: int | None = None,
    rock_id: int | None = None,
) -> int:
    """Add a recurring block (an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=TU); returns its id.

    Every occurrence serves ``task_id`` and ``rock_id`` when given. Its first weeks are
    written in the same (undoable) action; later weeks when shown.
    """
    start, end = _wall(start), _wall(end)
    _check_span(start, end)
    title = clean_title(title, "A block")
    if ends_on is not None and ends_on < starts_on:
        raise InputError("A repeating block must end on or after the day it starts.")
    zone = load_settings(db).zone
    _parse_rule(rule, datetime.combine(starts_on, start, zone))
    with db.action(f"Added repeating “{title}”") as session:
        _category(session, category_id)
        if task_id is not None:
            _task(session, task_id)
        _check_rock(session, rock_id)
        series = _start_series(
            session,
            BlockSeries(
                title=title,
                category_id=category_id,
                rule=rule.strip(),
                start=start,
                end=end,
                starts_on=starts_on,
                ends_on=ends_on,
                task_id=task_id,
                rock_id=rock_id,
            ),
            zone,
        )
        return series.id or 0


def _start_series(session: Session, series: BlockSeries, zone: ZoneInfo) -> BlockSeries:
    session.add(series)
    # The series is flushed first, so undo removes its blocks before it.
    session.flush()
    first = week_key(series.starts_on)
    for ahead in range(SERIES_WEEKS_AHEAD):
        write_occurrences(session, shift_week(first, ahead), zone, only=series)
    return series


def _occurrence(session: Session, block_id: int) -> tuple[TimeBlock, BlockSeries]:
    block = _block(session, block_id)
    series = session.get(BlockSeries, block.series_id) if block.series_id is not None else None
    if series is None:
        raise InputError(f"“{block.title}” does not repeat.")
    return block, series


def _end_series_before(session: Session, series: BlockSeries, day: date) -> int:
    """End a series the day before ``day``: its occurrences from then on that hold no
    record of what happened are deleted; returns how many."""
    series.ends_on = day - timedelta(days=1)
    removed = 0
    for later in session.exec(
        select(TimeBlock).where(TimeBlock.series_id == series.id, TimeBlock.day >= day)
    ):
        if later.actual_minutes is None and not later.skipped:
            session.delete(later)
            removed += 1
    for marker in session.exec(select(DeletedOccurrence).where(DeletedOccurrence.day >= day)):
        if marker.occurrence_uid == occurrence_uid(series.uid, marker.day):
            session.delete(marker)
    session.flush()
    return removed


def end_series(db: Database, block_id: int) -> str:
    """Delete an occurrence and every later one: the series ends the day before it.
    Returns the title."""
    with db.action("Ended a repeating block") as session:
        block, series = _occurrence(session, block_id)
        day, title = block.day, block.title
        session.info[UNDO_LABEL] = f"Ended repeating “{title}” from {_short_day(day)}"
        _end_series_before(session, series, day)
        return title


def delete_series(db: Database, block_id: int) -> int:
    """Delete a repeating block altogether: the series and every occurrence, past ones
    included. Returns how many blocks went."""
    with db.action("Deleted a repeating block") as session:
        _block_row, series = _occurrence(session, block_id)
        session.info[UNDO_LABEL] = f"Deleted repeating “{series.title}”"
        blocks = list(session.exec(select(TimeBlock).where(TimeBlock.series_id == series.id)))
        for block in blocks:
            session.delete(block)
        uids = {occurrence_uid(series.uid, b.day) for b in blocks}
        for marker in session.exec(select(DeletedOccurrence)):
            if marker.occurrence_uid in uids or marker.occurrence_uid == occurrence_uid(
                series.uid, marker.day
            ):
                session.delete(marker)
        session.flush()
        session.delete(series)
        return len(blocks)


def edit_series_from(
    db: Database,
    block_id: int,
    *,
    title: str,
    category_id: int,
    minutes: int,
    repeat: str | Keep | None = KEEP,
    task_id: int | None = None,
    rock_id: int | None = None,
) -> int:
    """Change a repeating block from one occurrence on ("this and following"): the old
    series ends the day before, a new one starts there with the new title, category,
    length, link and repeat (KEEP: the same rule). ``repeat=None`` stops it repeating:
    that occurrence stays as a one-off block. Returns the id of the new series (0 when
    it no longer repeats)."""
    title = clean_title(title, "A block")
    zone = load_settings(db).zone
    with db.action(f"Changed repeating “{title}”") as session:
        block, series = _occurrence(session, block_id)
        category = _category(session, category_id, new=category_id != series.category_id)
        if task_id is not None:
            _task(session, task_id)
        _check_rock(session, rock_id)
        day, start = block.day, block.start
        end = minutes_of_day(start) + minutes
        if minutes < SHORTEST_BLOCK_MINUTES or end >= DAY_MINUTES:
            raise InputError(
                SAME_DAY
                if end >= DAY_MINUTES
                else f"A block lasts at least {SHORTEST_BLOCK_MINUTES} minutes."
            )
        # The new blocks are written before the old ones go, so no row id is reused
        # within the action (undo restores rows by id).
        if repeat is None:
            session.add(
                TimeBlock(
                    day=day,
                    start=start,
                    end=time_of_day(end),
                    title=title,
                    category_id=category.id or 0,
                    task_id=task_id,
                    rock_id=rock_id,
                )
            )
            session.flush()
            _end_series_before(session, series, day)
            return 0
        new = _start_series(
            session,
            BlockSeries(
                title=title,
                category_id=category.id or 0,
                rule=series.rule if isinstance(repeat, Keep) else repeat_rule(repeat, day),
                start=start,
                end=time_of_day(end),
                starts_on=day,
                ends_on=series.ends_on,
                task_id=task_id,
                rock_id=rock_id,
            ),
            zone,
        )
        _end_series_before(session, series, day)
        return new.id or 0


def make_repeating(db: Database, block_id: int, repeat: str) -> int:
    """Turn a one-off block into a repeating one from its day: the block becomes the first
    occurrence and keeps its task, Rock and what happened. Returns the series id."""
    zone = load_settings(db).zone
    with db.action("Made a block repeat") as session:
        block = _block(session, block_id)
        session.info[UNDO_LABEL] = f"Made “{block.title}” repeat"
        return _make_repeating(session, block, repeat, zone)


def _make_repeating(session: Session, block: TimeBlock, repeat: str, zone: ZoneInfo) -> int:
    if block.series_id is not None:
        raise InputError(f"“{block.title}” already repeats.")
    if block.fixed:
        raise InputError(FIXED)
    series = BlockSeries(
        title=block.title,
        category_id=block.category_id,
        rule=repeat_rule(repeat, block.day),
        start=block.start,
        end=block.end,
        starts_on=block.day,
        task_id=block.task_id,
        rock_id=block.rock_id,
    )
    session.add(series)
    session.flush()
    block.uid = occurrence_uid(series.uid, block.day)
    block.series_id = series.id
    session.flush()
    first = week_key(series.starts_on)
    for ahead in range(SERIES_WEEKS_AHEAD):
        write_occurrences(session, shift_week(first, ahead), zone, only=series)
    return series.id or 0
