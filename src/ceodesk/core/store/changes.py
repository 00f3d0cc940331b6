"""Which tables changed, so that a read can be kept until what it read changes (issue 13).

Every statement an open database's engine runs is looked at once (its compiled form is
cached, and so is what it touches):

- a write (INSERT, UPDATE, DELETE) moves its table's stamp when the connection goes
  back to the pool, after its transaction ended: a read that took its stamps before
  that moment and its data before the commit is never kept as current;
- a read made inside ``Kept.get`` is recorded with the tables it read, and the result is
  reused while none of those tables' stamps has moved and its inputs are the same.

This process's writes are seen table by table as they run. Another program's are known
from the change feed: each write records the tables it wrote in its transaction
(``models.TableRevision``), and the window that sees the feed move marks those tables
changed (``ChangeStamps.changed``). When they cannot be told, every kept read is read
again (``ChangeStamps.everything_changed``). So is any read whose tables cannot be told
(plain SQL text), which is never kept at all.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.sql.util import find_tables

T = TypeVar("T")

# The connection's record of the tables its transaction wrote (Connection.info lives as
# long as the pooled connection: popped when it goes back to the pool).
WRITTEN = "ceodesk_tables_written"
# Written, but which table cannot be told: every table counts as changed.
EVERY_TABLE = "*"

_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r"\s+[\"`\[]?(\w+)",
    re.IGNORECASE,
)
_NOT_DATA = ("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass(frozen=True)
class _Touched:
    """What one statement does: the tables it reads or writes (None: cannot be told)."""

    writes: bool
    tables: frozenset[str] | None


_NOTHING = _Touched(False, frozenset())
_CACHED = "_ceodesk_touched"


def _from_text(sql: str) -> _Touched:
    head = sql.lstrip()[:12].upper()
    if head.startswith(_NOT_DATA):
        return _NOTHING
    if head.startswith(("SELECT", "WITH", "VALUES")):
        return _Touched(False, None)
    match = _WRITE.match(sql)
    return _Touched(True, frozenset({match.group(1).lower()}) if match else None)


def _from_compiled(compiled: Any) -> _Touched:
    statement = compiled.statement
    if getattr(statement, "is_dml", False):
        table = getattr(statement, "table", None)
        name = getattr(table, "name", None)
        return _Touched(True, frozenset({name}) if name else None)
    if getattr(statement, "is_select", False):
        tables = find_tables(statement, include_crud=True, include_aliases=True, include_joins=True)
        return _Touched(False, frozenset(t.name for t in tables if getattr(t, "name", None)))
    return _from_text(str(compiled))


def touched(context: Any, sql: str) -> _Touched:
    """What the statement being run reads or writes, cached on its compiled form."""
    compiled = getattr(context, "compiled", None)
    if compiled is None:
        return _from_text(sql)
    found = compiled.__dict__.get(_CACHED)
    if found is None:
        found = _from_compiled(compiled)
        compiled.__dict__[_CACHED] = found
    return found


class _Recording(threading.local):
    def __init__(self) -> None:
        self.reads: list[_Reads] = []


@dataclass(eq=False)  # one recording is removed by identity, never by what it holds
class _Reads:
    tables: set[str] = field(default_factory=set)
    known: bool = True


@dataclass(frozen=True)
class Stamps:
    """The stamps of every table at one moment (``ChangeStamps.now``)."""

    tables: Mapping[str, int]
    everything: int
    source: ChangeStamps

    def of(self, names: Iterable[str]) -> tuple[int, ...]:
        return tuple(max(self.tables.get(name, 0), self.everything) for name in names)


class ChangeStamps:
    """Per table, a stamp that moves each time this process has written it, and one for
    every table, moved when another program wrote (known only as "something")."""

    def __init__(self) -> None:
        self._next = itertools.count(1)
        self._tables: dict[str, int] = {}
        self._everything = 0
        self._lock = threading.Lock()
        self._recording = _Recording()

    def watch(self, engine: Engine) -> None:
        """See every statement ``engine`` (and the engines made from it) runs."""
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "checkin", self._back_in_pool)

    def now(self) -> Stamps:
        """Taken before the reads it stamps: a write landing after it moves a stamp."""
        with self._lock:
            return Stamps(dict(self._tables), self._everything, self)

    def changed(self, tables: Iterable[str]) -> None:
        with self._lock:
            stamp = next(self._next)
            for name in tables:
                if name == EVERY_TABLE:
                    self._everything = stamp
                else:
                    self._tables[name] = stamp

    def everything_changed(self) -> None:
        """Another program wrote: no kept read holds any longer."""
        self.changed([EVERY_TABLE])

    def recording(self) -> _Reads:
        reads = _Reads()
        self._recording.reads.append(reads)
        return reads

    def stop_recording(self, reads: _Reads) -> None:
        self._recording.reads.remove(reads)

    def read_again(self, tables: Iterable[str]) -> None:
        """A kept read reused inside another being recorded: that one read its tables too."""
        for reads in self._recording.reads:
            reads.tables.update(tables)

    def _statement(
        self, conn: Any, _cursor: Any, sql: str, _params: Any, context: Any, _many: bool
    ) -> None:
        found = touched(context, sql)
        if found.writes:
            written = conn.info.setdefault(WRITTEN, set())
            written.update(found.tables if found.tables is not None else {EVERY_TABLE})
            return
        for reads in self._recording.reads:
            if found.tables is None:
                reads.known = False
            else:
                reads.tables.update(found.tables)

    def _back_in_pool(self, _dbapi_connection: Any, record: Any) -> None:
        written = record.info.pop(WRITTEN, None)
        if written:
            self.changed(written)


@dataclass(frozen=True)
class _Entry:
    inputs: object
    tables: tuple[str, ...]
    stamps: tuple[int, ...]
    value: object


class Kept:
    """Results of reads, each reused while the tables it read have not changed and its
    inputs are equal. Give each screen its own; a stale entry costs a read, never a
    wrong result."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def get(self, stamps: Stamps, name: str, inputs: object, read: Callable[[], T]) -> T:
        """``read()``'s result, or the one kept under ``name`` when nothing it read has
        changed since ``stamps``-time and ``inputs`` equal the kept one's. ``stamps``
        must be taken (``ChangeStamps.now``) before anything it stamps was read."""
        entry = self._entries.get(name)
        if entry is not None and entry.inputs == inputs and stamps.of(entry.tables) == entry.stamps:
            stamps.source.read_again(entry.tables)
            return entry.value  # type: ignore[return-value]  # stored by this name's read
        reads = stamps.source.recording()
        try:
            value = read()
        finally:
            stamps.source.stop_recording(reads)
        if reads.known:
            tables = tuple(sorted(reads.tables))
            self._entries[name] = _Entry(inputs, tables, stamps.of(tables), value)
        else:
            self._entries.pop(name, None)
        return value
