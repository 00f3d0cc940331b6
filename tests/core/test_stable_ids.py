"""Stable ids: every row with an integer id also has a uid that export/import and a copy
to another database can key on."""

from __future__ import annotations

import sqlite3
from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import SQLModel

from ceodesk.core.demo import write_demo_database
from ceodesk.core.domain.goals import save_big_picture, set_core_values
from ceodesk.core.domain.people import list_people
from ceodesk.core.domain.rocks import add_milestone, add_rock
from ceodesk.core.store import models  # registers every table
from ceodesk.core.views.capture import add_task

assert models  # imported for its tables


def _has_unique_uid(table) -> bool:
    column = table.c.get("uid")
    if column is None or column.nullable:
        return False
    unique_indexes = [i for i in table.indexes if i.unique and list(i.columns) == [column]]
    unique_constraints = [
        c
        for c in table.constraints
        if isinstance(c, UniqueConstraint) and list(c.columns) == [column]
    ]
    return bool(column.unique or unique_indexes or unique_constraints)


def test_every_table_with_an_id_has_a_unique_uid():
    """A table added later without a uid fails here: give it one (and a migration)."""
    with_id = [t for t in SQLModel.metadata.sorted_tables if "id" in t.c]
    assert len(with_id) >= 15
    assert [t.name for t in with_id if not _has_unique_uid(t)] == []


def _uids(conn: sqlite3.Connection) -> dict[str, list[str]]:
    tables = [
        t.name
        for t in SQLModel.metadata.sorted_tables
        if "id" in t.c
        and conn.execute("SELECT 1 FROM sqlite_master WHERE name=?", (t.name,)).fetchone()
    ]
    return {table: [r[0] for r in conn.execute(f"SELECT uid FROM {table}")] for table in tables}


def test_every_new_row_gets_a_uid_of_its_own(db, db_path, now):
    alex = list_people(db)[0]
    rock = add_rock(
        db, "Hire a VP of Engineering", alex.id, is_company=True, quarter="2026-Q4", now=now
    )
    add_milestone(db, rock.id, "Job description", date(2026, 12, 4))
    add_milestone(db, rock.id, "Job description", None)  # the same title twice
    set_core_values(db, [("Candour", ""), ("Craft", "")])
    save_big_picture(db, horizon=None, revenue="$40M", profit="", measurables="", picture="")
    add_task(db, "Board deck", now)
    conn = sqlite3.connect(db_path)
    try:
        uids = _uids(conn)
    finally:
        conn.close()
    for table in ("milestone", "corevalue", "bigpicture", "idealblock", "undostep", "task"):
        assert uids[table], table
    every = [uid for rows in uids.values() for uid in rows]
    assert all(len(uid) == 36 for uid in every)
    assert len(set(every)) == len(every)


def test_the_demo_company_has_a_distinct_uid_on_every_row(tmp_path, now):
    path = tmp_path / "demo.db"
    write_demo_database(str(path), now, time_zone="UTC")
    conn = sqlite3.connect(path)
    try:
        uids = _uids(conn)
    finally:
        conn.close()
    for table in ("milestone", "corevalue", "bigpicture", "idealblock", "timeblock", "rock"):
        assert uids[table], table
    every = [uid for rows in uids.values() for uid in rows]
    assert len(set(every)) == len(every)
