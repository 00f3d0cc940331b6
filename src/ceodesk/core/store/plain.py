"""Queries of plain columns read with the DB-API cursor itself (issue 13).

A screen's load on SQLite runs dozens of small queries; for each, SQLAlchemy's
execution (its cache key, execution context and result machinery) costs more than
SQLite's own work. A ``PlainQuery`` is a select of columns built once, at import: its
SQL is compiled once per dialect, and each run hands that SQL to the session's DB-API
cursor, with SQLAlchemy's own bind and result processors for each parameter and column
(so a date or a time reads back exactly as through SQLAlchemy: a test holds every
PlainQuery's rows equal to Core's). The rows are plain tuples.

Whoever watches the engine's statements still sees each one: the engine's
``before_cursor_execute`` listeners are called with the compiled statement, so the change
stamps (store.changes) record the tables it read, and the query-count tests count it.
Other dialects (PostgreSQL) run the query through SQLAlchemy as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, bindparam, select
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlmodel import Session

_Processor = Callable[[Any], Any] | None
_EXPANDING = "__[POSTCOMPILE_{}]"


@dataclass(frozen=True)
class _Context:
    """What a statement listener reads of a run: its compiled statement."""

    compiled: SQLCompiler


@dataclass(frozen=True)
class _Prepared:
    sql: str
    names: tuple[str, ...]  # each parameter, in the order of its placeholder
    expanding: frozenset[str]  # lists, one placeholder per item
    given: Mapping[str, Any]  # the values written into the query when it was built
    binds: Mapping[str, _Processor]
    results: tuple[_Processor, ...]
    context: _Context


def _prepare(query: Select[*tuple[Any, ...]], dialect: Dialect) -> _Prepared | None:
    """``query`` compiled for ``dialect``'s cursor, or None when its SQL takes a form
    this does not run itself (then SQLAlchemy runs it)."""
    compiled = query.compile(dialect=dialect)
    if not isinstance(compiled, SQLCompiler) or compiled.positiontup is None:
        return None
    names = tuple(compiled.positiontup)
    binds = compiled.binds
    expanding = frozenset(name for name in names if binds[name].expanding)
    sql = compiled.string
    # Anything else compiled after the fact (a literal rendered at run time) is not ours.
    rest = sql
    for name in expanding:
        rest = rest.replace(_EXPANDING.format(name), "")
    if "__[POSTCOMPILE_" in rest:
        return None
    return _Prepared(
        sql=sql,
        names=names,
        expanding=expanding,
        given={name: binds[name].effective_value for name in names if not binds[name].required},
        binds={name: binds[name].type._cached_bind_processor(dialect) for name in names},
        results=tuple(
            column.type._cached_result_processor(dialect, None) for column in query.selected_columns
        ),
        context=_Context(compiled),
    )


class PlainQuery:
    """A select of columns, built once (its parameters as ``bindparam``s), whose rows
    are read as plain tuples. ``rows(session, name=value, ...)`` runs it."""

    def __init__(self, query: Select[*tuple[Any, ...]]) -> None:
        self.query = query
        self._prepared: dict[str, _Prepared | None] = {}

    def rows(self, session: Session, **params: Any) -> list[tuple[Any, ...]]:
        conn = session.connection()  # begins the session's transaction if need be
        dialect = conn.dialect
        if dialect.name != "sqlite":
            return [tuple(row) for row in conn.execute(self.query, params)]
        if dialect.name in self._prepared:
            prepared = self._prepared[dialect.name]
        else:
            prepared = self._prepared[dialect.name] = _prepare(self.query, dialect)
        if prepared is None:
            return [tuple(row) for row in conn.execute(self.query, params)]
        sql, values = _bound(prepared, params)
        if sql is None:  # an empty list: SQLAlchemy writes its own "matches nothing"
            return [tuple(row) for row in conn.execute(self.query, params)]
        return _run(conn, prepared, sql, values)


def of_ids(*columns: Any, key: Any = None, where: Sequence[Any] = ()) -> PlainQuery:
    """``columns`` of the rows whose ``key`` (the first column unless given) is one of
    the list given to ``rows`` as ``ids=``, and that meet ``where``."""
    match = (columns[0] if key is None else key).in_(bindparam("ids", expanding=True))
    return PlainQuery(select(*columns).where(match, *where))


def _bound(prepared: _Prepared, params: Mapping[str, Any]) -> tuple[str | None, list[Any]]:
    sql = prepared.sql
    values: list[Any] = []
    for name in prepared.names:
        value = params[name] if name in params else prepared.given[name]
        process = prepared.binds[name]
        if name in prepared.expanding:
            items = list(value)
            if not items:
                return None, []
            sql = sql.replace(_EXPANDING.format(name), ", ".join("?" * len(items)), 1)
            values.extend(map(process, items) if process is not None else items)
        else:
            values.append(process(value) if process is not None else value)
    return sql, values


def _run(
    conn: Connection, prepared: _Prepared, sql: str, values: Sequence[Any]
) -> list[tuple[Any, ...]]:
    raw = conn.connection.driver_connection
    assert raw is not None  # an open session's connection
    cursor = raw.cursor()
    try:
        if conn._has_events or conn.engine._has_events:
            conn.dispatch.before_cursor_execute(conn, cursor, sql, values, prepared.context, False)
        cursor.execute(sql, values)
        fetched = cursor.fetchall()
    finally:
        cursor.close()
    results = prepared.results
    if not any(results):
        return fetched
    return [
        tuple(
            process(value) if process is not None else value
            for process, value in zip(results, row, strict=True)
        )
        for row in fetched
    ]
