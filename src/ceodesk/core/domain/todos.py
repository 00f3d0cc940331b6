"""A team's to-dos: seven-day commitments with one owner, done or not done.

At each meeting the team reviews the to-dos due by then: each is done or not (no
"almost"), and the week's completion rate is held against the 90% target. A to-do
still not done at two meetings running is proposed as an issue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ceodesk.core.kernel.dates import format_relative_due, is_overdue
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import clean_line
from ceodesk.core.store.db import Database
from ceodesk.core.store.lookups import get_or_refuse
from ceodesk.core.store.models import Person, Team, Todo
from ceodesk.core.store.plain import PlainQuery
from ceodesk.core.store.preferences import person_names

DEFAULT_DUE_DAYS = 7
COMPLETION_TARGET = 0.9
MISSED_MEETINGS_TO_PROPOSE = 2
LONGEST_TITLE = 200


# ------------------------------------------------------------------ pure rules


def default_due(today: date) -> date:
    """A to-do made in a meeting is due a week later unless told otherwise."""
    return today + timedelta(days=DEFAULT_DUE_DAYS)


def completion_rate(done: Sequence[bool]) -> float | None:
    """Done of all reviewed, None when nothing was due."""
    return sum(1 for d in done if d) / len(done) if done else None


def meets_target(rate: float | None) -> bool | None:
    return None if rate is None else rate >= COMPLETION_TARGET - 1e-9


def rate_text(rate: float | None) -> str:
    """ "83% (target 90%)", or "nothing due"."""
    if rate is None:
        return "nothing due"
    return f"{round(rate * 100)}% (target {round(COMPLETION_TARGET * 100)}%)"


def meetings_missed(
    due: date, done_at: datetime | None, meetings: Sequence[tuple[date, datetime]]
) -> int:
    """How many of the team's latest meetings in a row (``(day, ended_at)``, any order)
    found this to-do due and not done. A to-do done by now has missed none."""
    if done_at is not None:
        return 0
    missed = 0
    for day, _ended in sorted(meetings, key=lambda m: m[1], reverse=True):
        if due > day:
            break
        missed += 1
    return missed


def is_stuck(
    due: date, done_at: datetime | None, meetings: Sequence[tuple[date, datetime]]
) -> bool:
    """Not done two meetings running: propose it as an issue."""
    return meetings_missed(due, done_at, meetings) >= MISSED_MEETINGS_TO_PROPOSE


def clean_title(title: str) -> str:
    return clean_line(
        title,
        empty="A to-do needs a few words saying what will be done.",
        longest=LONGEST_TITLE,
        too_long=f"A to-do can be at most {LONGEST_TITLE} characters long.",
    )


# ------------------------------------------------------------------ views


@dataclass(frozen=True)
class TodoView:
    id: int
    uid: str
    team_id: int
    title: str
    owner_id: int
    owner: str
    due: date
    due_text: str  # "Fri", "overdue 2d", ... relative to the day it was read for
    overdue: bool
    done: bool
    done_at: datetime | None
    created_at: datetime
    meeting_id: int | None  # the meeting it was made in
    issue_id: int | None  # the issue it came from

    def describe(self) -> str:
        """One line for the shell: "#12 [ ] Call the bank (Sam Okafor, due Fri)"."""
        box = "x" if self.done else " "
        if self.done:
            due = "done"
        elif self.due_text.startswith("overdue"):
            due = self.due_text
        else:
            due = f"due {self.due_text}"
        return f"#{self.id} [{box}] {self.title} ({self.owner}, {due})"


class _TodoRow(NamedTuple):
    """A ``todo`` row, read as plain columns."""

    id: int | None
    uid: str
    team_id: int
    title: str
    owner_id: int
    due: date
    done_at: datetime | None
    created_at: datetime
    meeting_id: int | None
    issue_id: int | None


_TODO_COLUMNS = tuple(col(getattr(Todo, name)) for name in _TodoRow._fields)
# Read on every review and meeting redraw, built once and read past the ORM (store.plain).
_DUE_BETWEEN = PlainQuery(
    sa_select(*_TODO_COLUMNS).where(
        col(Todo.due) >= bindparam("first"), col(Todo.due) <= bindparam("last")
    )
)
_TODO_QUERIES: dict[tuple[bool, bool, bool], PlainQuery] = {}


def _todos_query(team: bool, owner: bool, include_done: bool) -> PlainQuery:
    """The to-dos of a team (``team_id``) and of an owner (``owner_id``) if asked for,
    done ones too if asked for."""
    key = (team, owner, include_done)
    query = _TODO_QUERIES.get(key)
    if query is None:
        select_ = sa_select(*_TODO_COLUMNS)
        if team:
            select_ = select_.where(col(Todo.team_id) == bindparam("team_id"))
        if owner:
            select_ = select_.where(col(Todo.owner_id) == bindparam("owner_id"))
        if not include_done:
            select_ = select_.where(col(Todo.done_at).is_(None))
        query = _TODO_QUERIES[key] = PlainQuery(select_)
    return query


def _view(row: Todo | _TodoRow, names: dict[int, str], today: date) -> TodoView:
    done = row.done_at is not None
    return TodoView(
        id=row.id or 0,
        uid=row.uid,
        team_id=row.team_id,
        title=row.title,
        owner_id=row.owner_id,
        owner=names.get(row.owner_id, ""),
        due=row.due,
        due_text=format_relative_due(row.due, today),
        overdue=not done and is_overdue(row.due, today),
        done=done,
        done_at=row.done_at,
        created_at=row.created_at,
        meeting_id=row.meeting_id,
        issue_id=row.issue_id,
    )


def _names(session: Session) -> dict[int, str]:
    return person_names(session)


def _order(view: TodoView) -> tuple:
    return (view.done, view.due, view.owner.lower(), view.id)


def todos(
    db: Database,
    today: date,
    *,
    team_id: int | None = None,
    owner_id: int | None = None,
    overdue_only: bool = False,
    include_done: bool = False,
) -> tuple[TodoView, ...]:
    """Open to-dos (and done ones with ``include_done``), by due date then owner."""
    query = _todos_query(team_id is not None, owner_id is not None, include_done)
    with db.session() as session:
        names = _names(session)
        given = {"team_id": team_id, "owner_id": owner_id}
        rows = query.rows(session, **{k: v for k, v in given.items() if v is not None})
        views = [_view(_TodoRow._make(row), names, today) for row in rows]
    if overdue_only:
        views = [v for v in views if v.overdue]
    return tuple(sorted(views, key=_order))


def due_between(
    db: Database, team_id: int | None, first: date, last: date, today: date
) -> tuple[TodoView, ...]:
    """The team's to-dos due from ``first`` to ``last`` (both included), done or not, in
    ``todos``' order: one week's, read by the due index whatever the history."""
    with db.session() as session:
        # The team is picked here, not in SQL: given both, SQLite reads by the team's
        # index, every to-do the team ever had, instead of the week's by the due index.
        rows = map(_TodoRow._make, _DUE_BETWEEN.rows(session, first=first, last=last))
        mine = [r for r in rows if team_id is None or r.team_id == team_id]
        names = _names(session)
        views = [_view(r, names, today) for r in mine]
    return tuple(sorted(views, key=_order))


def review_list(
    db: Database, team_id: int, day: date, since: datetime | None, today: date | None = None
) -> tuple[TodoView, ...]:
    """What a meeting on ``day`` reviews: the team's to-dos due by then that are open,
    or were done after ``since`` (the end of the team's previous meeting)."""
    with db.session() as session:
        names = _names(session)
        rows = session.exec(select(Todo).where(Todo.team_id == team_id, Todo.due <= day)).all()
    views = [
        _view(r, names, today or day)
        for r in rows
        if r.done_at is None or since is None or r.done_at > since
    ]
    return tuple(sorted(views, key=lambda v: (v.due, v.owner.lower(), v.id)))


def made_in(db: Database, meeting_id: int, today: date) -> tuple[TodoView, ...]:
    """The to-dos a meeting made, as made."""
    with db.session() as session:
        names = _names(session)
        rows = session.exec(
            select(Todo).where(Todo.meeting_id == meeting_id).order_by(col(Todo.id))
        ).all()
        return tuple(_view(r, names, today) for r in rows)


def from_issue(db: Database, issue_id: int, today: date) -> tuple[TodoView, ...]:
    with db.session() as session:
        names = _names(session)
        rows = session.exec(
            select(Todo).where(Todo.issue_id == issue_id).order_by(col(Todo.id))
        ).all()
        return tuple(_view(r, names, today) for r in rows)


def todo(db: Database, todo_id: int, today: date) -> TodoView:
    with db.session() as session:
        return _view(_todo(session, todo_id), _names(session), today)


# ----------------------------------------------------------------- actions


def _todo(session: Session, todo_id: int) -> Todo:
    return get_or_refuse(session, Todo, todo_id, f"There is no to-do #{todo_id}.")


def create_todo(
    session: Session,
    team_id: int,
    title: str,
    owner_id: int,
    due: date,
    now: datetime,
    *,
    meeting_id: int | None = None,
    issue_id: int | None = None,
) -> Todo:
    """Add a to-do inside an action already running (see ``add_todo``)."""
    title = clean_title(title)
    get_or_refuse(session, Team, team_id, "That team no longer exists.")
    owner = get_or_refuse(session, Person, owner_id, "That team member no longer exists.")
    if not owner.active:
        raise InputError(f"{owner.name} is no longer active; give the to-do to someone else.")
    row = Todo(
        team_id=team_id,
        title=title,
        owner_id=owner_id,
        due=due,
        created_at=now,
        meeting_id=meeting_id,
        issue_id=issue_id,
    )
    session.add(row)
    session.flush()
    return row


def add_todo(
    db: Database,
    team_id: int,
    title: str,
    owner_id: int,
    due: date,
    now: datetime,
    *,
    meeting_id: int | None = None,
    issue_id: int | None = None,
) -> TodoView:
    with db.action("Added a to-do") as session:
        row = create_todo(
            session, team_id, title, owner_id, due, now, meeting_id=meeting_id, issue_id=issue_id
        )
        return _view(row, _names(session), now.date())


def set_done(db: Database, todo_id: int, done: bool, now: datetime, today: date) -> TodoView:
    """Done or not done (binary); marking a done one done again changes nothing."""
    with db.action("Completed a to-do" if done else "Reopened a to-do") as session:
        row = _todo(session, todo_id)
        if done and row.done_at is None:
            row.done_at = now
        elif not done:
            row.done_at = None
        session.flush()
        return _view(row, _names(session), today)


def toggle_done(db: Database, todo_id: int, now: datetime, today: date) -> TodoView:
    with db.session() as session:
        done = _todo(session, todo_id).done_at is not None
    return set_done(db, todo_id, not done, now, today)
