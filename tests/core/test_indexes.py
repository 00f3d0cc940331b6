"""Schema 13: every foreign key and the week columns are indexed, so lookups by them
cost the same with five years of history (issue 13)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlmodel import SQLModel
from test_db import _make_schema, _schema

import ceodesk.core.store.db as core_db
from ceodesk.core.domain.settings import seed_defaults
from ceodesk.core.store.db import open_database
from ceodesk.core.views.capture import add_task


def leading_columns(path: Path) -> dict[str, set[str]]:
    """Per table, the columns some index (or the primary key) starts with."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        led: dict[str, set[str]] = {}
        for table in tables:
            first = set()
            for _seq, name, *_rest in conn.execute(f"PRAGMA index_list({table})"):
                first.add(conn.execute(f"PRAGMA index_info({name})").fetchone()[2])
            first |= {r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[5] == 1}
            led[table] = first
        return led
    finally:
        conn.close()


def test_every_foreign_key_and_week_column_leads_an_index(tmp_path) -> None:
    path = tmp_path / "new.db"
    open_database(path, seed=seed_defaults).close()
    led = leading_columns(path)
    for table in SQLModel.metadata.tables.values():
        for fk in table.foreign_keys:
            assert fk.parent.name in led[table.name], f"{table.name}.{fk.parent.name}"
    for table, column in core_db.QUERIED_COLUMNS:
        assert column in led[table]


def test_the_previous_schema_gains_the_indexes_and_keeps_its_data(tmp_path, now) -> None:
    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    open_database(fresh, seed=seed_defaults).close()
    db = open_database(old, seed=seed_defaults)
    add_task(db, "Written before !i", now)
    db.close()
    _make_schema(old, 12)  # before schema 13's indexes
    assert "ix_task_owner_id" not in str(_schema(old)["task"])
    db = open_database(old)
    db.close()
    assert _schema(old) == _schema(fresh)
    conn = sqlite3.connect(old)
    try:
        assert conn.execute("SELECT title FROM task").fetchall() == [("Written before",)]
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM timeblock WHERE task_id = 1"
        ).fetchall()
    finally:
        conn.close()
    assert "ix_timeblock_task_id" in str(plan)


def test_schema_14_reads_open_to_dos_by_an_index_and_keeps_them(tmp_path, now) -> None:
    """Everyone's open to-dos (the review's people panel) are found by an index on
    done_at, in a new database and in one of the previous schema once opened."""
    from sqlmodel import col, select

    from ceodesk.core.domain import todos
    from ceodesk.core.domain.settings import leadership_team
    from ceodesk.core.store.models import Person

    fresh, old = tmp_path / "fresh.db", tmp_path / "old.db"
    open_database(fresh, seed=seed_defaults).close()
    db = open_database(old, seed=seed_defaults)
    with db.session() as session:
        me = session.exec(select(Person.id).where(col(Person.is_me))).one()
        team = leadership_team(session).id
    assert me is not None and team is not None
    todos.add_todo(db, team, "Call the bank", me, now.date(), now)
    db.close()
    _make_schema(old, 13)  # before schema 14's index
    assert "ix_todo_done_at" not in str(_schema(old)["todo"])
    open_database(old).close()
    assert _schema(old) == _schema(fresh)
    for path in (fresh, old):
        conn = sqlite3.connect(path)
        try:
            plan = conn.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM todo WHERE done_at IS NULL"
            ).fetchall()
        finally:
            conn.close()
        assert "ix_todo_done_at" in str(plan)
    conn = sqlite3.connect(old)
    try:
        assert conn.execute("SELECT title FROM todo").fetchall() == [("Call the bank",)]
    finally:
        conn.close()
