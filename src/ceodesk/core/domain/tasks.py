"""Tasks sorted Eisenhower-style.

The quadrant is derived from two flags and nothing else:
Q1 Do (important and urgent), Q2 Schedule (important), Q3 Delegate (urgent),
Q4 Drop (neither). A task captured with neither flag (and no owner) is *unsorted*:
it waits in the unsorted tray until the user files it (a move, a flag, delegating).
A task due within 48 hours that is not flagged urgent is *suggested* urgent: shown,
never silently changed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import time as clock_time
from enum import IntEnum
from functools import lru_cache
from typing import Any, Protocol, cast

from sqlalchemy import ColumnElement, Row
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ceodesk.core.kernel.dates import (
    format_day,
    format_minutes,
    format_relative_due,
    is_overdue,
    monday_of,
)
from ceodesk.core.kernel.quickadd import QuickAdd, format_quick_add
from ceodesk.core.store.db import UNDO_LABEL, Database
from ceodesk.core.store.lookups import get_or_refuse, task_or_refuse
from ceodesk.core.store.models import Person, Rock, Task
from ceodesk.core.store.preferences import local_now as _user_local_now

SUGGEST_URGENT_WITHIN = timedelta(hours=48)


class Quadrant(IntEnum):
    DO = 1
    SCHEDULE = 2
    DELEGATE = 3
    DROP = 4

    @property
    def label(self) -> str:
        return ("Do", "Schedule", "Delegate", "Drop")[self - 1]

    @property
    def hint(self) -> str:
        return (
            "important and urgent",
            "important, not urgent",
            "urgent, not important",
            "neither",
        )[self - 1]

    @property
    def flags(self) -> tuple[bool, bool]:
        """(important, urgent) for a task placed in this quadrant."""
        return {1: (True, True), 2: (True, False), 3: (False, True), 4: (False, False)}[self]

    @classmethod
    def of(cls, important: bool, urgent: bool) -> Quadrant:
        """The Eisenhower quadrant for two flags."""
        if important:
            return cls.DO if urgent else cls.SCHEDULE
        return cls.DELEGATE if urgent else cls.DROP


@dataclass(frozen=True)
class TaskView:
    """A task as the screens and the CLI show it, relative to ``today``."""

    id: int
    title: str
    quadrant: Quadrant
    due_date: date | None
    due_time: clock_time | None
    due_text: str  # "Fri", "in 3d", "overdue 2d", "" when no due date
    overdue: bool
    suggest_urgent: bool
    estimate_minutes: int | None
    owner: str | None
    follow_up: date | None
    tags: tuple[str, ...]
    done: bool
    rock: str | None = None  # the linked Rock's title
    unsorted: bool = False  # waits in the unsorted tray, not in a quadrant
    follow_up_text: str = ""  # "Thu", "overdue 2d", "" when there is no follow-up
    follow_up_due: bool = False  # the follow-up day has come: time to check in

    @property
    def place(self) -> str:
        """Where the task sits: "Unsorted" or "Q2 Schedule"."""
        return "Unsorted" if self.unsorted else f"Q{self.quadrant.value} {self.quadrant.label}"

    @property
    def due_label(self) -> str:
        """The relative due date with its time when it has one: "Thu 15:00"."""
        if self.due_text and self.due_time is not None:
            return f"{self.due_text} {self.due_time:%H:%M}"
        return self.due_text

    @property
    def estimate_text(self) -> str:
        return format_minutes(self.estimate_minutes) if self.estimate_minutes else ""

    def describe(self) -> str:
        """One line for the shell: quadrant, title, absolute due date and weekday, estimate."""
        parts = [self.place, self.title]
        if self.due_date:
            due = format_day(self.due_date)
            parts.append(f"due {due} {self.due_time:%H:%M}" if self.due_time else f"due {due}")
        else:
            parts.append("no due date")
        if self.estimate_minutes:
            parts.append(f"est {self.estimate_text}")
        if self.owner:
            parts.append(f"delegated to {self.owner}")
        if self.follow_up:
            parts.append(f"follow up {format_day(self.follow_up)}")
        if self.rock:
            parts.append(f"Rock “{self.rock}”")
        if self.tags:
            parts.append(" ".join(f"#{t}" for t in self.tags))
        return " · ".join(parts)


@dataclass(frozen=True)
class QuadrantView:
    quadrant: Quadrant
    tasks: tuple[TaskView, ...]  # open tasks, most pressing first
    done: tuple[TaskView, ...]  # completed this week (shown with the done toggle)


@dataclass(frozen=True)
class UnsortedView:
    """The unsorted tray: tasks captured with neither flag, oldest first."""

    tasks: tuple[TaskView, ...]
    done: tuple[TaskView, ...] = ()  # completed this week before they were sorted


@dataclass(frozen=True)
class TaskBoard:
    today: date
    quadrants: tuple[QuadrantView, ...]
    filter_text: str
    unsorted: UnsortedView = UnsortedView(())

    def quadrant(self, quadrant: Quadrant) -> QuadrantView:
        return self.quadrants[quadrant - 1]

    @property
    def open_count(self) -> int:
        return sum(len(q.tasks) for q in self.quadrants) + len(self.unsorted.tasks)

    @property
    def views(self) -> list[TaskView]:
        """Every task on the board, open and completed."""
        lists = [(q.tasks, q.done) for q in self.quadrants] + [
            (self.unsorted.tasks, self.unsorted.done)
        ]
        return [view for open_, done in lists for view in (*open_, *done)]

    def without(self, task_ids: Collection[int]) -> TaskBoard:
        """The board less the tasks ``task_ids``."""
        kept = [view for view in self.views if view.id not in task_ids]
        return _arrange(kept, self.today, self.filter_text)


@dataclass(frozen=True)
class Preview:
    """How quick-add text will be read, before it is stored."""

    parsed: QuickAdd
    quadrant: Quadrant
    owner: str | None
    rock: str | None = None  # the title of the Rock +rock:<slug> links to
    unsorted: bool = False  # will wait in the unsorted tray

    def describe(self, today: date) -> str:
        place = "Unsorted" if self.unsorted else f"Q{self.quadrant.value} {self.quadrant.label}"
        parts = [place, f"“{self.parsed.title}”"]
        if self.parsed.due_date:
            due = f"due {format_day(self.parsed.due_date)}"
            if self.parsed.due_time:
                due += f" {self.parsed.due_time:%H:%M}"
            relative = format_relative_due(self.parsed.due_date, today)
            # "Fri" would only repeat the weekday; "tomorrow" or "in 9d" adds something.
            same = format_day(self.parsed.due_date).startswith(relative)
            parts.append(due if same else f"{due} ({relative})")
        if self.parsed.estimate_minutes:
            parts.append(f"est {format_minutes(self.parsed.estimate_minutes)}")
        if self.owner:
            parts.append(f"delegated to {self.owner}")
        if self.rock:
            parts.append(f"Rock “{self.rock}”")
        if self.parsed.tags:
            parts.append(" ".join(f"#{t}" for t in self.parsed.tags))
        return " · ".join(parts)

    def kept_note(self) -> str:
        """What looked like a date but stays in the title, and how to make it one."""
        kept = self.parsed.kept_dates
        if not kept:
            return ""
        words = " and ".join(f"“{k}”" for k in kept)
        verb = "stays" if len(kept) == 1 else "stay"
        return f"{words} {verb} in the title; end with it or put “on” before it to set the date"


def local_now(db: Database, now: datetime) -> datetime:
    """The user's wall-clock time (naive) for an aware instant."""
    return _zoned_now(db, now).replace(tzinfo=None)


def _zoned_now(db: Database, now: datetime) -> datetime:
    return _user_local_now(db, now).local


def _due_moment(task: ShownTask, zone: tzinfo | None) -> datetime | None:
    """When a task is due, as an aware instant; a date alone means the end of that day."""
    if task.due_date is None:
        return None
    moment = datetime.combine(task.due_date, task.due_time or clock_time(23, 59, 59))
    return moment.replace(tzinfo=zone).astimezone(UTC)


class ShownTask(Protocol):
    """What a task's row is drawn from: a Task, or a row of just the SHOWN columns."""

    @property
    def id(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def important(self) -> bool: ...
    @property
    def urgent(self) -> bool: ...
    @property
    def due_date(self) -> date | None: ...
    @property
    def due_time(self) -> clock_time | None: ...
    @property
    def estimate_minutes(self) -> int | None: ...
    @property
    def owner_id(self) -> int | None: ...
    @property
    def follow_up(self) -> date | None: ...
    @property
    def tags(self) -> str: ...
    @property
    def done_at(self) -> datetime | None: ...
    @property
    def rock_id(self) -> int | None: ...
    @property
    def unsorted(self) -> bool: ...


# The columns a task's row shows: the board reads only these (no ORM objects for
# hundreds of open tasks).
SHOWN = (
    col(Task.id),
    col(Task.title),
    col(Task.important),
    col(Task.urgent),
    col(Task.due_date),
    col(Task.due_time),
    col(Task.estimate_minutes),
    col(Task.owner_id),
    col(Task.follow_up),
    col(Task.tags),
    col(Task.done_at),
    col(Task.rock_id),
    col(Task.unsorted),
)


def _view(
    task: ShownTask, owner: str | None, now_local: datetime, rock: str | None = None
) -> TaskView:
    """``now_local`` is aware, in the user's zone; the 48 hours are real hours (DST-safe)."""
    return _view_on(task, owner, rock, now_local.date(), _suggest_urgent(task, now_local))


def _suggest_urgent(task: ShownTask, now_local: datetime) -> bool:
    """Whether an open task not flagged urgent is due within the next 48 (real) hours."""
    if task.due_date is None or task.done_at is not None or task.urgent:
        return False
    due = _due_moment(task, now_local.tzinfo)
    return bool(due and due - now_local.astimezone(UTC) <= SUGGEST_URGENT_WITHIN)


def _view_on(
    task: ShownTask, owner: str | None, rock: str | None, today: date, suggest_urgent: bool
) -> TaskView:
    """A task as shown on ``today``: all that "now" changes in it besides the day is
    whether it is suggested urgent."""
    done = task.done_at is not None
    return TaskView(
        id=task.id or 0,
        title=task.title,
        quadrant=Quadrant.of(task.important, task.urgent),
        due_date=task.due_date,
        due_time=task.due_time,
        due_text=format_relative_due(task.due_date, today) if task.due_date else "",
        overdue=bool(task.due_date and not done and is_overdue(task.due_date, today)),
        suggest_urgent=suggest_urgent,
        estimate_minutes=task.estimate_minutes,
        owner=owner,
        follow_up=task.follow_up,
        tags=tuple(task.tags.split()),
        done=done,
        rock=rock,
        unsorted=task.unsorted,
        follow_up_text=format_relative_due(task.follow_up, today) if task.follow_up else "",
        follow_up_due=bool(task.follow_up and not done and task.follow_up <= today),
    )


# A board row's view from its SHOWN columns, names, day and suggestion, kept: a board
# read again (after an undo, another process's write, a visit in a later minute) builds
# only the rows that changed. A pure function of its arguments; bounded.
_board_view = lru_cache(maxsize=2048)(_view_on)


def _owner_names(session: Session) -> dict[int, str]:
    return {p.id: p.name for p in session.exec(select(Person)) if p.id is not None}


def task_views(session: Session, tasks: Sequence[ShownTask], now_local: datetime) -> list[TaskView]:
    """Tasks as shown, in the given order, with owner names and Rock titles filled in.

    ``now_local`` is aware, in the user's zone (it decides overdue and suggested urgent).
    """
    owners, rocks = _names(session, tasks)
    return [
        _view(t, owners.get(t.owner_id or -1), now_local, rocks.get(t.rock_id or -1)) for t in tasks
    ]


def _names(
    session: Session, tasks: Sequence[ShownTask]
) -> tuple[dict[int, str], dict[int | None, str]]:
    """The owners' names by id, and the titles of the Rocks ``tasks`` serve."""
    rock_ids = {t.rock_id for t in tasks if t.rock_id is not None}
    rocks = (
        {r.id: r.title for r in session.exec(select(Rock).where(col(Rock.id).in_(rock_ids)))}
        if rock_ids
        else {}
    )
    return _owner_names(session), rocks


def _board_views(session: Session, rows: Sequence[Row[Any]], now_local: datetime) -> list[TaskView]:
    """``task_views`` of rows of SHOWN (hashable, by value): a view already built from the
    same row, names, day and suggestion is reused."""
    tasks = cast(Sequence[ShownTask], rows)
    owners, rocks = _names(session, tasks)
    today = now_local.date()
    return [
        _board_view(
            row,
            owners.get(task.owner_id or -1),
            rocks.get(task.rock_id or -1),
            today,
            _suggest_urgent(task, now_local),
        )
        for row, task in zip(rows, tasks, strict=True)
    ]


def rock_task_views(db: Database, rock_id: int, now: datetime) -> list[TaskView]:
    """The tasks linked to a Rock (not archived), as shown, in the order they were added."""
    now_local = _zoned_now(db, now)
    with db.session() as session:
        linked = session.exec(
            select(Task).where(Task.rock_id == rock_id, col(Task.archived_at).is_(None))
        ).all()
        return task_views(session, linked, now_local)


def _matches(view: TaskView, words: Sequence[str]) -> bool:
    haystack = " ".join(
        [view.title, view.owner or "", view.rock or "", *(f"#{t}" for t in view.tags)]
    ).lower()
    return all(word in haystack for word in words)


def _sort_key(view: TaskView) -> tuple:
    return (
        view.due_date is None,
        view.due_date or date.max,
        view.due_time or clock_time.max,
        view.id,
    )


def task_board(
    db: Database, now: datetime, filter_text: str = "", *, done: bool = True
) -> TaskBoard:
    """Open tasks per quadrant (most pressing first) and those completed this ISO week
    (none read with ``done`` False: a board that does not show them).

    ``filter_text`` keeps tasks whose title, owner, Rock or #tags contain every word.
    """
    return _read_board(db, now, filter_text, done)


def task_board_again(
    db: Database, board: TaskBoard, now: datetime, task_ids: Collection[int], *, done: bool = True
) -> TaskBoard:
    """``board`` (read by ``task_board`` with the same ``done``) once a write changed the
    tasks ``task_ids`` and nothing else: those are read again, the rest stays as read.
    On another day than the board's, the whole board is read again."""
    return _read_board(db, now, board.filter_text, done, (board, frozenset(task_ids)))


def _read_board(
    db: Database,
    now: datetime,
    filter_text: str,
    done: bool,
    again: tuple[TaskBoard, frozenset[int]] | None = None,
) -> TaskBoard:
    local = _user_local_now(db, now)
    zone, now_local, today = local.zone, local.local, local.today
    monday = monday_of(today)
    week_start = datetime.combine(monday, clock_time(), tzinfo=zone)
    words = filter_text.lower().split()
    shown: ColumnElement[bool] = col(Task.done_at).is_(None)
    if done:
        shown = shown | (col(Task.done_at) >= week_start)
    query = sa_select(*SHOWN).where(col(Task.archived_at).is_(None), shown)
    kept: list[TaskView] = []
    if again is not None and again[0].today == today:
        board, only = again
        query = query.where(col(Task.id).in_(only))
        kept = [v for v in board.views if v.id not in only]
    with db.session() as session:
        views = _board_views(session, session.execute(query).all(), now_local)
    if words:
        views = [v for v in views if _matches(v, words)]
    return _arrange([*kept, *views], today, filter_text)


def _arrange(views: Sequence[TaskView], today: date, filter_text: str) -> TaskBoard:
    """Views placed on the board: by quadrant, most pressing first; the tray by age."""
    views = sorted(views, key=_sort_key)
    quadrants = tuple(
        QuadrantView(
            quadrant=q,
            tasks=tuple(v for v in views if v.quadrant == q and not v.unsorted and not v.done),
            done=tuple(v for v in views if v.quadrant == q and not v.unsorted and v.done),
        )
        for q in Quadrant
    )
    # The tray keeps capture order: the oldest capture waits longest.
    unsorted = sorted((v for v in views if v.unsorted), key=lambda v: v.id)
    tray = UnsortedView(
        tasks=tuple(v for v in unsorted if not v.done),
        done=tuple(v for v in unsorted if v.done),
    )
    return TaskBoard(today=today, quadrants=quadrants, filter_text=filter_text, unsorted=tray)


@dataclass(frozen=True)
class Capture:
    """Quick-add text read and resolved: the owner and Rock by id (see views.capture)."""

    parsed: QuickAdd
    owner_id: int | None = None
    owner: str | None = None  # the owner's name, for the preview
    rock_id: int | None = None
    rock: str | None = None  # the Rock's title, for the preview


def settle_flags(parsed: QuickAdd, owner_given: bool, *, new: bool = True) -> QuickAdd:
    """A new capture naming an owner and no flag goes to Delegate ("someone else does this")."""
    if new and owner_given and not parsed.flags_given:
        return replace(parsed, important=False, urgent=True)
    return parsed


def preview_capture(
    db: Database, capture: Capture, *, new: bool = True, task_id: int | None = None
) -> Preview:
    """How a resolved capture will be stored, without storing it.

    ``task_id`` names the task being edited: an unsorted one stays unsorted unless the
    text gives a flag.
    """
    parsed = settle_flags(capture.parsed, capture.owner_id is not None, new=new)
    with db.session() as session:
        waiting = task_id is not None and _task(session, task_id).unsorted
    return Preview(
        parsed,
        Quadrant.of(parsed.important, parsed.urgent),
        capture.owner,
        capture.rock,
        unsorted=(new and _stays_unsorted(parsed, capture.owner_id))
        or (waiting and not parsed.flags_given),
    )


def _stays_unsorted(parsed: QuickAdd, owner_id: int | None) -> bool:
    """A capture with no flag and no owner has not been sorted: it waits in the tray."""
    return not parsed.flags_given and owner_id is None


def _owner_and_rock(session: Session, capture: Capture) -> tuple[Person | None, Rock | None]:
    owner = None if capture.owner_id is None else _active_person(session, capture.owner_id)
    rock = None
    if capture.rock_id is not None:
        rock = get_or_refuse(session, Rock, capture.rock_id, "That Rock no longer exists.")
    return owner, rock


def _active_person(session: Session, person_id: int) -> Person:
    return get_or_refuse(
        session, Person, person_id, "That team member is not active.", gone=lambda p: not p.active
    )


def _apply(task: Task, parsed: QuickAdd, owner: Person | None, rock: Rock | None) -> None:
    task.title = parsed.title
    task.important, task.urgent = parsed.important, parsed.urgent
    task.due_date, task.due_time = parsed.due_date, parsed.due_time
    task.estimate_minutes = parsed.estimate_minutes
    task.owner_id = owner.id if owner else None
    task.rock_id = rock.id if rock else None
    task.tags = " ".join(parsed.tags)


def _load_view(session: Session, task: Task, now_local: datetime) -> TaskView:
    return task_views(session, [task], now_local)[0]


def create_task(db: Database, capture: Capture, now: datetime) -> TaskView:
    """Store a resolved capture as a new task (views.capture.add_task reads the text)."""
    zoned = _zoned_now(db, now)
    parsed = settle_flags(capture.parsed, capture.owner_id is not None)
    with db.action(f"Added “{parsed.title}”") as session:
        owner, rock = _owner_and_rock(session, capture)
        task = Task(title=parsed.title, unsorted=_stays_unsorted(parsed, capture.owner_id))
        _apply(task, parsed, owner, rock)
        if owner is not None:
            task.follow_up = _follow_up_for(task, zoned.date())
        session.add(task)
        session.flush()
        return _load_view(session, task, zoned)


def _task(session: Session, task_id: int) -> Task:
    return task_or_refuse(session, task_id)


def task_text(db: Database, task_id: int) -> str:
    """The task written back in the quick-add grammar, for editing."""
    with db.session() as session:
        task = _task(session, task_id)
        owner = session.get(Person, task.owner_id) if task.owner_id else None
        rock = session.get(Rock, task.rock_id) if task.rock_id else None
        return format_quick_add(
            QuickAdd(
                title=task.title,
                due_date=task.due_date,
                due_time=task.due_time,
                important=task.important,
                urgent=task.urgent,
                flags_given=True,
                estimate_minutes=task.estimate_minutes,
                owner_ref=owner.name.split()[0].lower() if owner else None,
                rock_ref=rock.slug if rock else None,
                tags=tuple(task.tags.split()),
            )
        )


def update_task(db: Database, task_id: int, capture: Capture, now: datetime) -> TaskView:
    """Replace a task's fields with a resolved capture (views.capture.edit_task reads it)."""
    zoned = _zoned_now(db, now)
    # Edited text spells out both flags, so "no flag" means Drop, not Delegate.
    parsed = capture.parsed
    with db.action(f"Edited “{parsed.title}”") as session:
        task = _task(session, task_id)
        owner, rock = _owner_and_rock(session, capture)
        _apply(task, parsed, owner, rock)
        db.touch(task)
        if parsed.flags_given:
            task.unsorted = False
        if owner is not None and task.follow_up is None:
            task.follow_up = _follow_up_for(task, zoned.date())
        return _load_view(session, task, zoned)


def _change_task(
    db: Database,
    task_id: int,
    label: Callable[[Task], str],
    change: Callable[[Task], None],
) -> Task:
    """One undoable action on one task, labelled from the task as it was."""
    with db.action("Changed a task") as session:
        task = _task(session, task_id)
        session.info[UNDO_LABEL] = label(task)
        change(task)
        db.touch(task)
        return task


def toggle_done(db: Database, task_id: int, now: datetime) -> bool:
    """Complete an open task or reopen a completed one; returns whether it is now done."""

    def flip(task: Task) -> None:
        task.done_at = now.astimezone(UTC) if task.done_at is None else None

    task = _change_task(
        db,
        task_id,
        lambda t: f"{'Reopened' if t.done_at else 'Completed'} “{t.title}”",
        flip,
    )
    return task.done_at is not None


def archive_task(db: Database, task_id: int, now: datetime) -> str:
    """Hide a task from every list (undoable); returns its title."""

    def archive(task: Task) -> None:
        task.archived_at = now.astimezone(UTC)

    return _change_task(db, task_id, lambda t: f"Archived “{t.title}”", archive).title


def move_task(db: Database, task_id: int, quadrant: Quadrant) -> str:
    """Put a task in a quadrant by setting its two flags; returns its title."""

    def move(task: Task) -> None:
        task.important, task.urgent = quadrant.flags
        task.unsorted = False

    return _change_task(db, task_id, lambda t: f"Moved “{t.title}” to {quadrant.label}", move).title


def _follow_up_for(task: Task, today: date) -> date:
    """A delegated task's follow-up: the day before it is due (never in the past),
    else two days from today."""
    if task.follow_up and task.follow_up >= today:
        return task.follow_up
    if task.due_date:
        return max(today, task.due_date - timedelta(days=1))
    return today + timedelta(days=2)


def suggested_follow_up(db: Database, task_id: int, now: datetime) -> date:
    """The follow-up date the delegate dialog proposes."""
    today = local_now(db, now).date()
    with db.session() as session:
        return _follow_up_for(_task(session, task_id), today)


def delegate_task(db: Database, task_id: int, person_id: int, follow_up: date | None) -> str:
    """Give a task to a person and keep a follow-up date; returns the person's name."""
    with db.action("Delegated a task") as session:
        task = _task(session, task_id)
        person = _active_person(session, person_id)
        task.owner_id = person.id
        task.follow_up = follow_up
        if task.unsorted:
            # Delegating sorts a task: someone else does it, the Delegate quadrant.
            task.important, task.urgent = Quadrant.DELEGATE.flags
            task.unsorted = False
        db.touch(task)
        return person.name


def reschedule_task(db: Database, task_id: int, due: date) -> str:
    """Give a task a new due date (its time of day kept); returns its title."""

    def redate(task: Task) -> None:
        task.due_date = due

    return _change_task(
        db, task_id, lambda t: f"Rescheduled “{t.title}” to {format_day(due)}", redate
    ).title


def tasks_changed_at(db: Database, revision: int) -> frozenset[int] | None:
    """The tasks this database's write that moved the change feed to ``revision`` changed,
    when it changed tasks and nothing else; None when it changed anything else, or when
    that write is not known (another program's, or an older one)."""
    rows = db.changed_at(revision)
    if not rows or any(model is not Task for model, _key in rows):
        return None
    return frozenset(key[0] for _model, key in rows)
