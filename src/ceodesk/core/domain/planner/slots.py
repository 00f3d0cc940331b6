"""Overlaps, free-slot search and scheduling a task into deep-work time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from ceodesk.core.domain.planner.common import (
    DAY_MINUTES,
    DEEP_WORK,
    SAME_DAY,
    BlockView,
    _category_ids,
    _category_of_kind,
    _overlaps,
    _short_day,
    _span,
    _task,
    _views,
    _wall,
    _week_blocks,
)
from ceodesk.core.domain.planner.recurrence import _ensure_occurrences
from ceodesk.core.kernel.clock import LocalNow
from ceodesk.core.kernel.dates import (
    format_minutes,
    minutes_of_day,
    time_of_day,
    week_days,
)
from ceodesk.core.kernel.errors import CeodeskError, InputError
from ceodesk.core.store.db import UNDO_LABEL, Database
from ceodesk.core.store.models import (
    Person,
    Task,
    TimeBlock,
)
from ceodesk.core.store.preferences import load_settings

GRID_MINUTES = 15  # free slots start on a quarter hour
DEFAULT_SESSION_MINUTES = 60  # a task without an estimate gets an hour
# A scheduled task's estimate is split into deep-work sessions at most this long (a
# 4-hour task gets two), none shorter than SHORTEST_SESSION_MINUTES unless less is left.
LONGEST_SESSION_MINUTES = 120
SHORTEST_SESSION_MINUTES = 30
NO_DEEP_WORK_LEFT = "No free deep-work time left this week; place it with the cursor."


def _open_task_ids(session: Session, task_ids: Iterable[int | None]) -> set[int]:
    ids = {t for t in task_ids if t is not None}
    if not ids:
        return set()
    return {
        t.id
        for t in session.exec(
            select(Task).where(
                col(Task.id).in_(ids), col(Task.done_at).is_(None), col(Task.archived_at).is_(None)
            )
        )
        if t.id is not None
    }


def _free_start(
    blocks: Sequence[TimeBlock],
    containers: Sequence[TimeBlock],
    minutes: int,
    earliest: int,
) -> int | None:
    """The first quarter-hour inside a container where ``minutes`` fit between the other
    blocks of the day, at or after minute ``earliest``."""
    container_ids = {c.id for c in containers}
    obstacles = [
        (minutes_of_day(b.start), minutes_of_day(b.end))
        for b in blocks
        if b.id not in container_ids
    ]
    for container in sorted(
        containers, key=lambda c: (minutes_of_day(c.start), minutes_of_day(c.end))
    ):
        begin = max(minutes_of_day(container.start), earliest)
        begin += -begin % GRID_MINUTES
        while begin + minutes <= minutes_of_day(container.end):
            clash = [e for s, e in obstacles if _overlaps(begin, begin + minutes, s, e)]
            if not clash:
                return begin
            begin = max(clash)
            begin += -begin % GRID_MINUTES
    return None


def _find_slot(
    session: Session,
    week: str,
    minutes: int,
    local_now: datetime,
    within_kind: str,
    placed: Sequence[TimeBlock] = (),
    *,
    last_day: date | None = None,
) -> tuple[date, time] | None:
    category_ids = set(_category_ids(session, within_kind))
    if not category_ids:
        return None
    today, now_minute = local_now.date(), minutes_of_day(local_now.time())
    if local_now.time().second or local_now.time().microsecond:
        now_minute += 1  # 09:00:30 has passed 09:00
    days = [
        day for day in week_days(week) if day >= today and (last_day is None or day <= last_day)
    ]
    if not days:
        return None
    stored: dict[date, list[TimeBlock]] = {}
    for block in _week_blocks(session, days[0], days[-1]):  # one read for the days left
        stored.setdefault(block.day, []).append(block)
    for day in days:
        blocks = [*stored.get(day, ()), *(b for b in placed if b.day == day)]
        # Generic deep-work blocks hold the time; one linked to a task is already taken.
        containers = [b for b in blocks if b.category_id in category_ids and b.task_id is None]
        earliest = now_minute if day == today else 0
        start = _free_start(blocks, containers, minutes, earliest)
        if start is not None:
            return day, time_of_day(start)
    return None


def free_slot(
    db: Database,
    week: str,
    minutes: int,
    now: datetime,
    *,
    within_kind: str = DEEP_WORK,
) -> tuple[date, time] | None:
    """The first time, on a quarter hour from now on, where ``minutes`` fit inside a block of
    whose category is of ``within_kind`` (one not linked to a task) without overlapping
    any other block."""
    zone = load_settings(db).zone
    _ensure_occurrences(db, week, zone)
    with db.session() as session:
        return _find_slot(session, week, minutes, LocalNow.at(now, zone).local, within_kind)


def _session_minutes(task: Task) -> int:
    return min(task.estimate_minutes or DEFAULT_SESSION_MINUTES, LONGEST_SESSION_MINUTES)


def _linked_block(
    task: Task, day: date, start: time, minutes: int, category_id: int, title: str | None = None
) -> TimeBlock:
    end = minutes_of_day(start) + minutes
    if end >= DAY_MINUTES:
        raise InputError(SAME_DAY)
    return TimeBlock(
        day=day,
        start=start,
        end=time_of_day(end),
        title=title or task.title,
        category_id=category_id,
        task_id=task.id,
    )


class AlreadyScheduled(CeodeskError):
    """The task already has time ahead; scheduling again needs ``reschedule=True``."""


@dataclass(frozen=True)
class Scheduled:
    """What scheduling a task planned: its sessions, and how much of its estimate they hold."""

    title: str
    blocks: tuple[BlockView, ...]
    wanted_minutes: int  # the estimate (an hour without one)
    replaced: int = 0  # blocks ahead that rescheduling removed
    due_date: date | None = None

    @property
    def planned_minutes(self) -> int:
        return sum(b.planned_minutes for b in self.blocks)

    @property
    def is_partial(self) -> bool:
        return self.planned_minutes < self.wanted_minutes

    def sentence(self) -> str:
        """One sentence naming the sessions and, when the week had less room than the
        estimate, how much of it they hold."""
        spans = [f"{_short_day(b.day)} {_span(b.start, b.end)}" for b in self.blocks]
        when = spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]
        if self.is_partial:
            return (
                f"Scheduled {format_minutes(self.planned_minutes)} of "
                f"{format_minutes(self.wanted_minutes)} for “{self.title}”: {when}; "
                + (
                    f"no more free deep work this week before it is due "
                    f"{_short_day(self.due_date)}."
                    if self.due_date is not None
                    else "no more free deep work this week."
                )
            )
        return f"Scheduled “{self.title}” {when}."


def _my_id(session: Session) -> int | None:
    person = session.exec(select(Person).where(col(Person.is_me))).first()
    return person.id if person else None


def _ahead(session: Session, task_id: int, local_now: datetime) -> list[TimeBlock]:
    """The task's blocks not yet over and not recorded: its time still ahead."""
    today, now = local_now.date(), _wall(local_now.time())
    blocks = session.exec(
        select(TimeBlock)
        .where(TimeBlock.task_id == task_id, TimeBlock.day >= today)
        .order_by(col(TimeBlock.day), col(TimeBlock.start))
    ).all()
    return [
        b
        for b in blocks
        if (b.day > today or b.end > now) and b.actual_minutes is None and not b.skipped
    ]


def schedule_task(
    db: Database,
    task_id: int,
    week: str,
    now: datetime,
    *,
    at: tuple[date, time] | None = None,
    reschedule: bool = False,
) -> Scheduled:
    """Scheduling a task creates linked deep-work blocks inside free deep work this week.

    Rules: the estimate (an hour without one) is split into sessions of at most two
    hours, placed in the first free deep-work time from now on and never after the day
    the task is due; if the week has less room, what fits is planned and the result says
    how much. With no room at all it goes at ``at`` (the cursor), else it is refused.
    A task delegated to someone else is theirs: it never takes your deep work. A task
    that already has time ahead raises AlreadyScheduled unless ``reschedule`` is given,
    which replaces that time.
    """
    zone = load_settings(db).zone
    _ensure_occurrences(db, week, zone)
    local = LocalNow.at(now, zone).local
    with db.action("Scheduled a task") as session:
        task = _task(session, task_id)
        session.info[UNDO_LABEL] = f"Scheduled “{task.title}”"
        if task.done_at is not None:
            raise InputError(f"“{task.title}” is already done.")
        if task.owner_id is not None and task.owner_id != _my_id(session):
            owner = session.get(Person, task.owner_id)
            name = owner.name.split()[0] if owner else "someone else"
            raise InputError(
                f"“{task.title}” is delegated to {name}, so it does not take your deep work; "
                "plan a follow-up block with the cursor instead."
            )
        if task.due_date is not None and task.due_date < local.date():
            raise InputError(
                f"“{task.title}” was due {_short_day(task.due_date)}; change its due date "
                "first, or place a block with the cursor."
            )
        ahead = _ahead(session, task_id, local)
        if ahead and not reschedule:
            first = ahead[0]
            raise AlreadyScheduled(
                f"“{task.title}” is already scheduled {_short_day(first.day)} "
                f"{_span(first.start, first.end)}; schedule it again in its place?"
            )
        for old in ahead:
            session.delete(old)
        session.flush()
        deep_work = _category_of_kind(session, DEEP_WORK)
        wanted = task.estimate_minutes or DEFAULT_SESSION_MINUTES
        placed: list[TimeBlock] = []
        left = wanted
        while left > 0:
            slot, minutes = None, min(left, LONGEST_SESSION_MINUTES)
            while minutes >= SHORTEST_SESSION_MINUTES or minutes == left:
                slot = _find_slot(
                    session, week, minutes, local, DEEP_WORK, placed, last_day=task.due_date
                )
                if slot is not None or minutes <= GRID_MINUTES:
                    break
                minutes -= GRID_MINUTES
            if slot is None:
                break
            block = _linked_block(task, slot[0], _wall(slot[1]), minutes, deep_work)
            placed.append(block)
            session.add(block)
            session.flush()
            left -= minutes
        if not placed:
            if at is None:
                if task.due_date is not None and task.due_date <= week_days(week)[-1]:
                    raise InputError(
                        f"No free deep-work time before “{task.title}” is due "
                        f"{_short_day(task.due_date)}; place it with the cursor."
                    )
                raise InputError(NO_DEEP_WORK_LEFT)
            minutes = min(wanted, LONGEST_SESSION_MINUTES)
            block = _linked_block(task, at[0], _wall(at[1]), minutes, deep_work)
            placed.append(block)
            session.add(block)
        session.flush()
        day_views = {
            v.id: v
            for v in _views(
                session,
                _week_blocks(session, min(b.day for b in placed), max(b.day for b in placed)),
            )
        }
        return Scheduled(
            task.title,
            tuple(day_views[b.id or 0] for b in placed),
            wanted,
            replaced=len(ahead),
            due_date=task.due_date,
        )


def scheduled_times(
    db: Database, task_ids: Iterable[int], *, today: date | None = None
) -> dict[int, tuple[date, time]]:
    """The earliest block linked to each task (on or after ``today`` when given)."""
    ids = set(task_ids)
    if not ids:
        return {}
    query = select(TimeBlock).where(col(TimeBlock.task_id).in_(ids))
    if today is not None:
        query = query.where(TimeBlock.day >= today)
    found: dict[int, tuple[date, time]] = {}
    with db.session() as session:
        for block in session.exec(
            query.order_by(col(TimeBlock.day), col(TimeBlock.start), col(TimeBlock.id))
        ):
            if block.task_id is not None:
                found.setdefault(block.task_id, (block.day, block.start))
    return found


def _is_free(
    session: Session,
    placed: Sequence[TimeBlock],
    day: date,
    start: time,
    end: time,
    local_now: datetime,
) -> bool:
    if (day, start) < (local_now.date(), _wall(local_now.time())):
        return False
    blocks = [*_week_blocks(session, day, day), *(b for b in placed if b.day == day)]
    return not any(
        _overlaps(
            minutes_of_day(start),
            minutes_of_day(end),
            minutes_of_day(b.start),
            minutes_of_day(b.end),
        )
        for b in blocks
    )
