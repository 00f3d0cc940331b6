"""Counting what a block of code reads: statements sent, and stored rows read, whether
loaded as ORM objects or read as plain rows (store.plain): the history-size tests hold
these equal on a small and a large file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from ceodesk.core.store.db import Database
from ceodesk.core.store.plain import PlainQuery


@contextmanager
def reads(db: Database) -> Iterator[dict[str, int]]:
    """The statements sent and the stored rows read while the block runs: loaded as
    objects, or read as plain rows (store.plain)."""
    seen = {"queries": 0, "rows": 0}

    def query(*_args) -> None:
        seen["queries"] += 1

    def row(*_args) -> None:
        seen["rows"] += 1

    plain_rows = PlainQuery.rows

    def counted_rows(self: PlainQuery, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        found = plain_rows(self, *args, **kwargs)
        seen["rows"] += len(found)
        return found

    event.listen(db.engine, "before_cursor_execute", query)
    event.listen(OrmSession, "loaded_as_persistent", row)
    PlainQuery.rows = counted_rows
    try:
        yield seen
    finally:
        PlainQuery.rows = plain_rows
        event.remove(db.engine, "before_cursor_execute", query)
        event.remove(OrmSession, "loaded_as_persistent", row)
