"""Undo and redo as a core concept: a log of reversible row changes.

Every user action runs in one transaction (``Database.action``). While it runs, a
recorder captures each row it inserts, updates or deletes as a before/after pair. Undo
writes the "before" images back, redo the "after" images, each in one transaction, so
any action on any table is undoable without screen-specific code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ceodesk.core.errors import CeodeskError, ConflictError

Row = dict[str, Any]
# Bookkeeping columns that change on every write and must not count as a conflict.
_VOLATILE = frozenset({"updated_at"})
CONFLICT = "That was changed elsewhere since, so it cannot be undone or redone."


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
        for obj in session.new:
            self._merge(type(obj), _key(obj), None, _row(obj))
        for obj in session.dirty:
            if session.is_modified(obj, include_collections=False):
                self._merge(type(obj), _key(obj), _row_before(obj), _row(obj))
        for obj in session.deleted:
            self._merge(type(obj), _key(obj), _row_before(obj), None)

    @property
    def changes(self) -> list[RowChange]:
        # An insert that was deleted again in the same action changed nothing.
        return [c for c in self._changes.values() if c.before is not None or c.after is not None]


def _differs(current: Row, expected: Row) -> bool:
    return any(current.get(k) != v for k, v in expected.items() if k not in _VOLATILE)


def apply_images(session: Session, changes: Iterable[RowChange], *, undo: bool) -> None:
    """Write the before (undo) or after (redo) image of each row, refusing on conflicts."""
    ordered = list(changes)
    if undo:
        ordered.reverse()
    for change in ordered:
        expected, target = (change.after, change.before) if undo else (change.before, change.after)
        current = session.get(change.model, change.key)
        if (current is None) != (expected is None) or (
            current is not None and expected is not None and _differs(_row(current), expected)
        ):
            raise ConflictError(CONFLICT)
        if target is None:
            session.delete(current)
        elif current is None:
            session.add(change.model(**target))
        else:
            for name, value in target.items():
                setattr(current, name, value)
        session.flush()


class UndoLog:
    """Two stacks of change sets; a new action clears what could be redone."""

    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self._undo: list[ChangeSet] = []
        self._redo: list[ChangeSet] = []

    def push(self, change_set: ChangeSet) -> None:
        self._undo.append(change_set)
        del self._undo[: -self.limit]
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def take_undo(self) -> ChangeSet:
        if not self._undo:
            raise CeodeskError("Nothing to undo.")
        return self._undo.pop()

    def take_redo(self) -> ChangeSet:
        if not self._redo:
            raise CeodeskError("Nothing to redo.")
        return self._redo.pop()

    def done_undo(self, change_set: ChangeSet) -> None:
        self._redo.append(change_set)

    def done_redo(self, change_set: ChangeSet) -> None:
        self._undo.append(change_set)

    def put_back_undo(self, change_set: ChangeSet) -> None:
        self._undo.append(change_set)

    def put_back_redo(self, change_set: ChangeSet) -> None:
        self._redo.append(change_set)
