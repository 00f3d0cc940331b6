"""Undo and redo as a core concept: a log of reversible row changes, kept in the database.

Every user action runs in one transaction (``Database.action``). While it runs, a
recorder captures each row it inserts, updates or deletes as a before/after pair. The
pairs are stored with the action, in the same transaction, as one ``UndoStep`` row
(table name + JSON row images + label + time), so the log survives a restart and is
never out of step with the data. Undo writes the "before" images back, redo the "after"
images, each in one transaction, so any action on any table is undoable without
screen-specific code.

Undo and redo refuse, with one sentence, when a row they would write, or a row that
deleting one would cascade into (a time block linked to the task being un-added), was
changed since by anything else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Table, delete, event, func, inspect, literal, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from ceodesk.core.kernel.errors import CeodeskError, ConflictError
from ceodesk.core.store.models import UndoStep

Row = dict[str, Any]
# Bookkeeping columns that change on every write and must not count as a conflict.
_VOLATILE = frozenset({"updated_at"})
CONFLICT = "That was changed elsewhere since, so it cannot be undone or redone."
# At least this many actions stay undoable; older ones are forgotten.
KEEP_ACTIONS = 500
UNDO, REDO = "undo", "redo"
# Links that belong to the row they point at: a series' occurrences go with the series
# (the planner writes later weeks outside the log and tidies them up after an undo).
# Any other link into a row that undo or redo would delete makes it refuse.
_FOLLOWS_PARENT = frozenset({("timeblock", "series_id")})


@dataclass
class RowChange:
    """One row's state before and after an action (``None`` = the row did not exist)."""

    model: type
    key: tuple[Any, ...]
    before: Row | None
    after: Row | None


@dataclass
class ChangeSet:
    """What one user action did, under the label shown after undo ("Completed ...")."""

    label: str
    changes: list[RowChange] = field(default_factory=list)


# ------------------------------------------------------------------ row images as JSON


def encode_value(value: Any) -> Any:
    """A column value as JSON, with dates, times and datetimes tagged so they come back."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in the undo log")


def decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        [(kind, text)] = value.items()
        if kind == "datetime":
            return datetime.fromisoformat(text)
        return date.fromisoformat(text) if kind == "date" else time.fromisoformat(text)
    return value


def encode_row(row: Row | None) -> dict[str, Any] | None:
    return None if row is None else {name: encode_value(v) for name, v in row.items()}


def decode_row(row: dict[str, Any] | None) -> Row | None:
    return None if row is None else {name: decode_value(v) for name, v in row.items()}


def _models() -> dict[str, type]:
    return {mapper.class_.__tablename__: mapper.class_ for mapper in SQLModel._sa_registry.mappers}


def encode_changes(changes: Iterable[RowChange]) -> str:
    return json.dumps(
        [
            {
                "table": c.model.__tablename__,  # type: ignore[attr-defined]
                "key": [encode_value(k) for k in c.key],
                "before": encode_row(c.before),
                "after": encode_row(c.after),
            }
            for c in changes
        ],
        allow_nan=False,
    )


def decode_changes(text: str) -> list[RowChange]:
    models = _models()
    return [
        RowChange(
            models[item["table"]],
            tuple(decode_value(k) for k in item["key"]),
            decode_row(item["before"]),
            decode_row(item["after"]),
        )
        for item in json.loads(text)
    ]


# ------------------------------------------------------------------------- recording


def _columns(obj: Any) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs]


def _row(obj: Any) -> Row:
    return {name: getattr(obj, name) for name in _columns(obj)}


def _row_before(obj: Any) -> Row:
    state = inspect(obj)
    before: Row = {}
    for name in _columns(obj):
        history = state.attrs[name].history
        if history.deleted:
            before[name] = history.deleted[0]
        elif history.unchanged:
            before[name] = history.unchanged[0]
        else:
            before[name] = getattr(obj, name)
    return before


def _key(obj: Any) -> tuple[Any, ...]:
    return tuple(inspect(obj).identity or inspect(obj).mapper.primary_key_from_instance(obj))


class ChangeRecorder:
    """Listens to one session's flushes and collects the net change per row."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._changes: dict[tuple[type, tuple[Any, ...]], RowChange] = {}
        event.listen(session, "after_flush", self._after_flush)

    def close(self) -> None:
        event.remove(self.session, "after_flush", self._after_flush)

    def _merge(self, model: type, key: tuple[Any, ...], before: Row | None, after: Row | None):
        known = self._changes.get((model, key))
        if known is None:
            self._changes[(model, key)] = RowChange(model, key, before, after)
        else:
            known.after = after

    def _after_flush(self, session: Session, _context: Any) -> None:
        def logged(objects: Iterable[Any]) -> Iterator[Any]:
            return (obj for obj in objects if not isinstance(obj, UndoStep))

        for obj in logged(session.new):
            self._merge(type(obj), _key(obj), None, _row(obj))
        for obj in logged(session.dirty):
            if session.is_modified(obj, include_collections=False):
                self._merge(type(obj), _key(obj), _row_before(obj), _row(obj))
        for obj in logged(session.deleted):
            self._merge(type(obj), _key(obj), _row_before(obj), None)

    @property
    def changes(self) -> list[RowChange]:
        # An insert that was deleted again in the same action changed nothing.
        return [c for c in self._changes.values() if c.before is not None or c.after is not None]


# -------------------------------------------------------------------------- replaying


def _differs(current: Row, expected: Row) -> bool:
    return any(current.get(k) != v for k, v in expected.items() if k not in _VOLATILE)


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined]


def _is_linked(session: Session, model: type, row: Row) -> bool:
    """Whether a row outside this replay still points at ``row`` (deleting it would
    set that link to NULL, delete that row too, or fail)."""
    target = _table(model)
    for table in SQLModel.metadata.tables.values():
        for fk in table.foreign_keys:
            if fk.column.table is not target or (table.name, fk.parent.name) in _FOLLOWS_PARENT:
                continue
            value = row.get(fk.column.name)
            if value is None:
                continue
            query = select(literal(1)).select_from(table).where(fk.parent == value).limit(1)
            if session.execute(query).first() is not None:
                return True
    return False


def apply_images(session: Session, changes: Iterable[RowChange], *, undo: bool) -> None:
    """Write the before (undo) or after (redo) image of each row, refusing on conflicts.

    Every row is checked before anything is written; then rows are inserted parents
    first, updated, and deleted children first, so links are always valid.
    """
    ordered = list(changes)
    if undo:
        ordered.reverse()
    plan: list[tuple[RowChange, Any, Row | None]] = []
    for change in ordered:
        expected, target = (change.after, change.before) if undo else (change.before, change.after)
        current = session.get(change.model, change.key)
        if (current is None) != (expected is None) or (
            current is not None and expected is not None and _differs(_row(current), expected)
        ):
            raise ConflictError(CONFLICT)
        plan.append((change, current, target))

    rank = {table: i for i, table in enumerate(SQLModel.metadata.sorted_tables)}
    inserts = [p for p in plan if p[1] is None]
    updates = [p for p in plan if p[1] is not None and p[2] is not None]
    deletes = [p for p in plan if p[2] is None]
    inserts.sort(key=lambda p: rank[_table(p[0].model)])
    deletes.sort(key=lambda p: -rank[_table(p[0].model)])
    for change, _current, target in inserts:
        assert target is not None
        session.add(change.model(**target))
        session.flush()
    for _change, current, target in updates:
        assert target is not None
        for name, value in target.items():
            setattr(current, name, value)
        session.flush()
    for change, current, _target in deletes:
        if _is_linked(session, change.model, _row(current)):
            raise ConflictError(CONFLICT)
        session.delete(current)
        session.flush()


# ------------------------------------------------------------------------ the log


@dataclass
class LoggedStep:
    """An action taken from the log to be undone or redone."""

    id: int
    label: str
    changes: list[RowChange]


class UndoLog:
    """The undo and redo stacks, stored as ``UndoStep`` rows; a new action clears redo.

    Each open database undoes its own actions first (newest first), then those of
    earlier runs or other windows; it redoes only what it undid itself. Every method
    works inside the caller's session, so a step moves between the stacks in the same
    transaction as the rows it writes.
    """

    def __init__(self, origin: str, limit: int = KEEP_ACTIONS) -> None:
        self.origin = origin
        self.limit = limit

    def push(
        self,
        session: Session,
        change_set: ChangeSet,
        done_at: datetime,
        coalesce_key: str | None = None,
    ) -> None:
        """Log an action; with a coalesce key it merges into the step just before it
        when that one had the same key, came from here and changed the same rows."""
        newest = session.scalars(
            select(UndoStep).order_by(col(UndoStep.id).desc()).limit(1)
        ).first()
        if (
            coalesce_key is not None
            and newest is not None
            and self._continues(newest, coalesce_key)
        ):
            earlier = {(c.model, c.key): c for c in decode_changes(newest.changes)}
            if set(earlier) == {(c.model, c.key) for c in change_set.changes}:
                for change in change_set.changes:
                    change.before = earlier[(change.model, change.key)].before
                newest.label = change_set.label
                newest.done_at = done_at
                newest.changes = encode_changes(change_set.changes)
                session.flush()
                return
        # A new action clears what this window could redo (another window keeps its own).
        session.execute(
            delete(UndoStep).where(col(UndoStep.state) == REDO, col(UndoStep.origin) == self.origin)
        )
        session.add(
            UndoStep(
                label=change_set.label,
                done_at=done_at,
                state=UNDO,
                origin=self.origin,
                coalesce_key=coalesce_key,
                changes=encode_changes(change_set.changes),
            )
        )
        session.flush()
        oldest_kept = session.scalar(
            select(col(UndoStep.id))
            .where(col(UndoStep.state) == UNDO)
            .order_by(col(UndoStep.id).desc())
            .offset(self.limit - 1)
            .limit(1)
        )
        if oldest_kept is not None:  # forget what is older, redo steps left behind included
            session.execute(delete(UndoStep).where(col(UndoStep.id) < oldest_kept))

    def _continues(self, newest: UndoStep, coalesce_key: str) -> bool:
        return (
            newest.state == UNDO
            and newest.origin == self.origin
            and newest.coalesce_key == coalesce_key
        )

    def _next(self, session: Session, state: str) -> UndoStep | None:
        order = col(UndoStep.id).desc() if state == UNDO else col(UndoStep.redo_order).desc()
        mine = select(UndoStep).where(
            col(UndoStep.state) == state, col(UndoStep.origin) == self.origin
        )
        anyone = select(UndoStep).where(col(UndoStep.state) == state)
        # Undo reaches earlier runs' actions too; redo only what this window undid.
        for query in (mine, anyone) if state == UNDO else (mine,):
            step = session.scalars(query.order_by(order).limit(1)).first()
            if step is not None:
                return step
        return None

    def take(self, session: Session, *, undo: bool) -> LoggedStep:
        """The step undo (or redo) would replay next; refuses when there is none."""
        step = self._next(session, UNDO if undo else REDO)
        if step is None:
            raise CeodeskError("Nothing to undo." if undo else "Nothing to redo.")
        assert step.id is not None
        return LoggedStep(step.id, step.label, decode_changes(step.changes))

    def done(self, session: Session, step: LoggedStep, *, undo: bool) -> None:
        """Move a replayed step to the other stack (ours from now on)."""
        row = session.get(UndoStep, step.id)
        assert row is not None
        row.origin = self.origin
        row.coalesce_key = None
        if undo:
            highest = session.scalar(select(func.max(col(UndoStep.redo_order)))) or 0
            row.state, row.redo_order = REDO, highest + 1
        else:
            row.state = UNDO
        session.flush()

    def drop(self, session: Session, step: LoggedStep) -> None:
        """Forget a step that can never apply again."""
        session.execute(delete(UndoStep).where(col(UndoStep.id) == step.id))

    def can(self, session: Session, *, undo: bool) -> bool:
        return self._next(session, UNDO if undo else REDO) is not None
